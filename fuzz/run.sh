#!/bin/sh
# fuzz/run.sh TARGET SECONDS [-- LIBFUZZER-OPTIONS…]
#
# Runs fuzz/fuzz-TARGET (json, params, request, fal, image, faces, files)
# for SECONDS with the limits the project reports figures with. The seeds
# in fuzz/corpus/TARGET are copied into a working corpus in the build
# directory, which grows there (the seeds in git stay small); crashes,
# leaks and timeouts land in BUILD/fuzz/artifacts-TARGET/, the log in
# BUILD/fuzz/TARGET.log, whose last lines give the figures:
#   "#N DONE cov: C ft: F corp: …  exec/s: E" and "Done N runs in S second(s)".
#
# BUILD is $FUZZ_BUILD_DIR, else build-fuzz (see fuzz/meson.build).
set -eu

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [-- libFuzzer options]" >&2
  exit 2
fi

target=$1
seconds=$2
shift 2
[ "${1:-}" = "--" ] && shift

src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-build-fuzz}
case $build in
  /*) ;;
  *) build=$src/$build ;;
esac

exe=$build/fuzz/fuzz-$target
seeds=$src/fuzz/corpus/$target
work=$build/fuzz/corpus-$target
artifacts=$build/fuzz/artifacts-$target
log=$build/fuzz/$target.log

if [ ! -x "$exe" ]; then
  echo "$exe is not built: ninja -C $build fuzz/fuzz-$target" >&2
  exit 1
fi

mkdir -p "$work" "$artifacts"
cp -n "$seeds"/* "$work"/ 2>/dev/null || true

dict=
if [ -f "$src/fuzz/$target.dict" ]; then
  dict=-dict=$src/fuzz/$target.dict
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# No GVfs, no D-Bus: the targets only read memory.
export GIO_USE_VFS=local GSETTINGS_BACKEND=memory

echo "fuzz-$target for ${seconds}s: corpus $work, artifacts $artifacts, log $log" >&2
status=0
"$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" $dict "$@" "$work" "$seeds" >"$log" 2>&1 || status=$?

grep -E '^#[0-9]+ +DONE|^Done [0-9]+ runs|^stat::' "$log" >&2 || true
ls "$artifacts" | sed 's/^/artifact: /' >&2
exit $status

#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: once in
# a plain build and once under AddressSanitizer and UndefinedBehaviorSanitizer.
# UI tests run under Xvfb when there is no display. Exits non-zero on any
# failure.
#
#   build-aux/test.sh            both passes
#   build-aux/test.sh --quick    the plain build only
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=0
[ "${1:-}" = "--quick" ] && quick=1

"$top/build-aux/setup.sh"

passed=0
failed=0
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

run_suite () {
  local dir="$1" status=0
  shift
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
      meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" | tee "$summary" || status=$?
  else
    meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" | tee "$summary" || status=$?
  fi
  passed=$(( passed + $(awk '/^Ok:/ { print $2 }' "$summary" | tail -n 1) ))
  failed=$(( failed + $(awk '/^(Fail|Timeout|Unexpected Pass):/ { n += $NF } END { print n + 0 }' "$summary") ))
  return "$status"
}

report () {
  echo "tests: $passed passed, $failed failed"
}
trap 'report; rm -f "$summary"' EXIT

run_suite "$top/build"

if [ "$quick" -eq 0 ]; then
  asan_dir="$top/build-asan"
  if [ ! -f "$asan_dir/build.ninja" ]; then
    meson setup "$asan_dir" "$top" -Db_sanitize=address,undefined -Dbuildtype=debug
  fi
  meson compile -C "$asan_dir"
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    run_suite "$asan_dir" --timeout-multiplier 3
fi

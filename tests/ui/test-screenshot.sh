#!/usr/bin/env bash
# `atelier --screenshot=FILE` starts in the Sandbox, waits for the tunes to
# load, saves a PNG of the window and quits.
#
#   test-screenshot.sh ATELIER_BINARY
set -euo pipefail

atelier="$1"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/atelier-shot-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export GSETTINGS_BACKEND=memory

timeout 60 "$atelier" --screenshot="$tmp/shot.png"

if [ ! -s "$tmp/shot.png" ]; then
  echo "not ok: no screenshot was saved"
  exit 1
fi

# PNG signature, then the IHDR width and height (big-endian).
signature="$(od -An -tx1 -N8 "$tmp/shot.png" | tr -d ' \n')"
if [ "$signature" != "89504e470d0a1a0a" ]; then
  echo "not ok: not a PNG ($signature)"
  exit 1
fi
width=$((16#$(od -An -tx1 -j16 -N4 "$tmp/shot.png" | tr -d ' \n')))
height=$((16#$(od -An -tx1 -j20 -N4 "$tmp/shot.png" | tr -d ' \n')))
if [ "$width" -lt 360 ] || [ "$height" -lt 294 ]; then
  echo "not ok: the screenshot is ${width}×${height}"
  exit 1
fi

# The sandbox kept its port for the next run.
if [ ! -s "$XDG_DATA_HOME/atelier/sandbox/port" ]; then
  echo "not ok: the sandbox port was not saved"
  exit 1
fi

echo "ok: ${width}×${height} screenshot"

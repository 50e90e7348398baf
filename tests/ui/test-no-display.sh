#!/usr/bin/env bash
# The app started where no display can be opened says so and exits 1; it
# does not crash (GTK 4.8 only warns, and the first window would).
set -u
app="$1"
out="$(env -u WAYLAND_DISPLAY DISPLAY=:9997 GDK_BACKEND=x11 "$app" 2>&1)"
status=$?
echo "$out" | sed 's/^/# /'
if [ "$status" -ne 1 ]; then
  echo "expected exit status 1, got $status" >&2
  exit 1
fi
if ! echo "$out" | grep -q 'could not open the display “:9997”'; then
  echo "no message naming the display" >&2
  exit 1
fi
echo "the app refused to start without a display, and said so"

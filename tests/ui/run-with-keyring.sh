#!/usr/bin/env bash
# Runs a command the way the UI tests need it: on a display (Xvfb when
# there is none), in a private D-Bus session, with an unlocked
# gnome-keyring in a fresh keyring directory.
#
#   run-with-keyring.sh COMMAND [ARGS…]
#
# What works, found by trying: with an empty $XDG_DATA_HOME,
# `gnome-keyring-daemon --unlock` reading a password on stdin creates the
# "login" keyring with that password, unlocked, and makes it the default
# collection, so secret_password_store (SECRET_COLLECTION_DEFAULT) stores
# there: the real Secret Service path the app uses, no session collection.
# The daemon exits with the D-Bus session.
#
# Exit 77 (a skip) only when no display can be had.
set -euo pipefail

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  if [ -z "${ATELIER_IN_XVFB:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    export ATELIER_IN_XVFB=1
    exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
  fi
  echo "No display and no xvfb-run: skipping" >&2
  exit 77
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is missing: install dbus and gnome-keyring (build-aux/setup.sh)" >&2
    exit 1
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/atelier-keyring-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"

# Everything the tests write stays in $tmp: the keyring, the app's sandbox
# data, caches. (Not G_TEST_OPTION_ISOLATE_DIRS: it hides the system's
# XDG_DATA_DIRS, and with them icons and GSettings schemas GTK needs.)
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"

dbus-run-session -- bash -c '
  set -e
  echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"
' run-with-keyring "$@"

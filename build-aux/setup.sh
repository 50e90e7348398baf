#!/usr/bin/env bash
# Installs the Debian packages Atelier needs that are missing, then
# configures and builds it in BUILD_DIR (default: build).
#
#   build-aux/setup.sh [meson setup options…]
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$top/build}"

mapfile -t wanted < <(grep -v '^\s*#' "$top/build-aux/deps.txt" | sed '/^\s*$/d')
missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" "$top" "$@"
elif [ "$#" -gt 0 ]; then
  meson configure "$build_dir" "$@"
fi

meson compile -C "$build_dir"

#!/usr/bin/env bash
# Installs what is missing, builds, and starts Atelier. With no API key in
# the keyring it starts in the Sandbox (a local Astria-compatible server).
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$top/build}"

"$top/build-aux/setup.sh"
exec meson devenv -C "$build_dir" "$build_dir/src/app/atelier" "$@"

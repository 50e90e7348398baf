#!/usr/bin/env bash
# Rewrites po/POTFILES from the sources: every file with translatable
# strings (the rules of check-potfiles.sh). Run it after adding or moving
# a file with user-visible strings.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

{
  echo "# Files with translatable strings; build-aux/check-potfiles.sh keeps this"
  echo "# list complete (meson test potfiles); build-aux/update-potfiles.sh writes it."
  {
    ls data/*.desktop.in data/*.metainfo.xml.in
    grep -l 'gettext-domain' data/*.gschema.xml || true
    grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\(' --include='*.c' src || true
    grep -rl 'translatable="yes"' --include='*.ui' src || true
  } | sort -u
} > po/POTFILES

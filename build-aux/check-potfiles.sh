#!/usr/bin/env bash
# Fails when a source file with translatable strings is missing from
# po/POTFILES, or when po/POTFILES lists a file that does not exist.
#
#   build-aux/check-potfiles.sh [SOURCE_ROOT]
#
# Translatable means: _( N_( C_( NC_( ngettext( g_dngettext( in C files,
# translatable="yes" in .ui files, a .desktop.in or .metainfo.xml.in file,
# and a gschema with a gettext-domain.
set -euo pipefail

top="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$top"

potfiles=po/POTFILES
if [ ! -f "$potfiles" ]; then
  echo "not ok: $potfiles does not exist"
  exit 1
fi

# What POTFILES lists: no comments, no blank lines.
listed="$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" | sort -u)"

status=0

# Every listed file exists.
while IFS= read -r file; do
  [ -z "$file" ] && continue
  if [ ! -f "$file" ]; then
    echo "not ok: po/POTFILES lists $file, which does not exist"
    status=1
  fi
done <<< "$listed"

# Every file with translatable strings is listed.
needed="$(
  {
    git ls-files --cached --others --exclude-standard -- src 2>/dev/null ||
      find src -type f
  } | sort -u | while IFS= read -r file; do
    [ -f "$file" ] || continue
    case "$file" in
      *.c|*.h)
        if grep -Eq '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\(' "$file"; then
          echo "$file"
        fi
        ;;
      *.ui)
        if grep -q 'translatable="yes"' "$file"; then
          echo "$file"
        fi
        ;;
    esac
  done
  for file in data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml; do
    [ -f "$file" ] && echo "$file"
  done
)"

while IFS= read -r file; do
  [ -z "$file" ] && continue
  if ! grep -qxF -- "$file" <<< "$listed"; then
    echo "not ok: $file has translatable strings but is not in po/POTFILES"
    status=1
  fi
done <<< "$needed"

if [ "$status" -eq 0 ]; then
  echo "ok: po/POTFILES lists $(grep -c . <<< "$listed") files, all present"
fi
exit "$status"

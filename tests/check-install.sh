#!/bin/sh
# check-install.sh — what `meson install` puts on a machine: installs the
# build folder into a temporary DESTDIR and checks that the program, its
# manual pages (procsim and one per command), the bash completion (run in
# bash), the
# schemas and the bundled files are there; that the static library and the
# headers are there only with -Dinstall_library=true; that the installed
# program holds no path of the source or build folder (strings); and that
# it runs from where it was installed.
#   check-install.sh SOURCE_ROOT BUILD_ROOT
set -eu
root=$(cd "$1" && pwd -P)
build=$(cd "$2" && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

meson install -C "$build" --no-rebuild --quiet --destdir "$tmp" >/dev/null
option() {
  meson introspect "$build" --buildoptions | python3 -c \
    "import json, sys; print([o['value'] for o in json.load(sys.stdin) if o['name'] == '$1'][0])"
}
prefix=$(option prefix)
datadir=$(option datadir)
mandir=$(option mandir)
dest=$tmp$prefix

exe=$dest/bin/procsim
[ -x "$exe" ] || fail "no $prefix/bin/procsim"
for page in procsim procsim-validate procsim-show procsim-list procsim-render \
    procsim-compare procsim-simulate procsim-train procsim-report procsim-import procsim-export; do
  f=$dest/$mandir/man1/$page.1
  [ -s "$f" ] || fail "no manual page $page.1"
  grep -q '^\.TH ' "$f" || fail "$page.1 is not a manual page"
  grep -q '^\.SH DESCRIPTION' "$f" || fail "$page.1 has no DESCRIPTION"
done
# Every option of train's --help is in its page (--help aside).
for o in $("$build/src/cli/procsim" --lang en train --help \
    | sed -n '/^Application Options:/,$s/^  \(-[A-Za-z], \)\{0,1\}--\([A-Za-z-]*\).*/\2/p'); do
  grep -q -- "\\\\-\\\\-$o" "$dest/$mandir/man1/procsim-train.1" \
    || fail "procsim-train.1 does not list --$o"
done
[ -s "$dest/$datadir/bash-completion/completions/procsim" ] || fail "no bash completion"
for xsd in procedure scenario; do
  cmp -s "$root/data/$xsd.xsd" "$dest/$datadir/procsim/schemas/$xsd.xsd" \
    || fail "$datadir/procsim/schemas/$xsd.xsd is not data/$xsd.xsd"
done
ls "$dest/$datadir/procsim/workflows/"*.xml >/dev/null || fail "no bundled procedures"
ls "$dest/$datadir/procsim/scenarios/"*.xml >/dev/null || fail "no bundled scenarios"

if [ "$(option install_library)" = True ]; then
  [ -f "$dest/include/procsim/procsim.h" ] || fail "install_library: no headers"
  find "$dest" -name libprocsim.a | grep -q . || fail "install_library: no libprocsim.a"
else
  [ ! -e "$dest/include/procsim" ] || fail "headers installed without -Dinstall_library=true"
  ! find "$dest" -name 'libprocsim.a' -o -name 'procsim.pc' | grep -q . \
    || fail "the library installed without -Dinstall_library=true"
fi

# No path of this machine's source or build folder in the program.
if strings -a "$exe" | grep -F -e "$root" -e "$build" >"$tmp/paths"; then
  fail "build paths in the installed program: $(sort -u "$tmp/paths" | head -3)"
fi
# It runs from where it is installed (told the DESTDIR's data folder).
PROCSIM_DATADIR=$dest/$datadir/procsim "$exe" --lang en list >"$tmp/list" \
  || fail "the installed procsim list fails"
grep -q 'land-title-transfer.xml' "$tmp/list" || fail "the installed procsim lists nothing"
# The completion, as bash runs it: commands, a command's options, --lang's
# languages, the bundled scenarios' ids after train.
complete_words() {
  PROCSIM_DATADIR=$dest/$datadir/procsim bash -c '
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _procsim; echo "${COMPREPLY[*]}"' \
    sh "$dest/$datadir/bash-completion/completions/procsim" "$exe" "$@"
}
[ "$(complete_words tr)" = train ] || fail "completion: 'tr' gives '$(complete_words tr)'"
[ "$(complete_words train --re)" = "--resume --record" ] \
  || fail "completion: 'train --re' gives '$(complete_words train --re)'"
[ "$(complete_words --lang v)" = vi ] || fail "completion: '--lang v'"
complete_words train land-title- | grep -q 'land-title-digital' \
  || fail "completion: no bundled scenario id after train"
[ "$(complete_words render --d)" = "--db --details" ] \
  || fail "completion: 'render --d' gives '$(complete_words render --d)'"
echo "check-install: $prefix: program, manual pages, completion, schemas; no build paths"

#!/bin/sh
# check-catalogue.sh — every UI string of the sources has a Vietnamese
# translation: extracts the messages from po/POTFILES.in as the build's
# procsim-pot target does, merges po/vi.po against them in a temporary
# folder, and fails on any untranslated or fuzzy message.
#   check-catalogue.sh SOURCE_ROOT
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
xgettext --package-name=procsim --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --keyword=psim_gettext:2 --keyword=psim_ngettext:2,3 \
  --keyword=psim_pgettext:2c,3 --keyword=PSIM_N_ --flag=g_strdup_printf:1:c-format \
  --files-from=po/POTFILES.in -o "$tmp/procsim.pot"
msgmerge --quiet --no-fuzzy-matching "po/vi.po" "$tmp/procsim.pot" -o "$tmp/vi.po"
stats=$(msgfmt --check --statistics -o /dev/null "$tmp/vi.po" 2>&1)
echo "po/vi.po: $stats"
missing=$(msgattrib --untranslated --no-obsolete "$tmp/vi.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/vi.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too when it prints anything.
[ "$missing" -gt 0 ] && missing=$((missing - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "$missing" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
  echo "po/vi.po: $missing untranslated, $fuzzy fuzzy; untranslated:" >&2
  msgattrib --untranslated --no-obsolete "$tmp/vi.po" | grep -A2 '^msgid ' >&2
  exit 1
fi

#!/bin/sh
# check-bpmn-tools.sh — the bundled procedures exported as BPMN (all
# variants, and each variant alone), and tests/data/valid/limits.xml for
# the legal limits' conditions, must be read by bpmn-moddle with no
# warning and pass bpmnlint's recommended rules with no error. Node and
# the npm test tools (package.json) are test-only: without them the test
# is skipped (77).
#   check-bpmn-tools.sh SOURCE_ROOT PROCSIM
set -eu
root=$1
procsim=$2
[ -d "$root/node_modules/bpmn-moddle" ] && [ -d "$root/node_modules/bpmnlint" ] || {
  echo "npm test tools not installed (npm ci): skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=
for id in land-title-transfer business-registration; do
  "$procsim" export "$id" -o "$tmp/$id.bpmn"
  files="$files $tmp/$id.bpmn"
  for v in legacy digital; do
    "$procsim" export "$id" --variant "$v" -o "$tmp/$id-$v.bpmn"
    files="$files $tmp/$id-$v.bpmn"
  done
done
"$procsim" --lang vi export land-title-transfer -o "$tmp/land-vi.bpmn"
"$procsim" export "$root/tests/data/valid/limits.xml" -o "$tmp/limits.bpmn"
files="$files $tmp/limits.bpmn"
# shellcheck disable=SC2086
NODE_PATH="$root/node_modules" node "$root/tests/node/check-bpmn.cjs" $files "$tmp/land-vi.bpmn"
echo "bpmn-moddle and bpmnlint (recommended): no warning, no error in $(echo $files | wc -w) + 1 files"

#!/bin/sh
# run-fuzz.sh — runs one libFuzzer target for a bounded time on a fresh
# corpus seeded from the project's files; the meson `fuzz` suite calls it.
#
#   run-fuzz.sh FUZZER WORKDIR DICT SEED_DIR... [-- LIBFUZZER_OPTION...]
#
# libFuzzer's default exit status for a finding is 77, which meson reads as
# "skipped": -error_exitcode=1 makes a finding fail the test.
#
# WORKDIR/corpus is emptied and refilled from SEED_DIR/*.xml, *.bpmn,
# *.bpmn2 and *.json (missing or empty seed dirs are fine); crash, leak, timeout and OOM reproducers go to
# WORKDIR/artifacts/. FUZZ_SECONDS overrides the 60 s default. The exit
# status is libFuzzer's: non-zero when it found something, so a crash fails
# the test.
set -eu

if [ $# -lt 3 ]; then
  echo "usage: $0 FUZZER WORKDIR DICT SEED_DIR... [-- LIBFUZZER_OPTION...]" >&2
  exit 1
fi
fuzzer=$1
workdir=$2
dict=$3
shift 3

corpus=$workdir/corpus
artifacts=$workdir/artifacts
stamp=$workdir/.started
rm -rf "$corpus"
mkdir -p "$corpus" "$artifacts"
: >"$stamp"

n=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  for f in "$1"/*.xml "$1"/*.bpmn "$1"/*.bpmn2 "$1"/*.json; do
    [ -f "$f" ] || continue
    # Seeds from different folders may share a name.
    n=$((n + 1))
    cp "$f" "$corpus/seed-$n-$(basename "$f")"
  done
  shift
done
[ $# -gt 0 ] && shift # the "--"
echo "run-fuzz: $n seed files in $corpus"

status=0
"$fuzzer" \
  -max_total_time="${FUZZ_SECONDS:-60}" \
  -rss_limit_mb=2048 \
  -timeout=10 \
  -dict="$dict" \
  -artifact_prefix="$artifacts/" \
  -error_exitcode=1 \
  -timeout_exitcode=1 \
  -print_final_stats=1 \
  "$@" "$corpus" || status=$?

found=$(find "$artifacts" -type f -newer "$stamp" | sort)
if [ -n "$found" ]; then
  echo "run-fuzz: reproducers (rerun with: $fuzzer FILE):"
  echo "$found" | sed 's/^/  /'
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"

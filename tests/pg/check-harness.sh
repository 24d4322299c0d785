#!/bin/bash
# check-harness.sh — the pg suite's own tools do what the other tests rely
# on: run inside `pg-cluster.sh run`, it checks that
#   - the private cluster answers on its URI with fsync on, and a committed
#     row survives an immediate stop (a crash) and the restart;
#   - nginx-proxy.sh balances round robin over two upstreams (here two test
#     LRSs) and names the one that answered, and skips one that is gone;
#   - the test LRS stores a valid statement once, answers 204 to the same
#     statement again under its id and 409 to another one, refuses an
#     invalid one, and can be down (503, refused) and up again.
#   check-harness.sh SOURCE_ROOT
set -euo pipefail
root=$1
here=$root/tests/pg
uri=${PSIM_TEST_PG_URI:?run me inside pg-cluster.sh run}
tmp=$(mktemp -d /tmp/psim-harness.XXXXXX)
chmod 0755 "$tmp" # nginx runs as another user when we are root
pids=()
cleanup() {
  "$here/nginx-proxy.sh" stop "$tmp/nginx" || true
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
[ -z "${PSIM_KEEP_LOGS:-}" ] || trap 'cat "$tmp"/nginx/error.log "$tmp"/*.out >&2; cleanup' EXIT
fail() {
  echo "check-harness: $*" >&2
  exit 1
}

# ---- PostgreSQL ----------------------------------------------------------------
[ "$(psql "$uri" -Atc 'SHOW fsync')" = on ] || fail "fsync is not on"
psql "$uri" -q -c 'CREATE TABLE t (v text)' -c "INSERT INTO t VALUES ('kept')"
"$PSIM_TEST_PG_CTL" restart "$PSIM_TEST_PG_DIR" immediate
[ "$(psql "$uri" -Atc 'SELECT v FROM t')" = kept ] || fail "a committed row was lost in a crash"
echo "ok: cluster, fsync on, a committed row survives a crash"

# ---- two test LRSs behind nginx --------------------------------------------------
# Starts test LRS $1 with its commands on a fifo (file descriptor
# fd_$1), its output in $1.out, its port in port_$1. (Not in a
# subshell: the fifo must stay open, or the LRS takes the end of its
# input for the end of the test.)
start_lrs() {
  local name=$1
  mkfifo "$tmp/$name.in"
  node "$here/lrs-receiver.js" --auth u:s <"$tmp/$name.in" >"$tmp/$name.out" &
  pids+=($!)
  exec {fd}>"$tmp/$name.in"
  eval "fd_$name=$fd"
  local i
  for i in $(seq 100); do
    grep -q listening "$tmp/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  eval "port_$name=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/$name.out" | head -n 1)"
}
start_lrs a
start_lrs b
proxy=$("$here/nginx-proxy.sh" start "$tmp/nginx" "127.0.0.1:$port_a" "127.0.0.1:$port_b")

# One HTTP request: prints "STATUS UPSTREAM".
http() {
  node -e '
    const [method, url, body] = process.argv.slice(1);
    fetch(url, { method, body: body || undefined, headers: {
        "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json",
        "Authorization": "Basic " + Buffer.from("u:s").toString("base64") } })
      .then((r) => console.log(r.status, r.headers.get("x-upstream") || "-"))
      .catch(() => console.log("refused -"));' "$@"
}

ups=""
for i in 1 2 3 4; do
  ups="$ups $(http GET "$proxy/xapi/statements?statementId=x" | cut -d' ' -f2)"
done
case "$ups" in
  " 127.0.0.1:$port_a 127.0.0.1:$port_b 127.0.0.1:$port_a 127.0.0.1:$port_b" | \
  " 127.0.0.1:$port_b 127.0.0.1:$port_a 127.0.0.1:$port_b 127.0.0.1:$port_a") ;;
  *) fail "nginx did not alternate: $ups" ;;
esac
echo "ok: nginx alternates between its upstreams, naming them"

# ---- the test LRS ----------------------------------------------------------------
statement='{"id":"2f3e0b1c-5d6a-4e7f-8a9b-0c1d2e3f4a5b",
  "actor":{"objectType":"Agent","account":{"homePage":"http://127.0.0.1/","name":"lan"}},
  "verb":{"id":"http://adlnet.gov/expapi/verbs/attempted","display":{"en-US":"attempted"}},
  "object":{"objectType":"Activity","id":"http://127.0.0.1/scenarios/s"}}'
other=${statement/attempted\"/completed\"}
lrs="http://127.0.0.1:$port_a/xapi/statements"
expect() {
  local want=$1 got
  shift
  got=$(http "$@" | cut -d' ' -f1)
  [ "$got" = "$want" ] || fail "$1 ${2%%\?*}: $got instead of $want"
}
expect 200 POST "$lrs" "[$statement]"
expect 409 POST "$lrs" "[$statement]"
expect 204 PUT "$lrs?statementId=2f3e0b1c-5d6a-4e7f-8a9b-0c1d2e3f4a5b" "$statement"
expect 409 PUT "$lrs?statementId=2f3e0b1c-5d6a-4e7f-8a9b-0c1d2e3f4a5b" "$other"
expect 400 POST "$lrs" '[{"id":"2f3e0b1c-5d6a-4e7f-8a9b-0c1d2e3f4a5c","actor":{}}]'
echo "down 503" >&"$fd_a"
sleep 0.3
expect 503 GET "$lrs?statementId=x"
echo "down refuse" >&"$fd_a"
sleep 0.3
expect refused GET "$lrs?statementId=x"
# Through nginx, the refusing LRS is skipped: every request reaches b.
for i in 1 2 3; do
  [ "$(http GET "$proxy/xapi/statements?statementId=x" | cut -d' ' -f1)" = 404 ] \
    || fail "nginx did not skip a server that refuses"
done
echo "up" >&"$fd_a"
sleep 0.3
expect 200 GET "$lrs?statementId=2f3e0b1c-5d6a-4e7f-8a9b-0c1d2e3f4a5b"
echo "stats" >&"$fd_a"
sleep 0.5
stats=$(grep '"stored"' "$tmp/a.out" | tail -n 1)
node -e '
  const s = JSON.parse(process.argv[1]);
  if (s.stored !== 1 || s.conflicts !== 1 || s.invalid.length !== 1)
    { console.error("check-harness: unexpected stats " + process.argv[1]); process.exit(1); }' \
  "$stats"
echo "ok: the test LRS stores once, answers 204/409 for a known id, refuses invalid ones, goes down and up"

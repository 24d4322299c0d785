#!/bin/bash
# pg-cluster.sh — a private PostgreSQL cluster for the tests: Debian's
# PostgreSQL server (initdb, pg_ctl, postgres), in a folder of its own,
# listening on a Unix socket in that folder (and on a loopback port when
# asked), fsync on as in production. Nothing outside the folder is touched.
#
#   pg-cluster.sh run [--tcp] -- COMMAND [ARG…]
#       starts a cluster in a new folder under /tmp, runs COMMAND with
#         PSIM_TEST_PG_URI   its connection URI (database "procsim",
#                            user "procsim", trust on the socket only)
#         PSIM_TEST_PG_DIR   its folder (for `restart`)
#         PSIM_TEST_PG_CTL   this script, to restart or stop it
#       then stops the cluster and removes the folder however COMMAND ended
#       (failure, signal); exits with COMMAND's status.
#   pg-cluster.sh start [--tcp] DIR   starts a cluster in the new or empty
#                                     DIR; prints its URI
#   pg-cluster.sh restart DIR [fast|immediate]
#                                     stops (immediate: as a crash, recovery
#                                     from the WAL follows) and starts again
#   pg-cluster.sh stop DIR            stops it and removes DIR
#   pg-cluster.sh uri DIR             prints its URI
#
# Run as root, the server runs as an unprivileged user (postgres, else
# nobody), as PostgreSQL requires; clients connect as "procsim" through
# the socket whoever they are. A watchdog stops the cluster and removes
# its folder when the process that started it dies without stopping it
# (SIGKILL, a test harness's timeout).
set -euo pipefail

die() {
  echo "pg-cluster.sh: $*" >&2
  exit 2
}

# The server's programs: those of the PATH, else Debian's newest.
find_bindir() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || true)
  if [ -n "$initdb" ]; then
    dirname "$(readlink -f "$initdb")"
    return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  die "no PostgreSQL server found (Debian: apt-get install postgresql)"
}

bindir=$(find_bindir)

. "$(dirname "$0")/as-owner.sh"


uri_of() {
  local dir=$1 port
  port=$(cat "$dir/port")
  # libpq reads host=/a/folder as a socket folder.
  echo "postgresql://procsim@/procsim?host=$dir&port=$port"
}

pg_start() {
  local dir=$1
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2 || true; return 1; }
}

# A random port for the socket's name (and for TCP when asked): taken
# ones make the start fail, and another is tried.
random_port() {
  echo $((20000 + RANDOM % 30000))
}

cmd_start() {
  local tcp=0
  if [ "${1:-}" = --tcp ]; then tcp=1; shift; fi
  local dir=${1:?usage: pg-cluster.sh start [--tcp] DIR}
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  dir=$(cd "$dir" && pwd)
  [ ${#dir} -le 80 ] || die "$dir is too long a path for a Unix socket"
  chmod 0755 "$dir"
  [ -z "$owner" ] || chown "$owner" "$dir"
  # -N: the new cluster's files are not synced one by one (seconds on a
  # busy disk); the server itself runs with fsync on.
  as_owner "$bindir/initdb" -N -D "$dir/data" -U procsim -A trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  local try port listen
  for try in 1 2 3 4 5; do
    port=$(random_port)
    listen="''"
    [ $tcp -eq 0 ] || listen="'127.0.0.1'"
    # Production's durability (fsync, synchronous commit, full pages);
    # small memory, a few connections per server process.
    as_owner tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = $listen
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_buffers = 64MB
logging_collector = off
log_min_messages = warning
EOF
    echo "$port" >"$dir/port"
    if pg_start "$dir"; then
      as_owner "$bindir/createdb" -h "$dir" -p "$port" -U procsim procsim
      uri_of "$dir"
      return 0
    fi
  done
  die "the cluster in $dir did not start"
}

cmd_stop() {
  local dir=${1:?usage: pg-cluster.sh stop DIR}
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

cmd_restart() {
  local dir=${1:?usage: pg-cluster.sh restart DIR [fast|immediate]} mode=${2:-fast}
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
  pg_start "$dir"
}

# Stops the cluster when process $1 is gone: started in a session of its
# own so that a kill of the caller's process group does not take it too.
watchdog() {
  local pid=$1 dir=$2
  setsid "$0" _watch "$pid" "$dir" </dev/null >/dev/null 2>&1 &
}

cmd_watch() {
  local pid=$1 dir=$2
  while kill -0 "$pid" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
  cmd_stop "$dir"
}

cmd_run() {
  local tcp=()
  if [ "${1:-}" = --tcp ]; then tcp=(--tcp); shift; fi
  [ "${1:-}" = -- ] && shift
  [ $# -gt 0 ] || die "usage: pg-cluster.sh run [--tcp] -- COMMAND [ARG…]"
  local dir child=0 status
  dir=$(mktemp -d /tmp/psim-pg.XXXXXX)
  trap 'cmd_stop "$dir"' EXIT
  trap '[ $child -eq 0 ] || kill -TERM $child 2>/dev/null; exit 143' TERM INT HUP
  watchdog $$ "$dir"
  PSIM_TEST_PG_URI=$(cmd_start "${tcp[@]}" "$dir")
  export PSIM_TEST_PG_URI PSIM_TEST_PG_DIR=$dir PSIM_TEST_PG_CTL=$0
  # In the background, so that a signal to this script reaches its trap
  # at once rather than after COMMAND ends.
  "$@" &
  child=$!
  set +e
  wait $child
  status=$?
  set -e
  exit $status
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  uri) shift; uri_of "${1:?usage: pg-cluster.sh uri DIR}" ;;
  run) shift; cmd_run "$@" ;;
  _watch) shift; cmd_watch "$@" ;;
  *) die "usage: pg-cluster.sh run|start|restart|stop|uri …" ;;
esac

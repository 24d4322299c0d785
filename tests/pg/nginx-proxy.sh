#!/bin/bash
# nginx-proxy.sh — Debian's nginx as the load balancer of the tests: on a
# loopback port, in front of N `procsim serve` processes, in a folder of
# its own (configuration, pid, logs, temporary files); nothing outside it
# is touched.
#
#   nginx-proxy.sh start DIR HOST:PORT…
#       writes DIR/nginx.conf with these servers as the upstream
#       (round robin, a failed server skipped for 2 s), starts nginx on a
#       free loopback port and prints its URL, http://127.0.0.1:PORT
#   nginx-proxy.sh reload DIR HOST:PORT…   another set of servers
#   nginx-proxy.sh stop DIR                stops it and removes DIR
#
# Every reply carries X-Upstream: the server that answered, so that a test
# can see which one did. The configuration is the one of docs/deploy.md
# less TLS. Run as root, nginx runs as an unprivileged user (postgres,
# else nobody) as a whole: it needs no privilege on ports above 1024.
set -euo pipefail

die() {
  echo "nginx-proxy.sh: $*" >&2
  exit 2
}

nginx=$(command -v nginx 2>/dev/null || true)
[ -n "$nginx" ] || [ ! -x /usr/sbin/nginx ] || nginx=/usr/sbin/nginx
[ -n "$nginx" ] || die "no nginx found (Debian: apt-get install nginx-light)"

. "$(dirname "$0")/as-owner.sh"

write_conf() {
  local dir=$1 port=$2
  shift 2
  local up
  {
    cat <<EOF
# The tests' load balancer (tests/pg/nginx-proxy.sh).
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream procsim {
EOF
    for up in "$@"; do
      echo "    server $up max_fails=1 fail_timeout=2s;"
    done
    cat <<EOF
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 2m;
    location / {
      proxy_pass http://procsim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      proxy_next_upstream error timeout;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
EOF
  } >"$dir/nginx.conf"
}


cmd_start() {
  local dir=${1:?usage: nginx-proxy.sh start DIR HOST:PORT…}
  shift
  [ $# -gt 0 ] || die "usage: nginx-proxy.sh start DIR HOST:PORT…"
  mkdir -p "$dir/tmp"
  dir=$(cd "$dir" && pwd)
  if [ -n "$owner" ]; then
    chown -R "$owner" "$dir"
    as_owner test -w "$dir" || die "$owner cannot reach $dir (a folder on its path is private)"
  fi
  local try port
  for try in 1 2 3 4 5 6 7 8; do
    # A random port; a taken one makes nginx fail to start, and another
    # is tried.
    port=$((20000 + RANDOM % 30000))
    write_conf "$dir" "$port" "$@"
    echo "$port" >"$dir/port"
    if as_owner "$nginx" -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" 2>"$dir/start.log"
    then
      echo "http://127.0.0.1:$port"
      return 0
    fi
    grep -q 'in use' "$dir/start.log" || break
  done
  cat "$dir/start.log" >&2
  die "nginx did not start"
}

cmd_reload() {
  local dir=${1:?usage: nginx-proxy.sh reload DIR HOST:PORT…}
  shift
  write_conf "$dir" "$(cat "$dir/port")" "$@"
  as_owner "$nginx" -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -s reload
}

cmd_stop() {
  local dir=${1:?usage: nginx-proxy.sh stop DIR}
  [ -d "$dir" ] || return 0
  if [ -f "$dir/nginx.pid" ]; then
    local pid
    pid=$(cat "$dir/nginx.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  reload) shift; cmd_reload "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: nginx-proxy.sh start|reload|stop …" ;;
esac

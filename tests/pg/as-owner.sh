# as-owner.sh — sourced by pg-cluster.sh and nginx-proxy.sh: who runs the
# servers they start. Ourselves; or, when we are root, an unprivileged user
# (postgres, else nobody): PostgreSQL refuses to run as root, and nginx
# needs no privilege on the loopback ports above 1024 the tests use.
#   owner      that user's name ("" when it is ourselves)
#   as_owner   runs its arguments as that user
owner=""
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  if id -u postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  run_as=(setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups --)
fi

as_owner() {
  "${run_as[@]}" env -u PGDATA -u PGHOST -u PGPORT "$@"
}

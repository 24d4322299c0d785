#!/usr/bin/env bash
# setup.sh — the two set-up commands of the README, for a fresh Debian 12.
#
#   ./setup.sh          install what is missing, build, and start the browser
#                       trainer (procsim serve) on the bundled scenarios,
#                       printing its address and a trainee's login
#   ./setup.sh test     install what is missing, build, and run every test:
#                       the unit, CLI and golden suites; the same under
#                       AddressSanitizer+UBSan; under valgrind; and the
#                       loader fuzzer for a minute; the pg suite (several
#                       servers on PostgreSQL behind nginx) in the plain
#                       build.
#
# System packages come from Debian's archive only (apt, with sudo when not
# root); the test-only Node tools from npm, as package-lock.json pins them.
set -euo pipefail
here=$PWD
cd "$(dirname "$0")"
root=$PWD

# libedit-dev: line editing and history in the terminal trainer; libsoup-3.0,
# libsqlite3, libsodium: the browser trainer's server (procsim serve); libpq:
# its PostgreSQL backend; libxlsxwriter: spreadsheets (--format xlsx).
# python3-openpyxl (tests only) reads the spreadsheets back; poppler-utils
# (tests only) reads back the HTML report printed to PDF.
build_packages=(build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libxml2-dev libjson-glib-dev libcunit1-dev libgraphviz-dev libedit-dev
  libsoup-3.0-dev libsqlite3-dev libsodium-dev libpq-dev libxlsxwriter-dev fonts-dejavu-core)
test_packages=(libxml2-utils graphviz valgrind clang libclang-rt-14-dev
  postgresql nginx-light chromium python3-openpyxl poppler-utils)
# Node and npm run the suite's browser, BPMN and xAPI checks. Debian's npm
# conflicts with a Node installed from elsewhere (as on CI machines), so
# Debian's are installed only where node or npm is missing.
node_packages=()
command -v node >/dev/null 2>&1 || node_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || node_packages+=(npm)

install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "setup.sh: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures $1 once (with the options that follow) and builds it.
build() {
  local dir=$1
  shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
}

case "${1:-run}" in
  run)
    install_missing "${build_packages[@]}"
    build build
    # One database and one trainee account for this machine, made on the
    # first run; the login is kept (readable by this user only) so that
    # every run can say how to log in.
    data="${XDG_DATA_HOME:-$HOME/.local/share}/procsim"
    db="sqlite:$data/procsim.sqlite3"
    login="$data/setup-login.txt"
    listen="${PROCSIM_LISTEN:-127.0.0.1:8080}"
    mkdir -p "$data"
    if [ ! -s "$login" ]; then
      password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)
      if printf '%s\n' "$password" \
          | "$root/build/src/cli/procsim" users add trainee --role trainee --db "$db"; then
        (umask 077 && printf 'trainee %s\n' "$password" >"$login")
      fi
    fi
    echo
    echo "procsim: open http://$listen/ in a browser."
    if [ -s "$login" ]; then
      read -r user password <"$login"
      echo "procsim: log in as '$user' with the password '$password' (kept in $login)."
    fi
    echo "procsim: the terminal trainer stays: ./build/src/cli/procsim train"
    echo "procsim: Ctrl-C stops the server; your sessions are kept in $db."
    echo
    exec "$root/build/src/cli/procsim" serve --listen "$listen" --db "$db"
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}" ${node_packages[@]+"${node_packages[@]}"}
    # The suite's Node tools, exactly as package-lock.json pins them.
    npm ci --no-audit --no-fund
    build build
    meson test -C build --print-errorlogs
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false
    meson test -C build-asan --print-errorlogs --no-suite setup
    meson test -C build --setup valgrind --print-errorlogs --suite unit --suite cli
    CC=clang build build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
    meson test -C build-fuzz --print-errorlogs --suite fuzz
    ;;
  *)
    echo "usage: ./setup.sh [run|test]" >&2
    exit 1
    ;;
esac

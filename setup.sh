#!/usr/bin/env bash
# setup.sh — the two set-up commands of the README, for a fresh Debian 12.
#
#   ./setup.sh          install what is missing, build, and start the trainer
#                       (its menu of the bundled training scenarios)
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

# libedit-dev: line editing and history in the terminal trainer.
build_packages=(build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libxml2-dev libjson-glib-dev libcunit1-dev libgraphviz-dev libedit-dev
  fonts-dejavu-core)
test_packages=(libxml2-utils graphviz valgrind clang libclang-rt-14-dev
  postgresql nginx-light nodejs npm)

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
    # From the folder it was started in: the trainer prints the command
    # that resumes a session as it runs from there.
    cd "$here"
    exec "$root/build/src/cli/procsim" train
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    # The suite's Node tools (package-lock.json), from the npm registry.
    [ -d node_modules/@learninglocker/xapi-validation ] || npm ci --no-audit --no-fund
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

#!/bin/sh
# check-fresh-configure.sh — the build configures and builds on a machine
# that has none of the test-only tools (valgrind, clang, Graphviz's dot,
# xmllint, Node, npm, Chromium, PostgreSQL's server): README's first
# command runs before anything installs them.
#   check-fresh-configure.sh SOURCE_ROOT
# It builds a PATH of links to every program on the real PATH except the
# hidden ones, then runs meson setup and meson compile in a temporary
# build folder with that PATH alone.
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
hidden=' valgrind clang clang-14 dot xmllint node npm npx chromium pg_ctl initdb postgres nginx '
old_ifs=$IFS
IFS=:
for dir in $PATH; do
  [ -d "$dir" ] || continue
  for prog in "$dir"/*; do
    name=${prog##*/}
    case "$hidden" in *" $name "*) continue ;; esac
    [ -x "$prog" ] && [ ! -e "$tmp/bin/$name" ] && ln -s "$prog" "$tmp/bin/$name"
  done
done
IFS=$old_ifs
# meson itself is a Python program: keep its interpreter reachable by its
# absolute path, but not as a program of the PATH.
meson=$(command -v meson)
for name in valgrind clang dot xmllint node npm chromium; do
  if PATH="$tmp/bin" command -v "$name" >/dev/null 2>&1; then
    echo "check-fresh-configure: could not hide $name" >&2
    exit 1
  fi
done
PATH="$tmp/bin" "$meson" setup "$tmp/build" "$root" >"$tmp/setup.log" 2>&1 || {
  cat "$tmp/setup.log" >&2
  echo "check-fresh-configure: meson setup failed without the test-only tools" >&2
  exit 1
}
PATH="$tmp/bin" "$meson" compile -C "$tmp/build" >"$tmp/compile.log" 2>&1 || {
  tail -n 50 "$tmp/compile.log" >&2
  echo "check-fresh-configure: the build failed without the test-only tools" >&2
  exit 1
}
echo "configured and built with valgrind, clang, dot, xmllint, node and chromium hidden"

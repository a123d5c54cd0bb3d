#!/usr/bin/env bash
# valgrind.sh BIN FILE...: valgrind (memcheck, definite leaks are errors) over
# each file with the strict profile, as --check and as --write on a copy,
# one process per CPU. Prints each failing run; exits 1 if any.
set -u
bin=$1; shift
one() { # one BIN FILE
  local bin=$1 f=$2 w
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$bin" --profile strict --check "$f" >/dev/null 2>"$f.vg.$$" ||
    { grep -q '==[0-9]*==' "$f.vg.$$" 2>/dev/null && { echo "valgrind --check: $f"; head -20 "$f.vg.$$"; }; }
  w=$(mktemp -d); cp "$f" "$w/compose.yaml"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$bin" --profile strict -w "$w/compose.yaml" >/dev/null 2>"$w/vg" ||
    { grep -q '==[0-9]*==' "$w/vg" && { echo "valgrind -w: $f"; head -20 "$w/vg"; }; }
  rm -rf "$w" "$f.vg.$$"
}
export -f one
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
i=0
for f in "$@"; do [ -f "$f" ] || continue; i=$((i+1)); cp "$f" "$tmp/f$i.compose.yml"; done
ls "$tmp"/f*.compose.yml | xargs -P "$(nproc)" -n 1 bash -c 'one "$0" "$1"' "$bin" >"$tmp/report"
bad=$(grep -c '^valgrind ' "$tmp/report")
cat "$tmp/report"
echo "valgrind: $i files, $((i * 2)) runs, $bad with errors"
[ "$bad" -eq 0 ]

#!/usr/bin/env bash
# faults.sh BIN SHIM SRCDIR: --write under injected I/O failures. For each
# failing call and errno: exit 4, a clear error naming the file, the original
# byte-identical with its mtime, no temporary file left behind.
set -u
bin=$1 shim=$2 src=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
in=$src/golden/baseline/block-basic/input.yml
pass=0 fail=0
t() { if "${@:2}"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }
for call in mkstemp write fchmod fsync rename; do
  for e in ENOSPC EIO EACCES; do
    d=$tmp/$call-$e; mkdir "$d"; cp "$in" "$d/compose.yaml"
    touch -d '2001-01-01 00:00:00' "$d/compose.yaml"
    before=$(stat -c %Y "$d/compose.yaml")
    HC_FAIL=$call HC_ERRNO=$e LD_PRELOAD=$shim "$bin" -w "$d/compose.yaml" >"$tmp/out" 2>"$tmp/err"
    c=$?
    t "$call/$e exit 4 (got $c)" [ $c -eq 4 ]
    t "$call/$e original intact" cmp -s "$d/compose.yaml" "$in"
    t "$call/$e mtime kept" [ "$(stat -c %Y "$d/compose.yaml")" = "$before" ]
    t "$call/$e no temporary file" [ "$(ls -A "$d" | wc -l)" -eq 1 ]
    t "$call/$e error names the file" grep -q "^$d/compose.yaml: error: cannot " "$tmp/err"
    t "$call/$e stdout empty" [ ! -s "$tmp/out" ]
  done
done
# and without a fault the same run succeeds (the shim itself is harmless)
cp "$in" "$tmp/ok.yaml"
LD_PRELOAD=$shim "$bin" -w "$tmp/ok.yaml"; c=$?
t "no fault: exit 0" [ $c -eq 0 ]
t "no fault: rewritten" cmp -s "$tmp/ok.yaml" "$src/golden/baseline/block-basic/expected.yml"
echo "faults: $pass passed, $fail failed"
[ $fail -eq 0 ]

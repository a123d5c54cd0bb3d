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
# the input cannot be opened: exit 4, nothing written
for e in EACCES EIO; do
  d=$tmp/open-$e; mkdir "$d"; cp "$in" "$d/compose.yaml"
  HC_FAIL=open HC_ERRNO=$e LD_PRELOAD=$shim "$bin" -w "$d/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
  t "open/$e exit 4 (got $c)" [ $c -eq 4 ]
  t "open/$e original intact" cmp -s "$d/compose.yaml" "$in"
  t "open/$e error names the file" grep -q "^$d/compose.yaml: error: cannot open" "$tmp/err"
done
# secrets under --write: a failing secret file or folder leaves the compose
# file, and everything else, as it was
sec=$src/golden/secrets/map-form-postgres/input.yml
for call in mkstemp write fchmod fsync link mkdir; do
  for e in ENOSPC EACCES; do
    d=$tmp/sec-$call-$e; mkdir "$d"; cp "$sec" "$d/compose.yaml"
    HC_FAIL=$call HC_ERRNO=$e LD_PRELOAD=$shim "$bin" -p none -e secrets -w "$d/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
    t "secrets $call/$e exit 4 (got $c)" [ $c -eq 4 ]
    t "secrets $call/$e compose file intact" cmp -s "$d/compose.yaml" "$sec"
    t "secrets $call/$e no secret file, no temporary file" bash -c "[ -z \"\$(find '$d' -type f ! -name compose.yaml)\" ]"
    t "secrets $call/$e the value is not in the error" bash -c "! grep -q Tr0ub4dor '$tmp/err'"
  done
done
# a read-only folder, and a file without write permission, as a user root is not
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  d=$tmp/perm; mkdir -p "$d/ro" "$d/rw"; chmod 755 "$tmp" "$d"
  cp "$in" "$d/ro/compose.yaml"; chmod 666 "$d/ro/compose.yaml"; chmod 555 "$d/ro"
  as_nobody "$bin" -w "$d/ro/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
  t "read-only folder: exit 4 (got $c)" [ $c -eq 4 ]
  t "read-only folder: file intact" cmp -s "$d/ro/compose.yaml" "$in"
  t "read-only folder: clear error" grep -q "^$d/ro/compose.yaml: error: cannot " "$tmp/err"
  cp "$in" "$d/rw/compose.yaml"; chmod 444 "$d/rw/compose.yaml"; chmod 777 "$d/rw"
  as_nobody "$bin" -w "$d/rw/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
  t "file without write permission: exit 4 (got $c)" [ $c -eq 4 ]
  t "file without write permission: intact" cmp -s "$d/rw/compose.yaml" "$in"
  t "file without write permission: clear error" grep -q "^$d/rw/compose.yaml: error: .*not writable" "$tmp/err"
  t "file without write permission: no temporary file" [ "$(ls -A "$d/rw" | wc -l)" -eq 1 ]
  chmod 755 "$d/ro"
else
  echo "faults: not root or no setpriv: permission cases left to the non-root run in cli.sh"
fi
# and without a fault the same run succeeds (the shim itself is harmless)
cp "$in" "$tmp/ok.yaml"
LD_PRELOAD=$shim "$bin" -w "$tmp/ok.yaml"; c=$?
t "no fault: exit 0" [ $c -eq 0 ]
t "no fault: rewritten" cmp -s "$tmp/ok.yaml" "$src/golden/baseline/block-basic/expected.yml"
echo "faults: $pass passed, $fail failed"
[ $fail -eq 0 ]

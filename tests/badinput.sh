#!/usr/bin/env bash
# badinput.sh BIN: hostile inputs too big to commit, generated here. Each
# must finish within its time limit and a 1 GiB address-space limit (no
# stack overflow, no runaway memory), with the documented result.
set -u
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# run NAME WANT_EXIT SECONDS FILE: one case, stdin from FILE
run() {
  local name=$1 want=$2 secs=$3 file=$4
  local s=$(date +%s%N)
  (ulimit -v 1048576; timeout "$secs" "$bin" --profile strict <"$file" >"$tmp/out" 2>"$tmp/err"); local c=$?
  local ms=$(( ($(date +%s%N) - s) / 1000000 ))
  if [ $c -ne "$want" ]; then echo "FAIL $name: exit $c, want $want ($ms ms): $(head -c 200 "$tmp/err")"; fail=$((fail+1)); return; fi
  if [ "$want" -ne 0 ] && { [ -s "$tmp/out" ] || ! grep -qE '^<stdin>:[0-9]+:[0-9]+: error: ' "$tmp/err"; }; then
    echo "FAIL $name: output on error, or no error line"; fail=$((fail+1)); return; fi
  echo "ok $name: exit $c in $ms ms $(head -c 120 "$tmp/err")"; pass=$((pass+1))
}
# billion laughs: 9 levels of 9 aliases (387 million nodes if expanded)
{ echo 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a; for l in b c d e f g h i; do
    printf 'x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $l $l $prev $prev $prev $prev $prev $prev $prev $prev $prev; prev=$l; done
  echo 'services:'; echo '  web:'; echo '    image: nginx:1.27'; echo '    x-bomb: *i'; } >"$tmp/laughs.yml"
run billion-laughs 0 10 "$tmp/laughs.yml"
# the same bomb merged into a service: merges resolved without expanding it
{ echo 'x-a: &a {a0: [lol,lol,lol,lol,lol,lol,lol,lol,lol]}'
  prev=a; for l in b c d e f g h i; do
    printf 'x-%s: &%s {%s: [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]}\n' $l $l ${l}0 $prev $prev $prev $prev $prev $prev $prev $prev $prev; prev=$l; done
  echo 'services:'; echo '  web:'; echo '    <<: *i'; echo '    image: nginx:1.27'; } >"$tmp/laughs-merge.yml"
run billion-laughs-merged 0 10 "$tmp/laughs-merge.yml"
# 10,000-deep nesting, block and flow: refused, no stack overflow
{ echo 'services:'; echo '  web:'; echo '    image: x'; echo -n '    x-deep:';
  for i in $(seq 1 10000); do printf '\n%*sk:' $((i + 4)) ''; done; echo ' 1'; } >"$tmp/deep-block.yml"
run deep-block-10000 3 10 "$tmp/deep-block.yml"
{ printf 'services:\n  web:\n    image: x\n    x-deep: '; head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; echo; } >"$tmp/deep-flow.yml"
run deep-flow-10000 3 10 "$tmp/deep-flow.yml"
# a 50 MB scalar: accepted, processed, output identical where untouched
{ printf 'services:\n  web:\n    image: nginx:1.27\n    x-blob: "'; head -c 52428800 /dev/zero | tr '\0' 'a'; printf '"\n'; } >"$tmp/big.yml"
run scalar-50MB 0 60 "$tmp/big.yml"
cmp -s <(grep '^    x-blob: ' "$tmp/big.yml") <(grep '^    x-blob: ' "$tmp/out") && { echo "ok scalar-50MB: the scalar's line kept byte for byte"; pass=$((pass+1)); } || { echo "FAIL scalar-50MB: the scalar changed"; fail=$((fail+1)); }
# a 1 MB key, and 10,000 services (strict: every transform, linear time)
{ printf 'services:\n  '; head -c 1048576 /dev/zero | tr '\0' 'k'; printf ':\n    image: nginx:1.27\n'; } >"$tmp/longkey.yml"
run key-1MB 0 30 "$tmp/longkey.yml"
{ echo 'services:'; for i in $(seq 1 10000); do printf '  s%d:\n    image: nginx:1.27\n' $i; done; } >"$tmp/many.yml"
run services-10000 0 60 "$tmp/many.yml"
# 100,000 duplicate-free keys then a duplicate: found (hashed), fast
{ echo 'services:'; echo '  web:'; echo '    image: x'; echo '    environment:';
  for i in $(seq 1 100000); do printf '      K%d: v\n' $i; done; echo '      K5: again'; } >"$tmp/dup.yml"
run duplicate-after-100000-keys 3 30 "$tmp/dup.yml"
echo "badinput: $pass passed, $fail failed"
[ $fail -eq 0 ]

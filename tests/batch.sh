#!/usr/bin/env bash
# batch.sh BIN SRCDIR: edit batching (several transforms, one re-parse) is an
# optimisation only: with HARDCOMPOSE_NO_BATCH set (one re-parse per
# transform) every output, --check report and --write result is the same.
set -u
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in "$src"/golden/*/*/input.yml "$src"/../shared/corpus/files/*; do
  [ -f "$f" ] || continue
  for p in baseline production strict; do
    n=$((n+1))
    "$bin" -p $p <"$f" >"$tmp/a" 2>&1; a=$?
    HARDCOMPOSE_NO_BATCH=1 "$bin" -p $p <"$f" >"$tmp/b" 2>&1; b=$?
    if [ $a -ne $b ] || ! cmp -s "$tmp/a" "$tmp/b"; then bad=$((bad+1)); echo "DIFF $p: $f"; fi
  done
  n=$((n+1))
  "$bin" --check <"$f" >"$tmp/a" 2>&1
  HARDCOMPOSE_NO_BATCH=1 "$bin" --check <"$f" >"$tmp/b" 2>&1
  cmp -s "$tmp/a" "$tmp/b" || { bad=$((bad+1)); echo "DIFF --check: $f"; }
done
for f in "$src"/golden/secrets/*/input.yml; do
  n=$((n+1)); rm -rf "$tmp/w1" "$tmp/w2"; mkdir "$tmp/w1" "$tmp/w2"
  cp "$f" "$tmp/w1/compose.yaml"; cp "$f" "$tmp/w2/compose.yaml"
  (cd "$tmp/w1" && "$bin" -p strict -w compose.yaml) >/dev/null 2>&1
  (cd "$tmp/w2" && HARDCOMPOSE_NO_BATCH=1 "$bin" -p strict -w compose.yaml) >/dev/null 2>&1
  diff -r "$tmp/w1" "$tmp/w2" >/dev/null || { bad=$((bad+1)); echo "DIFF -w: $f"; }
done
echo "batch: $n runs, $bad differ"
[ $bad -eq 0 ]

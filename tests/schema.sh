#!/usr/bin/env bash
# schema.sh BIN SRCDIR NODE_MODULES: an independent oracle. Every output whose
# input is valid against ../shared/compose-spec.json must be valid too (ajv
# and js-yaml from npm, in tests/schema.js). Covers the golden expected.yml
# files and the baseline, production and strict outputs of every corpus file.
# Exits 77 (skip) when node, the npm packages or ../shared are absent (the
# npm packages missing is a failure under HC_ORACLES_REQUIRED=1; ../shared
# missing is always a skip).
set -u
bin=$1 src=$2 mods=${3:-}
spec=$src/../shared/compose-spec.json
command -v node >/dev/null || { echo "schema: node not installed: skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
[ -d "$mods/ajv" ] && [ -d "$mods/js-yaml" ] || { echo "schema: npm packages not in '$mods': skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
[ -f "$spec" ] || { echo "schema: $spec absent (../shared is not beside the checkout): skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in" "$tmp/out"
i=0
for g in "$src"/golden/*/*/; do
  [ -f "$g/input.yml" ] || continue # golden/overlay/: its own runner (overlay.sh)
  [ -f "$g/exit" ] && continue
  [ -f "$g/report" ] && continue
  i=$((i+1)); n=$(printf 'g%04d' $i)
  cp "$g/input.yml" "$tmp/in/$n"; cp "$g/expected.yml" "$tmp/out/$n"
  echo "$n ${g#$src/}" >>"$tmp/names"
done
for p in baseline production strict; do
  for f in "$src"/../shared/corpus/files/*; do
    [ -f "$f" ] || continue
    i=$((i+1)); n=$(printf 'c%04d' $i)
    cp "$f" "$tmp/in/$n"
    "$bin" --profile $p <"$f" >"$tmp/out/$n" 2>/dev/null || rm -f "$tmp/out/$n"
    echo "$n corpus/${f##*/}($p)" >>"$tmp/names"
  done
done
NODE_PATH=$mods node "$src/tests/schema.js" "$spec" "$tmp/in" "$tmp/out" >"$tmp/res" || { echo "schema: validator failed"; exit 1; }
total=$(grep -c 'in=valid' "$tmp/res")
bad=0
while read -r n _ out; do
  [ "$out" = out=valid ] && continue
  bad=$((bad+1)); echo "FAIL: valid input, output $out: $(grep "^$n " "$tmp/names" | cut -d' ' -f2)"
done < <(grep 'in=valid' "$tmp/res")
echo "schema: $total valid inputs ($(grep -c '^g.*in=valid' "$tmp/res") golden, $(grep -c '^c.*in=valid' "$tmp/res") corpus), $((total - bad)) passed, $bad failed"
[ "$total" -gt 0 ] && [ "$bad" -eq 0 ]

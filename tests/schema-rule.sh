#!/usr/bin/env bash
# schema-rule.sh BIN SRCDIR NODE_MODULES: the `schema` rule agrees with ajv
# (tests/schema-rule.js) on every golden input and expected output and, when
# ../shared is there, every corpus file; fails on any disagreement. Uses the
# repo's own copy of the schema (schema/compose-spec.json). Exits 77 (skip)
# when node or the npm packages are absent, unless HC_SCHEMA_REQUIRED=1.
set -u
bin=$1 src=$2 mods=${3:-}
spec=$src/schema/compose-spec.json
skip() { echo "schema-rule: $1: skipped"; [ "${HC_SCHEMA_REQUIRED:-0}${HC_ORACLES_REQUIRED:-0}" != 00 ] && exit 1; exit 77; }
command -v node >/dev/null || skip "node not installed"
[ -d "$mods/ajv" ] && [ -d "$mods/ajv-formats" ] && [ -d "$mods/js-yaml" ] || skip "npm packages not in '$mods'"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in "$src"/golden/*/*/input.yml "$src"/golden/*/*/expected.yml; do
  [ -f "$f" ] && printf '%s\t%s\n' "${f#$src/}" "$f"
done | sort -u >"$tmp/list"
if [ -d "$src/../shared/corpus/files" ]; then
  for f in "$src"/../shared/corpus/files/*; do
    [ -f "$f" ] && printf 'corpus/%s\t%s\n' "${f##*/}" "$f"
  done >>"$tmp/list"
else
  echo "schema-rule: ../shared/corpus absent: golden files only"
fi
NODE_PATH=$mods node "$src/tests/schema-rule.js" "$spec" "$bin" "$tmp/list"

#!/usr/bin/env bash
# sarif.sh BIN SRCDIR NODE_MODULES: the SARIF report over every golden input
# and the corpus is valid SARIF 2.1.0 by Microsoft's SARIF Multitool
# (npm @microsoft/sarif-multitool, installed by .ci/run): its validation log
# lists no error. Exits 77 (skip) without the multitool.
set -u
bin=$1 src=$2 mods=${3:-}
mt=$mods/.bin/sarif-multitool
[ -x "$mt" ] || { echo "sarif: $mt not installed: skipped"; exit 77; }
command -v node >/dev/null || { echo "sarif: node needed to read the log: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir "$tmp/g"
i=0
for f in "$src"/golden/*/*/input.yml; do
  i=$((i+1)); mkdir -p "$tmp/g/c$i"; cp "$f" "$tmp/g/c$i/compose.yaml"
done
[ -d "$src/../shared/corpus/files" ] && { mkdir "$tmp/g/corpus"; for f in "$src"/../shared/corpus/files/*; do
  i=$((i+1)); mkdir -p "$tmp/g/corpus/c$i"; cp "$f" "$tmp/g/corpus/c$i/docker-compose.yml"; done; }
(cd "$tmp/g" && "$bin" --profile strict --format sarif .) >"$tmp/report.sarif" 2>/dev/null
c=$?
[ $c -le 3 ] || { echo "FAIL: --format sarif exits $c"; fail=1; }
"$mt" validate "$tmp/report.sarif" -o "$tmp/log.sarif" >"$tmp/mt.out" 2>&1 || { echo "FAIL: multitool: $(tail -3 "$tmp/mt.out")"; fail=1; }
node - "$tmp/log.sarif" "$tmp/report.sarif" <<'JS' || fail=1
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const rep = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const all = log.runs.flatMap((r) => r.results || []);
const errs = all.filter((r) => (r.level || "warning") === "error");
for (const r of errs.slice(0, 10))
  console.log("FAIL: SARIF error", r.ruleId, r.message.id, JSON.stringify(r.message.arguments));
const res = rep.runs[0].results;
const files = new Set(res.map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
console.log(`sarif: ${res.length} results over ${files.size} files; validation: ${errs.length} errors, ${all.length - errs.length} warnings or notes`);
process.exit(errs.length || res.length === 0 ? 1 : 0);
JS
exit $fail

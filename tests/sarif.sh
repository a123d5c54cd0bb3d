#!/usr/bin/env bash
# sarif.sh BIN SRCDIR NODE_MODULES: the SARIF report over every golden input
# and the corpus is valid SARIF 2.1.0 by Microsoft's SARIF Multitool
# (npm @microsoft/sarif-multitool, installed by .ci/run): its validation log
# lists no error. Then every form a path can be given in (relative, ./,
# absolute below and outside the working directory, .., spaces and
# reserved characters): each report has 0 errors, and its URI is the
# expected relative reference (with uriBaseId) or absolute file:// URI.
# Exits 77 (skip) without the multitool.
set -u
bin=$1 src=$2 mods=${3:-}
mt=$mods/.bin/sarif-multitool
[ -x "$mt" ] || { echo "sarif: $mt not installed: skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
command -v node >/dev/null || { echo "sarif: node needed to read the log: skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
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

# path forms: each its own report, each validated, each URI as expected
w=$tmp/w; mkdir -p "$w/proj/sub" "$w/other" "$w/sp ace/a#b"
in=$src/golden/baseline/block-basic/input.yml
cp "$in" "$w/proj/sub/compose.yaml"; cp "$in" "$w/other/c.yml"
cp "$in" "$w/sp ace/a#b/my compose 100%.yaml"; cp "$in" "$w/proj/x y.yml"
forms=(
  "sub/compose.yaml|sub/compose.yaml|rel"
  "./sub/compose.yaml|sub/compose.yaml|rel"
  "$w/proj/sub/compose.yaml|sub/compose.yaml|rel"
  "sub/../sub/./compose.yaml|sub/compose.yaml|rel"
  "x y.yml|x%20y.yml|rel"
  "../other/c.yml|file://$w/other/c.yml|abs"
  "$w/other/c.yml|file://$w/other/c.yml|abs"
  "../sp ace/a#b/my compose 100%.yaml|file://$w/sp%20ace/a%23b/my%20compose%20100%25.yaml|abs"
)
n=0
for f in "${forms[@]}"; do
  IFS='|' read -r arg want kind <<<"$f"
  n=$((n+1))
  (cd "$w/proj" && "$bin" --format sarif "$arg") >"$tmp/p$n.sarif" 2>/dev/null
  rm -f "$tmp/p$n.log"
  "$mt" validate "$tmp/p$n.sarif" -o "$tmp/p$n.log" >/dev/null 2>&1 || { echo "FAIL: multitool on '$arg'"; fail=1; continue; }
  node - "$tmp/p$n.log" "$tmp/p$n.sarif" "$want" "$kind" "$arg" "$w/proj" <<'JS' || fail=1
const fs = require("fs");
const [logf, repf, want, kind, arg, cwd] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(logf, "utf8"));
const rep = JSON.parse(fs.readFileSync(repf, "utf8"));
const errs = log.runs.flatMap((r) => r.results || []).filter((r) => (r.level || "warning") === "error");
const locs = rep.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation);
let bad = errs.length > 0 || locs.length === 0;
for (const l of locs) {
  if (l.uri !== want) bad = true;
  if (kind === "rel" ? l.uriBaseId !== "%SRCROOT%" : "uriBaseId" in l) bad = true;
  // the URI, read back by a URL parser, names the file given
  if (kind === "abs" && decodeURIComponent(new URL(l.uri).pathname) !== require("path").resolve(cwd, arg)) bad = true;
}
console.log(`${bad ? "FAIL" : "ok"}: sarif path '${arg}': ${locs.length} results, uri ${locs[0] && JSON.stringify(locs[0])}, ${errs.length} errors`);
for (const r of errs.slice(0, 3)) console.log("  ", r.ruleId, JSON.stringify(r.message.arguments));
process.exit(bad ? 1 : 0);
JS
done
exit $fail

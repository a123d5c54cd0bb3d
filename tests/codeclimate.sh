#!/usr/bin/env bash
# codeclimate.sh BIN SRCDIR NODE_MODULES: --format codeclimate (GitLab code
# quality) over every golden input and the corpus (../shared/corpus/files,
# left out when absent) is valid against tests/codeclimate.schema.json
# (GitLab's documented fields; ajv), has one fingerprint per finding (no
# two alike), and the same fingerprints on a second run and after lines
# are inserted above the findings; paths are relative to the working
# directory, without ./, whatever form the FILE was given in. Exits 77
# (skip) without node or ajv.
set -u
bin=$1 src=$2 mods=${3:-}
command -v node >/dev/null || { echo "codeclimate: node not installed: skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
[ -d "$mods/ajv" ] || { echo "codeclimate: ajv not in '$mods': skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
export NODE_PATH=$mods
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
mkdir "$tmp/g"
i=0
for f in "$src"/golden/*/*/input.yml; do
  i=$((i+1)); mkdir -p "$tmp/g/c$i"; cp "$f" "$tmp/g/c$i/compose.yaml"
done
corpus=$src/../shared/corpus/files
if [ -d "$corpus" ]; then
  for f in "$corpus"/*; do i=$((i+1)); mkdir -p "$tmp/g/corpus/c$i"; cp "$f" "$tmp/g/corpus/c$i/docker-compose.yml"; done
else
  echo "codeclimate: $corpus absent: golden inputs only"
fi
(cd "$tmp/g" && "$bin" --profile strict --format codeclimate .) >"$tmp/r1.json" 2>/dev/null
c=$?; [ $c -le 3 ] || no "--format codeclimate exits $c"
(cd "$tmp/g" && "$bin" --profile strict --format codeclimate -j 1 .) >"$tmp/r2.json" 2>/dev/null
cmp -s "$tmp/r1.json" "$tmp/r2.json" || no "a second run (-j 1) gives another report"

# lines inserted at the top of every file: lines move, fingerprints stay
for f in $(cd "$tmp/g" && find . -name '*.y*ml'); do
  { printf '# moved\n# down\n'; cat "$tmp/g/$f"; } >"$tmp/x" && mv "$tmp/x" "$tmp/g/$f"
done
(cd "$tmp/g" && "$bin" --profile strict --format codeclimate .) >"$tmp/r3.json" 2>/dev/null

# path forms: FILE given as ./, absolute, with .. inside the tree
mkdir -p "$tmp/p/sub"; cp "$src/golden/baseline/block-basic/input.yml" "$tmp/p/sub/my compose.yaml"
for arg in "sub/my compose.yaml" "./sub/my compose.yaml" "$tmp/p/sub/my compose.yaml" "sub/../sub/my compose.yaml"; do
  (cd "$tmp/p" && "$bin" --format codeclimate "$arg") >"$tmp/pf.json" 2>/dev/null
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
    process.exit(r.length>0 && r.every(x=>x.location.path==="sub/my compose.yaml")?0:1)' "$tmp/pf.json" ||
    no "path form '$arg': $(grep -o '"path": "[^"]*"' "$tmp/pf.json" | head -1)"
done

node - "$src/tests/codeclimate.schema.json" "$tmp/r1.json" "$tmp/r3.json" <<'JS' || fail=1
const fs = require("fs");
const Ajv = require("ajv");
const [schemaFile, r1, r3] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
delete schema.$schema;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const rep = JSON.parse(fs.readFileSync(r1, "utf8"));
const moved = JSON.parse(fs.readFileSync(r3, "utf8"));
let bad = 0;
if (!validate(rep)) {
  bad++;
  for (const e of validate.errors.slice(0, 5)) console.log("FAIL: schema:", e.instancePath, e.message);
}
const fps = new Map();
for (const x of rep) fps.set(x.fingerprint, (fps.get(x.fingerprint) || 0) + 1);
const dups = [...fps].filter(([, n]) => n > 1);
if (dups.length) { bad++; console.log(`FAIL: ${dups.length} fingerprints used more than once, e.g. ${dups[0][0]}`); }
if (rep.length === 0) { bad++; console.log("FAIL: no issues"); }
// files whose findings are the same apart from their lines must keep their
// fingerprints (a comment above a BOM, or above a file-wide ignore, changes
// the findings themselves: those files are not compared)
const byFile = (r) => { const m = new Map(); for (const x of r) { const k = x.location.path; if (!m.has(k)) m.set(k, []); m.get(k).push(x); } return m; };
const fa = byFile(rep), fb = byFile(moved);
let same = 0, kept = 0, changed = 0;
for (const [p, xs] of fa) {
  const ys = fb.get(p) || [];
  const what = (l) => l.map((x) => x.check_name + " " + x.description).sort().join("\n");
  if (what(xs) !== what(ys)) continue;
  same++;
  const fy = new Set(ys.map((y) => y.fingerprint));
  for (const x of xs) fy.has(x.fingerprint) ? kept++ : changed++;
  if (xs.every((x, i) => x.location.lines.begin === ys[i].location.lines.begin)) { bad++; console.log(`FAIL: ${p}: lines did not move`); break; }
}
if (changed || same === 0) { bad++; console.log(`FAIL: ${changed} fingerprints changed when lines moved`); }
const shifted = `${kept} fingerprints kept, ${changed} changed, over ${same} files`;
const files = new Set(rep.map((x) => x.location.path));
console.log(`codeclimate: ${rep.length} issues over ${files.size} files, ${fps.size} distinct fingerprints, ${dups.length} duplicates; after inserting 2 lines: ${shifted}; schema ${validate(rep) ? "valid" : "INVALID"}`);
process.exit(bad ? 1 : 0);
JS
exit $fail

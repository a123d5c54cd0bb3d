#!/usr/bin/env bash
# sarif.sh BIN SRCDIR NODE_MODULES: the SARIF report over every golden input
# and the corpus is valid SARIF 2.1.0 by Microsoft's SARIF Multitool
# (npm @microsoft/sarif-multitool, installed by .ci/run): its validation log
# lists no error. Exits 77 (skip) without the multitool.
set -u
bin=$1 src=$2 mods=${3:-}
mt=$mods/.bin/sarif-multitool
[ -x "$mt" ] || { echo "sarif: $mt not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "sarif: python3 needed to read the log: skipped"; exit 77; }
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
python3 - "$tmp/log.sarif" "$tmp/report.sarif" <<'PY' || fail=1
import json, sys
log = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
errs = [r for run in log["runs"] for r in run.get("results", []) if r.get("level", "warning") == "error"]
for r in errs[:10]:
    print("FAIL: SARIF error", r["ruleId"], r["message"].get("id"), r["message"].get("arguments"))
n = len(rep["runs"][0]["results"])
print(f"sarif: {n} results over {len(set(x['locations'][0]['physicalLocation']['artifactLocation']['uri'] for x in rep['runs'][0]['results']))} files; validation: {len(errs)} errors, {sum(1 for run in log['runs'] for r in run.get('results', [])) - len(errs)} warnings or notes")
sys.exit(1 if errs or n == 0 else 0)
PY
exit $fail

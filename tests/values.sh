#!/usr/bin/env bash
# values.sh BIN VALUES CACHE: for every secret value of VALUES (YAML text,
# one per line), what Docker Compose v2 gives the container is the same
# before and after `hardcompose -w`: through .env (an image that reads no
# file) and through a secret file (postgres). A value that cannot be kept
# must be left in place with a warning. Compose v2 comes from
# tests/engine/compose-v2.sh CACHE; without it the test is skipped (77).
set -u
bin=$1 values=$2 cache=$3
here=$(cd "$(dirname "$0")" && pwd)
cfg=$(bash "$here/engine/compose-v2.sh" "$cache" 2>/dev/null) || { echo "values: no Docker Compose v2: skipped"; exit 77; }
export DOCKER_CONFIG=$cfg
command -v python3 >/dev/null || { echo "values: no python3: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/p"
n=0
{
  echo "services:"
  echo "  app:"
  echo "    image: acme/app"
  echo "    environment:"
  while IFS= read -r v; do
    case $v in '#'* | '') continue ;; esac
    n=$((n + 1))
    case $v in *://*) echo "      V${n}_DSN: $v" ;; *) echo "      V${n}_PASSWORD: $v" ;; esac
  done <"$values"
  i=0
  while IFS= read -r v; do
    case $v in '#'* | '') continue ;; esac
    i=$((i + 1))
    case $v in *://*) continue ;; esac
    printf '  s%d:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: %s\n' "$i" "$v"
  done <"$values"
} >"$tmp/p/compose.yaml"
cp "$tmp/p/compose.yaml" "$tmp/before.yaml"
(cd "$tmp/p" && docker compose config --format json) >"$tmp/before.json" 2>"$tmp/before.err" ||
  { echo "FAIL: Compose does not read the table: $(head -3 "$tmp/before.err")"; exit 1; }
(cd "$tmp/p" && "$bin" --no-config -p none -e secrets -w compose.yaml) >/dev/null 2>"$tmp/w.err"; c=$?
[ $c -eq 0 ] || { echo "FAIL: hardcompose -w exits $c: $(head -3 "$tmp/w.err")"; exit 1; }
(cd "$tmp/p" && "$bin" --no-config -p none -e secrets --check compose.yaml) >"$tmp/left.txt" 2>&1
(cd "$tmp/p" && docker compose config --format json) >"$tmp/after.json" 2>"$tmp/after.err" ||
  { echo "FAIL: Compose does not read the result: $(head -3 "$tmp/after.err")"; exit 1; }
python3 - "$tmp" "$n" <<'PY'
import json, os, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
b = json.load(open(f"{tmp}/before.json"))["services"]
a = json.load(open(f"{tmp}/after.json"))["services"]
left = open(f"{tmp}/left.txt").read()
compose = open(f"{tmp}/p/compose.yaml").read()
fails = moved = kept = 0
def run(v):  # Compose's config output writes a literal $ as $$
    return None if v is None else v.replace("$$", "$")
for k, v in b["app"]["environment"].items():
    w = a["app"]["environment"].get(k)
    if w != v:
        fails += 1; print(f"FAIL: {k} (.env): Compose gives {w!r} after, {v!r} before")
    elif re.search(rf"^      {k}: .*\$\{{", compose, re.M):
        moved += 1
    else:
        kept += 1
        if not re.search(rf"\b{k}\b", left):
            fails += 1; print(f"FAIL: {k} left in place without a warning")
for s, svc in b.items():
    if s == "app":
        continue
    v = run(svc["environment"]["POSTGRES_PASSWORD"])
    env = a[s]["environment"]
    if "POSTGRES_PASSWORD_FILE" in env:
        name = env["POSTGRES_PASSWORD_FILE"].rsplit("/", 1)[1]
        with open(f"{tmp}/p/secrets/{name}", "rb") as f:
            got = f.read().decode()
        if got != v:
            fails += 1; print(f"FAIL: {s} (file): the file holds {got!r}, Compose gave {v!r} before")
        else:
            moved += 1
    elif run(env.get("POSTGRES_PASSWORD")) != v:
        fails += 1; print(f"FAIL: {s}: Compose gives {env.get('POSTGRES_PASSWORD')!r} after, {v!r} before")
    else:
        kept += 1
        if not re.search(rf'service "{s}": POSTGRES_PASSWORD', left):
            fails += 1; print(f"FAIL: {s} left in place without a warning")
print(f"values: {n} values, {moved} moves and {kept} left with a warning checked against Docker Compose v2; {fails} failed")
sys.exit(1 if fails else 0)
PY

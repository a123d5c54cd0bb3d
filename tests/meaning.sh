#!/usr/bin/env bash
# meaning.sh BIN SRCDIR NODE_MODULES: tests/meaning.js (npm `yaml`) over every
# golden pair, every --write golden result, and the baseline, production and
# strict outputs of the corpus. Exits 77 (skip) without node or the package.
set -u
bin=$1 src=$2 mods=${3:-}
command -v node >/dev/null || { echo "meaning: node not installed: skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
[ -d "$mods/yaml" ] || { echo "meaning: npm yaml not in '$mods': skipped"; [ "${HC_ORACLES_REQUIRED:-0}" = 1 ] && exit 1; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: >"$tmp/list"
for g in "$src"/golden/*/*/; do
  [ -f "$g/input.yml" ] || continue # golden/overlay/: its own runner (overlay.sh)
  [ -f "$g/exit" ] || [ -f "$g/report" ] && continue
  echo "$g/input.yml $g/expected.yml ${g#$src/}" >>"$tmp/list"
done
i=0
if [ -d "$src/../shared/corpus/files" ]; then
  for p in baseline production strict; do
    for f in "$src"/../shared/corpus/files/*; do
      i=$((i+1)); "$bin" --profile $p <"$f" >"$tmp/o$i" 2>/dev/null || continue
      echo "$f $tmp/o$i corpus/${f##*/}($p)" >>"$tmp/list"
    done
  done
  # --write with secrets: each file alone in a folder
  for f in "$src"/../shared/corpus/files/*; do
    i=$((i+1)); mkdir "$tmp/w$i"; cp "$f" "$tmp/w$i/compose.yaml"
    (cd "$tmp/w$i" && "$bin" --profile strict -w compose.yaml) >/dev/null 2>&1 || continue
    echo "$f $tmp/w$i/compose.yaml corpus/${f##*/}(strict -w)" >>"$tmp/list"
  done
fi
# the oracle itself must see a changed image, a lost port and a new key
printf 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n' >"$tmp/a.yml"
printf 'services:\n  web:\n    image: nginx:1.28\n    ports: ["80:80"]\n' >"$tmp/b1.yml"
printf 'services:\n  web:\n    image: nginx:1.27\n    ports: []\n' >"$tmp/b2.yml"
printf 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    command: sh\n' >"$tmp/b3.yml"
for b in b1 b2 b3; do
  echo "$tmp/a.yml $tmp/$b.yml self-test" >"$tmp/self"
  if NODE_PATH=$mods node "$src/tests/meaning.js" "$tmp/self" >/dev/null; then
    echo "FAIL: the oracle accepts a changed file ($b)"; exit 1
  fi
done
NODE_PATH=$mods node "$src/tests/meaning.js" "$tmp/list"

#!/usr/bin/env bash
# run.sh [BIN]: whole-process timings of hardcompose next to `fy-tool --dump`
# (libfyaml-utils: a bare parse + emit, the floor) on the same files in the
# same run, printed as medians and ratios. Not a test: numbers, no verdicts.
# Uses hyperfine (Debian package) without a shell (-N); needs fy-tool.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/hardcompose}")
for t in fy-tool hyperfine; do
  command -v $t >/dev/null || { echo "bench: needs $t (apt-get install libfyaml-utils hyperfine)"; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$here/gen.sh" 1 | head -50 >"$tmp/small50.yml"
bash "$here/gen.sh" 2000 >"$tmp/big.yml"

# median seconds of a command, from hyperfine's JSON export
median() {
  local runs=$1; shift
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmp/h.json" "$*" >/dev/null 2>&1
  sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' "$tmp/h.json" | head -1
}

printf '%-24s %14s %14s %8s\n' "file" "hardcompose" "fy-tool --dump" "ratio"
for f in small50 big; do
  file=$tmp/$f.yml
  runs=$([ $f = big ] && echo 10 || echo 300)
  h=$(median "$runs" "$bin" "$file")
  y=$(median "$runs" fy-tool --dump "$file")
  awk -v f="$f ($(wc -l <"$file") lines)" -v h="$h" -v y="$y" \
    'BEGIN { printf "%-24s %11.3f ms %11.3f ms %7.2fx\n", f, h * 1000, y * 1000, h / y }'
done
# the other profiles re-parse once per transform that changed something
for p in production strict; do
  h=$(median 5 "$bin" --profile $p "$tmp/big.yml")
  y=$(median 5 fy-tool --dump "$tmp/big.yml")
  awk -v f="big, --profile $p" -v h="$h" -v y="$y" \
    'BEGIN { printf "%-24s %11.3f ms %11.3f ms %7.2fx\n", f, h * 1000, y * 1000, h / y }'
done
if [ -x /usr/bin/time ]; then
  for c in "$bin" "fy-tool --dump"; do
    /usr/bin/time -f '%M' $c "$tmp/big.yml" >/dev/null 2>"$tmp/rss"
    printf 'peak RSS on big, %-16s %8s KB\n' "${c##*/}:" "$(tail -1 "$tmp/rss")"
  done
fi

#!/usr/bin/env bash
# run.sh [BIN]: whole-process timings of hardcompose next to `fy-tool --dump`
# (libfyaml-utils: a bare parse + emit, the floor) on the same files in the
# same run, printed as medians and ratios. Not a test: numbers, no verdicts.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/hardcompose}
command -v fy-tool >/dev/null || { echo "bench: needs fy-tool (apt-get install libfyaml-utils)"; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$here/gen.sh" 1 | head -50 >"$tmp/small50.yml"
bash "$here/gen.sh" 2000 >"$tmp/big.yml"

# median wall time in ms of RUNS runs of a command (stdin from $3)
median_ms() {
  local runs=$1 file=$2; shift 2
  local ts=()
  for ((i = 0; i < runs; i++)); do
    local s e
    s=$(date +%s%N); "$@" <"$file" >/dev/null 2>&1; e=$(date +%s%N)
    ts+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1000}'
}
rss_kb() { /usr/bin/time -f %M "$@" <"$file" >/dev/null 2>"$tmp/rss"; tail -1 "$tmp/rss"; }

printf '%-34s %10s %10s %8s\n' "file" "hardcompose" "fy-tool" "ratio"
for f in small50 big; do
  file=$tmp/$f.yml
  runs=$([ $f = big ] && echo 7 || echo 101)
  lines=$(wc -l <"$file")
  h=$(median_ms "$runs" "$file" "$bin")
  y=$(median_ms "$runs" "$file" fy-tool --dump)
  printf '%-34s %8s ms %8s ms %7.2fx\n' "$f ($lines lines)" "$h" "$y" "$(echo "$h $y" | awk '{print $1/$2}')"
done
if [ -x /usr/bin/time ]; then
  file=$tmp/big.yml
  printf 'peak RSS on big: hardcompose %s KB, fy-tool %s KB\n' "$(rss_kb "$bin")" "$(rss_kb fy-tool --dump)"
fi

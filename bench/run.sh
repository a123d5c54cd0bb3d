#!/usr/bin/env bash
# run.sh [BIN]: whole-process timings of hardcompose next to its peers on the
# same files, in one run, as medians and ratios (hyperfine), plus peak
# memory. Peers: `fy-tool --dump` (libfyaml-utils: a bare parse and emit, the
# floor), `prettier --check` and `dclint` (npm, installed into bench/.npm on
# first use). Not a test: numbers, and whether each target of docs/
# performance.md is met.
#   files: a 50-line file; the shared corpus (../shared/corpus, 179 files,
#   one process each for fy-tool, one folder run for the others); generated
#   files of 500 and 2,000 services; 1,000 files with -j 1 and -j 2;
#   issue 17: a 150-line file under every profile (against fy-tool and
#   prettier), 2,000 services under every profile, peak memory under
#   strict, and the time per service at 200, 2,000 and 20,000 services.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/hardcompose}")
for t in fy-tool hyperfine npm; do
  command -v $t >/dev/null || { echo "bench: needs $t (apt-get install libfyaml-utils hyperfine npm)"; exit 2; }
done
npmdir=$here/.npm
if [ ! -x "$npmdir/node_modules/.bin/prettier" ] || [ ! -x "$npmdir/node_modules/.bin/dclint" ]; then
  npm install --silent --no-audit --no-fund --prefix "$npmdir" prettier@3 dclint@3 >/dev/null 2>&1 ||
    { echo "bench: npm install of prettier and dclint failed"; exit 2; }
fi
prettier=$npmdir/node_modules/.bin/prettier dclint=$npmdir/node_modules/.bin/dclint
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "hardcompose $("$bin" --version | cut -d' ' -f2), fy-tool $(fy-tool --version 2>&1 | head -1 | grep -oE '[0-9.]+' | head -1), prettier $("$prettier" --version), dclint $("$dclint" --version), $(nproc) CPUs"

bash "$here/gen.sh" 1 | head -50 >"$tmp/small50.yml"
mkdir "$tmp/s500" "$tmp/s2000"
bash "$here/gen.sh" 500 >"$tmp/s500/compose.yaml"
bash "$here/gen.sh" 2000 >"$tmp/s2000/compose.yaml"

# median seconds of a command line (run by bash when it has a loop)
median() {
  local runs=$1 shell=$2; shift 2
  local opt=(-N); [ "$shell" = sh ] && opt=(--shell bash)
  hyperfine "${opt[@]}" --style none --warmup 1 --runs "$runs" --ignore-failure \
    --export-json "$tmp/h.json" "$*" >/dev/null 2>&1
  sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' "$tmp/h.json" | head -1
}
row() { # row LABEL HC FY PRETTIER DCLINT
  awk -v l="$1" -v h="$2" -v y="$3" -v p="$4" -v d="$5" 'BEGIN {
    printf "%-26s %10.2f ms %10.2f ms %10.1f ms %10.1f ms %7.2fx %7.0fx %7.0fx\n", l, h*1000, y*1000, p*1000, d*1000, h/y, p/h, d/h }'
}
printf '%-26s %13s %13s %13s %13s %8s %8s %8s\n' "input" "hardcompose" "fy-tool" "prettier" "dclint" "hc/fy" "pr/hc" "dc/hc"

f=$tmp/small50.yml
h=$(median 300 n "$bin" "$f"); y=$(median 300 n fy-tool --dump "$f")
p=$(median 10 n "$prettier" --check "$f"); d=$(median 10 n "$dclint" "$f")
row "50 lines" "$h" "$y" "$p" "$d"; small_h=$h small_p=$p

# the corpus: one folder run (hardcompose, prettier, dclint), fy-tool per file
if [ -d "$here/../../shared/corpus/files" ]; then
  c=$tmp/corpus; mkdir "$c"; i=0
  for x in "$here"/../../shared/corpus/files/*; do i=$((i+1)); mkdir "$c/$i"; cp "$x" "$c/$i/compose.yaml"; done
  h=$(median 5 n "$bin" --check --no-config -j 1 "$c")
  y=$(median 5 sh "for x in $c/*/compose.yaml; do fy-tool --dump \$x >/dev/null; done")
  p=$(median 3 n "$prettier" --check "$c"); d=$(median 3 n "$dclint" -r "$c")
  row "corpus ($i files), -j 1" "$h" "$y" "$p" "$d"
fi

for n in 500 2000; do
  f=$tmp/s$n/compose.yaml
  h=$(median 5 n "$bin" "$f"); y=$(median 5 n fy-tool --dump "$f")
  p=$(median 3 n "$prettier" --check "$f"); d=$(median 3 n "$dclint" "$f")
  row "$n services ($(wc -l <"$f") lines)" "$h" "$y" "$p" "$d"
  [ $n = 2000 ] && big_h=$h big_y=$y
done
for pr in production strict; do
  h=$(median 3 n "$bin" --profile $pr "$tmp/s2000/compose.yaml")
  awk -v l="2000 services, $pr" -v h="$h" -v y="$big_y" 'BEGIN { printf "%-26s %10.2f ms %10.2f ms %38s %7.2fx\n", l, h*1000, y*1000, "", h/y }'
  eval "big_$pr=$h"
done

# issue 17: every profile on a 150-line file (format-on-save) and on
# 2,000 services, against fy-tool and prettier in the same run
bash "$here/gen.sh" 3 | head -150 >"$tmp/small150.yml"
f=$tmp/small150.yml
y150=$(median 300 n fy-tool --dump "$f"); p150=$(median 10 n "$prettier" --check "$f")
echo "150-line file (fy-tool --dump $(awk -v y="$y150" 'BEGIN{printf "%.2f", y*1000}') ms, prettier --check $(awk -v p="$p150" 'BEGIN{printf "%.1f", p*1000}') ms):"
for pr in none baseline production strict; do
  h=$(median 300 n "$bin" --profile $pr "$f")
  awk -v l="$pr" -v h="$h" -v y="$y150" -v p="$p150" 'BEGIN { printf "  %-12s %7.2f ms  %5.2fx fy-tool  %4.0fx faster than prettier\n", l, h*1000, h/y, p/h }'
  eval "s150_$pr=$h"
done
big_baseline=$big_h

# growth: CPU time (user + system, every thread) per service at 200, 2,000
# and 20,000 services: what the work costs, whatever the second thread of
# a split parse (docs/architecture.md) gains in wall time. This machine's
# speed drifts by 20% over minutes, so the sizes are interleaved: 5 rounds,
# each running every size once (200 services: the median of 5 runs); each
# size's median over the rounds counts. Bash's `times` gives children's CPU
# time to the millisecond.
bash "$here/gen.sh" 200 >"$tmp/g200.yml"; bash "$here/gen.sh" 20000 >"$tmp/g20000.yml"
csecs() { # children's CPU seconds so far, into FILE
  times >"$tmp/tm"
  tail -1 "$tmp/tm" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } printf "%.3f\n", s }' >"$1"
}
once() { # once FILE ARGS...: CPU seconds of one run
  local f=$1; shift
  csecs "$tmp/ca"; "$bin" "$@" "$f" >/dev/null 2>&1; csecs "$tmp/cb"
  awk -v a="$(cat "$tmp/ca")" -v b="$(cat "$tmp/cb")" 'BEGIN { printf "%.6f\n", b - a }'
}
med() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "CPU time per service (us; medians of 5 interleaved rounds):"
for pr in baseline strict; do
  : >"$tmp/t200"; : >"$tmp/t2000"; : >"$tmp/t20000"
  for r in 1 2 3 4 5; do
    : >"$tmp/k"
    for k in 1 2 3 4 5; do once "$tmp/g200.yml" --profile $pr >>"$tmp/k"; done
    med <"$tmp/k" >>"$tmp/t200"
    once "$tmp/s2000/compose.yaml" --profile $pr >>"$tmp/t2000"
    once "$tmp/g20000.yml" --profile $pr >>"$tmp/t20000"
  done
  a=$(med <"$tmp/t200"); b=$(med <"$tmp/t2000"); c=$(med <"$tmp/t20000")
  line=$(awk -v l="$pr" -v a="$a" -v b="$b" -v c="$c" 'BEGIN { a = a / 200 * 1e6; b = b / 2000 * 1e6; c = c / 20000 * 1e6
    lo = a; hi = a; if (b < lo) lo = b; if (c < lo) lo = c; if (b > hi) hi = b; if (c > hi) hi = c
    printf "  %-10s 200: %5.0f  2,000: %5.0f  20,000: %5.0f  spread %.0f%%\n", l, a, b, c, (hi / lo - 1) * 100 }')
  echo "$line"; eval "spread_$pr=$(echo "$line" | sed 's/.*spread \([0-9]*\)%/\1/')"
done

# peak memory on 2,000 services
rss() { /usr/bin/time -f '%M' "$@" >/dev/null 2>"$tmp/rss"; tail -1 "$tmp/rss"; }
if [ -x /usr/bin/time ]; then
  mh=$(rss "$bin" "$tmp/s2000/compose.yaml"); my=$(rss fy-tool --dump "$tmp/s2000/compose.yaml")
  mhs=$(rss "$bin" --profile strict "$tmp/s2000/compose.yaml")
  echo "peak RSS, 2000 services, strict: hardcompose $mhs KB ($(awk -v a="$mhs" -v b="$my" 'BEGIN{printf "%.2f", a/b}')x fy-tool)"
  echo "peak RSS, 2000 services: hardcompose $mh KB, fy-tool $my KB ($(awk -v a="$mh" -v b="$my" 'BEGIN{printf "%.2f", a/b}')x)"
fi

# 1,000 files: -j 1 against -j 2
m=$tmp/thousand; mkdir "$m"
for i in $(seq 1 1000); do mkdir "$m/$i"; cp "$tmp/small50.yml" "$m/$i/compose.yaml"; done
j1=$(median 3 n "$bin" --check --no-config -j 1 "$m"); j2=$(median 3 n "$bin" --check --no-config -j 2 "$m")
awk -v a="$j1" -v b="$j2" 'BEGIN { printf "1000 files: -j 1 %.0f ms, -j 2 %.0f ms: %.2fx\n", a*1000, b*1000, a/b }'

# the language server: server time per keystroke (bench/lsp.js), a
# generated 500-line file and the corpus files of 400 to 700 lines
if command -v node >/dev/null; then
  bash "$here/gen.sh" 11 >"$tmp/lsp500.yaml"
  lsp_files=("$tmp/lsp500.yaml")
  if [ -d "$here/../../shared/corpus/files" ]; then
    while read -r n x; do lsp_files+=("$x"); done < <(wc -l "$here"/../../shared/corpus/files/* | awk '$1 >= 400 && $1 <= 700 && $2 != "total"')
  fi
  lsp_worst=0
  for x in "${lsp_files[@]}"; do
    line=$(node "$here/lsp.js" "$bin" "$x" 40)
    echo "language server, $(basename "$x"): $line"
    lsp_worst=$(awk -v w="$lsp_worst" -v l="$line" 'BEGIN { split(l, a, "server time median "); m = a[2] + 0; print (m > w && l ~ /^[0-5][0-9][0-9] lines/) ? m : w }')
  done
fi

echo "targets:"
awk -v h="$small_h" -v p="$small_p" 'BEGIN { printf "  50-line file <= 2 ms: %.2f ms %s; >= 90x faster than prettier: %.0fx %s\n", h*1000, (h<=0.002)?"met":"NOT met", p/h, (p/h>=90)?"met":"NOT met" }'
awk -v h="$big_h" -v y="$big_y" 'BEGIN { printf "  2000 services <= 1.5x fy-tool: %.2fx %s\n", h/y, (h/y<=1.5)?"met":"NOT met" }'
for pr in baseline production strict; do
  eval "h=\$big_$pr"
  awk -v l="$pr" -v h="$h" -v y="$big_y" 'BEGIN { printf "  2000 services, %s <= 1.5x fy-tool: %.2fx %s\n", l, h/y, (h/y<=1.5)?"met":"NOT met" }'
done
[ -n "${mhs:-}" ] && awk -v a="$mhs" -v b="$my" 'BEGIN { printf "  2000 services, strict <= 1.5x fy-tool peak memory: %.2fx %s\n", a/b, (a/b<=1.5)?"met":"NOT met" }'
awk -v h="$s150_baseline" -v p="$p150" 'BEGIN { printf "  150-line file, default profile < 2 ms: %.2f ms %s; >= 90x faster than prettier: %.0fx %s\n", h*1000, (h<0.002)?"met":"NOT met", p/h, (p/h>=90)?"met":"NOT met" }'
awk -v h="$s150_strict" -v p="$p150" 'BEGIN { printf "  150-line file, strict < 3 ms: %.2f ms %s; >= 90x faster than prettier: %.0fx %s\n", h*1000, (h<0.003)?"met":"NOT met", p/h, (p/h>=90)?"met":"NOT met" }'
for pr in baseline strict; do
  eval "sp=\$spread_$pr"
  echo "  time per service within 20% across 200/2,000/20,000, $pr: ${sp}% $([ "$sp" -le 20 ] && echo met || echo NOT met)"
done
[ -n "${mh:-}" ] && awk -v a="$mh" -v b="$my" 'BEGIN { printf "  2000 services <= 2x fy-tool peak memory: %.2fx %s\n", a/b, (a/b<=2)?"met":"NOT met" }'
awk -v a="$j1" -v b="$j2" -v c="$(nproc)" 'BEGIN { printf "  1000 files -j 2 >= 1.8x faster than -j 1: %.2fx %s (%d CPUs)\n", a/b, (a/b>=1.8)?"met":"NOT met", c }'
[ -n "${lsp_worst:-}" ] && awk -v w="$lsp_worst" 'BEGIN { printf "  language server, files up to 599 lines: worst median server time per keystroke %.2f ms <= 10 ms: %s\n", w, (w<=10)?"met":"NOT met" }'

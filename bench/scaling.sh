#!/usr/bin/env bash
# scaling.sh [BIN] [SIZES]: how time and memory grow with the input, for the
# shapes that were quadratic (issue 18, point 6). For each shape it runs the
# sizes given (default 5000 10000 20000 100000, ten times apart from the
# first to the last), prints CPU seconds (user + system) and peak RSS per size, and the growth
# factor between consecutive sizes: time(2n)/time(n) is about 2 for a linear
# stage, 4 for a quadratic one. A benchmark, not a test: nothing is asserted.
#
#   secrets   N services with a plaintext secret each (-w: N .env lines)
#   check     the same, --check with the baseline profile
#   anchors   N anchored values, each used by an alias (`<<: *aN`)
#   env       one service whose environment has N entries (verify's pairs)
#   line      one scalar of N*100 bytes on a single line (N=100000: 10 MB)
#   items     one flow list of N*10 items on a single line (N=100000: 10 MB)
set -u
bin=${1:-build/hardcompose}
sizes=${2:-5000 10000 20000 100000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

gen() { # gen SHAPE N FILE
  case $1 in
  secrets | check)
    awk -v n="$2" 'BEGIN { print "services:"; for (i = 0; i < n; i++) {
      printf "  s%d:\n    image: acme/app%d:1\n    environment:\n      API_TOKEN: tok-%d-x\n", i, i, i } }' >"$3" ;;
  anchors)
    awk -v n="$2" 'BEGIN { print "x-base:"; for (i = 0; i < n; i++) printf "  b%d: &a%d {image: acme/app:1}\n", i, i
      print "services:"; for (i = 0; i < n; i++) printf "  s%d:\n    <<: *a%d\n", i, i }' >"$3" ;;
  env)
    awk -v n="$2" 'BEGIN { print "services:\n  app:\n    image: acme/app:1\n    environment:"
      for (i = 0; i < n; i++) printf "      VAR_%d: value-%d\n", i, i }' >"$3" ;;
  line)
    awk -v n="$2" 'BEGIN { printf "services:\n  app:\n    image: acme/app:1\n    command: \""
      for (i = 0; i < n; i++) printf "%0100d", i; print "\"" }' >"$3" ;;
  items)
    awk -v n="$2" 'BEGIN { printf "services:\n  app:\n    image: acme/app:1\n    command: ["
      for (i = 0; i < n * 10; i++) printf "%s\"a%d\"", (i ? "," : ""), i; print "]" }' >"$3" ;;
  esac
}

run() { # run SHAPE FILE -> "seconds kilobytes output-bytes"
  local args=(--no-config --check)
  case $1 in secrets) args=(--no-config -p none -e secrets -w) ;; line | env | items) args=(--no-config) ;; esac
  rm -rf "$tmp/w"; mkdir "$tmp/w"; cp "$2" "$tmp/w/compose.yaml"
  /usr/bin/time -f '%U %S %M' -o "$tmp/t" timeout 600 "$bin" "${args[@]}" "$tmp/w/compose.yaml" >"$tmp/out" 2>&1
  # what the run produced: the report or the text on stdout, or with -w
  # the files it wrote
  local out
  out=$(cat "$tmp/out" $([ "$1" = secrets ] && echo "$tmp/w/compose.yaml $tmp/w/.env") | wc -c)
  tail -1 "$tmp/t" | awk -v o="$out" '{ printf "%.2f %s %s\n", $1 + $2, $3, o }'
}

printf '%-8s %8s %10s %10s %9s %10s %8s %7s %8s\n' shape n bytes out_bytes seconds rss_kb time_x mem/in mem/io
for shape in ${SHAPES:-secrets check anchors env line items}; do
  prev=
  for n in $sizes; do
    gen "$shape" "$n" "$tmp/in.yaml"
    bytes=$(stat -c %s "$tmp/in.yaml")
    read -r s kb out <<<"$(run "$shape" "$tmp/in.yaml")"
    growth=-
    [ -n "$prev" ] && growth=$(awk -v a="$prev" -v b="$s" -v m="$pn" -v n="$n" \
      'BEGIN { if (a > 0.01) printf "%.2f/%.0fx", b / a, n / m; else print "-" }')
    memf=$(awk -v k="$kb" -v b="$bytes" 'BEGIN { printf "%.1f", k * 1024 / b }')
    memio=$(awk -v k="$kb" -v b="$bytes" -v o="$out" 'BEGIN { printf "%.1f", k * 1024 / (b + o) }')
    printf '%-8s %8s %10s %10s %9s %10s %8s %7s %8s\n' "$shape" "$n" "$bytes" "$out" "$s" "$kb" "$growth" "$memf" "$memio"
    prev=$s pn=$n
  done
done

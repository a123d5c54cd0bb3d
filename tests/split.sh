#!/usr/bin/env bash
# split.sh BIN SRCDIR: the split parse (a large file parsed in parts on two
# threads, src/yaml/parse.c split_build) is an optimisation only. With
# HARDCOMPOSE_SPLIT_MIN=0 every text of one input is parsed in parts when
# it can be, and HARDCOMPOSE_SPLIT_CHECK=1 parses it whole too and aborts
# on any difference in the tree; the output, messages and exit code must
# equal those of a run that never splits. Inputs: constructed texts where
# a part boundary is a trap (block scalars that libfyaml lets swallow the
# next entry, aliases across parts, repeated keys across parts, flow
# collections and quoted scalars over the cut, a plain scalar that is a
# value at the end of a part but an error before a top-level key, CRLF, indentation 4, a
# services mapping followed by top-level keys), every golden input, and
# the shared corpus when it exists. It also counts the texts that did take
# the split path (a test that never split would prove nothing).
set -u
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 bad=0

# gen NAME: N services built by the shell function body_NAME I, wrapped in
# a header and trailer; each case repeats its trap in every service, so
# the cut (near the middle) lands next to one wherever it falls.
svc() { printf '  s%d:\n    image: acme/app%d:1\n' "$1" "$1"; }
cases=(plain blockscalar folded keep alias redefine trailer-alias dup-service dup-top
  flow-over quoted-over crlf indent4 comments undefined-alias service-alias merge
  tail-block tail-plain seq-block empty-services tabs anchored-services doc-marker)
body() { # body CASE I
  local c=$1 i=$2
  case $c in
  plain) svc "$i"; printf '    environment:\n      A: "1"\n' ;;
  blockscalar) printf '  s%d:\n    image: acme/a:1\n  t%d: |\n  u%d: x\n' "$i" "$i" "$i" ;;
  folded) printf '  s%d: >\n\n  t%d: y\n' "$i" "$i" ;;
  keep) svc "$i"; printf '    command: |+\n      run\n\n' ;;
  alias | trailer-alias) svc "$i"; printf '    logging: *log\n' ;;
  redefine) svc "$i"; printf '    x-prev: *lab\n    labels: &lab {a: "%d"}\n' "$i" ;;
  dup-service) svc $((i % 7)) ;;
  dup-top) svc "$i" ;;
  flow-over) svc "$i"; printf '    command: [a,\n  b]\n' ;;
  quoted-over) svc "$i"; printf '    command: "a\n  b: c"\n' ;;
  crlf) svc "$i" ;;
  indent4) printf '    s%d:\n        image: acme/a:1\n' "$i" ;;
  comments) svc "$i"; printf '# comment at column 0\n\n    # indented comment\n' ;;
  undefined-alias) svc "$i"; [ "$i" -eq 30 ] && printf '    x: *nowhere\n' ;;
  service-alias) if [ "$i" -gt 20 ]; then printf '  s%d: *first\n' "$i"; else printf '  s%d: &s%d\n    image: a\n' "$i" "$i"; fi ;;
  merge) svc "$i"; printf '    <<: *base\n' ;;
  tail-block) svc "$i"; printf '    command: |\n      x\n' ;;
  tail-plain) svc "$i"; [ "$i" -eq 40 ] && printf '    k:\n    v x\n' ;;
  seq-block) svc "$i"; printf '    command:\n    - |\n  k%d: v\n' "$i" ;;
  empty-services) printf '  s%d:\n' "$i" ;;
  tabs) svc "$i"; printf '    command:\t"x"\n' ;;
  anchored-services) svc "$i" ;;
  doc-marker) svc "$i" ;;
  esac
}
gen() { # gen CASE FILE
  local c=$1 f=$2 i
  {
    case $c in
    alias | trailer-alias) printf 'x-log: &log\n  driver: json-file\n' ;;
    merge) printf 'x-base: &base\n  restart: always\n' ;;
    redefine) printf 'x-lab: &lab {a: "0"}\n' ;;
    dup-top) printf 'volumes:\n  a: {}\n' ;;
    doc-marker) printf -- '---\n' ;;
    service-alias) printf 'x-first: &first\n  image: a\n' ;;
    esac
    [ $c = anchored-services ] && printf 'services: &all\n' || printf 'services:\n'
    for i in $(seq 1 40); do body "$c" "$i"; done
    case $c in
    trailer-alias) printf 'x-tail:\n  log: *log\n' ;;
    dup-top) printf 'volumes:\n  b: {}\n' ;;
    tail-block | tail-plain | blockscalar) printf 'networks:\n  n: {}\n' ;;
    *) printf 'volumes:\n  data: {}\n' ;;
    esac
  } >"$f.tmp"
  if [ $c = crlf ]; then sed 's/$/\r/' "$f.tmp" >"$f"; else mv "$f.tmp" "$f"; fi
}

split=0
check() { # check FILE LABEL
  local f=$1 label=$2 p
  for p in none strict; do
    n=$((n + 1))
    HARDCOMPOSE_SPLIT_MIN=999999999999 "$bin" -p $p <"$f" >"$tmp/a" 2>&1; local a=$?
    HARDCOMPOSE_SPLIT_MIN=0 HARDCOMPOSE_SPLIT_CHECK=1 "$bin" -p $p <"$f" >"$tmp/b" 2>&1; local b=$?
    if [ $a -ne $b ] || ! cmp -s "$tmp/a" "$tmp/b"; then
      bad=$((bad + 1))
      echo "DIFF $p: $label (exit $a / $b)"
      diff "$tmp/a" "$tmp/b" | head -5
    fi
  done
}

took() { # took FILE: how many of its parses were split (of how many tried)
  HARDCOMPOSE_SPLIT_MIN=0 HARDCOMPOSE_SPLIT_COUNT=1 "$bin" -p strict <"$1" 2>&1 >/dev/null |
    sed -n 's/^split parses: //p'
}
for c in "${cases[@]}"; do
  gen "$c" "$tmp/$c.yml"
  check "$tmp/$c.yml" "case $c"
  echo "case $c: split $(took "$tmp/$c.yml")"
done
for f in "$src"/golden/*/*/input.yml "$src"/../shared/corpus/files/*; do
  [ -f "$f" ] && check "$f" "$f"
done
# the split path is taken (HARDCOMPOSE_SPLIT_COUNT: the binary counts)
took=$(took "$tmp/plain.yml" | cut -d' ' -f1)
echo "split: $n runs, $bad differ; the plain case parsed in parts ${took:-0} times"
[ $bad -eq 0 ] && [ "${took:-0}" -ge 2 ]

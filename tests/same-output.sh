#!/usr/bin/env bash
# same-output.sh OLD NEW ROOT [CORPUS]: do two builds behave byte for byte
# the same? Kept for refactors that must not change behaviour (issue 11).
#
# Each binary runs, in the same temporary folder (so paths in messages and
# SARIF URIs match), over every golden input (with its args), the bundled
# examples and, when CORPUS exists, every corpus file, in these modes:
#   stdin -> stdout with --profile none, baseline, production and strict;
#   --check as text, json and sarif; --diff; --write on a copy of the
#   golden case's folder or of the file, recording every file left (content
#   and mode). stdout, stderr and the exit code of each run are recorded.
# Then the two records are compared; any difference fails, showing the
# first ones. Exit 0 same, 1 different, 2 usage.
set -u
[ $# -ge 3 ] || { echo "usage: same-output.sh OLD NEW ROOT [CORPUS]" >&2; exit 2; }
old=$(readlink -f "$1") new=$(readlink -f "$2") root=$(readlink -f "$3")
corpus=${4:-$root/../shared/corpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
profiles=(none baseline production strict)

inputs() { # one line per input: PATH<TAB>ARGS<TAB>SETUP-FOLDER-OR-EMPTY
  local d
  for d in "$root"/golden/*/*/; do
    [ -f "$d/input.yml" ] || continue
    local a=""
    [ -f "$d/args" ] && a=$(head -1 "$d/args")
    printf '%s\t%s\t%s\n' "$d/input.yml" "$a" "$d"
  done
  find "$root/examples" -name '*.y*ml' -type f | LC_ALL=C sort | sed 's/$/\t\t/'
  if [ -d "$corpus/files" ]; then
    find "$corpus/files" -type f | LC_ALL=C sort | sed 's/$/\t\t/'
  fi
}

record() { # record BIN OUT
  local bin=$1 out=$2 n=0 f a d p w
  mkdir -p "$out"
  while IFS=$'\t' read -r f a d; do
    n=$((n + 1))
    local args=()
    [ -n "$a" ] && read -r -a args <<<"$a"
    w=$tmp/w
    run() { # run TAG CMD...: stdout, stderr, exit of one run
      local tag=$1; shift
      (cd "$w" && "$@" >"$out/$n.$tag.out" 2>"$out/$n.$tag.err"; echo $? >"$out/$n.$tag.rc")
    }
    fresh() {
      rm -rf "$w"; mkdir -p "$w"
      if [ -n "$d" ] && [ -d "$d/before" ]; then
        cp -a "$d/before/." "$w/"
        [ -d "$w/secrets" ] && { chmod 700 "$w/secrets"; find "$w/secrets" -type f -exec chmod 600 {} +; }
      fi
      cp "$f" "$w/compose.yaml"
    }
    fresh
    echo "$f ${args[*]}" >"$out/$n.input"
    if [ ${#args[@]} -gt 0 ]; then
      run args "$bin" "${args[@]}" <"$f"
      run args-check "$bin" "${args[@]}" --check --format json compose.yaml
    fi
    for p in "${profiles[@]}"; do
      run "$p" "$bin" --profile "$p" <"$f"
    done
    run check "$bin" --check compose.yaml
    run json "$bin" --check --format json --profile production compose.yaml
    run sarif "$bin" --check --format sarif --profile strict compose.yaml
    run diff "$bin" --diff compose.yaml
    run write "$bin" "${args[@]}" -w compose.yaml
    (cd "$w" && find . -mindepth 1 | LC_ALL=C sort | while read -r x; do
      if [ -d "$x" ]; then echo "== $x/ $(stat -c %a "$x")"
      else echo "== $x $(stat -c %a "$x")"; cat "$x"; echo; fi
    done) >"$out/$n.tree"
  done < <(inputs)
  # many files at once, in parallel
  rm -rf "$w"; mkdir -p "$w"
  if [ -d "$corpus/files" ]; then
    (cd "$corpus/files" && "$bin" --check --format json -j 4 ./* >"$out/many.out" 2>"$out/many.err"; echo $? >"$out/many.rc")
  fi
  echo "$n"
}

nold=$(record "$old" "$tmp/old")
nnew=$(record "$new" "$tmp/new")
if diff -r -q "$tmp/old" "$tmp/new" >"$tmp/d"; then
  echo "same-output: $nold inputs, $(ls "$tmp/old" | wc -l) recorded results, all identical"
  exit 0
fi
echo "same-output: $(wc -l <"$tmp/d") of $(ls "$tmp/old" | wc -l) results differ ($nold/$nnew inputs)"
head -5 "$tmp/d" | while read -r _ a _ b _; do
  k=$(basename "$a"); echo "--- $k (input: $(cat "$tmp/old/${k%%.*}.input" 2>/dev/null))"
  diff "$a" "$b" | head -10
done
exit 1

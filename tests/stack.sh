#!/usr/bin/env bash
# stack.sh BIN SRCDIR: a second independent oracle, Docker's own compose
# loader (`docker stack config`, no daemon needed). Every output whose input
# the loader accepts must be accepted too. Files the swarm loader rejects
# (keys it does not know: name, include, develop, long depends_on, ...) are
# skipped through that same rule. Covers the golden expected.yml files and the
# strict- and baseline-profile output of every corpus file. Exits 77 (skip) without docker.
set -u
bin=$1 src=$2
command -v docker >/dev/null && docker stack config --help >/dev/null 2>&1 ||
  { echo "stack: docker CLI with 'stack config' not installed: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { (cd "$(dirname "$1")" && docker stack config -c "$1" >/dev/null 2>"$tmp/err"); }
total=0 pass=0 fail=0
check() { # name input output
  ok "$2" || return 0
  total=$((total+1))
  if ok "$3"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1: $(head -1 "$tmp/err")"; fi
}
for g in "$src"/golden/*/*/; do
  [ -f "$g/input.yml" ] || continue # golden/overlay/: its own runner (overlay.sh)
  [ -f "$g/exit" ] && continue
  [ -f "$g/report" ] && continue
  if [ -f "$g/write" ]; then
    # a --write result: its ${NAME:?...} values live in the .env it wrote
    # (expected.files); the loader reads them from the environment; with
    # secrets.target=external, the environment sets
    # the names of .env.example (any value will do for the loader)
    vars=$(awk '/^== /{on=($2==".env.example")} on && /^[A-Z_][A-Z0-9_]*=$/{print $0 "x"}' "$g/expected.files"
      awk '/^== /{on=($2==".env")} on && /^[A-Z_][A-Z0-9_]*=/{print}' "$g/expected.files" |
      sed -E "s/^([A-Z0-9_]+)='(.*)'$/\1=\2/")
    (while IFS= read -r v; do [ -n "$v" ] && export "${v?}"; done <<<"$vars"
     check "${g#$src/}" "$g/input.yml" "$g/expected.yml"; echo "$total $pass $fail" >"$tmp/counts")
    read -r total pass fail <"$tmp/counts"
    continue
  fi
  check "${g#$src/}" "$g/input.yml" "$g/expected.yml"
done
# strict drops version:; baseline keeps it, so 3.x files must gain only
# keys their version has (swarm.c)
for profile in strict baseline; do
  for f in "$src"/../shared/corpus/files/*; do
    [ -f "$f" ] || continue
    # next to the input, so relative env_file and build paths resolve alike
    out="$tmp/${f##*/}"
    "$bin" --profile "$profile" <"$f" >"$out" 2>/dev/null || continue
    cp "$f" "$tmp/in-${f##*/}"
    check "corpus/$profile/${f##*/}" "$tmp/in-${f##*/}" "$out"
  done
done
echo "stack: $total inputs the loader accepts, $pass passed, $fail failed"
[ "$total" -gt 0 ] && [ "$fail" -eq 0 ]

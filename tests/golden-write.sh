#!/usr/bin/env bash
# golden-write.sh BIN CASEDIR: one --write case (a folder with a `write` file).
#   input.yml       becomes compose.yaml in a fresh temporary folder
#   before/         optional: files placed beside it first (.env, .gitignore,
#                   secrets/...; anything under secrets/ gets mode 0600)
#   args            optional: extra arguments, one line
#   exit            optional: expected exit code of the --write run (default 0)
#   expected.yml    compose.yaml afterwards (on error: must equal input.yml)
#   expected.files  every other file afterwards: "== PATH MODE" then its content
#   expected.files.user  optional: the same when not run as root (a secret
#                   file run as root gives to its image's uid has mode 0400)
#   expected.err    optional: expected stderr of the --write run, exactly
#   check-exit      optional: exit of --check on the result (default 0; 1
#                   when the case leaves secrets that must be moved by hand)
#   secrets.txt     values that must never appear in stdout or stderr of
#                   --check, --diff, --write or a failing run
# Missing expected files are written from the actual result and the case
# fails, so new cases can be reviewed before they are committed. With exit
# 0 it also checks: a second --write changes nothing, --check on the result
# exits 0, --check on the input exits 1.
set -u
bin=$1 dir=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
args=()
[ -f "$dir/args" ] && read -r -a args <"$dir/args"
want_exit=0
[ -f "$dir/exit" ] && want_exit=$(tr -d '[:space:]' <"$dir/exit")
fail=0
say() { echo "FAIL $dir: $*"; fail=1; }

setup() { # setup FOLDER: the case's starting state
  mkdir -p "$1"
  [ -d "$dir/before" ] && cp -a "$dir/before/." "$1/"
  [ -d "$1/secrets" ] && { chmod 700 "$1/secrets"; find "$1/secrets" -type f -exec chmod 600 {} +; }
  cp "$dir/input.yml" "$1/compose.yaml"
}
manifest() { # manifest FOLDER: every file but compose.yaml, with modes
  (cd "$1" && find . -mindepth 1 ! -name compose.yaml ! -name '.git' | LC_ALL=C sort | while read -r f; do
    if [ -d "$f" ]; then echo "== ${f#./}/ $(stat -c %a "$f")"
    else echo "== ${f#./} $(stat -c %a "$f")"; cat "$f"; echo; fi
  done)
}

w=$tmp/w
setup "$w"
manifest "$w" >"$tmp/m0"
(cd "$w" && "$bin" "${args[@]}" -w compose.yaml) >"$tmp/out" 2>"$tmp/err"
got=$?
[ "$got" -eq "$want_exit" ] || say "exit $got, want $want_exit; stderr: $(head -3 "$tmp/err")"
[ -s "$tmp/out" ] && say "--write printed on stdout"
manifest "$w" >"$tmp/m1"
if [ "$want_exit" -ne 0 ]; then
  cmp -s "$w/compose.yaml" "$dir/input.yml" || say "a failing run changed compose.yaml"
  cmp -s "$tmp/m0" "$tmp/m1" || { say "a failing run changed other files:"; diff "$tmp/m0" "$tmp/m1" | head; }
  grep -qE '^compose.yaml(:[0-9]+:[0-9]+)?: error: ' "$tmp/err" || say "stderr has no error line: $(head -1 "$tmp/err")"
fi
if [ ! -f "$dir/expected.yml" ]; then
  cp "$w/compose.yaml" "$dir/expected.yml"; say "expected.yml was missing: written, review it"
elif ! cmp -s "$w/compose.yaml" "$dir/expected.yml"; then
  say "compose.yaml differs from expected.yml:"; diff "$dir/expected.yml" "$w/compose.yaml" | head -20
fi
ef=$dir/expected.files
[ "$(id -u)" != 0 ] && [ -f "$dir/expected.files.user" ] && ef=$dir/expected.files.user
if [ ! -f "$ef" ]; then
  cp "$tmp/m1" "$ef"; say "$(basename "$ef") was missing: written, review it"
elif ! cmp -s "$tmp/m1" "$ef"; then
  say "files differ from $(basename "$ef"):"; diff "$ef" "$tmp/m1" | head -20
fi
if [ -f "$dir/expected.err" ]; then
  cmp -s "$tmp/err" "$dir/expected.err" || { say "stderr differs:"; diff "$dir/expected.err" "$tmp/err" | head -10; }
fi
logs=("$tmp/out" "$tmp/err")
if [ "$want_exit" -eq 0 ]; then
  cp "$w/compose.yaml" "$tmp/c1"
  (cd "$w" && "$bin" "${args[@]}" -w compose.yaml) >"$tmp/out2" 2>"$tmp/err2" || say "second --write exits $?"
  cmp -s "$w/compose.yaml" "$tmp/c1" || say "second --write changed compose.yaml"
  manifest "$w" >"$tmp/m2"
  cmp -s "$tmp/m1" "$tmp/m2" || { say "second --write changed files:"; diff "$tmp/m1" "$tmp/m2" | head; }
  (cd "$w" && "$bin" "${args[@]}" --fail-on none --check compose.yaml) >"$tmp/chk" 2>&1
  c=$?; want_chk=0; [ -f "$dir/check-exit" ] && want_chk=$(tr -d '[:space:]' <"$dir/check-exit")
  [ $c -eq "$want_chk" ] || say "--check on the result exits $c, want $want_chk: $(grep warning "$tmp/chk" | head -2)"
  logs+=("$tmp/out2" "$tmp/err2" "$tmp/chk")
fi
# --check and --diff on the input write nothing and never show a value
r=$tmp/r; setup "$r"
(cd "$r" && "$bin" "${args[@]}" --check compose.yaml) >"$tmp/chk0" 2>&1; c=$?
[ "$want_exit" -ne 0 ] || cmp -s "$dir/input.yml" "$dir/expected.yml" || [ $c -eq 1 ] || say "--check on the input exits $c, want 1"
(cd "$r" && "$bin" "${args[@]}" --diff compose.yaml) >"$tmp/diff0" 2>"$tmp/diff0.err"
(cd "$r" && "$bin" "${args[@]}" compose.yaml) >/dev/null 2>"$tmp/stdout0.err"
manifest "$r" >"$tmp/mr"
cmp -s "$tmp/m0" "$tmp/mr" || say "--check, --diff or stdout output wrote files"
cmp -s "$r/compose.yaml" "$dir/input.yml" || say "--check, --diff or stdout output changed compose.yaml"
logs+=("$tmp/chk0" "$tmp/diff0" "$tmp/diff0.err" "$tmp/stdout0.err")
if [ -f "$dir/secrets.txt" ]; then
  while IFS= read -r v; do
    [ -n "$v" ] || continue
    for f in "${logs[@]}"; do
      grep -qF -- "$v" "$f" && say "a secret value appears in $(basename "$f")"
    done
  done <"$dir/secrets.txt"
fi
exit $fail

#!/usr/bin/env bash
# golden.sh BIN CASEDIR: one golden case.
#   input.yml      fed on stdin
#   args           optional: extra arguments, one line (shell words)
#   exit           optional: expected exit code (default 0)
#   expected.yml   expected stdout (must be empty when exit != 0)
#   expected.err   optional: expected stderr, exactly
#   report         optional: a report case (rules, --format): stdout is
#                  compared with expected.out, nothing else is checked
# With exit 0 it also checks idempotence (expected.yml in, expected.yml out)
# and --check (1 on the input when it changes, 0 on expected.yml).
# A missing expected.yml is written from the actual output and the case fails,
# so new cases can be reviewed before they are committed.
set -u
bin=$1 dir=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
args=()
[ -f "$dir/args" ] && read -r -a args <"$dir/args"
want_exit=0
[ -f "$dir/exit" ] && want_exit=$(tr -d '[:space:]' <"$dir/exit")
fail=0
say() { echo "FAIL $dir: $*"; fail=1; }

if [ -f "$dir/report" ]; then
  # a report case: stdout of the run (with --check or --format) is expected.out
  "$bin" "${args[@]}" <"$dir/input.yml" >"$tmp/out" 2>"$tmp/err"
  got=$?
  [ "$got" -eq "$want_exit" ] || say "exit $got, want $want_exit; stderr: $(head -3 "$tmp/err")"
  if [ ! -f "$dir/expected.out" ]; then
    cp "$tmp/out" "$dir/expected.out"; say "expected.out was missing: written, review it"
  elif ! cmp -s "$tmp/out" "$dir/expected.out"; then
    say "stdout differs from expected.out:"; diff "$dir/expected.out" "$tmp/out" | head -20
  fi
  exit $fail
fi
"$bin" "${args[@]}" <"$dir/input.yml" >"$tmp/out" 2>"$tmp/err"
got=$?
[ "$got" -eq "$want_exit" ] || say "exit $got, want $want_exit; stderr: $(head -3 "$tmp/err")"
if [ ! -f "$dir/expected.yml" ]; then
  cp "$tmp/out" "$dir/expected.yml"
  say "expected.yml was missing: written from the actual output, review it"
elif ! cmp -s "$tmp/out" "$dir/expected.yml"; then
  say "stdout differs from expected.yml:"; diff "$dir/expected.yml" "$tmp/out" | head -20
fi
if [ -f "$dir/expected.err" ]; then
  cmp -s "$tmp/err" "$dir/expected.err" || { say "stderr differs:"; diff "$dir/expected.err" "$tmp/err" | head -10; }
fi
if [ "$want_exit" -ne 0 ]; then
  # the same input as a file with --write: same exit, the file untouched
  cp "$dir/input.yml" "$tmp/compose.yaml"; touch -d '2001-02-03 04:05:06' "$tmp/compose.yaml"
  m0=$(stat -c %Y "$tmp/compose.yaml")
  "$bin" "${args[@]}" -w "$tmp/compose.yaml" >"$tmp/wout" 2>"$tmp/werr"; wc=$?
  [ "$wc" -eq "$want_exit" ] || say "-w exit $wc, want $want_exit"
  cmp -s "$tmp/compose.yaml" "$dir/input.yml" || say "-w changed the file"
  [ "$(stat -c %Y "$tmp/compose.yaml")" = "$m0" ] || say "-w changed the file's mtime"
  [ -s "$tmp/wout" ] && say "-w printed on stdout"
  grep -qE "^($tmp/compose.yaml:[0-9]+:[0-9]+: error: |$tmp/compose.yaml: error: |hardcompose: error: )" "$tmp/werr" || say "-w: no error line: $(head -1 "$tmp/werr")"
  [ "$(wc -l <"$tmp/werr")" -le 2 ] || say "-w: more than one error: $(head -3 "$tmp/werr")"
  ls -A "$tmp" | grep -q '^\.compose\.yaml\.hardcompose' && say "-w left a temporary file"
  [ -s "$tmp/out" ] && say "stdout must be empty on error"
  [ -s "$tmp/err" ] || say "stderr must say what is wrong"
  grep -qE '^((<stdin>|compose.yaml):[0-9]+:[0-9]+: error: |(<stdin>|compose.yaml): error: |hardcompose: error: )' "$tmp/err" || say "stderr has no error line: $(head -1 "$tmp/err")"
else
  "$bin" "${args[@]}" <"$dir/expected.yml" >"$tmp/again" 2>/dev/null
  cmp -s "$tmp/again" "$dir/expected.yml" || { say "not idempotent:"; diff "$dir/expected.yml" "$tmp/again" | head -10; }
  # pending changes only: rule findings (report-only) do not fail here
  tids=$("$bin" --list-transforms | grep -v '^ ' | awk '{print $1}' | paste -sd'|')
  "$bin" "${args[@]}" --fail-on none --check <"$dir/expected.yml" >"$tmp/chk" 2>&1
  c=$?
  # plaintext secrets move only with --write (tests/golden-write.sh): on
  # stdout they stay, and --check keeps naming them
  if grep -v '\[secrets\]' "$tmp/chk" | grep -qE ": warning: \[($tids)\] "; then
    say "--check on expected.yml exits $c: $(grep warning "$tmp/chk" | head -2)"
  elif [ $c -ne 0 ] && ! grep -q '\[secrets\]' "$tmp/chk"; then
    say "--check on expected.yml exits $c"
  fi
  "$bin" "${args[@]}" --fail-on none --check <"$dir/input.yml" >"$tmp/chk" 2>&1
  c=$?
  if cmp -s "$dir/input.yml" "$dir/expected.yml"; then
    [ $c -eq 0 ] || say "--check on an unchanged input exits $c"
  else
    [ $c -eq 1 ] || say "--check on the input exits $c, want 1"
    grep -qE "^(<stdin>|compose.yaml):[0-9]+:[0-9]+: warning: \[($tids)\] " "$tmp/chk" || say "--check printed no finding"
  fi
fi
exit $fail

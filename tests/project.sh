#!/usr/bin/env bash
# project.sh BIN CASEDIR: one project case (tests/project/<case>/; docs/project.md).
#   in/             the project folder; each run starts in a fresh copy of it
#   args            the project arguments, one line (`--project`, `-F a.yaml -F b.yaml`)
#   cwd             optional: the folder of in/ the runs start in (default: in/)
#   env             optional: KEY=VALUE lines put in the runs' environment
#   exit            optional: the exit code every run must give (an error case);
#                   then expected.err is -w's stderr, stdout must be empty and
#                   no file may change
#   expected.check  stdout of `--check --fail-on none ARGS`: each finding at
#                   FILE:LINE:COL of the file where its node lives
#   expected/       the files `-w ARGS` changes, as it must leave them; every
#                   other file of in/ must stay byte for byte (mtime too)
#   expected.side   the side files -w writes (secret files, .gitignore, .env):
#                   `sha256  path` lines
# Then: -w again changes nothing, --check on the result has no pending
# change, and -j1 gives what -j4 gives. A missing expected file is written
# from the actual output and the case fails, so it can be reviewed.
set -u
bin=$(realpath "$1") dir=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
read -r -a args <"$dir/args"
cwd=.
[ -f "$dir/cwd" ] && cwd=$(cat "$dir/cwd")
if [ -f "$dir/env" ]; then
	while IFS= read -r kv; do [ -n "$kv" ] && export "${kv?}"; done <"$dir/env"
fi
t0=$(date -d '2001-02-03 04:05:06' +%s)
fail=0
say() { echo "FAIL ${dir##*/}: $*"; fail=1; }
fresh() { rm -rf "$tmp/p"; cp -a "$dir/in" "$tmp/p"; find "$tmp/p" -exec touch -h -d '2001-02-03 04:05:06' {} +; }
# the files of the copy, with their sums and mtimes
state() { (cd "$tmp/p" && find . -type f -printf '%P %TY%Tm%Td%TH%TM%TS\n' | sort && find . -type f -exec sha256sum {} + | sort -k2); }

if [ -f "$dir/exit" ]; then
	want=$(tr -d '[:space:]' <"$dir/exit")
	for mode in -w --check --diff; do
		fresh; before=$(state)
		(cd "$tmp/p/$cwd" && "$bin" "$mode" "${args[@]}" >"$tmp/out" 2>"$tmp/err"); got=$?
		[ "$got" = "$want" ] || say "$mode: exit $got, want $want: $(head -2 "$tmp/err")"
		[ -s "$tmp/out" ] && say "$mode: stdout must be empty on error"
		[ "$(state)" = "$before" ] || say "$mode: a file changed"
		[ -n "$(find "$tmp/p" -name '.*.hardcompose*')" ] && say "$mode: a temporary file is left"
		if [ "$mode" = -w ]; then
			if [ ! -f "$dir/expected.err" ]; then
				cp "$tmp/err" "$dir/expected.err"; say "expected.err was missing: written, review it"
			elif ! cmp -s "$tmp/err" "$dir/expected.err"; then
				say "stderr differs:"; diff "$dir/expected.err" "$tmp/err" | head -10
			fi
		fi
	done
	exit $fail
fi

# --check: the findings of the whole project
fresh
(cd "$tmp/p/$cwd" && "$bin" --check --fail-on none "${args[@]}" >"$tmp/check" 2>"$tmp/err"); c=$?
if [ ! -f "$dir/expected.check" ]; then
	cp "$tmp/check" "$dir/expected.check"; say "expected.check was missing: written, review it"
elif ! cmp -s "$tmp/check" "$dir/expected.check"; then
	say "--check differs:"; diff "$dir/expected.check" "$tmp/check" | head -20
fi
want_c=0
[ -d "$dir/expected" ] && [ -n "$(ls -A "$dir/expected")" ] && want_c=1
[ "$c" = "$want_c" ] || say "--check exits $c, want $want_c: $(head -2 "$tmp/err")"

# -w: only the expected files change
fresh
(cd "$tmp/p/$cwd" && "$bin" -w -j4 "${args[@]}" >"$tmp/out" 2>"$tmp/err"); w=$?
[ "$w" = 0 ] || say "-w exits $w: $(head -3 "$tmp/err")"
[ -s "$tmp/out" ] && say "-w printed on stdout"
# side files (secret files, .gitignore, .env lines) are listed in
# expected.side by path and sha256, not kept (a .gitignore of `*` would hide them)
side() { case $1 in secrets/* | */secrets/* | .gitignore | */.gitignore | .env* | */.env*) return 0 ;; esac; return 1; }
changed=$(cd "$tmp/p" && find . -type f -printf '%P\n' | sort | while read -r f; do
	[ -f "$dir/in/$f" ] && cmp -s "$f" "$dir/in/$f" && [ "$(stat -c %Y "$f")" = "$t0" ] && continue
	echo "$f"
done)
: >"$tmp/side"
for f in $changed; do side "$f" && (cd "$tmp/p" && sha256sum "$f") >>"$tmp/side"; done
if [ ! -d "$dir/expected" ]; then
	for f in $changed; do
		side "$f" && continue
		mkdir -p "$dir/expected/$(dirname "$f")"; cp "$tmp/p/$f" "$dir/expected/$f"
	done
	say "expected/ was missing: written from the output, review it"
fi
if [ -s "$tmp/side" ] || [ -f "$dir/expected.side" ]; then
	if [ ! -f "$dir/expected.side" ]; then
		cp "$tmp/side" "$dir/expected.side"; say "expected.side was missing: written, review it"
	elif ! cmp -s "$tmp/side" "$dir/expected.side"; then
		say "side files differ:"; diff "$dir/expected.side" "$tmp/side" | head -10
	fi
fi
for f in $changed; do
	side "$f" && continue
	if [ -f "$dir/expected/$f" ]; then
		cmp -s "$tmp/p/$f" "$dir/expected/$f" || { say "$f differs:"; diff "$dir/expected/$f" "$tmp/p/$f" | head -20; }
	else
		say "$f was touched"
	fi
done
for f in $(cd "$dir/expected" && find . -type f -printf '%P\n'); do
	cmp -s "$dir/expected/$f" "$tmp/p/$f" || say "expected/$f is not what -w left"
done
[ -n "$(find "$tmp/p" -name '.*.hardcompose*')" ] && say "-w left a temporary file"

# idempotent: -w again changes nothing; --check has no pending change
cp -a "$tmp/p" "$tmp/once"
(cd "$tmp/p/$cwd" && "$bin" -w "${args[@]}" >/dev/null 2>&1) || say "second -w failed"
diff -r "$tmp/once" "$tmp/p" >/dev/null || say "second -w changed files: $(diff -r "$tmp/once" "$tmp/p" | head -5)"
# (a secret left for a hand, said again, is no pending fix)
(cd "$tmp/p/$cwd" && "$bin" --check --fail-on none "${args[@]}" >"$tmp/check2" 2>&1)
grep -q '(fixable with -w)$' "$tmp/check2" && say "--check after -w: $(grep -m2 'fixable' "$tmp/check2")"

# -j1 writes what -j4 wrote
fresh
(cd "$tmp/p/$cwd" && "$bin" -w -j1 "${args[@]}" >/dev/null 2>&1)
diff -r "$tmp/once" "$tmp/p" >/dev/null || say "-j1 and -j4 differ"
[ $fail = 0 ] && echo "ok ${dir##*/}"
exit $fail

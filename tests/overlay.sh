#!/usr/bin/env bash
# overlay.sh BIN SRCDIR: the golden cases of --overlay, golden/overlay/<case>/:
#   base.yml           the base compose file (compose.yaml in a temporary folder)
#   args               optional: extra arguments, one line (shell words)
#   before.yml         optional: the overlay as it is before the run (a re-run
#                      over the user's own edits and comments)
#   write              optional: run with -w (else the overlay goes to stdout)
#   expected.overlay.yml       the overlay after the run
#   expected.base.yml  optional (-w): the base after the run; without it the
#                      base must be left byte for byte
# Each case also checks: a second run changes nothing (idempotence), --check
# exits 1 before and 0 after, --diff shows the change, and nothing else is
# written into the folder but the overlay (and with -w the secret files).
# A missing expected file is written from the output and the case fails.
# tests/engine/overlay.sh proves the same cases against Docker Compose v2.
set -u
bin=$(realpath "$1") src=$(realpath "$2")
fail=0 n=0
say() { echo "FAIL golden/overlay/$c: $*"; fail=1; }
for dir in "$src"/golden/overlay/*/; do
	dir=${dir%/}
	c=${dir##*/}
	n=$((n + 1))
	tmp=$(mktemp -d) aux=$(mktemp -d)
	args=()
	[ -f "$dir/args" ] && read -r -a args <"$dir/args"
	cp "$dir/base.yml" "$tmp/compose.yaml"
	[ -f "$dir/before.yml" ] && cp "$dir/before.yml" "$tmp/compose.prod.yaml"
	run() { (cd "$tmp" && "$bin" "${args[@]}" "$@" --overlay compose.prod.yaml compose.yaml); }
	run --check >/dev/null 2>&1
	[ $? -eq 1 ] || say "--check before the run does not exit 1"
	run --diff >"$aux/ovdiff.$c" 2>/dev/null
	grep -q '^+++ b/compose.prod.yaml' "$aux/ovdiff.$c" || say "--diff shows no change to the overlay"
	cmp -s "$dir/base.yml" "$tmp/compose.yaml" || say "--diff or --check changed the base"
	if [ -f "$dir/write" ]; then
		run -w >/dev/null 2>"$aux/overr.$c" || say "-w exits $?: $(head -2 "$aux/overr.$c")"
		got=$tmp/compose.prod.yaml
	else
		run >"$aux/ovout.$c" 2>"$aux/overr.$c" || say "exits $?: $(head -2 "$aux/overr.$c")"
		got=$aux/ovout.$c
		# stdout mode writes nothing
		if [ -f "$dir/before.yml" ]; then
			cmp -s "$dir/before.yml" "$tmp/compose.prod.yaml" || say "stdout mode changed the overlay file"
		else
			[ -e "$tmp/compose.prod.yaml" ] && say "stdout mode wrote the overlay file"
		fi
		cp "$got" "$tmp/compose.prod.yaml"
	fi
	if [ ! -f "$dir/expected.overlay.yml" ]; then
		cp "$got" "$dir/expected.overlay.yml"
		say "expected.overlay.yml was missing: written from the output, review it"
	elif ! cmp -s "$got" "$dir/expected.overlay.yml"; then
		say "the overlay differs from expected.overlay.yml:"
		diff "$dir/expected.overlay.yml" "$got" | head -20
	fi
	if [ -f "$dir/expected.base.yml" ]; then
		cmp -s "$tmp/compose.yaml" "$dir/expected.base.yml" ||
			{ say "the base differs from expected.base.yml:"; diff "$dir/expected.base.yml" "$tmp/compose.yaml" | head -10; }
	elif [ -f "$dir/write" ] && ! cmp -s "$dir/base.yml" "$tmp/compose.yaml"; then
		cp "$tmp/compose.yaml" "$dir/expected.base.yml"
		say "expected.base.yml was missing: written from the base after -w, review it"
	elif ! cmp -s "$dir/base.yml" "$tmp/compose.yaml"; then
		say "the base changed"
	fi
	extra=$(cd "$tmp" && ls -A | grep -vxE 'compose\.yaml|compose\.prod\.yaml|secrets|\.env|\.env\.example|\.gitignore')
	[ -n "$extra" ] && say "left in the folder: $extra"
	# a second run: nothing changes
	cp "$tmp/compose.prod.yaml" "$aux/ovfirst.$c"
	cp "$tmp/compose.yaml" "$aux/ovbase.$c"
	if [ -f "$dir/write" ]; then
		run -w >/dev/null 2>"$aux/overr.$c"
		grep -q 'already up to date' "$aux/overr.$c" || say "the second -w does not say the overlay is up to date"
	else
		run >"$aux/ovout.$c" 2>/dev/null
		cmp -s "$aux/ovout.$c" "$tmp/compose.prod.yaml" ||
			{ say "not idempotent:"; diff "$tmp/compose.prod.yaml" "$aux/ovout.$c" | head -10; }
	fi
	cmp -s "$aux/ovfirst.$c" "$tmp/compose.prod.yaml" || say "the second run changed the overlay"
	cmp -s "$aux/ovbase.$c" "$tmp/compose.yaml" || say "the second run changed the base"
	run --check >/dev/null 2>&1
	[ $? -eq 0 ] || say "--check after the run does not exit 0"
	rm -rf "$tmp" "$aux"
done
[ $n -gt 0 ] || { echo "FAIL: no golden/overlay cases"; exit 1; }

# bad uses: the exit code, an error line, empty stdout, no file touched
c=errors
tmp=$(mktemp -d)
printf 'services:\n  web:\n    image: nginx:1.25\n' >"$tmp/compose.yaml"
bad() { # WANT-EXIT ERROR-TEXT ARGS...
	local want=$1 text=$2
	shift 2
	(cd "$tmp" && "$bin" "$@" >out 2>err)
	local got=$?
	[ $got -eq "$want" ] || say "$*: exit $got, want $want"
	grep -q -- "$text" "$tmp/err" || say "$*: stderr lacks '$text': $(head -1 "$tmp/err")"
	[ -s "$tmp/out" ] && say "$*: stdout is not empty"
}
bad 2 "exactly one FILE" --overlay o.yaml compose.yaml compose.yaml
bad 2 "not a folder" --overlay o.yaml .
bad 2 "the base file itself" --overlay compose.yaml compose.yaml
bad 2 "cannot rewrite stdin" --overlay o.yaml -w -
bad 2 "not -F or --project" --overlay o.yaml -F compose.yaml
printf -- '- a list\n' >"$tmp/o.yaml"
bad 3 "^o.yaml:1:1: error: the overlay is not a block mapping" --overlay o.yaml -w compose.yaml
printf 'services:\n  web: [\n' >"$tmp/o.yaml"
bad 3 "^o.yaml:3:1: error: " --overlay o.yaml compose.yaml
cmp -s "$tmp/o.yaml" <(printf 'services:\n  web: [\n') || say "a refused overlay was changed"
[ -e "$tmp/secrets" ] && say "a refused run wrote secret files"
# aliases nested in aliases (a "billion laughs" file): refused, not expanded
{
	echo 'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'
	p=a
	for q in b c d e f g h i; do
		echo "x-$q: &$q [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"
		p=$q
	done
	printf 'services:\n  web:\n    image: nginx:1.25\n    command: *%s\n' $p
} >"$tmp/bomb.yaml"
bad 3 "^bomb.yaml: error: its aliases expand to over" --overlay o2.yaml bomb.yaml
[ -e "$tmp/o2.yaml" ] && say "a refused run wrote the overlay"
rm -rf "$tmp"
echo "overlay: $n golden cases, $([ $fail = 0 ] && echo all passed || echo some failed)"
exit $fail

#!/usr/bin/env bash
# pin-golden.sh BIN CASE: one case of golden/pin/<case>/ (docs/pinning.md).
#
# A case holds compose.yaml, its lock (images.lock, or another named by
# `args`), optional `args` (one per line, given before the file) and what
# `hardcompose pin` must give: expected.yml (stdout), expected.err
# (stderr), exit (default 0), expected.check and check.exit (the same
# with --check). A missing expected file is written from the output and
# the case fails, for review. Beyond the expected texts:
#   - the result pins again to itself (idempotent) and --check passes on it;
#   - -w writes exactly the stdout result, the lock untouched; on an error
#     -w leaves the file byte for byte as it was, stdout stays empty;
#   - --diff applied with patch gives the stdout result.
set -uo pipefail
bin=$(realpath "$1") case=$(realpath "$2")
name=$(basename "$case")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL pin/$name: $*"
	fail=1
}
args=()
[ -f "$case/args" ] && mapfile -t args <"$case/args"
fresh() { # fresh DIR: a copy of the case
	rm -rf "$1" && mkdir -p "$1" && cp -p "$case"/* "$1"/ &&
		rm -f "$1"/expected.* "$1"/exit "$1"/check.exit "$1"/args
}
# expect FILE ACTUAL: ACTUAL's text is the case's FILE (written when missing)
expect() {
	if [ ! -e "$case/$1" ]; then
		cp "$2" "$case/$1"
		bad "$1 was missing: written from the output, review it"
	elif ! cmp -s "$case/$1" "$2"; then
		bad "$1 differs:"
		diff -u "$case/$1" "$2" | head -30
	fi
}

fresh "$tmp/a"
(cd "$tmp/a" && "$bin" pin "${args[@]}" compose.yaml >"$tmp/out" 2>"$tmp/err")
rc=$?
echo "$rc" >"$tmp/rc"
expect exit "$tmp/rc"
expect expected.err "$tmp/err"
want=$(cat "$case/exit" 2>/dev/null || echo 0)

(cd "$tmp/a" && "$bin" pin "${args[@]}" --check compose.yaml >"$tmp/cout" 2>"$tmp/cerr")
echo "$?" >"$tmp/crc"
expect expected.check "$tmp/cout"
expect check.exit "$tmp/crc"

fresh "$tmp/w"
(cd "$tmp/w" && "$bin" pin "${args[@]}" -w compose.yaml >"$tmp/wout" 2>/dev/null)
wrc=$?
[ "$wrc" = "$rc" ] || bad "-w exits $wrc, stdout mode $rc"
[ -s "$tmp/wout" ] && bad "-w printed to stdout"
for f in "$case"/*.lock; do
	cmp -s "$f" "$tmp/w/$(basename "$f")" || bad "-w changed the lock $(basename "$f")"
done
if [ "$want" != 0 ]; then
	[ -s "$tmp/out" ] && bad "stdout not empty on exit $rc"
	cmp -s "$case/compose.yaml" "$tmp/w/compose.yaml" || bad "-w changed the file on exit $rc"
	[ $fail = 0 ] && echo "ok pin/$name (refused, exit $rc)"
	exit $fail
fi
expect expected.yml "$tmp/out"
cmp -s "$tmp/out" "$tmp/w/compose.yaml" || bad "-w wrote other bytes than stdout mode"

fresh "$tmp/d"
(cd "$tmp/d" && "$bin" pin "${args[@]}" --diff compose.yaml >"$tmp/diff" 2>/dev/null) ||
	bad "--diff failed"
if [ -s "$tmp/diff" ]; then
	(cd "$tmp/d" && patch -s -p1 <"$tmp/diff") || bad "--diff does not apply"
	cmp -s "$tmp/out" "$tmp/d/compose.yaml" || bad "--diff applied differs from stdout"
elif ! cmp -s "$tmp/out" "$case/compose.yaml"; then
	bad "--diff empty but the file changes"
fi

cp "$tmp/out" "$tmp/w/compose.yaml"
(cd "$tmp/w" && "$bin" pin "${args[@]}" compose.yaml >"$tmp/again" 2>/dev/null) ||
	bad "pinning the result failed"
cmp -s "$tmp/out" "$tmp/again" || bad "not idempotent"
(cd "$tmp/w" && "$bin" pin "${args[@]}" --check compose.yaml >"$tmp/c2" 2>&1) ||
	bad "--check fails on the result: $(cat "$tmp/c2")"
[ $fail = 0 ] && echo "ok pin/$name"
exit $fail

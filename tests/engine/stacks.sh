#!/usr/bin/env bash
# stacks.sh BIN SRCDIR BUILDDIR [STACK...]: hardened stacks still start.
#
# Starts a Docker engine of its own (engine.sh), builds the test images from
# Debian packages (images/), then runs every stack under stacks/ six ways:
#   none         as written (the stack itself is sound)
#   baseline, production, strict
#                hardened to stdout with that profile
#   write-root   `-w --profile strict` run as root (secrets moved to files
#                and .env)
#   write-user   the same run by a non-root user (uid 4242) who owns the
#                folder, as on a developer's machine
# Each run: `docker compose up -d --wait`; every service running and
# healthy; inspect.js proves each hardening key took effect (or a note says
# why a transform left a service alone); the stack's check.sh proves the
# secrets reached the services; `docker compose down -v`.
# Prints a table (stack, mode, result, seconds) and writes it to
# BUILDDIR/engine/results.md. Exit 77 (skipped) when no engine can start,
# unless HC_ENGINE_REQUIRED=1.
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
shift 3
here=$src/tests/engine
. "$here/engine.sh"

command -v node >/dev/null || engine_skip "node is not installed (inspect.js)"
command -v curl >/dev/null || engine_skip "curl is not installed"
command -v setpriv >/dev/null || engine_skip "setpriv is not installed"
cache=${HC_ENGINE_CACHE:-$build/engine-cache}
# one engine run at a time on a machine: the stacks publish fixed ports on
# 127.0.0.1
exec 9>/tmp/hardcompose-engine.lock
flock 9
t0=$(date +%s)
DOCKER_CONFIG=$(bash "$here/compose-v2.sh" "$cache") || engine_skip "Docker Compose v2 is not available"
export DOCKER_CONFIG
engine_start "$build/engine"
trap engine_stop EXIT
engine_base "$cache" || { echo "engine: base image failed"; exit 1; }
t1=$(date +%s)
engine_images "$here/images" || { echo "engine: image build failed"; exit 1; }
t2=$(date +%s)
echo "engine: ready in $((t1 - t0)) s, images built in $((t2 - t1)) s"

stacks=("$@")
[ ${#stacks[@]} -gt 0 ] || stacks=($(cd "$here/stacks" && ls -d */ | tr -d /))
modes=(none baseline production strict write-root write-user)
work=$build/engine/work
rm -rf "$work"
mkdir -p "$work"
chmod 0755 "$work"
results=$build/engine/results.md
printf '| stack | mode | result | seconds |\n| --- | --- | --- | ---: |\n' >"$results"

# expect WHAT WANT CMD...: CMD's trimmed stdout is WANT; WANT "" also
# means CMD must fail (a refusal).
expect() {
	local what=$1 want=$2 got rc
	shift 2
	got=$("$@" 2>>"$log")
	rc=$?
	got=$(printf '%s' "$got" | tr -d '\r' | sed -e 's/[[:space:]]*$//')
	if [ "$got" = "$want" ] && { [ -n "$want" ] || [ $rc -ne 0 ]; }; then
		echo "  ok: $what"
	else
		echo "  FAIL: $what: wanted '$want', got '$got' (exit $rc)"
		bad=1
	fi
}

# healthy: every service of the project is running and healthy (or running
# without a healthcheck).
healthy() {
	local ids id state n=0
	ids=$(dc ps -aq) || return 1
	for id in $ids; do
		n=$((n + 1))
		state=$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} oom={{.State.OOMKilled}} exit={{.State.ExitCode}}' "$id")
		case $state in
		*" running healthy "* | *" running none "*) ;;
		*) echo "  FAIL: not healthy: $state"; return 1 ;;
		esac
	done
	[ "$n" -gt 0 ]
}

run_one() { # stack mode
	local stack=$1 mode=$2 dir=$work/$1-$2 profile
	rm -rf "$dir"
	cp -r "$here/stacks/$stack" "$dir"
	case $mode in
	none | baseline | production | strict)
		profile=$mode
		"$bin" --profile "$profile" <"$dir/compose.yaml" >"$dir/hardened.yaml" ||
			{ echo "  FAIL: hardcompose --profile $profile exited $?"; return 1; }
		mv "$dir/hardened.yaml" "$dir/compose.yaml"
		;;
	write-root)
		profile=strict
		"$bin" -w --profile strict "$dir/compose.yaml" >/dev/null ||
			{ echo "  FAIL: hardcompose -w exited $?"; return 1; }
		;;
	write-user)
		profile=strict
		chown -R 4242:4242 "$dir"
		setpriv --reuid=4242 --regid=4242 --clear-groups env HOME="$dir" \
			"$bin" -w --profile strict "$dir/compose.yaml" >/dev/null ||
			{ echo "  FAIL: hardcompose -w as uid 4242 exited $?"; return 1; }
		;;
	esac
	# what the transforms left alone, and why (notes), for inspect.js
	"$bin" --check --format json --profile "$profile" "$here/stacks/$stack/compose.yaml" \
		>"$dir/check.json" 2>/dev/null
	if cmp -s "$here/stacks/$stack/compose.yaml" "$dir/compose.yaml"; then
		[ "$mode" = none ] || { echo "  FAIL: hardening changed nothing"; return 1; }
	else
		[ "$mode" != none ] || { echo "  FAIL: --profile none changed the file"; return 1; }
	fi
	cd "$dir" || return 1
	dc() { docker compose -p "hc-$stack-$mode" "$@"; }
	log=$dir/compose.log
	if ! dc up -d --wait --wait-timeout 150 >>"$log" 2>&1; then
		echo "  FAIL: docker compose up --wait failed: $(grep -v '^ *$' "$log" | tail -3 | tr '\n' ' ')"
		healthy
		for s in $(dc ps -a --services); do
			echo "  --- logs of $s"
			dc logs --no-color --tail 8 "$s" 2>&1 | sed 's/^/  /'
		done
		return 1
	fi
	healthy || return 1
	dc config --format json >"$dir/config.json" 2>>"$log" || { echo "  FAIL: compose config"; return 1; }
	docker inspect $(dc ps -aq) >"$dir/inspect.json" || return 1
	node "$here/inspect.js" "$dir/config.json" "$dir/inspect.json" "$dir/check.json" "$profile" || return 1
	bad=0
	. "$dir/check.sh"
	[ $bad = 0 ] || return 1
	if [ "${mode#write-}" != "$mode" ]; then
		# -w wrote no plaintext: the compose file holds no secret value now
		local v
		for v in $(grep -ho '[A-Za-z0-9_-]*[Pp]a55word\|Sup3rS3cret-pg\|r00t-Maria-pw\|cms-Maria-pw\|tok_9c2f1e77a0b84d5e\|8f14e45fceea167a5a36dedd4bea2543' "$here/stacks/$stack/compose.yaml" | sort -u); do
			if grep -q -- "$v" "$dir/compose.yaml"; then
				echo "  FAIL: a secret value is still in compose.yaml after -w"
				return 1
			fi
		done
		echo "  ok: no secret value left in compose.yaml; side files: $(cd "$dir" && ls -d .env secrets/* 2>/dev/null | tr '\n' ' ')"
	fi
	return 0
}

# One lane per stack, run side by side (each stack has its own host ports
# and project names); the modes of a stack run one after the other.
lane() { # stack
	local stack=$1 mode s e rc r
	for mode in "${modes[@]}"; do
		echo "== $stack / $mode"
		s=$(date +%s)
		( run_one "$stack" "$mode" )
		rc=$?
		(cd "$work/$stack-$mode" 2>/dev/null && docker compose -p "hc-$stack-$mode" down -v -t 5 >/dev/null 2>&1)
		e=$(($(date +%s) - s))
		if [ $rc = 0 ]; then r=healthy; else r=FAILED; fi
		echo "   $r in $e s"
		printf '| %s | %s | %s | %s |\n' "$stack" "$mode" "$r" "$e" >>"$work/$stack.rows"
	done
}
lanes=()
for stack in "${stacks[@]}"; do
	lane "$stack" >"$work/$stack.log" 2>&1 &
	lanes+=($!)
done
wait "${lanes[@]}" # not a bare wait: dockerd is a child of this shell too
for stack in "${stacks[@]}"; do
	cat "$work/$stack.log"
	cat "$work/$stack.rows" >>"$results"
done
failed=$(grep -c '| FAILED |' "$results")
t3=$(date +%s)
echo
cat "$results"
echo "engine: ${#stacks[@]} stacks x ${#modes[@]} modes, $failed failed; engine $((t1 - t0)) s, images $((t2 - t1)) s, stacks $((t3 - t2)) s, total $((t3 - t0)) s"
[ $failed = 0 ]

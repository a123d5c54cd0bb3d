#!/usr/bin/env bash
# config.sh BIN SRCDIR BUILDDIR: Docker Compose v2 (`docker compose config`,
# no daemon needed) as an oracle over every golden output and every hardened
# corpus output: baseline, production and strict to stdout, and `-w
# --profile strict` results with the .env and secret files they wrote.
# Whenever Compose accepts the input it must accept the output, and its
# normalized model must equal the input's apart from the declared hardening
# (config.js; moved secrets are read back from their files). Input and
# output are read in the same folder with the same project name.
# Exit 77 (skipped) without Compose v2 or node, unless HC_ENGINE_REQUIRED=1.
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
here=$src/tests/engine
. "$here/engine.sh"
command -v node >/dev/null || engine_skip "node is not installed"
engine_compose_v2 "$build"
# the plugin binary runs standalone too (docker-compose ...): one process,
# which a timeout can kill (the CLI does not pass signals on to plugins)
export HC_COMPOSE=$DOCKER_CONFIG/cli-plugins/docker-compose
unset DOCKER_HOST
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=$tmp/jobs
: >"$jobs"
n=0

# A job is a folder holding in.yaml and out.yaml (or the files a --write run
# left) and a label.
add() { echo "$1 $2" >>"$jobs"; }

for g in "$src"/golden/*/*/; do
	g=${g%/}
	[ -f "$g/input.yml" ] || continue # golden/overlay/: engine/overlay.sh
	[ -f "$g/report" ] && continue
	if [ -f "$g/write" ]; then
		[ -f "$g/exit" ] && [ "$(tr -d '[:space:]' <"$g/exit")" != 0 ] && continue
		n=$((n + 1)); d=$tmp/j$n; mkdir -p "$d"
		[ -d "$g/before" ] && cp -a "$g/before/." "$d/"
		cp "$g/input.yml" "$d/in.yaml"
		cp "$g/input.yml" "$d/out.yaml"
		args=()
		[ -f "$g/args" ] && read -r -a args <"$g/args"
		(cd "$d" && "$bin" "${args[@]}" -w out.yaml) >/dev/null 2>&1 || { echo "FAIL golden/${g#$src/golden/}: -w failed"; continue; }
		# deploy.env: what the deployer's environment supplies (secrets.target=
		# external writes no value anywhere); the input does not read it
		[ -f "$g/deploy.env" ] && cat "$g/deploy.env" >>"$d/.env"
		add "$d" "${g#$src/}(-w)"
	else
		[ -f "$g/exit" ] && continue
		n=$((n + 1)); d=$tmp/j$n; mkdir -p "$d"
		cp "$g/input.yml" "$d/in.yaml"
		cp "$g/expected.yml" "$d/out.yaml"
		add "$d" "${g#$src/}"
	fi
done
corpus=$src/../shared/corpus/files
if [ -d "$corpus" ]; then
	for f in "$corpus"/*; do
		for p in baseline production strict; do
			n=$((n + 1)); d=$tmp/j$n; mkdir -p "$d"
			cp "$f" "$d/in.yaml"
			"$bin" --profile $p <"$f" >"$d/out.yaml" 2>/dev/null || { rm -rf "$d"; continue; }
			add "$d" "corpus/${f##*/}($p)"
		done
		n=$((n + 1)); d=$tmp/j$n; mkdir -p "$d"
		cp "$f" "$d/in.yaml"
		cp "$f" "$d/out.yaml"
		(cd "$d" && "$bin" --profile strict -w out.yaml) >/dev/null 2>&1 || { rm -rf "$d"; continue; }
		add "$d" "corpus/${f##*/}(strict -w)"
	done
else
	echo "config: ../shared/corpus is absent: golden files only"
fi

# config of both files of each job, two at a time
one() {
	local d=$1
	# 20 s: Compose expands alias bombs (golden/errors) until it runs out
	(cd "$d" && timeout -s KILL 20 "$HC_COMPOSE" -p hc -f in.yaml config --format json >in.json 2>in.err) ||
		{ echo rejected >"$d/state"; return; }
	if (cd "$d" && timeout -s KILL 20 "$HC_COMPOSE" -p hc -f out.yaml config --format json >out.json 2>out.err); then
		echo ok >"$d/state"
	else
		echo regressed >"$d/state"
	fi
}
export -f one
cut -d' ' -f1 "$jobs" | xargs -P 2 -I{} bash -c 'one "$1"' _ {} 2>/dev/null

list=$tmp/list
: >"$list"
total=0 rejected=0 regressed=0
while read -r d label; do
	total=$((total + 1))
	case $(cat "$d/state") in
	rejected)
		rejected=$((rejected + 1))
		# why, with the folder's path taken out
		grep -v '^ *$' "$d/in.err" | tail -1 | sed -e "s|$d/||g" -e 's/"[^"]*"/"…"/g' |
			cut -c1-90 >>"$tmp/why" ;;
	regressed)
		regressed=$((regressed + 1))
		echo "FAIL $label: Compose accepts the input, not the output: $(grep -v '^ *$' "$d/out.err" | tail -1)" ;;
	ok) echo "$d/in.json $d/out.json $label" >>"$list" ;;
	esac
done <"$jobs"
echo "config: $total pairs; Compose rejects $rejected inputs (missing env files, unset required variables, ...); $regressed outputs rejected where the input was accepted"
[ -s "$tmp/why" ] && { echo "config: why Compose rejects inputs (most common):"; sort "$tmp/why" | uniq -c | sort -rn | head -8; }
node "$here/config.js" "$list"
rc=$?
# the oracle itself must see a changed image, a lost port, a value that
# changed, and a secret file that holds something else
selftest() { # NAME IN OUT [SECRET-FILE-CONTENT]
	local d=$tmp/self-$1
	mkdir -p "$d"
	printf '%b' "$2" >"$d/in.yaml"
	printf '%b' "$3" >"$d/out.yaml"
	[ $# -gt 3 ] && printf '%s' "$4" >"$d/pw"
	(cd "$d" && "$HC_COMPOSE" -p hc -f in.yaml config --format json >in.json &&
		"$HC_COMPOSE" -p hc -f out.yaml config --format json >out.json) 2>/dev/null ||
		{ echo "FAIL: self-test $1: Compose rejects it"; rc=1; return; }
	echo "$d/in.json $d/out.json self-test $1" >"$d/list"
	if node "$here/config.js" "$d/list" >/dev/null; then
		echo "FAIL: the oracle accepts a changed model ($1)"
		rc=1
	fi
}
base='services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    environment:\n      PW: s3cret\n'
selftest image "$base" 'services:\n  web:\n    image: nginx:1.28\n    ports: ["80:80"]\n    environment:\n      PW: s3cret\n'
selftest port "$base" 'services:\n  web:\n    image: nginx:1.27\n    ports: ["81:80"]\n    environment:\n      PW: s3cret\n'
selftest value "$base" 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    environment:\n      PW: s3cret2\n'
selftest secret "$base" 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    environment:\n      PW_FILE: /run/secrets/pw\n    secrets: [pw]\nsecrets:\n  pw:\n    file: ./pw\n' other
[ $rc = 0 ] && echo "config: self-tests: the oracle sees a changed image, port, value and secret file"
[ $regressed = 0 ] && [ $rc = 0 ] && [ $((total - rejected)) -gt 0 ]

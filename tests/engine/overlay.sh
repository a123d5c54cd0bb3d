#!/usr/bin/env bash
# overlay.sh BIN SRCDIR BUILDDIR: the proof of --overlay (docs/overlays.md).
# For every golden/overlay case and every corpus file (baseline, production
# and strict to stdout, strict with -w), Docker Compose v2's model of the
# base merged with the overlay (`config -f compose.yaml -f compose.prod.yaml`)
# must equal its model of the file hardened in place (`config -f
# compose.yaml`): zero differences. The two runs use two folders; their
# paths are replaced by DIR before comparing. The overlay run must leave
# the base byte for byte (apart from moved secrets with -w), and a second
# run must change nothing.
# A base that Compose cannot read as it is gets what it lacks in both
# folders (empty env_files, dummy values for required variables); a case
# still not compared is counted and listed by reason.
# HC_OVERLAY_NO_CORPUS=1: the golden cases only (a quick local run).
# Exit 77 (skipped) without Compose v2, unless HC_ENGINE_REQUIRED=1.
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
here=$src/tests/engine
. "$here/engine.sh"
engine_compose_v2 "$build"
export HC_COMPOSE=$DOCKER_CONFIG/cli-plugins/docker-compose HC_BIN=$bin
unset DOCKER_HOST
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=$tmp/jobs
: >"$jobs"
n=0
# A job: a folder holding base.yaml, mode (stdout or write), args.
add() { # LABEL BASE MODE [BEFORE-DIR] ARGS...
	local label=$1 base=$2 mode=$3 before=$4
	shift 4
	n=$((n + 1))
	local d=$tmp/j$n
	mkdir -p "$d/A" "$d/B"
	[ -n "$before" ] && [ -d "$before" ] && cp -a "$before/." "$d/A/" && cp -a "$before/." "$d/B/"
	cp "$base" "$d/base.yaml"
	echo "$mode" >"$d/mode"
	: >"$d/args"
	[ $# -gt 0 ] && printf '%s\n' "$@" >"$d/args"
	echo "$label" >"$d/label"
	echo "$d" >>"$jobs"
}
for g in "$src"/golden/overlay/*/; do
	g=${g%/}
	args=()
	[ -f "$g/args" ] && read -r -a args <"$g/args"
	mode=stdout
	[ -f "$g/write" ] && mode=write
	add "golden/overlay/${g##*/}" "$g/base.yml" $mode "$g/before" "${args[@]}"
done
corpus=$src/../shared/corpus/files
if [ -d "$corpus" ] && [ -z "${HC_OVERLAY_NO_CORPUS:-}" ]; then
	for f in "$corpus"/*; do
		for p in baseline production strict; do
			add "corpus/${f##*/}($p)" "$f" stdout "" --profile $p
		done
		add "corpus/${f##*/}(strict -w)" "$f" write "" --profile strict
	done
else
	echo "overlay: no corpus (../shared/corpus absent, or HC_OVERLAY_NO_CORPUS set): golden cases only"
fi

# config DIR FILES...: Compose's model as JSON in DIR/model.json, the folder's
# path replaced by DIR; its error in DIR/config.err
config() {
	local d=$1
	shift
	local fs=()
	for f in "$@"; do fs+=(-f "$f"); done
	(cd "$d" && set -a && . ../vars && set +a &&
		timeout -s KILL 20 "$HC_COMPOSE" -p hc "${fs[@]}" config --format json >model.raw 2>config.err) || return 1
	sed "s|$d|DIR|g" "$d/model.raw" >"$d/model.json"
}
# makes the base readable by Compose where only a missing env file or a
# required variable stops it; the reason otherwise in $d/why
runnable() {
	local d=$1 i m
	for ((i = 0; i < 300; i++)); do
		config "$d/A" compose.yaml && return 0
		m=$(grep -v '^ *$' "$d/A/config.err" | tail -1)
		if [[ $m =~ env\ file\ ([^ ]+)\ not\ found ]] || [[ $m =~ ^stat\ ([^ ]+\.env):\ no\ such ]]; then
			local p=${BASH_REMATCH[1]}
			local r=${p#"$d/A/"}
			if [ "$r" = "$p" ]; then
				# beside the folder (../x.env): one file both folders share
				[ "${p#"$d/"}" != "$p" ] || { echo "an env file outside the test's folder" >"$d/why"; return 1; }
				mkdir -p "$(dirname "$p")"; : >"$p"
				continue
			fi
			mkdir -p "$d/A/$(dirname "$r")" "$d/B/$(dirname "$r")"
			: >"$d/A/$r"; : >"$d/B/$r"
		elif [[ $m =~ open\ ([^ ]+):\ no\ such\ file ]] && [ "${BASH_REMATCH[1]#"$d/A/"}" != "${BASH_REMATCH[1]}" ]; then
			# an included or extended file the corpus lacks: an empty project
			local r=${BASH_REMATCH[1]#"$d/A/"}
			mkdir -p "$d/A/$(dirname "$r")" "$d/B/$(dirname "$r")"
			printf 'services: {}\n' >"$d/A/$r"; printf 'services: {}\n' >"$d/B/$r"
			echo "$r" >>"$d/dummies"
		elif [[ $m =~ service\ \"([^\"]+)\"\ not\ found\ in\ ([^ ]+)$ ]]; then
			local s=${BASH_REMATCH[1]} r=${BASH_REMATCH[2]#"$d/A/"}
			grep -qx "$r" "$d/dummies" 2>/dev/null || { echo "$m" | cut -c1-100 >"$d/why"; return 1; }
			sed -i 's/^services: {}$/services:/' "$d/A/$r"
			printf '  %s:\n    image: busybox\n' "$s" >>"$d/A/$r"
			cp "$d/A/$r" "$d/B/$r"
		elif [[ $m =~ required\ variable\ ([A-Za-z_][A-Za-z0-9_]*)\ is\ missing ]]; then
			echo "${BASH_REMATCH[1]}=dummy" >>"$d/vars"
		else
			echo "$m" | sed -e "s|$d/A/||g" -e 's/"[^"]*"/"…"/g' -e 's/^.*\(no such file or directory\)/a file of its project is absent (include, extends): \1/' |
				sed -E 's/(service|network|volume) [a-z0-9_.-]+/\1 …/g' | cut -c1-100 >"$d/why"
			return 1
		fi
	done
	echo "still not readable after 300 fixes" >"$d/why"
	return 1
}
one() {
	local d=$1 mode args
	mode=$(cat "$d/mode")
	mapfile -t args <"$d/args"
	: >"$d/vars"
	cp "$d/base.yaml" "$d/A/compose.yaml"
	cp "$d/base.yaml" "$d/B/compose.yaml"
	if ! runnable "$d"; then echo skip >"$d/state"; return; fi
	local bw=() rc
	[ "$mode" = write ] && bw=(-w)
	if [ "$mode" = write ]; then
		(cd "$d/A" && "$HC_BIN" "${args[@]}" -w compose.yaml) >/dev/null 2>"$d/a.err"
	else
		(cd "$d/A" && "$HC_BIN" "${args[@]}" compose.yaml >out.yaml 2>"$d/a.err" && mv out.yaml compose.yaml)
	fi
	rc=$?
	# the stand-ins for absent files stay as they were (-w hardens what a
	# file includes or extends too; --overlay only the base)
	[ -f "$d/dummies" ] && while read -r r; do cp "$d/B/$r" "$d/A/$r"; done <"$d/dummies"
	if [ $rc -ne 0 ]; then
		echo "hardcompose refuses the base in place (exit $rc)" >"$d/why"
		echo skip >"$d/state"
		return
	fi
	if [ "$mode" = write ]; then
		(cd "$d/B" && "$HC_BIN" "${args[@]}" -w --overlay compose.prod.yaml compose.yaml) >/dev/null 2>"$d/b.err"
	else
		(cd "$d/B" && "$HC_BIN" "${args[@]}" --overlay compose.prod.yaml compose.yaml >o.yaml 2>"$d/b.err" &&
			mv o.yaml compose.prod.yaml)
	fi
	rc=$?
	[ $rc -eq 0 ] || { echo "fail --overlay exits $rc: $(head -1 "$d/b.err")" >"$d/state"; return; }
	if [ "$mode" = stdout ] || ! grep -q 'plaintext secret' "$d/b.err"; then
		cmp -s "$d/base.yaml" "$d/B/compose.yaml" || { echo "fail the base changed" >"$d/state"; return; }
	fi
	# a second run changes nothing
	cp "$d/B/compose.prod.yaml" "$d/first.yaml"
	cp "$d/B/compose.yaml" "$d/firstbase.yaml"
	if [ "$mode" = write ]; then
		(cd "$d/B" && "$HC_BIN" "${args[@]}" -w --overlay compose.prod.yaml compose.yaml) >/dev/null 2>&1
	else
		(cd "$d/B" && "$HC_BIN" "${args[@]}" --overlay compose.prod.yaml compose.yaml >"$d/again.yaml" 2>/dev/null &&
			cp "$d/again.yaml" compose.prod.yaml)
	fi
	cmp -s "$d/first.yaml" "$d/B/compose.prod.yaml" && cmp -s "$d/firstbase.yaml" "$d/B/compose.yaml" ||
		{ echo "fail a second run changes the overlay or the base" >"$d/state"; return; }
	if ! config "$d/A" compose.yaml; then
		echo "Compose rejects the file hardened in place (tests/engine/config.sh's concern)" >"$d/why"
		echo skip >"$d/state"
		return
	fi
	cp "$d/A/model.json" "$d/a.json"
	config "$d/B" compose.yaml compose.prod.yaml ||
		{ echo "fail Compose rejects base + overlay: $(grep -v '^ *$' "$d/B/config.err" | tail -1)" >"$d/state"; return; }
	if diff "$d/a.json" "$d/B/model.json" >"$d/model.diff"; then
		echo same >"$d/state"
	else
		echo "fail the models differ" >"$d/state"
	fi
}
export -f one config runnable
xargs -P 2 -I{} bash -c 'one "$1"' _ {} <"$jobs" 2>/dev/null

total=0 same=0 skipped=0 failed=0
: >"$tmp/why"
while read -r d; do
	total=$((total + 1))
	label=$(cat "$d/label")
	st=$(cat "$d/state" 2>/dev/null || echo "fail no result")
	case $st in
	same) same=$((same + 1)) ;;
	skip) skipped=$((skipped + 1)); echo "$(cat "$d/why")" >>"$tmp/why"; echo "overlay: not compared: $label: $(cat "$d/why")" ;;
	*)
		failed=$((failed + 1))
		echo "FAIL $label: ${st#fail }"
		[ -s "$d/model.diff" ] && head -20 "$d/model.diff" ;;
	esac
done <"$jobs"
echo "overlay: $total cases; $same compared with zero differences; $skipped not compared; $failed failed"
if [ -s "$tmp/why" ]; then
	echo "overlay: not compared, by reason:"
	sort "$tmp/why" | uniq -c | sort -rn
fi
[ $failed = 0 ] && [ $same -gt 0 ]

#!/usr/bin/env bash
# project-config.sh BIN SRCDIR BUILDDIR: Docker Compose v2 as the oracle of
# project mode (docs/project.md). For every case of tests/project/ that is
# not an error case:
#   A  the project hardened in place: `hardcompose -w ARGS`, then
#      `docker compose [-f ...] config` (the project as Compose merges it);
#   B  the project flattened first: `docker compose [-f ...] config` into one
#      file, that file hardened alone (`hardcompose -w`), then
#      `docker compose -f flat config`.
# A must equal B byte for byte, top-level `x-` keys aside: the merged model
# is hardened exactly once (no item twice, none missing) and nothing else
# changed. Compose ignores top-level extension fields (their anchors are
# already resolved in the services), and the extension-blocks transform
# makes its `x-hardening` block only where one file has enough services
# sharing the values, which the flat file has more often. Each case runs
# with the profiles baseline, production and strict. Both sides run in the
# same folder (same paths) with the same project name. -f stands for -F;
# --project for Compose's own discovery (COMPOSE_FILE, .env, default names);
# a case's `cwd` file names the folder of in/ the runs start in; a case
# with an `oracle-skip` file (its reason) is left out and counted apart.
# Exit 77 (skipped) without Compose v2, unless HC_ENGINE_REQUIRED=1.
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
here=$src/tests/engine
. "$here/engine.sh"
engine_compose_v2 "$build"
cfg=$DOCKER_CONFIG
compose=$cfg/cli-plugins/docker-compose
unset DOCKER_HOST COMPOSE_FILE COMPOSE_PATH_SEPARATOR COMPOSE_PROJECT_NAME
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
w=$tmp/w
n=0 same=0 differ=0 skipped=0
# config without its top-level x- keys
nox() { awk '/^[^ ]/ { skip = /^x-/ } !skip' "$1"; }
for prof in baseline production strict; do
for dir in "$src"/tests/project/*/; do
	dir=${dir%/}
	[ -f "$dir/exit" ] && continue
	if [ -f "$dir/oracle-skip" ]; then
		[ "$prof" = baseline ] && echo "skip ${dir##*/}: $(cat "$dir/oracle-skip")"
		skipped=$((skipped + 1)); continue
	fi
	name="${dir##*/} ($prof)"
	n=$((n + 1))
	cwd=.
	[ -f "$dir/cwd" ] && cwd=$(cat "$dir/cwd")
	read -r -a args <"$dir/args"
	sel=()
	for ((i = 0; i < ${#args[@]}; i++)); do
		case ${args[i]} in
		-F | --file) sel+=(-f "${args[i + 1]}"); i=$((i + 1)) ;;
		--project) ;;
		*) echo "FAIL $name: args '${args[i]}' has no Compose equivalent"; differ=$((differ + 1)); continue 2 ;;
		esac
	done
	(
		[ -f "$dir/env" ] && while IFS= read -r kv; do [ -n "$kv" ] && export "${kv?}"; done <"$dir/env"
		rm -rf "$w" && cp -a "$dir/in" "$w" && cd "$w/$cwd" || exit 1
		"$bin" -p "$prof" -w "${args[@]}" >/dev/null 2>"$tmp/a.err" || { echo "A: hardcompose -w failed: $(head -2 "$tmp/a.err")"; exit 1; }
		timeout -s KILL 30 "$compose" -p hc "${sel[@]}" config >"$tmp/a.yaml" 2>"$tmp/a.err" ||
			{ echo "A: compose config refused the hardened project: $(head -2 "$tmp/a.err")"; exit 1; }
		rm -rf "$w" && cp -a "$dir/in" "$w" && cd "$w/$cwd" || exit 1
		timeout -s KILL 30 "$compose" -p hc "${sel[@]}" config >"$tmp/flat.compose.yaml" 2>"$tmp/b.err" ||
			{ echo "B: compose config refused the input: $(head -2 "$tmp/b.err")"; exit 1; }
		cp "$tmp/flat.compose.yaml" flat.compose.yaml
		"$bin" -p "$prof" -w flat.compose.yaml >/dev/null 2>"$tmp/b.err" || { echo "B: hardcompose -w on the flat file failed: $(head -2 "$tmp/b.err")"; exit 1; }
		timeout -s KILL 30 "$compose" -p hc -f flat.compose.yaml config >"$tmp/b.yaml" 2>"$tmp/b.err" ||
			{ echo "B: compose config refused the hardened flat file: $(head -2 "$tmp/b.err")"; exit 1; }
		cmp -s "$tmp/flat.compose.yaml" flat.compose.yaml && { echo "B: hardening the flat file changed nothing: the case proves nothing"; exit 1; }
		diff -u <(nox "$tmp/b.yaml") <(nox "$tmp/a.yaml") >"$tmp/d" || { echo "A (project) differs from B (flattened):"; head -30 "$tmp/d"; exit 1; }
	) >"$tmp/log" 2>&1
	if [ $? = 0 ]; then
		same=$((same + 1)); echo "ok $name"
	else
		differ=$((differ + 1)); echo "FAIL $name:"; sed 's/^/  /' "$tmp/log"
	fi
done
done
echo "project-config: $n cases, $same equal to the flattened project's hardening, $differ differ ($skipped left out: oracle-skip)"
[ "$n" -gt 0 ] && [ "$differ" = 0 ]

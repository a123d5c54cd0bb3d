# engine.sh: sourced by the engine tests. Starts a Docker engine of the
# tests' own (dockerd from Debian's docker.io, vfs storage, its own data root,
# exec root and socket under the build folder), builds the test images from
# Debian packages, and stops the engine by its pid.
#
# Settings (environment):
#   HC_ENGINE_REQUIRED=1  a missing or failing engine is a failure, not a skip
#                         (.ci/run sets it: CI never skips these tests)
#   HC_ENGINE_CACHE=DIR   where the base image tarball and Compose v2 are kept
#                         between runs (default BUILD/engine-cache)
#
# Needs: root (dockerd), dockerd + containerd + runc (docker.io), mmdebstrap,
# the docker CLI. Network: apt reaches Debian's mirror; nothing else.

# skip REASON: exit 77 (ctest: skipped, with the reason), or 1 when required.
engine_skip() {
	if [ "${HC_ENGINE_REQUIRED:-0}" = 1 ]; then
		echo "engine: FAILED (required): $*" >&2
		exit 1
	fi
	echo "engine: SKIPPED: $*"
	exit 77
}

# engine_compose_v2 BUILD: Docker Compose v2 (tests/engine/compose-v2.sh,
# cached in HC_ENGINE_CACHE or BUILD/engine-cache); sets DOCKER_CONFIG to the
# folder whose cli-plugins/docker-compose it is, or skips.
engine_compose_v2() {
	command -v docker >/dev/null || engine_skip "the docker CLI is not installed"
	local cache=${HC_ENGINE_CACHE:-$1/engine-cache}
	DOCKER_CONFIG=$(bash "$(dirname "${BASH_SOURCE[0]}")/compose-v2.sh" "$cache") ||
		engine_skip "Docker Compose v2 is not available"
}

# engine_start DIR: dockerd on DIR/docker.sock; exports DOCKER_HOST.
engine_start() {
	ENGINE_DIR=$1
	[ "$(id -u)" = 0 ] || engine_skip "dockerd needs root (running as uid $(id -u))"
	command -v dockerd >/dev/null || engine_skip "dockerd not installed (apt-get install docker.io)"
	# docker.io's own CLI (it builds with BuildKit without the buildx plugin:
	# no intermediate containers, each a full copy under vfs)
	[ -x /usr/bin/docker ] || engine_skip "/usr/bin/docker (package docker.io) is not installed"
	mkdir -p "$ENGINE_DIR/data" "$ENGINE_DIR/exec" "$ENGINE_DIR/bin"
	ln -sf /usr/bin/docker "$ENGINE_DIR/bin/docker"
	export PATH=$ENGINE_DIR/bin:$PATH
	ENGINE_SOCK=$ENGINE_DIR/docker.sock
	ENGINE_PIDFILE=$ENGINE_DIR/dockerd.pid
	if [ -f "$ENGINE_PIDFILE" ] && kill -0 "$(cat "$ENGINE_PIDFILE")" 2>/dev/null; then
		engine_skip "a dockerd of an earlier run still holds $ENGINE_DIR (pid $(cat "$ENGINE_PIDFILE"))"
	fi
	rm -f "$ENGINE_PIDFILE" "$ENGINE_SOCK"
	# --bridge=none: no docker0 (a system engine may own that name); Compose
	# makes its own bridge networks. --ip=127.0.0.1: a port published without
	# a host address is still only reachable from this machine.
	dockerd --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
		--pidfile "$ENGINE_PIDFILE" -H "unix://$ENGINE_SOCK" \
		--storage-driver=vfs --bridge=none --ip=127.0.0.1 \
		>"$ENGINE_DIR/dockerd.log" 2>&1 &
	ENGINE_PID=$!
	export DOCKER_HOST=unix://$ENGINE_SOCK
	local i
	for i in $(seq 1 60); do
		docker version >/dev/null 2>&1 && break
		if ! kill -0 "$ENGINE_PID" 2>/dev/null; then
			tail -5 "$ENGINE_DIR/dockerd.log" >&2
			engine_skip "dockerd exited at start (log: $ENGINE_DIR/dockerd.log)"
		fi
		sleep 0.5
	done
	docker version >/dev/null 2>&1 || {
		engine_stop
		engine_skip "dockerd did not answer within 30 s"
	}
	echo "engine: dockerd $(docker version -f '{{.Server.Version}}') pid $ENGINE_PID, vfs, $ENGINE_DIR"
}

# engine_stop: removes every container, network and volume of this engine,
# then stops dockerd by its pid (never by name). Images stay in the data root
# as the cache of the next run.
engine_stop() {
	[ -n "${ENGINE_PID:-}" ] || return 0
	local ids
	ids=$(docker ps -aq 2>/dev/null) && [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
	docker network prune -f >/dev/null 2>&1
	docker volume prune -f >/dev/null 2>&1
	kill -TERM "$ENGINE_PID" 2>/dev/null
	local i
	for i in $(seq 1 60); do
		kill -0 "$ENGINE_PID" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$ENGINE_PID" 2>/dev/null && kill -KILL "$ENGINE_PID"
	wait "$ENGINE_PID" 2>/dev/null
	ENGINE_PID=
	# network namespaces dockerd left mounted under its exec root
	local m
	for m in $(awk -v d="$ENGINE_DIR/exec" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$ENGINE_DIR/exec" "$ENGINE_SOCK"
}

# engine_base CACHE: the base image hc-engine/debian:bookworm, imported from a
# tarball mmdebstrap makes of Debian's packages (kept in CACHE).
engine_base() {
	local cache=$1
	docker image inspect hc-engine/debian:bookworm >/dev/null 2>&1 && return 0
	mkdir -p "$cache"
	if [ ! -s "$cache/base.tar" ]; then
		command -v mmdebstrap >/dev/null || engine_skip "mmdebstrap not installed"
		# docs, manuals and locales left out: every vfs layer is a full copy
		mmdebstrap --variant=apt --include=gosu,procps,ca-certificates,busybox \
			--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
			bookworm "$cache/base.part.tar" http://deb.debian.org/debian >"$cache/mmdebstrap.log" 2>&1 ||
			{ tail -5 "$cache/mmdebstrap.log" >&2; engine_skip "mmdebstrap failed"; }
		mv "$cache/base.part.tar" "$cache/base.tar"
	fi
	docker import "$cache/base.tar" hc-engine/debian:bookworm >/dev/null
}

# engine_images DIR: builds every image under DIR (one folder each; its
# `tags` file names the tags: the first is built, the rest are aliases), two
# at a time (apt inside a build reaches Debian's mirror: --network host).
# Metadata lines cost nothing with BuildKit; each RUN or COPY is one copy.
engine_images() {
	local dir=$1
	export -f engine_build_one
	ls -d "$dir"/*/ | xargs -P 2 -I{} bash -c 'engine_build_one "$1"' _ {}
}

engine_build_one() {
	local d=${1%/} tag first= log
	log=$(mktemp)
	while read -r tag; do
		[ -n "$tag" ] || continue
		if [ -z "$first" ]; then
			first=$tag
			if ! DOCKER_BUILDKIT=1 docker build --progress=plain --network host -t "$tag" "$d" >"$log" 2>&1; then
				tail -20 "$log" >&2
				echo "engine: building $tag from $d failed" >&2
				rm -f "$log"
				return 1
			fi
		else
			docker tag "$first" "$tag" || return 1
		fi
	done <"$d/tags"
	rm -f "$log"
}

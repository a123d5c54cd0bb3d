#!/usr/bin/env bash
# pin.sh BIN SRCDIR BUILDDIR: `hardcompose pin` against a real engine and a
# real registry (docs/pinning.md).
#
# Starts the tests' Docker engine (engine.sh) and Debian's docker-registry
# on 127.0.0.1:<free port> (dockerd allows 127.0.0.1 registries without
# TLS), pushes the engine tests' base image and their example/worker image
# to it, then:
#   - `pin --from-docker` writes a lock whose digests are the ones the
#     registry itself serves (Docker-Content-Digest of each manifest, asked
#     with curl: an oracle independent of docker image inspect);
#   - an image tagged for the registry but never pushed has no RepoDigest:
#     --from-docker names it, exit 3, the lock is not touched;
#   - `pin -w` pins the compose file; the local copies of the registry's
#     references are removed; `docker compose pull` and `up --wait`
#     (Compose v2) fetch and run exactly the pinned references;
#   - a wrong digest in the lock: `pin --check` exits 1 naming the image,
#     and the file pinned to it is refused by the registry on pull.
# Exit 77 (skipped) when no engine, registry or Compose v2 can be had,
# unless HC_ENGINE_REQUIRED=1.
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2") build=$(realpath "$3")
here=$src/tests/engine
. "$here/engine.sh"

command -v curl >/dev/null || engine_skip "curl is not installed"
command -v python3 >/dev/null || engine_skip "python3 is not installed (a free port)"
[ -x /usr/bin/docker-registry ] || engine_skip "docker-registry is not installed (apt-get install docker-registry)"
cache=${HC_ENGINE_CACHE:-$build/engine-cache}
exec 9>/tmp/hardcompose-engine.lock
flock 9
DOCKER_CONFIG=$(bash "$here/compose-v2.sh" "$cache") || engine_skip "Docker Compose v2 is not available"
export DOCKER_CONFIG
tmp=$(mktemp -d)
chmod 0755 "$tmp"
regpid=
cleanup() {
	[ -n "$regpid" ] && kill "$regpid" 2>/dev/null && wait "$regpid" 2>/dev/null
	engine_stop
	rm -rf "$tmp"
}
engine_start "$build/engine"
trap cleanup EXIT
engine_base "$cache" || { echo "engine: base image failed"; exit 1; }
docker image inspect example/worker:1 >/dev/null 2>&1 || engine_build_one "$here/images/worker" ||
	{ echo "engine: building example/worker failed"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
mkdir -p "$tmp/registry"
cat >"$tmp/registry.yml" <<EOS
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $tmp/registry
http:
  addr: $reg
EOS
/usr/bin/docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
regpid=$!
for i in $(seq 1 40); do
	curl -fs "http://$reg/v2/" >/dev/null && break
	sleep 0.25
done
curl -fs "http://$reg/v2/" >/dev/null || {
	tail -5 "$tmp/registry.log"
	engine_skip "docker-registry did not answer on $reg"
}
echo "pin: registry $reg (pid $regpid)"

pass=0 fail=0
ok() {
	pass=$((pass + 1))
	echo "  ok: $1"
}
no() {
	fail=$((fail + 1))
	echo "  FAIL: $1"
}
t() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else no "$name"; fi
}

# push the engine tests' images to the registry
for img in hc-engine/debian:bookworm example/worker:1; do
	docker tag "$img" "$reg/$img" && docker push -q "$reg/$img" >>"$tmp/push.log" 2>&1 ||
		{ tail -5 "$tmp/push.log"; no "push $img"; }
done
# the registry's own digest of a manifest (an oracle beside docker)
served() { # served NAME TAG
	curl -fsI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$reg/v2/$1/manifests/$2" | tr -d '\r' |
		awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}'
}
dbase=$(served hc-engine/debian bookworm)
dworker=$(served example/worker 1)
t "registry serves both manifests" [ -n "$dbase" -a -n "$dworker" ]

p=$tmp/project && mkdir -p "$p"
cat >"$p/compose.yaml" <<EOS
# a project whose images come from the local registry
services:
  worker:
    image: "$reg/example/worker:1" # the worker
    environment:
      API_TOKEN: engine-test
    healthcheck:
      test: ["CMD", "busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8081/"]
      interval: 2s
      retries: 20
  base:
    image: $reg/hc-engine/debian:bookworm
    command: ["sleep", "300"]
EOS
cp "$p/compose.yaml" "$tmp/original.yaml"

# an image tagged for the registry, never pushed: no RepoDigest
n=$tmp/unpushed && mkdir -p "$n"
docker tag hc-engine/debian:bookworm "$reg/never/pushed:1"
printf 'services:\n  a:\n    image: %s/never/pushed:1\n' "$reg" >"$n/compose.yaml"
printf '# keep\n' >"$n/images.lock"
(cd "$n" && "$bin" pin --from-docker compose.yaml) >"$tmp/out" 2>"$tmp/err"
t "never pushed: exit 3" [ $? = 3 ]
t "never pushed: names the image" grep -qF "image '$reg/never/pushed:1' has no RepoDigest for $reg/never/pushed" "$tmp/err"
t "never pushed: lock untouched" [ "$(cat "$n/images.lock")" = "# keep" ]

# the lock from the engine, equal to what the registry serves
(cd "$p" && "$bin" pin --from-docker compose.yaml) >"$tmp/out" 2>"$tmp/err"
t "--from-docker: exit 0" [ $? = 0 ]
t "--from-docker: worker's digest is the registry's" grep -qxF "$reg/example/worker:1 $dworker" "$p/images.lock"
t "--from-docker: base's digest is the registry's" grep -qxF "$reg/hc-engine/debian:bookworm $dbase" "$p/images.lock"
(cd "$p" && "$bin" pin --check compose.yaml) >"$tmp/out" 2>&1
t "--check before pinning: exit 1" [ $? = 1 ]
(cd "$p" && "$bin" pin -w compose.yaml) >"$tmp/out" 2>&1
t "pin -w: exit 0" [ $? = 0 ]
t "pin -w: worker pinned, quotes and comment kept" grep -qF "    image: \"$reg/example/worker:1@$dworker\" # the worker" "$p/compose.yaml"
t "pin -w: base pinned" grep -qxF "    image: $reg/hc-engine/debian:bookworm@$dbase" "$p/compose.yaml"
t "pin -w: nothing else changed" [ "$(diff "$tmp/original.yaml" "$p/compose.yaml" | grep -c '^[<>]')" = 4 ]
(cd "$p" && "$bin" pin --check compose.yaml) >"$tmp/out" 2>&1
t "--check after pinning: exit 0" [ $? = 0 ]

# the registry's references leave the engine; Compose pulls the pins
for img in example/worker:1 hc-engine/debian:bookworm; do
	docker rmi "$reg/$img" >/dev/null 2>&1
done
docker rmi "$reg/example/worker@$dworker" "$reg/hc-engine/debian@$dbase" >/dev/null 2>&1
absent() { ! docker image inspect "$1" >/dev/null 2>&1; }
t "pinned references gone before the pull" absent "$reg/example/worker@$dworker"
dc() { (cd "$p" && docker compose -p hc-pin "$@"); }
dc pull >"$tmp/pull.log" 2>&1
t "docker compose pull of the pinned file" [ $? = 0 ]
t "the pinned worker is in the engine again" docker image inspect "$reg/example/worker@$dworker" >/dev/null 2>&1
dc up -d --wait --wait-timeout 120 >"$tmp/up.log" 2>&1
t "docker compose up --wait of the pinned file" [ $? = 0 ] || tail -5 "$tmp/up.log"
for s in worker base; do
	id=$(dc ps -q "$s")
	want=$(grep -oE "$reg/[^\" ]+@sha256:[0-9a-f]{64}" "$p/compose.yaml" | grep -F "/$([ $s = worker ] && echo example/worker || echo hc-engine/debian):")
	t "$s runs the pinned reference ($want)" [ -n "$id" -a "$(docker inspect -f '{{.Config.Image}}' "$id" 2>/dev/null)" = "$want" ]
	t "$s is running" [ "$(docker inspect -f '{{.State.Status}}' "$id")" = running ]
done
dc down -v >/dev/null 2>&1

# a wrong digest in the lock: --check fails; the registry refuses the pin
wrong=sha256:$(printf '0%.0s' $(seq 64))
sed -i "s|^$reg/example/worker:1 .*|$reg/example/worker:1 $wrong|" "$p/images.lock"
(cd "$p" && "$bin" pin --check compose.yaml) >"$tmp/out" 2>&1
t "wrong digest: --check exit 1" [ $? = 1 ]
t "wrong digest: --check names the image" grep -qF "[image-lock] image '$reg/example/worker:1' is pinned to ${dworker:0:19}..., images.lock has sha256:000000000000..." "$tmp/out"
(cd "$p" && "$bin" pin -w compose.yaml) >/dev/null 2>&1
dc pull worker >"$tmp/pull2.log" 2>&1
t "wrong digest: docker compose pull refuses it" [ $? != 0 ]
t "wrong digest: refused as an unknown manifest" grep -qiE "manifest unknown|not found" "$tmp/pull2.log"
echo "pin: $pass passed, $fail failed"
[ $fail = 0 ]

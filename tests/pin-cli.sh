#!/usr/bin/env bash
# pin-cli.sh BIN: `hardcompose pin`'s options, usage errors, I/O errors,
# reports (JSON, SARIF) and --from-docker against a stand-in docker CLI
# (a script on PATH that answers `docker image inspect` from a table and
# logs its arguments and DOCKER_HOST). The real engine and a real registry:
# tests/engine/pin.sh.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
t() {
	local name=$1
	shift
	if "$@"; then ok; else no "$name"; fi
}
D=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
E=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
F=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
# run DIR ARGS...: pin in DIR; $out, $err, $rc
run() {
	local d=$1
	shift
	(cd "$d" && PATH=${RUNPATH:-$PATH} "$bin" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
has() { grep -qF -- "$1" <<<"$2"; }
hasnt() { ! grep -qF -- "$1" <<<"$2"; }

d=$tmp/p && mkdir -p "$d"
printf 'services:\n  db:\n    image: postgres:16.4\n' >"$d/compose.yaml"
printf 'postgres:16.4 sha256:%s\n' "$D" >"$d/images.lock"

# help and usage errors (exit 2, usage on stderr, stdout empty)
run "$d" pin --help
t "pin --help exits 0" [ $rc = 0 ]
t "pin --help names --lock and --from-docker" has "--from-docker" "$out"
t "pin --help names the exit codes" has "Exit codes:" "$out"
run "$d" --help
t "hardcompose --help names the pin command" has "hardcompose pin [OPTIONS] FILE..." "$out"
run "$d" pin
t "pin without FILE: exit 2" [ $rc = 2 ]
t "pin without FILE: says so" has "pin: no FILE given" "$err"
run "$d" pin --lok x compose.yaml
t "pin --lok: exit 2" [ $rc = 2 ]
t "pin --lok: did you mean --lock" has "unknown option '--lok'; did you mean '--lock'?" "$err"
run "$d" pin --lock
t "pin --lock without a value: exit 2" [ $rc = 2 ]
t "pin --lock without a value: says so" has "option '--lock' needs a value" "$err"
run "$d" pin -w --check compose.yaml
t "pin -w --check: exit 2" [ $rc = 2 ]
run "$d" pin --format json compose.yaml
t "pin --format json without --check: exit 2" [ $rc = 2 ]
t "pin --format json without --check: says why" has "add --check" "$err"
run "$d" pin --format xml --check compose.yaml
t "pin --format xml: exit 2" [ $rc = 2 ]
cp "$d/compose.yaml" "$d/b.yaml"
run "$d" pin compose.yaml b.yaml
t "pin two files to stdout: exit 2" [ $rc = 2 ]
t "pin two files: stdout empty" [ -z "$out" ]
# --lock belongs to pin: the main command does not ignore it
run "$d" --lock images.lock compose.yaml
t "hardcompose --lock: exit 2" [ $rc = 2 ]
t "hardcompose --lock: points to pin" has "--lock is an option of 'hardcompose pin'" "$err"
run "$d" --check --from-docker compose.yaml
t "hardcompose --from-docker: exit 2" [ $rc = 2 ]
run "$d" pni compose.yaml
t "hardcompose pni: did you mean pin" has "did you mean 'hardcompose pin compose.yaml'?" "$err"

# I/O and input errors: documented codes, stdout empty, file untouched
mkdir -p "$tmp/nolock" && cp "$d/compose.yaml" "$tmp/nolock/"
run "$tmp/nolock" pin compose.yaml
t "no lock: exit 4" [ $rc = 4 ]
t "no lock: names it" has "images.lock" "$err"
t "no lock: stdout empty" [ -z "$out" ]
mkdir -p "$tmp/bad" && printf 'services:\n  db: [\n' >"$tmp/bad/compose.yaml" && cp "$d/images.lock" "$tmp/bad/"
run "$tmp/bad" pin -w compose.yaml
t "invalid YAML: exit 3" [ $rc = 3 ]
t "invalid YAML: file:line:col" grep -qE '^compose.yaml:[0-9]+:[0-9]+: error: ' "$tmp/err"
t "invalid YAML: -w leaves it" [ "$(cat "$tmp/bad/compose.yaml")" = "$(printf 'services:\n  db: [\n')" ]
run "$d" pin nothere.yaml
t "missing file: exit 4" [ $rc = 4 ]
# a lock next to the file, found when FILE is in another folder
run "$tmp" pin p/compose.yaml
t "lock beside the file (FILE in a folder)" has "postgres:16.4@sha256:$D" "$out"
# stdin: the lock in the working folder
(cd "$d" && "$bin" pin - <compose.yaml) >"$tmp/out" 2>&1
t "stdin: pinned from ./images.lock" grep -qF "postgres:16.4@sha256:$D" "$tmp/out"
run "$d" pin -w -
t "stdin with -w: exit 2" [ $rc = 2 ]

# -w: atomic, mode kept, a symlink stays a link
w=$tmp/w && mkdir -p "$w" && cp "$d/compose.yaml" "$d/images.lock" "$w/"
chmod 0640 "$w/compose.yaml"
ln -s compose.yaml "$w/link.yaml"
run "$w" pin -w link.yaml
t "-w: exit 0" [ $rc = 0 ]
t "-w: stdout empty" [ -z "$out" ]
t "-w: pinned" grep -qF "image: postgres:16.4@sha256:$D" "$w/compose.yaml"
t "-w: mode kept" [ "$(stat -c %a "$w/compose.yaml")" = 640 ]
t "-w: link kept" [ -L "$w/link.yaml" ]
t "-w: no temporary file left" [ "$(ls -A "$w" | wc -l)" = 3 ]
run "$w" pin --check compose.yaml
t "--check after -w: exit 0" [ $rc = 0 ]
t "--check after -w: quiet" [ -z "$out$err" ]
# a wrong digest in the file: --check names it, exit 1; -w updates it
sed -i "s/$D/$E/" "$w/compose.yaml"
run "$w" pin --check compose.yaml
t "wrong digest: --check exit 1" [ $rc = 1 ]
t "wrong digest: --check line" has "compose.yaml:3:12: error: [image-lock] image 'postgres:16.4' is pinned to sha256:fedcba987654..., images.lock has sha256:0123456789ab..." "$out"

# reports
run "$d" pin --check --format json compose.yaml
t "json: exit 1" [ $rc = 1 ]
if command -v node >/dev/null; then
	t "json: parses, one image-lock finding" node -e '
	  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	  const f = r.files[0].findings;
	  process.exit(f.length === 1 && f[0].id === "image-lock" && f[0].kind === "rule" &&
	    f[0].line === 3 && f[0].column === 12 && r.files[0].exit === 1 ? 0 : 1);' "$tmp/out"
	run "$d" pin --check --format sarif compose.yaml
	t "sarif: ruleIndex points at image-lock" node -e '
	  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0];
	  const x = r.results[0];
	  process.exit(r.results.length === 1 && x.ruleId === "image-lock" &&
	    r.tool.driver.rules[x.ruleIndex].id === "image-lock" &&
	    x.locations[0].physicalLocation.region.startLine === 3 ? 0 : 1);' "$tmp/out"
fi

# --from-docker against a stand-in docker CLI
fake=$tmp/fakebin && mkdir -p "$fake"
cat >"$fake/docker" <<EOS
#!/bin/sh
echo "\$DOCKER_HOST \$*" >>"$tmp/docker.log"
ref=\$6
case "\$ref" in
postgres:16.4) echo "postgres@sha256:$E" ;;
docker.io/library/redis:7.2) echo "redis@sha256:$F" ;;
127.0.0.1:5000/app:1) printf '127.0.0.1:5000/app@sha256:$D\n' ;;
127.0.0.1:5000/local:1) echo "busybox@sha256:$D" ;;
*) echo "Error response from daemon: No such image: \$ref" >&2; exit 1 ;;
esac
EOS
chmod +x "$fake/docker"
f=$tmp/f && mkdir -p "$f"
cat >"$f/compose.yaml" <<EOS
services:
  db:
    image: postgres:16.4
  cache:
    image: docker.io/library/redis:7.2
  app:
    image: "127.0.0.1:5000/app:1"
  tool:
    image: \${TOOL_IMAGE}
EOS
RUNPATH=$fake:$PATH DOCKER_HOST=unix:///tmp/fake.sock run "$f" pin --from-docker compose.yaml
t "from-docker new lock: exit 0" [ $rc = 0 ]
t "from-docker new lock: stdout empty" [ -z "$out" ]
t "from-docker: summary" has "images.lock: 3 added, 0 updated, 0 unchanged" "$err"
t "from-docker: DOCKER_HOST reaches docker" grep -q "^unix:///tmp/fake.sock image inspect --format" "$tmp/docker.log"
printf '# images.lock: one image per line, `name:tag sha256:<digest>`; written by hardcompose pin --from-docker\npostgres:16.4 sha256:%s\ndocker.io/library/redis:7.2 sha256:%s\n127.0.0.1:5000/app:1 sha256:%s\n' "$E" "$F" "$D" >"$tmp/want.lock"
t "from-docker new lock: content" cmp -s "$tmp/want.lock" "$f/images.lock"
# refresh: comments and order kept, a changed digest updated in place, a
# new image appended, lines of images the file does not use kept (CRLF)
printf '# our images\r\n127.0.0.1:5000/app:1 sha256:%s  # app\r\nold:1 sha256:%s\r\n\r\npostgres:16.4 sha256:%s' "$E" "$E" "$E" >"$f/images.lock"
RUNPATH=$fake:$PATH run "$f" pin --from-docker compose.yaml
t "refresh: exit 0" [ $rc = 0 ]
t "refresh: summary" has "1 added, 1 updated, 1 unchanged" "$err"
printf '# our images\r\n127.0.0.1:5000/app:1 sha256:%s  # app\r\nold:1 sha256:%s\r\n\r\npostgres:16.4 sha256:%s\r\ndocker.io/library/redis:7.2 sha256:%s\r\n' "$D" "$E" "$E" "$F" >"$tmp/want.lock"
t "refresh: content" cmp -s "$tmp/want.lock" "$f/images.lock"
RUNPATH=$fake:$PATH run "$f" pin --from-docker -w compose.yaml
t "from-docker -w: exit 0" [ $rc = 0 ]
t "from-docker -w: pinned" grep -qF "image: \"127.0.0.1:5000/app:1@sha256:$D\"" "$f/compose.yaml"
t "from-docker -w: variable left" grep -qF 'image: ${TOOL_IMAGE}' "$f/compose.yaml"
t "from-docker -w: note on the variable" has "compose.yaml:9:12: note: [image-lock] image '\${TOOL_IMAGE}' holds a variable" "$err"
# an image with no RepoDigest of its own repository, and one the engine
# does not have: errors naming them, exit 3, the lock untouched
g=$tmp/g && mkdir -p "$g"
printf 'services:\n  a:\n    image: 127.0.0.1:5000/local:1\n  b:\n    image: nothere:2\n' >"$g/compose.yaml"
printf '# keep\n' >"$g/images.lock"
RUNPATH=$fake:$PATH run "$g" pin --from-docker compose.yaml
t "no RepoDigest: exit 3" [ $rc = 3 ]
t "no RepoDigest: names the image" has "compose.yaml:3:12: error: [image-lock] image '127.0.0.1:5000/local:1' has no RepoDigest for 127.0.0.1:5000/local" "$err"
t "not in the engine: names it" has "image 'nothere:2' is not in the local engine (docker image inspect: Error response from daemon: No such image: nothere:2)" "$err"
t "errors: lock untouched" [ "$(cat "$g/images.lock")" = "# keep" ]
rm "$g/images.lock"
RUNPATH=$fake:$PATH run "$g" pin --from-docker compose.yaml
t "errors: no lock created" [ ! -e "$g/images.lock" ]
# latest: refused before docker is asked
printf 'services:\n  a:\n    image: nginx:latest\n' >"$g/compose.yaml"
RUNPATH=$fake:$PATH run "$g" pin --from-docker compose.yaml
t "from-docker latest: exit 3" [ $rc = 3 ]
t "from-docker latest: says so" has "image 'nginx:latest' is tagged latest" "$err"
# docker missing from PATH: I/O error
printf 'services:\n  a:\n    image: nginx:1.27\n' >"$g/compose.yaml"
RUNPATH=/nonexistent run "$g" pin --from-docker compose.yaml
t "no docker: exit 4" [ $rc = 4 ]
t "no docker: says so" has "cannot run docker" "$err"
# malformed lock lines: lock:line:col
m=$tmp/m && mkdir -p "$m" && cp "$d/compose.yaml" "$m/"
for c in "postgres:16.4|3:14|no digest after the reference" \
	"postgres:16.4 sha256:$D extra|3:87|unexpected text after the digest" \
	"postgres sha256:$D|3:1|the reference has no tag" \
	"postgres:latest sha256:$D|3:1|tagged latest" \
	"postgres:16.4@sha256:$D sha256:$D|3:1|holds a digest" \
	"postgres:16.4 sha256:$D|3:1|listed twice" \
	"postgres:16.4 SHA256:$D|3:15|not a digest"; do
	IFS='|' read -r line pos msg <<<"$c"
	printf '# c\npostgres:16.4 sha256:%s\n%s\n' "$D" "$line" >"$m/images.lock"
	[ "$msg" = "listed twice" ] || printf '# c\n\n%s\n' "$line" >"$m/images.lock"
	run "$m" pin --check compose.yaml
	t "lock '$line': exit 3" [ $rc = 3 ]
	t "lock '$line': images.lock:$pos: error: $msg" has "images.lock:$pos: error: " "$err"
	t "lock '$line': message" has "$msg" "$err"
done
# hardcompose --check: an images.lock beside the file adds its image-lock
# findings; without one, the report is what it was
c=$tmp/c && mkdir -p "$c/lock" "$c/nolock"
printf 'services:\n  db:\n    image: postgres:16.4\n    init: true\n' >"$c/lock/compose.yaml"
cp "$c/lock/compose.yaml" "$c/nolock/"
printf 'postgres:16.4 sha256:%s\n' "$D" >"$c/lock/images.lock"
run "$c/nolock" --check --profile none compose.yaml
t "main --check without a lock: exit 0" [ $rc = 0 ]
t "main --check without a lock: no image-lock" hasnt "image-lock" "$out$err"
run "$c/lock" --check --profile none compose.yaml
t "main --check with a lock: exit 1" [ $rc = 1 ]
t "main --check with a lock: the finding" has "compose.yaml:3:12: error: [image-lock] image 'postgres:16.4' is not pinned: images.lock has sha256:0123456789ab... (hardcompose pin -w pins it)" "$out"
run "$c/lock" --check --profile strict compose.yaml
grep -v image-lock "$tmp/out" >"$tmp/with"
run "$c/nolock" --check --profile strict compose.yaml
t "main --check: other findings unchanged by the lock" cmp -s "$tmp/with" "$tmp/out"
(cd "$c/lock" && "$bin" pin -w compose.yaml) >/dev/null 2>&1
run "$c/lock" --check --profile none compose.yaml
t "main --check after pin -w: exit 0" [ $rc = 0 ]
printf 'postgres:16.4 sha256:bad\n' >"$c/lock/images.lock"
run "$c/lock" --check --profile none compose.yaml
t "main --check, malformed lock: exit 1" [ $rc = 1 ]
t "main --check, malformed lock: names its line" has "[image-lock] images.lock:1:15: error: not a digest" "$out"
run "$c/lock" --profile none compose.yaml
t "main format mode ignores the lock (no check)" [ $rc = 0 ]

echo "pin-cli: $pass passed, $fail failed"
[ $fail = 0 ]

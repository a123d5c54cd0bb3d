#!/usr/bin/env bash
# preflight.sh BIN: `hardcompose preflight` cases. Each builds a folder,
# runs preflight there, and compares the exact report and exit code.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
n=0
# run NAME WANT_EXIT: runs preflight in $d (args after --), compares stdout with $d.want
check() {
  local name=$1 want=$2; shift 2
  (cd "$d" && env -u PG_TAG -u NOT_SET -u REQUIRED_ONE "$bin" preflight "$@") >"$d.out" 2>"$d.err"
  local c=$?
  if [ $c -ne "$want" ]; then echo "FAIL $name: exit $c, want $want; $(head -2 "$d.err")"; fail=$((fail+1)); return; fi
  if ! cmp -s "$d.out" "$d.want"; then echo "FAIL $name: report differs:"; diff "$d.want" "$d.out"; fail=$((fail+1)); return; fi
  pass=$((pass+1))
}
new() { n=$((n+1)); d=$tmp/c$n; mkdir -p "$d"; cd "$d"; }

# 1. nothing missing: exit 0, no output
new
cat >compose.yaml <<'Y'
services:
  db:
    image: postgres:${PG_VERSION:-16}
    env_file: app.env
    volumes: [./data:/var/lib/postgresql/data, pgdata:/x]
    secrets: [db]
secrets:
  db:
    file: ./secrets/db.txt
volumes:
  pgdata: {}
Y
touch app.env; mkdir data secrets; echo pw >secrets/db.txt; chmod 600 secrets/db.txt
: >"$d.want"
check all-present 0

# 2. a missing secret file, named at its file: value
new
printf 'services:\n  db:\n    image: postgres\nsecrets:\n  db_password:\n    file: ./secrets/db_password\n' >compose.yaml
echo "compose.yaml:6:11: error: secret file ./secrets/db_password does not exist" >"$d.want"
check missing-secret 1

# 3. a secret file readable by others: a warning, exit 0
new
printf 'secrets:\n  k:\n    file: key.txt\n' >compose.yaml; echo k >key.txt; chmod 644 key.txt
echo "compose.yaml:3:11: warning: secret file key.txt has mode 0644 and its folder . lets other users in; a 0700 folder (or a 0600 file) keeps them out" >"$d.want"
check secret-mode-wide 0
# 3b. 0444 in a 0700 folder, as -w writes it: other users cannot reach it
new
printf 'secrets:\n  k:\n    file: ./secrets/k\n' >compose.yaml; mkdir -m 700 secrets; echo k >secrets/k; chmod 444 secrets/k
: >"$d.want"
check secret-0444-in-0700-folder 0
# 3c. external secrets: one warning lists those that must exist
new
printf 'services:\n  db:\n    image: postgres\nsecrets:\n  a:\n    external: true\n  b:\n    file: ./b\n  c:\n    external: true\n' >compose.yaml; echo b >b; chmod 600 b
echo "compose.yaml:5:3: warning: external secrets a, c must exist before the stack starts (docker secret create NAME FILE, or your secret store)" >"$d.want"
check external-secrets-listed 0

# 4. a missing config file
new
printf 'configs:\n  nginx:\n    file: ./nginx.conf\n' >compose.yaml
echo "compose.yaml:3:11: error: config file ./nginx.conf does not exist" >"$d.want"
check missing-config 1

# 5. env_file: string, list, long form with required: false
new
cat >compose.yaml <<'Y'
services:
  a:
    image: x
    env_file: a.env
  b:
    image: x
    env_file:
      - b.env
      - path: optional.env
        required: false
      - path: c.env
Y
cat >"$d.want" <<'W'
compose.yaml:4:15: error: env_file a.env does not exist
compose.yaml:8:9: error: env_file b.env does not exist
compose.yaml:11:15: error: env_file c.env does not exist
W
check missing-env-files 1

# 6. bind-mount sources: short and long syntax; named volumes are not paths
new
cat >compose.yaml <<'Y'
services:
  web:
    image: nginx
    volumes:
      - ./html:/usr/share/nginx/html:ro
      - cache:/var/cache/nginx
      - type: bind
        source: ./nginx.conf
        target: /etc/nginx/nginx.conf
      - type: volume
        source: logs
        target: /var/log/nginx
Y
cat >"$d.want" <<'W'
compose.yaml:5:9: error: bind-mount source ./html does not exist (Docker would create an empty folder there)
compose.yaml:8:17: error: bind-mount source ./nginx.conf does not exist (Docker would create an empty folder there)
W
check missing-bind-sources 1

# 7. variables: unset plain and required ones are errors; defaults are fine; $$ is literal
new
cat >compose.yaml <<'Y'
services:
  app:
    image: "example/app:${NOT_SET}"
    environment:
      A: ${HAS_DEFAULT:-x}
      B: ${ALT:+y}
      C: "${REQUIRED_ONE:?set it}"
      D: $$LITERAL
      E: ${SET_IN_DOTENV}
      F: $NOT_SET
Y
echo 'SET_IN_DOTENV=1' >.env
cat >"$d.want" <<'W'
compose.yaml:3:25: error: variable NOT_SET is not set (in the environment or .env); Compose would use an empty string
compose.yaml:7:11: error: required variable REQUIRED_ONE is not set (in the environment or .env)
compose.yaml:10:10: error: variable NOT_SET is not set (in the environment or .env); Compose would use an empty string
W
check variables 1

# 8. variables from the environment count; an empty value fails ${VAR:?}
new
printf 'services:\n  app:\n    image: x\n    environment:\n      A: ${PF_SET}\n      B: ${PF_EMPTY:?must not be empty}\n' >compose.yaml
echo "compose.yaml:6:10: error: required variable PF_EMPTY is not set (in the environment or .env)" >"$d.want"
PF_SET=1 PF_EMPTY= check environment-variables 1

# 9. include: a missing included file; problems of included files, named by their path
new
mkdir sub
cat >compose.yaml <<'Y'
include:
  - sub/db.yaml
  - path: [missing.yaml]
services:
  app:
    image: x
Y
printf 'services:\n  db:\n    image: postgres\n    env_file: db.env\n' >sub/db.yaml
cat >"$d.want" <<'W'
compose.yaml:3:12: error: included file missing.yaml does not exist
sub/db.yaml:4:15: error: env_file db.env does not exist
W
check include 1

# 10. an include cycle is checked once and ends
new
printf 'include: [b.yaml]\nservices:\n  a:\n    image: x\n    env_file: a.env\n' >a.yaml
printf 'include: [a.yaml]\nservices:\n  b:\n    image: x\n    env_file: b.env\n' >b.yaml
cat >"$d.want" <<'W'
a.yaml:5:15: error: env_file a.env does not exist
b.yaml:5:15: error: env_file b.env does not exist
W
check include-cycle 1 a.yaml

# 11. extends: file: is followed
new
printf 'services:\n  app:\n    extends:\n      file: base.yaml\n      service: base\n  other:\n    extends: {file: gone.yaml, service: x}\n' >compose.yaml
printf 'services:\n  base:\n    image: x\n    volumes: [./missing:/m]\n' >base.yaml
cat >"$d.want" <<'W'
compose.yaml:7:21: error: extends file gone.yaml does not exist
base.yaml:4:15: error: bind-mount source ./missing does not exist (Docker would create an empty folder there)
W
check extends 1

# 12. a secret from an environment variable that is not set
new
printf 'secrets:\n  token:\n    environment: NOT_SET\n' >compose.yaml
echo "compose.yaml:3:18: error: secret file token reads variable NOT_SET, which is not set" >"$d.want"
check secret-from-env 1

# 13. default file name, invalid YAML (exit 3), unreadable file (exit 4), usage (exit 2)
new
printf 'services: [\n' >docker-compose.yml
: >"$d.want"
check invalid-yaml 3
grep -q '^docker-compose.yml:2:1: error: ' "$d.err" && pass=$((pass+1)) || { echo "FAIL invalid-yaml: $(cat "$d.err")"; fail=$((fail+1)); }
new
: >"$d.want"
check no-such-file 4 nope.yaml
new
: >"$d.want"
check no-compose-file-here 2
check unknown-option 2 --frobnicate

# 14. paths with variables are resolved before they are checked
new
printf 'secrets:\n  s:\n    file: ${SECRETS_DIR}/s.txt\n' >compose.yaml
echo 'SECRETS_DIR=./vault' >.env
echo "compose.yaml:3:11: error: secret file \${SECRETS_DIR}/s.txt does not exist" >"$d.want"
check interpolated-path 1

echo "preflight: $pass passed, $fail failed"
[ $fail -eq 0 ]

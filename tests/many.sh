#!/usr/bin/env bash
# many.sh BIN: folders, -j N, include/extends, .hardcompose.yml discovery,
# --config, --no-config, --stdin-filepath.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $name"; fi; }

# --- a folder of 24 compose files, with .git and node_modules to skip
f=$tmp/tree; mkdir -p "$f/.git" "$f/node_modules/pkg"
for i in $(seq 1 24); do
  d=$f/app$((i % 6))/svc$i; mkdir -p "$d"
  case $((i % 4)) in
    0) n=compose.yaml;; 1) n=docker-compose.yml;; 2) n=docker-compose.prod.yml;; 3) n=compose.override.yaml;;
  esac
  printf 'services:\n  s%d:\n    image: nginx:1.%d\n    ports: ["80%02d:80"]\n' "$i" "$i" "$i" >"$d/$n"
done
printf 'services:\n  x:\n    image: x\n' >"$f/node_modules/pkg/compose.yaml"
printf 'services:\n  x:\n    image: x\n' >"$f/.git/compose.yaml"
printf 'not: a compose file name\n' >"$f/app1/other.yml"
(cd "$f" && "$bin" -j 1 --check .) >"$tmp/j1" 2>&1; c1=$?
(cd "$f" && "$bin" -j 4 --check .) >"$tmp/j4" 2>&1; c4=$?
t "folder: 24 files found" [ "$(grep -c 'warning: \[init\]' "$tmp/j1")" -eq 24 ]
t "folder: .git and node_modules skipped" bash -c "! grep -qE 'node_modules|\.git/' '$tmp/j1'"
t "folder: -j 1 and -j 4 give the same output" cmp -s "$tmp/j1" "$tmp/j4"
t "folder: same exit code" [ $c1 -eq $c4 ] && t "folder: exit 1" [ $c1 -eq 1 ]
t "folder: files in path order" bash -c "grep -E '^[^:]+:[0-9]+:' '$tmp/j1' | grep -o '^[^:]*' | uniq | sort -c"
(cd "$f" && "$bin" -j 1 --format json .) >"$tmp/json1"; (cd "$f" && "$bin" -j 3 --format json .) >"$tmp/json3"
t "folder: json identical across -j" cmp -s "$tmp/json1" "$tmp/json3"
t "folder: json names 24 files" [ "$(grep -c '"file": ' "$tmp/json1")" -eq 24 ]
(cd "$f" && "$bin" -j 4 -w .) 2>"$tmp/err"; c=$?
t "folder: -w exit 0" [ $c -eq 0 ]
t "folder: -w rewrote every file" [ "$(grep -rl 'init: true' "$f" --include='*compose*' | grep -vc -e node_modules -e '\.git/')" -eq 24 ]
t "folder: node_modules untouched" bash -c "! grep -q init '$f/node_modules/pkg/compose.yaml'"
(cd "$f" && "$bin" -j 4 --check .) >"$tmp/again" 2>&1
t "folder: nothing pending after -w" bash -c "! grep -qE 'warning: \[(init|no-new-privileges|cap-drop)\]' '$tmp/again'"
"$bin" "$f" >/dev/null 2>"$tmp/err"; c=$?
t "folder without a mode: usage error" [ $c -eq 2 ]

# --- include and extends: each file processed where its nodes are
i=$tmp/inc; mkdir -p "$i/db"
cat >"$i/compose.yaml" <<'Y'
include:
  - db/compose.db.yaml
  - path: [extra.yaml]
services:
  web:
    extends:
      file: base.yaml
      service: base
    image: nginx:1.27
Y
printf 'services:\n  db:\n    image: postgres:16\n' >"$i/db/compose.db.yaml"
printf 'services:\n  cache:\n    image: redis:7\n' >"$i/extra.yaml"
printf 'services:\n  base:\n    image: busybox:1\n    privileged: true\n' >"$i/base.yaml"
(cd "$i" && "$bin" --check compose.yaml) >"$tmp/inc.out" 2>&1; c=$?
t "include: exit 1" [ $c -eq 1 ]
t "include: findings of the included file, named by it" grep -q '^db/compose.db.yaml:2:3: warning: \[init\] service "db"' "$tmp/inc.out"
t "include: long form path list" grep -q '^extra.yaml:2:3: warning: \[init\] service "cache"' "$tmp/inc.out"
t "extends: the base file's own findings" grep -q '^base.yaml:4:17: error: \[privileged\]' "$tmp/inc.out"
(cd "$i" && "$bin" -w compose.yaml) 2>"$tmp/err"; c=$?
t "include: -w exit 0" [ $c -eq 0 ]
t "include: -w rewrote the included file" grep -q 'init: true' "$i/db/compose.db.yaml"
t "include: -w rewrote the extended file" grep -q 'init: true' "$i/base.yaml"
t "include: -w rewrote the including file" grep -q 'init: true' "$i/compose.yaml"
(cd "$i" && "$bin" compose.yaml) >"$tmp/stdout" 2>&1
t "include: stdout mode shows only the named file" bash -c "! grep -q 'service \"db\"' '$tmp/stdout' && grep -q 'include:' '$tmp/stdout'"

# --- an include cycle is an error, not a hang, and the file stays as it was
y=$tmp/cyc; mkdir -p "$y"
printf 'include: [b.yaml]\nservices:\n  a:\n    image: x:1\n' >"$y/a.yaml"
printf 'include:\n  - a.yaml\nservices:\n  b:\n    image: x:1\n' >"$y/b.yaml"
cp "$y/b.yaml" "$tmp/b.before"
(cd "$y" && timeout 10 "$bin" -w a.yaml) >"$tmp/cyc.out" 2>&1; c=$?
t "cycle: exit 3" [ $c -eq 3 ]
t "cycle: error line" grep -q '^b.yaml:2:5: error: include cycle: a.yaml -> b.yaml -> a.yaml$' "$tmp/cyc.out"
t "cycle: the file in the cycle is untouched" cmp -s "$y/b.yaml" "$tmp/b.before"
t "cycle: the other file is processed" grep -q 'init: true' "$y/a.yaml"

# --- .hardcompose.yml: found upward, stops at the repository root
r=$tmp/repo; mkdir -p "$r/.git" "$r/deploy/prod"
printf 'profile: none\nenable: [init]\nrules: {image-latest: error}\nservices:\n  legacy: {disable: [init]}\n' >"$r/.hardcompose.yml"
printf 'services:\n  web:\n    image: nginx\n  legacy:\n    image: old:1\n' >"$r/deploy/prod/compose.yaml"
(cd "$r/deploy/prod" && "$bin" --check compose.yaml) >"$tmp/cfg.out" 2>&1; c=$?
t "config: found in a parent folder (profile none + init)" grep -q 'warning: \[init\] service "web"' "$tmp/cfg.out"
t "config: per-service disable" bash -c "! grep -q '\[init\] service \"legacy\"' '$tmp/cfg.out'"
t "config: rule severity" grep -q 'error: \[image-latest\]' "$tmp/cfg.out"
t "config: nothing else from baseline" bash -c "! grep -q '\[cap-drop\]' '$tmp/cfg.out'"
(cd "$r/deploy/prod" && "$bin" --no-config --check compose.yaml) >"$tmp/nocfg.out" 2>&1
t "--no-config: baseline again" grep -q '\[cap-drop\]' "$tmp/nocfg.out"
(cd "$r/deploy/prod" && "$bin" -p baseline --check compose.yaml) >"$tmp/p.out" 2>&1
t "--profile beats the config's profile" grep -q '\[cap-drop\]' "$tmp/p.out"
t "--profile keeps the config's other settings" grep -q 'error: \[image-latest\]' "$tmp/p.out"
mkdir -p "$tmp/outside"; printf 'services:\n  web:\n    image: nginx\n' >"$tmp/outside/compose.yaml"
mkdir -p "$tmp/outside/.git"
printf 'profile: none\n' >"$tmp/.hardcompose.yml"
(cd "$tmp/outside" && "$bin" --check compose.yaml) >"$tmp/stop.out" 2>&1
t "config: the search stops at a .git folder" grep -q '\[cap-drop\]' "$tmp/stop.out"
rm "$tmp/.hardcompose.yml"
printf 'profile: none\nenable: [no-new-privileges]\n' >"$tmp/alt.yml"
"$bin" --config "$tmp/alt.yml" --check "$r/deploy/prod/compose.yaml" >"$tmp/alt.out" 2>&1
t "--config: that file" bash -c "grep -q '\[no-new-privileges\]' '$tmp/alt.out' && ! grep -q '\[init\]' '$tmp/alt.out'"
"$bin" --stdin-filepath "$r/deploy/prod/compose.yaml" --check <"$r/deploy/prod/compose.yaml" >"$tmp/sf.out" 2>&1
t "--stdin-filepath: names stdin" grep -q "^$r/deploy/prod/compose.yaml:2:3: warning: \[init\]" "$tmp/sf.out"
t "--stdin-filepath: finds the config" bash -c "! grep -q '\[cap-drop\]' '$tmp/sf.out'"
"$bin" --stdin-filepath "$r/deploy/prod/compose.yaml" <"$r/deploy/prod/compose.yaml" >"$tmp/sf2.out" 2>/dev/null
t "--stdin-filepath: stdout mode with the config" bash -c "grep -q 'init: true' '$tmp/sf2.out' && ! grep -q cap_drop '$tmp/sf2.out'"
printf 'profil: none\n' >"$tmp/bad.yml"
"$bin" --config "$tmp/bad.yml" --check "$r/deploy/prod/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
t "config: unknown setting is a usage error" [ $c -eq 2 ]
t "config: names the setting" grep -q "unknown setting 'profil'" "$tmp/err"
printf 'disable: [nope]\n' >"$r/.hardcompose.yml"
(cd "$r/deploy/prod" && "$bin" --check compose.yaml) >"$tmp/out" 2>"$tmp/err"; c=$?
t "config: unknown id in a found config: exit 2" [ $c -eq 2 ]
t "config: the message names the file" grep -q "\.hardcompose.yml: unknown transform or rule 'nope'" "$tmp/err"

echo "many: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/usr/bin/env bash
# attacks.sh BIN [REPS]: the attack classes of issue 18 (docs/robustness.md,
# "Attack classes"): concurrency, links, changes made during a run, special
# files, hostile repositories, injection. Each check failed before its fix.
set -u
bin=$1 reps=${2:-100}
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { if "${@:2}"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }
hc() { "$bin" --no-config "$@"; }

# a compose file with a file secret (postgres) and a .env secret (acme/app)
mkcompose() { # mkcompose FILE N
  printf 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: pw-%s\n  app:\n    image: acme/app\n    environment:\n      API_TOKEN: tok-%s\n      DATABASE_URL: postgres://app:url-%s@db/app\n' "$2" "$2" "$2" >"$1"
}
snapshot() { # snapshot DIR: every file with its mode and content
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do
    if [ -d "$f" ]; then echo "== $f/ $(stat -c %a "$f")"
    else echo "== $f $(stat -c %a "$f")"; cat "$f"; echo; fi
  done)
}

# ---- 1. -w over a folder: files sharing a folder share .env and secrets/ ----
# Five folders, four compose files each (same secret names, other values),
# half of them with a .env and a .gitignore already there.
mktree() { # mktree DIR
  mkdir -p "$1"
  for d in a b c d e; do
    mkdir -p "$1/$d"
    for i in 1 2 3 4; do mkcompose "$1/$d/docker-compose.$i.yml" "$d$i"; done
    case $d in a | c) printf 'OTHER=1\n' >"$1/$d/.env"; printf 'node_modules/\n' >"$1/$d/.gitignore" ;; esac
  done
}
mktree "$tmp/ref"
hc -j 1 -w "$tmp/ref" >"$tmp/ref.out" 2>"$tmp/ref.err"
t "folder -j 1 exits 0 ($(head -1 "$tmp/ref.err"))" [ $? -eq 0 ]
snapshot "$tmp/ref" >"$tmp/ref.snap"
t "folder -j 1: distinct secret files for distinct values" \
  [ "$(ls "$tmp/ref/a/secrets" | wc -l)" -eq 4 ]
t "folder -j 1: every .env value kept (8 per folder)" \
  [ "$(grep -c "^[A-Z_0-9]*='tok-\|^[A-Z_0-9]*='url-" "$tmp/ref/b/.env")" -eq 8 ]
same=0
for r in $(seq "$reps"); do
  rm -rf "$tmp/run"; mktree "$tmp/run"
  hc -j 4 -w "$tmp/run" >"$tmp/run.out" 2>"$tmp/run.err"; c=$?
  snapshot "$tmp/run" | sed "s#$tmp/run#$tmp/ref#g" >"$tmp/run.snap"
  if [ $c -eq 0 ] && cmp -s "$tmp/run.snap" "$tmp/ref.snap" && cmp -s "$tmp/run.err" <(sed "s#$tmp/ref#$tmp/run#g" "$tmp/ref.err"); then
    same=$((same + 1))
  else
    echo "run $r differs from -j 1 (exit $c):"; diff "$tmp/ref.snap" "$tmp/run.snap" | head -5
  fi
done
t "folder -j 4 equals -j 1 byte for byte ($same of $reps runs)" [ "$same" -eq "$reps" ]
# every secret still reaches its service: the values in the files and .env
for d in a b c d e; do
  for i in 1 2 3 4; do
    f=$tmp/ref/$d/docker-compose.$i.yml
    n=$(sed -n 's#.*POSTGRES_PASSWORD_FILE: /run/secrets/##p' "$f")
    t "$d/$i: its secret file holds its value" [ "$(cat "$tmp/ref/$d/secrets/$n" 2>/dev/null)" = "pw-$d$i" ]
    v=$(sed -n 's#.*API_TOKEN: \${\([A-Z_0-9]*\):?is not set}#\1#p' "$f")
    t "$d/$i: .env holds its token" grep -qx "$v='tok-$d$i'" "$tmp/ref/$d/.env"
  done
done

# two -w runs on one file at once: the folder lock makes the second wait
mkdir "$tmp/twice"; mkcompose "$tmp/twice/compose.yaml" 1
HARDCOMPOSE_TEST_DELAY_MS=400 "$bin" --no-config -w "$tmp/twice/compose.yaml" 2>"$tmp/tw1" &
p1=$!
sleep 0.1
"$bin" --no-config -w "$tmp/twice/compose.yaml" 2>"$tmp/tw2"; c2=$?
wait $p1; c1=$?
t "two runs at once both exit 0 ($c1 $c2)" [ $c1 -eq 0 ] && [ $c2 -eq 0 ]
t "two runs at once: one .env block" [ "$(grep -c '^# moved out' "$tmp/twice/.env")" -eq 1 ]

# ---- 2. a hard-linked compose file: refused, both names keep their text ----
mkdir "$tmp/hl"; mkcompose "$tmp/hl/compose.yaml" 1; ln "$tmp/hl/compose.yaml" "$tmp/hl/other.yaml"
cp "$tmp/hl/compose.yaml" "$tmp/hl.orig"
hc -w "$tmp/hl/compose.yaml" >/dev/null 2>"$tmp/hl.err"; c=$?
t "hard link: exit 4 (got $c)" [ $c -eq 4 ]
t "hard link: clear error" grep -q "^$tmp/hl/compose.yaml: error: the file has 2 hard links" "$tmp/hl.err"
t "hard link: still one inode" [ "$(stat -c %h "$tmp/hl/compose.yaml")" -eq 2 ]
t "hard link: unchanged" cmp -s "$tmp/hl/compose.yaml" "$tmp/hl.orig"
t "hard link: nothing written beside it" [ ! -e "$tmp/hl/.env" ] && [ ! -e "$tmp/hl/secrets" ]

# ---- 3. the file changes while -w runs: refused, the change kept ----
waitready() { for _ in $(seq 200); do [ -e "$tmp/ready" ] && return; sleep 0.05; done; }
mkdir "$tmp/cm"; mkcompose "$tmp/cm/compose.yaml" 1
rm -f "$tmp/ready"
HARDCOMPOSE_TEST_READY=$tmp/ready HARDCOMPOSE_TEST_DELAY_MS=1000 "$bin" --no-config -w "$tmp/cm/compose.yaml" >/dev/null 2>"$tmp/cm.err" &
p=$!
waitready; printf '# edited meanwhile\n' >>"$tmp/cm/compose.yaml"
wait $p; c=$?
t "changed during the run: exit 4 (got $c)" [ $c -eq 4 ]
t "changed during the run: clear error" grep -q "error: the file changed while hardcompose ran" "$tmp/cm.err"
t "changed during the run: the edit kept" grep -q '^# edited meanwhile' "$tmp/cm/compose.yaml"
t "changed during the run: the secret still in the file, nothing beside it" \
  grep -q 'POSTGRES_PASSWORD: pw-1' "$tmp/cm/compose.yaml" && [ ! -e "$tmp/cm/.env" ] && [ ! -e "$tmp/cm/secrets" ]
# same size, same second: the content is compared too (mtime set back)
mkdir "$tmp/cm2"; mkcompose "$tmp/cm2/compose.yaml" 1; touch -d '2001-01-01' "$tmp/cm2/compose.yaml"
rm -f "$tmp/ready"
HARDCOMPOSE_TEST_READY=$tmp/ready HARDCOMPOSE_TEST_DELAY_MS=1000 "$bin" --no-config -w "$tmp/cm2/compose.yaml" >/dev/null 2>"$tmp/cm2.err" &
p=$!
waitready; sed -i 's/pw-1/pw-2/' "$tmp/cm2/compose.yaml"; touch -d '2001-01-01' "$tmp/cm2/compose.yaml"
wait $p; c=$?
t "same-size change: exit 4 (got $c)" [ $c -eq 4 ]
t "same-size change: kept" grep -q 'pw-2' "$tmp/cm2/compose.yaml"

# a read-only compose file fails before any side file is written
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  mkdir "$tmp/ro"; chmod 755 "$tmp"; mkcompose "$tmp/ro/compose.yaml" 1
  chown -R 65534:65534 "$tmp/ro"; chmod 444 "$tmp/ro/compose.yaml"
  as_nobody "$bin" --no-config -w "$tmp/ro/compose.yaml" >/dev/null 2>"$tmp/ro.err"; c=$?
  t "read-only compose file: exit 4 (got $c)" [ $c -eq 4 ]
  t "read-only compose file: no .env, no secrets/" [ ! -e "$tmp/ro/.env" ] && [ ! -e "$tmp/ro/secrets" ]
  t "read-only compose file: clear error" grep -q "error: not writable" "$tmp/ro.err"
fi

# ---- 5. special and huge files named by include:, extends: or preflight ----
mkdir "$tmp/sp"; mkfifo "$tmp/sp/fifo.yaml"; truncate -s 200M "$tmp/sp/huge.yaml"
for target in /dev/zero "$tmp/sp/fifo.yaml" "$tmp/sp/huge.yaml"; do
  printf 'include:\n  - %s\nservices:\n  a:\n    image: x\n' "$target" >"$tmp/sp/compose.yaml"
  for mode in --check -w; do
    start=$(date +%s%N)
    timeout 10 "$bin" --no-config $mode "$tmp/sp/compose.yaml" >/dev/null 2>"$tmp/sp.err"; c=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    t "include $target $mode: refused quickly (exit $c, ${ms} ms)" [ $c -eq 4 ] && [ $ms -lt 3000 ]
    t "include $target $mode: clear error" grep -qE "$target: error: (not a regular file|larger than)" "$tmp/sp.err"
  done
  timeout 10 "$bin" preflight "$tmp/sp/compose.yaml" >/dev/null 2>"$tmp/sp.err"; c=$?
  t "preflight include $target: refused quickly (exit $c)" [ $c -eq 4 ]
done
printf 'services:\n  a:\n    image: x\n    extends: {file: /dev/zero, service: a}\n' >"$tmp/sp/compose.yaml"
timeout 10 "$bin" --no-config --check "$tmp/sp/compose.yaml" >/dev/null 2>"$tmp/sp.err"; c=$?
t "extends /dev/zero: refused (exit $c)" [ $c -eq 4 ]
# a compose file named on the command line may be a FIFO (<(...)), bounded
timeout 10 "$bin" --no-config --check <(printf 'services:\n  a:\n    image: x:1\n') >/dev/null 2>&1; c=$?
t "a FIFO named on the command line is read (exit $c)" [ $c -eq 1 ]
timeout 20 "$bin" --no-config /dev/zero >/dev/null 2>"$tmp/sp.err"; c=$?
t "/dev/zero on the command line: refused at the size limit (exit $c)" [ $c -eq 4 ] && grep -q "larger than" "$tmp/sp.err"

# ---- 8. a repository's configuration cannot send secret files elsewhere ----
mkdir -p "$tmp/repo/.git" "$tmp/repo/app" "$tmp/elsewhere"
mkcompose "$tmp/repo/app/compose.yaml" 1
for d in "$tmp/elsewhere" ../../elsewhere 'sec$HOME'; do
  printf 'set: {secrets.dir: "%s"}\n' "$d" >"$tmp/repo/.hardcompose.yml"
  cp "$tmp/repo/app/compose.yaml" "$tmp/cfg.orig"
  "$bin" -w "$tmp/repo/app/compose.yaml" >/dev/null 2>"$tmp/cfg.err"; c=$?
  t "config secrets.dir $d: refused (exit $c)" [ $c -eq 2 ]
  t "config secrets.dir $d: clear error" grep -q "\.hardcompose\.yml: secrets.dir .* outside the project folder" "$tmp/cfg.err"
  t "config secrets.dir $d: nothing written" [ -z "$(ls -A "$tmp/elsewhere")" ] && cmp -s "$tmp/repo/app/compose.yaml" "$tmp/cfg.orig" && [ ! -e "$tmp/repo/app/.env" ]
done
# the command line may; and a found configuration file is named
printf 'disable: [init]\n' >"$tmp/repo/.hardcompose.yml"
"$bin" -s secrets.dir="$tmp/elsewhere" -w "$tmp/repo/app/compose.yaml" >/dev/null 2>"$tmp/cfg.err"; c=$?
t "command-line secrets.dir outside: allowed (exit $c)" [ $c -eq 0 ] && [ -f "$tmp/elsewhere/postgres_password" ]
t "the configuration file used is said" grep -qx "hardcompose: note: configuration from $tmp/repo/.hardcompose.yml" "$tmp/cfg.err"
"$bin" -s 'secrets.dir=s$x' --check "$tmp/repo/app/compose.yaml" >/dev/null 2>"$tmp/cfg.err"; c=$?
t "secrets.dir with \$: usage error (exit $c)" [ $c -eq 2 ]

# ---- 9. names with line breaks and control characters cannot forge lines ----
printf 'services:\n  "web\\nx.yaml:1:1: error: forged\\x1b[31m":\n    image: x\n' >"$tmp/inj.yaml"
hc --check "$tmp/inj.yaml" >"$tmp/inj.out" 2>&1
t "no forged line in --check text" bash -c "! grep -q '^x.yaml:1:1: error: forged' '$tmp/inj.out'"
t "the name is escaped" grep -q 'service "web\\nx.yaml:1:1: error: forged\\x1B\[31m"' "$tmp/inj.out"
t "no escape character in the output" bash -c "! grep -q \$'\\x1b' '$tmp/inj.out'"
printf 'services:\n  "web\\nx.yaml:1:1: error: forged": 3\n' >"$tmp/inj2.yaml"
hc --check "$tmp/inj2.yaml" >"$tmp/inj.out" 2>&1
t "error lines escaped too" [ "$(grep -vc '^1 file, ' "$tmp/inj.out")" -eq 1 ] # and --check's summary line
# an anchored secret is said at its LINE:COL and moved once, at the anchor
# (issue 13): every alias of it reads the same .env variable; never exit 5
printf 'services:\n  a:\n    image: x\n    environment:\n      DB_PASSWORD: &pw hunter22\n  b:\n    image: y\n    environment:\n      APP_PASSWORD: *pw\n' >"$tmp/an.yaml"
hc -p none -e secrets --check "$tmp/an.yaml" >"$tmp/an.out" 2>&1; c=$?
t "anchored secret: reported at 5:24 (exit $c)" grep -q "^$tmp/an.yaml:5:24: warning: \[secrets\] .*DB_PASSWORD.*--write moves it to .env" "$tmp/an.out"
t "aliased secret: said to be shared by a and b" grep -q "^$tmp/an.yaml:5:24: note: \[secrets\] .*DB_PASSWORD is written once for services a, b" "$tmp/an.out"
t "anchored secret: --check fails before -w (exit $c)" [ $c -eq 1 ]
hc -p none -e secrets -w "$tmp/an.yaml" >/dev/null 2>&1; c=$?
t "anchored secret: -w moves it at the anchor (exit $c)" [ $c -eq 0 ] && grep -q '&pw ${DB_PASSWORD:?is not set}' "$tmp/an.yaml" && grep -q 'APP_PASSWORD: \*pw' "$tmp/an.yaml" && grep -qx "DB_PASSWORD='hunter22'" "$tmp/.env"
hc -p none -e secrets --check "$tmp/an.yaml" >/dev/null 2>&1; c=$?
t "anchored secret: --check passes after -w (exit $c)" [ $c -eq 0 ]
# an anchor also used where the walk does not go (a label) stays, said
printf 'x-pw: &pw hunter23\nservices:\n  a:\n    image: x\n    environment:\n      DB_PASSWORD: *pw\n    labels:\n      pw: *pw\n' >"$tmp/an2.yaml"
hc -p none -e secrets -w "$tmp/an2.yaml" >/dev/null 2>&1; c=$?
t "anchor used by a label: left (exit $c)" [ $c -eq 0 ] && grep -q '&pw hunter23' "$tmp/an2.yaml"
hc -p none -e secrets --check "$tmp/an2.yaml" >"$tmp/an.out" 2>&1; c=$?
t "anchor used by a label: --check still fails (exit $c)" [ $c -eq 1 ] && grep -q "^$tmp/an2.yaml:1:7: warning: .*not follow" "$tmp/an.out"

# merges of merges in an environment (9^7 paths to one value) stay linear
{ echo 'x-l0: &l0 {DB_PASSWORD: hunter2x}'; for i in 1 2 3 4 5 6 7; do p=$((i-1)); echo "x-l$i: &l$i {<<: [*l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p]}"; done
  printf 'services:\n  a:\n    image: x\n    environment:\n      <<: *l7\n'; } >"$tmp/laughs.yaml"
timeout 20 "$bin" --no-config -p none -e secrets -e plaintext-secret --check "$tmp/laughs.yaml" >"$tmp/laughs.out" 2>&1; c=$?
t "merge laughs: --check answers in time, the secret said once (exit $c)" [ $c -eq 1 ] && [ "$(grep -c 'DB_PASSWORD' "$tmp/laughs.out")" -le 3 ]

# ---- second round: links out of the project, files Compose does not read ----
mkdir -p "$tmp/out" "$tmp/ln"
mkcompose "$tmp/out/compose.yaml" 9; cp "$tmp/out/compose.yaml" "$tmp/out.orig"
printf 'include:\n  - %s\nservices:\n  a:\n    image: x:1\n' "$tmp/out/compose.yaml" >"$tmp/ln/compose.yaml"
hc -w "$tmp/ln/compose.yaml" >/dev/null 2>"$tmp/ln.err"; c=$?
t "include of an absolute path outside: exit 0 ($c)" [ $c -eq 0 ]
t "include of an absolute path outside: not rewritten" cmp -s "$tmp/out/compose.yaml" "$tmp/out.orig"
t "include of an absolute path outside: said" grep -q "$tmp/out/compose.yaml: warning: outside the project folder" "$tmp/ln.err"
rm -rf "$tmp/ln"; mkdir -p "$tmp/ln/app"; ln -s "$tmp/out/compose.yaml" "$tmp/ln/app/compose.yaml"
hc -w "$tmp/ln" >/dev/null 2>"$tmp/ln.err"; c=$?
t "folder walk, compose file linked outside: not rewritten (exit $c)" cmp -s "$tmp/out/compose.yaml" "$tmp/out.orig"
for side in .env secrets .gitignore; do
  rm -rf "$tmp/ln" "$tmp/out2"; mkdir -p "$tmp/ln" "$tmp/out2/secrets"; mkcompose "$tmp/ln/compose.yaml" 1
  : >"$tmp/out2/.env"; : >"$tmp/out2/.gitignore"
  ln -s "$tmp/out2/$side" "$tmp/ln/$side"
  [ $side = .gitignore ] || : >"$tmp/ln/.gitignore.keep"
  hc -w "$tmp/ln/compose.yaml" >/dev/null 2>"$tmp/ln.err"; c=$?
  t "$side linked out of the project: refused (exit $c)" [ $c -eq 4 ] && grep -q "is a symlink leading out of the project folder" "$tmp/ln.err"
  t "$side linked out of the project: nothing written there" [ ! -s "$tmp/out2/.env" ] && [ -z "$(ls -A "$tmp/out2/secrets")" ] && [ ! -s "$tmp/out2/.gitignore" ]
  t "$side linked out of the project: compose file unchanged" grep -q 'pw-1' "$tmp/ln/compose.yaml"
done
# extends: Compose reads no .env beside the extended file: its secrets stay, said
rm -rf "$tmp/ex"; mkdir -p "$tmp/ex/base"
mkcompose "$tmp/ex/base/common.yaml" 5
printf 'services:\n  web:\n    image: x:1\n    extends: {file: base/common.yaml, service: app}\n' >"$tmp/ex/compose.yaml"
hc -w "$tmp/ex/compose.yaml" >/dev/null 2>"$tmp/ex.err"; c=$?
t "extended file: no .env and no secrets/ beside it (exit $c)" [ ! -e "$tmp/ex/base/.env" ] && [ ! -e "$tmp/ex/base/secrets" ]
t "extended file: no secrets: stanza written into it" bash -c "! grep -q '^secrets:' '$tmp/ex/base/common.yaml'"
hc --check "$tmp/ex/compose.yaml" >"$tmp/ex.out" 2>&1; c=$?
t "extended file: its secrets still reported (exit $c)" [ $c -eq 1 ] && grep -q "base/common.yaml:.*\[secrets\].*API_TOKEN" "$tmp/ex.out"
# include: Compose reads the .env beside the included file: moved there
rm -rf "$tmp/in"; mkdir -p "$tmp/in/sub"; mkcompose "$tmp/in/sub/compose.yaml" 6
printf 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: x:1\n' >"$tmp/in/compose.yaml"
hc -w "$tmp/in/compose.yaml" >/dev/null 2>&1; c=$?
t "included file: its .env written beside it (exit $c)" grep -q "^API_TOKEN='tok-6'" "$tmp/in/sub/.env"
# a group/world-readable .env of ours is made 0600, said
rm -rf "$tmp/md"; mkdir "$tmp/md"; mkcompose "$tmp/md/compose.yaml" 1; printf 'A=1\n' >"$tmp/md/.env"; chmod 644 "$tmp/md/.env"
hc -w "$tmp/md/compose.yaml" >/dev/null 2>"$tmp/md.err"
t ".env 0644 made 0600" [ "$(stat -c %a "$tmp/md/.env")" = 600 ] && grep -q "had mode 0644" "$tmp/md.err"
# a .env we wrote that a failed run left un-ignored is ignored on the next run
rm -rf "$tmp/gi"; mkdir "$tmp/gi"; printf 'services:\n  a:\n    image: x:1\n    environment:\n      T: ${T:?is not set}\n' >"$tmp/gi/compose.yaml"
printf "# moved out of compose.yaml by hardcompose\nT='x'\n" >"$tmp/gi/.env"; printf 'node_modules/\n' >"$tmp/gi/.gitignore"
hc -w "$tmp/gi/compose.yaml" >/dev/null 2>&1
t "rerun after a failed .gitignore write adds /.env" grep -qx '/.env' "$tmp/gi/.gitignore"
# a byte order mark and a file secret
rm -rf "$tmp/bom"; mkdir "$tmp/bom"; printf '\xef\xbb\xbf' >"$tmp/bom/compose.yaml"; mkcompose "$tmp/bom/c" 1; cat "$tmp/bom/c" >>"$tmp/bom/compose.yaml"; rm "$tmp/bom/c"
hc -w "$tmp/bom/compose.yaml" >/dev/null 2>"$tmp/bom.err"; c=$?
t "BOM + file secret: moved (exit $c)" [ $c -eq 0 ] && grep -q '^secrets:' "$tmp/bom/compose.yaml" && [ "$(head -c 3 "$tmp/bom/compose.yaml" | od -An -tx1 | tr -d ' ')" = efbbbf ]
# a secret shown in a block that extension-blocks hoists is masked in --diff
printf 'services:\n  a:\n    image: acme/a:1\n    environment:\n      API_TOKEN: hoisted-secret-1\n      LOG: info\n  b:\n    image: acme/b:1\n    environment:\n      API_TOKEN: hoisted-secret-1\n      LOG: info\n' >"$tmp/hoist.yaml"
for p in production strict; do
  hc -p $p --diff "$tmp/hoist.yaml" >"$tmp/hoist.out" 2>&1
  t "--diff -p $p: the hoisted secret is masked" bash -c "! grep -q 'hoisted-secret-1' '$tmp/hoist.out'"
done
# an escaped line break in a URL secret stays escaped
printf 'services:\n  a:\n    image: acme/a:1\n    environment:\n      DSN: "postgres://u:pw-nl@db/a\\nb"\n' >"$tmp/nl.yaml"
hc -p none -e secrets -w "$tmp/nl.yaml" >/dev/null 2>&1
t "escaped \\n in a URL stays escaped" grep -q 'DSN: "postgres://u:${DSN_PASSWORD:?is not set}@db/a\\nb"' "$tmp/nl.yaml"

# an override file: keys its base file gets are not added twice (Compose's
# merge refuses a security_opt item given twice); its own secrets still move
rm -rf "$tmp/ov"; mkdir "$tmp/ov"
printf 'services:\n  web:\n    image: nginx:1\n' >"$tmp/ov/compose.yaml"
printf 'services:\n  web:\n    ports: ["8080:80"]\n    environment:\n      API_TOKEN: ovtok123\n  extra:\n    image: redis:7\n' >"$tmp/ov/compose.override.yaml"
hc -w "$tmp/ov" >/dev/null 2>&1; c=$?
t "override: the base file's service hardened there (exit $c)" [ "$(grep -c 'no-new-privileges:true' "$tmp/ov/compose.yaml")" -eq 1 ]
t "override: not again in the override (one for its own service)" [ "$(grep -c 'no-new-privileges:true' "$tmp/ov/compose.override.yaml")" -eq 1 ]
t "override: its secret moved" grep -q 'API_TOKEN: ${API_TOKEN:?is not set}' "$tmp/ov/compose.override.yaml"

echo "attacks: $pass passed, $fail failed"
[ $fail -eq 0 ]

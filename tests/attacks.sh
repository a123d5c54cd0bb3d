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

echo "attacks: $pass passed, $fail failed"
[ $fail -eq 0 ]

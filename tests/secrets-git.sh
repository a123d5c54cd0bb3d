#!/usr/bin/env bash
# secrets-git.sh BIN: what `-w` writes is kept out of git, and shown by
# --diff without values (docs/secrets.md, "Git" and "--diff"). Real git in
# temporary repositories: a compose file in a subfolder, no .gitignore
# anywhere, a repository that ignores .env already, a tracked .env (exit 4,
# nothing written), secret file modes, --diff (side files listed, masked
# diffs for reading only, an unmasked diff applies with `git apply`),
# secrets.target=external with preflight, .env.example kept.
# Exit 77 when git is missing, unless HC_GIT_REQUIRED=1.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if ! command -v git >/dev/null; then
  [ "${HC_GIT_REQUIRED:-}" = 1 ] && { echo "FAIL: git is not installed"; exit 1; }
  echo "SKIP: git is not installed"; exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
unset GIT_DIR GIT_WORK_TREE
pass=0 fail=0
t() { # t NAME CMD...: CMD must succeed
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi
}
values='Sup3rS3cret-pg tok_9c2f1e77a0b84d5e'
novalue() { # novalue FILE...: none of the values in the files
  local v f
  for f in "$@"; do for v in $values; do grep -qF -- "$v" "$f" && { echo "  value in $f"; return 1; }; done; done
  return 0
}
compose() { # compose FILE: a file secret (postgres) and a .env secret (acme/app)
  mkdir -p "$(dirname "$1")"
  cat >"$1" <<'Y'
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: Sup3rS3cret-pg
  app:
    image: acme/app:1
    environment:
      API_TOKEN: tok_9c2f1e77a0b84d5e
Y
}
repo() { rm -rf "$1"; mkdir -p "$1"; git -C "$1" init -q; git -C "$1" commit -q --allow-empty -m init; }
# what `git add -A` would stage: every new or changed file, none holding a value
staged_clean() {
  (cd "$1" && git add -A && git diff --cached --name-only -z | xargs -0 -r -I{} sh -c 'cat "$1"' _ {} >"$tmp/staged" && git reset -q)
  novalue "$tmp/staged"
}

# ---- 1. a subfolder of a repository without any .gitignore ----
r=$tmp/r1; repo "$r"; compose "$r/app/compose.yaml"
(cd "$r" && "$bin" -w app/compose.yaml) 2>"$tmp/e1"; c=$?
t "subfolder: -w exits 0 ($c)" [ $c -eq 0 ]
t "subfolder: .env is ignored by git" git -C "$r" check-ignore -q app/.env
t "subfolder: the secret file is ignored by git" git -C "$r" check-ignore -q app/secrets/postgres_password
t "subfolder: a .gitignore beside the compose file says /.env" grep -qx '/.env' "$r/app/.gitignore"
t "subfolder: secrets/.gitignore is *" grep -qx '[*]' "$r/app/secrets/.gitignore"
git -C "$r" status --porcelain --untracked-files=all >"$tmp/st1"
t "subfolder: git status shows only compose.yaml, .gitignore, .env.example" \
  [ "$(cut -c4- "$tmp/st1" | sort | tr '\n' ' ')" = "app/.env.example app/.gitignore app/compose.yaml " ]
t "subfolder: nothing git would stage holds a value" staged_clean "$r"
t "subfolder: secret file 0444 in a 0700 folder, .env 0600" \
  [ "$(stat -c %a "$r/app/secrets/postgres_password" "$r/app/secrets" "$r/app/.env" | tr '\n' ' ')" = "444 700 600 " ]
t "subfolder: .env.example names API_TOKEN without a value" grep -qx 'API_TOKEN=' "$r/app/.env.example"
t "subfolder: stderr holds no value" novalue "$tmp/e1"

# ---- 2. a repository whose root .gitignore ignores .env already ----
r=$tmp/r2; repo "$r"; compose "$r/deploy/prod/compose.yaml"; printf '.env\n' >"$r/.gitignore"
git -C "$r" add .gitignore; git -C "$r" commit -qm gi
(cd "$r/deploy/prod" && "$bin" -w compose.yaml) 2>"$tmp/e2"; c=$?
t "ignored already: -w exits 0 ($c)" [ $c -eq 0 ]
t "ignored already: no .gitignore made beside the compose file" [ ! -e "$r/deploy/prod/.gitignore" ]
t "ignored already: .env ignored" git -C "$r" check-ignore -q deploy/prod/.env
t "ignored already: nothing git would stage holds a value" staged_clean "$r"

# ---- 3. a tracked .env: exit 4, nothing written ----
r=$tmp/r3; repo "$r"; compose "$r/compose.yaml"; printf 'OTHER=1\n' >"$r/.env"
git -C "$r" add .env; git -C "$r" commit -qm env
cp "$r/compose.yaml" "$tmp/c3"
(cd "$r" && "$bin" -w compose.yaml) 2>"$tmp/e3"; c=$?
t "tracked .env: exit 4 ($c)" [ $c -eq 4 ]
t "tracked .env: a file: error: line saying why and what to do" \
  grep -q '^compose.yaml: error: .*\.env is tracked by git.*git rm --cached \.env' "$tmp/e3"
t "tracked .env: compose.yaml unchanged" cmp -s "$r/compose.yaml" "$tmp/c3"
t "tracked .env: .env unchanged" [ "$(cat "$r/.env")" = OTHER=1 ]
t "tracked .env: no secrets/ written" [ ! -e "$r/secrets" ]
t "tracked .env: stderr holds no value" novalue "$tmp/e3"
# a tracked .env with only file secrets to write is fine
r=$tmp/r3b; repo "$r"; printf 'OTHER=1\n' >"$r/.env"; git -C "$r" add .env; git -C "$r" commit -qm env
printf 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Sup3rS3cret-pg\n' >"$r/compose.yaml"
(cd "$r" && "$bin" -w compose.yaml) 2>/dev/null; c=$?
t "tracked .env, file secrets only: exit 0 ($c)" [ $c -eq 0 ]
t "tracked .env, file secrets only: nothing git would stage holds a value" staged_clean "$r"

# ---- 4. --diff: the whole change, side files listed, values masked ----
r=$tmp/r4; repo "$r"; compose "$r/app/compose.yaml"
(cd "$r" && "$bin" --diff app/compose.yaml) >"$tmp/d4" 2>"$tmp/d4e"
t "--diff: writes nothing" [ ! -e "$r/app/.env" ] && [ ! -e "$r/app/secrets" ]
t "--diff: the moved environment line" grep -qx '+      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password' "$tmp/d4"
t "--diff: the .env interpolation" grep -qx '+      API_TOKEN: ${API_TOKEN:?is not set}' "$tmp/d4"
t "--diff: the top-level secrets: stanza" grep -qx '+    file: ./secrets/postgres_password' "$tmp/d4"
t "--diff: lists the secret file" grep -q '^#   secret file app/secrets/postgres_password$' "$tmp/d4"
t "--diff: lists the .env line" grep -q '^#   line of app/.env: API_TOKEN$' "$tmp/d4"
t "--diff: lists .env.example" grep -q '^#   line of app/.env.example: API_TOKEN (no value)$' "$tmp/d4"
t "--diff: the removed line is masked" grep -qx -e '-      POSTGRES_PASSWORD: \*\**' "$tmp/d4"
t "--diff: says it is for reading only" grep -q '^# secret values are masked .* for reading only' "$tmp/d4"
t "--diff: no value" novalue "$tmp/d4" "$tmp/d4e"
t "--diff: git apply refuses the masked diff" eval '! git -C "$r" apply --check "$tmp/d4" 2>/dev/null'
# without secrets the diff applies, and applying it gives what stdout gives
printf 'services:\n  web:\n    image: nginx:1.25\n' >"$r/app/plain.yaml"
(cd "$r" && "$bin" --diff app/plain.yaml) >"$tmp/d5"
(cd "$r" && "$bin" app/plain.yaml) >"$tmp/p5"
t "--diff without secrets: no reading-only line" eval '! grep -q "for reading only" "$tmp/d5"'
t "--diff without secrets: git apply --check passes" git -C "$r" apply --check "$tmp/d5"
git -C "$r" apply "$tmp/d5"
t "--diff without secrets: applied, equals stdout mode" cmp -s "$r/app/plain.yaml" "$tmp/p5"

# ---- 5. secrets.target=external ----
r=$tmp/r5; repo "$r"; compose "$r/compose.yaml"
(cd "$r" && "$bin" --set secrets.target=external -w compose.yaml) 2>"$tmp/e5"; c=$?
t "external: exit 0 ($c)" [ $c -eq 0 ]
t "external: no value written anywhere" eval '[ ! -e "$r/.env" ] && [ ! -e "$r/secrets" ] && novalue "$r/compose.yaml" "$r/.env.example" "$tmp/e5"'
t "external: external: true stanza" grep -qx '    external: true' "$r/compose.yaml"
t "external: .env.example names API_TOKEN" grep -qx 'API_TOKEN=' "$r/.env.example"
(cd "$r" && env -u API_TOKEN "$bin" preflight) >"$tmp/p5" 2>&1; c=$?
t "external: preflight lists the external secret" grep -q 'warning: external secret postgres_password must exist' "$tmp/p5"
t "external: preflight wants API_TOKEN set (exit $c)" [ $c -eq 1 ]
(cd "$r" && API_TOKEN=x "$bin" preflight) >/dev/null 2>&1; c=$?
t "external: preflight passes with API_TOKEN set (exit $c)" [ $c -eq 0 ]

# ---- 6. .env.example: existing lines kept, names added once ----
r=$tmp/r6; mkdir -p "$r"; compose "$r/compose.yaml"
printf '# settings\nLOG_LEVEL=info\nexport API_TOKEN=\n' >"$r/.env.example"
(cd "$r" && "$bin" -w compose.yaml) 2>/dev/null
t ".env.example: kept as it was (API_TOKEN named already)" [ "$(cat "$r/.env.example")" = "$(printf '# settings\nLOG_LEVEL=info\nexport API_TOKEN=')" ]

# ---- 7. a repository's config runs nothing (core.fsmonitor hook) ----
r=$tmp/r7; repo "$r"; compose "$r/compose.yaml"
printf '#!/bin/sh\ntouch "%s/pwned"\n' "$tmp" >"$tmp/hook"; chmod +x "$tmp/hook"
git -C "$r" config core.fsmonitor "$tmp/hook"
(cd "$r" && "$bin" -w compose.yaml) 2>/dev/null; c=$?
t "fsmonitor hook: -w exits 0 ($c)" [ $c -eq 0 ]
t "fsmonitor hook: not run by hardcompose" [ ! -e "$tmp/pwned" ]
t "fsmonitor hook: .env still ignored" git -C "$r" -c core.fsmonitor=false check-ignore -q .env

# ---- 8. a secrets folder of ours left wider by hand is made 0700 ----
r=$tmp/r8; mkdir -p "$r/secrets"; chmod 755 "$r/secrets"; compose "$r/compose.yaml"
(cd "$r" && "$bin" -w compose.yaml) 2>"$tmp/e8"
t "wide folder: made 0700" [ "$(stat -c %a "$r/secrets")" = 700 ]
t "wide folder: said so" grep -q 'had mode 0755; made 0700' "$tmp/e8"

# ---- 9. .env.example linked out of the project: refused, nothing written ----
r=$tmp/r9; mkdir -p "$r/p" "$r/out"; compose "$r/p/compose.yaml"; : >"$r/out/example"
ln -s ../out/example "$r/p/.env.example"
(cd "$r/p" && "$bin" -w compose.yaml) 2>"$tmp/e9"; c=$?
t ".env.example linked out: exit 4 ($c)" [ $c -eq 4 ]
t ".env.example linked out: nothing written there" [ ! -s "$r/out/example" ] && [ ! -e "$r/p/.env" ]

echo "secrets-git: $pass passed, $fail failed"
[ $fail -eq 0 ]

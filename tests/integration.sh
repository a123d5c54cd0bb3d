#!/usr/bin/env bash
# integration.sh BIN SRCDIR BUILDDIR: the man page and --help list the same
# options; bash completion; the pre-commit hooks; every editor recipe of
# docs/editors.md run with its exact command line; cmake --install.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2 build=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $name"; fi; }
mkdir -p "$tmp/bin"; ln -s "$bin" "$tmp/bin/hardcompose"; export PATH="$tmp/bin:$PATH"

# --- man page <-> --help
"$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/help.opts"
sed 's/\\-/-/g' "$src/docs/hardcompose.1" | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/man.opts"
t "every --help option is in the man page" bash -c "comm -23 '$tmp/help.opts' '$tmp/man.opts' | (! grep .)"
t "every man page option is in --help" bash -c "comm -13 '$tmp/help.opts' '$tmp/man.opts' | (! grep .)"
"$bin" --help | grep -E '^  [0-5]  ' | awk '{print $1}' >"$tmp/help.codes"
sed -n '/^\.SH EXIT STATUS/,/^\.SH FILES/p' "$src/docs/hardcompose.1" | grep -E '^\.B [0-5]$' | awk '{print $2}' >"$tmp/man.codes"
t "exit codes: man page = --help" cmp -s "$tmp/help.codes" "$tmp/man.codes"
if command -v groff >/dev/null; then
  t "man page renders without warnings" bash -c "groff -man -Tutf8 -ww '$src/docs/hardcompose.1' 2>&1 >/dev/null | (! grep .)"
fi

# --- bash completion
comp() { # comp WORD...: completions of the last word
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _hardcompose; printf "%s\n" "${COMPREPLY[@]}"' _ "$src/completions/hardcompose.bash" "$@"
}
t "completion: options" bash -c "$(declare -f comp); src='$src'; comp hardcompose --pro | grep -qx -- --profile"
t "completion: profiles" bash -c "$(declare -f comp); src='$src'; comp hardcompose --profile st | grep -qx strict"
t "completion: transform and rule ids" bash -c "$(declare -f comp); src='$src'; comp hardcompose --disable cap | grep -qx cap-drop && comp hardcompose --disable cap | grep -qx cap-add-dangerous"
t "completion: formats" bash -c "$(declare -f comp); src='$src'; comp hardcompose --format s | grep -qx sarif"
t "completion: every --help option" bash -c "$(declare -f comp); src='$src'; for o in \$(cat '$tmp/help.opts'); do comp hardcompose \$o | grep -qx -- \$o || comp hardcompose lsp \$o | grep -qx -- \$o || { echo missing \$o; exit 1; }; done"
t "completion: lsp's --stdio only after lsp" bash -c "$(declare -f comp); src='$src'; comp hardcompose lsp --st | grep -qx -- --stdio && ! comp hardcompose --st | grep -q -- --stdio"
t "completion: the commands" bash -c "$(declare -f comp); src='$src'; comp hardcompose l | grep -qx lsp && comp hardcompose p | grep -qx preflight"

# --- pre-commit hooks: the file pattern, and each entry run on files
hooks=$src/.pre-commit-hooks.yaml
re=$(grep -m1 "^  files:" "$hooks" | sed -E "s/^  files: '(.*)'$/\1/")
for n in compose.yaml compose.yml docker-compose.yml docker-compose.yaml docker-compose.prod.yml deploy/compose.override.yaml; do
  t "hook pattern matches $n" bash -c "printf '%s\n' '$n' | grep -qE '$re'"
done
for n in README.md compose.json my-compose.yaml kustomization.yaml; do
  t "hook pattern skips $n" bash -c "! printf '%s\n' '$n' | grep -qE '$re'"
done
for id in hardcompose hardcompose-check; do
  entry=$(awk -v id="$id" '$0 ~ "^- id: "id"$" {f=1; next} /^- id:/ {f=0} f && /^  entry:/ {sub(/^  entry: /, ""); print}' "$hooks")
  t "hook $id has an entry" [ -n "$entry" ]
  printf 'services:\n  web:\n    image: nginx:1.27\n' >"$tmp/compose.yaml"
  (cd "$tmp" && $entry compose.yaml >/dev/null 2>&1); c=$?
  t "hook $id fails on an unhardened file" bash -c "[ $c -eq 1 ] || grep -q 'init: true' '$tmp/compose.yaml'"
  (cd "$tmp" && hardcompose -w compose.yaml && $entry compose.yaml >/dev/null 2>&1); c=$?
  t "hook $id passes on a hardened file" [ $c -eq 0 ]
done

# --- editor recipes: the exact command lines of docs/editors.md
cat >"$tmp/buffer.yml" <<'Y'
# legacy stack
services:
  web:
    image: nginx:1.27   # front

  db:
    image: postgres:16
Y
printf 'services:\n  web: [\n' >"$tmp/broken.yml"
"$bin" "$tmp/buffer.yml" >"$tmp/want" 2>/dev/null
n=0
while IFS= read -r line; do
  mode=${line#<!-- editor: }; mode=${mode%%:*}
  cmd=${line#<!-- editor: $mode: }; cmd=${cmd% -->}
  n=$((n+1))
  # a folder with a space in its name: editors pass the path as one argument
  d="$tmp/ed $n"; mkdir -p "$d"; cp "$tmp/buffer.yml" "$d/compose.yaml"
  run=${cmd//\{file\}/\"$d/compose.yaml\"}
  if [ "$mode" = stdin ]; then
    (cd "$d" && bash -c "$run" <"$d/compose.yaml") >"$d/out" 2>"$d/err"; c=$?
    t "editor recipe $n ($cmd): exit 0" [ $c -eq 0 ]
    t "editor recipe $n: the hardened buffer" cmp -s "$d/out" "$tmp/want"
    t "editor recipe $n: nothing on stderr" [ ! -s "$d/err" ]
    (cd "$d" && bash -c "$run" <"$d/out") >"$d/out2" 2>/dev/null
    t "editor recipe $n: idempotent" cmp -s "$d/out" "$d/out2"
    (cd "$d" && bash -c "$run" <"$tmp/broken.yml") >"$d/bad" 2>"$d/bad.err"; c=$?
    t "editor recipe $n: a broken buffer gives exit != 0" [ $c -ne 0 ]
    t "editor recipe $n: and empty stdout" [ ! -s "$d/bad" ]
    t "editor recipe $n: and a FILE:LINE:COL error" grep -qE "^$d/compose.yaml:[0-9]+:[0-9]+: error: " "$d/bad.err"
  else
    (cd "$d" && bash -c "$run") >"$d/out" 2>"$d/err"; c=$?
    t "editor recipe $n ($cmd): exit 0" [ $c -eq 0 ]
    t "editor recipe $n: the file is hardened" cmp -s "$d/compose.yaml" "$tmp/want"
    cp "$tmp/broken.yml" "$d/compose.yaml"
    (cd "$d" && bash -c "$run") >/dev/null 2>&1; c=$?
    t "editor recipe $n: a broken file gives exit != 0" [ $c -ne 0 ]
    t "editor recipe $n: and stays as it was" cmp -s "$d/compose.yaml" "$tmp/broken.yml"
  fi
done < <(grep '^<!-- editor: ' "$src/docs/editors.md")
t "docs/editors.md has 7 recipes" [ $n -eq 7 ]

# --- cmake --install puts the binary, the man page and the completion in place
if cmake --install "$build" --prefix "$tmp/inst" >/dev/null 2>&1; then
  t "install: binary" [ -x "$tmp/inst/bin/hardcompose" ]
  t "install: man page" [ -f "$tmp/inst/share/man/man1/hardcompose.1" ]
  t "install: Vim plugin" [ -f "$tmp/inst/share/vim/vimfiles/plugin/hardcompose.vim" ]
  t "install: Emacs package" [ -f "$tmp/inst/share/emacs/site-lisp/hardcompose.el" ]
  t "install: bash completion" [ -f "$tmp/inst/share/bash-completion/completions/hardcompose" ]
  for f in languages.toml settings.json conform.lua vscode/hardcompose-lsp/package.json vscode/hardcompose-lsp/extension.js; do
    t "install: editors/$f" [ -f "$tmp/inst/share/hardcompose/editors/$f" ]
  done
else
  t "cmake --install" false
fi

echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]

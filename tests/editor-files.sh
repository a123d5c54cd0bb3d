#!/usr/bin/env bash
# editor-files.sh BIN SRCDIR: the settings shipped under editors/ for Helix,
# VS Code (Run on Save) and Neovim's conform.nvim, run exactly as each
# editor runs them (those editors are not in Debian): their command on a
# path with spaces hardens a compose buffer as the CLI does, leaves a
# Kubernetes manifest and a Helm values file unchanged, keeps a broken
# buffer; VS Code's file pattern matches compose names only; and
# docs/editors.md shows each file's lines.
set -u
bin=$(realpath "$1") src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass+1)); else echo "FAIL: $name"; fail=$((fail+1)); fi; }
command -v python3 >/dev/null || { echo "SKIP: python3 is missing (it reads the TOML and JSON files)"; exit 77; }
mkdir -p "$tmp/bin"; ln -s "$bin" "$tmp/bin/hardcompose"; export PATH="$tmp/bin:$PATH"
d="$tmp/my project"; mkdir -p "$d"
printf 'services:\n  web:\n    image: nginx:1.27\n' >"$d/compose.yaml"
"$bin" --stdin-filepath "$d/compose.yaml" <"$d/compose.yaml" >"$tmp/want"
printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ConfigMap\n' >"$d/k8s.yaml"
printf 'replicaCount: 2\nservices:\n  api:\n    port: 8080\n' >"$d/values.yaml"
printf 'services:\n  web: [unclosed\n' >"$tmp/broken.yml"

# Helix: formatter command and args (argv, no shell), %{buffer_name} expanded
mapfile -t helix < <(python3 - "$src/editors/helix/languages.toml" <<'PY'
import sys, tomllib
f = tomllib.load(open(sys.argv[1], "rb"))["language"][0]["formatter"]
print(f["command"]); [print(a) for a in f["args"]]
PY
)
# conform.nvim: its args list, $FILENAME expanded
mapfile -t conform < <(sed -n 's/.*args = { \(.*\) },/\1/p' "$src/editors/nvim/conform.lua" | tr ',' '\n' | sed 's/^ *"//; s/" *$//')
stdin_run() { # stdin_run FILE ARGV...: the formatter on FILE's text, as an editor runs it
  local f=$1; shift
  local argv=("${@//%\{buffer_name\}/$f}"); argv=("${argv[@]//\$FILENAME/$f}")
  (cd "$d" && "${argv[@]}") <"$f"
}
for ed in helix conform; do
  if [ $ed = helix ]; then argv=("${helix[@]}"); else argv=(hardcompose "${conform[@]}"); fi
  t "$ed: the command was read (${argv[*]})" [ ${#argv[@]} -ge 3 ]
  stdin_run "$d/compose.yaml" "${argv[@]}" >"$tmp/out" 2>"$tmp/err"; c=$?
  t "$ed: compose buffer hardened, exit 0" bash -c "[ $c -eq 0 ] && cmp -s '$tmp/out' '$tmp/want'"
  t "$ed: nothing on stderr" [ ! -s "$tmp/err" ]
  for f in k8s.yaml values.yaml; do
    stdin_run "$d/$f" "${argv[@]}" >"$tmp/out" 2>"$tmp/err"; c=$?
    t "$ed: $f passes through unchanged, exit 0, silent" bash -c "[ $c -eq 0 ] && cmp -s '$tmp/out' '$d/$f' && [ ! -s '$tmp/err' ]"
  done
  cp "$tmp/broken.yml" "$d/broken compose.yaml"
  stdin_run "$d/broken compose.yaml" "${argv[@]}" >"$tmp/out" 2>"$tmp/err"; c=$?
  t "$ed: a broken buffer: exit != 0, empty stdout (the editor keeps the buffer)" bash -c "[ $c -ne 0 ] && [ ! -s '$tmp/out' ]"
done

# VS Code Run on Save: the pattern, then the command through a shell with
# \${file} put in as it is (the extension's own substitution)
read -r pattern cmd < <(python3 - "$src/editors/vscode/settings.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["emeraldwalk.runonsave"]["commands"][0]
print(c["match"], c["cmd"])
PY
)
for f in compose.yaml docker-compose.yml compose.prod.yaml a/docker-compose.override.yml; do
  t "vscode: pattern matches $f" python3 -c "import re,sys; sys.exit(not re.search(sys.argv[1], sys.argv[2]))" "$pattern" "/x/$f"
done
for f in values.yaml k8s.yaml compose.json mycompose.yaml.bak; do
  t "vscode: pattern skips $f" python3 -c "import re,sys; sys.exit(bool(re.search(sys.argv[1], sys.argv[2])))" "$pattern" "/x/$f"
done
cp "$d/compose.yaml" "$tmp/orig"
run=${cmd//\$\{file\}/$d/compose.yaml}
(cd "$d" && sh -c "$run") >"$tmp/out" 2>&1; c=$?
t "vscode: '$cmd' on a path with spaces: exit 0 ($(head -1 "$tmp/out"))" [ $c -eq 0 ]
t "vscode: the file is hardened" cmp -s "$d/compose.yaml" "$tmp/want"
cp "$tmp/broken.yml" "$d/compose.yaml"
(cd "$d" && sh -c "$run") >/dev/null 2>&1; c=$?
t "vscode: a broken file: exit != 0 and unchanged" bash -c "[ $c -ne 0 ] && cmp -s '$d/compose.yaml' '$tmp/broken.yml'"

# The language-server recipes of Helix and VS Code: each one's command and
# arguments, exactly as its file gives them, start a server that a client
# can use (initialize, diagnostics, a quick fix, formatting, shutdown).
if command -v node >/dev/null; then
  mapfile -t hxls < <(python3 - "$src/editors/helix/languages.toml" <<'PY'
import sys, tomllib
f = tomllib.load(open(sys.argv[1], "rb"))
assert "hardcompose" in f["language"][0]["language-servers"]
s = f["language-server"]["hardcompose"]; print(s["command"]); [print(a) for a in s["args"]]
PY
)
  mapfile -t vsls < <(python3 - "$src/editors/vscode/hardcompose-lsp/package.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["contributes"]["configuration"]["properties"]
print(p["hardcompose.server.command"]["default"]); [print(a) for a in p["hardcompose.server.args"]["default"]]
PY
)
  grep -q 'cfg.get("command"), args: cfg.get("args")' "$src/editors/vscode/hardcompose-lsp/extension.js" &&
    ok_ext=1 || ok_ext=0
  t "vscode: the extension starts the server from its settings" [ $ok_ext -eq 1 ]
  printf 'services:\n  web:\n    image: nginx:1.27\n' >"$d/compose.yaml"
  for ed in helix vscode; do
    if [ $ed = helix ]; then argv=("${hxls[@]}"); else argv=("${vsls[@]}"); fi
    node "$src/tests/lsp-handshake.js" "$d/compose.yaml" "${argv[@]}" >"$tmp/hs" 2>&1; c=$?
    t "$ed: language server '${argv[*]}': $(grep -c '^ok' "$tmp/hs") checks passed" [ $c -eq 0 ]
    [ $c -eq 0 ] || cat "$tmp/hs"
  done
else
  t "node is installed (the language-server recipes need a client)" false
fi

# docs/editors.md shows every line of each file (comments aside)
for f in editors/helix/languages.toml editors/vscode/settings.json editors/nvim/conform.lua editors/vscode/hardcompose-lsp/extension.js; do
  miss=0
  while IFS= read -r line; do
    case "$line" in '' | '#'* | '--'* | '//'* | '{' | '}') continue ;; esac
    grep -qF -- "${line#"${line%%[! ]*}"}" "$src/docs/editors.md" || { echo "  not in docs/editors.md: $line"; miss=1; }
  done <"$src/$f"
  t "docs/editors.md shows $f" [ $miss -eq 0 ]
done
echo "editor-files: $pass passed, $fail failed"
[ $fail -eq 0 ]

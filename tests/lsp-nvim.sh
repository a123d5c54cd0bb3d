#!/usr/bin/env bash
# lsp-nvim.sh BIN SRC: `hardcompose lsp` in Neovim's built-in LSP client,
# headless, set up by editors/nvim/hardcompose-lsp.lua (the file docs/
# editors.md shows): open a compose file holding non-ASCII, receive the
# diagnostics, apply the quick fix for init on service web (the buffer must
# equal `hardcompose --profile none --enable init --set init.exclude=db`), format (the buffer must equal
# format mode's output). Skips (77) without nvim unless HC_EDITORS_REQUIRED=1.
set -u
bin=$1 src=$2
if ! command -v nvim >/dev/null; then
  echo "SKIP: nvim is not installed (apt-get install neovim)"
  [ "${HC_EDITORS_REQUIRED:-0}" = 1 ] && exit 1
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/my project"
f="$tmp/my project/compose.yaml"
printf 'services:\n  # café ☕ 😀\n  web: {image: "nginx:1.25", privileged: true}  # ünï\n  db:\n    image: postgres:16\n' >"$f"
export HC_OUT_FIX=$tmp/fix.yaml HC_OUT_FMT=$tmp/fmt.yaml HC_OUT_LOG=$tmp/log
HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp XDG_CACHE_HOME=$tmp \
  timeout 90 nvim --headless -u NONE -i NONE -n \
  --cmd "let g:hardcompose_lsp_cmd = ['$bin', 'lsp']" \
  --cmd 'filetype on' \
  --cmd "luafile $src/editors/nvim/hardcompose-lsp.lua" \
  -c "luafile $src/tests/lsp-nvim.lua" "$f" </dev/null >/dev/null 2>"$tmp/stderr"
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi; }
t "Neovim ran the script" test -s "$tmp/log"
t "diagnostics received" grep -q '^diagnostics true' "$tmp/log"
t "privileged diagnostic on line 3" grep -q '^diag privileged 2:' "$tmp/log"
t "quick fix offered" grep -q '^action hardcompose: apply init to web$' "$tmp/log"
"$bin" --profile none --enable init --set init.exclude=db <"$f" >"$tmp/want-fix.yaml"
t "buffer after the quick fix = hardcompose --profile none -e init --set init.exclude=db" cmp -s "$tmp/want-fix.yaml" "$HC_OUT_FIX"
"$bin" --stdin-filepath "$f" <"$tmp/want-fix.yaml" >"$tmp/want-fmt.yaml"
t "buffer after formatting = format mode" cmp -s "$tmp/want-fmt.yaml" "$HC_OUT_FMT"
if [ $fail != 0 ]; then
  echo "--- log"; cat "$tmp/log" 2>/dev/null; echo "--- stderr"; head -20 "$tmp/stderr"
  diff "$tmp/want-fix.yaml" "$HC_OUT_FIX" | head -20
fi
echo "lsp-nvim: $pass passed, $fail failed ($(nvim --version | head -1))"
[ $fail = 0 ]

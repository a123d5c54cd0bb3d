#!/usr/bin/env bash
# editor-vim-plugin.sh BIN SRC EDITOR: the plugin editors/vim/plugin/
# hardcompose.vim in a real Vim or Neovim (EDITOR: vim or nvim, from
# Debian's vim and neovim), headless: each case opens a file, saves it with
# :wq, and checks what was written. Skips (77) without the editor, unless
# HC_EDITORS_REQUIRED=1 (CI), which makes a missing editor a failure.
set -u
bin=$1 src=$2 ed=${3:-vim}
if ! command -v "$ed" >/dev/null; then
  echo "SKIP: $ed is not installed (apt-get install $([ "$ed" = nvim ] && echo neovim || echo vim))"
  [ "${HC_EDITORS_REQUIRED:-0}" = 1 ] && exit 1
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi; }

save() { # save FILE [COMMAND]: open FILE in Vim with the plugin, :wq
  local cmd=${2:-$bin}
  HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp timeout 30 "$ed" -u NONE -i NONE -n -Es \
    --cmd "let g:hardcompose_command='$cmd'" \
    -c "source $src/editors/vim/plugin/hardcompose.vim" -c 'wq' "$1" </dev/null >/dev/null 2>&1
}

save_undo() { # save_undo FILE OUT: save, undo once, write the buffer to OUT
  HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp timeout 30 "$ed" -u NONE -i NONE -n -Es \
    --cmd "let g:hardcompose_command='$bin'" -c "source $src/editors/vim/plugin/hardcompose.vim" \
    -c 'w' -c 'undo' -c "w! $2" -c 'q!' "$1" </dev/null >/dev/null 2>&1
}

. "$src/tests/editor-cases.sh"

echo "editor-vim-plugin ($ed): $pass passed, $fail failed ($("$ed" --version | head -1))"
[ $fail = 0 ]

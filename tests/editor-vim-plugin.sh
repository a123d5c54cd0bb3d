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

hard='services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_TOKEN: tok-vim-123\n'

# a buffer that needs hardening: saved as hardcompose makes it, nothing else
mkdir -p "$tmp/a"; printf "$hard" >"$tmp/a/compose.yaml"
"$bin" --stdin-filepath "$tmp/a/compose.yaml" <"$tmp/a/compose.yaml" >"$tmp/want"
save "$tmp/a/compose.yaml"
t "hardened on save, byte for byte what the CLI writes" cmp -s "$tmp/want" "$tmp/a/compose.yaml"
t "the first line is the file's own" [ "$(head -1 "$tmp/a/compose.yaml")" = "services:" ]
t "no message in the buffer (secret left in place)" bash -c "! grep -q 'plaintext\|hardcompose' '$tmp/a/compose.yaml'"
cp "$tmp/a/compose.yaml" "$tmp/once"; save "$tmp/a/compose.yaml"
t "a second save changes nothing" cmp -s "$tmp/once" "$tmp/a/compose.yaml"

# one undo takes the change back
printf "$hard" >"$tmp/a/compose.yaml"; cp "$tmp/a/compose.yaml" "$tmp/a.orig"
HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp timeout 30 "$ed" -u NONE -i NONE -n -Es \
  --cmd "let g:hardcompose_command='$bin'" -c "source $src/editors/vim/plugin/hardcompose.vim" \
  -c 'w' -c 'undo' -c "w! $tmp/a/undone.yaml" -c 'q!' "$tmp/a/compose.yaml" </dev/null >/dev/null 2>&1
t "one undo takes the change back" cmp -s "$tmp/a.orig" "$tmp/a/undone.yaml"

# a syntax error: the buffer is saved as it was
mkdir -p "$tmp/b"; printf 'services:\n  web: [unclosed\n' >"$tmp/b/compose.yaml"; cp "$tmp/b/compose.yaml" "$tmp/b.orig"
save "$tmp/b/compose.yaml"
t "syntax error: saved unchanged" cmp -s "$tmp/b.orig" "$tmp/b/compose.yaml"

# a YAML file that is not a compose file by name: not touched
mkdir -p "$tmp/c"; printf "$hard" >"$tmp/c/values.yaml"; cp "$tmp/c/values.yaml" "$tmp/c.orig"
save "$tmp/c/values.yaml"
t "values.yaml: not touched" cmp -s "$tmp/c.orig" "$tmp/c/values.yaml"

# an empty buffer
mkdir -p "$tmp/d"; : >"$tmp/d/compose.yaml"
save "$tmp/d/compose.yaml"
t "empty buffer: stays empty" [ ! -s "$tmp/d/compose.yaml" ]

# a path with spaces, CRLF line ends kept by Vim's fileformat
mkdir -p "$tmp/with space"; printf "$hard" | sed 's/$/\r/' >"$tmp/with space/docker-compose.yml"
save "$tmp/with space/docker-compose.yml"
t "path with spaces: hardened" grep -q 'init: true' "$tmp/with space/docker-compose.yml"
t "CRLF file stays CRLF" bash -c "[ \$(grep -c \$'\r\$' '$tmp/with space/docker-compose.yml') -eq \$(wc -l <'$tmp/with space/docker-compose.yml') ]"

# the binary missing: the buffer is saved as it was
mkdir -p "$tmp/e"; printf "$hard" >"$tmp/e/compose.yaml"; cp "$tmp/e/compose.yaml" "$tmp/e.orig"
save "$tmp/e/compose.yaml" "$tmp/no-such-hardcompose"
t "binary missing: saved unchanged" cmp -s "$tmp/e.orig" "$tmp/e/compose.yaml"

echo "editor-vim-plugin ($ed): $pass passed, $fail failed ($("$ed" --version | head -1))"
[ $fail = 0 ]

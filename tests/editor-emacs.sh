#!/usr/bin/env bash
# editor-emacs.sh BIN SRC: editors/emacs/hardcompose.el in a real Emacs
# (Debian's emacs-nox), in batch mode: each case visits a file the way a
# user's find-file-hook would (hardcompose-maybe-enable), saves it, and
# checks what was written. Skips (77) without emacs, unless
# HC_EDITORS_REQUIRED=1 (CI), which makes a missing emacs a failure.
set -u
bin=$1 src=$2
if ! command -v emacs >/dev/null; then
  echo "SKIP: emacs is not installed (apt-get install emacs-nox)"
  [ "${HC_EDITORS_REQUIRED:-0}" = 1 ] && exit 1
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi; }

save() { # save FILE [COMMAND] [EXTRA-ELISP]: visit FILE, save it (as modified)
  HOME=$tmp timeout 60 emacs --batch -Q -L "$src/editors/emacs" -l hardcompose \
    --eval "(setq hardcompose-command \"${2:-$bin}\")" \
    --eval "(progn (find-file \"$1\") (hardcompose-maybe-enable) (set-buffer-modified-p t) (save-buffer) ${3:-})" \
    </dev/null >/dev/null 2>&1
}

hard='services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_TOKEN: tok-emacs-123\n'

mkdir -p "$tmp/a"; printf "$hard" >"$tmp/a/compose.yaml"; cp "$tmp/a/compose.yaml" "$tmp/a.orig"
"$bin" --stdin-filepath "$tmp/a/compose.yaml" <"$tmp/a/compose.yaml" >"$tmp/want"
save "$tmp/a/compose.yaml"
t "hardened on save, byte for byte what the CLI writes" cmp -s "$tmp/want" "$tmp/a/compose.yaml"
t "no message in the buffer (secret left in place)" bash -c "! grep -q 'plaintext\|hardcompose' '$tmp/a/compose.yaml'"
cp "$tmp/a/compose.yaml" "$tmp/once"; save "$tmp/a/compose.yaml"
t "a second save changes nothing" cmp -s "$tmp/once" "$tmp/a/compose.yaml"

# one undo takes the change back (the undo list of the save)
cp "$tmp/a.orig" "$tmp/a/compose.yaml"
HOME=$tmp timeout 60 emacs --batch -Q -L "$src/editors/emacs" -l hardcompose \
  --eval "(setq hardcompose-command \"$bin\")" \
  --eval "(progn (find-file \"$tmp/a/compose.yaml\") (hardcompose-maybe-enable) (set-buffer-modified-p t)
            (undo-boundary) (save-buffer) (undo-boundary)
            (primitive-undo 1 (cdr buffer-undo-list)) (write-region nil nil \"$tmp/a/undone.yaml\"))" \
  </dev/null >/dev/null 2>&1
t "one undo takes the change back" cmp -s "$tmp/a.orig" "$tmp/a/undone.yaml"

mkdir -p "$tmp/b"; printf 'services:\n  web: [unclosed\n' >"$tmp/b/compose.yaml"; cp "$tmp/b/compose.yaml" "$tmp/b.orig"
save "$tmp/b/compose.yaml"
t "syntax error: saved unchanged" cmp -s "$tmp/b.orig" "$tmp/b/compose.yaml"

mkdir -p "$tmp/c"; printf "$hard" >"$tmp/c/values.yaml"; cp "$tmp/c/values.yaml" "$tmp/c.orig"
save "$tmp/c/values.yaml"
t "values.yaml: not touched" cmp -s "$tmp/c.orig" "$tmp/c/values.yaml"

mkdir -p "$tmp/d"; : >"$tmp/d/compose.yaml"
save "$tmp/d/compose.yaml"
t "empty buffer: stays empty" [ ! -s "$tmp/d/compose.yaml" ]

mkdir -p "$tmp/with space"; printf "$hard" | sed 's/$/\r/' >"$tmp/with space/docker-compose.prod.yml"
save "$tmp/with space/docker-compose.prod.yml"
t "path with spaces: hardened" grep -q 'init: true' "$tmp/with space/docker-compose.prod.yml"
t "CRLF file stays CRLF" bash -c "[ \$(grep -c \$'\r\$' '$tmp/with space/docker-compose.prod.yml') -eq \$(wc -l <'$tmp/with space/docker-compose.prod.yml') ]"

mkdir -p "$tmp/e"; printf "$hard" >"$tmp/e/compose.yaml"; cp "$tmp/e/compose.yaml" "$tmp/e.orig"
save "$tmp/e/compose.yaml" "$tmp/no-such-hardcompose"
t "binary missing: saved unchanged" cmp -s "$tmp/e.orig" "$tmp/e/compose.yaml"

echo "editor-emacs: $pass passed, $fail failed ($(emacs --version | head -1))"
[ $fail = 0 ]

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

save() { # save FILE [COMMAND]: visit FILE, save it (as modified)
  HOME=$tmp timeout 60 emacs --batch -Q -L "$src/editors/emacs" -l hardcompose \
    --eval "(setq hardcompose-command \"${2:-$bin}\")" \
    --eval "(progn (find-file \"$1\") (hardcompose-maybe-enable) (set-buffer-modified-p t) (save-buffer))" \
    </dev/null >/dev/null 2>&1
}

save_undo() { # save_undo FILE OUT: save, undo once, write the buffer to OUT
  HOME=$tmp timeout 60 emacs --batch -Q -L "$src/editors/emacs" -l hardcompose \
    --eval "(setq hardcompose-command \"$bin\")" \
    --eval "(progn (find-file \"$1\") (hardcompose-maybe-enable) (set-buffer-modified-p t)
              (undo-boundary) (save-buffer) (undo-boundary)
              (primitive-undo 1 (cdr buffer-undo-list)) (write-region nil nil \"$2\"))" \
    </dev/null >/dev/null 2>&1
}

. "$src/tests/editor-cases.sh"

echo "editor-emacs: $pass passed, $fail failed ($(emacs --version | head -1))"
[ $fail = 0 ]

#!/usr/bin/env bash
# lsp-emacs.sh BIN SRC: `hardcompose lsp` in Emacs's Eglot (Debian's
# elpa-eglot on Emacs 28; built into Emacs 29), headless, set up by
# editors/emacs/hardcompose.el's `hardcompose-eglot-setup` (the lines
# docs/editors.md shows): open a compose file holding non-ASCII, receive the
# diagnostics, apply the quick fix for init on service web (the buffer must
# equal `hardcompose --profile none --enable init --set init.exclude=db`),
# format (the buffer must equal format mode's output). Skips (77) without
# emacs or eglot unless HC_EDITORS_REQUIRED=1.
set -u
bin=$1 src=$2
skip() {
  echo "SKIP: $1"
  [ "${HC_EDITORS_REQUIRED:-0}" = 1 ] && exit 1
  exit 77
}
command -v emacs >/dev/null || skip "emacs is not installed (apt-get install emacs-nox)"
emacs --batch --eval '(require (quote eglot))' >/dev/null 2>&1 ||
  skip "Eglot is not installed (apt-get install elpa-eglot, or Emacs 29)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/my project" "$tmp/bin"
ln -s "$bin" "$tmp/bin/hardcompose"
f="$tmp/my project/compose.yaml"
printf 'services:\n  # café ☕ 😀\n  web: {image: "nginx:1.25", privileged: true}  # ünï\n  db:\n    image: postgres:16\n' >"$f"
export HC_FILE=$f HC_OUT_FIX=$tmp/fix.yaml HC_OUT_FMT=$tmp/fmt.yaml HC_OUT_LOG=$tmp/log
HOME=$tmp PATH="$tmp/bin:$PATH" timeout 120 emacs --batch -q -L "$src/editors/emacs" \
  -l "$src/tests/lsp-emacs.el" </dev/null >"$tmp/stderr" 2>&1
pass=0 fail=0
t() { local name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi; }
t "Emacs ran the script to its end" grep -q '^done$' "$tmp/log"
t "Eglot connected" grep -q '^server t$' "$tmp/log"
t "diagnostics received" grep -q '^diagnostics t$' "$tmp/log"
t "privileged diagnostic on line 3" grep -q '^diag privileged 3$' "$tmp/log"
t "quick fix offered" grep -q '^action hardcompose: apply init to web$' "$tmp/log"
"$bin" --profile none --enable init --set init.exclude=db <"$f" >"$tmp/want-fix.yaml"
t "buffer after the quick fix = hardcompose --profile none -e init --set init.exclude=db" cmp -s "$tmp/want-fix.yaml" "$HC_OUT_FIX"
"$bin" --stdin-filepath "$f" <"$tmp/want-fix.yaml" >"$tmp/want-fmt.yaml"
t "buffer after formatting = format mode" cmp -s "$tmp/want-fmt.yaml" "$HC_OUT_FMT"
if [ $fail != 0 ]; then
  echo "--- log"; cat "$tmp/log" 2>/dev/null; echo "--- emacs output"; tail -20 "$tmp/stderr"
  diff "$tmp/want-fix.yaml" "$HC_OUT_FIX" | head -20
fi
echo "lsp-emacs: $pass passed, $fail failed ($(emacs --version | head -1))"
[ $fail = 0 ]

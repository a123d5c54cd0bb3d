#!/usr/bin/env bash
# lsp.sh BIN SRC: `hardcompose lsp` driven by a scripted client in node
# (tests/lsp.js). Skips (77) without node, unless HC_EDITORS_REQUIRED=1.
set -u
bin=$1 src=$2
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (apt-get install nodejs)"
  [ "${HC_EDITORS_REQUIRED:-0}" = 1 ] && exit 1
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timeout 300 node "$src/tests/lsp.js" "$bin" "$tmp"

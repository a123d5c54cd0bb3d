#!/usr/bin/env bash
# registered.sh BIN ROOT: every registered transform and rule is complete,
# as docs/architecture.md ("Adding a transform") asks:
#   a transform has a `## \`ID\`` section in docs/transforms.md naming each
#   of its options, a golden/ID/ folder with at least 5 cases (one of them
#   CRLF, one with 4-space indentation: names holding "crlf" and "indent-4"
#   or "4-space"), and a profile under profiles/ that enables it;
#   a rule has a `## ID` section in docs/rules.md.
# Transforms come from the binary's own registry (--list-transforms), so a
# transform added to transforms/registry.c without the rest fails here.
set -u
bin=$1 root=$2
fail=0 nt=0 nr=0
no() { echo "FAIL: $*"; fail=1; }

section() { # section FILE HEADING: the lines of one ## section
  awk -v h="$2" '$0 == h {on = 1; next} on && /^## / {exit} on' "$1"
}

list=$("$bin" --list-transforms) || { no "--list-transforms failed"; exit 1; }
ids=$(grep -v '^ ' <<<"$list" | awk '{print $1}')
[ -n "$ids" ] || no "--list-transforms lists no transform"
for id in $ids; do
  nt=$((nt + 1))
  heading=$(grep -E "^## \`$id\`( |$)" "$root/docs/transforms.md" | head -1)
  if [ -z "$heading" ]; then
    no "$id: no \"## \`$id\`\" section in docs/transforms.md"
  else
    text=$(section "$root/docs/transforms.md" "$heading")
    for opt in $(grep -E "^    $id\." <<<"$list" | sed -E "s/^    $id\.([a-z0-9-]+).*/\1/"); do
      [ "$opt" = exclude ] && continue # documented once for every transform
      grep -q -- "$opt" <<<"$text" || no "$id: option $opt not named in its docs/transforms.md section"
    done
  fi
  cases=$(ls -d "$root/golden/$id"/*/ 2>/dev/null | wc -l)
  [ "$cases" -ge 5 ] || no "$id: $cases golden cases under golden/$id/ (at least 5)"
  ls -d "$root/golden/$id"/*/ 2>/dev/null | grep -qi crlf || no "$id: no CRLF golden case (a folder named *crlf*)"
  ls -d "$root/golden/$id"/*/ 2>/dev/null | grep -qiE 'indent-4|4-space|four-space' || no "$id: no 4-space golden case (a folder named *indent-4* or *4-space*)"
  grep -qE "^  $id:" "$root"/profiles/*.yml || no "$id: no profile under profiles/ names it"
done
for id in $("$bin" --list-rules | grep -v '^ ' | awk '{print $1}'); do
  nr=$((nr + 1))
  grep -qE "^## $id\$" "$root/docs/rules.md" || no "rule $id: no \"## $id\" section in docs/rules.md"
done
[ $fail = 0 ] && echo "registered: $nt transforms and $nr rules, each documented, with golden cases and a profile"
exit $fail

#!/usr/bin/env bash
# corpus.sh BIN CORPUS_DIR [PROFILE...]: the fidelity promise on real files.
# For every file MANIFEST.tsv lists as valid:
#   --profile none is byte-identical;
#   for each PROFILE: exit 0, the output re-parses, a second run changes
#   nothing, every comment line of the input is still there, and no input line
#   is deleted except one extended in place: an added line that is the deleted
#   one with text inserted (a flow list gaining an item, a port gaining a
#   host address).
# Prints each count; exits 1 on any miss, 77 (skip) when the corpus is absent.
set -u
bin=$1 dir=$2; shift 2
profiles=("$@"); [ ${#profiles[@]} -gt 0 ] || profiles=(baseline)
if [ ! -f "$dir/MANIFEST.tsv" ]; then echo "corpus: $dir not present: skipped"; exit 77; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=()
while IFS=$'\t' read -r name _ _ _ _ valid _; do
  [ "$valid" = yes ] && [ -f "$dir/files/$name" ] && files+=("$dir/files/$name")
done < <(tail -n +2 "$dir/MANIFEST.tsv")
[ ${#files[@]} -gt 0 ] || { echo "corpus: no valid files listed"; exit 1; }
rc=0
same=0
for f in "${files[@]}"; do
  if "$bin" --profile none <"$f" >"$tmp/o" 2>"$tmp/e" && cmp -s "$f" "$tmp/o"; then
    same=$((same+1))
  else
    echo "  none: not identical or rejected: ${f##*/}: $(head -1 "$tmp/e")"
  fi
done
echo "corpus none: ${#files[@]} files, $same byte-identical"
[ "$same" -eq ${#files[@]} ] || rc=1
for p in "${profiles[@]}"; do
  ok=0 changed=0 reparse=0 idem=0 comments=0 nodelete=0 diffok=0
  for f in "${files[@]}"; do
    b=${f##*/}
    "$bin" --profile "$p" <"$f" >"$tmp/o" 2>"$tmp/e"; code=$?
    if [ $code -ne 0 ]; then
      echo "  $p: exit $code on $b: $(head -1 "$tmp/e")"; continue
    fi
    ok=$((ok+1))
    cmp -s "$f" "$tmp/o" || changed=$((changed+1))
    if "$bin" --profile none <"$tmp/o" >/dev/null 2>&1; then reparse=$((reparse+1)); else echo "  $p: output does not re-parse: $b"; fi
    "$bin" --profile "$p" <"$tmp/o" >"$tmp/o2" 2>/dev/null
    if cmp -s "$tmp/o" "$tmp/o2"; then idem=$((idem+1)); else echo "  $p: not idempotent: $b"; fi
    if [ -z "$(comm -23 <(grep -E '^[[:space:]]*#' "$f" | sed 's/^[[:space:]]*//' | sort) \
                        <(grep -E '^[[:space:]]*#' "$tmp/o" | sed 's/^[[:space:]]*//' | sort))" ]; then
      comments=$((comments+1))
    else
      echo "  $p: lost comment lines: $b"
    fi
    # deleted lines must each be extended in place by an added line
    # drop-version (production, strict) deletes top-level version: lines,
    # and resource-limits moves legacy keys into deploy.resources
    # and extension-blocks moves repeated blocks into x- anchors: a moved line
    # is one whose text (indentation aside) is among the added lines
    allow='^$' moved=0
    case $p in production|strict) allow='^version:|^[ ]+(mem_limit|cpus|pids_limit|mem_reservation):' moved=1;; esac
    bad=$(diff "$f" "$tmp/o" | awk -v allow="$allow" -v moved=$moved '
      function extends(l, a,   i, j) {   # a is l with text inserted
        if (length(a) <= length(l)) return 0
        j = 1
        for (i = 1; i <= length(a) && j <= length(l); i++)
          if (substr(a, i, 1) == substr(l, j, 1)) j++
        return j > length(l)
      }
      /^< /{ del[nd++]=substr($0,3) }
      /^> /{ add[na++]=substr($0,3); t=substr($0,3); sub(/^[ \t]+/, "", t); addt[t]=1 }
      END {
        for (i = 0; i < nd; i++) {
          l = del[i]
          if (allow != "^$" && l ~ allow) continue
          t = l; sub(/^[ \t]+/, "", t)
          if (moved && (t in addt)) continue
          found = 0
          for (a = 0; a < na && !found; a++) found = extends(l, add[a])
          if (!found) { print l; exit }
        }
      }')
    if [ -z "$bad" ]; then nodelete=$((nodelete+1)); else echo "  $p: deleted input line in $b: $bad"; fi
    # --diff is a patch that reproduces the output
    cp "$f" "$tmp/p.yml"
    # secret values are masked in diffs, so such a diff cannot apply: the
    # diff engine is checked without the secrets transform (stdout mode does
    # not rewrite secrets, so the output is the same)
    "$bin" --profile "$p" -x secrets --diff "$tmp/p.yml" >"$tmp/p.patch" 2>/dev/null
    if { [ ! -s "$tmp/p.patch" ] || patch -s "$tmp/p.yml" <"$tmp/p.patch" >/dev/null 2>&1; } && cmp -s "$tmp/p.yml" "$tmp/o"; then
      diffok=$((diffok+1))
    else
      echo "  $p: --diff does not reproduce the output: $b"
    fi
  done
  n=${#files[@]}
  echo "corpus $p: $n files, $ok processed ($changed changed), $reparse re-parse, $idem idempotent, $comments keep comments, $nodelete delete no line, $diffok diffs apply"
  for v in $ok $reparse $idem $comments $nodelete $diffok; do [ "$v" -eq "$n" ] || rc=1; done
done
# --write with the baseline profile (secrets move out): each file alone in a
# folder; the result re-parses, a second --write changes nothing, --check
# finds no secret left to move, and no secret file or .env line is empty
with=0 wok=0 wagain=0 wclean=0 nfile=0 nenv=0 vfile=0 venv=0
for f in "${files[@]}"; do
  b=${f##*/}
  "$bin" --profile baseline --check <"$f" 2>/dev/null | grep -qE '\[secrets\] .*(plaintext secret|password in a URL).*--write moves' || continue
  with=$((with+1))
  w=$tmp/w; rm -rf "$w"; mkdir "$w"; cp "$f" "$w/compose.yaml"
  if ! (cd "$w" && "$bin" --profile baseline -w compose.yaml) >/dev/null 2>"$tmp/e"; then
    echo "  write: --write fails on $b: $(head -1 "$tmp/e")"; rc=1; continue
  fi
  "$bin" --profile none <"$w/compose.yaml" >/dev/null 2>&1 && wok=$((wok+1)) || { echo "  write: result does not re-parse: $b"; rc=1; }
  cp "$w/compose.yaml" "$tmp/w1"
  (cd "$w" && "$bin" --profile baseline -w compose.yaml) >/dev/null 2>&1
  cmp -s "$w/compose.yaml" "$tmp/w1" && wagain=$((wagain+1)) || { echo "  write: second --write changes $b"; rc=1; }
  if (cd "$w" && "$bin" --profile baseline --check compose.yaml 2>/dev/null) | grep -q 'moves it'; then
    echo "  write: secrets left to move after --write: $b"; rc=1
  else
    wclean=$((wclean+1))
  fi
  if [ -d "$w/secrets" ]; then
    nfile=$((nfile+1)); vfile=$((vfile+$(find "$w/secrets" -type f | wc -l)))
    find "$w/secrets" -type f -empty | grep -q . && { echo "  write: empty secret file: $b"; rc=1; }
  fi
  if [ -f "$w/.env" ]; then
    nenv=$((nenv+1)); venv=$((venv+$(grep -cE '^[A-Z0-9_]+=' "$w/.env")))
  fi
done
echo "corpus write: $with files with plaintext secrets, $wok re-parse, $wagain unchanged by a second --write, $wclean clean under --check; $nfile got secret files ($vfile files), $nenv got .env values ($venv values)"
[ $with -eq $wok ] && [ $with -eq $wagain ] && [ $with -eq $wclean ] || rc=1
[ $rc -eq 0 ] && echo "corpus: all counts at 100%"
exit $rc

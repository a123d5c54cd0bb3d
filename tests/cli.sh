#!/usr/bin/env bash
# cli.sh BIN SRCDIR: command-line behaviour that golden cases cannot show:
# --write (atomic, mode kept, untouched when unchanged, through symlinks),
# --check and --diff over files, exit codes, --help against docs/cli.md.
set -u
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL: $*"; }
t() { local name=$1; shift; if "$@"; then ok; else no "$name"; fi; }

in=$src/golden/baseline/block-basic/input.yml
want=$src/golden/baseline/block-basic/expected.yml

# --write rewrites in place, keeps the mode, leaves no temporary file
cp "$in" "$tmp/compose.yaml"; chmod 640 "$tmp/compose.yaml"
"$bin" -w "$tmp/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
t "write exit 0" [ $c -eq 0 ]
t "write output" cmp -s "$tmp/compose.yaml" "$want"
t "write prints nothing" [ ! -s "$tmp/out" ]
t "write keeps mode" [ "$(stat -c %a "$tmp/compose.yaml")" = 640 ]
t "write leaves no temp file" [ "$(ls -A "$tmp" | grep -c hardcompose)" -eq 0 ]

# a file with nothing to change is not touched at all
touch -d '2001-01-01 00:00:00' "$tmp/compose.yaml"
before=$(stat -c %Y "$tmp/compose.yaml")
"$bin" -w "$tmp/compose.yaml"; c=$?
t "unchanged exit 0" [ $c -eq 0 ]
t "unchanged mtime kept" [ "$(stat -c %Y "$tmp/compose.yaml")" = "$before" ]

# through a symlink: the target is rewritten, the link stays a link
mkdir "$tmp/real"; cp "$in" "$tmp/real/c.yml"; ln -s real/c.yml "$tmp/link.yml"
"$bin" -w "$tmp/link.yml"; c=$?
t "symlink exit 0" [ $c -eq 0 ]
t "symlink still a link" [ -L "$tmp/link.yml" ]
t "symlink target rewritten" cmp -s "$tmp/real/c.yml" "$want"

# invalid input with --write: exit 3, file byte-identical, nothing on stdout
printf 'services:\n  web: [\n' >"$tmp/bad.yml"; cp "$tmp/bad.yml" "$tmp/bad.orig"
touch -d '2001-01-01 00:00:00' "$tmp/bad.yml"
"$bin" -w "$tmp/bad.yml" >"$tmp/out" 2>"$tmp/err"; c=$?
t "invalid exit 3" [ $c -eq 3 ]
t "invalid untouched" cmp -s "$tmp/bad.yml" "$tmp/bad.orig"
t "invalid mtime kept" [ "$(stat -c %Y "$tmp/bad.yml")" = "$(date -d '2001-01-01 00:00:00' +%s)" ]
t "invalid stdout empty" [ ! -s "$tmp/out" ]
t "invalid message names the file" grep -qE "^$tmp/bad.yml:[0-9]+:[0-9]+: error: " "$tmp/err"

# a missing file: exit 4
"$bin" "$tmp/missing.yml" >"$tmp/out" 2>"$tmp/err"; c=$?
t "missing exit 4" [ $c -eq 4 ]
t "missing stdout empty" [ ! -s "$tmp/out" ]

# a read-only folder: exit 4, file intact
if [ "$(id -u)" != 0 ]; then
  mkdir "$tmp/ro"; cp "$in" "$tmp/ro/c.yml"; chmod 555 "$tmp/ro"
  "$bin" -w "$tmp/ro/c.yml" 2>/dev/null; c=$?
  t "read-only folder exit 4" [ $c -eq 4 ]
  t "read-only folder intact" cmp -s "$tmp/ro/c.yml" "$in"
  chmod 755 "$tmp/ro"
fi

# --check over several files: findings as FILE:LINE:COL, exit 1; 0 when hardened
cp "$in" "$tmp/a.yml"; cp "$want" "$tmp/b.yml"
"$bin" --check "$tmp/a.yml" "$tmp/b.yml" >"$tmp/out" 2>&1; c=$?
t "check exit 1" [ $c -eq 1 ]
t "check finding format" grep -qE "^$tmp/a.yml:2:3: warning: \[init\] service \"web\": add init: true \(fixable with -w\)$" "$tmp/out"
t "check has no pending change for a hardened file" bash -c "! grep b.yml '$tmp/out' | grep -qE '\[(init|no-new-privileges|cap-drop|secrets)\]'"
t "check changes nothing" cmp -s "$tmp/a.yml" "$in"
"$bin" --check "$tmp/b.yml" >/dev/null 2>&1; c=$?
t "check hardened exit 0" [ $c -eq 0 ]

# --diff is a patch that turns the input into the output
"$bin" --diff "$tmp/a.yml" >"$tmp/d.patch"; c=$?
t "diff exit 0" [ $c -eq 0 ]
if command -v patch >/dev/null; then
  cp "$tmp/a.yml" "$tmp/p.yml"
  patch -s "$tmp/p.yml" <"$tmp/d.patch" && t "diff applies" cmp -s "$tmp/p.yml" "$want" || no "diff does not apply"
  for g in "$src"/golden/*/*/; do
    [ -f "$g/input.yml" ] || continue # golden/overlay/: its own runner (overlay.sh)
    [ -f "$g/exit" ] && continue
  [ -f "$g/report" ] && continue
    [ -f "$g/write" ] && continue # --write cases: their diffs mask the values they move, so they are for reading only
    a=(); [ -f "$g/args" ] && read -r -a a <"$g/args"
    cmp -s "$g/input.yml" "$g/expected.yml" && continue
    cp "$g/input.yml" "$tmp/g.compose.yaml"
    # secret values are masked in diffs (tested below): check the diff engine without them
    "$bin" "${a[@]}" -x secrets --diff "$tmp/g.compose.yaml" >"$tmp/g.patch"
    if patch -s "$tmp/g.compose.yaml" <"$tmp/g.patch" >/dev/null 2>&1 && cmp -s "$tmp/g.compose.yaml" "$g/expected.yml"; then ok; else no "diff of $g does not reproduce expected.yml"; fi
  done
fi

# --diff masks secret values on context lines, byte for byte
printf 'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: hunter2-ctx\n    labels:\n      pw: hunter2-ctx\n' >"$tmp/sec.yml"
"$bin" --diff "$tmp/sec.yml" >"$tmp/sec.diff" 2>"$tmp/sec.err"
t "diff masks a secret on a removed line" grep -qxF -e '-      POSTGRES_PASSWORD: ***********' "$tmp/sec.diff"
t "diff masks a secret on a context line" grep -qxF '       pw: ***********' "$tmp/sec.diff"
t "a masked diff says it is for reading only" grep -q '^# secret values are masked .*for reading only' "$tmp/sec.diff"
t "diff never shows the value" bash -c "! grep -q hunter2 '$tmp/sec.diff' '$tmp/sec.err'"
t "diff notes the secret left in place" grep -q 'plaintext secret(s) left in place' "$tmp/sec.err"
"$bin" --check "$tmp/sec.yml" >"$tmp/sec.chk" 2>&1; c=$?
t "check counts a pending secret" [ $c -eq 1 ]
t "check names the variable, not the value" bash -c "grep -q '\[secrets\] service \"db\": POSTGRES_PASSWORD' '$tmp/sec.chk' && ! grep -q hunter2 '$tmp/sec.chk'"
"$bin" -p none -e secrets --check "$tmp/sec.yml" >/dev/null 2>&1; c=$?
t "check exits 1 on secrets alone" [ $c -eq 1 ]
"$bin" -p none -e secrets "$tmp/sec.yml" >"$tmp/sec.out" 2>/dev/null
t "stdout mode does not move secrets" cmp -s "$tmp/sec.yml" "$tmp/sec.out"
# format mode (stdout) is silent on stderr unless it fails: an editor may
# read stderr into the buffer (Vim's system() and formatprg do)
"$bin" --stdin-filepath "$tmp/sec.yml" <"$tmp/sec.yml" >"$tmp/fmt.out" 2>"$tmp/fmt.err"; c=$?
t "format mode: exit 0 with a secret left" [ $c -eq 0 ]
t "format mode: nothing on stderr" [ ! -s "$tmp/fmt.err" ]

# a profile's file-secrets: entry routes an unknown image's variable to a file
mkdir -p "$tmp/fsp"
printf 'extends: none\ntransforms:\n  secrets: {}\nfile-secrets:\n  "acme/api": {vars: ["API_*"]}\n' >"$tmp/fsp/p.yml"
printf 'services:\n  api:\n    image: acme/api:2\n    environment:\n      API_TOKEN: tok-profile-1\n' >"$tmp/fsp/compose.yaml"
(cd "$tmp/fsp" && "$bin" -p ./p.yml -w compose.yaml) 2>"$tmp/err"; c=$?
t "file-secrets profile entry: exit 0" [ $c -eq 0 ]
t "file-secrets profile entry: _FILE" grep -q 'API_TOKEN_FILE: /run/secrets/api_token' "$tmp/fsp/compose.yaml"
t "file-secrets profile entry: the file" [ "$(cat "$tmp/fsp/secrets/api_token")" = tok-profile-1 ]
printf 'file-secrets:\n  x: {form: sometimes}\n' >"$tmp/fsp/bad.yml"
"$bin" -p "$tmp/fsp/bad.yml" <"$tmp/fsp/compose.yaml" >"$tmp/out" 2>"$tmp/err"; c=$?
t "file-secrets bad form: exit 2" [ $c -eq 2 ]
t "file-secrets bad form: named" grep -q "form is path, name, file or none" "$tmp/err"
t "file-secrets bad form: empty stdout" [ ! -s "$tmp/out" ]

# usage errors: exit 2, nothing on stdout
"$bin" "$tmp/a.yml" "$tmp/b.yml" >"$tmp/out" 2>/dev/null; c=$?
t "several files without a mode: exit 2" [ $c -eq 2 ]
t "usage error stdout empty" [ ! -s "$tmp/out" ]
"$bin" --bogus >/dev/null 2>&1; c=$?; t "unknown option exit 2" [ $c -eq 2 ]
"$bin" -w >/dev/null 2>&1 </dev/null; c=$?; t "-w without file exit 2" [ $c -eq 2 ]
"$bin" -w --check "$tmp/a.yml" >/dev/null 2>&1; c=$?; t "-w with --check exit 2" [ $c -eq 2 ]

# stdin: '-' and no argument are the same
"$bin" - <"$in" >"$tmp/o1"; "$bin" <"$in" >"$tmp/o2"
t "stdin dash" cmp -s "$tmp/o1" "$want"
t "stdin none" cmp -s "$tmp/o2" "$want"

# a custom profile that extends a built-in one and overrides an option
cat >"$tmp/p.yml" <<'P'
extends: baseline
transforms:
  cap-drop: false
  no-new-privileges:
    value: no-new-privileges=true
P
"$bin" --profile "$tmp/p.yml" <"$in" >"$tmp/o"; c=$?
t "custom profile exit 0" [ $c -eq 0 ]
t "custom profile option" grep -q -- '- no-new-privileges=true' "$tmp/o"
t "custom profile disables" bash -c "! grep -q cap_drop '$tmp/o'"
# a custom profile extends production and overrides the class table, an
# option and the image table
cat >"$tmp/mine.yml" <<'P'
extends: production
classes:
  database: [postgres, "acme/*"]
images:
  "acme/ledger": {cap_add: [SETUID], writable: [/tmp]}
transforms:
  resource-limits:
    database: [cpus=3, memory=6G, pids=700]
P
printf 'services:\n  ledger:\n    image: acme/ledger:4\n' >"$tmp/acme.yml"
"$bin" --profile "$tmp/mine.yml" "$tmp/acme.yml" >"$tmp/o"; c=$?
t "custom production profile exit 0" [ $c -eq 0 ]
t "custom class: stop_grace_period" grep -q 'stop_grace_period: 30s' "$tmp/o"
t "custom class option: memory 6G" grep -q 'memory: 6G' "$tmp/o"
t "custom image table: cap_add SETUID" grep -q -- '- SETUID' "$tmp/o"
printf 'classes:\n  databse: [x]\n' >"$tmp/bad-class.yml"
"$bin" --profile "$tmp/bad-class.yml" <"$in" >/dev/null 2>"$tmp/err"; c=$?
t "bad class exit 2" [ $c -eq 2 ]
t "bad class named" grep -q "unknown service class 'databse'" "$tmp/err"
printf 'transforms:\n  nope: {}\n' >"$tmp/bad-profile.yml"
"$bin" --profile "$tmp/bad-profile.yml" <"$in" >/dev/null 2>"$tmp/err"; c=$?
t "bad profile exit 2" [ $c -eq 2 ]
t "bad profile names the id" grep -q "unknown transform 'nope'" "$tmp/err"

# --list-transforms is the registry order; --help and docs/cli.md agree on exit codes
# the run order is transforms/registry.c's table (hc_t_NAME is transform NAME, '_' as '-')
order=$(sed -n '/hc_transforms\[\] = {/,/};/p' "$src/transforms/registry.c" | grep -o '&hc_t_[a-z_]*' | sed 's/&hc_t_//; s/_/-/g' | tr '\n' ' ')
t "list order is the registry's" bash -c "[ -n '$order' ] && [ \"\$('$bin' --list-transforms | grep -v '^ ' | awk '{print \$1}' | tr '\n' ' ')\" = '$order' ]"
"$bin" --help | grep -E '^  [0-5]  ' >"$tmp/help-codes"
grep -E '^\| `?[0-5]`? \|' "$src/docs/cli.md" | sed -E 's/^\| `?([0-5])`? \| (.*) \|$/  \1  \2/' >"$tmp/doc-codes"
t "exit codes in --help" [ "$(wc -l <"$tmp/help-codes")" -eq 6 ]
t "exit codes in docs/cli.md match --help" cmp -s "$tmp/help-codes" "$tmp/doc-codes"
for o in $("$bin" --help | grep -oE -- '--[a-z-]+' | sort -u); do
  grep -q -- "$o" "$src/docs/cli.md" && ok || no "option $o not in docs/cli.md"
done
# errors in the JSON report: where they are, and their message
mkdir -p "$tmp/jerr"
printf 'include:\n  - b.yml\nservices:\n  a:\n    image: x\n' >"$tmp/jerr/compose.yaml"
printf 'include:\n  - compose.yaml\nservices:\n  b:\n    image: y\n' >"$tmp/jerr/b.yml"
(cd "$tmp/jerr" && "$bin" -c -f json compose.yaml missing.yml >"$tmp/jerr.out" 2>/dev/null)
t "json: an include cycle's line and column" grep -qF '"error": {"line": 2, "column": 5, "message": "include cycle: compose.yaml -> b.yml -> compose.yaml"}' "$tmp/jerr.out"
t "json: a file that cannot be read" grep -qF '"error": {"line": 0, "column": 0, "message": "cannot open: No such file or directory"}' "$tmp/jerr.out"
printf 'profile: nope\n' >"$tmp/jerr/.hardcompose.yml"
(cd "$tmp/jerr" && "$bin" -c -f json compose.yaml >"$tmp/jerr.out" 2>/dev/null)
t "json: a configuration error is said whole, naming the file" grep -qF '"error": {"line": 0, "column": 0, "message": "hardcompose: error: '"$tmp"'/jerr/.hardcompose.yml: unknown profile '"'"'nope'"'"'' "$tmp/jerr.out"

# .hardcompose.yml set: a list option takes a YAML list item by item; a
# list for a scalar option is a usage error, not a joined string
mkdir -p "$tmp/setl"
printf 'services:\n  a:\n    image: x\n  b:\n    image: y\n' >"$tmp/setl/compose.yaml"
printf 'profile: none\nenable: [init]\nset:\n  init.exclude: [a, b]\n' >"$tmp/setl/.hardcompose.yml"
(cd "$tmp/setl" && "$bin" compose.yaml >"$tmp/setl.out" 2>&1); c=$?
t "set: a list for a list option" [ $c -eq 0 ] && t "set: the list's items all apply" cmp -s "$tmp/setl.out" "$tmp/setl/compose.yaml"
printf 'profile: none\nset:\n  logging.max-size: [10m, 20m]\n' >"$tmp/setl/.hardcompose.yml"
(cd "$tmp/setl" && "$bin" compose.yaml >"$tmp/setl.out" 2>"$tmp/setl.err"); c=$?
t "set: a list for a scalar option: exit 2" [ $c -eq 2 ]
t "set: ... says it needs a scalar" grep -q "option 'logging.max-size' needs a scalar value" "$tmp/setl.err"

# the documentation's option lists are what the option table makes
# (regenerate with: hardcompose --dump-options=man|md|bash)
"$bin" --dump-options=man >"$tmp/opts.man"
sed -n '/^\.SH OPTIONS$/,/^\.SH EXIT STATUS$/p' "$src/docs/hardcompose.1" | sed '1d;$d' >"$tmp/doc.man"
t "man page OPTIONS = --dump-options=man" cmp -s "$tmp/opts.man" "$tmp/doc.man"
"$bin" --dump-options=md >"$tmp/opts.md"
sed -n '/^| option | meaning |$/,/^$/p' "$src/docs/cli.md" | sed '$d' >"$tmp/doc.md"
t "docs/cli.md option table = --dump-options=md" cmp -s "$tmp/opts.md" "$tmp/doc.md"
"$bin" --dump-options=bash >"$tmp/opts.bash"
grep '^  local opts="' "$src/completions/hardcompose.bash" >"$tmp/doc.bash"
t "completion options = --dump-options=bash" cmp -s "$tmp/opts.bash" "$tmp/doc.bash"
"$bin" --dump-options=nope >/dev/null 2>&1; c=$?
t "--dump-options of an unknown kind: exit 2" [ $c -eq 2 ]
"$bin" --version | grep -qE '^hardcompose [0-9]+\.[0-9]+\.[0-9]+$' && ok || no "version"

# --check's summary: one line on stderr, its counts those of the lines on
# stdout; stdout holds finding lines only
cp "$in" "$tmp/s1.yml"; cp "$want" "$tmp/s2.yml"
"$bin" --check "$tmp/s1.yml" "$tmp/s2.yml" >"$tmp/sum.out" 2>"$tmp/sum.err"; c=$?
t "summary: exit 1" [ $c -eq 1 ]
t "summary: one line on stderr" [ "$(wc -l <"$tmp/sum.err")" -eq 1 ]
fx=$(grep -c ' (fixable with -w)$' "$tmp/sum.out")
er=$(grep -c ': error: ' "$tmp/sum.out"); wa=$(grep ': warning: ' "$tmp/sum.out" | grep -vc ' (fixable with -w)$'); no_=$(grep -c ': note: ' "$tmp/sum.out")
pl() { [ "$1" -eq 1 ] && echo "1 $2" || echo "$1 $3"; }
t "summary: counts of the lines ($(cat "$tmp/sum.err"))" grep -qxF "2 files, 1 needs hardening ($fx fix$([ "$fx" -eq 1 ] || echo es)), $(pl "$er" error errors), $(pl "$wa" warning warnings), $(pl "$no_" note notes)" "$tmp/sum.err"
t "summary: fixes are marked" [ "$fx" -gt 2 ]
t "summary: stdout is finding lines only" bash -c "! grep -vE '^$tmp/s[12]\.yml:[0-9]+:[0-9]+: (error|warning|note): \[[a-z-]+\] ' '$tmp/sum.out'"
t "summary: no colour off a terminal" bash -c "! grep -q $'\e' '$tmp/sum.out' '$tmp/sum.err'"
for f in json sarif codeclimate; do
  "$bin" --check -f $f "$tmp/s1.yml" >"$tmp/f.out" 2>"$tmp/f.err"
  t "-f $f: nothing on stderr" [ ! -s "$tmp/f.err" ]
  node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$tmp/f.out" 2>/dev/null && ok || { command -v node >/dev/null && no "-f $f: not JSON"; }
done
# --quiet: error lines only, no summary, the same exit code
printf 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n' >"$tmp/q.yml"
"$bin" --check -q "$tmp/q.yml" >"$tmp/q.out" 2>"$tmp/q.err"; c=$?
t "quiet: exit 1" [ $c -eq 1 ]
t "quiet: the error line" grep -q "^$tmp/q.yml:4:17: error: \[privileged\]" "$tmp/q.out"
t "quiet: nothing but errors" [ "$(grep -vc ': error: ' "$tmp/q.out")" -eq 0 ]
t "quiet: no summary" [ ! -s "$tmp/q.err" ]
"$bin" --check -q "$tmp/s2.yml" >"$tmp/q.out" 2>&1; c=$?
t "quiet on a hardened file: exit 0, silent" bash -c "[ $c -eq 0 ] && [ ! -s '$tmp/q.out' ]"
# colour: --color=always|never, NO_COLOR, a terminal (script gives a pty)
"$bin" --check --color=always "$tmp/q.yml" >"$tmp/c.out" 2>"$tmp/c.err"
t "color=always: red error" grep -qF $'\e[1;31merror\e[0m: [privileged]' "$tmp/c.out"
t "color=always: fixes green" grep -qF $'\e[32m(fixable with -w)\e[0m' "$tmp/c.out"
t "color=always: summary coloured" grep -qF $'\e[' "$tmp/c.err"
NO_COLOR=1 "$bin" --check --color=always "$tmp/q.yml" 2>&1 | grep -qF $'\e[' && ok || no "color=always wins over NO_COLOR"
"$bin" --color=sometimes -c "$tmp/q.yml" >/dev/null 2>"$tmp/err"; c=$?
t "color=sometimes: exit 2" [ $c -eq 2 ]
if command -v script >/dev/null; then
  script -qec "'$bin' --check '$tmp/q.yml'" /dev/null >"$tmp/pty.out" 2>&1 </dev/null
  t "a terminal: colour" grep -qF $'\e[1;31merror' "$tmp/pty.out"
  NO_COLOR=1 script -qec "'$bin' --check '$tmp/q.yml'" /dev/null >"$tmp/pty.out" 2>&1 </dev/null
  t "a terminal with NO_COLOR: none" bash -c "grep -q 'error: \[privileged\]' '$tmp/pty.out' && ! grep -qF $'\e[' '$tmp/pty.out'"
  script -qec "'$bin' --check --color=never '$tmp/q.yml'" /dev/null >"$tmp/pty.out" 2>&1 </dev/null
  t "a terminal with --color=never: none" bash -c "! grep -qF $'\e[' '$tmp/pty.out'"
  # no argument on a terminal: the usage, not a wait on stdin
  timeout 10 script -qec "'$bin'" /dev/null >"$tmp/pty.out" 2>&1; c=$?
  t "bare hardcompose on a terminal: exit 2 (not a wait)" [ $c -eq 2 ]
  t "bare hardcompose on a terminal: usage" grep -q '^usage: hardcompose' "$tmp/pty.out"
  t "bare hardcompose on a terminal: says why" grep -q 'stdin is a terminal' "$tmp/pty.out"
else
  echo "cli: script (util-linux) absent: terminal cases skipped"
fi

# did you mean: options, values, commands, profiles, ids, option names
dym() { # dym NAME WANT ARGS...: exit 2, stderr holds WANT, stdout empty
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/dym.out" 2>"$tmp/dym.err" </dev/null; local c=$?
  if [ $c -eq 2 ] && grep -qF -- "$want" "$tmp/dym.err" && [ ! -s "$tmp/dym.out" ]; then ok; else no "$name: exit $c: $(head -1 "$tmp/dym.err")"; fi
}
dym "unknown option" "did you mean '--format'?" "$bin" --formt json "$tmp/a.yml"
dym "unknown format" "did you mean 'sarif'?" "$bin" -f sarf "$tmp/a.yml"
dym "mistyped command" "did you mean 'hardcompose --check $tmp/a.yml'?" "$bin" check "$tmp/a.yml"
dym "mistyped preflight" "did you mean 'hardcompose preflight'?" "$bin" prefligth
dym "mistyped lsp" "did you mean 'hardcompose lsp'?" "$bin" lps
dym "profile" "did you mean 'production'?" "$bin" -p prodution -c "$tmp/a.yml"
dym "transform or rule id" "did you mean 'init'?" "$bin" -x inti -c "$tmp/a.yml"
dym "rule id" "did you mean 'privileged'?" "$bin" -r privilegd=off -c "$tmp/a.yml"
dym "--set transform" "did you mean 'cap-drop'?" "$bin" -s cap-dorp.unknown=all -c "$tmp/a.yml"
dym "--set option" "did you mean 'unknown'?" "$bin" -s cap-drop.unknwn=all -c "$tmp/a.yml"
mkdir -p "$tmp/dy"; cp "$in" "$tmp/dy/compose.yaml"
printf 'enable: [inti]\n' >"$tmp/dy/.hardcompose.yml"
dym ".hardcompose.yml id, naming the file" "$tmp/dy/.hardcompose.yml: unknown transform or rule 'inti'" "$bin" -c "$tmp/dy/compose.yaml"
grep -qF "did you mean 'init'?" "$tmp/dym.err" && ok || no ".hardcompose.yml id: no suggestion"
printf 'profile: strct\n' >"$tmp/dy/.hardcompose.yml"
dym ".hardcompose.yml profile, naming the file" "$tmp/dy/.hardcompose.yml: unknown profile 'strct'" "$bin" -c "$tmp/dy/compose.yaml"
printf 'enabel: [init]\n' >"$tmp/dy/.hardcompose.yml"
dym ".hardcompose.yml setting" "did you mean 'enable'?" "$bin" -c "$tmp/dy/compose.yaml"

# --set naming a service no file defines: exit 2, nothing written
cp "$in" "$tmp/ss.yml"; cp "$in" "$tmp/ss.orig"
dym "--set exclude of an unknown service" "service 'wbe', which no file of this run defines; did you mean 'web'?" "$bin" -s init.exclude=wbe -w "$tmp/ss.yml"
t "--set unknown service: nothing written" cmp -s "$tmp/ss.yml" "$tmp/ss.orig"
dym "--set exceptions of an unknown service" "service 'dbb'" "$bin" -s secrets.exceptions=dbb.PASSWORD -c "$tmp/ss.yml"
"$bin" -s init.exclude=wbe <"$tmp/ss.yml" >"$tmp/ss.out" 2>"$tmp/ss.err"; c=$?
t "--set unknown service on stdin: exit 2, stdout empty" bash -c "[ $c -eq 2 ] && [ ! -s '$tmp/ss.out' ] && grep -q \"did you mean 'web'\" '$tmp/ss.err'"
"$bin" -s init.exclude=web,db <"$tmp/ss.yml" >"$tmp/ss.out" 2>"$tmp/ss.err"; c=$?
t "--set services that exist: exit 0" [ $c -eq 0 ]
t "--set exclude applies" bash -c "! grep -q 'init: true' '$tmp/ss.out'"

# -w: a summary on stderr; -q silences it; format mode stays silent
cp "$in" "$tmp/w1.yml"; cp "$want" "$tmp/w2.yml"
printf 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: wsum-secret-1\n' >"$tmp/w3.yml"
"$bin" -w "$tmp/w1.yml" "$tmp/w2.yml" "$tmp/w3.yml" >"$tmp/w.out" 2>"$tmp/w.err"; c=$?
t "-w summary: exit 0" [ $c -eq 0 ]
t "-w summary: the line ($(tail -1 "$tmp/w.err"))" grep -qxF "hardcompose: wrote 2 of 3 files (3 services); secrets: 1 moved to files, 0 to .env" "$tmp/w.err"
t "-w summary: no value" bash -c "! grep -q wsum-secret '$tmp/w.err' '$tmp/w.out'"
"$bin" -w "$tmp/w1.yml" >/dev/null 2>"$tmp/w.err"
t "-w again: nothing written" grep -qxF "hardcompose: wrote 0 of 1 file" "$tmp/w.err"
cp "$in" "$tmp/w1.yml"
"$bin" -q -w "$tmp/w1.yml" >/dev/null 2>"$tmp/w.err"
t "-w -q: silent" [ ! -s "$tmp/w.err" ]
t "-w -q: written" cmp -s "$tmp/w1.yml" "$want"
"$bin" <"$in" >/dev/null 2>"$tmp/w.err"
t "format mode: no summary" [ ! -s "$tmp/w.err" ]
# -w -f json: accepted, a report of what was written
cp "$in" "$tmp/w1.yml"
"$bin" -w -f json "$tmp/w1.yml" >"$tmp/wj.out" 2>/dev/null; c=$?
t "-w -f json: exit 0" [ $c -eq 0 ]
t "-w -f json: changed" grep -q '"changed": true' "$tmp/wj.out"
t "-w -f json: lists the fixes made" grep -q '"id": "init", "kind": "transform"' "$tmp/wj.out"
t "-w -f json: written" cmp -s "$tmp/w1.yml" "$want"
"$bin" --help | grep -q 'cannot be combined with --check, --diff or --format' && no "--help still says -w and --format do not combine" || ok

# one version: CMakeLists.txt's project(), --version, the man page
v=$(sed -nE 's/^project\(hardcompose VERSION ([0-9.]+) .*/\1/p' "$src/CMakeLists.txt")
t "--version is CMake's ($v)" [ "$("$bin" --version)" = "hardcompose $v" ]
t "man page title has the version" grep -q "^\.TH HARDCOMPOSE 1 .* \"hardcompose $v\"" "$src/docs/hardcompose.1"
"$bin" -f json -c "$tmp/s2.yml" | grep -qF "\"version\": \"$v\"" && ok || no "json report version"

# the subcommands are in --help and the man page; `lsp --help` is its own
"$bin" --help | grep -q '^       hardcompose lsp ' && ok || no "--help names hardcompose lsp"
"$bin" --help | grep -q '^       hardcompose preflight ' && ok || no "--help names hardcompose preflight"
t "man page SYNOPSIS has lsp" grep -q '^\.B hardcompose lsp$' "$src/docs/hardcompose.1"
"$bin" lsp --help >"$tmp/lh.out" 2>"$tmp/lh.err"; c=$?
t "lsp --help: exit 0" [ $c -eq 0 ]
t "lsp --help: usage on stdout" grep -q '^usage: hardcompose lsp ' "$tmp/lh.out"
t "lsp --help: not the main help" [ "$(grep -c -- '--write' "$tmp/lh.out")" -eq 0 ]
t "lsp --help: stderr empty" [ ! -s "$tmp/lh.err" ]
"$bin" lsp --bogus </dev/null >"$tmp/lb.out" 2>"$tmp/lb.err"; c=$?
t "lsp --bogus: exit 2" [ $c -eq 2 ]
t "lsp --bogus: usage on stderr" grep -q '^usage: hardcompose lsp ' "$tmp/lb.err"
t "lsp --bogus: stdout empty" [ ! -s "$tmp/lb.out" ]

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]

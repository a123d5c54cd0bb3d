# editor-cases.sh: the cases every editor integration must pass, sourced by
# tests/editor-*.sh after they define, for their editor:
#   save FILE [COMMAND]   open FILE, save it, quit (COMMAND: the binary to use)
#   save_undo FILE OUT    open FILE, save it, undo once, write the buffer to OUT
# and set bin, tmp, and the counters pass and fail with t NAME CMD...
hard='services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_TOKEN: tok-editor-123\n'

# a buffer that needs hardening: saved as hardcompose makes it, nothing else
mkdir -p "$tmp/a"; printf "$hard" >"$tmp/a/compose.yaml"; cp "$tmp/a/compose.yaml" "$tmp/a.orig"
"$bin" --stdin-filepath "$tmp/a/compose.yaml" <"$tmp/a/compose.yaml" >"$tmp/want"
save "$tmp/a/compose.yaml"
t "hardened on save, byte for byte what the CLI writes" cmp -s "$tmp/want" "$tmp/a/compose.yaml"
t "the first line is the file's own" [ "$(head -1 "$tmp/a/compose.yaml")" = "services:" ]
t "no message in the buffer (secret left in place)" bash -c "! grep -q 'plaintext\|hardcompose' '$tmp/a/compose.yaml'"
cp "$tmp/a/compose.yaml" "$tmp/once"; save "$tmp/a/compose.yaml"
t "a second save changes nothing" cmp -s "$tmp/once" "$tmp/a/compose.yaml"

# one undo takes the change back
cp "$tmp/a.orig" "$tmp/a/compose.yaml"
save_undo "$tmp/a/compose.yaml" "$tmp/a/undone.yaml"
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

# a path with spaces and an override name; CRLF line ends are kept
mkdir -p "$tmp/with space"; printf "$hard" | sed 's/$/\r/' >"$tmp/with space/docker-compose.prod.yml"
save "$tmp/with space/docker-compose.prod.yml"
t "path with spaces: hardened" grep -q 'init: true' "$tmp/with space/docker-compose.prod.yml"
t "CRLF file stays CRLF" bash -c "[ \$(grep -c \$'\r\$' '$tmp/with space/docker-compose.prod.yml') -eq \$(wc -l <'$tmp/with space/docker-compose.prod.yml') ]"

# the binary missing: the buffer is saved as it was
mkdir -p "$tmp/e"; printf "$hard" >"$tmp/e/compose.yaml"; cp "$tmp/e/compose.yaml" "$tmp/e.orig"
save "$tmp/e/compose.yaml" "$tmp/no-such-hardcompose"
t "binary missing: saved unchanged" cmp -s "$tmp/e.orig" "$tmp/e/compose.yaml"

/*
 * lsp.h: `hardcompose lsp`, a Language Server Protocol server over stdio
 * (docs/editors.md): diagnostics for every finding and pending transform,
 * quick fixes, formatting. The framing and text helpers below are its own
 * and are tested by tests/lsp.sh and fuzzed by fuzz/fuzz_lsp.c.
 */
#ifndef HC_LSP_H
#define HC_LSP_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Runs the server: argv[0] is "lsp", then the options of the command line
 * (--profile, --config, --enable...). The exit code: 0 after shutdown and
 * exit, 1 otherwise. */
int hc_lsp_main(int argc, char **argv);

/* The Content-Length of a header block (n bytes, without the blank line
 * that ends it), or -1 when it has none that is valid. */
long hc_lsp_header_len(const char *hdr, size_t n);

/* Handles one message body (n bytes) as the server would, writing replies
 * to fd: what the fuzz target drives. Returns 1 after `exit`. */
struct hc_lsp;
struct hc_lsp *hc_lsp_new(int argc, char **argv, int out_fd);
int hc_lsp_message(struct hc_lsp *s, const char *body, size_t n);
/* Publishes the diagnostics of every document changed since. */
void hc_lsp_flush(struct hc_lsp *s);
void hc_lsp_free(struct hc_lsp *s);

/* Line starts of a text, to convert byte offsets to LSP positions (line,
 * character in UTF-16 code units) and back. */
struct hc_lsp_lines {
	size_t *start;
	size_t n;
};
void hc_lsp_lines(struct hc_lsp_lines *l, const char *t, size_t len);
void hc_lsp_lines_release(struct hc_lsp_lines *l);
/* Byte offset off -> line and UTF-16 character. */
void hc_lsp_pos(const struct hc_lsp_lines *l, const char *t, size_t len, size_t off, long *line,
                long *ch);
/* Line and UTF-16 character -> byte offset (clamped to the line, and to
 * the text). */
size_t hc_lsp_off(const struct hc_lsp_lines *l, const char *t, size_t len, long line, long ch);

#endif

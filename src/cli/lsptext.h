/*
 * lsptext.h: the LSP server's text helpers: message headers, byte offsets
 * <-> positions in UTF-16 code units, the engine's output as edits.
 */
#ifndef HC_LSPTEXT_H
#define HC_LSPTEXT_H

#include "engine/edit.h"

#include <stdbool.h>
#include <stddef.h>

/* The Content-Length of a header block (n bytes, without the blank line
 * that ends it), or -1 when it has none that is valid. */
long hc_lsp_header_len(const char *hdr, size_t n);

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

/* The output of a run as minimal edits of its input (byte ranges). */
void hc_lsp_edits(const char *in, size_t inlen, const char *out, size_t outlen,
                  const struct hc_pieces *p, struct hc_edits *e);
#endif

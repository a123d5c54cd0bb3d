/*
 * lines.h: reading the document as lines, for transforms that move or copy
 * whole lines (the x- block transforms) and for the placement helpers.
 *
 * Positions are byte offsets into d->text. A line runs from its start to its
 * '\n' (a '\r' before it belongs to the line); the last line of a file
 * without a final newline ends at d->len. Transforms ask these helpers
 * instead of reading the text byte by byte.
 */
#ifndef HC_LINES_H
#define HC_LINES_H

#include "base/buf.h"
#include "yaml/tree.h"

#include <stdbool.h>
#include <stddef.h>

/* The offset of the '\n' that ends the line holding pos, or d->len when
 * that line is the last and has none. */
size_t hc_line_end(const struct hc_doc *d, size_t pos);
/* The start of the line after the one holding pos, or d->len when there is
 * none. */
size_t hc_next_line(const struct hc_doc *d, size_t pos);
/* The byte column of pos within its line (a byte order mark takes none). */
size_t hc_column(const struct hc_doc *d, size_t pos);
/* Whether offsets a and b lie on the same line. */
bool hc_same_line(const struct hc_doc *d, size_t a, size_t b);
/* Whether a line start `at` follows an empty line (`\n\n` or `\n\r\n` right
 * before it). */
bool hc_follows_blank_line(const struct hc_doc *d, size_t at);
/* The start of the line holding pos, moved up over the comment lines right
 * above it (lines whose first byte is '#'). */
size_t hc_above_comments(const struct hc_doc *d, size_t pos);
/* When spaces and a comment follow pos on its line, the end of that
 * comment (before the line end); else pos itself. */
size_t hc_comment_after(const struct hc_doc *d, size_t pos);
/* Whether a range that ends at e ends the file on a line without a line
 * end (such lines cannot move: the file keeps its missing final newline). */
bool hc_ends_unterminated(const struct hc_doc *d, size_t e);
/* Whether lines [s, e) hold a comment (or a '#' that might start one: at
 * the start of a line or after a space). */
bool hc_lines_have_comment(const struct hc_doc *d, size_t s, size_t e);

/* A copy of the text [s, e) (free it). */
char *hc_text_dup(const struct hc_doc *d, size_t s, size_t e);

/*
 * Appends lines [s, e) re-indented from column `from` to column `to`, line
 * ends as written; blank lines are copied as they are. Returns -1 when a
 * non-blank line is less indented than `from` (what was appended stays).
 */
int hc_copy_reindented(struct hc_buf *out, const struct hc_doc *d, size_t s, size_t e, size_t from,
                       size_t to);
/* Appends lines [s, e) with their indentation and their '\n' left out (a
 * '\r' stays): text to compare blocks written the same way, indentation
 * aside. */
void hc_add_unindented(struct hc_buf *out, const struct hc_doc *d, size_t s, size_t e);

/* The end of the word that starts at pos: the first space, tab or '\n' in
 * [pos, end), or end. A node's tag as written is the word at its start. */
size_t hc_word_end(const struct hc_doc *d, size_t pos, size_t end);

#endif

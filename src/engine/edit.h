/*
 * edit.h: text edits on a byte buffer, and the piece table that remembers
 * which output bytes came from which input bytes.
 *
 * An edit replaces [start, end) of the current text with `text` (start ==
 * end inserts). Edits of one batch never overlap; two inserts at the same
 * offset keep the order they were proposed in.
 */
#ifndef HC_EDIT_H
#define HC_EDIT_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

struct hc_edit {
	size_t start, end;
	char *text; /* owned */
	size_t len;
	size_t seq;   /* proposal order */
	size_t depth; /* inserted lines' indentation: deeper goes first */
	size_t owner; /* 1 + start of the collection it extends; 0: unknown */
};

struct hc_edits {
	struct hc_edit *v;
	size_t n, cap;
};

void hc_edits_add(struct hc_edits *e, size_t start, size_t end, const char *text, size_t len);
/*
 * Inserts whole lines indented by depth. Among inserts at one offset, deeper
 * ones come first: an item appended to a list that ends there must stay in
 * that list, before a key added to the mapping around it.
 */
void hc_edits_add_lines(struct hc_edits *e, size_t at, const char *text, size_t len, size_t depth);
/* Takes back every edit after the first `mark` (a count read from e->n
 * before proposing). */
void hc_edits_rollback(struct hc_edits *e, size_t mark);
void hc_edits_clear(struct hc_edits *e);

/*
 * A piece of the current text: `len` bytes that either come from the
 * original input at `src`, or were inserted by a transform (ins).
 */
struct hc_piece {
	size_t src, len;
	size_t off; /* offset in the current text */
	bool ins;
};

struct hc_pieces {
	struct hc_piece *v;
	size_t n, cap;
};

void hc_pieces_init(struct hc_pieces *p, size_t orig_len);
void hc_pieces_release(struct hc_pieces *p);
/* Offset in the original input of byte `pos` of the current text; an
 * inserted byte maps to where its insertion happened. */
size_t hc_pieces_map_back(const struct hc_pieces *p, size_t pos);

/* Whether byte pos of the current text was inserted by a transform. */
bool hc_pieces_is_inserted(const struct hc_pieces *p, size_t pos);

/*
 * Applies the edits (sorted here) to text[0..len) into *out and updates the
 * piece table. Returns 0, or -1 with *bad set to the index of an edit that
 * overlaps another or lies outside the text.
 */
int hc_edits_apply(struct hc_edits *e, const char *text, size_t len, struct hc_buf *out,
                   struct hc_pieces *pieces, size_t *bad);

#endif

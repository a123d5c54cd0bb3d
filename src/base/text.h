/*
 * text.h: small facts about text shared by every layer: where a byte
 * offset is as a line and column, and a JSON pointer's path segments.
 */
#ifndef HC_TEXT_H
#define HC_TEXT_H

#include "base/buf.h"

#include <stddef.h>

/* A position in a text, moved forward only. line and col are 1-based; a
 * column counts characters (UTF-8 continuation bytes do not count). */
struct hc_linecol {
	size_t at; /* byte offset reached */
	int line, col;
};

#define HC_LINECOL_INIT                                                                            \
	{                                                                                          \
		0, 1, 1                                                                            \
	}

/* Moves lc forward to byte pos of text (len bytes; pos past the end stops
 * at the end). A pos before lc->at leaves lc as it is. */
void hc_linecol_to(struct hc_linecol *lc, const char *text, size_t len, size_t pos);

/* Appends '/' and the segment seg (n bytes) escaped as a JSON pointer
 * wants it (RFC 6901: '~' as "~0", '/' as "~1"). */
void hc_ptr_add(struct hc_buf *b, const char *seg, size_t n);

#endif

/*
 * text.c: line and column counting, JSON pointer segments (text.h).
 */
#include "base/text.h"

void hc_linecol_to(struct hc_linecol *lc, const char *text, size_t len, size_t pos)
{
	for (; lc->at < pos && lc->at < len; lc->at++) {
		if (text[lc->at] == '\n')
			lc->line++, lc->col = 1;
		else if (((unsigned char)text[lc->at] & 0xC0) != 0x80)
			lc->col++;
	}
}

void hc_ptr_add(struct hc_buf *b, const char *seg, size_t n)
{
	hc_buf_addc(b, '/');
	for (size_t i = 0; i < n; i++) {
		if (seg[i] == '~')
			hc_buf_adds(b, "~0");
		else if (seg[i] == '/')
			hc_buf_adds(b, "~1");
		else
			hc_buf_addc(b, seg[i]);
	}
}

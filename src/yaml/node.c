/*
 * node.c: positions in a document's text (node.h): line starts, columns,
 * line and column of a byte, and parse errors at a place.
 */
#include "yaml/node.h"

#include <stdio.h>
#include <string.h>

void hc_error_set(struct hc_error *err, int line, int col, const char *msg)
{
	err->line = line;
	err->col = col;
	err->several_docs = false;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

size_t hc_line_start(const char *text, size_t pos)
{
	while (pos > 0 && text[pos - 1] != '\n')
		pos--;
	return pos;
}

size_t hc_col(const char *text, size_t pos)
{
	size_t ls = hc_line_start(text, pos);
	/* a byte order mark takes no column */
	if (ls == 0 && pos >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		ls = 3;
	return pos - ls;
}

void hc_doc_linecol(const struct hc_doc *doc, size_t pos, int *line, int *col)
{
	size_t lo = 0, hi = doc->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (doc->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	int c = 1;
	for (size_t i = doc->lines[lo]; i < pos && i < doc->len; i++)
		if (((unsigned char)doc->text[i] & 0xC0) != 0x80)
			c++;
	*line = (int)lo + 1;
	*col = c;
}

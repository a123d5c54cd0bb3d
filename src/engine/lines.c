/*
 * lines.c: the document read as lines (see lines.h). These are the only
 * loops over the text that transforms rely on; each says what a line, an
 * indentation or a comment is, once.
 */
#include "engine/lines.h"

size_t hc_line_end(const struct hc_doc *d, size_t pos)
{
	while (pos < d->len && d->text[pos] != '\n')
		pos++;
	return pos;
}

size_t hc_next_line(const struct hc_doc *d, size_t pos)
{
	pos = hc_line_end(d, pos);
	return pos < d->len ? pos + 1 : pos;
}

size_t hc_column(const struct hc_doc *d, size_t pos)
{
	return hc_col(d->text, pos);
}

bool hc_same_line(const struct hc_doc *d, size_t a, size_t b)
{
	return hc_line_start(d->text, a) == hc_line_start(d->text, b);
}

bool hc_follows_blank_line(const struct hc_doc *d, size_t at)
{
	const char *t = d->text;
	return at >= 2 && t[at - 1] == '\n' &&
	       (t[at - 2] == '\n' || (at >= 3 && t[at - 2] == '\r' && t[at - 3] == '\n'));
}

size_t hc_above_comments(const struct hc_doc *d, size_t pos)
{
	size_t at = hc_line_start(d->text, pos);
	while (at > 0) {
		size_t q = hc_line_start(d->text, at - 1);
		if (d->text[q] != '#')
			break;
		at = q;
	}
	return at;
}

size_t hc_comment_after(const struct hc_doc *d, size_t pos)
{
	const char *t = d->text;
	size_t p = pos;
	while (p < d->len && t[p] == ' ')
		p++;
	if (p >= d->len || t[p] != '#')
		return pos;
	while (p < d->len && t[p] != '\n' && t[p] != '\r')
		p++;
	return p;
}

bool hc_ends_unterminated(const struct hc_doc *d, size_t e)
{
	return e == d->len && !d->style.final_newline;
}

bool hc_lines_have_comment(const struct hc_doc *d, size_t s, size_t e)
{
	const char *t = d->text;
	for (size_t i = s; i < e; i++)
		if (t[i] == '#' && (i == s || t[i - 1] == ' ' || t[i - 1] == '\n'))
			return true;
	return false;
}

char *hc_text_dup(const struct hc_doc *d, size_t s, size_t e)
{
	return hc_xstrndup(d->text + s, e - s);
}

int hc_copy_reindented(struct hc_buf *out, const struct hc_doc *d, size_t s, size_t e, size_t from,
                       size_t to)
{
	const char *t = d->text;
	while (s < e) {
		size_t le = s;
		while (le < e && t[le] != '\n')
			le++;
		if (le < e)
			le++;
		size_t sp = 0;
		while (s + sp < le && t[s + sp] == ' ')
			sp++;
		bool blank = s + sp == le || t[s + sp] == '\n' || t[s + sp] == '\r';
		if (!blank && sp < from)
			return -1;
		if (!blank)
			hc_buf_spaces(out, to), s += from;
		hc_buf_add(out, t + s, le - s);
		s = le;
	}
	return 0;
}

void hc_add_unindented(struct hc_buf *out, const struct hc_doc *d, size_t s, size_t e)
{
	const char *t = d->text;
	while (s < e) {
		while (s < e && t[s] == ' ')
			s++;
		size_t le = s;
		while (le < e && t[le] != '\n')
			le++;
		hc_buf_add(out, t + s, le - s);
		s = le < e ? le + 1 : le;
	}
}

size_t hc_word_end(const struct hc_doc *d, size_t pos, size_t end)
{
	while (pos < end && d->text[pos] != ' ' && d->text[pos] != '\t' && d->text[pos] != '\n')
		pos++;
	return pos;
}

/*
 * edit.c: applies batches of byte-range edits and keeps a piece table from
 * the current text back to the original input, which is what diagnostics
 * (positions in the input) and diffs need.
 */
#include "engine/edit.h"

#include <stdlib.h>
#include <string.h>

void hc_edits_add(struct hc_edits *e, size_t start, size_t end, const char *text, size_t len)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = hc_xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	struct hc_edit *x = &e->v[e->n];
	x->start = start;
	x->end = end;
	x->text = hc_xstrndup(text, len);
	x->len = len;
	x->seq = e->n++;
	x->depth = 0;
	x->owner = 0;
}

void hc_edits_add_lines(struct hc_edits *e, size_t at, const char *text, size_t len, size_t depth)
{
	hc_edits_add(e, at, at, text, len);
	e->v[e->n - 1].depth = depth;
}

void hc_edits_rollback(struct hc_edits *e, size_t mark)
{
	while (e->n > mark)
		free(e->v[--e->n].text);
}

void hc_edits_clear(struct hc_edits *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct hc_edit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* inserts before replacements at the same offset, then proposal order */
	int xi = x->start == x->end, yi = y->start == y->end;
	if (xi != yi)
		return xi ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void piece_push(struct hc_pieces *p, size_t src, size_t len, bool ins)
{
	if (!len)
		return;
	if (p->n) {
		struct hc_piece *last = &p->v[p->n - 1];
		if (last->ins == ins && (ins || last->src + last->len == src)) {
			last->len += len;
			return;
		}
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = hc_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n].src = src;
	p->v[p->n].len = len;
	p->v[p->n].ins = ins;
	p->v[p->n].off = p->n ? p->v[p->n - 1].off + p->v[p->n - 1].len : 0;
	p->n++;
}

void hc_pieces_init(struct hc_pieces *p, size_t orig_len)
{
	memset(p, 0, sizeof(*p));
	piece_push(p, 0, orig_len, false);
}

void hc_pieces_release(struct hc_pieces *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Index of the piece holding byte pos of the current text, or p->n. */
static size_t piece_at(const struct hc_pieces *p, size_t pos)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->v[mid].off + p->v[mid].len <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t hc_pieces_map_back(const struct hc_pieces *p, size_t pos)
{
	size_t i = piece_at(p, pos);
	if (i < p->n && !p->v[i].ins)
		return p->v[i].src + (pos - p->v[i].off);
	/* inserted (or past the end): where the insertion happened */
	while (i-- > 0)
		if (!p->v[i].ins)
			return p->v[i].src + p->v[i].len;
	return 0;
}

bool hc_pieces_is_inserted(const struct hc_pieces *p, size_t pos)
{
	size_t i = piece_at(p, pos);
	return i < p->n && p->v[i].ins;
}

/* Copies the pieces covering [from, to) of the current text into *dst. */
static void copy_range(const struct hc_pieces *src, size_t *idx, size_t *off, size_t from,
                       size_t to, struct hc_pieces *dst)
{
	while (*idx < src->n && from < to) {
		const struct hc_piece *x = &src->v[*idx];
		size_t ps = *off, pe = *off + x->len;
		if (pe <= from) {
			*off = pe;
			(*idx)++;
			continue;
		}
		size_t a = from > ps ? from : ps, b = to < pe ? to : pe;
		if (a < b)
			piece_push(dst, x->ins ? 0 : x->src + (a - ps), b - a, x->ins);
		from = b;
		if (b == pe) {
			*off = pe;
			(*idx)++;
		}
	}
}

int hc_edits_apply(struct hc_edits *e, const char *text, size_t len, struct hc_buf *out,
                   struct hc_pieces *pieces, size_t *bad)
{
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), cmp_edit);
	size_t prev_end = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct hc_edit *x = &e->v[i];
		if (x->end < x->start || x->end > len || x->start < prev_end) {
			*bad = i;
			return -1;
		}
		/* an insert exactly at the start of a replaced range is fine;
		 * anything starting inside [start, end) of a replace is not */
		prev_end = x->end;
	}
	struct hc_pieces np = {0};
	size_t idx = 0, off = 0, cur = 0;
	out->len = 0;
	hc_buf_grow(out, len);
	for (size_t i = 0; i < e->n; i++) {
		const struct hc_edit *x = &e->v[i];
		hc_buf_add(out, text + cur, x->start - cur);
		copy_range(pieces, &idx, &off, cur, x->start, &np);
		hc_buf_add(out, x->text, x->len);
		piece_push(&np, 0, x->len, true);
		cur = x->end;
	}
	hc_buf_add(out, text + cur, len - cur);
	copy_range(pieces, &idx, &off, cur, len, &np);
	hc_pieces_release(pieces);
	*pieces = np;
	return 0;
}

/*
 * mask.c: secret values starred out of the texts --diff compares (mask.h).
 */
#define _GNU_SOURCE /* memmem */
#include "cli/mask.h"

#include <stdlib.h>
#include <string.h>

static int cmp_range(const void *a, const void *b)
{
	const struct hc_range *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void star(struct hc_buf *t, size_t lo, size_t hi)
{
	for (size_t k = lo; k < hi && k < t->len; k++)
		if (t->data[k] != '\n' && t->data[k] != '\r')
			t->data[k] = '*';
}

/*
 * Copies of the input and the output with every byte of a secret value
 * replaced by '*' (same length, so the piece table still applies): the
 * masked input ranges, where output bytes come from them, and, for up to
 * 64 distinct values, every other place the output holds one (a block
 * that a later transform copied, such as the x-environment that
 * extension-blocks hoists). Ranges are sorted once: n log n.
 */
void hc_mask_secrets(const struct hc_result *res, const struct hc_buf *in, struct hc_buf *a,
                     struct hc_buf *b)
{
	hc_buf_add(a, in->data ? in->data : "", in->len);
	hc_buf_add(b, res->out.data ? res->out.data : "", res->out.len);
	const struct hc_side *s = &res->side;
	if (!s->nmask)
		return;
	struct hc_range *m = hc_xcalloc(s->nmask, sizeof(*m));
	memcpy(m, s->mask, s->nmask * sizeof(*m));
	qsort(m, s->nmask, sizeof(*m), cmp_range);
	size_t n = 0; /* merged, disjoint, sorted */
	for (size_t i = 0; i < s->nmask; i++) {
		if (n && m[i].start <= m[n - 1].end) {
			if (m[i].end > m[n - 1].end)
				m[n - 1].end = m[i].end;
		} else {
			m[n++] = m[i];
		}
	}
	/* the values themselves, before the input copy is masked */
	struct hc_strlist vals = {0};
	for (size_t i = 0; i < n && vals.n <= 64; i++) {
		size_t lo = m[i].start, hi = m[i].end < in->len ? m[i].end : in->len;
		if (hi > lo + 1 && (in->data[lo] == '"' || in->data[lo] == '\'') &&
		    in->data[hi - 1] == in->data[lo])
			lo++, hi--;
		if (hi >= lo + 4 && !memchr(in->data + lo, '\n', hi - lo))
			hc_strlist_push(&vals, in->data + lo, hi - lo);
	}
	for (size_t i = 0; i < n; i++)
		star(a, m[i].start, m[i].end);
	for (size_t p = 0; p < res->pieces.n; p++) {
		const struct hc_piece *x = &res->pieces.v[p];
		if (x->ins)
			continue;
		/* the first range that may overlap [src, src + len) */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (m[mid].end <= x->src)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < n && m[i].start < x->src + x->len; i++) {
			size_t s0 = m[i].start > x->src ? m[i].start : x->src;
			size_t e0 = m[i].end < x->src + x->len ? m[i].end : x->src + x->len;
			star(b, x->off + (s0 - x->src), x->off + (e0 - x->src));
		}
	}
	for (size_t i = 0; vals.n <= 64 && i < vals.n; i++) {
		size_t vl = strlen(vals.v[i]);
		for (const char *p = b->data; p && (size_t)(p - b->data) + vl <= b->len;) {
			const char *hit = memmem(p, b->len - (size_t)(p - b->data), vals.v[i], vl);
			if (!hit)
				break;
			star(b, (size_t)(hit - b->data), (size_t)(hit - b->data) + vl);
			p = hit + vl;
		}
	}
	hc_strlist_release(&vals);
	free(m);
}

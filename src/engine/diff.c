/*
 * diff.c: unified diff from the piece table.
 *
 * Each change is a pair of byte ranges (input [os, oe), output [ns, ne))
 * between stretches the output copied from the input. Changes are widened to
 * whole lines (the bytes around a change are identical on both sides, so the
 * same widening applies to both), merged when they touch, then printed as
 * hunks with three lines of context.
 */
#include "engine/diff.h"

#include <stdlib.h>
#include <string.h>

struct change {
	size_t os, oe, ns, ne;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static void push(struct changes *c, size_t os, size_t oe, size_t ns, size_t ne)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = hc_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = (struct change){os, oe, ns, ne};
}

/* Byte changes from the pieces. */
static void byte_changes(const struct hc_pieces *p, size_t alen, struct changes *c)
{
	size_t o = 0, n = 0;
	bool open = false;
	size_t os = 0, ns = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct hc_piece *x = &p->v[i];
		if (x->ins || x->src != o) {
			if (!open) {
				open = true;
				os = o;
				ns = n;
			}
			if (!x->ins)
				o = x->src;
		}
		if (!x->ins) {
			if (open) {
				push(c, os, x->src, ns, n);
				open = false;
			}
			o = x->src + x->len;
		}
		n += x->len;
	}
	if (open || o != alen)
		push(c, open ? os : o, alen, open ? ns : n, n);
}

static size_t line_begin(const char *t, size_t pos)
{
	while (pos > 0 && t[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t line_end(const char *t, size_t len, size_t pos)
{
	while (pos < len && t[pos] != '\n')
		pos++;
	return pos < len ? pos + 1 : len;
}

static bool at_line_start(const char *t, size_t pos)
{
	return pos == 0 || t[pos - 1] == '\n';
}

/* Widens to whole lines and merges changes that touch. */
static void widen(const char *a, size_t alen, const char *b, size_t blen, struct changes *c)
{
	size_t w = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct change x = c->v[i];
		size_t k = x.os - line_begin(a, x.os);
		x.os -= k;
		x.ns -= k;
		if (!(at_line_start(a, x.oe) && at_line_start(b, x.ne)) ||
		    (x.oe == x.os && x.ne == x.ns)) {
			size_t e = line_end(a, alen, x.oe);
			x.ne += e - x.oe;
			x.oe = e;
		}
		if (x.ne > blen)
			x.ne = blen;
		if (w && x.os <= c->v[w - 1].oe) {
			struct change *pr = &c->v[w - 1];
			/* past the later end both sides agree again, shifted as x
			 * left them */
			size_t oe = x.oe > pr->oe ? x.oe : pr->oe;
			pr->ne = x.ne + (oe - x.oe);
			pr->oe = oe;
		} else {
			c->v[w++] = x;
		}
	}
	c->n = w;
}

struct lines {
	size_t *v;
	size_t n;
};

static void index_lines(const char *t, size_t len, struct lines *l)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	l->v = hc_xmalloc((n + 1) * sizeof(*l->v));
	l->n = 0;
	l->v[l->n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n' && i + 1 < len)
			l->v[l->n++] = i + 1;
	if (len == 0)
		l->n = 0;
	l->v[l->n] = len;
}

static size_t line_of(const struct lines *l, size_t pos)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->v[mid] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo; /* first line starting at or after pos */
}

static void emit_line(struct hc_buf *out, char tag, const char *t, const struct lines *l, size_t i)
{
	size_t s = l->v[i], e = l->v[i + 1];
	hc_buf_addc(out, tag);
	hc_buf_add(out, t + s, e - s);
	if (e == s || t[e - 1] != '\n')
		hc_buf_adds(out, "\n\\ No newline at end of file\n");
}

void hc_diff(struct hc_buf *out, const char *name, const char *a, size_t alen, const char *b,
             size_t blen, const struct hc_pieces *pieces)
{
	struct changes c = {0};
	byte_changes(pieces, alen, &c);
	widen(a, alen, b, blen, &c);
	if (!c.n) {
		free(c.v);
		return;
	}
	struct lines la, lb;
	index_lines(a, alen, &la);
	index_lines(b, blen, &lb);
	hc_buf_addf(out, "--- a/%s\n+++ b/%s\n", name, name);
	const size_t ctx = 3;
	size_t i = 0;
	while (i < c.n) {
		/* group changes whose context overlaps */
		size_t j = i;
		while (j + 1 < c.n &&
		       line_of(&la, c.v[j + 1].os) <= line_of(&la, c.v[j].oe) + 2 * ctx)
			j++;
		size_t a0 = line_of(&la, c.v[i].os), b0 = line_of(&lb, c.v[i].ns);
		size_t pre = a0 < ctx ? a0 : ctx;
		size_t a_end = line_of(&la, c.v[j].oe), b_end = line_of(&lb, c.v[j].ne);
		size_t post = la.n - a_end < ctx ? la.n - a_end : ctx;
		size_t as = a0 - pre, bs = b0 - pre;
		size_t acount = a_end + post - as, bcount = b_end + post - bs;
		hc_buf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", acount ? as + 1 : as, acount,
		            bcount ? bs + 1 : bs, bcount);
		size_t ai = as;
		for (size_t k = i; k <= j; k++) {
			size_t ca = line_of(&la, c.v[k].os), cae = line_of(&la, c.v[k].oe);
			size_t cb = line_of(&lb, c.v[k].ns), cbe = line_of(&lb, c.v[k].ne);
			for (; ai < ca; ai++)
				emit_line(out, ' ', a, &la, ai);
			for (size_t x = ca; x < cae; x++)
				emit_line(out, '-', a, &la, x);
			for (size_t x = cb; x < cbe; x++)
				emit_line(out, '+', b, &lb, x);
			ai = cae;
		}
		for (; ai < a_end + post; ai++)
			emit_line(out, ' ', a, &la, ai);
		i = j + 1;
	}
	free(la.v);
	free(lb.v);
	free(c.v);
}

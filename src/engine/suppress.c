/*
 * suppress.c: see suppress.h.
 */
#define _GNU_SOURCE /* memmem */
#include "engine/suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_scalar(const struct hc_node *n, size_t pos, int depth)
{
	if (!n || depth > 600)
		return false;
	if (n->type == HC_SCALAR)
		return pos >= n->start && pos < n->end;
	for (size_t i = 0; i < n->nkids; i++)
		if (in_scalar(n->kids[i], pos, depth + 1))
			return true;
	return false;
}

/* The outermost key or sequence item that starts within [ls, le). */
static bool target(const struct hc_doc *d, const struct hc_node *n, size_t ls, size_t le, size_t *s,
                   size_t *e, int depth)
{
	if (!n || depth > 600)
		return false;
	if (n->type == HC_MAP) {
		for (size_t i = 0; i + 1 < n->nkids; i += 2) {
			const struct hc_node *k = n->kids[i], *v = n->kids[i + 1];
			if (k->start >= ls && k->start < le) {
				*s = k->start;
				*e = hc_node_content_end(d, v->empty ? k : v);
				if (*e < k->end)
					*e = k->end;
				return true;
			}
			if (target(d, v, ls, le, s, e, depth + 1))
				return true;
		}
	} else if (n->type == HC_SEQ) {
		for (size_t i = 0; i < n->nkids; i++) {
			const struct hc_node *it = n->kids[i];
			if (it->start >= ls && it->start < le) {
				*s = it->start;
				*e = hc_node_content_end(d, it);
				return true;
			}
			if (target(d, it, ls, le, s, e, depth + 1))
				return true;
		}
	}
	return false;
}

static size_t line_end(const struct hc_doc *d, size_t p)
{
	while (p < d->len && d->text[p] != '\n')
		p++;
	return p;
}

#define NOT_A_COMMENT ((size_t)-1)

/* The '#' of the comment that holds the tag at byte `at`: it starts a line
 * or follows a blank, only spaces go between, and it is not inside a
 * scalar. NOT_A_COMMENT otherwise. */
static size_t comment_start(const struct hc_doc *d, size_t at)
{
	const char *t = d->text;
	size_t h = at;
	while (h > 0 && t[h - 1] == ' ')
		h--;
	if (h == 0 || t[h - 1] != '#')
		return NOT_A_COMMENT;
	h--;
	if (h > 0 && t[h - 1] != ' ' && t[h - 1] != '\t' && t[h - 1] != '\n')
		return NOT_A_COMMENT;
	return in_scalar(d->root, h, 0) ? NOT_A_COMMENT : h;
}

/* Reads the ids of `[id, ...]` (q at the '[', end at the line's end) into
 * sp; an id known() does not know gets a warning at byte h. False when the
 * ']' is missing. */
static bool parse_ids(const char *q, const char *end, struct hc_supp *sp, size_t h,
                      struct hc_findings *f, bool (*known)(const char *id))
{
	const char *close = memchr(q, ']', (size_t)(end - q));
	if (!close)
		return false;
	for (const char *a = q + 1; a < close;) {
		while (a < close && (*a == ' ' || *a == ','))
			a++;
		const char *b = a;
		while (b < close && *b != ',' && *b != ' ')
			b++;
		if (b > a) {
			hc_strlist_push(&sp->ids, a, (size_t)(b - a));
			const char *id = sp->ids.v[sp->ids.n - 1];
			if (!strcmp(id, "all")) {
				sp->all_ids = true;
			} else if (known && !known(id)) {
				char msg[200];
				snprintf(msg, sizeof(msg),
				         "unknown id '%.60s' in a hardcompose: ignore comment "
				         "(see --list-rules, --list-transforms)",
				         id);
				hc_findings_add(f, h, HC_WARNING, "suppression", msg);
			}
		}
		a = b;
	}
	return true;
}

/* Sets the bytes sp covers: the comment's '#' is at h, its tag at `at`. */
static void cover(const struct hc_doc *d, struct hc_supp *sp, size_t h, size_t at)
{
	const char *t = d->text;
	size_t ls = hc_line_start(t, h);
	bool own_line = true;
	for (size_t k = ls; k < h; k++)
		own_line &= t[k] == ' ' || t[k] == '\t';
	size_t tl = ls;
	if (own_line) {
		/* the next line that is not blank or a comment */
		tl = line_end(d, at) + 1;
		while (tl < d->len) {
			size_t k = tl;
			while (k < d->len && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
				k++;
			if (k < d->len && t[k] != '\n' && t[k] != '#')
				break;
			tl = line_end(d, tl) + 1;
		}
	}
	size_t te = line_end(d, tl < d->len ? tl : d->len);
	sp->start = tl;
	sp->end = te;
	size_t s0, e0;
	/* a comment indented deeper than the next line ends the block above
	 * (new keys of that block go after it): it covers nothing below, or
	 * adding them would change what it covers */
	size_t ccol = h - ls, ncol = 0;
	while (own_line && tl + ncol < d->len && t[tl + ncol] == ' ')
		ncol++;
	if (own_line && ccol > ncol) {
		sp->start = h;
		sp->end = line_end(d, h);
	} else if (tl < d->len && target(d, d->root, tl, te + 1, &s0, &e0, 0)) {
		sp->start = s0 < tl ? s0 : tl;
		sp->end = e0 > te ? e0 : te;
	}
	if (!own_line && sp->start > ls)
		sp->start = ls;
}

void hc_supps_parse(const struct hc_doc *d, struct hc_supps *s, struct hc_findings *f,
                    bool (*known)(const char *id))
{
	memset(s, 0, sizeof(*s));
	static const char tag[] = "hardcompose:";
	const char *t = d->text;
	for (const char *p = t; (p = memmem(p, d->len - (size_t)(p - t), tag, sizeof(tag) - 1));
	     p += sizeof(tag) - 1) {
		size_t at = (size_t)(p - t);
		size_t h = comment_start(d, at);
		if (h == NOT_A_COMMENT)
			continue;
		const char *q = p + sizeof(tag) - 1;
		const char *end = t + line_end(d, at);
		while (q < end && *q == ' ')
			q++;
		bool file = false;
		if (end - q >= 11 && !strncmp(q, "ignore-file", 11))
			file = true, q += 11;
		else if (end - q >= 6 && !strncmp(q, "ignore", 6))
			q += 6;
		else
			continue;
		/* `ignore` alone, or `ignore[...]`: not `ignore:` or `ignored` */
		if (q < end && *q != '[' && *q != ' ' && *q != '\t' && *q != '\r' && *q != '#')
			continue;
		struct hc_supp sp = {0};
		if (q < end && *q == '[') {
			if (!parse_ids(q, end, &sp, h, f, known))
				continue;
		} else {
			sp.all_ids = true;
		}
		if (file) {
			sp.file = true;
			sp.start = 0;
			sp.end = d->len + 1;
		} else {
			cover(d, &sp, h, at);
		}
		s->v = hc_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = sp;
	}
}

static bool has(const struct hc_supp *sp, const char *id)
{
	return sp->all_ids || hc_strlist_has(&sp->ids, id);
}

bool hc_supps_hit(const struct hc_supps *s, const char *id, size_t pos)
{
	for (size_t i = 0; i < s->n; i++)
		if (pos >= s->v[i].start && pos <= s->v[i].end && has(&s->v[i], id))
			return true;
	return false;
}

bool hc_supps_file(const struct hc_supps *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].file && has(&s->v[i], id))
			return true;
	return false;
}

void hc_supps_release(struct hc_supps *s)
{
	for (size_t i = 0; i < s->n; i++)
		hc_strlist_release(&s->v[i].ids);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

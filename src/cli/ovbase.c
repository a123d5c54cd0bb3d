/*
 * ovbase.c: the one change -w --overlay makes to the base file (overlay.h):
 * the plaintext secret values the run moved to files or to .env leave it.
 * Each value is given the hardened text's value at the same place (a
 * `${VAR}` reference, a URL whose password became `${VAR}`), or loses its
 * entry (`PASSWORD: x`, `- PASSWORD=x`) where the hardened text has none
 * (there, `PASSWORD_FILE` replaces it, in the overlay).
 */
#include "cli/overlay.h"
#include "engine/place.h"

#include <stdlib.h>
#include <string.h>

/* One step of a path from the root: a key, or an index in a list. */
struct seg {
	const char *key; /* NULL: idx */
	size_t idx;
};

/* The node of hard at the place of base node n's parent, or NULL. */
static struct hc_node *same_place(struct hc_node *n, struct hc_node *hroot)
{
	struct seg segs[64];
	size_t ns = 0;
	for (struct hc_node *x = n; x->parent && ns < 64; x = x->parent) {
		struct hc_node *p = x->parent;
		for (size_t i = 0; i < p->nkids; i++) {
			if (p->kids[i] != x)
				continue;
			if (p->type == HC_MAP && i % 2 == 1)
				segs[ns++] = (struct seg){p->kids[i - 1]->text, 0};
			else if (p->type == HC_SEQ)
				segs[ns++] = (struct seg){NULL, i};
			break;
		}
	}
	struct hc_node *cur = hroot;
	for (size_t i = ns; cur && i-- > 0;) {
		cur = hc_deref(cur);
		if (!cur)
			return NULL;
		if (segs[i].key && cur->type == HC_MAP) {
			bool ex;
			cur = hc_map_lookup(cur, segs[i].key, &ex);
		} else if (!segs[i].key && cur->type == HC_SEQ && segs[i].idx < cur->nkids) {
			cur = cur->kids[segs[i].idx];
		} else {
			cur = NULL;
		}
	}
	return hc_deref(cur);
}

/* In hard's list hl, the item `KEY=...` for base item it (`KEY=...`). */
static struct hc_node *same_item(const struct hc_node *it, struct hc_node *hl)
{
	const char *eq = memchr(it->text, '=', it->len);
	size_t kl = eq ? (size_t)(eq - it->text) + 1 : it->len;
	for (size_t i = 0; hl && hl->type == HC_SEQ && i < hl->nkids; i++) {
		struct hc_node *h = hc_deref(hl->kids[i]);
		if (h && h->type == HC_SCALAR && h->len >= kl && !memcmp(h->text, it->text, kl))
			return h;
	}
	return NULL;
}

/* What one run over the base holds. */
struct fix {
	struct hc_run r; /* doc and edits: what place.h's deletion needs */
	const struct hc_doc *hard;
	size_t n;
};

static void replace_with(struct fix *f, const struct hc_node *n, const struct hc_node *h)
{
	const char *t = f->hard->text + h->start;
	size_t len = hc_node_content_end(f->hard, h) - h->start;
	hc_edits_add(&f->r.edits, n->start, hc_node_content_end(f->r.doc, n), t, len);
}

/* The hardened text's scalar in place of base value n (kid i of p), or
 * NULL. */
static struct hc_node *counterpart(struct fix *f, struct hc_node *n, struct hc_node *p, size_t i)
{
	struct hc_node *hp = same_place(p, f->hard->root), *h;
	if (p->type == HC_MAP) {
		bool ex;
		h = hp && hp->type == HC_MAP
		        ? hc_deref(hc_map_lookup(hp, p->kids[i - 1]->text, &ex))
		        : NULL;
		return h && h->type == HC_SCALAR ? h : NULL;
	}
	return same_item(n, hp);
}

/* Base value n (the parent's kid i) holds a moved secret. */
static void fix_value(struct fix *f, struct hc_node *n, struct hc_node *p, size_t i)
{
	struct hc_node *h = counterpart(f, n, p, i);
	size_t s, e;
	f->n++;
	if (p->type == HC_MAP) {
		if (h)
			replace_with(f, n, h);
		else if (hc_pair_lines(f->r.doc, p, i / 2, &s, &e) == 0)
			hc_edits_add(&f->r.edits, s, e, "", 0);
		else
			hc_edits_add(&f->r.edits, n->start, hc_node_content_end(f->r.doc, n),
			             "\"\"", 2);
		return;
	}
	if (h) {
		replace_with(f, n, h);
	} else if (hc_delete_item(&f->r, p, n) < 0) {
		const char *eq = memchr(n->text, '=', n->len);
		struct hc_buf t = HC_BUF_INIT;
		hc_buf_adds(&t, "\"");
		hc_buf_add(&t, n->text, eq ? (size_t)(eq - n->text) + 1 : 0);
		hc_buf_adds(&t, "\"");
		hc_edits_add(&f->r.edits, n->start, hc_node_content_end(f->r.doc, n), t.data,
		             t.len);
		hc_buf_release(&t);
	}
}

static bool masked(const struct hc_node *n, const struct hc_side *side)
{
	for (size_t i = 0; i < side->nmask; i++)
		if (side->mask[i].start < n->end && n->start < side->mask[i].end)
			return true;
	return false;
}

/* Every value of the tree under p (not following aliases) that holds a
 * moved secret. */
static void walk(struct fix *f, struct hc_node *p, const struct hc_side *side, int depth)
{
	if (depth > 200 || (p->type != HC_MAP && p->type != HC_SEQ))
		return;
	size_t step = 1 + (p->type == HC_MAP), gone = 0;
	for (size_t i = step - 1; i < p->nkids; i += step)
		gone += p->kids[i]->type == HC_SCALAR && masked(p->kids[i], side) &&
		        !counterpart(f, p->kids[i], p, i);
	if (gone && gone == p->nkids / step) {
		/* every entry goes: the collection stays, empty */
		hc_edits_add(&f->r.edits, p->start, hc_node_content_end(f->r.doc, p),
		             p->type == HC_MAP ? "{}" : "[]", 2);
		f->n += gone;
		return;
	}
	for (size_t i = p->type == HC_MAP; i < p->nkids; i += 1 + (p->type == HC_MAP)) {
		struct hc_node *k = p->kids[i];
		if (k->type == HC_SCALAR && masked(k, side))
			fix_value(f, k, p, i);
		else
			walk(f, k, side, depth + 1);
	}
}

size_t hc_ov_base_secrets(const struct hc_doc *base, const struct hc_doc *hard,
                          const struct hc_side *side, struct hc_buf *out, struct hc_pieces *pieces)
{
	struct fix f = {.r = {.doc = base}, .hard = hard};
	if (base->root && hard->root && side->nmask)
		walk(&f, base->root, side, 0);
	size_t bad;
	if (hc_edits_apply(&f.r.edits, base->text, base->len, out, pieces, &bad) < 0) {
		out->len = 0;
		hc_buf_add(out, base->text, base->len);
		f.n = 0;
	}
	hc_edits_clear(&f.r.edits);
	return f.n;
}

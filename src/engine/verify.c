/*
 * verify.c: meaning comparison of two located trees.
 *
 * Merges are resolved as Compose does (explicit keys win, then merge sources
 * first to last), aliases are followed, scalars compare by value, plainness
 * and tag. Aliased subtrees that compare equal once are remembered, so an
 * alias bomb costs one walk of each anchor, not one per reference.
 */
#include "engine/verify.h"
#include "base/text.h"
#include "base/buf.h"

#include <xxhash.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hc_declare_path(struct hc_declared *d, const char *path, enum hc_change kind)
{
	size_t len = strlen(path);
	hc_strset_add(&d->kind[kind], path, len);
	for (size_t i = 1; i < len; i++)
		if (path[i] == '/')
			hc_strset_add(&d->prefixes, path, i);
}

void hc_declare_copy(struct hc_declared *d, const char *from, const char *to)
{
	size_t fl = strlen(from);
	for (int k = 0; k < HC_NCHANGES; k++) {
		/* collected first: declaring adds to the set being walked */
		struct hc_strlist add = {0};
		const char *e;
		size_t len;
		for (size_t it = 0; hc_strset_next(&d->kind[k], &it, &e, &len);)
			if (len >= fl && !strncmp(e, from, fl) && (len == fl || e[fl] == '/'))
				hc_strlist_push(&add, e, len);
		for (size_t i = 0; i < add.n; i++) {
			struct hc_buf p = HC_BUF_INIT;
			hc_buf_adds(&p, to);
			hc_buf_adds(&p, add.v[i] + fl);
			hc_declare_path(d, p.data, (enum hc_change)k);
			hc_buf_release(&p);
		}
		hc_strlist_release(&add);
	}
}

void hc_declared_release(struct hc_declared *d)
{
	for (int k = 0; k < HC_NCHANGES; k++)
		hc_strset_release(&d->kind[k]);
	hc_strset_release(&d->prefixes);
}

struct pair {
	const struct hc_node *key, *val;
};

/* A mapping's pairs (merges resolved), with a hash index of the scalar
 * keys so that finding a key is O(1): no pairwise loops (a 32,000-entry
 * environment was quadratic). */
struct pairs {
	struct pair *v;
	size_t n, cap;
	size_t *slots; /* index + 1 into v; 0: empty */
	size_t nslots; /* a power of two, kept over twice n */
};

struct ctx {
	const struct hc_declared *declared;
	struct hc_buf path;
	struct hc_strset memo; /* "%p %p" of alias targets known equal */
	char *where;
	const struct hc_node *at;
	unsigned long budget;
	bool quiet; /* trying a match: record no failure */
};

static bool key_eq(const struct hc_node *a, const struct hc_node *b)
{
	a = hc_deref((struct hc_node *)a);
	b = hc_deref((struct hc_node *)b);
	return a && b && a->type == HC_SCALAR && b->type == HC_SCALAR && a->len == b->len &&
	       !memcmp(a->text, b->text, a->len);
}

static uint64_t key_hash(const struct hc_node *k)
{
	return XXH3_64bits(k->text, k->len);
}

/* Up to this many pairs a mapping has no hash index: a scan of a few
 * keys costs less than building it (most mappings of a compose file). */
#define PAIRS_LINEAR 8

/* The pair whose key equals key, or NULL. */
static const struct pair *find_pair(const struct pairs *p, const struct hc_node *key)
{
	const struct hc_node *k = hc_deref((struct hc_node *)key);
	if (!k || k->type != HC_SCALAR)
		return NULL;
	if (!p->nslots) {
		for (size_t i = 0; i < p->n; i++)
			if (key_eq(p->v[i].key, k))
				return &p->v[i];
		return NULL;
	}
	for (size_t h = key_hash(k) & (p->nslots - 1);; h = (h + 1) & (p->nslots - 1)) {
		size_t s = p->slots[h];
		if (!s)
			return NULL;
		if (key_eq(p->v[s - 1].key, k))
			return &p->v[s - 1];
	}
}

static void index_pair(struct pairs *p, size_t i)
{
	const struct hc_node *k = hc_deref((struct hc_node *)p->v[i].key);
	if (!k || k->type != HC_SCALAR)
		return;
	for (size_t h = key_hash(k) & (p->nslots - 1);; h = (h + 1) & (p->nslots - 1))
		if (!p->slots[h]) {
			p->slots[h] = i + 1;
			return;
		}
}

static void push_pair(struct pairs *p, const struct hc_node *k, const struct hc_node *v)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = hc_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n].key = k;
	p->v[p->n++].val = v;
	if (p->n <= PAIRS_LINEAR)
		return;
	if (p->n * 2 >= p->nslots) {
		free(p->slots);
		p->nslots = p->nslots ? p->nslots * 2 : 32;
		while (p->n * 2 >= p->nslots)
			p->nslots *= 2;
		p->slots = hc_xcalloc(p->nslots, sizeof(*p->slots));
		for (size_t i = 0; i < p->n; i++)
			index_pair(p, i);
	} else {
		index_pair(p, p->n - 1);
	}
}

static void pairs_release(struct pairs *p)
{
	free(p->v);
	free(p->slots);
}

static bool has_pair(const struct pairs *p, const struct hc_node *key)
{
	return find_pair(p, key) != NULL;
}

static void collect(struct pairs *p, const struct hc_node *map, bool check_dups, int depth)
{
	map = hc_deref((struct hc_node *)map);
	if (!map || map->type != HC_MAP || depth > 32)
		return;
	const struct hc_node *merge = NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct hc_node *k = map->kids[i];
		if (hc_scalar_is(k, "<<") && k->style == HC_PLAIN) {
			merge = map->kids[i + 1];
			continue;
		}
		if (check_dups && has_pair(p, k))
			continue;
		push_pair(p, k, map->kids[i + 1]);
	}
	merge = hc_deref((struct hc_node *)merge);
	if (!merge)
		return;
	if (merge->type == HC_MAP)
		collect(p, merge, true, depth + 1);
	else if (merge->type == HC_SEQ)
		for (size_t i = 0; i < merge->nkids; i++)
			collect(p, merge->kids[i], true, depth + 1);
}

static int fail(struct ctx *c, const struct hc_node *at)
{
	if (!c->where && !c->quiet) {
		c->where = hc_xstrdup(c->path.len ? c->path.data : "/");
		c->at = at;
	}
	return -1;
}

static int cmp(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth);
static void collect(struct pairs *p, const struct hc_node *map, bool check_dups, int depth);
static bool key_eq(const struct hc_node *a, const struct hc_node *b);

static void push_key(struct hc_buf *path, const struct hc_node *k)
{
	k = hc_deref((struct hc_node *)k);
	if (k && k->type == HC_SCALAR)
		hc_ptr_add(path, k->text, k->len);
	else
		hc_ptr_add(path, "?", 1);
}

/* The loosest kind declared at the current path, or -1. */
static int declared_here(struct ctx *c)
{
	for (int k = HC_CHANGE_ANY; k >= HC_CHANGE_EXTEND; k--)
		if (hc_strset_has(&c->declared->kind[k], c->path.data ? c->path.data : "",
		                  c->path.len))
			return k;
	return -1;
}

static bool equal_quiet(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth)
{
	bool q = c->quiet;
	c->quiet = true;
	int rc = cmp(c, a, b, depth);
	c->quiet = q;
	return rc == 0;
}

static int extends(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth);

static bool extends_quiet(struct ctx *c, const struct hc_node *a, const struct hc_node *b,
                          int depth)
{
	bool q = c->quiet;
	c->quiet = true;
	int rc = extends(c, a, b, depth);
	c->quiet = q;
	return rc == 0;
}

/* b extends a: see enum hc_change. */
static int extends(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth)
{
	const struct hc_node *ra = hc_deref((struct hc_node *)a);
	const struct hc_node *rb = hc_deref((struct hc_node *)b);
	if (!ra || hc_is_null(ra))
		return 0;
	if (!rb)
		return fail(c, a);
	if (ra->type == HC_SEQ && rb->type == HC_SEQ) {
		size_t j = 0;
		for (size_t i = 0; i < ra->nkids; i++) {
			while (j < rb->nkids &&
			       !equal_quiet(c, ra->kids[i], rb->kids[j], depth + 1))
				j++;
			if (j == rb->nkids)
				return fail(c, ra->kids[i]);
			j++;
		}
		return 0;
	}
	if (ra->type == HC_MAP && rb->type == HC_MAP) {
		struct pairs pa = {0}, pb = {0};
		collect(&pa, ra, false, 0);
		collect(&pb, rb, false, 0);
		int rc = 0;
		for (size_t i = 0; i < pa.n && rc == 0; i++) {
			const struct pair *f = find_pair(&pb, pa.v[i].key);
			const struct hc_node *bv = f ? f->val : NULL;
			/* values may grow too: a mapping inside keeps what it had */
			if (!bv || !extends_quiet(c, pa.v[i].val, bv, depth + 1))
				rc = fail(c, pa.v[i].key);
		}
		pairs_release(&pa);
		pairs_release(&pb);
		return rc;
	}
	return cmp(c, a, b, depth);
}

/* Checks a declared path of kind k; av/bv may be NULL (absent). */
static int check_declared(struct ctx *c, int k, const struct hc_node *av, const struct hc_node *bv,
                          const struct hc_node *at, int depth)
{
	switch (k) {
	case HC_CHANGE_ANY:
		return 0;
	case HC_CHANGE_REMOVE:
		return bv ? fail(c, at) : 0;
	default:
		if (!av)
			return bv ? 0 : fail(c, at);
		if (!bv)
			return fail(c, at);
		return extends(c, av, bv, depth);
	}
}

static bool declared_below(struct ctx *c)
{
	return c->path.len == 0 ||
	       hc_strset_has(&c->declared->prefixes, c->path.data ? c->path.data : "", c->path.len);
}

static int cmp_map(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth)
{
	struct pairs pa = {0}, pb = {0};
	collect(&pa, a, false, 0);
	collect(&pb, b, false, 0);
	int rc = 0;
	size_t base = c->path.len;
	bool top = depth == 0;
	/* a declared path has all its prefixes in `prefixes`: when this
	 * mapping's path is not one, none of its keys is declared (one probe
	 * for the mapping instead of one per key and kind) */
	bool below = declared_below(c);
	for (size_t i = 0; i < pa.n && rc == 0; i++) {
		const struct hc_node *k = pa.v[i].key, *kd = hc_deref((struct hc_node *)k);
		if (top && kd && kd->type == HC_SCALAR && kd->len >= 2 &&
		    !strncmp(kd->text, "x-", 2))
			continue;
		push_key(&c->path, k);
		const struct hc_node *bv = NULL;
		if (i < pb.n && key_eq(pb.v[i].key, k)) {
			bv = pb.v[i].val;
		} else {
			const struct pair *f = find_pair(&pb, k);
			bv = f ? f->val : NULL;
		}
		int kind = below ? declared_here(c) : -1;
		if (kind >= 0)
			rc = check_declared(c, kind, pa.v[i].val, bv, k, depth + 1);
		else if (!bv)
			rc = fail(c, k);
		else
			rc = cmp(c, pa.v[i].val, bv, depth + 1);
		c->path.len = base;
		if (c->path.data)
			c->path.data[base] = '\0';
	}
	for (size_t j = 0; j < pb.n && rc == 0; j++) {
		const struct hc_node *k = pb.v[j].key, *kd = hc_deref((struct hc_node *)k);
		if (top && kd && kd->type == HC_SCALAR && kd->len >= 2 &&
		    !strncmp(kd->text, "x-", 2))
			continue;
		if (has_pair(&pa, k))
			continue;
		push_key(&c->path, k);
		int kind = below ? declared_here(c) : -1;
		if (kind < 0)
			rc = fail(c, a);
		else
			rc = check_declared(c, kind, NULL, pb.v[j].val, a, depth + 1);
		c->path.len = base;
		if (c->path.data)
			c->path.data[base] = '\0';
	}
	pairs_release(&pa);
	pairs_release(&pb);
	return rc;
}

static int cmp(struct ctx *c, const struct hc_node *a, const struct hc_node *b, int depth)
{
	if (++c->budget > 50000000UL || depth > 1000)
		return fail(c, a);
	bool aliased = (a->type == HC_ALIAS || b->type == HC_ALIAS);
	const struct hc_node *ra = hc_deref((struct hc_node *)a);
	const struct hc_node *rb = hc_deref((struct hc_node *)b);
	if (!ra || !rb)
		return fail(c, a);
	char memo[64];
	size_t mlen = 0;
	if (aliased && !declared_below(c)) {
		mlen = (size_t)snprintf(memo, sizeof(memo), "%p %p", (const void *)ra,
		                        (const void *)rb);
		if (hc_strset_has(&c->memo, memo, mlen))
			return 0;
	}
	int rc = 0;
	if (hc_is_null(ra) && hc_is_null(rb) && !ra->tag && !rb->tag)
		return 0;
	/* a null value and a mapping: the null is an empty mapping (`web:`) */
	if ((hc_is_null(ra) && rb->type == HC_MAP) || (hc_is_null(rb) && ra->type == HC_MAP))
		return cmp_map(c, ra, rb, depth);
	if (ra->type != rb->type)
		return fail(c, a);
	if ((ra->tag || rb->tag) && (!ra->tag || !rb->tag || strcmp(ra->tag, rb->tag)))
		return fail(c, a);
	switch (ra->type) {
	case HC_SCALAR:
		if (ra->len != rb->len || memcmp(ra->text, rb->text, ra->len) ||
		    (ra->style == HC_PLAIN) != (rb->style == HC_PLAIN))
			rc = fail(c, a);
		break;
	case HC_SEQ:
		if (ra->nkids != rb->nkids) {
			rc = fail(c, a);
			break;
		}
		for (size_t i = 0; i < ra->nkids && rc == 0; i++) {
			size_t base = c->path.len;
			hc_buf_addc(&c->path, '/');
			hc_buf_addu(&c->path, i);
			rc = cmp(c, ra->kids[i], rb->kids[i], depth + 1);
			c->path.len = base;
			c->path.data[base] = '\0';
		}
		break;
	case HC_MAP:
		rc = cmp_map(c, ra, rb, depth);
		break;
	case HC_ALIAS:
		rc = fail(c, a);
		break;
	}
	if (rc == 0 && mlen)
		hc_strset_add(&c->memo, memo, mlen);
	return rc;
}

int hc_verify(const struct hc_node *a, const struct hc_node *b, const struct hc_declared *declared,
              char **where, const struct hc_node **at)
{
	struct ctx c = {.declared = declared};
	int rc;
	*where = NULL;
	*at = NULL;
	if (!a || !b)
		rc = (!a && !b) ? 0 : fail(&c, a ? a : b);
	else
		rc = cmp(&c, a, b, 0);
	*where = c.where;
	*at = c.at;
	hc_buf_release(&c.path);
	hc_strset_release(&c.memo);
	return rc;
}

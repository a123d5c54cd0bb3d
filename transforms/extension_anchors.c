/*
 * extension_anchors.c: hardening keys that came out identical in two or
 * more services move into one top-level `x-hardening: &hardening` mapping,
 * placed before `services:`, and each of those services merges it
 * (`<<: *hardening`, or `<<: [*existing, *hardening]` when it already
 * merges something). A service keeps only what differs. Runs after the
 * other transforms; the engine's verification proves that the meaning after
 * merge resolution is what it was.
 *
 * Rules:
 * - the keys considered are the `keys` option, in that order; a key joins
 *   the block when its most common value (by xxHash fingerprint of a
 *   canonical form, confirmed by comparing the forms) is shared by two or
 *   more services and every candidate service sets the key itself;
 * - only lines a transform wrote move: the user's own keys stay where they
 *   are (a service with its own value keeps it; explicit keys beat merges);
 * - candidates are block-style services written as whole lines; a service
 *   whose existing merges already provide a key keeps that key explicit
 *   (earlier merge sources win);
 * - the block's text is the first sharing service's own lines, re-indented,
 *   so comments and quoting travel with it;
 * - nothing happens when `x-<name>` or the anchor already exists, or fewer
 *   than two services would merge the block;
 * - a file that keeps version: "3.0" to "3.3" gets no block, with a note:
 *   swarm refuses top-level x- keys before 3.4 (swarm.c).
 */
#include "transforms/transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct anchors_opts {
	char *name;
	struct hc_strlist keys;
};

static const struct hc_option anchors_options[] = {
    {"name", HC_OPT_STR, offsetof(struct anchors_opts, name), "hardening",
     "name of the x- block and of its anchor"},
    {"keys", HC_OPT_LIST, offsetof(struct anchors_opts, keys),
     "init,security_opt,cap_drop,cap_add,read_only,logging,restart",
     "service keys that may move into the block"},
};

struct cand {
	struct hc_node *key, *map; /* the service */
	struct hc_node *merge;     /* its `<<` value, or NULL */
	char **canon;              /* per option key: canonical value or NULL */
	size_t *pair;              /* per option key: pair index */
	bool *movable;             /* per option key: written by a transform */
	bool merges;               /* takes the block */
};

/* Whether the service's existing merge sources provide key. */
static bool merged_has(struct cand *c, const char *key)
{
	struct hc_node *m = hc_deref(c->merge);
	if (!m)
		return false;
	if (m->type == HC_MAP)
		return hc_map_lookup(m, key, NULL) != NULL;
	for (size_t i = 0; m->type == HC_SEQ && i < m->nkids; i++)
		if (hc_map_lookup(m->kids[i], key, NULL))
			return true;
	return false;
}

struct hv {
	XXH64_hash_t h;
	const char *text;
	size_t i;
};

static int hv_cmp(const void *pa, const void *pb)
{
	const struct hv *a = pa, *b = pb;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	int c = strcmp(a->text, b->text);
	if (c)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* One document's pass: the candidate services and the values chosen. */
struct pass {
	struct hc_run *r;
	const struct anchors_opts *o;
	struct cand *c;
	size_t nc;
	const char **chosen; /* per option key: the value that moves, or NULL */
};

/* Fills x with service m's values of the option keys it writes itself on
 * whole lines. */
static void read_values(struct pass *p, struct cand *x, struct hc_node *m)
{
	const struct hc_doc *d = p->r->doc;
	size_t nk = p->o->keys.n;
	x->canon = hc_xcalloc(nk ? nk : 1, sizeof(*x->canon));
	x->pair = hc_xcalloc(nk ? nk : 1, sizeof(*x->pair));
	x->movable = hc_xcalloc(nk ? nk : 1, sizeof(*x->movable));
	for (size_t k = 0; k < nk; k++)
		for (size_t j = 0; j + 1 < m->nkids; j += 2)
			if (hc_scalar_is(m->kids[j], p->o->keys.v[k])) {
				size_t s, e;
				if (hc_pair_whole_lines(d, m, j / 2, &s, &e) < 0)
					break;
				struct hc_buf b = HC_BUF_INIT;
				hc_canon(&b, m->kids[j + 1], 0);
				x->canon[k] = hc_buf_detach(&b, NULL);
				x->pair[k] = j / 2;
				/* only what hardening wrote moves: the user's own
				 * lines stay where they are */
				x->movable[k] = hc_pieces_is_inserted(p->r->pieces, s);
			}
}

/* The candidates: block-style services with no anchor whose merge, if any,
 * is an alias or a list. */
static void collect(struct pass *p, struct hc_node *services)
{
	p->c = hc_xcalloc(services->nkids / 2 + 1, sizeof(*p->c));
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *m = services->kids[i + 1];
		if (m->type != HC_MAP || m->flow || !m->nkids || m->anchor)
			continue;
		struct cand *x = &p->c[p->nc];
		x->key = services->kids[i];
		x->map = m;
		x->merge = hc_map_get(m, "<<", NULL);
		if (x->merge && x->merge->type != HC_ALIAS && x->merge->type != HC_SEQ)
			continue;
		read_values(p, x, m);
		p->nc++;
	}
}

/*
 * The most common movable value of option key k, or NULL when no value is
 * shared by two services: sort by (hash, text, position), count the runs;
 * ties go to the value seen first, as a reader would pick.
 */
static const char *most_common(const struct pass *p, size_t k)
{
	const struct cand *c = p->c;
	struct hv *hv = hc_xcalloc(p->nc + 1, sizeof(*hv));
	size_t nh = 0;
	for (size_t i = 0; i < p->nc; i++)
		if (c[i].movable[k])
			hv[nh++] = (struct hv){XXH3_64bits(c[i].canon[k], strlen(c[i].canon[k])),
			                       c[i].canon[k], i};
	qsort(hv, nh, sizeof(*hv), hv_cmp);
	size_t best = 0, bestn = 0;
	for (size_t a = 0; a < nh;) {
		size_t b = a + 1;
		while (b < nh && hv[b].h == hv[a].h && !strcmp(hv[b].text, hv[a].text))
			b++;
		/* hv[a] has the smallest position of its run */
		if (b - a > bestn || (b - a == bestn && hv[a].i < best))
			bestn = b - a, best = hv[a].i;
		a = b;
	}
	free(hv);
	return bestn >= 2 ? c[best].canon[k] : NULL;
}

/* Chooses the block: per key, the most common value when every candidate
 * sets the key (a service without it must not gain it). Returns how many
 * keys have a value. */
static size_t choose(struct pass *p)
{
	size_t nk = p->o->keys.n, nchosen = 0;
	p->chosen = hc_xcalloc(nk ? nk : 1, sizeof(*p->chosen));
	for (size_t k = 0; k < nk && p->nc >= 2; k++) {
		bool all = true;
		for (size_t i = 0; i < p->nc && all; i++)
			all = p->c[i].canon[k] != NULL;
		if (!all)
			continue;
		p->chosen[k] = most_common(p, k);
		nchosen += p->chosen[k] != NULL;
	}
	return nchosen;
}

/* Whether candidate x wrote the chosen value of key k, and may move it. */
static bool shares(const struct pass *p, const struct cand *x, size_t k)
{
	return p->chosen[k] && x->movable[k] && !strcmp(x->canon[k], p->chosen[k]);
}

/* Marks the services that merge the block: those sharing at least one
 * chosen value whose existing merges do not shadow it. Returns how many. */
static size_t mark_merges(struct pass *p)
{
	size_t nmerge = 0;
	for (size_t i = 0; i < p->nc; i++) {
		for (size_t k = 0; k < p->o->keys.n; k++)
			if (shares(p, &p->c[i], k) && !merged_has(&p->c[i], p->o->keys.v[k]))
				p->c[i].merges = true;
		nmerge += p->c[i].merges;
	}
	return nmerge;
}

/* The block: `x-<name>: &<name>`, then each chosen key's lines from its
 * first sharer, re-indented. -1 when some line cannot be re-indented. */
static int build_block(const struct pass *p, struct hc_buf *block)
{
	const struct hc_doc *d = p->r->doc;
	hc_buf_addf(block, "x-%s: &%s%s", p->o->name, p->o->name, d->style.eol);
	int rc = 0;
	for (size_t k = 0; k < p->o->keys.n && rc == 0; k++) {
		for (size_t i = 0; p->chosen[k] && i < p->nc; i++) {
			const struct cand *x = &p->c[i];
			if (!x->merges || !shares(p, x, k))
				continue;
			size_t s, e;
			hc_pair_lines(d, x->map, x->pair[k], &s, &e);
			rc =
			    hc_copy_reindented(block, d, s, e, hc_column(d, x->map->kids[0]->start),
			                       (size_t)d->style.indent);
			break;
		}
	}
	hc_buf_adds(block, d->style.eol);
	return rc;
}

/* Inserts the block before services; each merging service drops the shared
 * pairs and merges the block. -1 when a service cannot merge it. */
static int propose(struct pass *p, const struct hc_buf *block, const struct hc_node *skey)
{
	struct hc_run *r = p->r;
	int rc = 0;
	hc_insert_lines(r, hc_before_services(r->doc, skey), block->data, block->len, 0);
	for (size_t i = 0; i < p->nc; i++) {
		struct cand *x = &p->c[i];
		if (!x->merges)
			continue;
		for (size_t k = 0; k < p->o->keys.n; k++)
			if (shares(p, x, k) && !merged_has(x, p->o->keys.v[k]))
				hc_cut_pair(r, x->map, x->pair[k]);
		if (hc_merge_into(r, x->key, x->map, p->o->name) < 0)
			rc = -1;
	}
	return rc;
}

/* Moves the chosen values of nmerge services into the block, all or
 * nothing, and says which. */
static void move_shared(struct pass *p, size_t nmerge, const struct hc_node *skey)
{
	struct hc_run *r = p->r;
	struct hc_buf block = HC_BUF_INIT;
	int rc = build_block(p, &block);
	struct hc_run_mark mark = hc_run_mark(r);
	if (rc == 0)
		rc = propose(p, &block, skey);
	if (rc == 0) {
		hc_report(r, skey->start, HC_WARNING,
		          "move hardening keys shared by %zu services into x-%s", nmerge,
		          p->o->name);
		r->changes++;
	} else {
		hc_run_rollback(r, mark);
		hc_report(r, skey->start, HC_NOTE,
		          "hardening keys are shared by %zu services, but their shape keeps "
		          "them from moving into x-%s",
		          nmerge, p->o->name);
	}
	hc_buf_release(&block);
}

static void pass_release(struct pass *p)
{
	for (size_t i = 0; i < p->nc; i++) {
		for (size_t k = 0; k < p->o->keys.n; k++)
			free(p->c[i].canon[k]);
		free(p->c[i].canon);
		free(p->c[i].pair);
		free(p->c[i].movable);
	}
	free(p->c);
	free(p->chosen);
}

static void anchors_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	const struct anchors_opts *o = opts;
	struct hc_node *skey = NULL;
	struct hc_node *services = hc_map_get(root, "services", &skey);
	if (root->flow || !services || services->type != HC_MAP || services->flow ||
	    hc_has_top(root, o->name) || hc_anchor_used(root, o->name, 0))
		return;
	struct pass p = {.r = r, .o = o};
	collect(&p, services);
	size_t nmerge = choose(&p) ? mark_merges(&p) : 0;
	if (nmerge >= 2 && !hc_swarm_lacks(r, skey->start, "hardening keys shared by services",
	                                   "a top-level x- block", 4))
		move_shared(&p, nmerge, skey);
	pass_release(&p);
}

const struct hc_transform hc_t_extension_anchors = {
    .id = "extension-anchors",
    .summary = "move hardening keys shared by services into one x- block they merge",
    .options = anchors_options,
    .nopts = sizeof(anchors_options) / sizeof(anchors_options[0]),
    .opts_size = sizeof(struct anchors_opts),
    .document = anchors_document,
};

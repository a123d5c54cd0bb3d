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
 *   than two services would merge the block.
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

static void anchors_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	const struct anchors_opts *o = opts;
	const struct hc_doc *d = r->doc;
	struct hc_node *skey = NULL;
	struct hc_node *services = hc_map_get(root, "services", &skey);
	if (root->flow || !services || services->type != HC_MAP || services->flow ||
	    hc_has_top(root, o->name) || hc_anchor_used(root, o->name, 0))
		return;
	size_t nk = o->keys.n, nc = 0;
	struct cand *c = hc_xcalloc(services->nkids / 2 + 1, sizeof(*c));
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *m = services->kids[i + 1];
		if (m->type != HC_MAP || m->flow || !m->nkids || m->anchor)
			continue;
		struct cand *x = &c[nc];
		x->key = services->kids[i];
		x->map = m;
		x->merge = hc_map_get(m, "<<", NULL);
		if (x->merge && x->merge->type != HC_ALIAS && x->merge->type != HC_SEQ)
			continue;
		x->canon = hc_xcalloc(nk ? nk : 1, sizeof(*x->canon));
		x->pair = hc_xcalloc(nk ? nk : 1, sizeof(*x->pair));
		x->movable = hc_xcalloc(nk ? nk : 1, sizeof(*x->movable));
		for (size_t k = 0; k < nk; k++)
			for (size_t j = 0; j + 1 < m->nkids; j += 2)
				if (hc_scalar_is(m->kids[j], o->keys.v[k])) {
					size_t s, e;
					if (hc_pair_lines(d, m, j / 2, &s, &e) < 0 ||
					    (e == d->len && !d->style.final_newline))
						break;
					struct hc_buf b = HC_BUF_INIT;
					hc_canon(&b, m->kids[j + 1], 0);
					x->canon[k] = hc_buf_detach(&b, NULL);
					x->pair[k] = j / 2;
					/* only what hardening wrote moves: the user's own
					 * lines stay where they are */
					x->movable[k] = hc_pieces_is_inserted(r->pieces, s);
				}
		nc++;
	}
	/* choose the block: per key, the most common value when every candidate
	 * sets the key (a service without it must not gain it) */
	const char **chosen = hc_xcalloc(nk ? nk : 1, sizeof(*chosen));
	size_t nchosen = 0;
	for (size_t k = 0; k < nk && nc >= 2; k++) {
		bool all = true;
		for (size_t i = 0; i < nc && all; i++)
			all = c[i].canon[k] != NULL;
		if (!all)
			continue;
		/* the most common value: sort by (hash, text, position), count the
		 * runs; ties go to the value seen first, as a reader would pick */
		struct hv *hv = hc_xcalloc(nc + 1, sizeof(*hv));
		size_t nh = 0;
		for (size_t i = 0; i < nc; i++)
			if (c[i].movable[k])
				hv[nh++] =
				    (struct hv){XXH3_64bits(c[i].canon[k], strlen(c[i].canon[k])),
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
		if (bestn >= 2) {
			chosen[k] = c[best].canon[k];
			nchosen++;
		}
	}
	/* which services merge: those sharing at least one chosen value whose
	 * existing merges do not shadow it */
	size_t nmerge = 0;
	for (size_t i = 0; i < nc && nchosen; i++) {
		for (size_t k = 0; k < nk; k++)
			if (chosen[k] && c[i].movable[k] && !strcmp(c[i].canon[k], chosen[k]) &&
			    !merged_has(&c[i], o->keys.v[k]))
				c[i].merges = true;
		nmerge += c[i].merges;
	}
	if (nmerge >= 2) {
		/* the block: each chosen key's lines, from its first sharer */
		struct hc_buf block = HC_BUF_INIT;
		hc_buf_addf(&block, "x-%s: &%s%s", o->name, o->name, d->style.eol);
		int rc = 0;
		for (size_t k = 0; k < nk && rc == 0; k++) {
			if (!chosen[k])
				continue;
			for (size_t i = 0; i < nc; i++) {
				if (!c[i].merges || !c[i].movable[k] ||
				    strcmp(c[i].canon[k], chosen[k]))
					continue;
				size_t s, e;
				hc_pair_lines(d, c[i].map, c[i].pair[k], &s, &e);
				rc = hc_reindent(&block, d->text, s, e,
				                 hc_col(d->text, c[i].map->kids[0]->start),
				                 (size_t)d->style.indent);
				break;
			}
		}
		hc_buf_adds(&block, d->style.eol);
		size_t at = hc_before_services(d, skey);
		size_t mark = r->edits.n;
		if (rc == 0) {
			hc_edits_add_lines(&r->edits, at, block.data, block.len, 0);
			for (size_t i = 0; i < nc; i++) {
				if (!c[i].merges)
					continue;
				/* drop the shared pairs; merge the block */
				for (size_t k = 0; k < nk; k++) {
					if (!chosen[k] || !c[i].movable[k] ||
					    strcmp(c[i].canon[k], chosen[k]) ||
					    merged_has(&c[i], o->keys.v[k]))
						continue;
					size_t s, e;
					hc_pair_lines(d, c[i].map, c[i].pair[k], &s, &e);
					hc_edits_add(&r->edits, s, e, "", 0);
				}
				if (hc_merge_into(r, c[i].key, c[i].map, o->name) < 0)
					rc = -1;
			}
		}
		if (rc == 0) {
			hc_report(r, skey->start, HC_WARNING,
			          "move hardening keys shared by %zu services into x-%s", nmerge,
			          o->name);
			r->changes++;
		} else {
			/* all or nothing */
			while (r->edits.n > mark)
				free(r->edits.v[--r->edits.n].text);
			hc_report(
			    r, skey->start, HC_NOTE,
			    "hardening keys are shared by %zu services, but their shape keeps "
			    "them from moving into x-%s",
			    nmerge, o->name);
		}
		hc_buf_release(&block);
	}
	for (size_t i = 0; i < nc; i++) {
		for (size_t k = 0; k < nk; k++)
			free(c[i].canon[k]);
		free(c[i].canon);
		free(c[i].pair);
		free(c[i].movable);
	}
	free(c);
	free(chosen);
}

const struct hc_transform hc_t_extension_anchors = {
    .id = "extension-anchors",
    .summary = "move hardening keys shared by services into one x- block they merge",
    .options = anchors_options,
    .nopts = sizeof(anchors_options) / sizeof(anchors_options[0]),
    .opts_size = sizeof(struct anchors_opts),
    .document = anchors_document,
};

/*
 * extension_blocks.c: blocks repeated verbatim in two or more services move
 * into top-level `x-<name>: &<name>` blocks that the services reference
 * (seed 001 finding 23: the same S3 credentials in four services). Runs
 * right after extension-anchors, as the second half of the same step.
 *
 * - A whole value of one of the `keys` (environment, logging, healthcheck,
 *   deploy) that two or more services write identically (xxHash fingerprint
 *   of a canonical form, confirmed by comparing the forms) becomes
 *   `x-<key>: &<key>` and each service's value becomes `*<key>`.
 * - In mapping-style `environment:` blocks, `min-entries` (3) or more
 *   identical entries shared by two or more services become
 *   `x-<key>: &<key>` with those entries, and each of those environments
 *   merges it (`<<: *<key>`) and drops them.
 * - Repeated means verbatim: the same text line for line (indentation
 *   aside); blocks and entries that hold comments stay where they are, so
 *   no comment is dropped as a duplicate.
 * - Names are `<key>`, then `<key>-2`, ... avoiding existing top-level keys
 *   and anchors. Only block-style values written as whole lines move; a
 *   trailing comment on the key's line stays there.
 * - A value that is only a merge (`<<: *a`, `<<: [*a, *b]`) is shared through
 *   the file's own anchors already: it stays, with a note.
 * - A file that keeps version: "3.0" to "3.3" gets no block, with a note:
 *   swarm refuses top-level x- keys before 3.4 (swarm.c).
 * The engine's verification proves the meaning after merge and alias
 * resolution is unchanged.
 */
#include "transforms/transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct blocks_opts {
	struct hc_strlist keys;
	int min_entries;
};

static const struct hc_option blocks_options[] = {
    {"keys", HC_OPT_LIST, offsetof(struct blocks_opts, keys),
     "environment,logging,healthcheck,deploy", "service keys whose repeated values move"},
    {"min-entries", HC_OPT_INT, offsetof(struct blocks_opts, min_entries), "3",
     "identical environment entries needed to share part of an environment"},
};

/* One service's value of a key, where it can move. */
struct occ {
	struct hc_node *svc_map, *key, *val;
	size_t idx;      /* the pair's index in svc_map */
	size_t e;        /* the end of the pair's whole lines */
	char *canon;     /* canonical form of the value */
	bool used;       /* already moved */
	bool merge_only; /* the value is only `<<: *existing`: shared already */
};

struct pass {
	struct hc_run *r;
	struct hc_node *root;
	struct hc_buf blocks; /* x- blocks to insert before services */
	struct hc_strlist names;
	int rc;
	size_t moved;
};

static void unique_name(struct pass *p, const char *base, struct hc_buf *out)
{
	for (int n = 1;; n++) {
		out->len = 0;
		if (n == 1)
			hc_buf_adds(out, base);
		else
			hc_buf_addf(out, "%s-%d", base, n);
		if (!hc_has_top(p->root, out->data) && !hc_anchor_used(p->root, out->data, 0) &&
		    !hc_strlist_has(&p->names, out->data))
			break;
	}
	hc_strlist_push(&p->names, out->data, out->len);
}

/* Starts `x-name: &name` and copies lines [s, e) re-indented below it. */
static void add_block(struct pass *p, const char *name, size_t s, size_t e, size_t from, bool seq)
{
	const struct hc_doc *d = p->r->doc;
	hc_buf_addf(&p->blocks, "x-%s: &%s%s", name, name, d->style.eol);
	size_t to = (size_t)(seq ? d->style.seq_indent : d->style.indent);
	if (hc_copy_reindented(&p->blocks, d, s, e, from, to) < 0)
		p->rc = -1;
	hc_buf_adds(&p->blocks, d->style.eol);
}

/* Appends lines [s, e) with their indentation stripped: blocks must be
 * repeated verbatim (comments included), not just mean the same. */
static void add_verbatim(struct hc_buf *b, const struct hc_doc *d, size_t s, size_t e)
{
	hc_buf_addc(b, '\2');
	hc_add_unindented(b, d, s, e);
}

/* Whether a mapping holds nothing but a merge key (`<<: *a` or
 * `<<: [*a, *b]`): its services share it through those anchors already, and
 * a new x- block would only wrap the user's anchors in another one. */
static bool merge_only(const struct hc_node *v)
{
	return v->type == HC_MAP && v->nkids == 2 && hc_scalar_is(v->kids[0], "<<");
}

/* Appends how a merge value reads: `*a`, or `[*a, *b]` for a list. */
static void merge_desc(struct hc_buf *b, const struct hc_node *m)
{
	if (m->type == HC_ALIAS) {
		hc_buf_addf(b, "*%.*s", (int)m->len, m->text);
		return;
	}
	hc_buf_addc(b, '[');
	for (size_t k = 0; m->type == HC_SEQ && k < m->nkids; k++) {
		if (k)
			hc_buf_adds(b, ", ");
		if (m->kids[k]->type == HC_ALIAS)
			hc_buf_addf(b, "*%.*s", (int)m->kids[k]->len, m->kids[k]->text);
		else
			hc_buf_adds(b, "...");
	}
	hc_buf_addc(b, ']');
}

/* The services whose value equals o[i]'s merge-only value: marked used, and
 * one note says why nothing moves. */
static void already_shared(struct pass *p, struct occ *o, size_t n, size_t i, const char *key)
{
	const struct hc_node *m = o[i].val->kids[1];
	size_t count = 0;
	for (size_t j = i; j < n; j++)
		if (!o[j].used && !strcmp(o[j].canon, o[i].canon)) {
			o[j].used = true;
			count++;
		}
	struct hc_buf desc = HC_BUF_INIT;
	merge_desc(&desc, m);
	hc_report(p->r, o[i].key->start, HC_NOTE,
	          "%s of %zu services is only `<<: %s`: shared through the file's own "
	          "anchor%s already, so it is not moved into a new x- anchor",
	          key, count, desc.data, m->type == HC_SEQ && m->nkids > 1 ? "s" : "");
	hc_buf_release(&desc);
}

/* The occurrences sorted by the hash of their value, then by index: the
 * ones that may be equal stand together (a run), in file order. */
struct byhash {
	XXH64_hash_t h;
	size_t i;
};

static int cmp_byhash(const void *a, const void *b)
{
	const struct byhash *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Whole values: `key:` + block value -> `key: *name`. Each value is hashed
 * once and compared only within its run of equal hashes: n log n (all
 * pairs were compared before: 20,000 services took 16 s). */
static void whole_values(struct pass *p, struct occ *o, size_t n, const char *key)
{
	const struct hc_doc *d = p->r->doc;
	struct hc_buf name = HC_BUF_INIT;
	struct byhash *s = hc_xcalloc(n + 1, sizeof(*s));
	size_t *pos = hc_xcalloc(n + 1, sizeof(*pos)),
	       *run_end = hc_xcalloc(n + 1, sizeof(*run_end));
	for (size_t i = 0; i < n; i++)
		s[i] = (struct byhash){XXH3_64bits(o[i].canon, strlen(o[i].canon)), i};
	qsort(s, n, sizeof(*s), cmp_byhash);
	for (size_t k = n; k-- > 0;) {
		pos[s[k].i] = k;
		run_end[k] = k + 1 < n && s[k + 1].h == s[k].h ? run_end[k + 1] : k + 1;
	}
	for (size_t i = 0; i < n && p->rc == 0; i++) {
		if (o[i].used)
			continue;
		size_t count = 0, from = pos[i], to = run_end[from]; /* j >= i: from on */
		for (size_t k = from; k < to; k++)
			if (!o[s[k].i].used && !strcmp(o[s[k].i].canon, o[i].canon))
				count++;
		if (count < 2)
			continue;
		if (o[i].merge_only) {
			already_shared(p, o, n, i, key);
			continue;
		}
		unique_name(p, key, &name);
		struct hc_node *v = o[i].val;
		size_t col = hc_column(d, v->type == HC_MAP ? v->kids[0]->start : v->start);
		add_block(p, name.data, hc_next_line(d, o[i].key->end), o[i].e, col,
		          v->type == HC_SEQ);
		for (size_t k = from; k < to; k++) {
			size_t j = s[k].i;
			if (o[j].used || strcmp(o[j].canon, o[i].canon))
				continue;
			struct hc_buf ref = HC_BUF_INIT;
			hc_buf_addf(&ref, "*%s", name.data);
			if (hc_replace_block_value(p->r, o[j].svc_map, o[j].idx, ref.data) < 0)
				p->rc = -1;
			hc_buf_release(&ref);
			o[j].used = true;
			p->moved++;
		}
	}
	free(s);
	free(pos);
	free(run_end);
	hc_buf_release(&name);
}

/* Entries of a mapping environment, as "key\x01canon" strings. */
static char **entries(const struct hc_doc *d, const struct hc_node *env)
{
	char **v = hc_xcalloc(env->nkids / 2 + 1, sizeof(*v));
	for (size_t i = 0; i + 1 < env->nkids; i += 2) {
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_add(&b, env->kids[i]->text, env->kids[i]->len);
		hc_buf_addc(&b, '\1');
		hc_canon(&b, env->kids[i + 1], 0);
		size_t s, e;
		if (hc_pair_lines(d, env, i / 2, &s, &e) == 0)
			add_verbatim(&b, d, s, e);
		v[i / 2] = hc_buf_detach(&b, NULL);
	}
	return v;
}

static bool has_entry(char **v, size_t n, const char *e)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], e))
			return true;
	return false;
}

/* The mapping environments whose entries can be shared, and the two that
 * share the most entries. */
struct envs {
	char ***ent; /* per occurrence: its entries (see entries()), or NULL */
	size_t *cnt; /* per occurrence: how many */
	size_t n;
	size_t bi, bj, best; /* the two sharing the most, and how many */
};

/* Whether entry e is in both environments of the best pair. */
static bool in_best(const struct envs *v, const char *e)
{
	return has_entry(v->ent[v->bi], v->cnt[v->bi], e) &&
	       has_entry(v->ent[v->bj], v->cnt[v->bj], e);
}

/* Reads the environments that can share: mappings without a merge whose
 * entries are scalar keys on whole lines of their own, with no comment. */
static void read_envs(const struct pass *p, struct occ *o, struct envs *v)
{
	const struct hc_doc *d = p->r->doc;
	for (size_t i = 0; i < v->n; i++) {
		struct hc_node *m = o[i].val;
		bool ok = !o[i].used && m->type == HC_MAP && !hc_map_get(m, "<<", NULL);
		for (size_t k = 0; ok && k + 1 < m->nkids; k += 2) {
			size_t s, e;
			ok = m->kids[k]->type == HC_SCALAR &&
			     hc_pair_whole_lines(d, m, k / 2, &s, &e) == 0 &&
			     !hc_lines_have_comment(d, s, e);
		}
		if (ok) {
			v->ent[i] = entries(d, m);
			v->cnt[i] = m->nkids / 2;
		}
	}
	for (size_t i = 0; i < v->n; i++)
		for (size_t j = i + 1; v->ent[i] && j < v->n; j++) {
			if (!v->ent[j])
				continue;
			size_t c = 0;
			for (size_t k = 0; k < v->cnt[i]; k++)
				c += has_entry(v->ent[j], v->cnt[j], v->ent[i][k]);
			if (c > v->best)
				v->best = c, v->bi = i, v->bj = j;
		}
}

/* Whether environment i holds every entry the best pair shares. */
static bool holds_shared(const struct envs *v, size_t i)
{
	bool all = true;
	for (size_t k = 0; all && k < v->cnt[v->bi]; k++)
		if (has_entry(v->ent[v->bj], v->cnt[v->bj], v->ent[v->bi][k]))
			all = has_entry(v->ent[i], v->cnt[i], v->ent[v->bi][k]);
	return all;
}

/* Writes the entries the best pair shares as a new x- block; every
 * environment holding all of them drops them and merges the block. */
static void share_entries(struct pass *p, struct occ *o, const struct envs *v, const char *key)
{
	const struct hc_doc *d = p->r->doc;
	struct hc_buf name = HC_BUF_INIT;
	unique_name(p, key, &name);
	hc_buf_addf(&p->blocks, "x-%s: &%s%s", name.data, name.data, d->style.eol);
	struct hc_node *m = o[v->bi].val;
	size_t from = hc_column(d, m->kids[0]->start);
	for (size_t k = 0; k < v->cnt[v->bi] && p->rc == 0; k++) {
		if (!has_entry(v->ent[v->bj], v->cnt[v->bj], v->ent[v->bi][k]))
			continue;
		size_t s, e;
		hc_pair_lines(d, m, k, &s, &e);
		if (hc_copy_reindented(&p->blocks, d, s, e, from, (size_t)d->style.indent) < 0)
			p->rc = -1;
	}
	hc_buf_adds(&p->blocks, d->style.eol);
	for (size_t i = 0; i < v->n && p->rc == 0; i++) {
		if (!v->ent[i] || !holds_shared(v, i))
			continue;
		for (size_t k = 0; k < v->cnt[i]; k++)
			if (in_best(v, v->ent[i][k]))
				hc_cut_pair(p->r, o[i].val, k);
		if (hc_merge_into(p->r, o[i].key, o[i].val, name.data) < 0)
			p->rc = -1;
		o[i].used = true;
		p->moved++;
	}
	hc_buf_release(&name);
}

/* Shared environment entries -> a merged x- block. */
static void shared_entries(struct pass *p, struct occ *o, size_t n, const char *key, int min)
{
	if (n < 2 || n > 300)
		return;
	struct envs v = {.n = n};
	v.ent = hc_xcalloc(n, sizeof(*v.ent));
	v.cnt = hc_xcalloc(n, sizeof(*v.cnt));
	read_envs(p, o, &v);
	if (v.best >= (size_t)min)
		share_entries(p, o, &v, key);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; v.ent[i] && k < v.cnt[i]; k++)
			free(v.ent[i][k]);
		free(v.ent[i]);
	}
	free(v.ent);
	free(v.cnt);
}

static void blocks_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	const struct blocks_opts *op = opts;
	const struct hc_doc *d = r->doc;
	struct hc_node *skey = NULL;
	struct hc_node *services = hc_map_get(root, "services", &skey);
	if (root->flow || !services || services->type != HC_MAP || services->flow)
		return;
	struct pass p = {.r = r, .root = root};
	struct hc_run_mark mark = hc_run_mark(r);
	for (size_t k = 0; k < op->keys.n && p.rc == 0; k++) {
		const char *key = op->keys.v[k];
		struct occ *o = hc_xcalloc(services->nkids / 2 + 1, sizeof(*o));
		size_t n = 0;
		for (size_t i = 0; i + 1 < services->nkids; i += 2) {
			struct hc_node *m = services->kids[i + 1];
			if (m->type != HC_MAP || m->flow || m->anchor)
				continue;
			for (size_t j = 0; j + 1 < m->nkids; j += 2) {
				struct hc_node *v = m->kids[j + 1];
				size_t s, e;
				if (!hc_scalar_is(m->kids[j], key) ||
				    (v->type != HC_MAP && v->type != HC_SEQ) || v->flow ||
				    !v->nkids || v->anchor || v->tag ||
				    hc_same_line(d, v->start, m->kids[j]->start) ||
				    hc_pair_whole_lines(d, m, j / 2, &s, &e) < 0 ||
				    hc_lines_have_comment(d, hc_next_line(d, m->kids[j]->end), e))
					continue;
				struct hc_buf b = HC_BUF_INIT;
				hc_canon(&b, v, 0);
				add_verbatim(&b, d, hc_next_line(d, m->kids[j]->end), e);
				o[n] = (struct occ){.svc_map = m,
				                    .key = m->kids[j],
				                    .val = v,
				                    .idx = j / 2,
				                    .e = e,
				                    .canon = hc_buf_detach(&b, NULL),
				                    .merge_only = merge_only(v)};
				n++;
			}
		}
		whole_values(&p, o, n, key);
		if (!strcmp(key, "environment") && p.rc == 0)
			shared_entries(&p, o, n, key, op->min_entries);
		for (size_t i = 0; i < n; i++)
			free(o[i].canon);
		free(o);
	}
	int minor = hc_swarm_minor(d);
	if (p.moved && p.rc == 0 && minor >= 0 && minor < 4) {
		hc_run_rollback(r, mark); /* then the note, which the rollback would take */
		hc_swarm_lacks(r, skey->start, "repeated blocks", "a top-level x- block", 4);
	} else if (p.moved && p.rc == 0) {
		hc_insert_lines(r, hc_before_services(d, skey), p.blocks.data, p.blocks.len, 0);
		hc_report(r, skey->start, HC_WARNING,
		          "move %zu repeated block%s into x- anchors (%zu anchor%s)", p.moved,
		          p.moved == 1 ? "" : "s", p.names.n, p.names.n == 1 ? "" : "s");
		r->changes++;
	} else if (p.rc != 0) {
		hc_run_rollback(r, mark);
	}
	hc_buf_release(&p.blocks);
	hc_strlist_release(&p.names);
}

const struct hc_transform hc_t_extension_blocks = {
    .id = "extension-blocks",
    .summary = "move blocks repeated in several services into x- anchors they reference",
    .options = blocks_options,
    .nopts = sizeof(blocks_options) / sizeof(blocks_options[0]),
    .opts_size = sizeof(struct blocks_opts),
    .document = blocks_document,
};

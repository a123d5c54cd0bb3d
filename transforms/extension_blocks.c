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
	size_t s, e;     /* the pair's whole lines */
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
	if (hc_reindent(&p->blocks, d->text, s, e, from, to) < 0)
		p->rc = -1;
	hc_buf_adds(&p->blocks, d->style.eol);
}

/* The start of the line after the one holding pos. */
static size_t next_line(const struct hc_doc *d, size_t pos)
{
	while (pos < d->len && d->text[pos] != '\n')
		pos++;
	return pos < d->len ? pos + 1 : pos;
}

/* Appends lines [s, e) with their indentation stripped: blocks must be
 * repeated verbatim (comments included), not just mean the same. */
static void add_verbatim(struct hc_buf *b, const char *t, size_t s, size_t e)
{
	hc_buf_addc(b, '\2');
	while (s < e) {
		while (s < e && t[s] == ' ')
			s++;
		size_t le = s;
		while (le < e && t[le] != '\n')
			le++;
		hc_buf_add(b, t + s, le - s);
		s = le < e ? le + 1 : le;
	}
}

/* Whether lines [s, e) hold a comment (or a '#' that might be one): such
 * blocks stay where they are, so no comment is dropped as a duplicate. */
static bool has_comment(const char *t, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++)
		if (t[i] == '#' && (i == s || t[i - 1] == ' ' || t[i - 1] == '\n'))
			return true;
	return false;
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

/* Whole values: `key:` + block value -> `key: *name`. */
static void whole_values(struct pass *p, struct occ *o, size_t n, const char *key)
{
	const struct hc_doc *d = p->r->doc;
	struct hc_buf name = HC_BUF_INIT;
	for (size_t i = 0; i < n && p->rc == 0; i++) {
		if (o[i].used)
			continue;
		XXH64_hash_t h = XXH3_64bits(o[i].canon, strlen(o[i].canon));
		size_t count = 0;
		for (size_t j = i; j < n; j++)
			if (!o[j].used && XXH3_64bits(o[j].canon, strlen(o[j].canon)) == h &&
			    !strcmp(o[j].canon, o[i].canon))
				count++;
		if (count < 2)
			continue;
		if (o[i].merge_only) {
			already_shared(p, o, n, i, key);
			continue;
		}
		unique_name(p, key, &name);
		struct hc_node *v = o[i].val;
		size_t from = hc_col(d->text, v->type == HC_MAP ? v->kids[0]->start : v->start);
		add_block(p, name.data, next_line(d, o[i].key->end), o[i].e, from,
		          v->type == HC_SEQ);
		for (size_t j = i; j < n; j++) {
			if (o[j].used || XXH3_64bits(o[j].canon, strlen(o[j].canon)) != h ||
			    strcmp(o[j].canon, o[i].canon))
				continue;
			size_t colon = o[j].key->end;
			while (colon < d->len && d->text[colon] != ':')
				colon++;
			struct hc_buf ref = HC_BUF_INIT;
			hc_buf_addf(&ref, " *%s", name.data);
			hc_edits_add(&p->r->edits, colon + 1, colon + 1, ref.data, ref.len);
			hc_buf_release(&ref);
			hc_edits_add(&p->r->edits, next_line(d, o[j].key->end), o[j].e, "", 0);
			o[j].used = true;
			p->moved++;
		}
	}
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
			add_verbatim(&b, d->text, s, e);
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

/* Shared environment entries -> a merged x- block. */
static void shared_entries(struct pass *p, struct occ *o, size_t n, const char *key, int min)
{
	const struct hc_doc *d = p->r->doc;
	if (n < 2 || n > 300)
		return;
	char ***ent = hc_xcalloc(n, sizeof(*ent));
	size_t *cnt = hc_xcalloc(n, sizeof(*cnt));
	for (size_t i = 0; i < n; i++) {
		struct hc_node *v = o[i].val;
		bool ok = !o[i].used && v->type == HC_MAP && !hc_map_get(v, "<<", NULL);
		for (size_t k = 0; ok && k + 1 < v->nkids; k += 2) {
			size_t s, e;
			ok = v->kids[k]->type == HC_SCALAR &&
			     hc_pair_lines(d, v, k / 2, &s, &e) == 0 &&
			     !(e == d->len && !d->style.final_newline) &&
			     !has_comment(d->text, s, e);
		}
		if (ok) {
			ent[i] = entries(d, v);
			cnt[i] = v->nkids / 2;
		}
	}
	/* the pair of environments that share the most entries */
	size_t bi = 0, bj = 0, best = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; ent[i] && j < n; j++) {
			if (!ent[j])
				continue;
			size_t c = 0;
			for (size_t k = 0; k < cnt[i]; k++)
				c += has_entry(ent[j], cnt[j], ent[i][k]);
			if (c > best)
				best = c, bi = i, bj = j;
		}
	if (best >= (size_t)min) {
		struct hc_buf name = HC_BUF_INIT;
		unique_name(p, key, &name);
		hc_buf_addf(&p->blocks, "x-%s: &%s%s", name.data, name.data, d->style.eol);
		struct hc_node *v = o[bi].val;
		size_t from = hc_col(d->text, v->kids[0]->start);
		for (size_t k = 0; k < cnt[bi] && p->rc == 0; k++) {
			if (!has_entry(ent[bj], cnt[bj], ent[bi][k]))
				continue;
			size_t s, e;
			hc_pair_lines(d, v, k, &s, &e);
			if (hc_reindent(&p->blocks, d->text, s, e, from, (size_t)d->style.indent) <
			    0)
				p->rc = -1;
		}
		hc_buf_adds(&p->blocks, d->style.eol);
		/* every environment holding all of those entries merges them */
		for (size_t i = 0; i < n && p->rc == 0; i++) {
			if (!ent[i])
				continue;
			bool all = true;
			for (size_t k = 0; all && k < cnt[bi]; k++)
				if (has_entry(ent[bj], cnt[bj], ent[bi][k]))
					all = has_entry(ent[i], cnt[i], ent[bi][k]);
			if (!all)
				continue;
			for (size_t k = 0; k < cnt[i]; k++) {
				if (!has_entry(ent[bi], cnt[bi], ent[i][k]) ||
				    !has_entry(ent[bj], cnt[bj], ent[i][k]))
					continue;
				size_t s, e;
				hc_pair_lines(d, o[i].val, k, &s, &e);
				hc_edits_add(&p->r->edits, s, e, "", 0);
			}
			if (hc_merge_into(p->r, o[i].key, o[i].val, name.data) < 0)
				p->rc = -1;
			o[i].used = true;
			p->moved++;
		}
		hc_buf_release(&name);
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; ent[i] && k < cnt[i]; k++)
			free(ent[i][k]);
		free(ent[i]);
	}
	free(ent);
	free(cnt);
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
	size_t mark = r->edits.n;
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
				    hc_line_start(d->text, v->start) ==
				        hc_line_start(d->text, m->kids[j]->start) ||
				    hc_pair_lines(d, m, j / 2, &s, &e) < 0 ||
				    (e == d->len && !d->style.final_newline) ||
				    has_comment(d->text, next_line(d, m->kids[j]->end), e))
					continue;
				struct hc_buf b = HC_BUF_INIT;
				hc_canon(&b, v, 0);
				add_verbatim(&b, d->text, next_line(d, m->kids[j]->end), e);
				o[n] = (struct occ){.svc_map = m,
				                    .key = m->kids[j],
				                    .val = v,
				                    .s = s,
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
	if (p.moved && p.rc == 0) {
		hc_edits_add_lines(&r->edits, hc_before_services(d, skey), p.blocks.data,
		                   p.blocks.len, 0);
		hc_report(r, skey->start, HC_WARNING,
		          "move %zu repeated block%s into x- anchors (%zu anchor%s)", p.moved,
		          p.moved == 1 ? "" : "s", p.names.n, p.names.n == 1 ? "" : "s");
		r->changes++;
	} else if (p.rc != 0) {
		while (r->edits.n > mark)
			free(r->edits.v[--r->edits.n].text);
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

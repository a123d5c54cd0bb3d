/*
 * ovtext.c: the overlay as text (overlay.h): overlay values written in
 * block style in a file's own line end and indentation, and an existing
 * overlay extended in place with the keys it lacks, every byte of it kept.
 */
#include "cli/overlay.h"
#include "engine/lines.h"

#include <string.h>

void hc_ov_header(struct hc_buf *b, const char *eol, const char *profile, const char *base_name,
                  const char *overlay_name)
{
	hc_buf_addf(b, "# Made by hardcompose --overlay (profile: %s) from %s: the hardening%s",
	            profile, base_name, eol);
	hc_buf_addf(b, "# as a Compose overlay. Use: docker compose -f %s -f %s up%s", base_name,
	            overlay_name, eol);
	hc_buf_addf(b, "# Re-running hardcompose adds what is missing here; your own keys and%s",
	            eol);
	hc_buf_addf(b, "# comments stay, and a key you set here wins over the hardening's.%s", eol);
}

static void render_pair(struct hc_buf *b, const struct hc_style *st, const char *key,
                        const struct hc_ov *v, size_t col);

/* A plain scalar that flow context would misread gets quotes there. */
static void flow_scalar(struct hc_buf *b, const char *t)
{
	if (t[0] != '"' && t[0] != '\'' && strpbrk(t, ",[]{}#:")) {
		hc_buf_addc(b, '"');
		for (const char *p = t; *p; p++) {
			if (*p == '"' || *p == '\\')
				hc_buf_addc(b, '\\');
			hc_buf_addc(b, *p);
		}
		hc_buf_addc(b, '"');
	} else {
		hc_buf_adds(b, *t ? t : "null");
	}
}

/* v in flow style (a list inside a list). */
static void render_flow(struct hc_buf *b, const struct hc_ov *v)
{
	if (v->tag) {
		hc_buf_adds(b, v->tag);
		hc_buf_addc(b, ' ');
	}
	if (v->type == HC_OV_SCALAR) {
		flow_scalar(b, v->text);
		return;
	}
	hc_buf_addc(b, v->type == HC_OV_SEQ ? '[' : '{');
	for (size_t i = 0; i < v->n; i++) {
		hc_buf_adds(b, i ? ", " : "");
		if (v->type == HC_OV_MAP) {
			flow_scalar(b, v->keys[i]);
			hc_buf_adds(b, ": ");
		}
		render_flow(b, v->kids[i]);
	}
	hc_buf_addc(b, v->type == HC_OV_SEQ ? ']' : '}');
}

/* The entries of collection v owned by a key at column col. */
static void render_kids(struct hc_buf *b, const struct hc_style *st, const struct hc_ov *v,
                        size_t col)
{
	if (v->type == HC_OV_MAP) {
		for (size_t i = 0; i < v->n; i++)
			render_pair(b, st, v->keys[i], v->kids[i], col + (size_t)st->indent);
		return;
	}
	size_t c = col + (size_t)st->seq_indent;
	for (size_t i = 0; i < v->n; i++) {
		const struct hc_ov *it = v->kids[i];
		hc_buf_spaces(b, c);
		hc_buf_adds(b, "-");
		if (it->type == HC_OV_MAP && it->n && !it->tag) {
			hc_buf_addc(b, ' ');
			struct hc_buf first = HC_BUF_INIT;
			/* the first pair goes on the dash's line: written at c + 2,
			 * then its indentation dropped */
			for (size_t k = 0; k < it->n; k++) {
				first.len = 0;
				render_pair(&first, st, it->keys[k], it->kids[k], c + 2);
				size_t skip = k || it->kids[k]->note ? 0 : c + 2;
				hc_buf_add(b, first.data + skip, first.len - skip);
			}
			hc_buf_release(&first);
		} else if (it->type == HC_OV_SCALAR && !it->tag && !*it->text) {
			hc_buf_adds(b, st->eol);
		} else {
			hc_buf_addc(b, ' ');
			render_flow(b, it);
			hc_buf_adds(b, st->eol);
		}
	}
}

/* `key: value` and its line end (and its note above it) at column col. */
static void render_pair(struct hc_buf *b, const struct hc_style *st, const char *key,
                        const struct hc_ov *v, size_t col)
{
	if (v->note) {
		hc_buf_spaces(b, col);
		hc_buf_addf(b, "# %s%s", v->note, st->eol);
	}
	hc_buf_spaces(b, col);
	hc_buf_adds(b, key);
	hc_buf_addc(b, ':');
	if (v->tag) {
		hc_buf_addc(b, ' ');
		hc_buf_adds(b, v->tag);
	}
	if (v->type == HC_OV_SCALAR) {
		if (*v->text) {
			hc_buf_addc(b, ' ');
			hc_buf_adds(b, v->text);
		}
		hc_buf_adds(b, st->eol);
	} else if (!v->n) {
		hc_buf_adds(b, v->type == HC_OV_MAP ? " {}" : " []");
		hc_buf_adds(b, st->eol);
	} else {
		hc_buf_adds(b, st->eol);
		render_kids(b, st, v, col);
	}
}

/* What one merge needs: the old text parsed, the edits, the style. */
struct merge {
	const struct hc_doc *d;
	struct hc_edits *e;
	const struct hc_style *st;
};

/* The key of map (explicit, no merges) written as text, or NULL. */
static struct hc_node *old_get(struct hc_node *map, const char *key)
{
	for (size_t k = 0; k + 1 < map->nkids; k += 2) {
		struct hc_node *kn = map->kids[k];
		if (kn->type != HC_SCALAR)
			continue;
		if (!strcmp(kn->text, key))
			return map->kids[k + 1];
		size_t n = strlen(key); /* a quoted key: "KEY" */
		if (n >= 2 && key[0] == '"' && kn->len == n - 2 &&
		    !memcmp(kn->text, key + 1, n - 2))
			return map->kids[k + 1];
	}
	return NULL;
}

/* Inserts pair key: v at the end of block mapping map. */
static void insert_pair(struct merge *m, struct hc_node *map, const char *key,
                        const struct hc_ov *v)
{
	size_t end = hc_node_content_end(m->d, map);
	size_t col = hc_column(m->d, map->kids[0]->start);
	size_t at = hc_line_end(m->d, end > 0 ? end - 1 : 0);
	struct hc_buf t = HC_BUF_INIT;
	if (at >= m->d->len)
		hc_buf_adds(&t, m->st->eol); /* the last line had no line end */
	else
		at++;
	render_pair(&t, m->st, key, v, col);
	hc_edits_add(m->e, at, at, t.data, t.len);
	hc_buf_release(&t);
}

/* Adds to block mapping map what want has and it lacks; at depth 0 and 1
 * (top-level keys, then services or secrets by name) an entry present on
 * both sides is merged in turn; deeper, the user's entry wins. */
static void merge_map(struct merge *m, struct hc_node *map, const struct hc_ov *want, int depth)
{
	for (size_t i = 0; i < want->n; i++) {
		struct hc_node *old = old_get(map, want->keys[i]);
		if (!old) {
			insert_pair(m, map, want->keys[i], want->kids[i]);
			continue;
		}
		old = hc_deref(old);
		if (depth < 2 && old->type == HC_MAP && !old->flow && old->nkids &&
		    want->kids[i]->type == HC_OV_MAP && !want->kids[i]->tag)
			merge_map(m, old, want->kids[i], depth + 1);
	}
}

int hc_ov_merge(const char *old, size_t olen, const struct hc_ov *want, const struct hc_style *st,
                const char *header, struct hc_buf *out, struct hc_pieces *pieces,
                struct hc_diag *err, const char *name)
{
	struct hc_doc d;
	struct hc_error pe;
	if (hc_doc_parse(&d, old ? old : "", old ? olen : 0, &pe) != 0) {
		hc_diag_set(err, HC_EXIT_INVALID, name, pe.line, pe.col, "%s", pe.msg);
		return -1;
	}
	struct hc_edits e = {0};
	struct hc_style ost = d.root ? d.style : *st;
	int rc = 0;
	if (!d.root) {
		struct hc_buf t = HC_BUF_INIT;
		if (!olen)
			hc_buf_adds(&t, header);
		else if (old[olen - 1] != '\n')
			hc_buf_adds(&t, st->eol);
		for (size_t i = 0; i < want->n; i++)
			render_pair(&t, st, want->keys[i], want->kids[i], 0);
		if (!olen && !want->n) /* nothing to harden: still a Compose file */
			hc_buf_addf(&t, "services: {}%s", st->eol);
		if (t.len)
			hc_edits_add(&e, olen, olen, t.data, t.len);
		hc_buf_release(&t);
	} else if (d.root->type != HC_MAP || d.root->flow || !d.root->nkids) {
		int line, col;
		hc_doc_linecol(&d, d.root->start, &line, &col);
		hc_diag_set(err, HC_EXIT_INVALID, name, line, col,
		            "the overlay is not a block mapping: hardcompose cannot add to it");
		rc = -1;
	} else {
		struct merge m = {&d, &e, &ost};
		merge_map(&m, d.root, want, 0);
	}
	size_t bad;
	if (!rc && hc_edits_apply(&e, old ? old : "", olen, out, pieces, &bad) < 0) {
		hc_diag_set(err, HC_EXIT_VERIFY, name, 0, 0, "the overlay's edits overlap");
		rc = -1;
	}
	hc_edits_clear(&e);
	hc_doc_release(&d);
	return rc;
}

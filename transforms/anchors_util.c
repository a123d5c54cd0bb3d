/*
 * anchors_util.c: helpers shared by the transforms that write top-level x-
 * blocks and merge them (extension-anchors, extension-blocks).
 */
#include "transforms/transform.h"

#include <stdlib.h>
#include <string.h>

/* Canonical form of a value: aliases followed, styles folded. */
void hc_canon(struct hc_buf *b, const struct hc_node *n, int depth)
{
	n = hc_deref((struct hc_node *)n);
	if (!n || depth > 64) {
		hc_buf_adds(b, "~");
		return;
	}
	switch (n->type) {
	case HC_SCALAR:
		if (hc_is_null(n)) {
			hc_buf_adds(b, "~");
			break;
		}
		hc_buf_addc(b, n->style == HC_PLAIN ? 'p' : 'q');
		hc_buf_addu(b, n->len);
		hc_buf_addc(b, ':');
		hc_buf_add(b, n->text, n->len);
		break;
	case HC_SEQ:
		hc_buf_addc(b, '[');
		for (size_t i = 0; i < n->nkids; i++)
			hc_canon(b, n->kids[i], depth + 1), hc_buf_addc(b, ',');
		hc_buf_addc(b, ']');
		break;
	case HC_MAP:
		hc_buf_addc(b, '{');
		for (size_t i = 0; i < n->nkids; i++)
			hc_canon(b, n->kids[i], depth + 1), hc_buf_addc(b, i % 2 ? ',' : ':');
		hc_buf_addc(b, '}');
		break;
	case HC_ALIAS:
		break;
	}
}

bool hc_has_top(struct hc_node *root, const char *name)
{
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addf(&b, "x-%s", name);
	bool r = hc_map_get(root, b.data, NULL) != NULL;
	hc_buf_release(&b);
	return r;
}

bool hc_anchor_used(struct hc_node *n, const char *name, int depth)
{
	if (!n || depth > 200)
		return false;
	if (n->anchor && !strcmp(n->anchor, name))
		return true;
	if (n->type == HC_MAP || n->type == HC_SEQ)
		for (size_t i = 0; i < n->nkids; i++)
			if (hc_anchor_used(n->kids[i], name, depth + 1))
				return true;
	return false;
}

/*
 * Makes the block mapping `map` (the value of owner_key) merge *name:
 * `<<: *name` on the line after owner_key's, or the anchor added to an
 * existing `<<` (`<<: [*a, *name]`). Returns -1 for shapes it does not edit.
 */
int hc_merge_into(struct hc_run *r, struct hc_node *owner_key, struct hc_node *map,
                  const char *name)
{
	const struct hc_doc *d = r->doc;
	struct hc_node *mkey = NULL;
	struct hc_node *merge = hc_map_get(map, "<<", &mkey);
	if (!merge) {
		if (!map->nkids || hc_same_line(d, owner_key->start, map->kids[0]->start))
			return -1;
		size_t col = hc_column(d, map->kids[0]->start);
		size_t p = hc_line_end(d, owner_key->end);
		if (p == d->len)
			return -1;
		struct hc_buf line = HC_BUF_INIT;
		hc_buf_spaces(&line, col);
		hc_buf_addf(&line, "<<: *%s%s", name, d->style.eol);
		hc_insert_lines(r, p + 1, line.data, line.len, col);
		hc_buf_release(&line);
		return 0;
	}
	if (merge->type == HC_ALIAS) {
		struct hc_buf t = HC_BUF_INIT;
		hc_buf_addf(&t, "[*%.*s, *%s]", (int)merge->len, merge->text, name);
		hc_replace_node(r, merge, t.data, t.len);
		hc_buf_release(&t);
		return 0;
	}
	if (merge->type == HC_SEQ) {
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_addf(&b, "*%s", name);
		struct hc_val *it = hc_val_raw(b.data);
		int rc = hc_seq_append(r, mkey, merge, it);
		hc_val_free(it);
		hc_buf_release(&b);
		return rc;
	}
	return -1;
}

/* Where a new top-level x- block goes: before `services:` and the comment
 * lines right above it. */
size_t hc_before_services(const struct hc_doc *d, const struct hc_node *skey)
{
	return hc_above_comments(d, skey->start);
}

/*
 * refs.c: the include: and extends: file: paths of a compose file (refs.h).
 */
#include "cli/refs.h"
#include "base/buf.h"

#include <stdlib.h>

struct refs {
	struct hc_ref *v;
	size_t n, paths, max; /* paths: entries with a node, at most max */
};

static void push(struct refs *r, struct hc_node *node, struct hc_node *item, bool ext, size_t at)
{
	if (node && r->max && r->paths >= r->max)
		return;
	r->paths += node != NULL;
	r->v = hc_xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = (struct hc_ref){node, item, ext, at};
}

static void includes(struct refs *r, struct hc_node *root)
{
	struct hc_node *inc = hc_deref(hc_map_get(root, "include", NULL));
	for (size_t i = 0; inc && inc->type == HC_SEQ && i < inc->nkids; i++) {
		struct hc_node *it = hc_deref(inc->kids[i]);
		if (it && it->type == HC_SCALAR) {
			push(r, it, NULL, false, i);
		} else if (it && it->type == HC_MAP) {
			struct hc_node *p = hc_deref(hc_map_get(it, "path", NULL));
			size_t before = r->n;
			if (p && p->type == HC_SCALAR)
				push(r, p, it, false, i);
			for (size_t k = 0; p && p->type == HC_SEQ && k < p->nkids; k++)
				if (p->kids[k]->type == HC_SCALAR)
					push(r, p->kids[k], it, false, i);
			if (r->n == before)
				push(r, NULL, it, false, i); /* its env_file still counts */
		}
	}
}

size_t hc_refs_find(const struct hc_doc *doc, struct hc_ref **out, size_t max)
{
	struct refs r = {NULL, 0, 0, max};
	struct hc_node *root = doc->root && doc->root->type == HC_MAP ? doc->root : NULL;
	if (root)
		includes(&r, root);
	struct hc_node *svcs = root ? hc_deref(hc_map_get(root, "services", NULL)) : NULL;
	for (size_t i = 0; svcs && svcs->type == HC_MAP && i + 1 < svcs->nkids; i += 2) {
		struct hc_node *s = hc_deref(svcs->kids[i + 1]);
		struct hc_node *ext =
		    s && s->type == HC_MAP ? hc_deref(hc_map_get(s, "extends", NULL)) : NULL;
		struct hc_node *f =
		    ext && ext->type == HC_MAP ? hc_deref(hc_map_get(ext, "file", NULL)) : NULL;
		if (f && f->type == HC_SCALAR && f->len)
			push(&r, f, NULL, true, i);
	}
	*out = r.v;
	return r.n;
}

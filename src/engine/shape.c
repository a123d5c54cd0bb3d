/*
 * shape.c: is a document a compose file by its shape? See shape.h.
 */
#include "engine/shape.h"
#include "base/suggest.h"
#include "yaml/tree.h"

#include <stdio.h>
#include <string.h>

const char *hc_type_name(const struct hc_node *n)
{
	switch (n->type) {
	case HC_MAP:
		return "a mapping";
	case HC_SEQ:
		return "a sequence";
	case HC_ALIAS:
		return "an alias";
	default:
		return "a scalar";
	}
}

/* Why a document is not a compose file by its shape, written into why;
 * false when it may be one: a mapping whose top-level keys are all
 * Compose's (or x-), with services, when present, a mapping of mappings. */
bool hc_not_compose(const struct hc_doc *doc, char *why, size_t size, size_t *pos)
{
	static const char *const top[] = {"version",  "name",    "include", "services", "models",
	                                  "networks", "volumes", "secrets", "configs"};
	struct hc_node *root = doc->root;
	*pos = root ? root->start : 0;
	if (!root || hc_is_null(root))
		return false;
	if (root->type != HC_MAP) {
		snprintf(why, size, "the top level is %s, not a mapping", hc_type_name(root));
		return true;
	}
	for (size_t i = 0; i + 1 < root->nkids; i += 2) {
		const struct hc_node *k = root->kids[i];
		bool ok = k->type == HC_SCALAR && k->len >= 2 && !strncmp(k->text, "x-", 2);
		for (size_t t = 0; !ok && t < sizeof(top) / sizeof(top[0]); t++)
			ok = hc_scalar_is(k, top[t]);
		ok = ok || hc_scalar_is(k, "<<"); /* a merge: its keys are checked by Compose */
		if (!ok && k->type == HC_SCALAR) {
			/* a typo of a Compose key (`servises:`) is a compose file
			 * with a mistake: the schema rule says so */
			struct hc_closest c = HC_CLOSEST_INIT(k->text);
			for (size_t t = 0; t < sizeof(top) / sizeof(top[0]); t++)
				hc_closest_try(&c, top[t]);
			ok = hc_closest_get(&c) != NULL;
		}
		if (!ok) {
			*pos = k->start;
			snprintf(why, size, "its top-level key '%.60s' is not a Compose key",
			         k->type == HC_SCALAR ? k->text : "(a collection)");
			return true;
		}
	}
	struct hc_node *s = hc_deref(hc_map_get(root, "services", NULL));
	if (!s || hc_is_null(s))
		return false;
	*pos = s->start;
	if (s->type != HC_MAP) {
		snprintf(why, size, "'services' is %s, not a mapping", hc_type_name(s));
		return true;
	}
	for (size_t i = 0; i + 1 < s->nkids; i += 2) {
		const struct hc_node *v = hc_deref(s->kids[i + 1]);
		if (v && v->type != HC_MAP && !hc_is_null(v)) {
			*pos = s->kids[i + 1]->start;
			snprintf(why, size, "'services' holds %s, not a mapping", hc_type_name(v));
			return true;
		}
	}
	return false;
}

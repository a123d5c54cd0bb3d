/*
 * refs.h: the other compose files a compose file names: the paths of its
 * `include:` (a string, or an item's `path:`, a string or a list) and of
 * its services' `extends: file:`. Used by the run (walk.c: the files
 * --write, --check and --diff cover) and by preflight (the files it
 * checks); each resolves the paths and follows them its own way.
 */
#ifndef HC_REFS_H
#define HC_REFS_H

#include "yaml/tree.h"

#include <stdbool.h>
#include <stddef.h>

struct hc_ref {
	struct hc_node *node; /* the path as written: a scalar; NULL for an include
	                         item without one (its env_file still counts) */
	struct hc_node *item; /* include: the item when a mapping (its env_file), else NULL */
	bool extends;         /* extends: file: of a service */
	size_t at;            /* the index of the include: item, or of the service's
	                         key in services: */
};

/* The paths doc names, the includes first in order, then the extends in
 * service order; at most max paths (0: no limit). *out is to be freed. */
size_t hc_refs_find(const struct hc_doc *doc, struct hc_ref **out, size_t max);

#endif

/*
 * verify.h: proves that an output means what the input meant, except at the
 * paths the transforms declared.
 */
#ifndef HC_VERIFY_H
#define HC_VERIFY_H

#include "strset.h"
#include "tree.h"

/*
 * Compares a and b (roots of two documents) with merges and aliases
 * resolved and top-level `x-` keys ignored. Paths in `declared` (and
 * anything below them) may differ; `declared` also holds each declared
 * path's prefixes under a leading '\1'. Returns 0 when equal; else -1 with
 * the first differing path in *where (caller frees) and the node of the input
 * closest to it in *at (may be NULL).
 */
int hc_verify(const struct hc_node *a, const struct hc_node *b, const struct hc_strset *declared,
              char **where, const struct hc_node **at);

/* Adds path and its prefixes to a declared-path set. */
void hc_declare_path(struct hc_strset *declared, const char *path);

#endif

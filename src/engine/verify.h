/*
 * verify.h: proves that an output means what the input meant, except at the
 * paths the transforms declared.
 */
#ifndef HC_VERIFY_H
#define HC_VERIFY_H

#include "base/strset.h"
#include "yaml/tree.h"

/*
 * What a transform may do at a declared path. The verifier checks it:
 *   EXTEND  the value grows: a key is added where there was none, a list
 *           keeps every item it had (in order) and gains some, a mapping
 *           keeps every key and gains some, its values growing likewise;
 *   REMOVE  the key is gone;
 *   ANY     anything (a rewritten value, such as a port gaining an address).
 * When transforms declare one path with several kinds, the loosest wins.
 */
enum hc_change { HC_CHANGE_EXTEND, HC_CHANGE_REMOVE, HC_CHANGE_ANY, HC_NCHANGES };

/* The declared paths (JSON-pointer style, "/services/web/ports"): the ones
 * declared with each kind, and every proper prefix of one ("/services/web").
 * Zero-initialised is empty; hc_declared_release frees it. */
struct hc_declared {
	struct hc_strset kind[HC_NCHANGES];
	struct hc_strset prefixes;
};

/* Declares path with kind (and its prefixes). */
void hc_declare_path(struct hc_declared *d, const char *path, enum hc_change kind);

/* Declares under `to` every path declared under `from` (a service that is
 * an alias of another changes with it). */
void hc_declare_copy(struct hc_declared *d, const char *from, const char *to);
void hc_declared_release(struct hc_declared *d);

/*
 * Compares a and b (roots of two documents) with merges and aliases
 * resolved and top-level `x-` keys ignored. Paths in `declared` may differ as
 * their kind allows. Returns 0 when equal; else -1 with the first differing
 * path in *where (caller frees) and the node of the input closest to it in
 * *at (may be NULL).
 */
int hc_verify(const struct hc_node *a, const struct hc_node *b, const struct hc_declared *declared,
              char **where, const struct hc_node **at);

#endif

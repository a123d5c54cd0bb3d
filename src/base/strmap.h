/*
 * strmap.h: a hash map from strings to indexes (xxHash, open addressing),
 * so that lookups stay O(1) with many keys (100,000 secrets in one file).
 *
 * The map does not copy its keys: each must stay valid, unchanged, as long
 * as the map holds it. A zeroed struct is an empty map.
 */
#ifndef HC_STRMAP_H
#define HC_STRMAP_H

#include <stddef.h>

struct hc_strmap {
	const char **keys;
	size_t *vals;
	size_t n, cap; /* cap: 0, or a power of two, at least twice n */
};

/* What hc_strmap_get() returns for a key the map does not hold. */
#define HC_STRMAP_NONE ((size_t)-1)

/* Maps key to val, replacing what key mapped to. */
void hc_strmap_put(struct hc_strmap *m, const char *key, size_t val);
/* The index key maps to, or HC_STRMAP_NONE. */
size_t hc_strmap_get(const struct hc_strmap *m, const char *key);
/* Frees the table (not the keys); the map is empty again. */
void hc_strmap_release(struct hc_strmap *m);

#endif

/*
 * strset.h: a hash set of strings (xxHash, open addressing). Owns its copies.
 */
#ifndef HC_STRSET_H
#define HC_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct hc_strset {
	char **slots;
	size_t n, cap;
};

void hc_strset_add(struct hc_strset *s, const char *str, size_t len);
bool hc_strset_has(const struct hc_strset *s, const char *str, size_t len);
void hc_strset_release(struct hc_strset *s);

/* Iteration, in no particular order: start with *it = 0; each call sets
 * *str (not NUL-terminated) and *len to the next string and returns true,
 * or returns false when there is none left. The set must not change
 * meanwhile. */
bool hc_strset_next(const struct hc_strset *s, size_t *it, const char **str, size_t *len);

#endif

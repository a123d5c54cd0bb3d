/*
 * suggest.h: "did you mean" for a mistyped word: the candidate closest to
 * it by edit distance (letters inserted, deleted, changed or swapped),
 * when close enough to be a typo.
 */
#ifndef HC_SUGGEST_H
#define HC_SUGGEST_H

#include "base/buf.h"

struct hc_closest {
	const char *word; /* what was typed */
	const char *best; /* the closest candidate so far, or NULL */
	size_t dist;
};

#define HC_CLOSEST_INIT(w)                                                                         \
	{                                                                                          \
		(w), NULL, (size_t)-1                                                              \
	}

/* Offers cand (not copied: it must outlive c). */
void hc_closest_try(struct hc_closest *c, const char *cand);
/* Offers each string of the NULL-terminated list. */
void hc_closest_list(struct hc_closest *c, const char *const *cands);
/* The closest candidate if it is near enough to be a typo, else NULL. */
const char *hc_closest_get(const struct hc_closest *c);
/* Appends "; did you mean 'X'?" when there is such a candidate. */
void hc_closest_add(struct hc_buf *b, const struct hc_closest *c);

#endif

/*
 * suggest.c: the closest candidate to a mistyped word (suggest.h).
 */
#include "base/suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Optimal string alignment distance, case folded; words over 64 bytes are
 * never typos of each other here. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int same =
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + !same;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

void hc_closest_try(struct hc_closest *c, const char *cand)
{
	if (!cand || !c->word)
		return;
	size_t d = distance(c->word, cand);
	if (d < c->dist) {
		c->dist = d;
		c->best = cand;
	}
}

void hc_closest_list(struct hc_closest *c, const char *const *cands)
{
	for (size_t i = 0; cands[i]; i++)
		hc_closest_try(c, cands[i]);
}

const char *hc_closest_get(const struct hc_closest *c)
{
	if (!c->best || !strcmp(c->best, c->word))
		return NULL;
	size_t n = strlen(c->word);
	/* one slip in a short word, two in a longer one, a third of a long one */
	size_t most = n <= 4 ? 1 : n <= 9 ? 2 : n / 3;
	return c->dist <= most ? c->best : NULL;
}

void hc_closest_add(struct hc_buf *b, const struct hc_closest *c)
{
	const char *s = hc_closest_get(c);
	if (s)
		hc_buf_addf(b, "; did you mean '%s'?", s);
}

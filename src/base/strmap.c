/*
 * strmap.c: a map from strings (not owned) to indexes. See strmap.h.
 * Linear probing in a table kept at most half full.
 */
#include "base/strmap.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static size_t str_hash(const char *s)
{
	return (size_t)XXH3_64bits(s, strlen(s));
}

void hc_strmap_put(struct hc_strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct hc_strmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = hc_xcalloc(m->cap, sizeof(*m->keys));
		m->vals = hc_xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				hc_strmap_put(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	size_t h = str_hash(key) & (m->cap - 1);
	while (m->keys[h] && strcmp(m->keys[h], key))
		h = (h + 1) & (m->cap - 1);
	if (!m->keys[h])
		m->n++;
	m->keys[h] = key;
	m->vals[h] = val;
}

size_t hc_strmap_get(const struct hc_strmap *m, const char *key)
{
	if (!m->cap)
		return HC_STRMAP_NONE;
	for (size_t h = str_hash(key) & (m->cap - 1); m->keys[h]; h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->keys[h], key))
			return m->vals[h];
	return HC_STRMAP_NONE;
}

void hc_strmap_release(struct hc_strmap *m)
{
	free(m->keys);
	free(m->vals);
	*m = (struct hc_strmap){0};
}

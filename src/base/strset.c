/*
 * strset.c: a string hash set. See strset.h.
 * Each slot holds a length-prefixed copy so lookups need no NUL.
 */
#include "base/strset.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static size_t find_slot(char **slots, size_t cap, const char *str, size_t len)
{
	size_t i = (size_t)XXH3_64bits(str, len) & (cap - 1);
	while (slots[i]) {
		size_t l;
		memcpy(&l, slots[i], sizeof(l));
		if (l == len && !memcmp(slots[i] + sizeof(l), str, len))
			return i;
		i = (i + 1) & (cap - 1);
	}
	return i;
}

static void grow(struct hc_strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	char **slots = hc_xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i])
			continue;
		size_t l;
		memcpy(&l, s->slots[i], sizeof(l));
		slots[find_slot(slots, cap, s->slots[i] + sizeof(l), l)] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
}

void hc_strset_add(struct hc_strset *s, const char *str, size_t len)
{
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	size_t i = find_slot(s->slots, s->cap, str, len);
	if (s->slots[i])
		return;
	char *p = hc_xmalloc(sizeof(len) + len);
	memcpy(p, &len, sizeof(len));
	memcpy(p + sizeof(len), str, len);
	s->slots[i] = p;
	s->n++;
}

bool hc_strset_has(const struct hc_strset *s, const char *str, size_t len)
{
	if (!s->n)
		return false;
	return s->slots[find_slot(s->slots, s->cap, str, len)] != NULL;
}

bool hc_strset_next(const struct hc_strset *s, size_t *it, const char **str, size_t *len)
{
	for (; *it < s->cap; (*it)++) {
		const char *slot = s->slots[*it];
		if (!slot)
			continue;
		memcpy(len, slot, sizeof(*len));
		*str = slot + sizeof(*len);
		(*it)++;
		return true;
	}
	return false;
}

void hc_strset_release(struct hc_strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/*
 * buf.c: growable byte buffers (in the manner of git's strbuf) and a bump
 * arena used for parse trees, which are freed as a whole.
 */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("hardcompose: error: out of memory\n", stderr);
	abort();
}

void *hc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *hc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *hc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *hc_xstrndup(const char *s, size_t n)
{
	char *p = hc_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *hc_xstrdup(const char *s)
{
	return hc_xstrndup(s, strlen(s));
}

void hc_buf_grow(struct hc_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = hc_xrealloc(b->data, cap);
	b->cap = cap;
}

void hc_buf_add(struct hc_buf *b, const void *p, size_t n)
{
	hc_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hc_buf_adds(struct hc_buf *b, const char *s)
{
	hc_buf_add(b, s, strlen(s));
}

void hc_buf_addu(struct hc_buf *b, size_t n)
{
	char num[24];
	size_t k = sizeof(num);
	do
		num[--k] = (char)('0' + n % 10);
	while (n /= 10);
	hc_buf_add(b, num + k, sizeof(num) - k);
}

void hc_buf_addc(struct hc_buf *b, char c)
{
	hc_buf_add(b, &c, 1);
}

void hc_buf_spaces(struct hc_buf *b, size_t n)
{
	hc_buf_grow(b, n);
	memset(b->data + b->len, ' ', n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hc_buf_addf(struct hc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	hc_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *hc_buf_detach(struct hc_buf *b, size_t *len)
{
	if (!b->data)
		hc_buf_grow(b, 0), b->data[0] = '\0';
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void hc_buf_release(struct hc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool hc_strlist_has(const struct hc_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

void hc_strlist_push(struct hc_strlist *l, const char *s, size_t n)
{
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = hc_xstrndup(s, n);
}

void hc_strlist_release(struct hc_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct hc_arena_block {
	struct hc_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *hc_arena_alloc(struct hc_arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct hc_arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		b = hc_xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *hc_arena_strndup(struct hc_arena *a, const char *s, size_t n)
{
	char *p = hc_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void hc_arena_adopt(struct hc_arena *to, struct hc_arena *from)
{
	struct hc_arena_block *b = from->head;
	if (!b)
		return;
	while (b->next)
		b = b->next;
	b->next = to->head;
	to->head = from->head;
	from->head = NULL;
}

void hc_arena_release(struct hc_arena *a)
{
	struct hc_arena_block *b = a->head;
	while (b) {
		struct hc_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
}

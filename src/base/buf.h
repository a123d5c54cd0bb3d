/*
 * buf.h: growable byte buffers and a bump arena.
 *
 * Invariants: a struct hc_buf's `data` is either NULL (empty, never grown) or
 * NUL-terminated at `len`. An arena owns every block it hands out; they are
 * released together by hc_arena_release().
 */
#ifndef HC_BUF_H
#define HC_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct hc_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define HC_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void hc_buf_grow(struct hc_buf *b, size_t extra);
void hc_buf_add(struct hc_buf *b, const void *p, size_t n);
void hc_buf_adds(struct hc_buf *b, const char *s);
void hc_buf_addc(struct hc_buf *b, char c);
void hc_buf_addf(struct hc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hc_buf_spaces(struct hc_buf *b, size_t n);
/* Appends n in decimal (as "%zu", without printf: for hot loops). */
void hc_buf_addu(struct hc_buf *b, size_t n);
/* Gives the data to the caller (never NULL) and resets the buffer. */
char *hc_buf_detach(struct hc_buf *b, size_t *len);
void hc_buf_release(struct hc_buf *b);

/* A list of owned strings. */
struct hc_strlist {
	char **v;
	size_t n;
};

bool hc_strlist_has(const struct hc_strlist *l, const char *s);
void hc_strlist_push(struct hc_strlist *l, const char *s, size_t n);
void hc_strlist_release(struct hc_strlist *l);

struct hc_arena_block;
struct hc_arena {
	struct hc_arena_block *head;
};

void *hc_arena_alloc(struct hc_arena *a, size_t n);
char *hc_arena_strndup(struct hc_arena *a, const char *s, size_t n);
void hc_arena_release(struct hc_arena *a);
/* Moves every block of from into to (from is left empty). */
void hc_arena_adopt(struct hc_arena *to, struct hc_arena *from);

/* Allocation that never returns NULL: out of memory aborts with a message. */
void *hc_xmalloc(size_t n);
void *hc_xcalloc(size_t n, size_t size);
void *hc_xrealloc(void *p, size_t n);
char *hc_xstrdup(const char *s);
char *hc_xstrndup(const char *s, size_t n);

#endif

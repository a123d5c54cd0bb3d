/*
 * tree.h: a located YAML tree built from libfyaml's event stream.
 *
 * Every node knows the byte range it occupies in the text it was parsed
 * from, so transforms can propose edits to that text. The tree and all its
 * strings live in the document's arena; the text itself is borrowed and must
 * outlive the document.
 *
 * Positions: `start` is the first byte of the node; `end` is one past its last
 * byte as libfyaml reports it (for block scalars that includes trailing blank
 * lines; use hc_node_content_end() for the last meaningful byte). A null value
 * written as nothing (`key:`) has `empty` set and start == end == the end of
 * the token before it.
 */
#ifndef HC_TREE_H
#define HC_TREE_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

enum hc_node_type { HC_SCALAR, HC_MAP, HC_SEQ, HC_ALIAS };

enum hc_scalar_style { HC_PLAIN, HC_SINGLE, HC_DOUBLE, HC_LITERAL, HC_FOLDED };

struct hc_node {
	enum hc_node_type type;
	bool flow;  /* flow collection ({} or []) */
	bool empty; /* scalar written as nothing */
	bool bare;  /* flow mapping without braces: `[a: b]` */
	enum hc_scalar_style style;
	size_t start, end;
	const char *text; /* scalar value (unescaped) or alias name */
	size_t len;
	const char *anchor;     /* NULL when none */
	const char *tag;        /* NULL when none */
	struct hc_node *target; /* alias: the anchored node */
	struct hc_node *parent;
	struct hc_node **kids; /* map: key, value, key, value...; seq: items */
	size_t nkids;
	size_t cap;
};

/* The file's own writing habits, detected once per parse. */
struct hc_style {
	const char *eol;    /* "\n" or "\r\n" */
	bool final_newline; /* text ends with a line end */
	bool bom;           /* starts with a UTF-8 byte order mark */
	int indent;         /* step between nested block mappings */
	int seq_indent;     /* column of "- " relative to its parent key */
};

struct hc_error {
	int line, col; /* 1-based; 0 when unknown */
	char msg[256];
};

struct hc_doc {
	struct hc_arena arena;
	const char *text;
	size_t len;
	struct hc_node *root; /* NULL for an empty or comments-only file */
	size_t *lines;        /* byte offset of each line start */
	size_t nlines;
	struct hc_style style;
};

/*
 * Parses `text` (len bytes, borrowed). Returns 0 and fills `doc`, or -1 and
 * fills `err` (doc is then released). Rejects several documents, NUL bytes,
 * invalid UTF-8 and undefined aliases, as Compose does.
 */
int hc_doc_parse(struct hc_doc *doc, const char *text, size_t len, struct hc_error *err);
void hc_doc_release(struct hc_doc *doc);

/* 1-based line and character column of a byte offset. */
void hc_doc_linecol(const struct hc_doc *doc, size_t pos, int *line, int *col);
size_t hc_line_start(const char *text, size_t pos);
/* Byte column of pos within its line. */
size_t hc_col(const char *text, size_t pos);

/* Convenience accessors. A NULL node is allowed where it says so. */
bool hc_scalar_is(const struct hc_node *n, const char *s); /* NULL-safe */
struct hc_node *hc_deref(struct hc_node *n);               /* follows aliases; NULL-safe */
bool hc_is_null(const struct hc_node *n);                  /* empty, ~, null; NULL-safe */
/* The explicit value of key in map (no merges), or NULL. *keyp gets the key. */
struct hc_node *hc_map_get(struct hc_node *map, const char *key, struct hc_node **keyp);
/*
 * The value of key in map, following `<<` merges in Compose's order (explicit
 * keys win, then merge sources first to last). *explicit says which.
 */
struct hc_node *hc_map_lookup(struct hc_node *map, const char *key, bool *explicit);
/* One past the last byte that carries meaning (trailing blank lines of
 * a clipped block scalar excluded). */
size_t hc_node_content_end(const struct hc_doc *doc, const struct hc_node *n);
bool hc_block_scalar_keeps(const struct hc_doc *doc, const struct hc_node *n);

#endif

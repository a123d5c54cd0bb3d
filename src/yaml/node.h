/*
 * node.h: the located tree's types (node, document, style, error) and the
 * positions in its text: what the parser (parse.c) and the queries
 * (tree.c) both build on. Other layers include tree.h.
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
#ifndef HC_NODE_H
#define HC_NODE_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hc_node_type { HC_SCALAR, HC_MAP, HC_SEQ, HC_ALIAS };

enum hc_scalar_style { HC_PLAIN, HC_SINGLE, HC_DOUBLE, HC_LITERAL, HC_FOLDED };

/* 64 bytes on 64-bit machines: positions and counts are 32-bit (hc_doc_parse
 * refuses texts of 4 GiB or more), an alias's target shares the kids'
 * place (an alias has no kids), and a collection's kids array is allocated
 * once, at its exact size, when the collection closes. */
struct hc_node {
	uint32_t start, end;
	uint32_t len;       /* of text */
	uint32_t nkids;     /* map: 2 x pairs; seq: items; 0 for scalars and aliases */
	const char *text;   /* scalar value (unescaped) or alias name */
	const char *anchor; /* NULL when none */
	const char *tag;    /* NULL when none */
	struct hc_node *parent;
	union {
		struct hc_node **kids;  /* map: key, value, key, value...; seq: items */
		struct hc_node *target; /* alias: the anchored node */
	};
	unsigned char type;  /* enum hc_node_type */
	unsigned char style; /* enum hc_scalar_style */
	bool flow;           /* flow collection ({} or []) */
	bool empty;          /* scalar written as nothing */
	bool bare;           /* flow mapping without braces: `[a: b]` */
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
	/* the text is valid YAML but holds several documents (the error is at
	 * the second): not a compose file, which the caller may pass through */
	bool several_docs;
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

/* 1-based line and character column of a byte offset. */
void hc_doc_linecol(const struct hc_doc *doc, size_t pos, int *line, int *col);
size_t hc_line_start(const char *text, size_t pos);
/* Byte column of pos within its line. */
size_t hc_col(const char *text, size_t pos);

/* Sets err to msg at line:col. */
void hc_error_set(struct hc_error *err, int line, int col, const char *msg);

#endif

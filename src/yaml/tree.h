/*
 * tree.h: a located YAML tree built from libfyaml's event stream (types in
 * node.h): parsing a text into it, and the queries transforms make of it.
 */
#ifndef HC_TREE_H
#define HC_TREE_H

#include "yaml/node.h"

/*
 * Parses `text` (len bytes, borrowed). Returns 0 and fills `doc`, or -1 and
 * fills `err` (doc is then released). Rejects several documents, NUL bytes,
 * invalid UTF-8 and undefined aliases, as Compose does.
 */
int hc_doc_parse(struct hc_doc *doc, const char *text, size_t len, struct hc_error *err);
/* From now on, texts of min_bytes or more parse in parts on two threads
 * (parse.c: split_build; the tree is the same); check: also parse them
 * whole and abort on any difference (for tests). Off until called; call
 * it before any parse, never while one runs. */
void hc_doc_parse_split(size_t min_bytes, bool check);
/* How many texts found a cut (tried) and parsed in parts (done) so far. */
void hc_doc_parse_splits(size_t *tried, size_t *done);
void hc_doc_release(struct hc_doc *doc);

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

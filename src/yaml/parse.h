/*
 * parse.h: inside the yaml layer, the tree builder that tree.c calls.
 * Other layers include tree.h.
 */
#ifndef HC_PARSE_H
#define HC_PARSE_H

#include "base/buf.h"
#include "yaml/node.h"

#include <libfyaml.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Builds doc->root from doc->text (checked by hc_doc_parse). Returns 0, or
 * -1 with err set (the caller releases doc). */
int hc_tree_build(struct hc_doc *doc, struct hc_error *err);

/* Anchors by name (a hash table, so 50,000 aliases cost linear time);
 * a later definition shadows an earlier one. */
struct anchors {
	const char **names; /* slots: NULL when empty */
	struct hc_node **nodes;
	size_t n, cap; /* cap: a power of two, over twice n */
};

struct hc_node *hc_anchor_find(struct anchors *a, const char *name);

#define MAX_DEPTH 512

struct builder {
	struct hc_doc *doc;     /* the whole text: positions are absolute */
	struct hc_arena *arena; /* where the nodes go */
	struct hc_node *root;
	size_t off; /* where the parsed part of doc->text starts: added to every mark */
	/* a part of a split parse (see split_build): an alias to no anchor of
	 * the part waits in unres for the parts before it */
	bool defer;
	struct hc_node **unres;
	size_t nunres, cunres;
	struct hc_error *err;
	struct hc_node *stack[MAX_DEPTH];
	size_t base[MAX_DEPTH]; /* where each open collection's kids start in kids */
	int depth;
	/* the kids of the open collections, innermost last: a closing
	 * collection takes its own, at their exact size, into the arena */
	struct hc_node **kids;
	size_t nkids, kcap;
	struct anchors anchors;
	size_t last_end;
	int docs;
	size_t second_doc; /* where the second document starts */
	/* keys of large mappings (services): open addressing over the key
	 * nodes themselves, with their hashes; a key's mapping is its parent */
	struct dupslot {
		uint64_t h;
		struct hc_node *key;
	} * dups;
	size_t ndups, cdups; /* cdups: a power of two, over twice ndups */
};

/* Parses doc->text[from, to) into b (nodes in b->arena, positions
 * absolute); the caller sets b's doc, arena, err (and defer) and releases
 * it with hc_builder_release(). */
int hc_run_builder(struct builder *b, size_t from, size_t to);
void hc_builder_release(struct builder *b);
/* The whole of doc->text into doc->root. */
int hc_build_whole(struct hc_doc *doc, struct hc_error *err);
/* split.c: 1 when the text was parsed in parts into doc->root (a large
 * text, a cut that holds), 0 when it must parse whole. */
int hc_split_build(struct hc_doc *doc, struct hc_error *err);

#endif

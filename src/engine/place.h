/*
 * place.h: where new text goes and how it is written.
 *
 * Values to insert are built as small trees (struct hc_val) and rendered in
 * the file's own style: block or flow to match the collection being
 * extended, the file's indent step and sequence indentation, its line end,
 * and with the final newline (or its absence) kept. See
 * docs/architecture.md for the placement rules.
 */
#ifndef HC_PLACE_H
#define HC_PLACE_H

#include "engine/lines.h"
#include "engine/run.h"

enum hc_val_type { HC_VAL_SCALAR, HC_VAL_SEQ, HC_VAL_MAP };

struct hc_val {
	enum hc_val_type type;
	char *text;           /* scalar, as it must be written (quoted if needed) */
	char **keys;          /* map keys */
	struct hc_val **kids; /* seq items or map values */
	size_t n, cap;
};

/* A plain scalar written as given. */
struct hc_val *hc_val_raw(const char *text);
/* A string scalar, double-quoted when a YAML 1.1 or 1.2 reader could take
 * it for anything other than that string. */
struct hc_val *hc_val_str(const char *text);
struct hc_val *hc_val_seq(void);
struct hc_val *hc_val_map(void);
/* Appends (takes ownership of kid). Returns parent. */
struct hc_val *hc_val_push(struct hc_val *seq, struct hc_val *kid);
struct hc_val *hc_val_put(struct hc_val *map, const char *key, struct hc_val *kid);
void hc_val_free(struct hc_val *v);
bool hc_needs_quotes(const char *s);

/*
 * Adds `key: v` to the mapping that is the value of owner_key. `map` is that
 * value: a block or flow mapping, or a null scalar (`web:`, `web: ~`).
 * Returns 0, or -1 when the shape cannot be extended safely.
 */
int hc_add_pair(struct hc_run *r, struct hc_node *owner_key, struct hc_node *map, const char *key,
                const struct hc_val *v);
/*
 * Appends item to the sequence `seq`, the value of owner_key (block or flow
 * sequence, or a null scalar). Returns 0 or -1 as above.
 */
int hc_seq_append(struct hc_run *r, struct hc_node *owner_key, struct hc_node *seq,
                  const struct hc_val *item);

/*
 * Deletes the pair at index i (of keys) of a block mapping: its whole lines,
 * from the key's line to the end of the value's last line (trailing comment
 * included). Comment lines above it stay. Returns -1 when the pair shares a
 * line with anything else or the mapping is flow.
 */
int hc_delete_pair(struct hc_run *r, struct hc_node *map, size_t i);
/*
 * The whole lines [*start, *end) that pair i of a block mapping occupies
 * (key line to the end of the value's last line, line end included; at the
 * end of a file without a final newline, *end is the text's end).
 * -1 when the pair shares a line with anything else.
 */
int hc_pair_lines(const struct hc_doc *d, const struct hc_node *map, size_t i, size_t *start,
                  size_t *end);
/* As hc_pair_lines, and -1 also when those lines end the file without a
 * line end: a pair whose lines can be copied or moved whole. */
int hc_pair_whole_lines(const struct hc_doc *d, const struct hc_node *map, size_t i, size_t *start,
                        size_t *end);
/* Deletes exactly the lines of pair i (hc_pair_lines), nothing around them:
 * for a pair whose lines move elsewhere. -1 as hc_pair_lines. */
int hc_cut_pair(struct hc_run *r, const struct hc_node *map, size_t i);
/*
 * Pair i of a block mapping has a value on the lines below its key: writes
 * ` text` after the key's colon (`key: *name`) and deletes the value's lines
 * (up to the end of the pair's lines; a comment on the key's line stays).
 * Returns -1 when the pair shares a line with anything else or its value
 * starts on the key's line.
 */
int hc_replace_block_value(struct hc_run *r, const struct hc_node *map, size_t i, const char *text);
/*
 * Deletes item `it` of the block sequence seq with its line: the line must
 * hold only its dash and the item, and perhaps a comment after it. Returns
 * -1 otherwise, for a flow sequence, or on the last line of a file without
 * a final newline.
 */
int hc_delete_item(struct hc_run *r, const struct hc_node *seq, const struct hc_node *it);
/* Replaces the text of node n, [n->start, n->end) (a tag or anchor there
 * included), with len bytes of text. */
void hc_replace_node(struct hc_run *r, const struct hc_node *n, const char *text, size_t len);
/*
 * Inserts whole lines at the line start `at`: text holds them, each ending
 * in the file's line end; depth is their indentation (among inserts at one
 * offset, deeper ones go first: see hc_edits_add_lines).
 */
void hc_insert_lines(struct hc_run *r, size_t at, const char *text, size_t len, size_t depth);
/* Renders the entries of a block collection v owned by a key at column col. */
void hc_render_children(struct hc_buf *b, const struct hc_style *st, const struct hc_val *v,
                        size_t col);

#endif

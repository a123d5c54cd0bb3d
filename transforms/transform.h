/*
 * transform.h: the transforms and what they share.
 *
 * The contract between a transform and the engine (struct hc_transform,
 * its options) is engine/step.h; this header adds the registry and the
 * helpers transforms share.
 *
 * To add a transform:
 *   1. write transforms/<name>.c exporting `const struct hc_transform hc_t_<name>`;
 *   2. add it to the table in transforms/registry.c at its place in the run order;
 *   3. add golden cases under golden/<id>/ (at least: block, flow, merges,
 *      comments, CRLF, 4-space indentation);
 *   4. document it in docs/transforms.md and add it to the profiles it belongs to.
 */
#ifndef HC_TRANSFORM_H
#define HC_TRANSFORM_H

#include "engine/place.h"
#include "engine/run.h"
#include "engine/step.h"
#include "rules/classes.h"

#include <stdbool.h>
#include <stddef.h>

/* The registry: its order is the run order. */
extern const struct hc_transform *const hc_transforms[];
extern const size_t hc_ntransforms;

/* Index of id in the registry, or -1. */
int hc_transform_find(const char *id);

/* Helpers shared by transforms. */
/* Case-insensitive: does the sequence (after aliases) hold a scalar equal to s? */
bool hc_seq_has(struct hc_node *seq, const char *s);
/* Makes the list at `key` contain every item (quoted where YAML needs it):
 * one new list when the key is absent, else appends. 0 when proposed. */
int hc_list_ensure_all(struct hc_run *r, const struct hc_service *s, const char *key,
                       const struct hc_strlist *items);
/*
 * The service's own value of key (not inherited through a merge, not an
 * alias), with its key node in *keyp; NULL when the service does not write
 * it itself. Values a service shares with others are edited at their source.
 */
struct hc_node *hc_own_value(const struct hc_service *s, const char *key, struct hc_node **keyp);
/* Appends "a, b, c". */
void hc_join(struct hc_buf *b, const struct hc_strlist *l);
/* The class of service s, from its image and the profile's table. */
enum hc_class hc_service_class(const struct hc_run *r, const struct hc_service *s);
/*
 * Makes the list at `key` of service s contain `item` (written as given):
 * adds the key, appends to an explicit list in its style, or gives the
 * service its own copy of a list it inherits through a merge. Returns 0 when
 * an edit was proposed, -1 when the shape is not one it edits.
 */
int hc_list_ensure(struct hc_run *r, const struct hc_service *s, const char *key, const char *item);

/* Shared by the x- block transforms (anchors_util.c). */
/* Canonical form of a value (aliases followed, quoting folded) for
 * fingerprints and comparison. */
void hc_canon(struct hc_buf *b, const struct hc_node *n, int depth);
/* Whether the root has a key `x-<name>`; whether an anchor `name` exists. */
bool hc_has_top(struct hc_node *root, const char *name);
bool hc_anchor_used(struct hc_node *n, const char *name, int depth);
/* Makes the block mapping `map` (the value of owner_key) merge *name: a
 * `<<: *name` line first, or the anchor added to its `<<`. -1 for shapes it
 * does not edit. */
int hc_merge_into(struct hc_run *r, struct hc_node *owner_key, struct hc_node *map,
                  const char *name);
/* Where a new top-level block goes: the line of `services:` (key skey),
 * above the comment lines right above it. */
size_t hc_before_services(const struct hc_doc *d, const struct hc_node *skey);

/* Swarm files (swarm.c). The minor version of a top-level `version: "3.x"`
 * ("3" alone is the latest, HC_SWARM_LATEST), or -1 when the file has no 3.x
 * version key. */
#define HC_SWARM_LATEST 99
int hc_swarm_minor(const struct hc_doc *d);
/* Whether the file keeps a 3.x version below 3.<minor>, which lacks `key`:
 * then reports a note at pos (`who`: e.g. `service "web"`, may be NULL)
 * saying which version adds it, and returns true (the caller skips). */
bool hc_swarm_lacks(struct hc_run *r, size_t pos, const char *who, const char *key, int minor);

/* Does another file of the project (run.h's hc_service_other) give service
 * s a `key` list holding item (case-insensitive)? false outside a project. */
bool hc_other_seq_has(const struct hc_service *s, const char *key, const char *item);

#endif

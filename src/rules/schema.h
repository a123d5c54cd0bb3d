/*
 * schema.h: the Compose specification's JSON schema (schema/compose-spec.json,
 * embedded at build time) and a validator for the part of JSON Schema
 * draft-07 it uses: type, properties, patternProperties,
 * additionalProperties, required, enum, pattern, items, uniqueItems,
 * minimum, maximum, oneOf, anyOf, allOf and $ref to #/definitions.
 *
 * The verdict is ajv's on the same file read by js-yaml (tests/schema-rule.sh
 * counts the files where they differ), with one deliberate difference: a
 * string that Compose interpolates (${VAR}, $VAR) is accepted where the
 * schema wants a number, boolean, enum value or pattern, since Compose
 * validates after interpolation.
 *
 * The schema is parsed the first time a check runs (once per process, thread
 * safe), so runs without the `schema` rule never pay for it.
 */
#ifndef HC_SCHEMA_H
#define HC_SCHEMA_H

#include "yaml/tree.h"

/* One finding: the byte offset of the offending node (a key for unknown
 * keys), the instance path ("services.web.ports[0]") and the message. */
typedef void hc_schema_emit(void *ctx, size_t pos, const char *path, const char *msg);

/*
 * Checks the document whose root is `root` (NULL: an empty file, which the
 * schema accepts) and calls `emit` once per position that fails, in the order
 * found. Returns the number of findings, or -1 when the embedded schema does
 * not load (a broken build; nothing is emitted).
 */
int hc_schema_check(struct hc_node *root, hc_schema_emit *emit, void *ctx);

/* The `schema` rule (docs/rules.md#schema): a document rule of hc_rules[]
 * that reports hc_schema_check's findings. */
struct hc_rctx;
void hc_schema_rule(struct hc_rctx *x, struct hc_node *services);

#endif

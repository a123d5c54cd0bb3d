/*
 * schema_load.h: the embedded Compose schema, parsed once (schema_load.c),
 * and the lookups the validator (schema_check.c) makes in it.
 */
#ifndef HC_SCHEMA_LOAD_H
#define HC_SCHEMA_LOAD_H

#include "yaml/tree.h"

/* The schema's root, parsed on first use (thread safe); NULL when the
 * embedded text does not parse. */
struct hc_node *hc_schema_root(void);

/* Keyword `name` of schema object sch (aliases followed), or NULL. */
struct hc_node *hc_schema_kw(struct hc_node *sch, const char *name);

/* The schema a "$ref" value names ("#/definitions/NAME"), or NULL. */
struct hc_node *hc_schema_resolve(struct hc_node *ref);

/* Does s (n bytes) match the schema's regular expression `pattern` (one of
 * the schema's own, compiled at load), searched as ECMAScript does? An
 * unknown pattern matches nothing. */
bool hc_schema_match(const char *pattern, const char *s, size_t n);

#endif

/*
 * schema_inst.h: a YAML node seen as the JSON value a schema validator
 * checks (schema_check.c).
 *
 * Compose files are checked the way `tests/schema.js` checks them with ajv:
 * YAML is read by js-yaml's default schema (YAML 1.2 core, plus timestamps
 * and `<<` merges), so `012` is the integer 12, `yes` is a string, `1.0` is
 * an integer-valued number and `2024-01-01` is a date (an object to ajv).
 * Aliases are followed; merge keys add the keys a mapping does not write.
 */
#ifndef HC_SCHEMA_INST_H
#define HC_SCHEMA_INST_H

#include "yaml/tree.h"

enum hc_jtype {
	HC_J_NULL,
	HC_J_BOOL,
	HC_J_NUM, /* an integer when `integral` */
	HC_J_STR,
	HC_J_OBJ, /* a mapping, or a timestamp (an object without keys) */
	HC_J_ARR,
	HC_J_ANY /* a tag js-yaml does not know: no verdict, never reported */
};

struct hc_inst {
	struct hc_node *at; /* as written (an alias stays an alias) */
	struct hc_node *n;  /* the value: `at` with aliases followed */
	enum hc_jtype t;
	bool integral;     /* HC_J_NUM: a whole finite number */
	bool interpolated; /* HC_J_STR: holds ${VAR} or $VAR */
	double num;        /* HC_J_NUM */
};

/* Classifies the node `at` (NULL: a null). */
void hc_inst_of(struct hc_node *at, struct hc_inst *v);

/* One key of a mapping after merges: the key as js-yaml names it (owned),
 * its node, and its value as written. */
struct hc_entry {
	char *key;
	struct hc_node *knode, *value;
};

struct hc_entries {
	struct hc_entry *v;
	size_t n;
};

/* The keys of mapping `map` (aliases followed; NULL or not a mapping: none):
 * written keys, then the keys `<<` sources add (first source wins). Release
 * with hc_entries_release. */
void hc_entries_of(struct hc_node *map, struct hc_entries *out);
void hc_entries_release(struct hc_entries *e);

/* Deep equality of two values, as ajv's uniqueItems and enum compare them. */
bool hc_inst_equal(struct hc_node *a, struct hc_node *b);

#endif

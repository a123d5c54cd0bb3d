/*
 * json.h: JSON values: a parser, a tree to build, and a compact printer.
 * What the LSP server needs (src/cli/lsp*.c), in place of cJSON, whose
 * shared library was the last one besides glibc the binary linked.
 *
 * The printer writes what cJSON_PrintUnformatted wrote for the same tree
 * (members in insertion order, the same escapes, the same numbers), so
 * the server's messages on the wire did not change.
 *
 * Invariants: a value owns its members, keys and strings; a value is
 * either free or a member of exactly one array or object. Every function
 * taking a value accepts NULL (a lookup finds nothing, a test is false,
 * an add of NULL does nothing). Out of memory aborts (hc_xmalloc).
 */
#ifndef HC_JSON_H
#define HC_JSON_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

enum hc_json_type {
	HC_JSON_NULL,
	HC_JSON_FALSE,
	HC_JSON_TRUE,
	HC_JSON_NUMBER,
	HC_JSON_STRING,
	HC_JSON_ARRAY,
	HC_JSON_OBJECT,
	HC_JSON_RAW, /* text printed as it is (built, never parsed) */
};

struct hc_json {
	struct hc_json *next;  /* the next member of the parent */
	struct hc_json *child; /* the first member (array, object) */
	struct hc_json *last;  /* the last member: adds are O(1) */
	enum hc_json_type type;
	char *key; /* its name in the parent object, or NULL */
	char *str; /* string, raw: NUL-terminated (a \u0000 ends it) */
	double num;
};

/* Nesting deeper than this is refused (cJSON's CJSON_NESTING_LIMIT). */
#define HC_JSON_MAX_DEPTH 1000

/* The value of the JSON text in [text, text + len): one value between
 * optional whitespace (a UTF-8 byte order mark first is skipped), or NULL
 * when it is not JSON (RFC 8259: bad syntax, a control character in a
 * string, a lone surrogate, trailing bytes) or nests too deep. */
struct hc_json *hc_json_parse(const char *text, size_t len);

/* The first member of object o named key (case-sensitive), or NULL. */
struct hc_json *hc_json_get(const struct hc_json *o, const char *key);

bool hc_json_is_number(const struct hc_json *v);
bool hc_json_is_string(const struct hc_json *v);
bool hc_json_is_array(const struct hc_json *v);
bool hc_json_is_object(const struct hc_json *v);
/* v's string when it is one, else NULL. */
const char *hc_json_string(const struct hc_json *v);

/* Each member of array (or object) a, in order; a may be NULL. */
#define hc_json_for_each(e, a) for ((e) = (a) ? (a)->child : NULL; (e); (e) = (e)->next)

/* New values, owned by the caller until added. s is copied. */
struct hc_json *hc_json_object(void);
struct hc_json *hc_json_array(void);
struct hc_json *hc_json_str(const char *s);
struct hc_json *hc_json_number(double n);
struct hc_json *hc_json_bool(bool b);
struct hc_json *hc_json_null(void);
struct hc_json *hc_json_raw(const char *text);
/* An array of the n strings of v. */
struct hc_json *hc_json_strings(const char *const *v, size_t n);
/* A deep copy of v (its key too), or NULL for NULL. */
struct hc_json *hc_json_dup(const struct hc_json *v);

/* Appends item (which it then owns) to array a. */
void hc_json_push(struct hc_json *a, struct hc_json *item);
/* Appends item to object o as member key (copied); an existing member of
 * that name stays (as in cJSON). */
void hc_json_add(struct hc_json *o, const char *key, struct hc_json *item);
void hc_json_add_str(struct hc_json *o, const char *key, const char *s);
void hc_json_add_num(struct hc_json *o, const char *key, double n);
void hc_json_add_bool(struct hc_json *o, const char *key, bool b);
/* A new empty object / array added as member key; it is returned. */
struct hc_json *hc_json_add_object(struct hc_json *o, const char *key);
struct hc_json *hc_json_add_array(struct hc_json *o, const char *key);

/* v as compact JSON text (malloc'd, the caller frees it). */
char *hc_json_print(const struct hc_json *v);
/* Appends s to b as a JSON string, quoted and escaped as the printer does
 * (for messages written without a tree: the server's diagnostics). */
void hc_json_escape(struct hc_buf *b, const char *s);

/* Frees v and all it holds. */
void hc_json_free(struct hc_json *v);

#endif

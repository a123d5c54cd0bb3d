/*
 * schema_load.c: the embedded Compose schema (schema/compose-spec.json,
 * turned into hc_compose_schema[] by cmake/schema-embed.cmake), parsed with
 * the project's YAML reader (JSON is YAML) the first time a check asks for
 * it, and its regular expressions compiled once. See schema_load.h.
 */
#include "rules/schema_load.h"

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char hc_compose_schema[];
extern const size_t hc_compose_schema_len;

struct pattern {
	const char *src; /* the schema's text */
	regex_t re;
};

static struct {
	struct hc_doc doc;
	struct hc_node *root, *defs;
	struct pattern *pat;
	size_t npat;
} S;
static pthread_once_t S_once = PTHREAD_ONCE_INIT;

/* ECMAScript's `.` stops at line ends; POSIX's does not: `.` outside a
 * bracket becomes [^\n\r]. */
static char *to_posix(const char *src)
{
	struct hc_buf b = HC_BUF_INIT;
	bool bracket = false;
	for (const char *p = src; *p; p++) {
		if (*p == '\\' && p[1]) {
			hc_buf_add(&b, p, 2);
			p++;
		} else if (!bracket && *p == '.') {
			hc_buf_adds(&b, "[^\n\r]");
		} else {
			if (*p == '[')
				bracket = true;
			else if (*p == ']')
				bracket = false;
			hc_buf_addc(&b, *p);
		}
	}
	return hc_buf_detach(&b, NULL);
}

static void add_pattern(const char *src)
{
	for (size_t i = 0; i < S.npat; i++)
		if (!strcmp(S.pat[i].src, src))
			return;
	char *posix = to_posix(src);
	regex_t re;
	int rc = regcomp(&re, posix, REG_EXTENDED | REG_NOSUB);
	free(posix);
	if (rc != 0)
		return; /* an unknown pattern matches nothing; tests catch it */
	S.pat = hc_xrealloc(S.pat, (S.npat + 1) * sizeof(*S.pat));
	S.pat[S.npat++] = (struct pattern){src, re};
}

/* Every "pattern" string and patternProperties key under n. */
static void collect(struct hc_node *n)
{
	if (!n || n->type == HC_SCALAR || n->type == HC_ALIAS)
		return;
	for (size_t i = 0; i < n->nkids; i++) {
		struct hc_node *k = n->kids[i];
		if (n->type == HC_MAP && i % 2 == 0) {
			struct hc_node *v = n->kids[i + 1];
			if (hc_scalar_is(k, "pattern") && v->type == HC_SCALAR)
				add_pattern(v->text);
			if (hc_scalar_is(k, "patternProperties") && v->type == HC_MAP)
				for (size_t j = 0; j + 1 < v->nkids; j += 2)
					add_pattern(v->kids[j]->text);
			continue;
		}
		collect(k);
	}
}

static void unload(void)
{
	for (size_t i = 0; i < S.npat; i++)
		regfree(&S.pat[i].re);
	free(S.pat);
	if (S.root)
		hc_doc_release(&S.doc);
	memset(&S, 0, sizeof(S));
}

static void load(void)
{
	struct hc_error e;
	if (hc_doc_parse(&S.doc, hc_compose_schema, hc_compose_schema_len, &e) < 0) {
		fprintf(stderr, "hardcompose: internal error: the embedded schema: %d:%d: %s\n",
		        e.line, e.col, e.msg);
		return;
	}
	S.root = S.doc.root;
	if (!S.root || S.root->type != HC_MAP) {
		hc_doc_release(&S.doc);
		S.root = NULL;
		return;
	}
	S.defs = hc_deref(hc_map_get(S.root, "definitions", NULL));
	collect(S.root);
	atexit(unload);
}

struct hc_node *hc_schema_root(void)
{
	pthread_once(&S_once, load);
	return S.root;
}

struct hc_node *hc_schema_kw(struct hc_node *sch, const char *name)
{
	return hc_deref(hc_map_get(sch, name, NULL));
}

struct hc_node *hc_schema_resolve(struct hc_node *ref)
{
	static const char prefix[] = "#/definitions/";
	if (!ref || ref->type != HC_SCALAR || strncmp(ref->text, prefix, sizeof(prefix) - 1))
		return NULL;
	return hc_schema_kw(S.defs, ref->text + sizeof(prefix) - 1);
}

bool hc_schema_match(const char *pattern, const char *s, size_t n)
{
	for (size_t i = 0; i < S.npat; i++)
		if (!strcmp(S.pat[i].src, pattern)) {
			if (memchr(s, '\0', n))
				return false;
			char *z = hc_xstrndup(s, n);
			bool ok = regexec(&S.pat[i].re, z, 0, NULL, 0) == 0;
			free(z);
			return ok;
		}
	return false;
}

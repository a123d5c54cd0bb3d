/*
 * schema_inst.c: YAML nodes as the JSON values ajv sees after js-yaml reads
 * them. See schema_inst.h.
 */
#include "rules/schema_inst.h"
#include "rules/secret_detect.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && !memcmp(s, w, n);
}

static bool all_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]) || !s[i])
			return false;
	return n > 0;
}

/* js-yaml's resolveYamlInteger: [-+]? then 0b.., 0x.., 0o.. or digits. */
static bool is_int(const char *s, size_t n)
{
	size_t i = n && (s[0] == '-' || s[0] == '+');
	if (i == n)
		return false;
	if (s[i] == '0' && i + 1 < n) {
		const char *d = s + i + 2;
		size_t m = n - i - 2;
		if (s[i + 1] == 'b')
			return all_of(d, m, "01");
		if (s[i + 1] == 'x')
			return all_of(d, m, "0123456789abcdefABCDEF");
		if (s[i + 1] == 'o')
			return all_of(d, m, "01234567");
	}
	return all_of(s + i, n - i, "0123456789");
}

static double int_value(const char *s, size_t n)
{
	char b[128];
	snprintf(b, sizeof(b), "%.*s", (int)(n < 120 ? n : 120), s);
	char *p = b;
	double sign = 1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'b' || p[1] == 'x' || p[1] == 'o')) {
		base = p[1] == 'b' ? 2 : p[1] == 'x' ? 16 : 8;
		p += 2;
	}
	double v = 0;
	for (; *p; p++)
		v = v * base + (isdigit((unsigned char)*p) ? *p - '0' : tolower(*p) - 'a' + 10);
	return sign * v;
}

/* js-yaml's float: [-+]?digits(.digits*)?(e[-+]?digits)?, .digits(e..)?,
 * [-+]?.inf, .nan; finite unless written as inf or nan. */
static bool is_float(const char *s, size_t n, double *v)
{
	char b[128];
	if (n == 0 || n > 120)
		return false;
	snprintf(b, sizeof(b), "%.*s", (int)n, s);
	const char *p = b + (b[0] == '-' || b[0] == '+');
	const char *specials[] = {".inf", ".Inf", ".INF"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(p, specials[i])) {
			*v = b[0] == '-' ? -INFINITY : INFINITY;
			return true;
		}
	if (!strcmp(b, ".nan") || !strcmp(b, ".NaN") || !strcmp(b, ".NAN")) {
		*v = NAN;
		return true;
	}
	if (p != b && *p == '.')
		return false; /* "-.5" is a string to js-yaml */
	size_t d = strspn(p, "0123456789");
	const char *q = p + d;
	if (*q == '.')
		q += 1 + strspn(q + 1, "0123456789");
	if (d == 0 && (*p != '.' || q == p + 1))
		return false;
	if (*q == 'e' || *q == 'E') {
		q++;
		q += *q == '-' || *q == '+';
		size_t e = strspn(q, "0123456789");
		if (!e)
			return false;
		q += e;
	}
	if (*q)
		return false;
	*v = strtod(b, NULL);
	return isfinite(*v);
}

/* js-yaml's timestamp: YYYY-MM-DD, or with a time [Tt ]HH:MM:SS(.f)?(Z|±HH(:MM)?)? */
static bool is_timestamp(const char *s, size_t n)
{
	char b[64];
	if (n < 10 || n > 60)
		return false;
	snprintf(b, sizeof(b), "%.*s", (int)n, s);
	int y, mo, d, h, mi, se, c = 0;
	if (n == 10 && sscanf(b, "%4d-%2d-%2d%n", &y, &mo, &d, &c) == 3 && c == 10)
		return all_of(b, 4, "0123456789") && b[4] == '-' && b[7] == '-';
	if (!all_of(b, 4, "0123456789") || b[4] != '-')
		return false;
	const char *p = b + 5;
	size_t k = strspn(p, "0123456789");
	if (k < 1 || k > 2 || p[k] != '-')
		return false;
	p += k + 1;
	k = strspn(p, "0123456789");
	if (k < 1 || k > 2)
		return false;
	p += k;
	if (*p == 'T' || *p == 't')
		p++;
	else if (*p == ' ' || *p == '\t')
		p += strspn(p, " \t");
	else
		return false;
	if (sscanf(p, "%2d:%2d:%2d%n", &h, &mi, &se, &c) != 3)
		return false;
	k = strspn(p, "0123456789");
	if (k < 1 || k > 2 || strspn(p + k + 1, "0123456789") != 2 ||
	    strspn(p + k + 4, "0123456789") != 2)
		return false;
	p += k + 6;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	p += strspn(p, " \t");
	if (*p == 'Z')
		return p[1] == '\0';
	if (*p != '+' && *p != '-')
		return *p == '\0' && p[-1] != ' ' && p[-1] != '\t';
	p++;
	k = strspn(p, "0123456789");
	if (k < 1 || k > 2)
		return false;
	p += k;
	if (*p == ':')
		return strspn(p + 1, "0123456789") == 2 && p[3] == '\0';
	return *p == '\0';
}

/* The type a tag names: "!!str", "tag:yaml.org,2002:str", "!" (non-specific). */
static bool tagged(const char *tag, const char *name)
{
	const char *p = !strncmp(tag, "!!", 2)                    ? tag + 2
	                : !strncmp(tag, "tag:yaml.org,2002:", 18) ? tag + 18
	                                                          : NULL;
	return p && !strcmp(p, name);
}

/* A whole finite number (no libm: floor() would need it). */
static bool whole(double x)
{
	return isfinite(x) && (x > 9e18 || x < -9e18 || x == (double)(long long)x);
}

static void plain(struct hc_inst *v, const char *s, size_t n)
{
	if (!n || is(s, n, "~") || is(s, n, "null") || is(s, n, "Null") || is(s, n, "NULL"))
		v->t = HC_J_NULL;
	else if (is(s, n, "true") || is(s, n, "True") || is(s, n, "TRUE") || is(s, n, "false") ||
	         is(s, n, "False") || is(s, n, "FALSE"))
		v->t = HC_J_BOOL;
	else if (is_int(s, n))
		v->t = HC_J_NUM, v->num = int_value(s, n), v->integral = whole(v->num);
	else if (is_float(s, n, &v->num))
		v->t = HC_J_NUM, v->integral = whole(v->num);
	else if (is_timestamp(s, n))
		v->t = HC_J_OBJ;
	else
		v->t = HC_J_STR;
}

static void scalar(struct hc_inst *v)
{
	const struct hc_node *n = v->n;
	const char *tag = n->tag;
	if (tag && !strcmp(tag, "!"))
		v->t = HC_J_STR;
	else if (tag && tagged(tag, "str"))
		v->t = HC_J_STR;
	else if (tag && (tagged(tag, "int") || tagged(tag, "float") || tagged(tag, "bool") ||
	                 tagged(tag, "null")))
		plain(v, n->text, n->len); /* as written; js-yaml checks it fits */
	else if (tag)
		v->t = HC_J_ANY;
	else if (n->style != HC_PLAIN)
		v->t = HC_J_STR;
	else
		plain(v, n->empty ? "" : n->text, n->empty ? 0 : n->len);
	if (v->t == HC_J_STR)
		v->interpolated = hc_interpolates(n->text, n->len);
}

void hc_inst_of(struct hc_node *at, struct hc_inst *v)
{
	memset(v, 0, sizeof(*v));
	v->at = at;
	v->n = hc_deref(at);
	if (!v->n) {
		v->t = HC_J_NULL;
		return;
	}
	if (v->n->type == HC_SCALAR) {
		scalar(v);
		return;
	}
	bool known = !v->n->tag || tagged(v->n->tag, "map") || tagged(v->n->tag, "seq");
	v->t = !known ? HC_J_ANY : v->n->type == HC_MAP ? HC_J_OBJ : HC_J_ARR;
}

/* ---- mappings after merges ----------------------------------------------- */

/* A key as js-yaml names it: null, booleans and integers in their JS form. */
static char *key_name(struct hc_node *k)
{
	struct hc_inst v;
	hc_inst_of(k, &v);
	if (!v.n || v.n->type != HC_SCALAR)
		return hc_xstrdup("[object Object]");
	if (v.t == HC_J_NULL)
		return hc_xstrdup("null");
	if (v.t == HC_J_BOOL)
		return hc_xstrdup(tolower((unsigned char)v.n->text[0]) == 't' ? "true" : "false");
	if (v.t == HC_J_NUM && v.integral && v.num > -1e15 && v.num < 1e15) {
		char b[32];
		snprintf(b, sizeof(b), "%.0f", v.num == 0 ? 0.0 : v.num);
		return hc_xstrdup(b);
	}
	return hc_xstrndup(v.n->text, v.n->len);
}

static bool has(const struct hc_entries *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].key, key))
			return true;
	return false;
}

static bool is_merge(const struct hc_node *k)
{
	return k->type == HC_SCALAR && k->style == HC_PLAIN && !k->tag && is(k->text, k->len, "<<");
}

static void add_entries(struct hc_node *map, struct hc_entries *out, int depth)
{
	if (!map || map->type != HC_MAP || depth > 32)
		return;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		if (is_merge(map->kids[i]))
			continue;
		char *key = key_name(map->kids[i]);
		if (has(out, key)) {
			free(key);
			continue;
		}
		out->v = hc_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = (struct hc_entry){key, map->kids[i], map->kids[i + 1]};
	}
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		if (!is_merge(map->kids[i]))
			continue;
		struct hc_node *src = hc_deref(map->kids[i + 1]);
		if (src && src->type == HC_SEQ)
			for (size_t k = 0; k < src->nkids; k++)
				add_entries(hc_deref(src->kids[k]), out, depth + 1);
		else
			add_entries(src, out, depth + 1);
	}
}

void hc_entries_of(struct hc_node *map, struct hc_entries *out)
{
	memset(out, 0, sizeof(*out));
	add_entries(map, out, 0);
}

void hc_entries_release(struct hc_entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].key);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* ---- equality -------------------------------------------------------------- */

static bool equal_maps(struct hc_node *a, struct hc_node *b, int depth);

static bool equal_depth(struct hc_node *a, struct hc_node *b, int depth)
{
	struct hc_inst x, y;
	if (hc_deref(a) == hc_deref(b))
		return true; /* the same node (aliases): no walk through a bomb */
	hc_inst_of(a, &x);
	hc_inst_of(b, &y);
	if (x.t != y.t || depth > 32)
		return false;
	switch (x.t) {
	case HC_J_NULL:
		return true;
	case HC_J_NUM:
		return x.num == y.num;
	case HC_J_BOOL:
		return tolower((unsigned char)x.n->text[0]) == tolower((unsigned char)y.n->text[0]);
	case HC_J_ARR:
		if (x.n->nkids != y.n->nkids)
			return false;
		for (size_t i = 0; i < x.n->nkids; i++)
			if (!equal_depth(x.n->kids[i], y.n->kids[i], depth + 1))
				return false;
		return true;
	case HC_J_OBJ:
		if (x.n->type != HC_MAP || y.n->type != HC_MAP)
			return x.n->type == y.n->type && x.n->len == y.n->len &&
			       !memcmp(x.n->text, y.n->text, x.n->len);
		return equal_maps(x.n, y.n, depth);
	default:
		return x.n->len == y.n->len && !memcmp(x.n->text, y.n->text, x.n->len);
	}
}

static bool equal_maps(struct hc_node *a, struct hc_node *b, int depth)
{
	struct hc_entries x, y;
	hc_entries_of(a, &x);
	hc_entries_of(b, &y);
	bool same = x.n == y.n;
	for (size_t i = 0; same && i < x.n; i++) {
		size_t k = 0;
		while (k < y.n && strcmp(x.v[i].key, y.v[k].key))
			k++;
		same = k < y.n && equal_depth(x.v[i].value, y.v[k].value, depth + 1);
	}
	hc_entries_release(&x);
	hc_entries_release(&y);
	return same;
}

bool hc_inst_equal(struct hc_node *a, struct hc_node *b)
{
	return equal_depth(a, b, 0);
}

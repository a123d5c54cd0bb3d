/*
 * json.c: JSON values (json.h): a recursive-descent parser of RFC 8259
 * text, the tree, and a compact printer that writes byte for byte what
 * cJSON 1.7's cJSON_PrintUnformatted wrote (tests/test_json.c).
 *
 * Numbers go through strtod and printf, which read and write '.' because
 * the program never calls setlocale (it runs in the "C" locale).
 */
#include "base/json.h"
#include "base/buf.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tree ---- */

static struct hc_json *node(enum hc_json_type type)
{
	struct hc_json *v = hc_xcalloc(1, sizeof(*v));
	v->type = type;
	return v;
}

struct hc_json *hc_json_object(void)
{
	return node(HC_JSON_OBJECT);
}

struct hc_json *hc_json_array(void)
{
	return node(HC_JSON_ARRAY);
}

/* cJSON made no string of NULL, and adding that nothing added nothing. */
struct hc_json *hc_json_str(const char *s)
{
	if (!s)
		return NULL;
	struct hc_json *v = node(HC_JSON_STRING);
	v->str = hc_xstrdup(s);
	return v;
}

struct hc_json *hc_json_number(double n)
{
	struct hc_json *v = node(HC_JSON_NUMBER);
	v->num = n;
	return v;
}

struct hc_json *hc_json_bool(bool b)
{
	return node(b ? HC_JSON_TRUE : HC_JSON_FALSE);
}

struct hc_json *hc_json_null(void)
{
	return node(HC_JSON_NULL);
}

struct hc_json *hc_json_raw(const char *text)
{
	if (!text)
		return NULL;
	struct hc_json *v = node(HC_JSON_RAW);
	v->str = hc_xstrdup(text);
	return v;
}

struct hc_json *hc_json_strings(const char *const *v, size_t n)
{
	struct hc_json *a = hc_json_array();
	for (size_t i = 0; i < n; i++)
		hc_json_push(a, hc_json_str(v[i]));
	return a;
}

void hc_json_push(struct hc_json *a, struct hc_json *item)
{
	if (!a || !item || item == a)
		return;
	if (a->last)
		a->last->next = item;
	else
		a->child = item;
	a->last = item;
	item->next = NULL;
}

void hc_json_add(struct hc_json *o, const char *key, struct hc_json *item)
{
	if (!o || !key || !item || item == o)
		return;
	free(item->key);
	item->key = hc_xstrdup(key);
	hc_json_push(o, item);
}

void hc_json_add_str(struct hc_json *o, const char *key, const char *s)
{
	if (o && s)
		hc_json_add(o, key, hc_json_str(s));
}

void hc_json_add_num(struct hc_json *o, const char *key, double n)
{
	if (o)
		hc_json_add(o, key, hc_json_number(n));
}

void hc_json_add_bool(struct hc_json *o, const char *key, bool b)
{
	if (o)
		hc_json_add(o, key, hc_json_bool(b));
}

struct hc_json *hc_json_add_object(struct hc_json *o, const char *key)
{
	if (!o || !key)
		return NULL;
	struct hc_json *v = hc_json_object();
	hc_json_add(o, key, v);
	return v;
}

struct hc_json *hc_json_add_array(struct hc_json *o, const char *key)
{
	if (!o || !key)
		return NULL;
	struct hc_json *v = hc_json_array();
	hc_json_add(o, key, v);
	return v;
}

struct hc_json *hc_json_dup(const struct hc_json *v)
{
	if (!v)
		return NULL;
	struct hc_json *d = node(v->type);
	d->num = v->num;
	d->key = v->key ? hc_xstrdup(v->key) : NULL;
	d->str = v->str ? hc_xstrdup(v->str) : NULL;
	for (const struct hc_json *c = v->child; c; c = c->next)
		hc_json_push(d, hc_json_dup(c));
	return d;
}

/* Siblings in a loop, members by recursion: as deep as the tree nests,
 * which the parser bounds. */
void hc_json_free(struct hc_json *v)
{
	while (v) {
		struct hc_json *next = v->next;
		hc_json_free(v->child);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

struct hc_json *hc_json_get(const struct hc_json *o, const char *key)
{
	if (!o || !key || o->type != HC_JSON_OBJECT)
		return NULL;
	for (struct hc_json *c = o->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

bool hc_json_is_number(const struct hc_json *v)
{
	return v && v->type == HC_JSON_NUMBER;
}

bool hc_json_is_string(const struct hc_json *v)
{
	return v && v->type == HC_JSON_STRING;
}

bool hc_json_is_array(const struct hc_json *v)
{
	return v && v->type == HC_JSON_ARRAY;
}

bool hc_json_is_object(const struct hc_json *v)
{
	return v && v->type == HC_JSON_OBJECT;
}

const char *hc_json_string(const struct hc_json *v)
{
	return hc_json_is_string(v) ? v->str : NULL;
}

/* ---- the parser ---- */

struct parser {
	const unsigned char *p, *end;
	int depth; /* arrays and objects open */
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

/* The value of 4 hex digits at p, or -1. */
static long hex4(const unsigned char *p)
{
	long h = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		h = h * 16 + d;
	}
	return h;
}

/* Decodes the \u escape at *pp (its backslash; one UTF-16 unit, or a
 * surrogate pair of two) before end as UTF-8 into *out. false when the
 * digits are no hex or a surrogate is alone. */
static bool unicode(const unsigned char **pp, const unsigned char *end, char **out)
{
	const unsigned char *p = *pp;
	long c = end - p >= 6 ? hex4(p + 2) : -1;
	if (c < 0 || (c >= 0xDC00 && c <= 0xDFFF))
		return false;
	p += 6;
	if (c >= 0xD800 && c <= 0xDBFF) { /* the high half: the low one follows */
		long lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return false;
		c = 0x10000 + (((c & 0x3FF) << 10) | (lo & 0x3FF));
		p += 6;
	}
	unsigned char *o = (unsigned char *)*out;
	if (c < 0x80) {
		*o++ = (unsigned char)c;
	} else if (c < 0x800) {
		*o++ = (unsigned char)(0xC0 | (c >> 6));
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (unsigned char)(0xE0 | (c >> 12));
		*o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | (c >> 18));
		*o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (c & 0x3F));
	}
	*out = (char *)o;
	*pp = p;
	return true;
}

/* The string at ps->p (its opening quote), decoded (malloc'd), or NULL.
 * A first pass finds the closing quote: the text is never shorter than
 * what it decodes to, so that length is enough room. */
static char *string(struct parser *ps)
{
	const unsigned char *p = ps->p + 1, *q = p;
	bool plain = true;
	while (q < ps->end && *q != '"') {
		if (*q < 0x20)
			return NULL; /* a control character must be escaped */
		if (*q == '\\') {
			plain = false;
			q++;
		}
		q++;
	}
	if (q >= ps->end)
		return NULL;
	char *s = hc_xmalloc((size_t)(q - p) + 1), *o = s;
	if (plain) {
		memcpy(s, p, (size_t)(q - p));
		o += q - p;
	}
	while (!plain && p < q) {
		const unsigned char *run = p;
		while (p < q && *p != '\\')
			p++;
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		if (p == q)
			break;
		char e = 0;
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
			e = (char)p[1];
			break;
		case 'b':
			e = '\b';
			break;
		case 'f':
			e = '\f';
			break;
		case 'n':
			e = '\n';
			break;
		case 'r':
			e = '\r';
			break;
		case 't':
			e = '\t';
			break;
		case 'u':
			if (!unicode(&p, q, &o))
				goto bad;
			continue;
		default:
			goto bad;
		}
		*o++ = e;
		p += 2;
	}
	*o = 0;
	ps->p = q + 1;
	return s;
bad:
	free(s);
	return NULL;
}

static const unsigned char *digits(const unsigned char *p, const unsigned char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* A number by RFC 8259's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static struct hc_json *number(struct parser *ps)
{
	const unsigned char *p = ps->p, *end = ps->end, *d;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((d = digits(p, end)) > p)
		p = d;
	else
		return NULL;
	if (p < end && *p == '.') {
		if ((d = digits(p + 1, end)) == p + 1)
			return NULL;
		p = d;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((d = digits(p, end)) == p)
			return NULL;
		p = d;
	}
	/* strtod wants the end marked: a copy, on the stack when short */
	size_t n = (size_t)(p - ps->p);
	char small[64], *t = n < sizeof(small) ? small : hc_xmalloc(n + 1);
	memcpy(t, ps->p, n);
	t[n] = 0;
	struct hc_json *v = hc_json_number(strtod(t, NULL));
	if (t != small)
		free(t);
	ps->p = p;
	return v;
}

static struct hc_json *value(struct parser *ps);

/* The members of the array or object at ps->p (its bracket), or NULL. */
static struct hc_json *container(struct parser *ps, bool object)
{
	if (ps->depth >= HC_JSON_MAX_DEPTH)
		return NULL;
	ps->depth++;
	struct hc_json *c = object ? hc_json_object() : hc_json_array();
	char close = object ? '}' : ']';
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close)
		goto done;
	for (;;) {
		char *key = NULL;
		if (object) {
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != '"' || !(key = string(ps)))
				goto bad;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				goto bad;
			}
			ps->p++;
		}
		struct hc_json *m = value(ps);
		if (!m) {
			free(key);
			goto bad;
		}
		m->key = key;
		hc_json_push(c, m);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close)
			break;
		goto bad;
	}
done:
	ps->p++;
	ps->depth--;
	return c;
bad:
	hc_json_free(c);
	return NULL;
}

/* The value at ps->p, whitespace before it skipped, or NULL. */
static struct hc_json *value(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return NULL;
	switch (*ps->p) {
	case '{':
		return container(ps, true);
	case '[':
		return container(ps, false);
	case '"': {
		char *s = string(ps);
		struct hc_json *v = s ? node(HC_JSON_STRING) : NULL;
		if (v)
			v->str = s;
		return v;
	}
	case 't':
		return literal(ps, "true") ? hc_json_bool(true) : NULL;
	case 'f':
		return literal(ps, "false") ? hc_json_bool(false) : NULL;
	case 'n':
		return literal(ps, "null") ? hc_json_null() : NULL;
	default:
		return number(ps);
	}
}

struct hc_json *hc_json_parse(const char *text, size_t len)
{
	if (!text)
		return NULL;
	struct parser ps = {(const unsigned char *)text, (const unsigned char *)text + len, 0};
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		ps.p += 3; /* a byte order mark, which cJSON skipped too */
	struct hc_json *v = value(&ps);
	skip_ws(&ps);
	if (v && ps.p != ps.end) { /* trailing bytes */
		hc_json_free(v);
		v = NULL;
	}
	return v;
}

/* ---- the printer ---- */

/* s as a JSON string, escaped as cJSON did: the short escapes where JSON
 * has them, \u00xx (lowercase) for the other control characters, every
 * other byte (UTF-8, DEL, '/') as it is. */
void hc_json_escape(struct hc_buf *b, const char *s)
{
	hc_buf_addc(b, '"');
	for (;;) {
		const unsigned char *p = (const unsigned char *)s;
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		hc_buf_add(b, s, (size_t)((const char *)p - s));
		s = (const char *)p;
		if (!*p)
			break;
		static const char hex[] = "0123456789abcdef";
		char e[6] = {'\\', 0};
		size_t n = 2;
		switch (*p) {
		case '"':
			e[1] = '"';
			break;
		case '\\':
			e[1] = '\\';
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[*p >> 4];
			e[5] = hex[*p & 15];
			n = 6;
		}
		hc_buf_add(b, e, n);
		s++;
	}
	hc_buf_addc(b, '"');
}

/* cJSON's "equal": within a relative DBL_EPSILON, not exactly. */
static bool near(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= m * DBL_EPSILON;
}

/* A number as cJSON 1.7.15 printed it: null for NaN and infinities, else
 * "%1.15g", or "%1.17g" when that does not read back as (nearly) the same
 * double. Integers so print without a point; -0 prints "-0". */
static void print_number(struct hc_buf *b, double d)
{
	char t[32];
	if (isnan(d) || isinf(d)) {
		hc_buf_adds(b, "null");
		return;
	}
	snprintf(t, sizeof(t), "%1.15g", d);
	if (!near(strtod(t, NULL), d))
		snprintf(t, sizeof(t), "%1.17g", d);
	hc_buf_adds(b, t);
}

static void print(struct hc_buf *b, const struct hc_json *v)
{
	switch (v->type) {
	case HC_JSON_NULL:
		hc_buf_adds(b, "null");
		break;
	case HC_JSON_FALSE:
		hc_buf_adds(b, "false");
		break;
	case HC_JSON_TRUE:
		hc_buf_adds(b, "true");
		break;
	case HC_JSON_NUMBER:
		print_number(b, v->num);
		break;
	case HC_JSON_STRING:
		hc_json_escape(b, v->str ? v->str : "");
		break;
	case HC_JSON_RAW:
		hc_buf_adds(b, v->str ? v->str : "");
		break;
	case HC_JSON_ARRAY:
	case HC_JSON_OBJECT: {
		bool obj = v->type == HC_JSON_OBJECT;
		hc_buf_addc(b, obj ? '{' : '[');
		for (const struct hc_json *c = v->child; c; c = c->next) {
			if (c != v->child)
				hc_buf_addc(b, ',');
			if (obj) {
				hc_json_escape(b, c->key ? c->key : "");
				hc_buf_addc(b, ':');
			}
			print(b, c);
		}
		hc_buf_addc(b, obj ? '}' : ']');
		break;
	}
	}
}

char *hc_json_print(const struct hc_json *v)
{
	if (!v)
		return NULL;
	struct hc_buf b = HC_BUF_INIT;
	print(&b, v);
	return hc_buf_detach(&b, NULL);
}

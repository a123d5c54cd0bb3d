/*
 * heap.c: what a service's own text says about the memory it will use (see
 * heap.h). Shared by the resource-limits transform (which sizes a limit from
 * it) and the limit-below-heap rule (which checks a limit against it).
 */
#include "rules/heap.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MIB (1024LL * 1024)

int64_t hc_parse_size(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	int64_t whole = 0, frac = 0, scale = 1;
	size_t digits = 0;
	for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
		if (whole > INT64_MAX / 16)
			return -1;
		whole = whole * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdigit((unsigned char)s[i]); i++)
			if (scale < 1000000)
				frac = frac * 10 + (s[i] - '0'), scale *= 10;
	}
	if (!digits)
		return -1;
	if (i < n && s[i] == ' ')
		i++;
	int64_t mult = 1;
	if (i < n) {
		switch (tolower((unsigned char)s[i])) {
		case 'b':
			mult = 1;
			break;
		case 'k':
			mult = 1024;
			break;
		case 'm':
			mult = 1024 * 1024;
			break;
		case 'g':
			mult = 1024LL * 1024 * 1024;
			break;
		case 't':
			mult = 1024LL * 1024 * 1024 * 1024;
			break;
		default:
			return -1;
		}
		if (tolower((unsigned char)s[i]) != 'b') {
			i++;
			if (i < n && tolower((unsigned char)s[i]) == 'i')
				i++;
			if (i < n && tolower((unsigned char)s[i]) == 'b')
				i++;
		} else {
			i++;
		}
	}
	if (i != n || whole > INT64_MAX / mult / 2)
		return -1;
	return whole * mult + frac * mult / scale;
}

static void heap_found(struct hc_heap *z, int64_t v, const char *src, size_t n)
{
	if (v > z->heap) {
		z->heap = v;
		snprintf(z->heap_src, sizeof(z->heap_src), "%.*s", (int)n, src);
	}
}

static void heap_unknown(struct hc_heap *z, const char *src, size_t n)
{
	if (!z->unknown[0])
		snprintf(z->unknown, sizeof(z->unknown), "%.*s", (int)n, src);
}

/* A JVM size (-Xmx768m): digits and an optional k, m, g or t; -1 if not. */
static int64_t jvm_size(const char *v, size_t n)
{
	if (!n || !isdigit((unsigned char)v[0]))
		return -1;
	if (isalpha((unsigned char)v[n - 1]) && !strchr("kKmMgGtT", v[n - 1]))
		return -1;
	return hc_parse_size(v, n);
}

/*
 * Scans text (an environment value, a command) for heap settings: -Xmx and
 * -Xms, --max-old-space-size=MiB (Node), --maxmemory SIZE (redis). A value
 * that starts with `$` is not known until Compose interpolates it. Returns
 * whether any setting was seen.
 */
static bool scan_heap(struct hc_heap *z, const char *t, size_t n, const char *src, size_t srcn)
{
	bool seen = false;
	for (size_t i = 0; i < n; i++) {
		const char *p = t + i;
		size_t rest = n - i, skip = 0;
		int kind = 0;
		if (rest > 4 && (!strncmp(p, "-Xmx", 4) || !strncmp(p, "-Xms", 4)))
			skip = 4, kind = 1;
		else if (rest > 21 && !strncmp(p, "--max-old-space-size=", 21))
			skip = 21, kind = 2;
		else if (rest > 12 && !strncmp(p, "--maxmemory", 11) &&
		         (p[11] == ' ' || p[11] == '=')) {
			skip = 12;
			while (skip < rest && p[skip] == ' ')
				skip++;
			kind = 3;
		}
		if (!kind)
			continue;
		seen = true;
		const char *v = p + skip;
		size_t vn = 0;
		while (skip + vn < rest && !isspace((unsigned char)v[vn]) && v[vn] != '"' &&
		       v[vn] != '\'')
			vn++;
		int64_t b = -1;
		if (kind == 1)
			b = jvm_size(v, vn);
		else if (kind == 2 && vn && isdigit((unsigned char)v[0])) {
			int64_t mb = hc_parse_size(v, vn);
			b = mb > 0 && mb < (INT64_MAX / MIB) ? mb * MIB : -1;
		} else if (kind == 3)
			b = hc_parse_size(v, vn);
		if (b > 0)
			heap_found(z, b, src, srcn);
		else /* ${HEAP}, or a value this does not read: not known */
			heap_unknown(z, src, srcn);
		i += skip + (vn ? vn - 1 : 0);
	}
	return seen;
}

static bool ends_with(const char *k, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && !strncasecmp(k + n - m, suffix, m);
}

static bool contains(const char *k, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (!strncasecmp(k + i, needle, m))
			return true;
	return false;
}

/* Variables whose value is a heap size (cassandra's MAX_HEAP_SIZE,
 * neo4j's NEO4J_server_memory_heap_max__size). */
static bool size_var(const char *k, size_t n)
{
	return (n == 13 && !strncmp(k, "MAX_HEAP_SIZE", 13)) || contains(k, n, "heap_max__size") ||
	       contains(k, n, "heap_initial__size");
}

/* Variables that carry heap flags (JAVA_OPTS, ES_JAVA_OPTS, KAFKA_HEAP_OPTS,
 * NODE_OPTIONS, ...): set from a variable or the host, the heap is unknown. */
static bool heap_var(const char *k, size_t n)
{
	static const char *const sfx[] = {"JAVA_OPTS", "JAVA_OPTIONS",  "HEAP_OPTS",   "JVM_OPTS",
	                                  "JAVAOPTS",  "CATALINA_OPTS", "NODE_OPTIONS"};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (ends_with(k, n, sfx[i]))
			return true;
	return false;
}

/* One environment entry; val NULL when the entry has no value (it comes
 * from the host). */
static void scan_env_entry(struct hc_heap *z, const char *k, size_t kn, const char *val, size_t vn)
{
	if (size_var(k, kn)) {
		int64_t b = val ? hc_parse_size(val, vn) : -1;
		if (b > 0)
			heap_found(z, b, k, kn);
		else if (!val || memchr(val, '$', vn))
			heap_unknown(z, k, kn);
		return;
	}
	if (heap_var(k, kn) && (!val || memchr(val, '$', vn))) {
		/* ${JAVA_OPTS}, "-Xmx2g ${EXTRA}": the heap is what Compose makes of it */
		heap_unknown(z, k, kn);
		return;
	}
	if (val)
		scan_heap(z, val, vn, k, kn);
}

static void scan_env_map(struct hc_heap *z, struct hc_node *m, int depth)
{
	m = hc_deref(m);
	if (!m || depth > 8)
		return;
	if (m->type == HC_SEQ) {
		for (size_t i = 0; i < m->nkids; i++) {
			struct hc_node *it = hc_deref(m->kids[i]);
			if (!it || it->type != HC_SCALAR)
				continue;
			const char *eq = memchr(it->text, '=', it->len);
			if (eq)
				scan_env_entry(z, it->text, (size_t)(eq - it->text), eq + 1,
				               it->len - (size_t)(eq - it->text) - 1);
			else
				scan_env_entry(z, it->text, it->len, NULL, 0);
		}
		return;
	}
	if (m->type != HC_MAP)
		return;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct hc_node *k = m->kids[i], *v = hc_deref(m->kids[i + 1]);
		if (k->type != HC_SCALAR)
			continue;
		if (hc_scalar_is(k, "<<") && k->style == HC_PLAIN) {
			if (v && v->type == HC_SEQ)
				for (size_t j = 0; j < v->nkids; j++)
					scan_env_map(z, v->kids[j], depth + 1);
			else
				scan_env_map(z, v, depth + 1);
			continue;
		}
		if (!v || (v->type == HC_SCALAR && hc_is_null(v) && v->style == HC_PLAIN))
			scan_env_entry(z, k->text, k->len, NULL, 0);
		else if (v->type == HC_SCALAR)
			scan_env_entry(z, k->text, k->len, v->text, v->len);
	}
}

/* command or entrypoint: a string, or a list read as its words joined. */
static void scan_command(struct hc_heap *z, struct hc_node *c, const char *name)
{
	c = hc_deref(c);
	if (c && c->type == HC_SCALAR) {
		scan_heap(z, c->text, c->len, name, strlen(name));
	} else if (c && c->type == HC_SEQ) {
		struct hc_buf b = HC_BUF_INIT;
		for (size_t i = 0; i < c->nkids; i++) {
			struct hc_node *it = hc_deref(c->kids[i]);
			if (it && it->type == HC_SCALAR)
				hc_buf_addf(&b, "%s%.*s", i ? " " : "", (int)it->len, it->text);
		}
		if (b.data)
			scan_heap(z, b.data, b.len, name, strlen(name));
		hc_buf_release(&b);
	}
}

void hc_heap_read(struct hc_heap *z, struct hc_node *service)
{
	memset(z, 0, sizeof(*z));
	service = hc_deref(service);
	scan_env_map(z, hc_map_lookup(service, "environment", NULL), 0);
	scan_command(z, hc_map_lookup(service, "command", NULL), "command");
	scan_command(z, hc_map_lookup(service, "entrypoint", NULL), "entrypoint");
}

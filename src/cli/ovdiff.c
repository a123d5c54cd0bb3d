/*
 * ovdiff.c: the meaning of a compose tree as overlay values, and the
 * difference between a base and its hardened text that an overlay must
 * carry, by Compose's merge rules (overlay.h, docs/overlays.md).
 */
#include "cli/overlay.h"
#include "engine/place.h"

#include <stdlib.h>
#include <string.h>

void hc_ov_free(struct hc_ov *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		hc_ov_free(v->kids[i]);
	}
	free(v->keys);
	free(v->kids);
	free(v->text);
	free(v->tag);
	free(v->note);
	free(v);
}

static struct hc_ov *ov_new(enum hc_ov_type t)
{
	struct hc_ov *v = hc_xcalloc(1, sizeof(*v));
	v->type = t;
	return v;
}

/* Appends kid (owned from now on) under key (copied; NULL in a list). */
static void ov_push(struct hc_ov *v, const char *key, struct hc_ov *kid)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		v->kids = hc_xrealloc(v->kids, v->cap * sizeof(*v->kids));
		if (v->type == HC_OV_MAP)
			v->keys = hc_xrealloc(v->keys, v->cap * sizeof(*v->keys));
	}
	if (v->type == HC_OV_MAP)
		v->keys[v->n] = hc_xstrdup(key);
	v->kids[v->n++] = kid;
}

static struct hc_ov *ov_clone(const struct hc_ov *s)
{
	struct hc_ov *v = ov_new(s->type);
	v->text = s->text ? hc_xstrdup(s->text) : NULL;
	v->tag = s->tag ? hc_xstrdup(s->tag) : NULL;
	for (size_t i = 0; i < s->n; i++)
		ov_push(v, s->keys ? s->keys[i] : NULL, ov_clone(s->kids[i]));
	return v;
}

/* A string written double-quoted, with YAML's escapes. */
static char *quoted(const char *s, size_t len)
{
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addc(&b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			hc_buf_addf(&b, "\\%c", c);
		else if (c == '\n')
			hc_buf_adds(&b, "\\n");
		else if (c == '\t')
			hc_buf_adds(&b, "\\t");
		else if (c == '\r')
			hc_buf_adds(&b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			hc_buf_addf(&b, "\\x%02x", c);
		else
			hc_buf_addc(&b, (char)c);
	}
	hc_buf_addc(&b, '"');
	return hc_buf_detach(&b, NULL);
}

/* A string as it must be written to stay that string. */
static char *string_text(const char *s, size_t len)
{
	char *z = hc_xstrndup(s, len);
	if (len && !hc_needs_quotes(z))
		return z;
	free(z);
	return quoted(s, len);
}

/* A scalar node as written again: plain stays plain (it reads the same
 * anywhere in block context), any other style becomes double-quoted. */
static char *scalar_text(const struct hc_node *n)
{
	if (n->empty)
		return hc_xstrdup("");
	if (n->style == HC_PLAIN && !memchr(n->text, '\n', n->len))
		return hc_xstrndup(n->text, n->len);
	return quoted(n->text, n->len);
}

static bool is_merge(const struct hc_node *k)
{
	return k->type == HC_SCALAR && k->style == HC_PLAIN && k->len == 2 &&
	       !strcmp(k->text, "<<");
}

/* The value of key (as written) in v, or NULL. */
static struct hc_ov *ov_get(const struct hc_ov *v, const char *key)
{
	for (size_t i = 0; v && v->type == HC_OV_MAP && i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return v->kids[i];
	return NULL;
}

static void map_add(struct hc_ov *v, struct hc_node *map, int depth);

/* The pairs merge value m brings (an alias to a mapping, or a list of
 * them; earlier sources win). */
static void merge_add(struct hc_ov *v, struct hc_node *m, int depth)
{
	m = hc_deref(m);
	if (m && m->type == HC_MAP)
		map_add(v, m, depth + 1);
	for (size_t i = 0; m && m->type == HC_SEQ && i < m->nkids; i++)
		if (hc_deref(m->kids[i]) && hc_deref(m->kids[i])->type == HC_MAP)
			map_add(v, hc_deref(m->kids[i]), depth + 1);
}

/* Adds map's pairs that v lacks: explicit keys first, then merge keys'
 * (explicit keys win over merged ones, Compose's order). */
static void map_add(struct hc_ov *v, struct hc_node *map, int depth)
{
	if (depth > 64)
		return;
	for (size_t k = 0; k + 1 < map->nkids; k += 2) {
		struct hc_node *key = hc_deref(map->kids[k]);
		if (!key || key->type != HC_SCALAR || is_merge(key))
			continue;
		char *kt = scalar_text(key);
		if (!ov_get(v, kt))
			ov_push(v, kt, hc_ov_from_node(map->kids[k + 1], key->text));
		free(kt);
	}
	for (size_t k = 0; k + 1 < map->nkids; k += 2)
		if (is_merge(hc_deref(map->kids[k])))
			merge_add(v, map->kids[k + 1], depth);
}

/* Keys whose list form (`- KEY=VALUE`) Compose reads as a mapping. */
static bool keyed_list(const char *key)
{
	static const char *const names[] = {"environment", "labels",      "args",
	                                    "sysctls",     "annotations", NULL};
	for (size_t i = 0; key && names[i]; i++)
		if (!strcmp(key, names[i]))
			return true;
	return false;
}

/* `- KEY=VALUE` items as the mapping Compose reads (KEY alone: null). */
static struct hc_ov *keyed_map(struct hc_node *seq)
{
	struct hc_ov *v = ov_new(HC_OV_MAP);
	for (size_t i = 0; i < seq->nkids; i++) {
		struct hc_node *it = hc_deref(seq->kids[i]);
		if (!it || it->type != HC_SCALAR || it->empty)
			continue;
		const char *eq = memchr(it->text, '=', it->len);
		size_t kl = eq ? (size_t)(eq - it->text) : it->len;
		char *k = string_text(it->text, kl);
		struct hc_ov *val = ov_new(HC_OV_SCALAR);
		val->text = eq ? string_text(eq + 1, it->len - kl - 1) : hc_xstrdup("");
		struct hc_ov *old = ov_get(v, k);
		if (old) { /* the last one wins */
			free(old->text);
			old->text = val->text;
			val->text = NULL;
			hc_ov_free(val);
		} else {
			ov_push(v, k, val);
		}
		free(k);
	}
	return v;
}

static bool keyed_items(struct hc_node *seq)
{
	for (size_t i = 0; i < seq->nkids; i++) {
		struct hc_node *it = hc_deref(seq->kids[i]);
		if (!it || it->type != HC_SCALAR)
			return false;
	}
	return true;
}

/* Values hc_ov_diff may still make: aliases nested in aliases expand
 * exponentially (a "billion laughs" file), which an overlay cannot hold. */
static _Thread_local size_t budget = HC_OV_MAX_VALUES;

struct hc_ov *hc_ov_from_node(struct hc_node *n, const char *key)
{
	n = hc_deref(n);
	if (!n)
		return NULL;
	if (budget)
		budget--;
	if (!budget) {
		struct hc_ov *s = ov_new(HC_OV_SCALAR);
		s->text = hc_xstrdup("");
		return s;
	}
	struct hc_ov *v;
	if (n->type == HC_SCALAR) {
		v = ov_new(HC_OV_SCALAR);
		v->text = scalar_text(n);
	} else if (n->type == HC_SEQ && keyed_list(key) && keyed_items(n)) {
		v = keyed_map(n);
	} else if (n->type == HC_SEQ) {
		v = ov_new(HC_OV_SEQ);
		for (size_t i = 0; i < n->nkids; i++)
			ov_push(v, NULL, hc_ov_from_node(n->kids[i], NULL));
	} else {
		v = ov_new(HC_OV_MAP);
		map_add(v, n, 0);
	}
	if (n->tag)
		v->tag = hc_xstrdup(n->tag);
	return v;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool ov_equal(const struct hc_ov *a, const struct hc_ov *b)
{
	if (!a || !b || a->type != b->type || a->n != b->n || !str_eq(a->tag, b->tag) ||
	    !str_eq(a->text, b->text))
		return a == b;
	for (size_t i = 0; i < a->n; i++) {
		const struct hc_ov *bk = a->type == HC_OV_MAP ? ov_get(b, a->keys[i]) : b->kids[i];
		if (!ov_equal(a->kids[i], bk))
			return false;
	}
	return true;
}

/* Keys whose value Compose replaces instead of merging: a service's
 * command and entrypoint, healthcheck.test (up is the key above). */
static bool replaced(const char *key, const char *up)
{
	if (!key || !up || !strcmp(up, "services") || !*up)
		return false;
	return !strcmp(key, "command") || !strcmp(key, "entrypoint") ||
	       (!strcmp(key, "test") && !strcmp(up, "healthcheck"));
}

static struct hc_ov *tagged(const struct hc_ov *h, const char *tag, const char *note)
{
	struct hc_ov *c = ov_clone(h);
	free(c->tag);
	c->tag = hc_xstrdup(tag);
	c->note = hc_xstrdup(note);
	return c;
}

static struct hc_ov *reset(void)
{
	struct hc_ov *r = ov_new(HC_OV_SCALAR);
	r->text = hc_xstrdup("null");
	r->tag = hc_xstrdup("!reset");
	r->note = hc_xstrdup("!reset: the hardening removes this key, which a merge cannot do");
	return r;
}

static struct hc_ov *diff(const struct hc_ov *b, const struct hc_ov *h, const char *key,
                          const char *up);

static struct hc_ov *diff_map(const struct hc_ov *b, const struct hc_ov *h, const char *key)
{
	bool lost = false;
	for (size_t i = 0; i < b->n; i++)
		lost |= !ov_get(h, b->keys[i]);
	if (lost && keyed_list(key))
		return tagged(h, "!override",
		              "!override: the hardening removes an entry of this mapping, "
		              "which a merge cannot do");
	struct hc_ov *out = ov_new(HC_OV_MAP);
	for (size_t i = 0; i < h->n; i++) {
		struct hc_ov *d = diff(ov_get(b, h->keys[i]), h->kids[i], h->keys[i], key);
		if (d)
			ov_push(out, h->keys[i], d);
	}
	for (size_t i = 0; i < b->n; i++)
		if (!ov_get(h, b->keys[i]))
			ov_push(out, b->keys[i], reset());
	return out;
}

/* A list the hardening extends gets its new items alone (Compose appends
 * them, or merges them by their key); any other change is an !override. */
static struct hc_ov *diff_seq(const struct hc_ov *b, const struct hc_ov *h)
{
	bool prefix = h->n >= b->n;
	for (size_t i = 0; prefix && i < b->n; i++)
		prefix = ov_equal(b->kids[i], h->kids[i]);
	if (!prefix)
		return tagged(h, "!override",
		              "!override: the hardening rewrites items of this list, which a "
		              "merge cannot do (it would keep the base's items)");
	struct hc_ov *out = ov_new(HC_OV_SEQ);
	for (size_t i = b->n; i < h->n; i++)
		ov_push(out, NULL, ov_clone(h->kids[i]));
	return out;
}

/* What an overlay must hold at key so that b merged with it is h; NULL
 * when they are equal. b NULL: the key is new. */
static struct hc_ov *diff(const struct hc_ov *b, const struct hc_ov *h, const char *key,
                          const char *up)
{
	bool null = b && b->type == HC_OV_SCALAR && !b->tag &&
	            (!*b->text || !strcmp(b->text, "null") || !strcmp(b->text, "~"));
	if (!b || (null && h->type != HC_OV_SCALAR))
		return ov_clone(h);
	if (ov_equal(b, h))
		return NULL;
	if (h->type == HC_OV_SCALAR || replaced(key, up))
		return ov_clone(h);
	if (b->type != h->type || !str_eq(b->tag, h->tag))
		return tagged(h, "!override",
		              "!override: the hardening changes this value's shape, which a merge "
		              "cannot do");
	return h->type == HC_OV_MAP ? diff_map(b, h, key) : diff_seq(b, h);
}

/* Removes key from map v. */
static void ov_del(struct hc_ov *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++) {
		if (strcmp(v->keys[i], key))
			continue;
		free(v->keys[i]);
		hc_ov_free(v->kids[i]);
		memmove(v->keys + i, v->keys + i + 1, (v->n - i - 1) * sizeof(*v->keys));
		memmove(v->kids + i, v->kids + i + 1, (v->n - i - 1) * sizeof(*v->kids));
		v->n--;
		return;
	}
}

/* Sets key of map v to val (owned). */
static void ov_set(struct hc_ov *v, const char *key, struct hc_ov *val)
{
	for (size_t i = 0; i < v->n; i++) {
		if (!strcmp(v->keys[i], key)) {
			hc_ov_free(v->kids[i]);
			v->kids[i] = val;
			return;
		}
	}
	ov_push(v, key, val);
}

static bool has_tag(const struct hc_ov *v, const char *tag)
{
	return v->tag && !strcmp(v->tag, tag);
}

/* c over p as `extends` merges a service over the one it extends (both
 * sides of a diff go through it alike); NULL: c resets the key. */
static struct hc_ov *ov_merge(const struct hc_ov *p, const struct hc_ov *c, const char *key,
                              const char *up)
{
	if (has_tag(c, "!reset"))
		return NULL;
	if (!p || p->type != c->type || c->type == HC_OV_SCALAR || replaced(key, up) ||
	    has_tag(c, "!override"))
		return ov_clone(c);
	struct hc_ov *out = ov_clone(p);
	for (size_t i = 0; i < c->n; i++) {
		if (c->type == HC_OV_SEQ) {
			bool have = false;
			for (size_t k = 0; k < out->n && !have; k++)
				have = ov_equal(out->kids[k], c->kids[i]);
			if (!have)
				ov_push(out, NULL, ov_clone(c->kids[i]));
			continue;
		}
		struct hc_ov *m = ov_merge(ov_get(p, c->keys[i]), c->kids[i], c->keys[i], key);
		if (m)
			ov_set(out, c->keys[i], m);
		else
			ov_del(out, c->keys[i]);
	}
	return out;
}

/* Service name of svcs with what it extends in the same file merged in
 * (Compose resolves `extends` in each file before it merges the files). */
static struct hc_ov *effective(const struct hc_ov *svcs, const char *name, int depth)
{
	const struct hc_ov *s = ov_get(svcs, name);
	if (!s)
		return NULL;
	const struct hc_ov *ext = s->type == HC_OV_MAP ? ov_get(s, "extends") : NULL;
	const struct hc_ov *from =
	    ext && ext->type == HC_OV_MAP && !ov_get(ext, "file") ? ov_get(ext, "service") : ext;
	if (!from || from->type != HC_OV_SCALAR || (ext->type == HC_OV_MAP && ext == from) ||
	    depth > 16)
		return ov_clone(s);
	struct hc_ov *pe = effective(svcs, from->text, depth + 1);
	struct hc_ov *own = ov_clone(s);
	ov_del(own, "extends");
	struct hc_ov *m = pe ? ov_merge(pe, own, name, "services") : NULL;
	hc_ov_free(pe);
	if (!m)
		return own;
	hc_ov_free(own);
	return m;
}

/* The services of root v with their same-file `extends` resolved. */
static void resolve_extends(struct hc_ov *v)
{
	struct hc_ov *svcs = v ? ov_get(v, "services") : NULL;
	if (!svcs || svcs->type != HC_OV_MAP)
		return;
	struct hc_ov *out = ov_new(HC_OV_MAP);
	for (size_t i = 0; i < svcs->n; i++)
		ov_push(out, svcs->keys[i], effective(svcs, svcs->keys[i], 0));
	ov_set(v, "services", out);
}

/* `version` is obsolete: Compose ignores it, the drop-version transform
 * removes it; an overlay need not say so. */
static bool top_skipped(const char *k)
{
	return !strcmp(k, "version");
}

struct hc_ov *hc_ov_diff(struct hc_node *base, struct hc_node *hard)
{
	budget = HC_OV_MAX_VALUES;
	struct hc_ov *b = base ? hc_ov_from_node(base, "") : NULL;
	struct hc_ov *h = hard ? hc_ov_from_node(hard, "") : NULL;
	if (!budget) {
		hc_ov_free(b);
		hc_ov_free(h);
		return NULL;
	}
	struct hc_ov *out = ov_new(HC_OV_MAP);
	resolve_extends(b);
	resolve_extends(h);
	for (size_t i = 0; h && h->type == HC_OV_MAP && i < h->n; i++) {
		if (top_skipped(h->keys[i]))
			continue;
		struct hc_ov *d = diff(ov_get(b, h->keys[i]), h->kids[i], h->keys[i], "");
		if (d)
			ov_push(out, h->keys[i], d);
	}
	for (size_t i = 0; b && b->type == HC_OV_MAP && i < b->n; i++)
		if (!top_skipped(b->keys[i]) && !ov_get(h, b->keys[i]))
			ov_push(out, b->keys[i], reset());
	hc_ov_free(b);
	hc_ov_free(h);
	return out;
}

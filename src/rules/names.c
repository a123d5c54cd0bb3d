/*
 * names.c: named volumes, networks, secrets and configs, used by services
 * and declared at the top level: the undeclared-name and unused-declaration
 * rules. See cross.h and docs/rules.md.
 *
 * Used: a volume entry whose source is a name (`data:/var/lib/x`, or long
 * syntax `type: volume, source: data`; host paths are binds), a network a
 * service lists, a secret or config a service (or its build) lists. The
 * `default` network needs no declaration. Interpolated names are skipped.
 */
#include "rules/cross.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static struct hc_node *get(struct hc_node *map, const char *key)
{
	return hc_deref(hc_map_lookup(hc_deref(map), key, NULL));
}

enum kind { VOLUMES, NETWORKS, SECRETS, CONFIGS, NKINDS };
static const char *const kind_key[NKINDS] = {"volumes", "networks", "secrets", "configs"};
static const char *const kind_one[NKINDS] = {"volume", "network", "secret", "config"};

struct use {
	const struct hc_node *at; /* where it is used */
	const char *name;
	size_t len;
	const char *svc;
};

struct uses {
	struct use *v;
	size_t n;
};

static void add(struct uses *u, const struct hc_node *at, const char *name, size_t len,
                const char *svc)
{
	if (!len || memchr(name, '$', len))
		return;
	u->v = hc_xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	u->v[u->n++] = (struct use){.at = at, .name = name, .len = len, .svc = svc};
}

/* A short volume entry's source when it is a name: `data:/x`, not `./d:/x`,
 * `/srv:/x`, `~/d:/x`, `C:\d:/x` or an anonymous `/x`. */
static void short_volume(struct uses *u, const struct hc_node *it, const char *svc)
{
	const char *colon = memchr(it->text, ':', it->len);
	if (!colon || colon == it->text)
		return;
	size_t n = (size_t)(colon - it->text);
	if (strchr("/.~$\\", it->text[0]) || memchr(it->text, '/', n) || memchr(it->text, '\\', n))
		return;
	if (n == 1 && (colon[1] == '\\' || colon[1] == '/') && isalpha((unsigned char)it->text[0]))
		return; /* a Windows drive */
	add(u, it, it->text, n, svc);
}

static void volume_uses(struct uses *u, struct hc_node *svc, const char *name)
{
	struct hc_node *vols = get(svc, "volumes");
	for (size_t i = 0; vols && vols->type == HC_SEQ && i < vols->nkids; i++) {
		struct hc_node *it = hc_deref(vols->kids[i]);
		if (it && it->type == HC_SCALAR) {
			short_volume(u, it, name);
		} else if (it && it->type == HC_MAP) {
			struct hc_node *t = hc_deref(hc_map_get(it, "type", NULL));
			struct hc_node *src = hc_deref(hc_map_get(it, "source", NULL));
			if (hc_scalar_is(t, "volume") && src && src->type == HC_SCALAR &&
			    !hc_is_null(src))
				add(u, src, src->text, src->len, name);
		}
	}
}

/* A list of names or {source: name} (secrets, configs), or a mapping whose
 * keys are names (networks). */
static void list_uses(struct uses *u, struct hc_node *l, const char *name)
{
	for (size_t i = 0; l && l->type == HC_SEQ && i < l->nkids; i++) {
		struct hc_node *it = hc_deref(l->kids[i]);
		if (it && it->type == HC_MAP)
			it = hc_deref(hc_map_get(it, "source", NULL));
		if (it && it->type == HC_SCALAR && !hc_is_null(it))
			add(u, l->kids[i], it->text, it->len, name);
	}
	for (size_t i = 0; l && l->type == HC_MAP && i + 1 < l->nkids; i += 2)
		if (!hc_scalar_is(l->kids[i], "<<"))
			add(u, l->kids[i], l->kids[i]->text, l->kids[i]->len, name);
}

static void collect(struct uses *u, enum kind k, struct hc_node *svcs)
{
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *svc = hc_deref(svcs->kids[i + 1]);
		const char *name = svcs->kids[i]->text;
		if (!svc || svc->type != HC_MAP)
			continue;
		if (k == VOLUMES)
			volume_uses(u, svc, name);
		else
			list_uses(u, get(svc, kind_key[k]), name);
		if (k == SECRETS)
			list_uses(u, get(get(svc, "build"), "secrets"), name);
	}
}

/* The top-level declaration of name, or NULL. */
static struct hc_node *declared(struct hc_node *decl, const char *name, size_t len)
{
	for (size_t i = 0; decl && decl->type == HC_MAP && i + 1 < decl->nkids; i += 2)
		if (decl->kids[i]->len == len && !memcmp(decl->kids[i]->text, name, len))
			return decl->kids[i];
	return NULL;
}

void hc_rule_undeclared_name(struct hc_rctx *x, struct hc_node *svcs)
{
	if (hc_rules_partial(x, svcs))
		return;
	for (int k = 0; k < NKINDS; k++) {
		struct hc_node *decl = get(x->doc->root, kind_key[k]);
		if (!decl) /* no top-level key at all: a fragment merged with -f, or a template */
			continue;
		struct uses u = {0};
		collect(&u, (enum kind)k, svcs);
		for (size_t i = 0; i < u.n; i++) {
			if (k == NETWORKS && u.v[i].len == 7 && !memcmp(u.v[i].name, "default", 7))
				continue;
			if (!declared(decl, u.v[i].name, u.v[i].len))
				hc_rule_report(
				    x, u.v[i].at,
				    "service \"%s\": %s \"%.*s\" is not declared under the "
				    "top-level "
				    "%s: key; Compose refuses the file (declare it, with "
				    "external: true if it exists already)",
				    u.v[i].svc, kind_one[k], (int)u.v[i].len, u.v[i].name,
				    kind_key[k]);
		}
		free(u.v);
	}
}

void hc_rule_unused_declaration(struct hc_rctx *x, struct hc_node *svcs)
{
	if (hc_rules_partial(x, svcs))
		return;
	for (int k = 0; k < NKINDS; k++) {
		struct hc_node *decl = get(x->doc->root, kind_key[k]);
		if (!decl || decl->type != HC_MAP)
			continue;
		struct uses u = {0};
		collect(&u, (enum kind)k, svcs);
		for (size_t d = 0; d + 1 < decl->nkids; d += 2) {
			const struct hc_node *key = decl->kids[d];
			if (hc_scalar_is(key, "<<") ||
			    (k == NETWORKS && hc_scalar_is(key, "default")))
				continue;
			bool used = false;
			for (size_t i = 0; i < u.n && !used; i++)
				used = u.v[i].len == key->len &&
				       !memcmp(u.v[i].name, key->text, key->len);
			if (!used)
				hc_rule_report(
				    x, key,
				    "%s \"%s\" is declared but no service uses it; remove it, or "
				    "add it to the service that needs it",
				    kind_one[k], key->text);
		}
		free(u.v);
	}
}

/*
 * cross.c: rules that read several parts of a file together. See cross.h
 * and docs/rules.md.
 *
 * A file that includes others (`include:`), extends services of another
 * file, or overrides services it does not define (no image, build or
 * extends: docker-compose.override.yml) gets services and top-level
 * declarations from elsewhere, so the rules about names (depends_on
 * targets, used and declared names) say nothing about it rather than guess.
 */
#include "rules/cross.h"
#include "rules/heap.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is(const struct hc_node *n, const char *s)
{
	return n && n->type == HC_SCALAR && n->len == strlen(s) && !strncasecmp(n->text, s, n->len);
}

static struct hc_node *get(struct hc_node *map, const char *key)
{
	return hc_deref(hc_map_lookup(hc_deref(map), key, NULL));
}

static bool has_dollar(const char *s, size_t n)
{
	return memchr(s, '$', n) != NULL;
}

/* The service named name (len bytes) in svcs, or NULL. */
static struct hc_node *service(struct hc_node *svcs, const char *name, size_t len)
{
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2)
		if (svcs->kids[i]->len == len && !memcmp(svcs->kids[i]->text, name, len))
			return hc_deref(svcs->kids[i + 1]);
	return NULL;
}

bool hc_rules_partial(const struct hc_rctx *x, struct hc_node *svcs)
{
	if (x->doc->root && hc_map_get(x->doc->root, "include", NULL))
		return true;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *svc = hc_deref(svcs->kids[i + 1]);
		struct hc_node *ext = get(svc, "extends");
		if (ext && ext->type == HC_MAP && hc_map_get(ext, "file", NULL))
			return true;
		if (svc && svc->type == HC_MAP && !ext && !get(svc, "image") && !get(svc, "build"))
			return true; /* an override of a service defined elsewhere */
	}
	return false;
}

/* ---- depends_on ----------------------------------------------------------- */

struct dep {
	struct hc_node *at;         /* the list item, or the key of the long form */
	const struct hc_node *name; /* the service named */
	const struct hc_node *cond; /* condition:, or NULL */
	bool optional;              /* required: false */
};

/* The entries of a service's depends_on; *n their count. Caller frees. */
static struct dep *deps_of(struct hc_node *svc, size_t *n)
{
	struct hc_node *d = get(svc, "depends_on");
	*n = 0;
	if (!d || (d->type != HC_SEQ && d->type != HC_MAP))
		return NULL;
	struct dep *out = hc_xcalloc(d->nkids + 1, sizeof(*out));
	for (size_t i = 0; i < d->nkids; i += d->type == HC_MAP ? 2 : 1) {
		struct dep e = {.at = d->kids[i], .name = hc_rule_scalar(d->kids[i])};
		if (d->type == HC_MAP) {
			struct hc_node *v = hc_deref(d->kids[i + 1]);
			e.cond = v && v->type == HC_MAP
			             ? hc_rule_scalar(hc_map_get(v, "condition", NULL))
			             : NULL;
			e.optional = v && v->type == HC_MAP &&
			             is(hc_rule_scalar(hc_map_get(v, "required", NULL)), "false");
			if (is(e.name, "<<"))
				continue;
		}
		if (e.name && !has_dollar(e.name->text, e.name->len))
			out[(*n)++] = e;
	}
	return out;
}

void hc_rule_depends_on_missing(struct hc_rctx *x, struct hc_node *svcs)
{
	if (hc_rules_partial(x, svcs))
		return;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		size_t n;
		struct dep *d = deps_of(svcs->kids[i + 1], &n);
		for (size_t k = 0; k < n; k++)
			if (!d[k].optional && !service(svcs, d[k].name->text, d[k].name->len))
				hc_rule_report(
				    x, d[k].at,
				    "service \"%s\": depends_on names service \"%.*s\", which this "
				    "file does not define; Compose refuses it unless a file given "
				    "with -f does",
				    svcs->kids[i]->text, (int)d[k].name->len, d[k].name->text);
		free(d);
	}
}

/* A healthcheck that is not switched off (disable: true, test: NONE). */
static bool has_healthcheck(struct hc_node *svc)
{
	struct hc_node *h = get(svc, "healthcheck");
	if (!h || h->type != HC_MAP || is(hc_rule_scalar(hc_map_get(h, "disable", NULL)), "true"))
		return false;
	struct hc_node *t = hc_deref(hc_map_get(h, "test", NULL));
	if (t && t->type == HC_SEQ && t->nkids)
		t = hc_deref(t->kids[0]);
	return !is(t, "NONE");
}

void hc_rule_depends_on_healthcheck(struct hc_rctx *x, struct hc_node *svcs)
{
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		size_t n;
		struct dep *d = deps_of(svcs->kids[i + 1], &n);
		for (size_t k = 0; k < n; k++) {
			struct hc_node *t = service(svcs, d[k].name->text, d[k].name->len);
			if (!t || !has_healthcheck(t) ||
			    d[k].cond) /* a condition written is a choice */
				continue;
			hc_rule_report(
			    x, d[k].at,
			    "service \"%s\": starts as soon as \"%.*s\" has started, not when its "
			    "healthcheck passes; use depends_on: {%.*s: {condition: "
			    "service_healthy}}",
			    svcs->kids[i]->text, (int)d[k].name->len, d[k].name->text,
			    (int)d[k].name->len, d[k].name->text);
		}
		free(d);
	}
}

/* ---- restart on one-shot jobs --------------------------------------------- */

/* The restart policy that runs a container again after it exits, or NULL. */
static const struct hc_node *restarts(struct hc_node *svc)
{
	const struct hc_node *r = hc_rule_scalar(get(svc, "restart"));
	if (r && (is(r, "always") || is(r, "unless-stopped") ||
	          (r->len >= 10 && !strncasecmp(r->text, "on-failure", 10))))
		return r;
	const struct hc_node *c =
	    hc_rule_scalar(get(get(get(svc, "deploy"), "restart_policy"), "condition"));
	return c && (is(c, "any") || is(c, "on-failure")) ? c : NULL;
}

void hc_rule_restart_one_shot(struct hc_rctx *x, struct hc_node *svcs)
{
	for (size_t j = 0; j + 1 < svcs->nkids; j += 2) {
		const struct hc_node *r = restarts(hc_deref(svcs->kids[j + 1]));
		const struct hc_node *job = svcs->kids[j];
		const char *waiter = NULL;
		for (size_t i = 0; r && !waiter && i + 1 < svcs->nkids; i += 2) {
			size_t n;
			struct dep *d = deps_of(svcs->kids[i + 1], &n);
			for (size_t k = 0; k < n && !waiter; k++)
				if (is(d[k].cond, "service_completed_successfully") &&
				    d[k].name->len == job->len &&
				    !memcmp(d[k].name->text, job->text, job->len))
					waiter = svcs->kids[i]->text;
			free(d);
		}
		if (waiter)
			hc_rule_report(
			    x, r,
			    "service \"%s\": is a one-shot job (\"%s\" waits for it with "
			    "service_completed_successfully), but restart policy %.*s runs it "
			    "again "
			    "after it "
			    "exits; set restart: \"no\"",
			    job->text, waiter, (int)(r->len > 40 ? 40 : r->len), r->text);
	}
}

/* ---- container_name and replicas ------------------------------------------ */

void hc_rule_container_name_replicas(struct hc_rctx *x, const struct hc_service *s)
{
	const struct hc_node *cn = hc_rule_scalar(get(s->value, "container_name"));
	if (!cn)
		return;
	const struct hc_node *r = hc_rule_scalar(get(get(s->value, "deploy"), "replicas"));
	const char *what = "deploy.replicas";
	if (!r) {
		r = hc_rule_scalar(get(s->value, "scale"));
		what = "scale";
	}
	if (!r || !isdigit((unsigned char)r->text[0]) || strtol(r->text, NULL, 10) <= 1)
		return;
	hc_rule_report(
	    x, cn,
	    "service \"%s\": container_name '%.*s' with %s: %.*s: container names are unique, "
	    "so only one replica can start; remove container_name",
	    s->name, (int)(cn->len > 60 ? 60 : cn->len), cn->text, what,
	    (int)(r->len > 20 ? 20 : r->len), r->text);
}

/* ---- memory limit, heap and reservation ----------------------------------- */

/* A memory size node and its bytes (-1: none, or not a size). */
struct size {
	const struct hc_node *at;
	int64_t bytes;
};

static struct size size_at(struct hc_node *n)
{
	const struct hc_node *v = hc_rule_scalar(n);
	int64_t b = v ? hc_parse_size(v->text, v->len) : -1;
	return (struct size){.at = v, .bytes = b > 0 ? b : -1};
}

static struct size mem_limit(struct hc_node *svc)
{
	struct hc_node *res = get(get(svc, "deploy"), "resources");
	struct size z = size_at(get(get(res, "limits"), "memory"));
	return z.at ? z : size_at(get(svc, "mem_limit"));
}

static struct size mem_reservation(struct hc_node *svc)
{
	struct hc_node *res = get(get(svc, "deploy"), "resources");
	struct size z = size_at(get(get(res, "reservations"), "memory"));
	return z.at ? z : size_at(get(svc, "mem_reservation"));
}

/* bytes as MiB, for messages */
static long long mib(int64_t b)
{
	return (long long)((b + 1024 * 1024 - 1) / (1024 * 1024));
}

void hc_rule_limit_below_heap(struct hc_rctx *x, const struct hc_service *s)
{
	struct size lim = mem_limit(s->value);
	if (lim.bytes <= 0)
		return;
	struct hc_heap h;
	hc_heap_read(&h, s->value);
	if (h.heap < lim.bytes)
		return;
	hc_rule_report(
	    x, lim.at,
	    "service \"%s\": memory limit %.*s (%lldM) is not above the %lldM its %s asks "
	    "for; the kernel kills the container before that memory is full. Raise the "
	    "limit (heap + 50%%, at least +256M) or lower the heap",
	    s->name, (int)(lim.at->len > 20 ? 20 : lim.at->len), lim.at->text, mib(lim.bytes),
	    mib(h.heap), h.heap_src);
}

void hc_rule_limit_below_reservation(struct hc_rctx *x, const struct hc_service *s)
{
	struct size lim = mem_limit(s->value), res = mem_reservation(s->value);
	if (lim.bytes <= 0 || res.bytes <= 0 || lim.bytes >= res.bytes)
		return;
	hc_rule_report(
	    x, lim.at,
	    "service \"%s\": memory limit %.*s is below its reservation %.*s; Docker refuses "
	    "to create the container",
	    s->name, (int)(lim.at->len > 20 ? 20 : lim.at->len), lim.at->text,
	    (int)(res.at->len > 20 ? 20 : res.at->len), res.at->text);
}

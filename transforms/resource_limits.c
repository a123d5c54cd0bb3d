/*
 * resource_limits.c: `deploy.resources.limits` (cpus, memory, pids) for
 * services without limits, so one runaway container cannot starve the host
 * (seed 003: no limits is the default, and a fork bomb or a leak takes the
 * whole machine). Defaults come by service class (profiles/defaults.yml
 * `classes:`); each class's values are an option of this transform.
 *
 * Legacy keys are migrated with their values: mem_limit -> limits.memory,
 * cpus -> limits.cpus, pids_limit -> limits.pids, mem_reservation ->
 * reservations.memory. An existing `deploy:` block is extended in place; a
 * `deploy` inherited through a merge is left alone (a service-level deploy
 * would hide the inherited one, since merges are shallow) with a note.
 */
#include "transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct limits_opts {
	struct hc_strlist cls[HC_NCLASSES]; /* KEY=VALUE: cpus, memory, pids, reserve-* */
};

static const struct hc_option limits_options[] = {
    {"app", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_APP]),
     "cpus=1.0,memory=512M,pids=512",
     "limits for apps (KEY=VALUE: cpus, memory, pids, "
     "reserve-cpus, reserve-memory)"},
    {"database", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_DATABASE]),
     "cpus=2.0,memory=2G,pids=1024", "limits for databases"},
    {"cache", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_CACHE]),
     "cpus=1.0,memory=512M,pids=256", "limits for caches"},
    {"queue", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_QUEUE]),
     "cpus=1.0,memory=1G,pids=1024", "limits for queues"},
    {"proxy", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_PROXY]),
     "cpus=0.5,memory=256M,pids=256", "limits for proxies"},
};

/* Legacy service keys and where they go. */
static const struct {
	const char *key, *section, *name;
} legacy[] = {
    {"cpus", "limits", "cpus"},
    {"mem_limit", "limits", "memory"},
    {"pids_limit", "limits", "pids"},
    {"mem_reservation", "reservations", "memory"},
};

/* The value of KEY in a KEY=VALUE list, or NULL. */
static const char *kv(const struct hc_strlist *l, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i < l->n; i++)
		if (!strncmp(l->v[i], key, n) && l->v[i][n] == '=')
			return l->v[i] + n + 1;
	return NULL;
}

static struct hc_val *number_or_string(const char *v, bool integer)
{
	return integer ? hc_val_raw(v) : hc_val_str(v);
}

/*
 * A legacy value as written; in block style with the trailing comment of
 * its line, so `mem_limit: 1g  # sized for prod` keeps its comment.
 */
static struct hc_val *legacy_value(const struct hc_run *r, const struct hc_node *v, bool block)
{
	const char *t = r->doc->text;
	size_t end = v->end;
	if (block) {
		size_t p = end;
		while (p < r->doc->len && t[p] == ' ')
			p++;
		if (p < r->doc->len && t[p] == '#') {
			end = p;
			while (end < r->doc->len && t[end] != '\n' && t[end] != '\r')
				end++;
		}
	}
	char *raw = hc_xstrndup(t + v->start, end - v->start);
	struct hc_val *out = hc_val_raw(raw);
	free(raw);
	return out;
}

/* Builds {limits: {...}, reservations: {...}} from the class defaults,
 * overridden by the service's legacy keys (copied as written). */
static struct hc_val *build_resources(const struct hc_run *r, const struct hc_service *s,
                                      const struct hc_strlist *dflt, bool block)
{
	struct hc_val *lim = hc_val_map(), *res = hc_val_map();
	const char *names[] = {"cpus", "memory", "pids"};
	for (size_t i = 0; i < 3; i++) {
		struct hc_node *old = NULL;
		for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
			if (!strcmp(legacy[k].section, "limits") &&
			    !strcmp(legacy[k].name, names[i]))
				old = hc_map_get(hc_deref(s->value), legacy[k].key, NULL);
		if (old && old->type == HC_SCALAR && !hc_is_null(old))
			hc_val_put(lim, names[i], legacy_value(r, old, block));
		else if (kv(dflt, names[i])) {
			hc_val_put(lim, names[i], number_or_string(kv(dflt, names[i]), i == 2));
		}
	}
	struct hc_node *mr = hc_map_get(hc_deref(s->value), "mem_reservation", NULL);
	if (mr && mr->type == HC_SCALAR && !hc_is_null(mr))
		hc_val_put(res, "memory", legacy_value(r, mr, block));
	else if (kv(dflt, "reserve-memory")) {
		hc_val_put(res, "memory", hc_val_str(kv(dflt, "reserve-memory")));
	}
	if (kv(dflt, "reserve-cpus"))
		hc_val_put(res, "cpus", hc_val_str(kv(dflt, "reserve-cpus")));
	struct hc_val *out = hc_val_map();
	if (lim->n)
		hc_val_put(out, "limits", lim);
	else
		hc_val_free(lim);
	if (res->n)
		hc_val_put(out, "reservations", res);
	else
		hc_val_free(res);
	return out;
}

/* Deletes the legacy keys whose values moved; declares them removed once
 * every deletion could be proposed. */
static int drop_legacy(struct hc_run *r, const struct hc_service *s)
{
	struct hc_node *m = hc_deref(s->value);
	const char *gone[sizeof(legacy) / sizeof(legacy[0])];
	size_t ngone = 0;
	for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
		for (size_t i = 0; m && i + 1 < m->nkids; i += 2)
			if (hc_scalar_is(m->kids[i], legacy[k].key)) {
				if (hc_delete_pair(r, m, i / 2) < 0)
					return -1;
				gone[ngone++] = legacy[k].key;
			}
	for (size_t k = 0; k < ngone; k++) {
		struct hc_buf p = HC_BUF_INIT;
		hc_buf_addf(&p, "%s/%s", s->path, gone[k]);
		hc_declare(r, p.data, HC_CHANGE_REMOVE);
		hc_buf_release(&p);
	}
	return 0;
}

static void limits_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct limits_opts *o = opts;
	bool dexp;
	struct hc_node *deploy = hc_map_lookup(s->value, "deploy", &dexp);
	struct hc_node *dd = hc_deref(deploy);
	struct hc_node *resources = hc_deref(hc_map_lookup(dd, "resources", NULL));
	if (hc_map_lookup(resources, "limits", NULL))
		return;
	bool null_deploy = deploy && dexp && hc_is_null(deploy);
	if (deploy && !null_deploy &&
	    (!dexp || deploy->type == HC_ALIAS || !dd || dd->type != HC_MAP)) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": deploy comes from an anchor; add resources.limits there",
		          s->name);
		return;
	}
	enum hc_class cls = hc_service_class(r, s);
	/* comments can follow values only where the new text is block style */
	struct hc_node *host = dd ? dd : hc_deref(s->value);
	bool block =
	    host && host->type == HC_MAP && !host->flow && (!resources || !resources->flow);
	struct hc_val *res = build_resources(r, s, &o->cls[cls], block);
	if (!res->n) {
		hc_val_free(res);
		return;
	}
	size_t mark = r->edits.n;
	int rc;
	if (!deploy) {
		struct hc_val *d = hc_val_map();
		hc_val_put(d, "resources", res);
		rc = hc_add_pair(r, s->key, s->value, "deploy", d);
		hc_val_free(d);
	} else if (!resources) {
		/* `deploy:` with no value becomes a mapping */
		struct hc_node *dkey = NULL;
		hc_map_get(hc_deref(s->value), "deploy", &dkey);
		rc = hc_add_pair(r, dkey, null_deploy ? deploy : dd, "resources", res);
		hc_val_free(res);
	} else {
		struct hc_node *rkey = NULL;
		hc_map_get(dd, "resources", &rkey);
		rc = 0;
		for (size_t i = 0; i < res->n && rc == 0; i++)
			if (!hc_map_lookup(resources, res->keys[i], NULL))
				rc = hc_add_pair(r, rkey, resources, res->keys[i], res->kids[i]);
		hc_val_free(res);
	}
	if (rc == 0)
		rc = drop_legacy(r, s);
	if (rc != 0) {
		/* take back what this service proposed: all or nothing */
		while (r->edits.n > mark)
			free(r->edits.v[--r->edits.n].text);
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cannot add resource limits in this shape; add "
		          "deploy.resources.limits by hand",
		          s->name);
		return;
	}
	hc_service_change(r, s, "deploy", "service \"%s\" (%s): add resource limits", s->name,
	                  hc_class_names[cls]);
}

const struct hc_transform hc_t_resource_limits = {
    .id = "resource-limits",
    .summary = "cap cpus, memory and pids per service (deploy.resources.limits), by class",
    .options = limits_options,
    .nopts = sizeof(limits_options) / sizeof(limits_options[0]),
    .opts_size = sizeof(struct limits_opts),
    .service = limits_service,
};

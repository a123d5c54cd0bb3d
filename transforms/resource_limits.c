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
 *
 * The memory limit is sized from what the service is told to use: a heap
 * (-Xmx/-Xms in its environment, command or entrypoint; NODE_OPTIONS
 * --max-old-space-size; redis --maxmemory; MAX_HEAP_SIZE; neo4j's heap
 * settings) gets heap + max(heap / 2, 256M), rounded up to 64M, never below
 * the class default; shm_size is added on top (/dev/shm pages are charged
 * to the container). A heap written with ${VAR} leaves the memory limit off,
 * with a note. No limit is written below an existing reservation. A file
 * that keeps version: "3.0" to "3.8" gets no default pids (3.9 adds it).
 */
#include "transforms/evidence.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
     "cpus=1.0,memory=2G,pids=1024", "limits for queues and message brokers (Kafka, RabbitMQ)"},
    {"proxy", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_PROXY]),
     "cpus=0.5,memory=256M,pids=256", "limits for proxies"},
    {"search", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_SEARCH]),
     "cpus=2.0,memory=2G,pids=4096", "limits for search engines (Elasticsearch, OpenSearch, Solr)"},
    {"jvm", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_JVM]),
     "cpus=2.0,memory=2G,pids=1024", "limits for JVM services (Keycloak, SonarQube, Tomcat, ...)"},
    {"inference", HC_OPT_LIST, offsetof(struct limits_opts, cls[HC_CLASS_INFERENCE]), "pids=4096",
     "limits for ML inference servers (Ollama, vLLM, TGI, ...); no memory or cpus by "
     "default: the model they load decides"},
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
	size_t end = block ? hc_comment_after(r->doc, v->end) : v->end;
	char *raw = hc_text_dup(r->doc, v->start, end);
	struct hc_val *out = hc_val_raw(raw);
	free(raw);
	return out;
}

#define MIB (1024LL * 1024)

/* What a service's own text says about the memory it will use. */
struct sizing {
	int64_t heap;      /* the largest heap found, bytes; 0: none */
	char heap_src[48]; /* where it was found: a variable, "command", ... */
	char unknown[48];  /* a heap written with a variable: where; "": none */
	int64_t shm;       /* shm_size in bytes; 0: none; -1: not known */
	int64_t reserve;   /* a memory reservation in bytes; 0: none; -1: not known */
	int64_t legacy;    /* mem_limit in bytes; 0: none; -1: not known */
};

/* A size node: bytes, 0 when absent or null, -1 when not known. */
static int64_t size_of(struct hc_node *n)
{
	n = hc_deref(n);
	if (!n || (n->type == HC_SCALAR && hc_is_null(n)))
		return 0;
	if (n->type != HC_SCALAR)
		return -1;
	return hc_parse_size(n->text, n->len);
}

static void read_sizing(struct sizing *z, const struct hc_service *s, struct hc_node *resources)
{
	memset(z, 0, sizeof(*z));
	struct hc_heap h;
	hc_heap_read(&h, s->value);
	z->heap = h.heap;
	memcpy(z->heap_src, h.heap_src, sizeof(z->heap_src));
	memcpy(z->unknown, h.unknown, sizeof(z->unknown));
	z->shm = size_of(hc_service_lookup(s, "shm_size"));
	struct hc_node *res = hc_deref(hc_map_lookup(resources, "reservations", NULL));
	z->reserve = size_of(hc_map_lookup(res, "memory", NULL));
	if (!z->reserve)
		z->reserve = size_of(hc_map_get(hc_deref(s->value), "mem_reservation", NULL));
	z->legacy = size_of(hc_map_get(hc_deref(s->value), "mem_limit", NULL));
}

/*
 * The memory limit to write, from the class default and what the service
 * says (see the top of this file); NULL to leave it off (*why says why).
 * *why also explains a limit above the default. Caller frees.
 */
static char *size_memory(const struct sizing *z, const char *dflt, struct hc_buf *why, bool *off)
{
	*off = false;
	if (z->unknown[0]) {
		hc_buf_addf(why,
		            "the heap in %s is set by a variable (or the host's environment) "
		            "and not known here",
		            z->unknown);
		*off = true;
		return NULL;
	}
	if (z->shm < 0 || z->reserve < 0) {
		hc_buf_addf(why, "its %s is written with a variable",
		            z->shm < 0 ? "shm_size" : "memory reservation");
		*off = true;
		return NULL;
	}
	int64_t d = dflt ? hc_parse_size(dflt, strlen(dflt)) : -1;
	if (d <= 0 && !z->heap && !z->shm && !z->reserve)
		return dflt && *dflt ? hc_xstrdup(dflt) : NULL;
	int64_t lim = d > 0 ? d : 0;
	if (z->heap) {
		int64_t over = z->heap / 2 > 256 * MIB ? z->heap / 2 : 256 * MIB;
		int64_t need = (z->heap + over + 64 * MIB - 1) / (64 * MIB) * (64 * MIB);
		if (need > lim) {
			lim = need;
			struct hc_buf h = HC_BUF_INIT;
			hc_format_size(&h, z->heap);
			hc_buf_addf(why, "heap %s from %s + max(50%%, 256M)", h.data, z->heap_src);
			hc_buf_release(&h);
		}
	}
	if (z->shm > 0 && lim) {
		lim += (z->shm + MIB - 1) / MIB * MIB;
		hc_buf_addf(why, "%sshm_size added", why->len ? "; " : "");
	}
	if (z->reserve > lim) {
		lim = z->reserve;
		hc_buf_addf(why, "%sraised to its memory reservation", why->len ? "; " : "");
	}
	if (!lim)
		return NULL;
	if (!why->len)
		return hc_xstrdup(dflt);
	struct hc_buf out = HC_BUF_INIT;
	hc_format_size(&out, lim);
	return out.data;
}

/* A legacy cpus value written as a plain number becomes a string ("1.5"):
 * the swarm loader wants one; its trailing comment stays. */
static struct hc_val *legacy_cpus(const struct hc_run *r, const struct hc_node *v, bool block)
{
	struct hc_val *raw = legacy_value(r, v, block);
	if (v->style != HC_PLAIN)
		return raw;
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addf(&b, "\"%.*s\"%s", (int)v->len, v->text, raw->text + v->len);
	hc_val_free(raw);
	struct hc_val *out = hc_val_raw(b.data);
	hc_buf_release(&b);
	return out;
}

/* A file that keeps version: "3.0" to "3.8" gets no default pids limit
 * (swarm.c: 3.9 adds it), with a note; a pids_limit of its own still moves
 * (no 3.x version has pids_limit: swarm refused the input already). */
static bool swarm_lacks_pids(struct hc_run *r, const struct hc_service *s)
{
	struct hc_buf who = HC_BUF_INIT;
	hc_buf_addf(&who, "service \"%s\"", s->name);
	bool lacks = hc_swarm_lacks(r, s->key->start, who.data, "deploy.resources.limits.pids", 9);
	hc_buf_release(&who);
	return lacks;
}

/* Builds {limits: {...}, reservations: {...}} from the class defaults,
 * overridden by the service's legacy keys (copied as written, cpus as a
 * string); `memory` is the sized limit (NULL: left off). */
static struct hc_val *build_resources(struct hc_run *r, const struct hc_service *s,
                                      const struct hc_strlist *dflt, bool block, const char *memory,
                                      const char *cpus)
{
	struct hc_val *lim = hc_val_map(), *res = hc_val_map();
	const char *names[] = {"cpus", "memory", "pids"};
	for (size_t i = 0; i < 3; i++) {
		struct hc_node *old = NULL;
		for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
			if (!strcmp(legacy[k].section, "limits") &&
			    !strcmp(legacy[k].name, names[i]))
				old = hc_map_get(hc_deref(s->value), legacy[k].key, NULL);
		const char *v = i == 0 ? cpus : i == 1 ? memory : kv(dflt, "pids");
		bool own = old && old->type == HC_SCALAR && !hc_is_null(old);
		if (i == 2 && v && !own && swarm_lacks_pids(r, s))
			v = NULL;
		if (own)
			hc_val_put(lim, names[i],
			           i == 0 ? legacy_cpus(r, old, block)
			                  : legacy_value(r, old, block));
		else if (v)
			hc_val_put(lim, names[i], number_or_string(v, i == 2));
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

/* Where the service's deploy.resources is: `deploy` as looked up (through
 * merges), dd and resources followed through aliases. */
struct deploy_at {
	struct hc_node *deploy, *dd, *resources;
	bool null_deploy; /* `deploy:` written with no value */
};

/* Proposes res (freed here) as the service's resources: a new deploy, a
 * resources key in its deploy, or the keys resources lacks; then drops the
 * legacy keys. Returns -1 when some shape is not one it edits. */
static int propose_resources(struct hc_run *r, const struct hc_service *s,
                             const struct deploy_at *at, struct hc_val *res)
{
	int rc;
	if (!at->deploy) {
		struct hc_val *d = hc_val_map();
		hc_val_put(d, "resources", res);
		rc = hc_add_pair(r, s->key, s->value, "deploy", d);
		hc_val_free(d);
	} else if (!at->resources) {
		/* `deploy:` with no value becomes a mapping */
		struct hc_node *dkey = NULL;
		hc_map_get(hc_deref(s->value), "deploy", &dkey);
		rc = hc_add_pair(r, dkey, at->null_deploy ? at->deploy : at->dd, "resources", res);
		hc_val_free(res);
	} else {
		struct hc_node *rkey = NULL;
		hc_map_get(at->dd, "resources", &rkey);
		rc = 0;
		for (size_t i = 0; i < res->n && rc == 0; i++)
			if (!hc_map_lookup(at->resources, res->keys[i], NULL))
				rc =
				    hc_add_pair(r, rkey, at->resources, res->keys[i], res->kids[i]);
		hc_val_free(res);
	}
	if (rc == 0)
		rc = drop_legacy(r, s);
	return rc;
}

/* Declares the change with its reason, and notes what the service's sizing
 * says about memory. */
static void report_limits(struct hc_run *r, const struct hc_service *s, enum hc_class cls,
                          const struct sizing *z, const char *memory, const struct hc_buf *why,
                          bool mem_off)
{
	if (mem_off)
		hc_service_change(r, s, "deploy",
		                  "service \"%s\" (%s): add resource limits without memory: %s",
		                  s->name, hc_class_names[cls], why->data);
	else if (memory && why->len && !z->legacy)
		hc_service_change(r, s, "deploy",
		                  "service \"%s\" (%s): add resource limits, memory %s (%s)",
		                  s->name, hc_class_names[cls], memory, why->data);
	else
		hc_service_change(r, s, "deploy", "service \"%s\" (%s): add resource limits",
		                  s->name, hc_class_names[cls]);
	if (mem_off && cls == HC_CLASS_INFERENCE)
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": memory limit left off: %s. Set "
		          "deploy.resources.limits.memory by hand to the model's size plus "
		          "its context cache",
		          s->name, why->data);
	else if (mem_off)
		hc_report(
		    r, s->key->start, HC_NOTE,
		    "service \"%s\": memory limit left off: %s. Set "
		    "deploy.resources.limits.memory by hand to at least the heap + max(50%% of "
		    "it, 256M)",
		    s->name, why->data);
	if (z->legacy > 0 && z->heap) {
		int64_t over = z->heap / 2 > 256 * MIB ? z->heap / 2 : 256 * MIB;
		if (z->legacy < z->heap + over)
			hc_report(
			    r, s->key->start, HC_NOTE,
			    "service \"%s\": mem_limit is below its heap (from %s) + max(50%%, "
			    "256M); kept as written",
			    s->name, z->heap_src);
	}
}

static void limits_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct limits_opts *o = opts;
	bool dexp;
	struct deploy_at at = {.deploy = hc_map_lookup(s->value, "deploy", &dexp)};
	at.dd = hc_deref(at.deploy);
	at.resources = hc_deref(hc_map_lookup(at.dd, "resources", NULL));
	if (hc_map_lookup(at.resources, "limits", NULL))
		return;
	at.null_deploy = at.deploy && dexp && hc_is_null(at.deploy);
	if (at.deploy && !at.null_deploy &&
	    (!dexp || at.deploy->type == HC_ALIAS || !at.dd || at.dd->type != HC_MAP)) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": deploy comes from an anchor; add resources.limits there",
		          s->name);
		return;
	}
	enum hc_class cls = hc_service_class(r, s);
	/* comments can follow values only where the new text is block style */
	struct hc_node *host = at.dd ? at.dd : hc_deref(s->value);
	bool block =
	    host && host->type == HC_MAP && !host->flow && (!at.resources || !at.resources->flow);
	struct sizing z;
	read_sizing(&z, s, at.resources);
	struct hc_buf why = HC_BUF_INIT;
	bool mem_off = false;
	char *memory = NULL;
	if (!hc_map_get(hc_deref(s->value), "mem_limit", NULL)) /* else it moves as written */
		memory = size_memory(&z, kv(&o->cls[cls], "memory"), &why, &mem_off);
	if (!memory && !mem_off && cls == HC_CLASS_INFERENCE &&
	    !hc_map_get(hc_deref(s->value), "mem_limit", NULL)) {
		hc_buf_addf(&why, "an inference server holds the model it loads in memory, "
		                  "and this file does not say how large it is");
		mem_off = true;
	}
	const char *cpus = kv(&o->cls[cls], "cpus");
	struct hc_node *rcpus = hc_deref(hc_map_lookup(
	    hc_deref(hc_map_lookup(at.resources, "reservations", NULL)), "cpus", NULL));
	if (cpus && rcpus && rcpus->type == HC_SCALAR && atof(rcpus->text) > atof(cpus))
		cpus = rcpus->text; /* never below the reservation */
	struct hc_val *res = build_resources(r, s, &o->cls[cls], block, memory, cpus);
	struct hc_run_mark mark = hc_run_mark(r);
	if (!res->n) {
		hc_val_free(res);
	} else if (propose_resources(r, s, &at, res) != 0) {
		/* take back what this service proposed: all or nothing */
		hc_run_rollback(r, mark);
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cannot add resource limits in this shape; add "
		          "deploy.resources.limits by hand",
		          s->name);
	} else {
		report_limits(r, s, cls, &z, memory, &why, mem_off);
	}
	free(memory);
	hc_buf_release(&why);
}

const struct hc_transform hc_t_resource_limits = {
    .id = "resource-limits",
    .summary = "cap cpus, memory and pids per service (deploy.resources.limits), by class",
    .options = limits_options,
    .nopts = sizeof(limits_options) / sizeof(limits_options[0]),
    .opts_size = sizeof(struct limits_opts),
    .service = limits_service,
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

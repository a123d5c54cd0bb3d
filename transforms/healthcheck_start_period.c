/*
 * healthcheck_start_period.c: a `healthcheck` without `start_period` gets
 * one, so a slow first start is not counted against the retries and the
 * service is not marked unhealthy while it boots. A disabled healthcheck
 * (`disable: true`, or test `NONE`) is left alone. A file that keeps
 * `version: "3.0"` to "3.3" gets none, with a note (swarm.c: 3.4 adds it).
 */
#include "transforms/transform.h"

#include <stddef.h>

struct hsp_opts {
	char *value;
};

static const struct hc_option hsp_options[] = {
    {"value", HC_OPT_STR, offsetof(struct hsp_opts, value), "30s",
     "the start_period to add (a Compose duration)"},
};

static bool disabled(struct hc_node *hc)
{
	if (hc_scalar_is(hc_deref(hc_map_lookup(hc, "disable", NULL)), "true"))
		return true;
	struct hc_node *t = hc_deref(hc_map_lookup(hc, "test", NULL));
	if (hc_scalar_is(t, "NONE"))
		return true;
	return t && t->type == HC_SEQ && t->nkids && hc_scalar_is(hc_deref(t->kids[0]), "NONE");
}

static void hsp_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct hsp_opts *o = opts;
	struct hc_node *hd = hc_deref(hc_map_lookup(s->value, "healthcheck", NULL));
	if (!hd || hd->type != HC_MAP || disabled(hd) || hc_map_lookup(hd, "start_period", NULL))
		return;
	struct hc_node *key = NULL;
	struct hc_node *hc = hc_own_value(s, "healthcheck", &key);
	if (!hc) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": its healthcheck comes from an anchor; add start_period "
		          "there",
		          s->name);
		return;
	}
	struct hc_buf who = HC_BUF_INIT;
	hc_buf_addf(&who, "service \"%s\"", s->name);
	bool lacks = hc_swarm_lacks(r, key->start, who.data, "healthcheck start_period", 4);
	hc_buf_release(&who);
	if (lacks)
		return;
	struct hc_val *v = hc_val_str(o->value);
	if (hc_add_pair(r, key, hc, "start_period", v) == 0)
		hc_service_change(r, s, "healthcheck/start_period",
		                  "service \"%s\": add start_period: %s to healthcheck", s->name,
		                  o->value);
	hc_val_free(v);
}

const struct hc_transform hc_t_healthcheck_start_period = {
    .id = "healthcheck-start-period",
    .summary = "give healthchecks a start_period so slow starts are not failures",
    .options = hsp_options,
    .nopts = sizeof(hsp_options) / sizeof(hsp_options[0]),
    .opts_size = sizeof(struct hsp_opts),
    .service = hsp_service,
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

/*
 * stop_grace_period.c: databases and queues get `stop_grace_period: 30s`
 * when unset. Docker's default of 10 s before SIGKILL is short for a
 * database flushing its buffers or a broker handing over its queues; killed
 * mid-checkpoint, they recover slowly or lose messages (seed 003).
 */
#include "transforms/transform.h"

#include <stddef.h>

struct sgp_opts {
	char *value;
	struct hc_strlist classes;
};

static const struct hc_option sgp_options[] = {
    {"value", HC_OPT_STR, offsetof(struct sgp_opts, value), "30s",
     "the grace period to set (a Compose duration)"},
    {"classes", HC_OPT_LIST, offsetof(struct sgp_opts, classes), "database,queue,search",
     "service classes that get it (database, cache, queue, proxy, search, jvm, app)"},
};

static void sgp_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct sgp_opts *o = opts;
	if (!hc_strlist_has(&o->classes, hc_class_names[hc_service_class(r, s)]))
		return;
	if (hc_map_lookup(s->value, "stop_grace_period", NULL))
		return;
	struct hc_val *v = hc_val_str(o->value);
	if (hc_add_pair(r, s->key, s->value, "stop_grace_period", v) == 0)
		hc_service_change(r, s, "stop_grace_period",
		                  "service \"%s\" (%s): add stop_grace_period: %s", s->name,
		                  hc_class_names[hc_service_class(r, s)], o->value);
	hc_val_free(v);
}

const struct hc_transform hc_t_stop_grace_period = {
    .id = "stop-grace-period",
    .summary = "give databases and queues time to shut down cleanly (stop_grace_period)",
    .options = sgp_options,
    .nopts = sizeof(sgp_options) / sizeof(sgp_options[0]),
    .opts_size = sizeof(struct sgp_opts),
    .service = sgp_service,
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

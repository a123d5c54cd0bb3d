/*
 * restart_policy.c: `restart: unless-stopped` on services with no restart
 * policy (neither `restart` nor `deploy.restart_policy`, own or merged), so a
 * crashed or rebooted host brings the stack back.
 */
#include "transform.h"

#include <stddef.h>

struct restart_opts {
	char *value;
};

static const struct hc_option restart_options[] = {
    {"value", HC_OPT_STR, offsetof(struct restart_opts, value), "unless-stopped",
     "the restart policy to set (no, always, on-failure, unless-stopped)"},
};

static void restart_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct restart_opts *o = opts;
	if (hc_map_lookup(s->value, "restart", NULL))
		return;
	struct hc_node *deploy = hc_deref(hc_map_lookup(s->value, "deploy", NULL));
	if (hc_map_lookup(deploy, "restart_policy", NULL))
		return;
	struct hc_val *v = hc_val_str(o->value);
	if (hc_add_pair(r, s->key, s->value, "restart", v) == 0)
		hc_service_change(r, s, "restart", "service \"%s\": add restart: %s", s->name,
		                  o->value);
	hc_val_free(v);
}

const struct hc_transform hc_t_restart_policy = {
    .id = "restart-policy",
    .summary = "restart services after a crash or reboot (restart: unless-stopped)",
    .options = restart_options,
    .nopts = sizeof(restart_options) / sizeof(restart_options[0]),
    .opts_size = sizeof(struct restart_opts),
    .service = restart_service,
};

/*
 * logging.c: log rotation. A service without `logging` gets the profile's
 * driver (json-file by default) with rotation options (max-size 10m,
 * max-file "3"), so container logs cannot fill the disk. A json-file or
 * local logging block without rotation options gets the missing ones. Any
 * other driver ships logs elsewhere and is left alone.
 */
#include "transforms/transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct logging_opts {
	char *driver;
	char *max_size;
	char *max_file;
	struct hc_strlist options; /* KEY=VALUE, for drivers other than json-file/local */
};

static const struct hc_option logging_options[] = {
    {"driver", HC_OPT_STR, offsetof(struct logging_opts, driver), "json-file",
     "the driver for services without logging (json-file, local, loki, fluentd, ...)"},
    {"max-size", HC_OPT_STR, offsetof(struct logging_opts, max_size), "10m",
     "json-file/local: size at which a log file is rotated"},
    {"max-file", HC_OPT_STR, offsetof(struct logging_opts, max_file), "3",
     "json-file/local: how many rotated files are kept"},
    {"options", HC_OPT_LIST, offsetof(struct logging_opts, options), "",
     "other drivers: their options as KEY=VALUE (comma-separated)"},
};

static bool rotating_driver(const char *d, size_t n)
{
	return (n == 9 && !strncmp(d, "json-file", 9)) || (n == 5 && !strncmp(d, "local", 5));
}

/* The options mapping for a new logging block. */
static struct hc_val *new_options(const struct logging_opts *o)
{
	struct hc_val *m = hc_val_map();
	if (rotating_driver(o->driver, strlen(o->driver))) {
		hc_val_put(m, "max-size", hc_val_str(o->max_size));
		hc_val_put(m, "max-file", hc_val_str(o->max_file));
		return m;
	}
	for (size_t i = 0; i < o->options.n; i++) {
		const char *kv = o->options.v[i], *eq = strchr(kv, '=');
		if (!eq)
			continue;
		char *k = hc_xstrndup(kv, (size_t)(eq - kv));
		hc_val_put(m, k, hc_val_str(eq + 1));
		free(k);
	}
	return m;
}

static void add_block(struct hc_run *r, const struct hc_service *s, const struct logging_opts *o)
{
	struct hc_val *lg = hc_val_map();
	hc_val_put(lg, "driver", hc_val_str(o->driver));
	struct hc_val *opts = new_options(o);
	if (opts->n)
		hc_val_put(lg, "options", opts);
	else
		hc_val_free(opts);
	if (hc_add_pair(r, s->key, s->value, "logging", lg) == 0)
		hc_service_change(r, s, "logging", "service \"%s\": add logging with %s%s", s->name,
		                  o->driver,
		                  rotating_driver(o->driver, strlen(o->driver)) ? " rotation" : "");
	hc_val_free(lg);
}

/* Adds the missing rotation options to an explicit json-file/local block. */
static void add_rotation(struct hc_run *r, const struct hc_service *s, struct hc_node *lgkey,
                         struct hc_node *lg, const struct logging_opts *o)
{
	bool explicit;
	struct hc_node *opts = hc_map_lookup(lg, "options", &explicit);
	struct hc_node *od = hc_deref(opts);
	bool has_size = hc_map_lookup(od, "max-size", NULL) != NULL;
	bool has_file = hc_map_lookup(od, "max-file", NULL) != NULL;
	if (has_size && has_file)
		return;
	if (!od) {
		struct hc_val *m = hc_val_map();
		hc_val_put(m, "max-size", hc_val_str(o->max_size));
		hc_val_put(m, "max-file", hc_val_str(o->max_file));
		if (hc_add_pair(r, lgkey, lg, "options", m) == 0)
			hc_service_change(r, s, "logging/options",
			                  "service \"%s\": add log rotation options", s->name);
		hc_val_free(m);
		return;
	}
	if (!explicit || opts->type == HC_ALIAS || od->type != HC_MAP) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": logging options are empty or come from an anchor; add "
		          "max-size and max-file by hand",
		          s->name);
		return;
	}
	struct hc_node *okey = NULL;
	hc_map_get(lg, "options", &okey);
	int rc = 0;
	if (!has_size) {
		struct hc_val *v = hc_val_str(o->max_size);
		rc |= hc_add_pair(r, okey, od, "max-size", v);
		hc_val_free(v);
	}
	if (!has_file) {
		struct hc_val *v = hc_val_str(o->max_file);
		rc |= hc_add_pair(r, okey, od, "max-file", v);
		hc_val_free(v);
	}
	if (rc == 0)
		hc_service_change(r, s, "logging/options",
		                  "service \"%s\": add log rotation options", s->name);
}

static void logging_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct logging_opts *o = opts;
	struct hc_node *lg = hc_map_lookup(s->value, "logging", NULL);
	if (!lg) {
		add_block(r, s, o);
		return;
	}
	struct hc_node *ld = hc_deref(lg);
	if (!ld || ld->type != HC_MAP)
		return;
	struct hc_node *drv = hc_deref(hc_map_lookup(ld, "driver", NULL));
	if (drv && !(drv->type == HC_SCALAR && rotating_driver(drv->text, drv->len)))
		return; /* another driver: logs go elsewhere */
	struct hc_node *lgkey = NULL;
	if (!hc_own_value(s, "logging", &lgkey)) {
		struct hc_node *od = hc_deref(hc_map_lookup(ld, "options", NULL));
		if (!hc_map_lookup(od, "max-size", NULL) || !hc_map_lookup(od, "max-file", NULL))
			hc_report(r, s->key->start, HC_NOTE,
			          "service \"%s\": logging comes from an anchor without rotation; "
			          "add max-size and max-file there",
			          s->name);
		return;
	}
	add_rotation(r, s, lgkey, ld, o);
}

const struct hc_transform hc_t_logging = {
    .id = "logging",
    .summary = "rotate container logs (json-file with max-size and max-file) or set a driver",
    .options = logging_options,
    .nopts = sizeof(logging_options) / sizeof(logging_options[0]),
    .opts_size = sizeof(struct logging_opts),
    .service = logging_service,
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

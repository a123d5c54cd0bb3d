/*
 * init.c: `init: true` on every service without an `init` of its own or
 * through a merge. An explicit `init: false` is the user's choice: it stays,
 * and is reported as a note.
 *
 * Services whose entrypoint is an init already are left alone, with a note:
 * s6-overlay's /init must be PID 1 and exits under `init: true` ("can only
 * run as pid 1"); tini, dumb-init and systemd gain nothing from a second
 * init. The evidence is the service's own `entrypoint:` when it sets one
 * (it replaces the image's), else the image table's `init:` fact.
 *
 * A file that keeps `version: "3.0"` to "3.6" gets no `init` (swarm's
 * loader refuses it before 3.7), with a note (swarm.c).
 */
#include "transforms/evidence.h"

#include <stddef.h>
#include <string.h>

struct init_opts {
	bool skip_own_init;
};

static const struct hc_option init_options[] = {
    {"skip-own-init", HC_OPT_BOOL, offsetof(struct init_opts, skip_own_init), "true",
     "leave services whose entrypoint is an init (s6-overlay, tini, dumb-init, systemd) alone"},
};

/* The init the service's entrypoint brings, and where that is known from. */
static const char *own_init(const struct hc_run *r, const struct hc_service *s, const char **from)
{
	bool has_ep;
	const char *init = hc_entrypoint_init(s, &has_ep);
	if (has_ep) {
		*from = "its entrypoint";
		return init;
	}
	const struct hc_image_fact *f = hc_service_fact(r, s);
	*from = "the image table";
	return f ? f->init : NULL;
}

static void init_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct init_opts *o = opts;
	bool explicit;
	struct hc_node *v = hc_deref(hc_map_lookup(s->value, "init", &explicit));
	if (v) {
		if (v->type == HC_SCALAR && !hc_scalar_is(v, "true") && !hc_scalar_is(v, "True") &&
		    !hc_scalar_is(v, "TRUE"))
			hc_report(r, v->start, HC_NOTE,
			          "service \"%s\" sets init to %.*s; kept as written", s->name,
			          (int)(v->len > 20 ? 20 : v->len), v->text);
		return;
	}
	const char *from;
	const char *init = o->skip_own_init ? own_init(r, s, &from) : NULL;
	if (init) {
		struct hc_buf img = HC_BUF_INIT;
		hc_image_desc(&img, s);
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": image %s brings its own init (%s, from %s)%s; init not "
		          "added. To add it anyway write `init: true`, or --set "
		          "init.skip-own-init=false; `# hardcompose: ignore[init]` silences this",
		          s->name, img.data, init, from,
		          !strcmp(init, "s6-overlay")
		              ? ", which must run as PID 1 and exits under init: true"
		              : ": a second init adds nothing");
		hc_buf_release(&img);
		return;
	}
	struct hc_buf who = HC_BUF_INIT;
	hc_buf_addf(&who, "service \"%s\"", s->name);
	bool lacks = hc_swarm_lacks(r, s->key->start, who.data, "init", 7);
	hc_buf_release(&who);
	if (lacks)
		return;
	struct hc_val *val = hc_val_raw("true");
	if (hc_add_pair(r, s->key, s->value, "init", val) == 0)
		hc_service_change(r, s, "init", "service \"%s\": add init: true", s->name);
	else
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cannot add init here; add `init: true` by hand",
		          s->name);
	hc_val_free(val);
}

const struct hc_transform hc_t_init = {
    .id = "init",
    .summary = "run an init process (init: true) so signals reach the app and zombies are reaped",
    .options = init_options,
    .nopts = sizeof(init_options) / sizeof(init_options[0]),
    .opts_size = sizeof(struct init_opts),
    .service = init_service,
    .batch = true,
};

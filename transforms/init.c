/*
 * init.c: `init: true` on every service without an `init` of its own or
 * through a merge. An explicit `init: false` is the user's choice: it stays,
 * and is reported as a note.
 */
#include "transform.h"

static void init_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	(void)opts;
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
    .service = init_service,
    .batch = true,
};

/*
 * cap_drop.c: `cap_drop` contains ALL, so the container starts with no
 * Linux capabilities beyond those `cap_add` grants back. An existing
 * `cap_add` is kept: Docker applies cap_drop first, then cap_add.
 *
 * Image-aware: images known to start as root and step down (postgres,
 * nginx, redis, ...) need a few capabilities back or the hardened stack does
 * not start. When this transform adds ALL, it also adds the missing entries
 * of the image's `cap_add` from the profile's image table. A service that
 * sets `user:` skips those entrypoints' privilege drop and gets none; an
 * image not in the table gets none and a note.
 */
#include "transform.h"

#include <stddef.h>
#include <string.h>

struct cap_drop_opts {
	bool image_aware;
};

static const struct hc_option cap_drop_options[] = {
    {"image-aware", HC_OPT_BOOL, offsetof(struct cap_drop_opts, image_aware), "true",
     "add the cap_add the image table lists for the service's image"},
};

/* Adds the image's capabilities that cap_add lacks. */
static void add_caps(struct hc_run *r, const struct hc_service *s, const struct hc_image_fact *f)
{
	bool explicit;
	struct hc_node *cur = hc_map_lookup(s->value, "cap_add", &explicit);
	struct hc_strlist missing = {0};
	for (size_t i = 0; i < f->cap_add.n; i++)
		if (!hc_seq_has(cur, f->cap_add.v[i]) && !hc_seq_has(cur, "ALL"))
			hc_strlist_push(&missing, f->cap_add.v[i], strlen(f->cap_add.v[i]));
	if (!missing.n)
		return;
	int rc = hc_list_ensure_all(r, s, "cap_add", &missing);
	if (rc == 0) {
		struct hc_buf names = HC_BUF_INIT;
		hc_join(&names, &missing);
		hc_service_change(r, s, "cap_add",
		                  "service \"%s\": add %s to cap_add (its image needs them after "
		                  "cap_drop ALL)",
		                  s->name, names.data);
		hc_buf_release(&names);
	}
	hc_strlist_release(&missing);
}

static void cap_drop_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct cap_drop_opts *o = opts;
	struct hc_node *cur = hc_map_lookup(s->value, "cap_drop", NULL);
	if (hc_seq_has(cur, "ALL"))
		return;
	if (hc_list_ensure(r, s, "cap_drop", "ALL") != 0) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cap_drop is not a list; add ALL by hand", s->name);
		return;
	}
	hc_service_change(r, s, "cap_drop", "service \"%s\": add ALL to cap_drop", s->name);
	if (!o->image_aware || hc_map_lookup(s->value, "user", NULL))
		return;
	struct hc_node *img = hc_deref(hc_map_lookup(s->value, "image", NULL));
	const struct hc_image_fact *f =
	    img && img->type == HC_SCALAR ? hc_image_fact(r->classes, img->text, img->len) : NULL;
	if (f)
		add_caps(r, s, f);
	else
		hc_report(
		    r, s->key->start, HC_NOTE,
		    "service \"%s\": image %s%.*s%s is not in the capability table; check that "
		    "it starts with cap_drop ALL, or add the cap_add it needs",
		    s->name, img ? "'" : "", img ? (int)(img->len > 80 ? 80 : img->len) : 0,
		    img ? img->text : "", img ? "'" : "(built here)");
}

const struct hc_transform hc_t_cap_drop = {
    .id = "cap-drop",
    .summary = "drop every Linux capability (cap_drop: [ALL]); give back what known images need",
    .options = cap_drop_options,
    .nopts = sizeof(cap_drop_options) / sizeof(cap_drop_options[0]),
    .opts_size = sizeof(struct cap_drop_opts),
    .service = cap_drop_service,
    .batch = true,
};

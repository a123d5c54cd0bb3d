/*
 * cap_drop.c: `cap_drop` contains ALL, so the container starts with no
 * Linux capabilities beyond those `cap_add` grants back. An existing
 * `cap_add` is kept: Docker applies cap_drop first, then cap_add.
 */
#include "transform.h"

static void cap_drop_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	(void)opts;
	struct hc_node *cur = hc_map_lookup(s->value, "cap_drop", NULL);
	if (hc_seq_has(cur, "ALL"))
		return;
	if (hc_list_ensure(r, s, "cap_drop", "ALL") == 0)
		hc_service_change(r, s, "cap_drop", "service \"%s\": add ALL to cap_drop", s->name);
	else
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cap_drop is not a list; add ALL by hand", s->name);
}

const struct hc_transform hc_t_cap_drop = {
    .id = "cap-drop",
    .summary = "drop every Linux capability (cap_drop: [ALL]); cap_add grants back what is needed",
    .service = cap_drop_service,
};

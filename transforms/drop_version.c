/*
 * drop_version.c: removes the top-level `version:` key. Compose v2 ignores it
 * and warns that it is obsolete; keeping it misleads readers into thinking
 * the file format is pinned. Comment lines above it stay.
 */
#include "transforms/transform.h"

static void drop_version_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	(void)opts;
	for (size_t i = 0; i + 1 < root->nkids; i += 2) {
		if (!hc_scalar_is(root->kids[i], "version"))
			continue;
		if (hc_delete_pair(r, root, i / 2) == 0) {
			hc_declare(r, "/version", HC_CHANGE_REMOVE);
			hc_report(r, root->kids[i]->start, HC_WARNING,
			          "remove the obsolete top-level version key");
			r->changes++;
		} else {
			hc_report(r, root->kids[i]->start, HC_NOTE,
			          "the version key shares its line; remove it by hand");
		}
		return;
	}
}

const struct hc_transform hc_t_drop_version = {
    .id = "drop-version",
    .summary = "remove the obsolete top-level version key",
    .document = drop_version_document,
};

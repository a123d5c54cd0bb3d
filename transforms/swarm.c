/*
 * swarm.c: what a file that keeps a `version: "3.x"` key may gain.
 *
 * `docker stack deploy` (and `docker stack config`) load 3.x files against
 * the schema of the version they name (docker/cli
 * cli/compose/schema/data/config_schema_v3.*.json) and refuse keys that
 * version lacks: `init` needs 3.7, `pids` under deploy.resources.limits 3.9,
 * a healthcheck's `start_period` and top-level `x-` keys 3.4, `secrets` 3.1.
 * drop-version runs first, so a transform sees `version:` only when the
 * output keeps it. 2.x files are Compose-only (swarm refuses them) and
 * Compose v2 reads them by the Compose Specification: nothing is skipped.
 *
 * `version: "3"` alone is the latest 3.x schema since docker 23.0 (docker/cli
 * 60c3836: "make version: \"3\" equivalent to \"3.x\""); it lacks nothing.
 * Swarm also ignores some keys the schema allows (restart, security_opt,
 * service-level tmpfs, a host IP in short port syntax): docs/transforms.md
 * "Swarm files" says which transforms that concerns.
 */
#include "transforms/transform.h"

#include <string.h>

int hc_swarm_minor(const struct hc_doc *d)
{
	struct hc_node *root = d ? d->root : NULL;
	if (!root || root->type != HC_MAP)
		return -1;
	struct hc_node *v = hc_deref(hc_map_get(root, "version", NULL));
	if (!v || v->type != HC_SCALAR || v->len < 1 || v->text[0] != '3')
		return -1;
	if (v->len == 1)
		return HC_SWARM_LATEST; /* "3": the latest 3.x since docker 23.0 */
	if (v->text[1] != '.' || v->len < 3 || v->len > 4)
		return -1;
	int minor = 0;
	for (size_t i = 2; i < v->len; i++) {
		if (v->text[i] < '0' || v->text[i] > '9')
			return -1;
		minor = minor * 10 + (v->text[i] - '0');
	}
	return minor;
}

bool hc_swarm_lacks(struct hc_run *r, size_t pos, const char *who, const char *key, int minor)
{
	int have = hc_swarm_minor(r->doc);
	if (have < 0 || have >= minor)
		return false;
	hc_report(r, pos, HC_NOTE,
	          "%s%s%s not added: this file keeps version: \"3.%d\", and `docker stack deploy` "
	          "refuses %s before 3.%d. To add it, raise version to \"3.%d\" or later, or drop "
	          "the key (--enable drop-version; Compose v2 ignores it)",
	          who ? who : "", who ? ": " : "", key, have, key, minor, minor);
	return true;
}

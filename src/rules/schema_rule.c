/*
 * schema_rule.c: the `schema` rule: hc_schema_check's findings as the rule's
 * (suppressions and the rule's `exclude` list apply). See schema.h.
 */
#include "rules/rules.h"
#include "rules/schema.h"

#include <string.h>

struct emit_ctx {
	struct hc_rctx *x;
	struct hc_node *services;
};

/* The service a path ("services.web.ports[0]") lies in, or NULL: the
 * longest service name that the path continues with '.', '[' or its end. */
static const char *service_of(struct hc_node *services, const char *path)
{
	if (!services || strncmp(path, "services.", 9))
		return NULL;
	const char *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		const struct hc_node *k = services->kids[i];
		if (k->type == HC_SCALAR && k->len >= best_len &&
		    !strncmp(path + 9, k->text, k->len) && strchr(".[", path[9 + k->len]))
			best = k->text, best_len = k->len;
	}
	return best;
}

static void emit(void *ctx, size_t pos, const char *path, const char *msg)
{
	struct emit_ctx *e = ctx;
	hc_rule_emit(e->x, pos, service_of(e->services, path), msg);
}

void hc_schema_rule(struct hc_rctx *x, struct hc_node *services)
{
	struct emit_ctx e = {.x = x, .services = services};
	struct hc_node *root = services; /* rules run when there are services */
	while (root && root->parent)
		root = root->parent;
	hc_schema_check(root, emit, &e);
}

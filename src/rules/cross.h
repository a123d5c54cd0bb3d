/*
 * cross.h: rules that read several parts of a file together (docs/rules.md):
 * depends_on and the services it names, names used and declared at the top
 * level, a memory limit against the heap and the reservation, one-shot jobs
 * and their restart policy. Also the rule context the rule files share.
 */
#ifndef HC_RULES_CROSS_H
#define HC_RULES_CROSS_H

#include "engine/run.h"
#include "rules/classes.h"
#include "rules/secret_detect.h"
#include "yaml/tree.h"

#include <stdarg.h>

struct hc_rule; /* rules.h (which cannot be included here: rules.c includes this) */

struct hc_rctx {
	const struct hc_doc *doc;
	const struct hc_rule *rule;
	enum hc_severity sev;
	const struct hc_secret_words *words; /* the secrets transform's, or NULL */
	const struct hc_classes *classes;    /* the profile's, or NULL */
	struct hc_findings *out;
	bool (*skip)(void *ctx, const char *id, size_t pos);
	void *skip_ctx;
	const struct hc_strlist *exclude; /* services the running rule skips */
};

/* Adds a finding of the running rule at `at`, unless suppressed there. */
void hc_rule_vreport(struct hc_rctx *x, const struct hc_node *at, const char *fmt, va_list ap);
/* The same, printf-style. */
void hc_rule_report(struct hc_rctx *x, const struct hc_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* n (through an alias) when it is a non-null scalar, else NULL. */
const struct hc_node *hc_rule_scalar(struct hc_node *n);

/* A published port: host address, host port (or range), container port,
 * protocol. Empty host port: Docker picks one. */
struct hc_port {
	struct hc_node *at;
	char ip[64], host[32], target[32], proto[8];
};

/* Reads one `ports:` item (short or long syntax); false when it is neither. */
bool hc_port_of(struct hc_node *item, struct hc_port *p);
/* An empty host address, 0.0.0.0 or ::: every interface. */
bool hc_all_interfaces(const char *ip);

/* Whether the file's services or declarations may come from another file:
 * `include:`, `extends: {file: ...}`, or a service with no image, build or
 * extends (an override). The rules about names then stay quiet. */
bool hc_rules_partial(const struct hc_rctx *x, struct hc_node *svcs);

/* Over all services at once (struct hc_rule.document). */
void hc_rule_depends_on_missing(struct hc_rctx *x, struct hc_node *svcs);
void hc_rule_depends_on_healthcheck(struct hc_rctx *x, struct hc_node *svcs);
void hc_rule_undeclared_name(struct hc_rctx *x, struct hc_node *svcs);
void hc_rule_unused_declaration(struct hc_rctx *x, struct hc_node *svcs);
void hc_rule_restart_one_shot(struct hc_rctx *x, struct hc_node *svcs);
void hc_rule_duplicate_host_port(struct hc_rctx *x, struct hc_node *svcs); /* ports.c */
/* Per service (struct hc_rule.service). */
void hc_rule_container_name_replicas(struct hc_rctx *x, const struct hc_service *s);
void hc_rule_limit_below_heap(struct hc_rctx *x, const struct hc_service *s);
void hc_rule_limit_below_reservation(struct hc_rctx *x, const struct hc_service *s);

#endif

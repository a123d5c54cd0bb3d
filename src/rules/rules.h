/*
 * rules.h: findings that are reported, never rewritten.
 *
 * A rule looks at the parsed input and reports what a person has to decide
 * (privileged: true, a mounted Docker socket, a port open on every
 * interface). Each has a stable id, a default severity and a docs page
 * (docs/rules.md#<id>); the profile chooses which run and at what severity.
 * A rule that a transform fixes (`covered_by`) stays quiet while that
 * transform runs, since its pending change already says the same.
 */
#ifndef HC_RULES_H
#define HC_RULES_H

#include "engine/run.h"
#include "rules/classes.h"
#include "rules/secret_detect.h"
#include "yaml/tree.h"

struct hc_rctx;

struct hc_rule {
	const char *id;
	enum hc_severity sev; /* default severity */
	const char *summary;  /* one line: what is wrong */
	const char *help;     /* one line: what to do */
	const char *covered_by;
	/* per service (s->value is a mapping), or NULL */
	void (*service)(struct hc_rctx *x, const struct hc_service *s);
	/* over all services at once, or NULL */
	void (*document)(struct hc_rctx *x, struct hc_node *services);
};

/* Adds a finding of the running rule at pos unless an ignore comment or the
 * rule's `exclude` (when service is not NULL) silences it; for rules written
 * in files of their own. */
void hc_rule_emit(struct hc_rctx *x, size_t pos, const char *service, const char *msg);

extern const struct hc_rule hc_rules[];
extern const size_t hc_nrules;

/* Index of id in hc_rules, or -1. */
int hc_rule_find(const char *id);

/* Which rules run, at what severity (one per hc_rules entry). */
struct hc_rconf {
	bool enabled;
	enum hc_severity sev;
	struct hc_strlist exclude; /* services it skips */
};

/* Severity names: "error", "warning", "note"; -1 when unknown. */
int hc_severity_parse(const char *s);
const char *hc_severity_name(enum hc_severity s);

/*
 * Runs the enabled rules over doc's services, adding findings (input
 * positions). `covered[i]` says transform-covered rule i stays quiet.
 * `words` are the secrets transform's (NULL: plaintext-secret reports
 * nothing). `classes` (may be NULL) names the proxies privileged-port
 * exempts. `skip(ctx, id, pos)` says a finding is suppressed (may be NULL).
 */
void hc_rules_run(const struct hc_rconf *rc, const bool *covered, const struct hc_doc *doc,
                  struct hc_node *services, const struct hc_secret_words *words,
                  const struct hc_classes *classes, struct hc_findings *out,
                  bool (*skip)(void *ctx, const char *id, size_t pos), void *skip_ctx);

#endif

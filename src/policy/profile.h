/*
 * profile.h: which transforms run, with which options.
 *
 * A profile is YAML (built in, from profiles/, or a file path):
 *
 *   description: one line
 *   extends: baseline          # optional, another profile
 *   transforms:
 *     init: {}                 # enabled with default options
 *     no-new-privileges:
 *       value: no-new-privileges:true
 *     cap-drop: false          # disabled (useful with extends)
 *
 *   classes:                   # image patterns per service class
 *     database: [postgres, mysql, "bitnami/postgresql"]
 *
 * Every transform also takes `exclude`: a list of service names it skips.
 *
 * hc_config_plan() (plan.c) turns a configuration into what the engine
 * runs (struct hc_plan, engine/engine.h).
 */
#ifndef HC_PROFILE_H
#define HC_PROFILE_H

#include "transforms/transform.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "rules/classes.h"
#include "rules/rules.h"

struct hc_tconf {
	bool enabled;
	void *opts; /* the transform's options struct, owned */
	struct hc_strlist exclude;
};

struct hc_config {
	struct hc_tconf *t; /* one per registry entry */
	struct hc_rconf *r; /* one per rules.h entry */
	struct hc_classes classes;
};

/* Everything disabled, options at their defaults. */
void hc_config_init(struct hc_config *c);
void hc_config_release(struct hc_config *c);

/*
 * Loads a profile by name (built in) or path (contains '/' or ends in .yml
 * or .yaml). Returns 0, or -1 with a message in err.
 */
int hc_config_load_profile(struct hc_config *c, const char *name_or_path, struct hc_buf *err);
/* Enables or disables a transform or a rule by id. */
int hc_config_enable(struct hc_config *c, const char *id, bool on, struct hc_buf *err);
/* "ID=SEVERITY" (error, warning, note) or "ID=off" for a rule. */
int hc_config_rule(struct hc_config *c, const char *id, const char *value, struct hc_buf *err);
/* "ID.OPTION=VALUE" */
int hc_config_set(struct hc_config *c, const char *assignment, struct hc_buf *err);
/* "ID.OPTION" set to a YAML value (.hardcompose.yml `set:`): a scalar as
 * with hc_config_set, a sequence item by item for a list option. */
struct hc_node;
int hc_config_set_value(struct hc_config *c, const char *key, struct hc_node *v,
                        struct hc_buf *err);

/*
 * The engine's plan for c (plan.c): its enabled transforms in registry
 * order, the findings rules (quiet where an enabled transform covers them)
 * and which ids ignore comments may name. It points into c, which must
 * outlive it; release it with hc_config_plan_release.
 */
struct hc_config_plan {
	struct hc_plan plan; /* what hc_process takes */
	struct hc_step *steps;
	struct hc_rules_hook *rules; /* plan.rules_ctx, owned */
};
void hc_config_plan(const struct hc_config *c, struct hc_config_plan *p);
void hc_config_plan_release(struct hc_config_plan *p);
/* hc_process with c's plan, built and released around the run. */
void hc_config_process(const struct hc_config *c, const struct hc_ctx *ctx, const char *name,
                       const char *text, size_t len, struct hc_result *res);
/* The secrets transform's `dir` option in c, or NULL. */
const char *hc_secrets_dir(const struct hc_config *c);

/* Built-in profiles (generated from profiles/ *.yml at build time). */
struct hc_node;
/* A built-in profile: its tree, compiled at build time from profiles/NAME.yml
 * (cmake/profile_gen.c), so no YAML is parsed at start-up. */
struct hc_builtin_profile {
	const char *name;
	struct hc_node *root;
};
extern const struct hc_builtin_profile hc_builtin_profiles[];

#endif

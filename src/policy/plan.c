/*
 * plan.c: from a configuration to what the engine runs (struct hc_plan).
 * See profile.h.
 *
 * The engine knows no transform and no rule by name; this is where the
 * configuration's choices meet it: which transforms run with which options,
 * which rules stay quiet because an enabled transform already reports the
 * same, and which words the plaintext-secret rule shares with the secrets
 * transform.
 */
#include "policy/profile.h"
#include "rules/secret_detect.h"
#include "transforms/secrets.h"

#include <stdlib.h>

/* What the rules hook needs: the rules' settings, which are covered, and
 * the secrets transform's words. */
struct hc_rules_hook {
	const struct hc_rconf *rc;
	bool *covered; /* one per hc_rules entry */
	const struct hc_secret_words *words;
	const struct hc_classes *classes;
};

static void run_rules(void *ctx, const struct hc_doc *doc, struct hc_node *services,
                      struct hc_findings *out, hc_skip_fn *skip, void *skip_ctx)
{
	const struct hc_rules_hook *h = ctx;
	hc_rules_run(h->rc, h->covered, doc, services, h->words, h->classes, out, skip, skip_ctx);
}

static bool known_id(const char *id)
{
	return hc_rule_find(id) >= 0 || hc_transform_find(id) >= 0;
}

/* The secrets transform's options in c, or NULL. */
static const void *secrets_opts(const struct hc_config *c)
{
	int i = hc_transform_find("secrets");
	return i >= 0 && c->t ? c->t[i].opts : NULL;
}

const char *hc_secrets_dir(const struct hc_config *c)
{
	const void *o = secrets_opts(c);
	return o ? hc_secrets_opts_dir(o) : NULL;
}

void hc_config_plan(const struct hc_config *c, struct hc_config_plan *p)
{
	p->steps = hc_xcalloc(hc_ntransforms + 1, sizeof(*p->steps));
	size_t n = 0;
	for (size_t i = 0; i < hc_ntransforms; i++)
		if (c->t[i].enabled)
			p->steps[n++] = (struct hc_step){.t = hc_transforms[i],
			                                 .opts = c->t[i].opts,
			                                 .exclude = &c->t[i].exclude};
	struct hc_rules_hook *h = hc_xcalloc(1, sizeof(*h));
	h->rc = c->r;
	h->covered = hc_xcalloc(hc_nrules + 1, sizeof(*h->covered));
	for (size_t i = 0; i < hc_nrules; i++) {
		int ti = hc_rules[i].covered_by ? hc_transform_find(hc_rules[i].covered_by) : -1;
		h->covered[i] = ti >= 0 && c->t[ti].enabled;
	}
	const void *so = secrets_opts(c);
	h->words = so ? hc_secrets_opts_words(so) : NULL;
	h->classes = &c->classes;
	p->rules = h;
	p->plan = (struct hc_plan){
	    .steps = p->steps,
	    .nsteps = n,
	    .classes = &c->classes,
	    .rules = run_rules,
	    .rules_ctx = h,
	    .known_id = known_id,
	};
}

void hc_config_plan_release(struct hc_config_plan *p)
{
	free(p->steps);
	if (p->rules)
		free(p->rules->covered);
	free(p->rules);
	p->steps = NULL;
	p->rules = NULL;
}

void hc_config_process(const struct hc_config *c, const struct hc_ctx *ctx, const char *name,
                       const char *text, size_t len, struct hc_result *res)
{
	struct hc_config_plan p;
	hc_config_plan(c, &p);
	hc_process(&p.plan, ctx, name, text, len, res);
	hc_config_plan_release(&p);
}

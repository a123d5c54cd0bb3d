/*
 * engine.h: one compose text in, the hardened text out.
 *
 * Parse, check the compose shape, run the plan's steps in order (apply
 * their edits, re-parse), then verify that the output means what the input
 * meant except at the declared paths. Never prints: errors and findings
 * come back in the result. The engine names no transform and no rule: the
 * caller's plan (src/policy builds it from a profile) says what runs.
 */
#ifndef HC_ENGINE_H
#define HC_ENGINE_H

#include "base/diag.h"
#include "base/exit.h"
#include "engine/edit.h"
#include "engine/run.h"
#include "engine/step.h"

struct hc_result {
	struct hc_buf out;           /* the new text (valid when code == OK) */
	struct hc_findings findings; /* positions in the input */
	struct hc_pieces pieces;     /* output bytes -> input bytes */
	struct hc_diag err;          /* the error when code != OK */
	int code;
	size_t changes;      /* pending changes */
	struct hc_side side; /* files to write besides the text */
	char skipped[200];   /* not a compose file: why ("" when it is one) */
};

/* One transform to run: its options struct and the services it skips. */
struct hc_step {
	const struct hc_transform *t;
	const void *opts;
	const struct hc_strlist *exclude; /* may be NULL */
};

/* Says whether an ignore comment covers `id` at input byte pos. */
typedef bool hc_skip_fn(void *skip_ctx, const char *id, size_t pos);

/* What a run does; the caller owns everything it points to. */
struct hc_plan {
	const struct hc_step *steps; /* in run order */
	size_t nsteps;
	const struct hc_classes *classes; /* handed to the transforms as is */
	/* With ctx->rules: reports the findings rules over the input's services
	 * into out, leaving out what skip() says is covered. May be NULL. */
	void (*rules)(void *rules_ctx, const struct hc_doc *doc, struct hc_node *services,
	              struct hc_findings *out, hc_skip_fn *skip, void *skip_ctx);
	void *rules_ctx;
	/* Is id one an ignore comment may name (a rule or a transform)? Any
	 * other gets a warning. NULL: every id is. */
	bool (*known_id)(const char *id);
};

/* Runs plan over text (len bytes; `name` for messages) into *res, which
 * the caller releases. ctx NULL: no side effects, no rules, no .env. */
void hc_process(const struct hc_plan *plan, const struct hc_ctx *ctx, const char *name,
                const char *text, size_t len, struct hc_result *res);
void hc_result_release(struct hc_result *res);

#endif

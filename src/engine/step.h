/*
 * step.h: the contract between a transform and the engine.
 *
 * A transform is one `const struct hc_transform` with a stable kebab-case id,
 * a one-line summary, typed options (data, parsed by one shared parser for
 * profiles, config files and --set) and a function called once per service.
 * It must be idempotent: on its own output it proposes nothing. The engine
 * knows no transform by name: the caller's plan (engine.h) lists the ones
 * to run, in order, each with its options.
 */
#ifndef HC_STEP_H
#define HC_STEP_H

#include "engine/run.h"

#include <stdbool.h>
#include <stddef.h>

enum hc_opt_type { HC_OPT_BOOL, HC_OPT_STR, HC_OPT_INT, HC_OPT_LIST };

struct hc_option {
	const char *name;
	enum hc_opt_type type;
	size_t offset; /* into the transform's options struct */
	const char *dflt;
	const char *help;
};

struct hc_transform {
	const char *id;
	const char *summary;
	const struct hc_option *options;
	size_t nopts;
	size_t opts_size;
	/* Proposes edits for one service (s->value is a mapping or null). */
	void (*service)(struct hc_run *r, const struct hc_service *s, const void *opts);
	/* Optional: proposes edits at the top level (root is a mapping). */
	void (*document)(struct hc_run *r, struct hc_node *root, const void *opts);
	/* It reads no key that the transforms marked `batch` before it write: it
	 * may share their edit batch and re-parse (one parse instead of several;
	 * tests/corpus.sh checks outputs do not change). */
	bool batch;
	/* It also edits the services the project's base file defines
	 * (hc_ctx.in_base): what it changes is the override file's own. */
	bool in_base_too;
};

#endif

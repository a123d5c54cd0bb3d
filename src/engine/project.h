/*
 * project.h: the files of one Compose project read together (docs/project.md).
 *
 * The command line (src/cli/project.c) finds a project's files (-F, COMPOSE_FILE,
 * compose.yaml + compose.override.yaml, include:) and hands their texts here in
 * Compose's merge order. The run of each file then asks read-only questions of
 * the whole: which file sets a key of a service, which file defines it last.
 * Nothing here is changed once the jobs start: the files run on threads (-j).
 *
 * What counts as present: a key a service has in ANY file of the project
 * (through `<<` merges). The proposal a transform makes for a service's key
 * is kept in one file only: the last file that sets that key, or, when no
 * file sets it, the last file that defines the service (its owner). A service
 * with `extends:` is hardened where the service it extends is defined.
 */
#ifndef HC_ENGINE_PROJECT_H
#define HC_ENGINE_PROJECT_H

#include "base/buf.h"
#include "engine/suppress.h"
#include "yaml/tree.h"

#include <stdbool.h>
#include <stddef.h>

struct hc_project_file {
	char *path;         /* as named (for messages) */
	char *real;         /* resolved path, or NULL */
	struct hc_buf text; /* owned; the doc points into it */
	struct hc_doc doc;  /* valid when parsed */
	bool parsed;
	struct hc_error err; /* why it did not parse */
	struct hc_supps sup; /* its `# hardcompose: ignore[...]` comments */
};

/* Zero-initialised is empty. */
struct hc_project {
	struct hc_project_file *v; /* merge order: later files override earlier ones */
	size_t n;
};

/* Adds a file (its text is taken over: *text is left empty). A file that is
 * not YAML is kept unparsed: its own run reports it. Returns its index. */
size_t hc_project_add(struct hc_project *p, const char *path, const char *real,
                      struct hc_buf *text);
void hc_project_release(struct hc_project *p);

/* Index of the file whose resolved path is real, or -1. */
int hc_project_find(const struct hc_project *p, const char *real);

/* The value of service.path in file i (path "init", or below the service:
 * "healthcheck/start_period"), through merges and aliases; NULL when file
 * i does not set it. path NULL: the service's own mapping (or null value). */
struct hc_node *hc_project_get(const struct hc_project *p, size_t i, const char *service,
                               const char *path);
/* Does an ignore comment of file i cover id (a transform) for service
 * `service` (a comment above or on its key, or ignore-file)? */
bool hc_project_ignores(const struct hc_project *p, size_t i, const char *service, const char *id);
/* The last file that sets service.path (path NULL: that defines the
 * service), or -1. */
int hc_project_last(const struct hc_project *p, const char *service, const char *path);

/*
 * For the engine (engine.c), after a transform ran on service s of a file
 * of a project: whether what it proposed for s belongs to another file
 * (r->first_key is set by another file later in the merge order, or by no
 * file and the service is defined later too) or to the service s extends.
 * Appends why to `why` (a note for the report, may stay empty).
 */
struct hc_run;
struct hc_service;
struct hc_transform;
bool hc_project_elsewhere(const struct hc_run *r, const struct hc_service *s, struct hc_buf *why);
/* For the engine: runs transform t on service s of a project's file, then
 * takes back what it proposed when that belongs elsewhere
 * (hc_project_elsewhere), leaving a note that says where. */
void hc_project_service(struct hc_run *r, const struct hc_transform *t, const struct hc_service *s,
                        const void *opts);

/*
 * For the engine: of the rule findings from f0 on (positions in the
 * input, whose services node is `services`), drops those at a service's key
 * (what a rule says of the service as a whole, such as a missing limit)
 * when another file of the project defines the service later: a project
 * hears it once, from the service's last file. Findings at a value stay
 * where the value is.
 */
struct hc_ctx;
struct hc_findings;
void hc_project_rules_once(const struct hc_ctx *ctx, const struct hc_node *services,
                           struct hc_findings *f, size_t f0);

#endif

/*
 * run.h: what a transform sees and may do.
 *
 * A transform never prints, exits or touches files. It reads the parsed
 * document, proposes edits through the place.h helpers, declares the paths
 * whose meaning it changes, and reports findings. The engine applies the
 * edits, re-parses, and verifies that only the declared paths changed.
 */
#ifndef HC_RUN_H
#define HC_RUN_H

#include "classes.h"
#include "edit.h"
#include "tree.h"
#include "verify.h"

#include <stdbool.h>

enum hc_severity { HC_NOTE, HC_WARNING, HC_ERROR };

struct hc_finding {
	size_t pos; /* byte offset in the ORIGINAL input */
	enum hc_severity sev;
	char *rule;
	char *msg;
	size_t order; /* report order, to sort stably */
};

struct hc_findings {
	struct hc_finding *v;
	size_t n, cap;
};

void hc_findings_add(struct hc_findings *f, size_t pos, enum hc_severity sev, const char *rule,
                     const char *msg);
void hc_findings_release(struct hc_findings *f);

struct hc_strset; /* hash set of strings, see strset.h */

struct hc_run {
	const struct hc_doc *doc;     /* the current text, parsed */
	const char *tid;              /* id of the running transform */
	struct hc_edits edits;        /* proposed for this step */
	struct hc_strset *declared;   /* paths whose meaning may change */
	struct hc_findings *findings; /* positions already mapped to the input */
	const struct hc_pieces *pieces;
	const struct hc_classes *classes; /* from the profile */
	size_t changes;                   /* pending changes reported by this step */
};

/* A service as the engine hands it to a transform. */
struct hc_service {
	const char *name;
	struct hc_node *key;
	struct hc_node *value; /* mapping, or a null scalar for `web:` */
	const char *path;      /* "/services/<name>" */
};

/* Declares that the meaning at `path` changes, as `kind` says (verify.h). */
void hc_declare(struct hc_run *r, const char *path, enum hc_change kind);
/* Reports a finding at byte `pos` of the current text. */
void hc_report(struct hc_run *r, size_t pos, enum hc_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * A pending change to key `key` of service s (a path below the service
 * when it holds '/': "healthcheck/start_period"): declares s->path/key and
 * reports a warning at the service's key. The change must extend what was
 * there (see enum hc_change); hc_service_rewrite() allows any change.
 */
void hc_service_change(struct hc_run *r, const struct hc_service *s, const char *key,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void hc_service_rewrite(struct hc_run *r, const struct hc_service *s, const char *key,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

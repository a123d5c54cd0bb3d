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

#include "engine/edit.h"
#include "yaml/tree.h"
#include "engine/verify.h"

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

struct hc_strset;  /* hash set of strings, see strset.h */
struct hc_classes; /* image knowledge, see rules/classes.h */
struct hc_supps;   /* ignore comments, see suppress.h */
struct hc_project; /* a project's files read together, see project.h */

/* What the caller tells a run beyond the text. */
struct hc_ctx {
	bool side_effects; /* --write: values may move out to files beside the compose file */
	bool preview;      /* --diff: rewrite as --write would, write nothing (side lists only) */
	bool rules;        /* run the findings rules (--check, --format) */
	bool no_batch;     /* one re-parse per transform (HARDCOMPOSE_NO_BATCH, tests) */
	/* the file is a compose file by its name or by how it was found (a
	 * folder walk, include:, extends:): its shape is not questioned. When
	 * false (stdin without a compose-like --stdin-filepath, a FILE of
	 * another name), YAML whose shape is not a compose file's passes
	 * through unchanged with a note (hc_result.skipped) */
	bool compose_known;
	const char *dotenv; /* the .env beside the compose file, or NULL */
	size_t dotenv_len;
	const char *folder; /* the compose file's folder, or NULL (stdin) */
	/* services the project's base file (compose.yaml beside this
	 * compose.override.yaml or compose.prod.yaml) defines: transforms that
	 * add service keys leave them to the base file, so the merged project
	 * does not get an item twice (security_opt must be unique). NULL: none */
	const struct hc_strset *in_base;
	/* what the secret file `name` in folder/dir holds (read, never written): -1 none,
	 * 1 value (len bytes), 0 something else (a name to avoid). May be NULL. */
	int (*secret_file)(const char *folder, const char *dir, const char *name, const char *value,
	                   size_t len);
	/* the project this file belongs to (-F, --project; engine/project.h), and
	 * this file's index in it; NULL: the file is read alone */
	const struct hc_project *project;
	size_t project_self;
};

/* Files a run asks the caller to write (only with side_effects). */
struct hc_secret_file {
	char *name;  /* file name in side.dir */
	char *value; /* the secret, written as is */
	size_t len;
	int uid; /* who must be able to read it; -1: root */
};

struct hc_env_var {
	char *name, *value; /* value NULL: the name only, for .env.example (the
	                       value is in .env already, or comes from elsewhere) */
};

struct hc_range {
	size_t start, end;
};

struct hc_side {
	char *dir; /* folder of the secret files, relative to the compose file */
	struct hc_secret_file *files;
	size_t nfiles;
	struct hc_env_var *env; /* to append to .env */
	size_t nenv;
	struct hc_range *mask; /* input bytes that hold secret values, to mask in output */
	size_t nmask;
	/* names already in files and env, for O(1) deduplication; rebuilt
	 * when entries were taken back (engine.c) */
	struct hc_strset *fset, *eset;
	size_t nfset, neset, capfiles, capenv, capmask;
};

void hc_side_release(struct hc_side *s);

struct hc_run {
	const struct hc_doc *doc;     /* the current text, parsed */
	const char *tid;              /* id of the running transform */
	struct hc_edits edits;        /* proposed for this step */
	struct hc_declared *declared; /* paths whose meaning may change */
	struct hc_findings *findings; /* positions already mapped to the input */
	const struct hc_pieces *pieces;
	const struct hc_classes *classes; /* from the plan (engine.h) */
	size_t changes;                   /* pending changes reported by this step */
	const struct hc_ctx *ctx;         /* never NULL */
	struct hc_side *side;             /* what the caller writes besides the text */
	const struct hc_strlist *exclude; /* services this transform skips */
	const struct hc_supps *sup;       /* ignore comments of the input */
	bool in_base_too;                 /* the transform edits in_base services too */
	char first_key[128];              /* the first key the transform changed for the
	                                     running service ("" none; project.h) */
};

/* A service as the engine hands it to a transform. */
struct hc_service {
	const char *name;
	struct hc_node *key;
	struct hc_node *value;    /* mapping, or a null scalar for `web:` */
	const char *path;         /* "/services/<name>" */
	const struct hc_ctx *ctx; /* the run's (engine.c sets it), or NULL */
};

/*
 * The value of key for service s as Compose merges the project: the last
 * file of the project that sets it (s's own text when that is this file),
 * through merges and aliases; s's own value when the file is read alone.
 * NULL when no file sets it.
 */
struct hc_node *hc_service_lookup(const struct hc_service *s, const char *key);
/* The values the project's OTHER files give key of service s, one per
 * call in merge order: *it starts at 0; NULL when there are no more. */
struct hc_node *hc_service_other(const struct hc_service *s, const char *key, size_t *it);

/* Side outputs: a secret file (deduplicated by name), a .env variable,
 * and a range of the current text holding a secret value (mapped to the
 * input and masked wherever output shows input text). */
void hc_side_file(struct hc_run *r, const char *name, const char *value, size_t len, int uid);
void hc_side_env(struct hc_run *r, const char *name, const char *value);
void hc_side_mask(struct hc_run *r, size_t start, size_t end);

/* A point in a run to take back to: what it has proposed so far. */
struct hc_run_mark {
	size_t edits, files, env;
};
struct hc_run_mark hc_run_mark(const struct hc_run *r);
/* Takes back the edits, secret files and .env variables proposed after m;
 * findings and masked ranges stay (what was said about the input holds). */
void hc_run_rollback(struct hc_run *r, struct hc_run_mark m);

/* Does the running transform leave service `name` (key node `key` of the
 * current text) alone: excluded, the base file's (hc_ctx.in_base), or
 * covered by an ignore comment? */
bool hc_run_skips(const struct hc_run *r, const char *name, const struct hc_node *key);

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

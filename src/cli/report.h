/*
 * report.h: what processing one file produced, and the JSON and SARIF
 * reports over many files (docs/output.md).
 */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include "base/buf.h"
#include "engine/run.h"

#include <stdio.h>

enum hc_kind { HC_KIND_RULE, HC_KIND_TRANSFORM, HC_KIND_TOOL };

struct hc_rec {
	char *id;
	enum hc_kind kind;
	enum hc_severity sev;
	int line, col;
	char *msg;
	bool fix; /* a pending change --write makes (not a finding to fix by hand) */
};

struct hc_outcome {
	char *path;             /* the file as given or found */
	const char *name;       /* its name in messages */
	struct hc_buf out, err; /* what goes to stdout and stderr, in order */
	int code;               /* exit code of this file */
	bool changed;           /* the text would change (or did, with --write) */
	size_t pending;         /* pending changes */
	struct hc_rec *recs;    /* findings, sorted by position */
	size_t nrecs;
	int eline, ecol; /* the error, when code is not 0 or 1 */
	char *emsg;
	/* --write: what it did (the summary on stderr) */
	bool written;                /* the compose file was rewritten */
	size_t secret_files, dotenv; /* secrets moved to files, to .env */
	size_t services;             /* services changed */
};

void hc_outcome_release(struct hc_outcome *o);
enum hc_kind hc_kind_of(const char *id);
/* The working directory (malloc'd), or NULL when it cannot be had. */
char *hc_report_cwd(void);
/* name (a path as given, relative to cwd) as a path relative to cwd when
 * it is below cwd (*below true), else as a normalised absolute path ("."
 * and ".." resolved as text, symlinks not followed). malloc'd. */
char *hc_report_place(const char *name, const char *cwd, bool *below);
void hc_report_json(FILE *f, const struct hc_outcome *o, size_t n, const char *version);
void hc_report_sarif(FILE *f, const struct hc_outcome *o, size_t n, const char *version);
/* GitLab code quality (Code Climate issues): a JSON array. */
void hc_report_codeclimate(FILE *f, const struct hc_outcome *o, size_t n);

#endif

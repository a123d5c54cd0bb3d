/*
 * walk.h: the files a run covers: compose files found in folders, and the
 * files they include (`include:`) or extend (`extends: file:`).
 */
#ifndef HC_WALK_H
#define HC_WALK_H

#include "base/buf.h"
#include "base/diag.h"
#include "base/strset.h"

#include <stdbool.h>

struct hc_file {
	char *path;
	char *real;         /* realpath, NULL when it does not resolve */
	struct hc_diag err; /* an include cycle it is in (line, column, no file); code 0: none */
	bool followed;      /* found through another file, not named by the user */
	bool named;         /* a FILE named on the command line (always its own root) */
	bool extended;      /* reached only through extends: file: (Compose reads no
	                       .env beside it) */
	char *root;         /* the project folder (resolved) it was reached from:
	                       --write leaves a file outside it alone; NULL: none */
};

struct hc_files {
	struct hc_file *v;
	size_t n;
	/* the real paths of v[0, nseen), to add each file once */
	struct hc_strset seen;
	size_t nseen;
};

/* Adds what each file includes or extends, after the file, each file once;
 * a file that includes itself through others gets err. The given files
 * are read on up to nthreads threads to learn which name others. */
void hc_follow(struct hc_files *l, int nthreads);
/* The files the command line's names stand for, in order: a folder's
 * compose files, a file (once), "-" for stdin; none: stdin. A name that
 * does not exist stays, to be reported when read. */
void hc_files_from_args(struct hc_files *l, char **names, int n);
void hc_files_release(struct hc_files *l);

#endif

/*
 * walk.h: the files a run covers: compose files found in folders, and the
 * files they include (`include:`) or extend (`extends: file:`).
 */
#ifndef HC_WALK_H
#define HC_WALK_H

#include "base/buf.h"

#include <stdbool.h>

struct hc_file {
	char *path;
	char *real;    /* realpath, NULL when it does not resolve */
	char *err;     /* "LINE:COL: error: include cycle: ..." when it is in a cycle */
	bool followed; /* found through another file, not named by the user */
	bool named;    /* a FILE named on the command line (always its own root) */
	bool extended; /* reached only through extends: file: (Compose reads no
	                  .env beside it) */
	char *root;    /* the project folder (resolved) it was reached from:
	                  --write leaves a file outside it alone; NULL: none */
};

struct hc_files {
	struct hc_file *v;
	size_t n;
};

/* compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml,
 * docker-compose.*.yml, docker-compose.*.yaml, compose.*.yaml, compose.*.yml */
bool hc_is_compose_name(const char *base);
/* Adds the compose files under dir (skipping .git and node_modules), sorted. */
void hc_walk(const char *dir, struct hc_files *out);
void hc_files_add(struct hc_files *l, const char *path, bool followed);
/* Sets the root of the files from index `from` on that have none: the
 * resolved folder dir (or of the file itself when dir is NULL). */
void hc_files_root(struct hc_files *l, size_t from, const char *dir);
/* Adds what each file includes or extends, after the file, each file once;
 * a file that includes itself through others gets err. */
void hc_follow(struct hc_files *l);
void hc_files_release(struct hc_files *l);

#endif

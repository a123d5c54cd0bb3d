/*
 * walk.h: the files a run covers: compose files found in folders, and the
 * files they include (`include:`) or extend (`extends: file:`).
 */
#ifndef HC_WALK_H
#define HC_WALK_H

#include "buf.h"

#include <stdbool.h>

struct hc_file {
	char *path;
	char *real;    /* realpath, NULL when it does not resolve */
	char *err;     /* "LINE:COL: error: include cycle: ..." when it is in a cycle */
	bool followed; /* found through another file, not named by the user */
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
/* Adds what each file includes or extends, after the file, each file once;
 * a file that includes itself through others gets err. */
void hc_follow(struct hc_files *l);
void hc_files_release(struct hc_files *l);

#endif

/*
 * configs.h: the configuration each file runs with: the .hardcompose.yml
 * that applies to its folder (or --config, or none), built once per
 * configuration file and searched once per folder.
 */
#ifndef HC_CONFIGS_H
#define HC_CONFIGS_H

#include "base/diag.h"
#include "cli/options.h"

struct hc_cfgs {
	struct hc_cfg_entry {
		char *path; /* the configuration file */
		struct hc_config cfg;
		struct hc_diag err; /* code 0: built */
		bool said;          /* its note is given to a job */
	} * v;
	size_t n;
	struct hc_cfgdir {
		char *dir, *found;
	} * dirs; /* folder -> its configuration file */
	size_t ndirs;
};

/* What a file runs with: cfg, or (cfg NULL) the error that stops it. */
struct hc_file_cfg {
	const struct hc_config *cfg;
	const struct hc_diag *err;
	const char *note; /* a configuration file found, said once per run */
};

/* The configuration for a file named file (NULL: stdin without
 * --stdin-filepath): cli's own when no configuration file applies. */
struct hc_file_cfg hc_cfgs_for(const struct hc_cli *cli, struct hc_cfgs *cs, const char *file);
void hc_cfgs_release(struct hc_cfgs *cs);

#endif

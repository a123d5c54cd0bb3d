/*
 * config.h: `.hardcompose.yml`, the per-repository configuration
 * (docs/config.md), and building the configuration a file runs with.
 */
#ifndef HC_CONFIG_H
#define HC_CONFIG_H

#include "base/buf.h"
#include "base/diag.h"
#include "policy/profile.h"

/* An option given on the command line, applied after the file's config. */
struct hc_act {
	int op; /* 'e' enable, 'x' disable, 's' set, 'r' rule */
	const char *arg;
};

/* The .hardcompose.yml (or .yaml) that applies to a file in folder dir:
 * dir's or a parent's, stopping at a folder with .git. NULL when none.
 * Caller frees. */
char *hc_config_find(const char *dir);

/*
 * Builds c: the profile (the command line's when given, else the config
 * file's, else baseline), then the config file's settings, then the
 * command line's --enable/--disable/--set/--rule. cfgpath may be NULL.
 * 0, or -1 with err set (code HC_EXIT_USAGE, no file: the message names
 * the configuration file itself). c is to be released either way.
 */
int hc_config_build(struct hc_config *c, const char *cfgpath, const char *profile,
                    bool profile_given, const struct hc_act *acts, int nacts, struct hc_diag *err);

#endif

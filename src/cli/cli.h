/*
 * cli.h: the command line: options parsed into struct hc_cli, then run.
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include "policy/config.h"
#include "policy/profile.h"
#include "cli/walk.h"

#include <stdbool.h>

enum hc_format { HC_FMT_TEXT, HC_FMT_JSON, HC_FMT_SARIF };

struct hc_cli {
	bool write, check, diff;
	enum hc_format format;
	int fail_on; /* lowest failing severity, -1: findings never fail --check */
	const char *profile;
	bool profile_given;
	struct hc_act *acts; /* --enable, --disable, --set, --rule in order */
	int nacts;
	const char *config_path;
	bool no_config;
	const char *stdin_filepath;
	int jobs;
	char **files;
	int nfiles;
	struct hc_config config; /* the command line's alone (validated at parse time) */
};

/* Parses argv. Returns -1 when the program should exit with *code now
 * (usage error, --help, --version, --list-transforms, --list-rules). */
int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code);
int hc_cli_run(struct hc_cli *cli);
void hc_cli_release(struct hc_cli *cli);

#endif

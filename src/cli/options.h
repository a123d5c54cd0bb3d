/*
 * options.h: parsing the command line into struct hc_cli, with the
 * option table (optable.h), from which getopt's lists, --help and the
 * documentation's option lists (optdoc.h) are made.
 *
 * To add an option: a row in the table of optable.c (and HC_NOPTS one up; its help text as
 * --help shows it and as the man page says it), a field in struct hc_cli,
 * a case in apply_option(); then run tests/cli.sh, which says which of
 * docs/hardcompose.1, docs/cli.md and completions/hardcompose.bash to
 * regenerate with --dump-options.
 */
#ifndef HC_OPTIONS_H
#define HC_OPTIONS_H

#include "policy/config.h"
#include "policy/profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* HC_VERSION comes from CMakeLists.txt's project() (a compile definition). */
#ifndef HC_VERSION
#error "HC_VERSION is defined by CMakeLists.txt (project VERSION)"
#endif

enum hc_format { HC_FMT_TEXT, HC_FMT_JSON, HC_FMT_SARIF, HC_FMT_CODECLIMATE };
enum hc_color { HC_COLOR_AUTO, HC_COLOR_ALWAYS, HC_COLOR_NEVER };

struct hc_cli {
	bool write, check, diff;
	enum hc_format format;
	bool quiet;                /* only errors */
	enum hc_color color;       /* --color */
	bool color_out, color_err; /* colour on stdout, on stderr (--color, NO_COLOR, TTYs) */
	int fail_on;               /* lowest failing severity, -1: findings never fail --check */
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
	struct hc_config config;         /* the command line's alone (validated at parse time) */
	struct hc_strlist set_services;  /* services --set names (exclude, exceptions) */
	struct hc_strlist project_files; /* -F/--file, in order (cli/project.h) */
	bool project;                    /* --project: the files Compose would read */
	const char *overlay;             /* --overlay FILE, or NULL */
};

/* Parses argv. Returns -1 when the program should exit with *code now
 * (usage error, --help, --version, --list-transforms, --list-rules). */
int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code);
void hc_cli_release(struct hc_cli *cli);

#endif

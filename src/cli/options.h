/*
 * options.h: the command-line options, defined once in a table from which
 * getopt's lists, --help and the documentation's option lists are made.
 *
 * To add an option: a row in the table of options.c (its help text as
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

#define HC_VERSION "0.2.0"

/* One option. Texts hold lines split by '\n'. */
struct hc_opt {
	const char *name; /* the long name, without -- */
	int id;           /* the short option's letter, or a number from 256 on: none */
	const char *arg;  /* its value's name ("NAME|PATH": either); NULL: takes none */
	const char *help; /* --help's text */
	const char *man;  /* the man page's text (roff) */
	const char *md;   /* docs/cli.md's text (one line of Markdown) */
};

/* The options, in --help's order. */
extern const struct hc_opt hc_opts[];
extern const size_t hc_nopts;

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
void hc_cli_release(struct hc_cli *cli);

/* Prints what the documentation's option lists hold, made from the table
 * (kind: "man", "md" or "bash"; the hidden --dump-options=KIND). -1 for an
 * unknown kind. */
int hc_options_dump(FILE *f, const char *kind);

#endif

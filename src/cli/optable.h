/*
 * optable.h: the table of command-line options, the one place an option
 * is defined (optable.c).
 */
#ifndef HC_OPTABLE_H
#define HC_OPTABLE_H

#include <stddef.h>

/* Options without a short letter: ids from 256 on. */
enum {
	OPT_FAIL_ON = 256,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_STDIN_FILEPATH,
	OPT_LIST_RULES,
	OPT_DUMP,
	OPT_COLOR,
	OPT_PROJECT,
	OPT_OVERLAY
};

/* One option. Texts hold lines split by '\n'. */
struct hc_opt {
	const char *name; /* the long name, without -- */
	int id;           /* the short option's letter, or a number from 256 on: none */
	const char *arg;  /* its value's name ("NAME|PATH": either); NULL: takes none */
	const char *help; /* --help's text */
	const char *man;  /* the man page's text (roff) */
	const char *md;   /* docs/cli.md's text (one line of Markdown) */
};

/* The options, in --help's order (optable.c checks the count). */
#define HC_NOPTS 23
extern const struct hc_opt hc_opts[HC_NOPTS];

#endif

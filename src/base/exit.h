/*
 * exit.h: the program's exit codes (docs/cli.md). Every layer reports with
 * them (struct hc_diag's code), the command line exits with them.
 */
#ifndef HC_EXIT_H
#define HC_EXIT_H

enum hc_exit {
	HC_EXIT_OK = 0,
	HC_EXIT_CHANGES = 1, /* --check: work to do */
	HC_EXIT_USAGE = 2,
	HC_EXIT_INVALID = 3, /* input is not valid YAML or not a compose file */
	HC_EXIT_IO = 4,
	HC_EXIT_VERIFY = 5, /* the result would change meaning: refused */
};

#endif

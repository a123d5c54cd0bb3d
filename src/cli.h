/*
 * cli.h: the command line: options parsed into struct hc_cli, then run.
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include "profile.h"

#include <stdbool.h>

struct hc_cli {
	bool write, check, diff;
	char **files;
	int nfiles;
	struct hc_config config;
};

/* Parses argv. Returns -1 when the program should exit with *code now
 * (usage error, --help, --version, --list-transforms). */
int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code);
int hc_cli_run(struct hc_cli *cli);
void hc_cli_release(struct hc_cli *cli);

#endif

/*
 * cli.h: the command line run: the files it names, each with its
 * configuration, through the thread pool, outputs printed in file order.
 * Parsing is options.h.
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include "cli/options.h"

int hc_cli_run(struct hc_cli *cli);

#endif

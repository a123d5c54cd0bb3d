/*
 * main.c: parse the command line, run, exit with a documented code.
 */
#include "cli/cli.h"
#include "cli/lsp.h"
#include "cli/pin.h"
#include "preflight/preflight.h"

#include <string.h>

int main(int argc, char **argv)
{
	struct hc_cli cli;
	int code;
	if (argc > 1 && !strcmp(argv[1], "preflight"))
		return hc_preflight_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "lsp"))
		return hc_lsp_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "pin"))
		return hc_pin_main(argc - 1, argv + 1);
	if (hc_cli_parse(&cli, argc, argv, &code) < 0) {
		hc_cli_release(&cli);
		return code;
	}
	code = hc_cli_run(&cli);
	hc_cli_release(&cli);
	return code;
}

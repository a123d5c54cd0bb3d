/*
 * cli.c: a run over the files the command line names: the files (with
 * what they include or extend), the configuration of each, the jobs on the
 * thread pool, then their output in file order and the report. Exit codes
 * are the enum in engine.h.
 */
#include "cli/cli.h"
#include "base/io.h"
#include "cli/configs.h"
#include "cli/options.h"
#include "cli/pool.h"
#include "cli/process.h"
#include "cli/report.h"
#include "cli/side.h"
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the command line send secret files outside each file's folder? */
static bool secrets_leave_folders(const struct hc_cli *cli)
{
	const char *d = hc_secrets_dir(&cli->config);
	return d && hc_path_escapes(d);
}

/* Prints each job's output in file order, then the report; the worst
 * exit code. */
static int print_outcomes(const struct hc_cli *cli, struct hc_job *jobs, size_t n)
{
	int worst = HC_EXIT_OK;
	struct hc_outcome *os = hc_xcalloc(n + 1, sizeof(*os));
	for (size_t i = 0; i < n; i++) {
		struct hc_outcome *o = &jobs[i].o;
		if (o->out.len && fwrite(o->out.data, 1, o->out.len, stdout) != o->out.len)
			o->code = HC_EXIT_IO;
		if (o->err.len)
			fwrite(o->err.data, 1, o->err.len, stderr);
		if (o->code > worst)
			worst = o->code;
		os[i] = *o;
	}
	if (cli->format == HC_FMT_JSON)
		hc_report_json(stdout, os, n, HC_VERSION);
	else if (cli->format == HC_FMT_SARIF)
		hc_report_sarif(stdout, os, n, HC_VERSION);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "hardcompose: error: cannot write to stdout\n");
		if (worst < HC_EXIT_IO)
			worst = HC_EXIT_IO;
	}
	for (size_t i = 0; i < n; i++)
		hc_outcome_release(&os[i]);
	free(os);
	return worst;
}

int hc_cli_run(struct hc_cli *cli)
{
	struct hc_files files = {0};
	hc_files_from_args(&files, cli->files, cli->nfiles);
	if (cli->write || cli->check || cli->diff)
		hc_follow(&files);
	struct hc_cfgs cs = {0};
	struct hc_job *jobs = hc_xcalloc(files.n + 1, sizeof(*jobs));
	for (size_t i = 0; i < files.n; i++) {
		const char *where =
		    strcmp(files.v[i].path, "-") ? files.v[i].path : cli->stdin_filepath;
		struct hc_file_cfg fc = hc_cfgs_for(cli, &cs, where);
		jobs[i] = (struct hc_job){.cli = cli,
		                          .cfg = fc.cfg,
		                          .cfgerr = fc.err,
		                          .cfgnote = fc.note,
		                          .file = &files.v[i]};
	}
	hc_pool_run(&files, cli->write, cli->write && secrets_leave_folders(cli), cli->jobs,
	            hc_job_run, jobs);
	int worst = print_outcomes(cli, jobs, files.n);
	free(jobs);
	hc_cfgs_release(&cs);
	hc_files_release(&files);
	return worst;
}

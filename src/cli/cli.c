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
#include "cli/project.h"
#include "cli/report.h"
#include "base/strset.h"
#include "cli/side.h"
#include "engine/engine.h"
#include "yaml/tree.h"

/* The smallest text parsed in two parts (bytes): below it a thread costs
 * more than it saves. */
#define HC_SPLIT_MIN_DEFAULT (128 * 1024)

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the command line send secret files outside each file's folder? */
static bool secrets_leave_folders(const struct hc_cli *cli)
{
	const char *d = hc_secrets_dir(&cli->config);
	return d && hc_path_escapes(d);
}

/* "N things" with the plural when n is not 1, coloured when n is not 0. */
static void count(struct hc_buf *b, size_t n, const char *one, const char *many, const char *color,
                  bool on)
{
	bool c = on && n && *color;
	hc_buf_addf(b, "%s%zu %s%s", c ? color : "", n, n == 1 ? one : many, c ? "\033[0m" : "");
}

/* --check's closing line on stderr (stdout holds only the findings):
 * "3 files, 2 need hardening (7 fixes), 1 error, 4 warnings, 2 notes". */
static void check_summary(const struct hc_cli *cli, const struct hc_outcome *os, size_t n)
{
	size_t need = 0, fixes = 0, failed = 0, sev[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		size_t f = 0;
		for (size_t k = 0; k < os[i].nrecs; k++) {
			f += os[i].recs[k].fix;
			sev[os[i].recs[k].sev] += !os[i].recs[k].fix;
		}
		fixes += f;
		need += os[i].code <= 1 && (os[i].changed || os[i].pending || f);
		failed += os[i].code > 1;
	}
	bool c = cli->color_err;
	struct hc_buf b = HC_BUF_INIT;
	count(&b, n, "file", "files", "", c);
	hc_buf_adds(&b, ", ");
	count(&b, need, "needs hardening", "need hardening", "\033[32m", c);
	hc_buf_addf(&b, " (%zu fix%s)", fixes, fixes == 1 ? "" : "es");
	if (failed) {
		hc_buf_adds(&b, ", ");
		count(&b, failed, "failed", "failed", "\033[1;31m", c);
	}
	hc_buf_adds(&b, ", ");
	count(&b, sev[HC_ERROR], "error", "errors", "\033[1;31m", c);
	hc_buf_adds(&b, ", ");
	count(&b, sev[HC_WARNING], "warning", "warnings", "\033[33m", c);
	hc_buf_adds(&b, ", ");
	count(&b, sev[HC_NOTE], "note", "notes", "\033[36m", c);
	fprintf(stderr, "%s\n", b.data);
	hc_buf_release(&b);
}

/* Did every file fail (its error said alone, with no summary after it)? */
static bool all_failed(const struct hc_outcome *os, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (os[i].code <= 1)
			return false;
	return true;
}

/* --write's line on stderr: "hardcompose: wrote 2 of 3 files (4
 * services); secrets: 2 moved to files, 1 to .env". */
static void write_summary(const struct hc_cli *cli, const struct hc_outcome *os, size_t n)
{
	size_t written = 0, svcs = 0, files = 0, env = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		written += os[i].written;
		svcs += os[i].services;
		files += os[i].secret_files;
		env += os[i].dotenv;
		failed += os[i].code > 1;
	}
	bool c = cli->color_err;
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addf(&b, "hardcompose: wrote %s%zu%s of ", c && written ? "\033[32m" : "", written,
	            c && written ? "\033[0m" : "");
	count(&b, n, "file", "files", "", c);
	if (written) {
		hc_buf_adds(&b, " (");
		count(&b, svcs, "service", "services", "", c);
		hc_buf_adds(&b, ")");
	}
	if (files || env)
		hc_buf_addf(&b, "; secrets: %zu moved to files, %zu to .env", files, env);
	if (failed) {
		hc_buf_adds(&b, "; ");
		count(&b, failed, "failed", "failed", "\033[1;31m", c);
	}
	fprintf(stderr, "%s\n", b.data);
	hc_buf_release(&b);
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
	else if (cli->format == HC_FMT_CODECLIMATE)
		hc_report_codeclimate(stdout, os, n);
	if (!cli->quiet && cli->write && !all_failed(os, n))
		write_summary(cli, os, n);
	else if (!cli->quiet && cli->check && cli->format == HC_FMT_TEXT)
		check_summary(cli, os, n);
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

/* Does every service --set names exist in some file of the run (stdin
 * is checked by its job)? false, said on stderr, when one does not. */
static bool set_services_exist(const struct hc_cli *cli, const struct hc_files *files)
{
	if (!cli->set_services.n)
		return true;
	struct hc_strset set = {0};
	bool files_seen = false;
	for (size_t i = 0; i < files->n; i++) {
		if (strcmp(files->v[i].path, "-")) {
			hc_services_add(files->v[i].path, &set);
			files_seen = true;
		}
	}
	const char *miss = files_seen ? hc_service_missing(&cli->set_services, &set) : NULL;
	if (miss) {
		struct hc_buf m = HC_BUF_INIT;
		hc_service_error(&m, miss, &set);
		fprintf(stderr, "hardcompose: error: %s\n", m.data);
		hc_buf_release(&m);
	}
	hc_strset_release(&set);
	return !miss;
}

/* One file at a time leaves a CPU free: a large file parses on two
 * threads (yaml/parse.c). HARDCOMPOSE_SPLIT_MIN sets the size from which
 * (bytes; tests set 0), HARDCOMPOSE_SPLIT_CHECK=1 checks each split parse
 * against a whole one. */
static void split_large_parses(void)
{
	const char *m = getenv("HARDCOMPOSE_SPLIT_MIN");
	size_t min = m && *m ? (size_t)strtoull(m, NULL, 10) : HC_SPLIT_MIN_DEFAULT;
	const char *c = getenv("HARDCOMPOSE_SPLIT_CHECK");
	hc_doc_parse_split(min, c && !strcmp(c, "1"));
}

int hc_cli_run(struct hc_cli *cli)
{
	struct hc_files files = {0};
	struct hc_project proj = {0}; /* -F, --project: the files read together */
	bool in_project = hc_project_mode(cli);
	if (in_project && !hc_project_combination(cli))
		return HC_EXIT_USAGE;
	int pcode = in_project ? hc_project_load(cli, &files, &proj) : HC_EXIT_OK;
	if (!in_project)
		hc_files_from_args(&files, cli->files, cli->nfiles);
	if (!in_project && (cli->write || cli->check || cli->diff) && !cli->overlay)
		hc_follow(&files, cli->jobs); /* --overlay: the one base file named */
	if (pcode || !set_services_exist(cli, &files)) {
		hc_project_release(&proj);
		hc_files_release(&files);
		return pcode ? pcode : HC_EXIT_USAGE;
	}
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
		                          .file = &files.v[i],
		                          .project = in_project ? &proj : NULL};
	}
	if (files.n == 1 || cli->jobs == 1)
		split_large_parses();
	hc_pool_run(&files, cli->write, cli->write && secrets_leave_folders(cli), cli->jobs,
	            hc_job_run, jobs);
	int worst = print_outcomes(cli, jobs, files.n);
	if (getenv("HARDCOMPOSE_SPLIT_COUNT")) { /* for tests/split.sh */
		size_t tried, done;
		hc_doc_parse_splits(&tried, &done);
		fprintf(stderr, "split parses: %zu of %zu tried\n", done, tried);
	}
	free(jobs);
	hc_cfgs_release(&cs);
	hc_files_release(&files);
	hc_project_release(&proj);
	return worst;
}

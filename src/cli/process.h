/*
 * process.h: one file's run: read it, run the engine on it, then write it
 * (--write), or report on it (--check, --diff), or give it to stdout. What
 * goes to stdout and stderr is kept in the job's outcome, printed in file
 * order once every job is done.
 */
#ifndef HC_PROCESS_H
#define HC_PROCESS_H

#include "base/diag.h"
#include "cli/options.h"
#include "cli/report.h"
#include "cli/walk.h"

struct hc_job {
	const struct hc_cli *cli;
	const struct hc_config *cfg;  /* NULL: cfgerr says why */
	const struct hc_diag *cfgerr; /* owned by the run's configurations */
	const char *cfgnote;          /* a configuration file found, said once per run */
	struct hc_file *file;
	struct hc_outcome o;
	const struct hc_project *project; /* -F, --project (cli/project.h); NULL: none */
};

/* Adds the services the compose file at path defines, and those of its
 * base file when it is an override file, to set. */
struct hc_strset;
void hc_services_add(const char *path, struct hc_strset *set);
/* The first of names not in set, or NULL. */
const char *hc_service_missing(const struct hc_strlist *names, const struct hc_strset *set);
/* Appends "--set names service 'X', which no file ... defines; did you
 * mean 'Y'?" to b. */
void hc_service_error(struct hc_buf *b, const char *name, const struct hc_strset *set);

/* Runs job i of the array jobs (struct hc_job *): fills its outcome. */
void hc_job_run(void *jobs, size_t i);

/* When path is an override file with a base file beside it, fills set
 * with the services the base defines and returns true. */
struct hc_strset;
bool hc_base_services(const char *path, struct hc_strset *set);

#endif

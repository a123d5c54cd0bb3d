/*
 * process.c: one file's run, from reading it to its outcome (process.h).
 */
#define _GNU_SOURCE /* realpath */
#include "cli/process.h"
#include "base/io.h"
#include "base/strset.h"
#include "base/suggest.h"
#include "cli/fail.h"
#include "cli/mask.h"
#include "cli/overlay.h"
#include "cli/pin.h"
#include "cli/side.h"
#include "cli/textout.h"
#include "engine/diff.h"
#include "engine/engine.h"
#include "engine/project.h"
#include "yaml/tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* What one file's run holds while it runs. */
struct run {
	struct hc_buf in, env; /* the file's text, the .env beside it */
	struct hc_stamp stamp; /* what the file was when read */
	char *folder;          /* the file's folder, or NULL (stdin) */
	struct hc_strset in_base;
	struct hc_ctx ctx;
	int lockfd;
};

/* Plaintext secrets the run reported but did not move. */
static size_t pending_secrets(const struct hc_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < res->findings.n; i++)
		n += !strcmp(res->findings.v[i].rule, "secrets") &&
		     res->findings.v[i].sev == HC_WARNING;
	return n;
}

/* An exclusive lock on the folder of path (flock on the folder itself, so
 * no lock file is left behind): two hardcompose runs never write one
 * folder's .env, secrets/ and .gitignore at once. -1 when it cannot be had
 * (the run goes on: the checks before each write still hold). */
static int lock_folder(const char *path)
{
	char *dir = hc_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void unlock_folder(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the lock */
}

/* HARDCOMPOSE_TEST_DELAY_MS: a test hook, a pause between reading a file
 * and writing it (tests/attacks.sh changes the file meanwhile);
 * HARDCOMPOSE_TEST_READY names a file created when the pause begins. */
static void test_delay(void)
{
	const char *e = getenv("HARDCOMPOSE_TEST_DELAY_MS");
	long ms = e ? strtol(e, NULL, 10) : 0;
	if (ms > 0 && ms < 60000) {
		const char *ready = getenv("HARDCOMPOSE_TEST_READY");
		int fd = ready ? open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0600) : -1;
		if (fd >= 0)
			close(fd);
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* Adds the services the compose text defines to set; false when it is
 * not YAML. */
static bool services_in(const char *text, size_t len, struct hc_strset *set)
{
	struct hc_doc d;
	struct hc_error pe;
	if (hc_doc_parse(&d, text ? text : "", len, &pe) != 0)
		return false;
	struct hc_node *root = d.root && d.root->type == HC_MAP ? d.root : NULL;
	struct hc_node *svcs = root ? hc_deref(hc_map_get(root, "services", NULL)) : NULL;
	for (size_t k = 0; svcs && svcs->type == HC_MAP && k + 1 < svcs->nkids; k += 2)
		if (svcs->kids[k]->type == HC_SCALAR)
			hc_strset_add(set, svcs->kids[k]->text, svcs->kids[k]->len);
	hc_doc_release(&d);
	return true;
}

/* Adds the services the compose file at path defines to set; false when it
 * cannot be read or parsed. */
static bool services_of(const char *path, struct hc_strset *set)
{
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag e = HC_DIAG_INIT;
	bool ok = access(path, F_OK) == 0 && hc_read_file(path, &t, &e) == 0 &&
	          services_in(t.data, t.len, set);
	hc_buf_release(&t);
	hc_diag_release(&e);
	return ok;
}

/*
 * (process.h) When path is an override file (compose.override.yaml, compose.prod.yaml,
 * docker-compose.override.yml, ...) with a base file beside it
 * (compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml),
 * fills set with the services the base defines and returns true.
 */
bool hc_base_services(const char *path, struct hc_strset *set)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	bool dc = !strncmp(b, "docker-compose.", 15), c = !strncmp(b, "compose.", 8);
	if (!dc && !c)
		return false;
	const char *rest = b + (dc ? 15 : 8);
	if (!strcmp(rest, "yml") || !strcmp(rest, "yaml"))
		return false; /* a base file itself */
	static const char *const bases[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
	                                    "docker-compose.yaml", NULL};
	char *dir = hc_dirname(path);
	bool found = false;
	for (size_t i = 0; bases[i] && !found; i++) {
		struct hc_buf p = HC_BUF_INIT;
		hc_buf_addf(&p, "%s/%s", dir, bases[i]);
		found = services_of(p.data, set);
		hc_buf_release(&p);
	}
	free(dir);
	return found;
}

void hc_services_add(const char *path, struct hc_strset *set)
{
	services_of(path, set);
	hc_base_services(path, set);
}

const char *hc_service_missing(const struct hc_strlist *names, const struct hc_strset *set)
{
	for (size_t i = 0; i < names->n; i++)
		if (!hc_strset_has(set, names->v[i], strlen(names->v[i])))
			return names->v[i];
	return NULL;
}

void hc_service_error(struct hc_buf *b, const char *name, const struct hc_strset *set)
{
	hc_buf_addf(b, "--set names service '%s', which no file of this run defines", name);
	struct hc_closest near = HC_CLOSEST_INIT(name);
	size_t it = 0, len;
	const char *s;
	struct hc_strlist own = {0}; /* NUL-terminated copies for hc_closest */
	while (hc_strset_next(set, &it, &s, &len))
		hc_strlist_push(&own, s, len);
	for (size_t i = 0; i < own.n; i++)
		hc_closest_try(&near, own.v[i]);
	hc_closest_add(b, &near);
	hc_strlist_release(&own);
}

/* stdin alone: the services --set names must be among its own. false
 * (the outcome says why, exit 2) when one is not. */
static bool stdin_services_ok(struct hc_job *j, const struct hc_buf *in)
{
	const struct hc_cli *cli = j->cli;
	if (!cli->set_services.n)
		return true;
	struct hc_strset set = {0};
	if (!services_in(in->data, in->len, &set)) {
		hc_strset_release(&set);
		return true; /* not YAML: the run says so */
	}
	if (cli->stdin_filepath)
		hc_base_services(cli->stdin_filepath, &set);
	const char *miss = hc_service_missing(&cli->set_services, &set);
	if (miss) {
		struct hc_buf m = HC_BUF_INIT;
		hc_buf_adds(&m, "hardcompose: error: ");
		hc_service_error(&m, miss, &set);
		hc_add_line(&j->o.err, m.data);
		j->o.code = HC_EXIT_USAGE;
		j->o.emsg = hc_xstrdup(m.data + 20);
		hc_buf_release(&m);
	}
	hc_strset_release(&set);
	return !miss;
}

/* Is the resolved path p inside the resolved folder root? */
static bool under(const char *p, const char *root)
{
	size_t n = strlen(root);
	return !strncmp(p, root, n) && (p[n] == '/' || (n == 1 && root[0] == '/'));
}

/* What stops a job before its file is read: a configuration that failed,
 * a file in an include cycle. false when it stops. */
static bool may_start(struct hc_job *j)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	if (!j->cfg) {
		hc_outcome_fail(o, j->cfgerr);
		return false;
	}
	if (j->cfgnote && (cli->write || cli->check || cli->diff) && !cli->quiet)
		hc_buf_addf(&o->err, "hardcompose: note: configuration from %s\n", j->cfgnote);
	const struct hc_diag *fe = &j->file->err;
	if (fe->code) {
		/* a file that includes itself is left alone */
		hc_buf_addf(&o->err, "%s:%d:%d: error: %s\n", o->name, fe->line, fe->col, fe->msg);
		o->code = fe->code;
		o->eline = fe->line;
		o->ecol = fe->col;
		o->emsg = hc_xstrdup(fe->msg);
		return false;
	}
	return true;
}

/* Reads the file into r->in. false (the outcome says why) when it is not
 * to be processed. */
static bool read_input(struct hc_job *j, struct run *r, bool is_stdin)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	struct hc_diag d = HC_DIAG_INIT;
	if (hc_read_file_ex(o->path, &r->in, &d, !j->file->followed, &r->stamp) < 0) {
		hc_outcome_fail(o, &d);
		hc_diag_release(&d);
		return false;
	}
	/* --write leaves alone a file outside its project folder that an
	 * include or a symlink in a folder led to */
	if (cli->write && !is_stdin && !j->file->named && j->file->root && j->file->real &&
	    !under(j->file->real, j->file->root)) {
		if (cli->quiet)
			return false;
		struct hc_buf m = HC_BUF_INIT;
		hc_buf_addf(&m,
		            "%s: warning: outside the project folder %s (an include, extends or "
		            "symlink leads there); not rewritten",
		            o->name, j->file->root);
		hc_add_line(&o->err, m.data);
		hc_buf_release(&m);
		return false;
	}
	return true;
}

/* A file name that says compose: its base name contains "compose" and ends
 * in .yaml or .yml (compose.yaml, docker-compose.prod.yml, app.compose.yaml). */
static bool compose_name(const char *path)
{
	if (!path)
		return false;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	bool yaml =
	    (n > 5 && !strcmp(base + n - 5, ".yaml")) || (n > 4 && !strcmp(base + n - 4, ".yml"));
	return yaml && strstr(base, "compose") != NULL;
}

/* What the engine is told beyond the text. */
static void make_ctx(struct hc_job *j, struct run *r, bool is_stdin)
{
	const struct hc_cli *cli = j->cli;
	r->ctx = (struct hc_ctx){.side_effects = cli->write && !j->file->extended,
	                         .preview = cli->diff && !cli->write && !j->file->extended,
	                         .rules = cli->check,
	                         .no_batch = getenv("HARDCOMPOSE_NO_BATCH") != NULL};
	const char *where = is_stdin ? cli->stdin_filepath : j->o.path;
	/* found by a folder walk (by name), include: or extends:, or named so */
	r->ctx.compose_known =
	    (!is_stdin && (!j->file->named || j->file->followed)) || compose_name(where);
	/* the secrets folder is looked at (never written) in every mode, so
	 * --check names the secrets as --write will */
	r->folder = where ? hc_dirname(where) : NULL;
	r->ctx.folder = r->folder;
	r->ctx.secret_file = hc_side_secret_state;
	int self = j->project && j->file->real ? hc_project_find(j->project, j->file->real) : -1;
	if (self >= 0) {
		/* a member of a project: the others are known (engine/project.h) */
		r->ctx.project = j->project;
		r->ctx.project_self = (size_t)self;
		r->ctx.compose_known = true; /* named as a file of the project */
	} else if (where && hc_base_services(where, &r->in_base)) {
		r->ctx.in_base = &r->in_base;
	}
	if (where) {
		/* the .env beside the file: names the secrets transform must not reuse */
		struct hc_buf p = HC_BUF_INIT;
		struct hc_diag e2 = HC_DIAG_INIT;
		hc_buf_addf(&p, "%s/.env", r->folder);
		if (access(p.data, F_OK) == 0 && hc_read_file(p.data, &r->env, &e2) == 0) {
			r->ctx.dotenv = r->env.data ? r->env.data : "";
			r->ctx.dotenv_len = r->env.len;
		}
		hc_buf_release(&p);
		hc_diag_release(&e2);
	}
}

/* Appends "#   WHAT DIR/SUB/NAME": dir is the compose file's folder as the
 * user named it ("" for the current folder), sub a folder in it or NULL. */
static void side_line(struct hc_buf *out, const char *what, const char *dir, const char *sub,
                      const char *name)
{
	hc_buf_addf(out, "#   %s %s%s%s%s%s\n", what, dir, *dir ? "/" : "", sub ? sub : "",
	            sub ? "/" : "", name);
}

/* Is the secret file f of the run new (not there with its value)? */
static bool secret_is_new(const struct run *r, const char *sd, const struct hc_secret_file *f)
{
	return !r->folder || hc_side_secret_state(r->folder, sd, f->name, f->value, f->len) != 1;
}

/* --diff: before the diff, as lines `git apply` and `patch` skip, the side
 * files -w writes (paths and names, never values), and, when values were
 * masked, that the diff is for reading only. */
static void diff_preamble(struct hc_job *j, const struct run *r, const struct hc_result *res,
                          bool masked)
{
	struct hc_buf *out = &j->o.out;
	const struct hc_side *s = &res->side;
	char *dir = hc_dirname(j->o.name);
	const char *d = strcmp(dir, ".") ? dir : "";
	const char *sd = s->dir ? s->dir : "secrets";
	while (!strncmp(sd, "./", 2))
		sd += 2;
	size_t nnew = 0;
	for (size_t i = 0; i < s->nfiles; i++)
		nnew += secret_is_new(r, sd, &s->files[i]);
	if (nnew || s->nenv)
		hc_buf_adds(out, "# hardcompose -w also writes (values not shown):\n");
	for (size_t i = 0; i < s->nfiles; i++)
		if (secret_is_new(r, sd, &s->files[i]))
			side_line(out, "secret file", d, sd, s->files[i].name);
	if (nnew)
		side_line(out, "ignore file", d, sd, ".gitignore");
	struct hc_buf n = HC_BUF_INIT;
	for (size_t i = 0; i < s->nenv; i++) {
		if (!s->env[i].value)
			continue;
		n.len = 0;
		hc_buf_addf(&n, ".env: %s", s->env[i].name);
		side_line(out, "line of", d, NULL, n.data);
	}
	for (size_t i = 0; i < s->nenv; i++) {
		n.len = 0;
		hc_buf_addf(&n, ".env.example: %s (no value)", s->env[i].name);
		side_line(out, "line of", d, NULL, n.data);
	}
	hc_buf_release(&n);
	if (masked)
		hc_buf_adds(out,
		            "# secret values are masked with '*': this diff is for reading only "
		            "(git apply refuses it); hardcompose -w makes the change\n");
	free(dir);
}

/* --check and --diff: the findings, as text lines or records for a
 * report, and the diff. The exit code they call for. */
static int report(struct hc_job *j, struct run *r, struct hc_result *res, bool changed)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	if (cli->check) /* an images.lock beside the file: image-lock (docs/pinning.md) */
		hc_pin_check_beside(o->path, r->in.data ? r->in.data : "", r->in.len,
		                    &res->findings);
	hc_collect(o, &r->in, res);
	if (cli->check && cli->format == HC_FMT_TEXT)
		hc_add_findings(&o->out, o, cli->quiet, cli->color_out);
	if (cli->diff && changed) {
		struct hc_buf a = HC_BUF_INIT, b = HC_BUF_INIT;
		hc_mask_secrets(res, &r->in, &a, &b);
		bool masked = a.len != r->in.len || (a.len && memcmp(a.data, r->in.data, a.len));
		diff_preamble(j, r, res, masked);
		hc_diff(&o->out, o->name, a.data ? a.data : "", a.len, b.data ? b.data : "", b.len,
		        &res->pieces);
		hc_buf_release(&a);
		hc_buf_release(&b);
	}
	bool fails = false;
	for (size_t i = 0; i < o->nrecs && cli->fail_on >= 0; i++)
		fails |=
		    o->recs[i].kind != HC_KIND_TRANSFORM && (int)o->recs[i].sev >= cli->fail_on;
	return cli->check && (changed || res->changes || fails) ? HC_EXIT_CHANGES : HC_EXIT_OK;
}

/* The services the fixes of res name (`service "NAME": ...`). */
static size_t services_fixed(const struct hc_result *res)
{
	struct hc_strset set = {0};
	size_t n = 0;
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct hc_finding *f = &res->findings.v[i];
		const char *m = f->msg ? strstr(f->msg, "service \"") : NULL;
		if (!m || !hc_is_fix(f->rule, f->sev, f->msg))
			continue;
		m += 9;
		const char *e = strstr(m, "\":");
		if (e && !hc_strset_has(&set, m, (size_t)(e - m))) {
			hc_strset_add(&set, m, (size_t)(e - m));
			n++;
		}
	}
	hc_strset_release(&set);
	return n;
}

/* --write: the side files, then the compose file. The exit code. */
static int write_out(struct hc_job *j, struct run *r, struct hc_result *res, bool changed)
{
	struct hc_outcome *o = &j->o;
	const char *path = o->path;
	struct hc_buf notes = HC_BUF_INIT;
	struct hc_diag d = HC_DIAG_INIT;
	test_delay();
	/* the compose file must be writable and unchanged before anything
	 * beside it is written */
	if (changed && hc_write_check(path, &r->stamp, &d) < 0)
		;
	else if (hc_side_write(path, &res->side, &d, &notes) < 0)
		;
	else if (changed)
		hc_write_atomic_ex(path, res->out.data, res->out.len, &r->stamp, r->in.data,
		                   r->in.len, &d);
	if (d.code) {
		hc_outcome_fail(o, &d);
	} else {
		o->written = changed;
		o->secret_files = res->side.nfiles;
		o->dotenv = res->side.nenv;
		o->services = changed ? services_fixed(res) : 0;
	}
	if (notes.len && !j->cli->quiet)
		hc_buf_add(&o->err, notes.data, notes.len);
	hc_buf_release(&notes);
	hc_diag_release(&d);
	return o->code ? HC_EXIT_IO : HC_EXIT_OK;
}

/* The notes on plaintext secrets a run leaves in place. */
static void secrets_notes(struct hc_job *j, const struct hc_result *res, int code, size_t left)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	/* -w: what it could not move (numbers, anchors, copies elsewhere...):
	 * the secrets transform's warnings that ask for a hand */
	size_t kept = 0;
	for (size_t i = 0; code == HC_EXIT_OK && cli->write && i < res->findings.n; i++)
		kept += !strcmp(res->findings.v[i].rule, "secrets") &&
		        res->findings.v[i].sev == HC_WARNING &&
		        (strstr(res->findings.v[i].msg, "by hand") ||
		         strstr(res->findings.v[i].msg, "remove one of them"));
	if (kept && !cli->quiet) {
		hc_add_escaped(&o->err, o->name);
		hc_buf_addf(&o->err,
		            ": warning: %zu plaintext secret(s) or copies of one left in place, to "
		            "move by hand: hardcompose --check lists them\n",
		            kept);
	}
	/* format mode (stdout) says nothing on stderr unless it fails: an
	 * editor may read stderr into the buffer; --check lists the secrets */
	if (left && cli->diff && !cli->check && code == HC_EXIT_OK && !cli->quiet)
		hc_buf_addf(
		    &o->err,
		    "%s: note: %zu plaintext secret(s) left in place: hardcompose -w moves them "
		    "to files (see --check)\n",
		    o->name, left);
}

/* After the engine: the outcome of the run, by mode. */
static void finish(struct hc_job *j, struct run *r, struct hc_result *res)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	int code = res->code;
	bool changed =
	    code == HC_EXIT_OK && (res->out.len != r->in.len ||
	                           (r->in.len && memcmp(res->out.data, r->in.data, r->in.len)));
	o->changed = changed;
	o->pending = res->changes;
	size_t left = code == HC_EXIT_OK && !cli->write ? pending_secrets(res) : 0;
	if (code != HC_EXIT_OK) {
		struct hc_buf e = HC_BUF_INIT;
		hc_diag_format(&e, &res->err);
		hc_add_line(&o->err, e.data);
		hc_buf_release(&e);
		o->eline = res->err.line;
		o->ecol = res->err.col;
		o->emsg = hc_xstrdup(res->err.msg);
	} else if (cli->overlay) {
		code = hc_overlay_finish(&j->o, cli, &r->in, &r->stamp, res);
	} else if (cli->check || cli->diff) {
		code = report(j, r, res, changed);
	} else if (cli->write) {
		code = write_out(j, r, res, changed);
	} else {
		hc_buf_add(&o->out, res->out.data ? res->out.data : "", res->out.len);
	}
	secrets_notes(j, res, code, left);
	if (cli->write && cli->format != HC_FMT_TEXT && res->code == HC_EXIT_OK)
		hc_collect(o, &r->in, res); /* the report of -w -f json|sarif|codeclimate */
	o->code = code;
}

void hc_job_run(void *jobs, size_t i)
{
	struct hc_job *j = (struct hc_job *)jobs + i;
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	bool is_stdin = !strcmp(j->file->path, "-");
	o->path = hc_xstrdup(j->file->path);
	o->name =
	    is_stdin ? (cli->stdin_filepath ? cli->stdin_filepath : "<stdin>") : j->file->path;
	if (!may_start(j))
		return;
	struct run r = {.in = HC_BUF_INIT, .env = HC_BUF_INIT};
	/* --write: the folder's side files (.env, secrets/, .gitignore) and the
	 * file itself belong to this run until it is done */
	r.lockfd = cli->write && !is_stdin ? lock_folder(o->path) : -1;
	if (read_input(j, &r, is_stdin) && (!is_stdin || stdin_services_ok(j, &r.in))) {
		make_ctx(j, &r, is_stdin);
		const struct hc_ctx ctx = r.ctx;
		const struct hc_buf in = r.in;
		struct hc_result res;
		hc_config_process(j->cfg, &ctx, o->name, in.data ? in.data : "", in.len, &res);
		finish(j, &r, &res);
		hc_result_release(&res);
	}
	hc_buf_release(&r.in);
	hc_buf_release(&r.env);
	free(r.folder);
	hc_strset_release(&r.in_base);
	unlock_folder(r.lockfd);
}

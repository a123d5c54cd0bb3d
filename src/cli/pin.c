/*
 * pin.c: `hardcompose pin [OPTIONS] FILE...` (pin.h, docs/pinning.md):
 * each service's `image: name:tag` becomes `name:tag@sha256:<digest>`,
 * the digest read from the image lock (`images.lock` beside the file, or
 * --lock). The edits are the engine's splices: the `@sha256:` part is
 * inserted after the value, or its digest replaced, and every other byte
 * stays as written. Modes: the result on stdout, -w (atomic), --diff, and
 * --check (the `image-lock` findings; text, JSON or SARIF).
 */
#include "cli/pin.h"
#include "base/io.h"
#include "base/suggest.h"
#include "cli/fail.h"
#include "cli/options.h"
#include "cli/textout.h"
#include "engine/diff.h"
#include "engine/engine.h"
#include "rules/imglock.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pin {
	bool write, diff, check, from_docker;
	enum hc_format format;
	const char *lock;
	char **files;
	int nfiles;
};

static const char pin_usage[] =
    "usage: hardcompose pin [-w | --diff | --check] [--lock FILE] [--from-docker]\n"
    "                       [--format text|json|sarif] FILE...\n";

static const char pin_help[] =
    "\n"
    "Pins each service's image to a digest: `image: name:tag` becomes\n"
    "`name:tag@sha256:<digest>`, the digest read from the image lock, one line\n"
    "per image (`name:tag sha256:<64 hex digits>`, `#` comments). Every other\n"
    "byte of the file stays as written. An image tagged latest or without a tag\n"
    "is refused; an image holding a ${VARIABLE} is left alone with a note.\n"
    "\n"
    "Options:\n"
    "  -w, --write            rewrite FILE in place (atomically)\n"
    "  -d, --diff             print a unified diff of the pins\n"
    "  -c, --check            report images that differ from the lock or are\n"
    "                         missing from it ([image-lock]); exit 1 when any\n"
    "  -f, --format FMT       --check's report: text (default), json or sarif\n"
    "      --lock FILE        the image lock (default: images.lock beside FILE)\n"
    "      --from-docker      first add or update the lock's line of each image\n"
    "                         from the local engine (docker image inspect\n"
    "                         RepoDigests; DOCKER_HOST applies); alone, only\n"
    "                         the lock is written\n"
    "  -h, --help             this help\n"
    "\n"
    "With one FILE and no -w, --diff or --check, the result goes to stdout.\n"
    "See docs/pinning.md.\n"
    "\n"
    "Exit codes:\n"
    "  0  success (with --check: every image is pinned as the lock says)\n"
    "  1  --check: an image differs from the lock, is missing from it, or cannot\n"
    "     be pinned\n"
    "  2  usage error\n"
    "  3  invalid input: not YAML, a malformed lock line, or an image that cannot\n"
    "     be pinned (latest, untagged, missing from the lock, not in the engine)\n"
    "  4  I/O error: a file or the lock could not be read or written, docker\n"
    "     could not run\n"
    "  5  refused: the pinned text did not re-read as pinned\n";

enum { P_LOCK = 256, P_FROM_DOCKER };

static const struct option pin_opts[] = {
    {"write", no_argument, NULL, 'w'},         {"diff", no_argument, NULL, 'd'},
    {"check", no_argument, NULL, 'c'},         {"format", required_argument, NULL, 'f'},
    {"lock", required_argument, NULL, P_LOCK}, {"from-docker", no_argument, NULL, P_FROM_DOCKER},
    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
};

/* "unknown option '--lok'; did you mean '--lock'?" */
static void unknown(struct hc_buf *err, const char *given)
{
	hc_buf_addf(err, "pin: unknown option '%s'", given);
	if (strncmp(given, "--", 2))
		return;
	char *word = hc_xstrndup(given + 2, strcspn(given + 2, "="));
	struct hc_closest c = HC_CLOSEST_INIT(word);
	for (size_t i = 0; pin_opts[i].name; i++)
		hc_closest_try(&c, pin_opts[i].name);
	const char *best = hc_closest_get(&c);
	if (best)
		hc_buf_addf(err, "; did you mean '--%s'?", best);
	free(word);
}

static void apply(struct pin *p, int c, struct hc_buf *err)
{
	if (c == 'w')
		p->write = true;
	else if (c == 'd')
		p->diff = true;
	else if (c == 'c')
		p->check = true;
	else if (c == P_LOCK)
		p->lock = optarg;
	else if (c == P_FROM_DOCKER)
		p->from_docker = true;
	else if (c == 'f' && !strcmp(optarg, "text"))
		p->format = HC_FMT_TEXT;
	else if (c == 'f' && !strcmp(optarg, "json"))
		p->format = HC_FMT_JSON;
	else if (c == 'f' && !strcmp(optarg, "sarif"))
		p->format = HC_FMT_SARIF;
	else if (c == 'f')
		hc_buf_addf(err, "pin: --format takes text, json or sarif, not '%s'", optarg);
}

/* The checks once every option is read; the first failing says why. */
static void combination(const struct pin *p, struct hc_buf *err)
{
	bool mode = p->write || p->diff || p->check;
	if (!err->len && !p->nfiles)
		hc_buf_adds(err, "pin: no FILE given");
	if (!err->len && p->write && (p->check || p->diff))
		hc_buf_adds(err, "pin: --write cannot be combined with --check or --diff");
	if (!err->len && p->format != HC_FMT_TEXT && !p->check)
		hc_buf_adds(err, "pin: --format json|sarif is --check's report: add --check");
	if (!err->len && p->nfiles > 1 && !mode && !p->from_docker)
		hc_buf_adds(err, "pin: several FILEs need --write, --check or --diff");
	if (!err->len && p->nfiles > 1 && p->lock && p->from_docker)
		hc_buf_adds(err, "pin: --from-docker with --lock takes one FILE");
	for (int i = 0; !err->len && i < p->nfiles; i++)
		if (!strcmp(p->files[i], "-") && (p->write || p->from_docker))
			hc_buf_adds(err, "pin: --write and --from-docker need a FILE, not stdin");
}

/* 0, or the exit code (2, or 0 after --help). */
static int parse(struct pin *p, int argc, char **argv, bool *stop)
{
	struct hc_buf err = HC_BUF_INIT;
	int c;
	opterr = 0;
	optind = 1;
	while (!err.len && (c = getopt_long(argc, argv, "+wdcf:h", pin_opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(pin_usage, stdout);
			fputs(pin_help, stdout);
			*stop = true;
			return 0;
		}
		if (c == '?' || c == ':') {
			if (c == ':' || (optopt && strchr("f", optopt)) ||
			    (optopt >= 256 && optopt != P_FROM_DOCKER))
				hc_buf_addf(&err, "pin: option '%s' needs a value",
				            argv[optind - 1]);
			else
				unknown(&err, argv[optind - 1]);
		} else {
			apply(p, c, &err);
		}
	}
	p->files = argv + optind;
	p->nfiles = argc - optind;
	combination(p, &err);
	if (err.len) {
		fprintf(stderr, "hardcompose: error: %s\n", err.data);
		fputs(pin_usage, stderr);
		hc_buf_release(&err);
		*stop = true;
		return HC_EXIT_USAGE;
	}
	return 0;
}

/* The lock a file uses. Caller frees. */
static char *lock_of(const struct pin *p, const char *file)
{
	if (p->lock)
		return hc_xstrdup(p->lock);
	if (!strcmp(file, "-"))
		return hc_xstrdup("images.lock");
	char *dir = hc_dirname(file);
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addf(&b, "%s/images.lock", dir);
	free(dir);
	size_t n;
	if (!strncmp(b.data, "./", 2) && strncmp(file, "./", 2)) {
		char *r = hc_xstrdup(b.data + 2);
		hc_buf_release(&b);
		return r;
	}
	return hc_buf_detach(&b, &n);
}

static void fail(struct hc_outcome *o, int code, const char *file, int line, int col,
                 const char *msg)
{
	struct hc_diag d = HC_DIAG_INIT;
	hc_diag_set(&d, code, file, line, col, "%s", msg);
	hc_outcome_fail(o, &d);
	hc_diag_release(&d);
}

/* Copies the findings of from to to. */
static void add_all(struct hc_findings *to, const struct hc_findings *from)
{
	for (size_t i = 0; i < from->n; i++)
		hc_findings_add(to, from->v[i].pos, from->v[i].sev, from->v[i].rule,
		                from->v[i].msg);
}

/* Copies r's findings into o's records; with_fixes false: the rewrite
 * modes, where those are the pins being made. */
static void records(struct hc_outcome *o, const struct hc_buf *in, struct hc_pin_result *r,
                    bool with_fixes)
{
	struct hc_result res = {0};
	add_all(&res.findings, &r->findings);
	if (with_fixes)
		add_all(&res.findings, &r->fixes);
	hc_collect(o, in, &res);
	for (size_t i = 0; i < o->nrecs; i++)
		o->recs[i].kind = HC_KIND_RULE;
	hc_findings_release(&res.findings);
}

/* Does out re-read as pinned to the lock? */
static bool pinned(const struct hc_buf *out, const struct hc_lock *l)
{
	struct hc_doc doc;
	struct hc_error perr;
	if (hc_doc_parse(&doc, out->data ? out->data : "", out->len, &perr) < 0)
		return false;
	struct hc_pin_result again;
	hc_pin_plan(&again, &doc, l, "");
	bool ok = !again.fixable && !again.blocking && !again.edits.n;
	hc_pin_result_release(&again);
	hc_doc_release(&doc);
	return ok;
}

struct file_run {
	const struct pin *p;
	struct hc_outcome *o;
	struct hc_buf in;
	struct hc_stamp stamp;
	struct hc_doc doc;
	struct hc_lock lock;
	char *lockpath;
	bool parsed;
};

/* The rewrite modes: stdout, -w, --diff. */
static void rewrite(struct file_run *f, struct hc_pin_result *r)
{
	struct hc_outcome *o = f->o;
	records(o, &f->in, r, f->p->check);
	if (f->p->check)
		hc_add_findings(&o->out, o, false, false);
	else
		hc_add_findings(&o->err, o, false, false);
	if (r->blocking && !f->p->check) {
		o->code = HC_EXIT_INVALID;
		return;
	}
	struct hc_buf out = HC_BUF_INIT;
	struct hc_pieces pieces;
	size_t bad;
	hc_pieces_init(&pieces, f->in.len);
	const char *text = f->in.data ? f->in.data : "";
	if (hc_edits_apply(&r->edits, text, f->in.len, &out, &pieces, &bad) < 0 ||
	    (!r->blocking && !pinned(&out, &f->lock))) {
		fail(o, HC_EXIT_VERIFY, o->name, 0, 0,
		     "refused: the pinned text does not re-read as pinned to the lock");
	} else if (f->p->diff && r->edits.n) {
		hc_diff(&o->out, o->name, text, f->in.len, out.data, out.len, &pieces);
	} else if (f->p->write && r->edits.n) {
		struct hc_diag err = HC_DIAG_INIT;
		if (hc_write_atomic_ex(o->path, out.data, out.len, &f->stamp, text, f->in.len,
		                       &err) < 0)
			hc_outcome_fail(o, &err);
		hc_diag_release(&err);
		o->written = o->code == 0;
	} else if (!f->p->write && !f->p->diff && !f->p->check) {
		hc_buf_add(&o->out, out.data ? out.data : "", out.len);
	}
	o->changed = r->edits.n > 0;
	o->pending = r->fixable;
	if (f->p->check && !o->code)
		o->code = r->fixable || r->blocking ? HC_EXIT_CHANGES : HC_EXIT_OK;
	hc_pieces_release(&pieces);
	hc_buf_release(&out);
}

/* Reads the file and its lock. 0, or -1 with o failed. */
static int load(struct file_run *f)
{
	struct hc_outcome *o = f->o;
	struct hc_diag err = HC_DIAG_INIT;
	struct hc_error perr;
	if (hc_read_file_ex(o->path, &f->in, &err, true, &f->stamp) < 0) {
		hc_outcome_fail(o, &err);
		hc_diag_release(&err);
		return -1;
	}
	if (hc_doc_parse(&f->doc, f->in.data ? f->in.data : "", f->in.len, &perr) < 0) {
		fail(o, HC_EXIT_INVALID, o->name, perr.line, perr.col, perr.msg);
		return -1;
	}
	f->parsed = true;
	f->lockpath = lock_of(f->p, o->path);
	if (f->p->from_docker && hc_pin_refresh(f->lockpath, &f->doc, o) < 0)
		return -1;
	if (f->p->from_docker && !f->p->write && !f->p->diff && !f->p->check)
		return -1; /* done: only the lock */
	struct hc_buf lt = HC_BUF_INIT;
	int rc = hc_read_file(f->lockpath, &lt, &err);
	if (rc == 0)
		rc = hc_lock_parse(&f->lock, f->lockpath, lt.data ? lt.data : "", lt.len, &err);
	if (rc < 0) {
		hc_outcome_fail(o, &err);
		hc_diag_release(&err);
	}
	hc_buf_release(&lt);
	return rc;
}

static void pin_file(const struct pin *p, struct hc_outcome *o)
{
	struct file_run f = {.p = p, .o = o};
	if (load(&f) == 0) {
		struct hc_pin_result r;
		hc_pin_plan(&r, &f.doc, &f.lock, f.lockpath);
		rewrite(&f, &r);
		hc_pin_result_release(&r);
	}
	if (f.parsed)
		hc_doc_release(&f.doc);
	hc_lock_release(&f.lock);
	free(f.lockpath);
	hc_buf_release(&f.in);
}

void hc_pin_check_beside(const char *path, const char *text, size_t len, struct hc_findings *out)
{
	struct pin p = {0};
	struct stat st;
	char *lockpath = strcmp(path, "-") ? lock_of(&p, path) : NULL;
	if (!lockpath || stat(lockpath, &st) < 0) {
		free(lockpath);
		return;
	}
	struct hc_doc doc;
	struct hc_error perr;
	struct hc_diag err = HC_DIAG_INIT;
	struct hc_lock lock = {0};
	struct hc_buf lt = HC_BUF_INIT;
	int rc = hc_read_file(lockpath, &lt, &err);
	if (rc == 0)
		rc = hc_lock_parse(&lock, lockpath, lt.data ? lt.data : "", lt.len, &err);
	if (rc < 0) {
		struct hc_buf m = HC_BUF_INIT;
		hc_diag_format(&m, &err);
		hc_findings_add(out, 0, HC_ERROR, HC_IMAGE_LOCK, m.data);
		hc_buf_release(&m);
	} else if (hc_doc_parse(&doc, text, len, &perr) == 0) {
		struct hc_pin_result r;
		hc_pin_plan(&r, &doc, &lock, lockpath);
		add_all(out, &r.findings);
		add_all(out, &r.fixes);
		hc_pin_result_release(&r);
		hc_doc_release(&doc);
	}
	hc_diag_release(&err);
	hc_lock_release(&lock);
	hc_buf_release(&lt);
	free(lockpath);
}

int hc_pin_main(int argc, char **argv)
{
	struct pin p = {0};
	bool stop = false;
	int code = parse(&p, argc, argv, &stop);
	if (stop)
		return code;
	struct hc_outcome *o = hc_xcalloc((size_t)p.nfiles, sizeof(*o));
	for (int i = 0; i < p.nfiles; i++) {
		o[i].path = hc_xstrdup(p.files[i]);
		o[i].name = !strcmp(p.files[i], "-") ? "<stdin>" : o[i].path;
		pin_file(&p, &o[i]);
		if (p.format == HC_FMT_TEXT)
			fwrite(o[i].out.data ? o[i].out.data : "", 1, o[i].out.len, stdout);
		fflush(stdout);
		fwrite(o[i].err.data ? o[i].err.data : "", 1, o[i].err.len, stderr);
		if (o[i].code > code)
			code = o[i].code;
	}
	if (p.format == HC_FMT_JSON)
		hc_report_json(stdout, o, (size_t)p.nfiles, HC_VERSION);
	else if (p.format == HC_FMT_SARIF)
		hc_report_sarif(stdout, o, (size_t)p.nfiles, HC_VERSION);
	for (int i = 0; i < p.nfiles; i++)
		hc_outcome_release(&o[i]);
	free(o);
	if (fflush(stdout) != 0 || ferror(stdout))
		code = code > HC_EXIT_IO ? code : HC_EXIT_IO;
	return code;
}

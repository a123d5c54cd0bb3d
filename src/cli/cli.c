/*
 * cli.c: option parsing, the files a run covers (folders, includes), the
 * configuration each file runs with (.hardcompose.yml), the modes (stdout,
 * --write, --check/--diff), parallel processing and the report. Exit codes
 * are the enum in engine.h.
 */
#define _GNU_SOURCE /* memmem */
#include "cli/cli.h"
#include "engine/diff.h"
#include "engine/engine.h"
#include "base/io.h"
#include "cli/report.h"
#include "cli/side.h"
#include "base/strset.h"
#include "yaml/tree.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HC_VERSION "0.2.0"

static const char usage_text[] =
    "usage: hardcompose [OPTIONS] [FILE|FOLDER...]\n"
    "       hardcompose preflight [FILE...]   (see hardcompose preflight --help)\n"
    "\n"
    "Rewrites Docker Compose files into hardened ones, changing nothing else.\n"
    "With no FILE, or FILE '-', reads stdin and writes the result to stdout.\n"
    "With one FILE and no -w, writes the result to stdout. A FOLDER stands for\n"
    "the compose files under it; with --write, --check or --diff the files a\n"
    "file includes or extends are processed too.\n"
    "\n"
    "Options:\n"
    "  -w, --write            rewrite each FILE in place (atomically; untouched if unchanged);\n"
    "                         also writes the secret files and .env lines of `secrets`\n"
    "  -c, --check            write nothing; list pending changes and findings; exit 1 if a\n"
    "                         file would change or a finding reaches --fail-on\n"
    "                         (plaintext secrets count: only --write moves them)\n"
    "  -d, --diff             write nothing; print a unified diff of the changes\n"
    "  -f, --format FORMAT    report of --check: text (default), json or sarif\n"
    "      --fail-on SEVERITY  findings that fail --check: error (default), warning, note\n"
    "                         or none\n"
    "  -p, --profile NAME|PATH  profile to use (default: baseline; built in: baseline,\n"
    "                         production, strict, none)\n"
    "  -e, --enable ID        run transform or rule ID as well\n"
    "  -x, --disable ID       do not run transform or rule ID\n"
    "  -s, --set ID.OPTION=VALUE  set an option of a transform\n"
    "  -r, --rule ID=SEVERITY  run rule ID at SEVERITY (error, warning, note) or off\n"
    "      --config PATH      use this configuration file instead of .hardcompose.yml\n"
    "      --no-config        use no configuration file\n"
    "      --stdin-filepath PATH  the name of stdin in messages; its folder decides the\n"
    "                         configuration file\n"
    "  -j, --jobs N           process N files at once (default: the number of CPUs)\n"
    "  -l, --list-transforms  list the transforms in run order, with their options\n"
    "      --list-rules       list the findings rules, with their severities\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Exit codes:\n"
    "  0  success (with --check: nothing to change)\n"
    "  1  --check: at least one file would change; preflight: something is missing\n"
    "  2  usage error (unknown option, transform, option name or profile)\n"
    "  3  invalid input: not YAML, or not a compose file\n"
    "  4  I/O error: a file could not be read or written, or a secret file exists with "
    "other content\n"
    "  5  refused: the result would change meaning beyond the declared keys\n";

enum { OPT_FAIL_ON = 256, OPT_CONFIG, OPT_NO_CONFIG, OPT_STDIN_FILEPATH, OPT_LIST_RULES };

static const struct option longopts[] = {
    {"write", no_argument, NULL, 'w'},
    {"check", no_argument, NULL, 'c'},
    {"diff", no_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"profile", required_argument, NULL, 'p'},
    {"enable", required_argument, NULL, 'e'},
    {"disable", required_argument, NULL, 'x'},
    {"set", required_argument, NULL, 's'},
    {"rule", required_argument, NULL, 'r'},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"stdin-filepath", required_argument, NULL, OPT_STDIN_FILEPATH},
    {"jobs", required_argument, NULL, 'j'},
    {"list-transforms", no_argument, NULL, 'l'},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void list_transforms(void)
{
	for (size_t i = 0; i < hc_ntransforms; i++) {
		const struct hc_transform *t = hc_transforms[i];
		printf("%-20s %s\n", t->id, t->summary);
		for (size_t k = 0; k < t->nopts; k++)
			printf("    %s.%s (default: %s): %s\n", t->id, t->options[k].name,
			       t->options[k].dflt, t->options[k].help);
		printf("    %s.exclude (default: none): services this transform skips\n", t->id);
	}
}

static void list_rules(const struct hc_config *c)
{
	for (size_t i = 0; i < hc_nrules; i++)
		printf("%-26s %-7s %s%s\n", hc_rules[i].id,
		       c->r[i].enabled ? hc_severity_name(c->r[i].sev) : "off", hc_rules[i].summary,
		       hc_rules[i].covered_by ? " (quiet while its transform runs)" : "");
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "hardcompose: error: %s\n", msg);
	fprintf(stderr, "try 'hardcompose --help'\n");
	return HC_EXIT_USAGE;
}

int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code)
{
	memset(cli, 0, sizeof(*cli));
	cli->profile = "baseline";
	cli->fail_on = HC_ERROR;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cli->jobs = ncpu > 0 ? (int)ncpu : 1;
	cli->acts = hc_xcalloc((size_t)argc + 1, sizeof(*cli->acts));
	bool list_r = false;
	int c;
	opterr = 0;
	optind = 1;
	struct hc_buf err = HC_BUF_INIT;
	while ((c = getopt_long(argc, argv, ":wcdf:p:e:x:s:r:j:lhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			cli->write = true;
			break;
		case 'c':
			cli->check = true;
			break;
		case 'd':
			cli->diff = true;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				cli->format = HC_FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				cli->format = HC_FMT_JSON;
			else if (!strcmp(optarg, "sarif"))
				cli->format = HC_FMT_SARIF;
			else
				hc_buf_addf(&err, "--format takes text, json or sarif, not '%s'",
				            optarg);
			break;
		case OPT_FAIL_ON:
			if (!strcmp(optarg, "none"))
				cli->fail_on = -1;
			else if ((cli->fail_on = hc_severity_parse(optarg)) < 0)
				hc_buf_addf(
				    &err, "--fail-on takes error, warning, note or none, not '%s'",
				    optarg);
			break;
		case 'p':
			cli->profile = optarg;
			cli->profile_given = true;
			break;
		case 'e':
		case 'x':
		case 's':
		case 'r':
			cli->acts[cli->nacts].op = c;
			cli->acts[cli->nacts++].arg = optarg;
			break;
		case OPT_CONFIG:
			cli->config_path = optarg;
			break;
		case OPT_NO_CONFIG:
			cli->no_config = true;
			break;
		case OPT_STDIN_FILEPATH:
			cli->stdin_filepath = optarg;
			break;
		case 'j': {
			char *end;
			long j = strtol(optarg, &end, 10);
			if (*end || j < 1 || j > 256)
				hc_buf_addf(&err, "--jobs takes a number from 1 to 256, not '%s'",
				            optarg);
			else
				cli->jobs = (int)j;
			break;
		}
		case 'l':
			list_transforms();
			*code = HC_EXIT_OK;
			hc_buf_release(&err);
			return -1;
		case OPT_LIST_RULES:
			list_r = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			*code = HC_EXIT_OK;
			hc_buf_release(&err);
			return -1;
		case 'V':
			printf("hardcompose %s\n", HC_VERSION);
			*code = HC_EXIT_OK;
			hc_buf_release(&err);
			return -1;
		case ':':
			hc_buf_addf(&err, "option '%s' needs a value", argv[optind - 1]);
			break;
		default:
			hc_buf_addf(&err, "unknown option '%s'", argv[optind - 1]);
			break;
		}
		if (err.len)
			break;
	}
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	if (cli->format != HC_FMT_TEXT && !cli->write && !cli->diff)
		cli->check = true; /* a report is a --check */
	/* the configuration without a config file: validates ids and the profile
	 * now; a configuration file is built (and its errors said) per file */
	if (!err.len)
		hc_config_build(&cli->config, NULL, cli->profile, true, cli->acts, cli->nacts,
		                &err);
	if (!err.len && list_r) {
		list_rules(&cli->config);
		*code = HC_EXIT_OK;
		hc_buf_release(&err);
		return -1;
	}
	if (!err.len && hc_secrets_dir(&cli->config) && strchr(hc_secrets_dir(&cli->config), '$'))
		hc_buf_addf(&err,
		            "secrets.dir '%s' holds a '$', which Compose would interpolate in the "
		            "secrets: file: paths",
		            hc_secrets_dir(&cli->config));
	if (!err.len && cli->write && (cli->check || cli->diff))
		hc_buf_adds(&err, "--write cannot be combined with --check, --diff or --format");
	if (!err.len && cli->write && cli->nfiles == 0)
		hc_buf_adds(&err, "--write needs at least one FILE");
	for (int i = 0; !err.len && cli->write && i < cli->nfiles; i++)
		if (!strcmp(cli->files[i], "-"))
			hc_buf_adds(&err, "--write cannot rewrite stdin");
	if (!err.len && !cli->write && !cli->check && !cli->diff) {
		struct stat st;
		if (cli->nfiles > 1)
			hc_buf_adds(&err, "several FILEs need --write, --check or --diff");
		else if (cli->nfiles == 1 && stat(cli->files[0], &st) == 0 && S_ISDIR(st.st_mode))
			hc_buf_adds(&err, "a FOLDER needs --write, --check or --diff");
	}
	if (err.len) {
		*code = usage_error(err.data);
		hc_buf_release(&err);
		return -1;
	}
	hc_buf_release(&err);
	return 0;
}

static const char *sev_name(enum hc_severity s)
{
	return s == HC_ERROR ? "error" : s == HC_WARNING ? "warning" : "note";
}

static int cmp_finding(const void *a, const void *b)
{
	const struct hc_finding *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts the findings and turns them into records with lines and columns. */
static void collect(struct hc_outcome *o, const struct hc_buf *in, struct hc_result *res)
{
	if (res->findings.n)
		qsort(res->findings.v, res->findings.n, sizeof(*res->findings.v), cmp_finding);
	o->recs = hc_xcalloc(res->findings.n + 1, sizeof(*o->recs));
	int line = 1, col = 1;
	size_t at = 0;
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct hc_finding *f = &res->findings.v[i];
		for (; at < f->pos && at < in->len; at++) {
			if (in->data[at] == '\n')
				line++, col = 1;
			else if (((unsigned char)in->data[at] & 0xC0) != 0x80)
				col++;
		}
		struct hc_rec *r = &o->recs[o->nrecs++];
		r->id = hc_xstrdup(f->rule);
		r->kind = hc_kind_of(f->rule);
		r->sev = f->sev;
		r->line = line;
		r->col = col;
		r->msg = f->msg; /* moved, not copied: findings can outweigh the input */
		res->findings.v[i].msg = NULL;
	}
}

static int cmp_range(const void *a, const void *b)
{
	const struct hc_range *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void star(struct hc_buf *t, size_t lo, size_t hi)
{
	for (size_t k = lo; k < hi && k < t->len; k++)
		if (t->data[k] != '\n' && t->data[k] != '\r')
			t->data[k] = '*';
}

/*
 * Copies of the input and the output with every byte of a secret value
 * replaced by '*' (same length, so the piece table still applies): the
 * masked input ranges, where output bytes come from them, and, for up to
 * 64 distinct values, every other place the output holds one (a block
 * that a later transform copied, such as the x-environment that
 * extension-blocks hoists). Ranges are sorted once: n log n.
 */
static void mask_secrets(const struct hc_result *res, const struct hc_buf *in, struct hc_buf *a,
                         struct hc_buf *b)
{
	hc_buf_add(a, in->data ? in->data : "", in->len);
	hc_buf_add(b, res->out.data ? res->out.data : "", res->out.len);
	const struct hc_side *s = &res->side;
	if (!s->nmask)
		return;
	struct hc_range *m = hc_xcalloc(s->nmask, sizeof(*m));
	memcpy(m, s->mask, s->nmask * sizeof(*m));
	qsort(m, s->nmask, sizeof(*m), cmp_range);
	size_t n = 0; /* merged, disjoint, sorted */
	for (size_t i = 0; i < s->nmask; i++) {
		if (n && m[i].start <= m[n - 1].end) {
			if (m[i].end > m[n - 1].end)
				m[n - 1].end = m[i].end;
		} else {
			m[n++] = m[i];
		}
	}
	/* the values themselves, before the input copy is masked */
	struct hc_strlist vals = {0};
	for (size_t i = 0; i < n && vals.n <= 64; i++) {
		size_t lo = m[i].start, hi = m[i].end < in->len ? m[i].end : in->len;
		if (hi > lo + 1 && (in->data[lo] == '"' || in->data[lo] == '\'') &&
		    in->data[hi - 1] == in->data[lo])
			lo++, hi--;
		if (hi >= lo + 4 && !memchr(in->data + lo, '\n', hi - lo))
			hc_strlist_push(&vals, in->data + lo, hi - lo);
	}
	for (size_t i = 0; i < n; i++)
		star(a, m[i].start, m[i].end);
	for (size_t p = 0; p < res->pieces.n; p++) {
		const struct hc_piece *x = &res->pieces.v[p];
		if (x->ins)
			continue;
		/* the first range that may overlap [src, src + len) */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (m[mid].end <= x->src)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < n && m[i].start < x->src + x->len; i++) {
			size_t s0 = m[i].start > x->src ? m[i].start : x->src;
			size_t e0 = m[i].end < x->src + x->len ? m[i].end : x->src + x->len;
			star(b, x->off + (s0 - x->src), x->off + (e0 - x->src));
		}
	}
	for (size_t i = 0; vals.n <= 64 && i < vals.n; i++) {
		size_t vl = strlen(vals.v[i]);
		for (const char *p = b->data; p && (size_t)(p - b->data) + vl <= b->len;) {
			const char *hit = memmem(p, b->len - (size_t)(p - b->data), vals.v[i], vl);
			if (!hit)
				break;
			star(b, (size_t)(hit - b->data), (size_t)(hit - b->data) + vl);
			p = hit + vl;
		}
	}
	hc_strlist_release(&vals);
	free(m);
}

/* Plaintext secrets the run reported but did not move. */
static size_t pending_secrets(const struct hc_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < res->findings.n; i++)
		n += !strcmp(res->findings.v[i].rule, "secrets") &&
		     res->findings.v[i].sev == HC_WARNING;
	return n;
}

/* Parses "NAME:LINE:COL: error: MSG" (or "NAME: error: MSG") back. */
static void set_error(struct hc_outcome *o, const char *name, const char *err)
{
	size_t n = strlen(name);
	const char *p = !strncmp(err, name, n) && err[n] == ':' ? err + n + 1 : err;
	int line = 0, col = 0, used = 0;
	if (sscanf(p, "%d:%d: error: %n", &line, &col, &used) == 2 && used > 0) {
		o->eline = line;
		o->ecol = col;
		p += used;
	} else if (!strncmp(p, " error: ", 8)) {
		p += 8;
	}
	o->emsg = hc_xstrdup(p);
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

/* s with control characters escaped (\n, \t, \xNN), as JSON and SARIF
 * escape them: a name holding a line break cannot forge a report line. */
static void add_escaped(struct hc_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			hc_buf_adds(b, "\\n");
		else if (*p == '\r')
			hc_buf_adds(b, "\\r");
		else if (*p == '\t')
			hc_buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			hc_buf_addf(b, "\\x%02X", *p);
		else
			hc_buf_addc(b, (char)*p);
	}
}

/* One line of text output: s escaped, then a line end. */
static void add_line(struct hc_buf *b, const char *s)
{
	add_escaped(b, s);
	hc_buf_addc(b, '\n');
}

/*
 * When path is an override file (compose.override.yaml, compose.prod.yaml,
 * docker-compose.override.yml, ...) with a base file beside it
 * (compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml),
 * fills set with the services the base defines and returns true.
 */
static bool base_services(const char *path, struct hc_strset *set)
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
		struct hc_buf p = HC_BUF_INIT, t = HC_BUF_INIT, e = HC_BUF_INIT;
		hc_buf_addf(&p, "%s/%s", dir, bases[i]);
		struct hc_doc d;
		struct hc_error pe;
		if (access(p.data, F_OK) == 0 && hc_read_file(p.data, &t, &e) == 0 &&
		    hc_doc_parse(&d, t.data ? t.data : "", t.len, &pe) == 0) {
			found = true;
			struct hc_node *root = d.root && d.root->type == HC_MAP ? d.root : NULL;
			struct hc_node *svcs =
			    root ? hc_deref(hc_map_get(root, "services", NULL)) : NULL;
			for (size_t k = 0; svcs && svcs->type == HC_MAP && k + 1 < svcs->nkids;
			     k += 2)
				if (svcs->kids[k]->type == HC_SCALAR)
					hc_strset_add(set, svcs->kids[k]->text, svcs->kids[k]->len);
			hc_doc_release(&d);
		}
		hc_buf_release(&p);
		hc_buf_release(&t);
		hc_buf_release(&e);
	}
	free(dir);
	return found;
}

/* Is the resolved path p inside the resolved folder root? */
static bool under(const char *p, const char *root)
{
	size_t n = strlen(root);
	return !strncmp(p, root, n) && (p[n] == '/' || (n == 1 && root[0] == '/'));
}

struct job {
	const struct hc_cli *cli;
	const struct hc_config *cfg; /* NULL: err says why */
	const char *cfgerr;
	const char *cfgnote; /* a configuration file found, said once per run */
	struct hc_file *file;
	struct hc_outcome o;
};

static void process(struct job *j)
{
	const struct hc_cli *cli = j->cli;
	struct hc_outcome *o = &j->o;
	const char *path = j->file->path;
	bool is_stdin = !strcmp(path, "-");
	o->path = hc_xstrdup(path);
	o->name =
	    is_stdin ? (cli->stdin_filepath ? cli->stdin_filepath : "<stdin>") : j->file->path;
	if (!j->cfg) {
		add_line(&o->err, j->cfgerr);
		o->code = HC_EXIT_USAGE;
		set_error(o, "", j->cfgerr);
		return;
	}
	if (j->cfgnote && (cli->write || cli->check || cli->diff))
		hc_buf_addf(&o->err, "hardcompose: note: configuration from %s\n", j->cfgnote);
	if (j->file->err) {
		/* a file that includes itself is left alone */
		hc_buf_addf(&o->err, "%s:%s\n", o->name, j->file->err);
		o->code = HC_EXIT_INVALID;
		set_error(o, "", j->file->err);
		return;
	}
	struct hc_buf in = HC_BUF_INIT, err = HC_BUF_INIT, env = HC_BUF_INIT;
	struct hc_stamp stamp;
	/* --write: the folder's side files (.env, secrets/, .gitignore) and the
	 * file itself belong to this run until it is done */
	int lockfd = cli->write && !is_stdin ? lock_folder(path) : -1;
	if (hc_read_file_ex(path, &in, &err, !j->file->followed, &stamp) < 0) {
		add_line(&o->err, err.data);
		o->code = HC_EXIT_IO;
		set_error(o, o->name, err.data);
		hc_buf_release(&err);
		hc_buf_release(&in);
		unlock_folder(lockfd);
		return;
	}
	/* --write leaves alone a file outside its project folder that an
	 * include or a symlink in a folder led to */
	if (cli->write && !is_stdin && !j->file->named && j->file->root && j->file->real &&
	    !under(j->file->real, j->file->root)) {
		struct hc_buf m = HC_BUF_INIT;
		hc_buf_addf(&m,
		            "%s: warning: outside the project folder %s (an include, extends or "
		            "symlink leads there); not rewritten",
		            o->name, j->file->root);
		add_line(&o->err, m.data);
		hc_buf_release(&m);
		hc_buf_release(&in);
		unlock_folder(lockfd);
		return;
	}
	struct hc_ctx ctx = {.side_effects = cli->write && !j->file->extended,
	                     .rules = cli->check,
	                     .no_batch = getenv("HARDCOMPOSE_NO_BATCH") != NULL};
	const char *where = is_stdin ? cli->stdin_filepath : path;
	/* the secrets folder is looked at (never written) in every mode, so
	 * --check names the secrets as --write will */
	char *folder = where ? hc_dirname(where) : NULL;
	ctx.folder = folder;
	ctx.secret_file = hc_side_secret_state;
	struct hc_strset in_base = {0};
	if (where && base_services(where, &in_base))
		ctx.in_base = &in_base;
	if (where) {
		/* the .env beside the file: names the secrets transform must not reuse */
		char *dir = hc_dirname(where);
		struct hc_buf p = HC_BUF_INIT, e2 = HC_BUF_INIT;
		hc_buf_addf(&p, "%s/.env", dir);
		if (access(p.data, F_OK) == 0 && hc_read_file(p.data, &env, &e2) == 0) {
			ctx.dotenv = env.data ? env.data : "";
			ctx.dotenv_len = env.len;
		}
		hc_buf_release(&p);
		hc_buf_release(&e2);
		free(dir);
	}
	struct hc_result res;
	hc_config_process(j->cfg, &ctx, o->name, in.data ? in.data : "", in.len, &res);
	int code = res.code;
	bool changed = code == HC_EXIT_OK &&
	               (res.out.len != in.len || (in.len && memcmp(res.out.data, in.data, in.len)));
	o->changed = changed;
	o->pending = res.changes;
	size_t left = code == HC_EXIT_OK && !cli->write ? pending_secrets(&res) : 0;
	if (code != HC_EXIT_OK) {
		struct hc_buf e = HC_BUF_INIT;
		hc_diag_format(&e, &res.err);
		add_line(&o->err, e.data);
		hc_buf_release(&e);
		o->eline = res.err.line;
		o->ecol = res.err.col;
		o->emsg = hc_xstrdup(res.err.msg);
	} else if (cli->check || cli->diff) {
		collect(o, &in, &res);
		if (cli->check && cli->format == HC_FMT_TEXT)
			for (size_t i = 0; i < o->nrecs; i++) {
				add_escaped(&o->out, o->name);
				hc_buf_addf(&o->out, ":%d:%d: %s: [%s] ", o->recs[i].line,
				            o->recs[i].col, sev_name(o->recs[i].sev),
				            o->recs[i].id);
				add_line(&o->out, o->recs[i].msg);
			}
		if (cli->diff && changed) {
			struct hc_buf a = HC_BUF_INIT, b = HC_BUF_INIT;
			mask_secrets(&res, &in, &a, &b);
			hc_diff(&o->out, o->name, a.data ? a.data : "", a.len, b.data ? b.data : "",
			        b.len, &res.pieces);
			hc_buf_release(&a);
			hc_buf_release(&b);
		}
		bool fails = false;
		for (size_t i = 0; i < o->nrecs && cli->fail_on >= 0; i++)
			fails |= o->recs[i].kind != HC_KIND_TRANSFORM &&
			         (int)o->recs[i].sev >= cli->fail_on;
		if (cli->check && (changed || res.changes || fails))
			code = HC_EXIT_CHANGES;
	} else if (cli->write) {
		struct hc_buf notes = HC_BUF_INIT;
		test_delay();
		/* the compose file must be writable and unchanged before anything
		 * beside it is written */
		if (changed && hc_write_check(path, &stamp, &err) < 0) {
			add_line(&o->err, err.data);
			set_error(o, o->name, err.data);
			code = HC_EXIT_IO;
		} else if (hc_side_write(path, &res.side, &err, &notes) < 0) {
			add_line(&o->err, err.data);
			set_error(o, o->name, err.data);
			code = HC_EXIT_IO;
		} else if (changed && hc_write_atomic_ex(path, res.out.data, res.out.len, &stamp,
		                                         in.data, in.len, &err) < 0) {
			add_line(&o->err, err.data);
			set_error(o, o->name, err.data);
			code = HC_EXIT_IO;
		}
		if (notes.len)
			hc_buf_add(&o->err, notes.data, notes.len);
		hc_buf_release(&notes);
	} else {
		hc_buf_add(&o->out, res.out.data ? res.out.data : "", res.out.len);
	}
	/* -w: what it could not move (numbers, anchors, copies elsewhere...):
	 * the secrets transform's warnings that ask for a hand */
	size_t kept = 0;
	for (size_t i = 0; code == HC_EXIT_OK && cli->write && i < res.findings.n; i++)
		kept += !strcmp(res.findings.v[i].rule, "secrets") &&
		        res.findings.v[i].sev == HC_WARNING &&
		        (strstr(res.findings.v[i].msg, "by hand") ||
		         strstr(res.findings.v[i].msg, "remove one of them"));
	if (kept) {
		add_escaped(&o->err, o->name);
		hc_buf_addf(&o->err,
		            ": warning: %zu plaintext secret(s) or copies of one left in place, to "
		            "move by hand: hardcompose --check lists them\n",
		            kept);
	}
	if (left && !cli->check && code == HC_EXIT_OK)
		hc_buf_addf(
		    &o->err,
		    "%s: note: %zu plaintext secret(s) left in place: hardcompose -w moves them "
		    "to files (see --check)\n",
		    o->name, left);
	o->code = code;
	hc_result_release(&res);
	hc_buf_release(&err);
	hc_buf_release(&in);
	hc_buf_release(&env);
	free(folder);
	hc_strset_release(&in_base);
	unlock_folder(lockfd);
}

/*
 * The jobs in chains: a worker takes the next chain and runs its jobs in
 * order. Without --write every job is a chain of its own. With --write the
 * files of one folder share its .env, secrets/ and .gitignore, so they form
 * one chain, in file order: the result is the one -j 1 gives, byte for
 * byte. When the command line sends secret files outside the folders
 * (secrets.dir absolute or with ..), every job is in one chain.
 */
struct pool {
	struct job *jobs;
	size_t n;
	size_t *order;  /* job indexes, chain after chain */
	size_t *starts; /* chain k is order[starts[k] .. starts[k + 1]) */
	size_t nchains, next;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t k = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (k >= p->nchains)
			return NULL;
		for (size_t i = p->starts[k]; i < p->starts[k + 1]; i++)
			process(&p->jobs[p->order[i]]);
	}
}

struct keyed {
	char *key; /* the folder, resolved */
	size_t job;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->job > y->job) - (x->job < y->job);
}

static int cmp_pair(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Fills p->order and p->starts (see struct pool). */
static void make_chains(struct pool *p, const struct hc_files *files, bool by_folder, bool one)
{
	size_t n = p->n;
	p->order = hc_xcalloc(n + 1, sizeof(*p->order));
	p->starts = hc_xcalloc(n + 2, sizeof(*p->starts));
	if (!by_folder || one) {
		for (size_t i = 0; i < n; i++) {
			p->order[i] = i;
			p->starts[i] = by_folder ? 0 : i;
		}
		p->nchains = by_folder ? (n > 0) : n;
		p->starts[p->nchains] = n;
		return;
	}
	struct keyed *k = hc_xcalloc(n + 1, sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		char *dir = hc_dirname(files->v[i].path);
		char *real = realpath(dir, NULL);
		k[i].key = real ? real : hc_xstrdup(dir);
		k[i].job = i;
		free(dir);
	}
	if (n)
		qsort(k, n, sizeof(*k), cmp_keyed);
	/* chains in the order of their first job, so the first files start first */
	size_t *first = hc_xcalloc(n + 1, sizeof(*first)); /* chain start in k */
	size_t nc = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(k[i].key, k[i - 1].key))
			first[nc++] = i;
	/* chains sorted by their first (smallest) job index */
	size_t(*pairs)[2] = hc_xcalloc(nc + 1, sizeof(*pairs));
	for (size_t c = 0; c < nc; c++) {
		pairs[c][0] = k[first[c]].job;
		pairs[c][1] = c;
	}
	if (nc)
		qsort(pairs, nc, sizeof(*pairs), cmp_pair);
	size_t at = 0;
	for (size_t c = 0; c < nc; c++) {
		size_t ch = pairs[c][1];
		size_t end = ch + 1 < nc ? first[ch + 1] : n;
		p->starts[c] = at;
		for (size_t i = first[ch]; i < end; i++)
			p->order[at++] = k[i].job;
	}
	p->nchains = nc;
	p->starts[nc] = n;
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	free(first);
	free(pairs);
}

/* Configurations by config file path, built once each. */
struct cfgs {
	struct {
		char *path; /* NULL: no config file */
		struct hc_config cfg;
		char *err;
		bool said; /* its note is given to a job */
	} * v;
	size_t n;
	struct cfgdir {
		char *dir, *found;
	} * dirs; /* folder -> its configuration file */
	size_t ndirs;
};

/*
 * A configuration file found in the repository (not named by --config) may
 * not send files outside the project: a secrets.dir it sets that is
 * absolute, climbs out with "..", or holds a '$' (Compose would interpolate
 * it) is refused; the command line may set it.
 */
static int repo_settings_ok(const struct hc_cli *cli, const struct hc_config *c, const char *path,
                            struct hc_buf *err)
{
	const char *d = hc_secrets_dir(c), *own = hc_secrets_dir(&cli->config);
	if (!d || (own && !strcmp(d, own)))
		return 0;
	if (hc_path_escapes(d) || strchr(d, '$')) {
		hc_buf_addf(err,
		            "%s: secrets.dir '%s' would write secret files outside the project "
		            "folder; a configuration file found in the repository cannot set that "
		            "(give --set secrets.dir=... on the command line)",
		            path, d);
		return -1;
	}
	return 0;
}

static void cfg_for(const struct hc_cli *cli, struct cfgs *cs, const char *file, struct job *j)
{
	char *path = NULL;
	if (cli->config_path && !cli->no_config)
		path = hc_xstrdup(cli->config_path);
	else if (!cli->no_config && file) {
		/* one search per folder */
		char *dir = hc_dirname(file);
		size_t k = 0;
		while (k < cs->ndirs && strcmp(cs->dirs[k].dir, dir))
			k++;
		if (k == cs->ndirs) {
			cs->dirs = hc_xrealloc(cs->dirs, (cs->ndirs + 1) * sizeof(*cs->dirs));
			cs->dirs[k].dir = dir;
			cs->dirs[k].found = hc_config_find(dir);
			cs->ndirs++;
		} else {
			free(dir);
		}
		path = cs->dirs[k].found ? hc_xstrdup(cs->dirs[k].found) : NULL;
	}
	if (!path) {
		/* no configuration file: the command line's own, built at parse time */
		j->cfg = &cli->config;
		j->cfgerr = NULL;
		return;
	}
	size_t i = 0;
	while (i < cs->n &&
	       !(path ? cs->v[i].path && !strcmp(cs->v[i].path, path) : !cs->v[i].path))
		i++;
	if (i == cs->n) {
		cs->v = hc_xrealloc(cs->v, (cs->n + 1) * sizeof(*cs->v));
		memset(&cs->v[i], 0, sizeof(cs->v[i]));
		cs->v[i].path = path ? hc_xstrdup(path) : NULL;
		struct hc_buf err = HC_BUF_INIT;
		int rc = hc_config_build(&cs->v[i].cfg, path, cli->profile, cli->profile_given,
		                         cli->acts, cli->nacts, &err);
		if (rc == 0 && !cli->config_path)
			rc = repo_settings_ok(cli, &cs->v[i].cfg, path, &err);
		if (rc < 0) {
			struct hc_buf m = HC_BUF_INIT;
			hc_buf_addf(&m, "hardcompose: error: %s", err.data);
			size_t len;
			cs->v[i].err = hc_buf_detach(&m, &len);
		}
		hc_buf_release(&err);
		cs->n++;
	}
	free(path);
	j->cfg = cs->v[i].err ? NULL : &cs->v[i].cfg;
	j->cfgerr = cs->v[i].err;
	if (!cli->config_path && !cs->v[i].said) {
		j->cfgnote = cs->v[i].path;
		cs->v[i].said = true;
	}
}

/* Does the command line send secret files outside each file's folder? */
static bool secrets_leave_folders(const struct hc_cli *cli)
{
	const char *d = hc_secrets_dir(&cli->config);
	return d && hc_path_escapes(d);
}

int hc_cli_run(struct hc_cli *cli)
{
	struct hc_files files = {0};
	if (cli->nfiles == 0) {
		files.v = hc_xcalloc(1, sizeof(*files.v));
		files.v[0].path = hc_xstrdup("-");
		files.n = 1;
	}
	int worst = HC_EXIT_OK;
	for (int i = 0; i < cli->nfiles; i++) {
		struct stat st;
		size_t from = files.n;
		if (strcmp(cli->files[i], "-") && stat(cli->files[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			hc_walk(cli->files[i], &files);
			hc_files_root(&files, from, cli->files[i]);
		} else if (!strcmp(cli->files[i], "-")) {
			files.v = hc_xrealloc(files.v, (files.n + 1) * sizeof(*files.v));
			files.v[files.n++] = (struct hc_file){hc_xstrdup("-"), NULL,  NULL, false,
			                                      false,           false, NULL};
		} else {
			size_t before = files.n;
			hc_files_add(&files, cli->files[i], false);
			hc_files_root(&files, before, NULL);
			if (files.n > before)
				files.v[before].named = true;
			if (files.n == before && access(cli->files[i], F_OK) != 0) {
				files.v = hc_xrealloc(files.v, (files.n + 1) * sizeof(*files.v));
				files.v[files.n++] = (struct hc_file){hc_xstrdup(cli->files[i]),
				                                      NULL,
				                                      NULL,
				                                      false,
				                                      false,
				                                      false,
				                                      NULL};
			}
		}
	}
	if (cli->write || cli->check || cli->diff)
		hc_follow(&files);
	struct cfgs cs = {0};
	struct job *jobs = hc_xcalloc(files.n + 1, sizeof(*jobs));
	for (size_t i = 0; i < files.n; i++) {
		jobs[i].cli = cli;
		jobs[i].file = &files.v[i];
		const char *where =
		    strcmp(files.v[i].path, "-") ? files.v[i].path : cli->stdin_filepath;
		cfg_for(cli, &cs, where, &jobs[i]);
	}
	struct pool pool = {.jobs = jobs, .n = files.n};
	make_chains(&pool, &files, cli->write, cli->write && secrets_leave_folders(cli));
	pthread_mutex_init(&pool.lock, NULL);
	size_t nthreads = (size_t)cli->jobs < pool.nchains ? (size_t)cli->jobs : pool.nchains;
	if (nthreads <= 1) {
		worker(&pool);
	} else {
		pthread_t *t = hc_xcalloc(nthreads, sizeof(*t));
		size_t started = 0;
		for (; started < nthreads; started++)
			if (pthread_create(&t[started], NULL, worker, &pool) != 0)
				break;
		if (!started)
			worker(&pool);
		for (size_t i = 0; i < started; i++)
			pthread_join(t[i], NULL);
		free(t);
	}
	pthread_mutex_destroy(&pool.lock);
	free(pool.order);
	free(pool.starts);
	struct hc_outcome *os = hc_xcalloc(files.n + 1, sizeof(*os));
	for (size_t i = 0; i < files.n; i++) {
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
		hc_report_json(stdout, os, files.n, HC_VERSION);
	else if (cli->format == HC_FMT_SARIF)
		hc_report_sarif(stdout, os, files.n, HC_VERSION);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "hardcompose: error: cannot write to stdout\n");
		if (worst < HC_EXIT_IO)
			worst = HC_EXIT_IO;
	}
	for (size_t i = 0; i < files.n; i++)
		hc_outcome_release(&os[i]);
	free(os);
	free(jobs);
	for (size_t i = 0; i < cs.n; i++) {
		free(cs.v[i].path);
		free(cs.v[i].err);
		hc_config_release(&cs.v[i].cfg);
	}
	free(cs.v);
	for (size_t i = 0; i < cs.ndirs; i++) {
		free(cs.dirs[i].dir);
		free(cs.dirs[i].found);
	}
	free(cs.dirs);
	hc_files_release(&files);
	return worst;
}

void hc_cli_release(struct hc_cli *cli)
{
	hc_config_release(&cli->config);
	free(cli->acts);
}

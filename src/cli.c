/*
 * cli.c: option parsing, the three modes (stdout, --write, --check/--diff)
 * and the report. Exit codes are the enum in engine.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "diff.h"
#include "engine.h"
#include "io.h"
#include "side.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HC_VERSION "0.1.0"

static const char usage_text[] =
    "usage: hardcompose [OPTIONS] [FILE...]\n"
    "       hardcompose preflight [FILE...]   (see hardcompose preflight --help)\n"
    "\n"
    "Rewrites Docker Compose files into hardened ones, changing nothing else.\n"
    "With no FILE, or FILE '-', reads stdin and writes the result to stdout.\n"
    "With one FILE and no -w, writes the result to stdout.\n"
    "\n"
    "Options:\n"
    "  -w, --write            rewrite each FILE in place (atomically; untouched if unchanged);\n"
    "                         also writes the secret files and .env lines of `secrets`\n"
    "  -c, --check            write nothing; list pending changes; exit 1 if any\n"
    "                         (plaintext secrets count: only --write moves them)\n"
    "  -d, --diff             write nothing; print a unified diff of the changes\n"
    "  -p, --profile NAME|PATH  profile to use (default: baseline; built in: baseline, production, "
    "none)\n"
    "  -e, --enable ID        run transform ID as well\n"
    "  -x, --disable ID       do not run transform ID\n"
    "  -s, --set ID.OPTION=VALUE  set an option of a transform\n"
    "  -l, --list-transforms  list the transforms in run order, with their options\n"
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

static const struct option longopts[] = {
    {"write", no_argument, NULL, 'w'},
    {"check", no_argument, NULL, 'c'},
    {"diff", no_argument, NULL, 'd'},
    {"profile", required_argument, NULL, 'p'},
    {"enable", required_argument, NULL, 'e'},
    {"disable", required_argument, NULL, 'x'},
    {"set", required_argument, NULL, 's'},
    {"list-transforms", no_argument, NULL, 'l'},
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

static int usage_error(const char *msg)
{
	fprintf(stderr, "hardcompose: error: %s\n", msg);
	fprintf(stderr, "try 'hardcompose --help'\n");
	return HC_EXIT_USAGE;
}

/* Profile first, then --enable/--disable/--set in the order given. */
int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code)
{
	memset(cli, 0, sizeof(*cli));
	hc_config_init(&cli->config);
	const char *profile = "baseline";
	struct {
		int op;
		const char *arg;
	} *acts = hc_xcalloc((size_t)argc + 1, sizeof(*acts));
	int nacts = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":wcdp:e:x:s:lhV", longopts, NULL)) != -1) {
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
		case 'p':
			profile = optarg;
			break;
		case 'e':
		case 'x':
		case 's':
			acts[nacts].op = c;
			acts[nacts++].arg = optarg;
			break;
		case 'l':
			list_transforms();
			*code = HC_EXIT_OK;
			free(acts);
			return -1;
		case 'h':
			fputs(usage_text, stdout);
			*code = HC_EXIT_OK;
			free(acts);
			return -1;
		case 'V':
			printf("hardcompose %s\n", HC_VERSION);
			*code = HC_EXIT_OK;
			free(acts);
			return -1;
		case ':': {
			char msg[128];
			snprintf(msg, sizeof(msg), "option '%s' needs a value", argv[optind - 1]);
			*code = usage_error(msg);
			free(acts);
			return -1;
		}
		default: {
			char msg[128];
			snprintf(msg, sizeof(msg), "unknown option '%s'", argv[optind - 1]);
			*code = usage_error(msg);
			free(acts);
			return -1;
		}
		}
	}
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	struct hc_buf err = HC_BUF_INIT;
	int rc = hc_config_load_profile(&cli->config, profile, &err);
	for (int i = 0; rc == 0 && i < nacts; i++) {
		if (acts[i].op == 's')
			rc = hc_config_set(&cli->config, acts[i].arg, &err);
		else
			rc = hc_config_enable(&cli->config, acts[i].arg, acts[i].op == 'e', &err);
	}
	free(acts);
	if (rc == 0 && cli->write && (cli->check || cli->diff)) {
		hc_buf_adds(&err, "--write cannot be combined with --check or --diff");
		rc = -1;
	}
	if (rc == 0 && cli->write && cli->nfiles == 0) {
		hc_buf_adds(&err, "--write needs at least one FILE");
		rc = -1;
	}
	for (int i = 0; rc == 0 && cli->write && i < cli->nfiles; i++)
		if (!strcmp(cli->files[i], "-")) {
			hc_buf_adds(&err, "--write cannot rewrite stdin");
			rc = -1;
		}
	if (rc == 0 && !cli->write && !cli->check && !cli->diff && cli->nfiles > 1) {
		hc_buf_adds(&err, "several FILEs need --write, --check or --diff");
		rc = -1;
	}
	if (rc < 0) {
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

static void print_findings(const char *name, const struct hc_buf *in, struct hc_result *res)
{
	if (res->findings.n)
		qsort(res->findings.v, res->findings.n, sizeof(*res->findings.v), cmp_finding);
	/* positions are sorted: walk the text once */
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
		printf("%s:%d:%d: %s: [%s] %s\n", name, line, col, sev_name(f->sev), f->rule,
		       f->msg);
	}
}

static int write_stdout(const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}

/* Copies of the input and the output with every byte of a secret value
 * replaced by '*' (same length, so the piece table still applies). */
static void mask_secrets(const struct hc_result *res, const struct hc_buf *in, struct hc_buf *a,
                         struct hc_buf *b)
{
	hc_buf_add(a, in->data ? in->data : "", in->len);
	hc_buf_add(b, res->out.data ? res->out.data : "", res->out.len);
	const struct hc_side *s = &res->side;
	for (size_t i = 0; i < s->nmask; i++)
		for (size_t k = s->mask[i].start; k < s->mask[i].end && k < a->len; k++)
			if (a->data[k] != '\n' && a->data[k] != '\r')
				a->data[k] = '*';
	for (size_t p = 0; s->nmask && p < res->pieces.n; p++) {
		const struct hc_piece *x = &res->pieces.v[p];
		if (x->ins)
			continue;
		for (size_t i = 0; i < s->nmask; i++) {
			size_t lo = s->mask[i].start > x->src ? s->mask[i].start : x->src;
			size_t hi =
			    s->mask[i].end < x->src + x->len ? s->mask[i].end : x->src + x->len;
			for (size_t k = lo; k < hi; k++) {
				size_t o = x->off + (k - x->src);
				if (o < b->len && b->data[o] != '\n' && b->data[o] != '\r')
					b->data[o] = '*';
			}
		}
	}
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

static int process_one(struct hc_cli *cli, const char *path)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	struct hc_buf in = HC_BUF_INIT, err = HC_BUF_INIT, env = HC_BUF_INIT;
	if (hc_read_file(path, &in, &err) < 0) {
		fprintf(stderr, "%s\n", err.data);
		hc_buf_release(&err);
		hc_buf_release(&in);
		return HC_EXIT_IO;
	}
	struct hc_ctx ctx = {.side_effects = cli->write};
	if (!is_stdin) {
		/* the .env beside the file: names the secrets transform must not reuse */
		char *dir = hc_dirname(path);
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
	hc_process_ex(&cli->config, &ctx, name, in.data ? in.data : "", in.len, &res);
	int code = res.code;
	bool changed = code == HC_EXIT_OK &&
	               (res.out.len != in.len || (in.len && memcmp(res.out.data, in.data, in.len)));
	size_t left = code == HC_EXIT_OK && !cli->write ? pending_secrets(&res) : 0;
	if (code != HC_EXIT_OK) {
		fprintf(stderr, "%s\n", res.err.data);
	} else if (cli->check || cli->diff) {
		if (cli->check)
			print_findings(name, &in, &res);
		if (cli->diff && changed) {
			struct hc_buf d = HC_BUF_INIT, a = HC_BUF_INIT, b = HC_BUF_INIT;
			mask_secrets(&res, &in, &a, &b);
			hc_diff(&d, name, a.data ? a.data : "", a.len, b.data ? b.data : "", b.len,
			        &res.pieces);
			if (write_stdout(d.data, d.len) < 0)
				code = HC_EXIT_IO;
			hc_buf_release(&d);
			hc_buf_release(&a);
			hc_buf_release(&b);
		}
		if (cli->check && (changed || res.changes))
			code = HC_EXIT_CHANGES;
	} else if (cli->write) {
		struct hc_buf notes = HC_BUF_INIT;
		if (hc_side_write(path, &res.side, &err, &notes) < 0) {
			fprintf(stderr, "%s\n", err.data);
			code = HC_EXIT_IO;
		} else if (changed && hc_write_atomic(path, res.out.data, res.out.len, &err) < 0) {
			fprintf(stderr, "%s\n", err.data);
			code = HC_EXIT_IO;
		}
		if (notes.len)
			fputs(notes.data, stderr);
		hc_buf_release(&notes);
	} else if (write_stdout(res.out.data, res.out.len) < 0) {
		fprintf(stderr, "%s: error: cannot write to stdout\n", name);
		code = HC_EXIT_IO;
	}
	if (left && !cli->check && code == HC_EXIT_OK)
		fprintf(
		    stderr,
		    "%s: note: %zu plaintext secret(s) left in place: hardcompose -w moves them "
		    "to files (see --check)\n",
		    name, left);
	hc_result_release(&res);
	hc_buf_release(&err);
	hc_buf_release(&in);
	hc_buf_release(&env);
	return code;
}

int hc_cli_run(struct hc_cli *cli)
{
	if (cli->nfiles == 0)
		return process_one(cli, "-");
	int worst = HC_EXIT_OK;
	for (int i = 0; i < cli->nfiles; i++) {
		int code = process_one(cli, cli->files[i]);
		if (code > worst)
			worst = code;
	}
	return worst;
}

void hc_cli_release(struct hc_cli *cli)
{
	hc_config_release(&cli->config);
}

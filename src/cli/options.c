/*
 * options.c: the option table, --help, and parsing argv into struct
 * hc_cli (options.h). --list-transforms, --list-rules and --version print
 * here too: they end the run before any file is read.
 */
#include "cli/options.h"
#include "cli/optable.h"
#include "cli/optdoc.h"
#include "base/io.h"
#include "base/suggest.h"
#include "cli/side.h"
#include "engine/engine.h"
#include "rules/rules.h"
#include "transforms/transform.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOPTS HC_NOPTS

static const char usage_head[] =
    "usage: hardcompose [OPTIONS] [FILE|FOLDER...]\n"
    "       hardcompose preflight [FILE...]   (see hardcompose preflight --help)\n"
    "       hardcompose lsp [--stdio] [OPTIONS]  a language server (see hardcompose lsp --help)\n"
    "       hardcompose -w|-c|-d [OPTIONS] -F FILE [-F FILE...] | --project [FOLDER]\n"
    "                          one Compose project, its files read together\n"
    "       hardcompose pin [OPTIONS] FILE...  pin images to digests (see hardcompose pin --help)\n"
    "\n"
    "Rewrites Docker Compose files into hardened ones, changing nothing else.\n"
    "With no FILE, or FILE '-', reads stdin and writes the result to stdout.\n"
    "With one FILE and no -w, writes the result to stdout. A FOLDER stands for\n"
    "the compose files under it; with --write, --check or --diff the files a\n"
    "file includes or extends are processed too.\n"
    "\n"
    "Options:\n";

static const char usage_tail[] =
    "\n"
    "Exit codes:\n"
    "  0  success (with --check: nothing to change)\n"
    "  1  --check: at least one file would change; preflight: something is missing\n"
    "  2  usage error (unknown option, transform, option name, profile, or service named by "
    "--set)\n"
    "  3  invalid input: not YAML, or not a compose file\n"
    "  4  I/O error: a file could not be read or written, a secret file exists with "
    "other content, or `--write` would append secrets to a `.env` that git tracks\n"
    "  5  refused: the result would change meaning beyond the declared keys\n";

static bool has_short(const struct hc_opt *o)
{
	return o->id < 256;
}

/* --help: each option's names and value, then its help, lines aligned. */
static void usage(FILE *f)
{
	fputs(usage_head, f);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct hc_opt *o = &hc_opts[i];
		char left[64];
		if (has_short(o))
			snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->id, o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "      --%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		fprintf(f, "%-23s  ", left);
		for (const char *p = o->help; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "%25s", "");
		}
		fputc('\n', f);
	}
	fputs(usage_tail, f);
}

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

/* What parsing found besides cli's fields. */
struct parse {
	struct hc_buf err; /* a usage error */
	bool list_rules;
	int stop;         /* an option that ends the run: 'l', 'h', 'V' or 'D'; 0: none */
	const char *dump; /* --dump-options's value */
};

static void set_format(struct hc_cli *cli, const char *v, struct hc_buf *err)
{
	static const char *const formats[] = {"text", "json", "sarif", "codeclimate", NULL};
	int i = 0;
	while (formats[i] && strcmp(formats[i], v))
		i++;
	if (formats[i]) {
		cli->format = (enum hc_format)i;
		return;
	}
	hc_buf_addf(err, "--format takes text, json, sarif or codeclimate, not '%s'", v);
	struct hc_closest c = HC_CLOSEST_INIT(v);
	hc_closest_list(&c, formats);
	hc_closest_add(err, &c);
}

static void set_color(struct hc_cli *cli, const char *v, struct hc_buf *err)
{
	static const char *const whens[] = {"auto", "always", "never", NULL};
	int i = 0;
	while (whens[i] && strcmp(whens[i], v))
		i++;
	if (whens[i])
		cli->color = (enum hc_color)i;
	else {
		hc_buf_addf(err, "--color takes auto, always or never, not '%s'", v);
		struct hc_closest c = HC_CLOSEST_INIT(v);
		hc_closest_list(&c, whens);
		hc_closest_add(err, &c);
	}
}

/* Colour on fd: --color, else NO_COLOR (set and not empty: none), else a
 * terminal. */
static bool color_on(const struct hc_cli *cli, int fd)
{
	if (cli->color != HC_COLOR_AUTO)
		return cli->color == HC_COLOR_ALWAYS;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	return isatty(fd) && !(term && !strcmp(term, "dumb"));
}

static void set_jobs(struct hc_cli *cli, const char *v, struct hc_buf *err)
{
	char *end;
	long j = strtol(v, &end, 10);
	if (*end || j < 1 || j > 256)
		hc_buf_addf(err, "--jobs takes a number from 1 to 256, not '%s'", v);
	else
		cli->jobs = (int)j;
}

/* "unknown option '--formt' (did you mean '--format'?)" */
static void unknown_option(struct hc_buf *err, const char *given)
{
	hc_buf_addf(err, "unknown option '%s'", given);
	if (strncmp(given, "--", 2))
		return;
	char *word = hc_xstrndup(given + 2, strcspn(given + 2, "="));
	struct hc_closest c = HC_CLOSEST_INIT(word);
	for (size_t i = 0; i < NOPTS; i++)
		hc_closest_try(&c, hc_opts[i].name);
	const char *best = hc_closest_get(&c);
	if (!strcmp(word, "lock") || !strcmp(word, "from-docker"))
		hc_buf_addf(err,
		            "; --%s is an option of 'hardcompose pin' (see hardcompose pin --help)",
		            word);
	else if (best)
		hc_buf_addf(err, "; did you mean '--%s'?", best);
	free(word);
}

/* The options that name a path: true when c is one (its value kept). */
static bool apply_path(struct hc_cli *cli, int c, const char *v)
{
	const char **to = c == OPT_CONFIG           ? &cli->config_path
	                  : c == OPT_STDIN_FILEPATH ? &cli->stdin_filepath
	                  : c == OPT_OVERLAY        ? &cli->overlay
	                                            : NULL;
	if (to)
		*to = v;
	return to != NULL;
}

/* Applies option c (getopt's answer) with value v. */
static void apply_option(struct hc_cli *cli, struct parse *ps, int c, const char *v,
                         const char *given)
{
	if (apply_path(cli, c, v))
		return;
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
		set_format(cli, v, &ps->err);
		break;
	case 'q':
		cli->quiet = true;
		break;
	case OPT_COLOR:
		set_color(cli, v, &ps->err);
		break;
	case OPT_FAIL_ON:
		if (!strcmp(v, "none"))
			cli->fail_on = -1;
		else if ((cli->fail_on = hc_severity_parse(v)) < 0)
			hc_buf_addf(&ps->err,
			            "--fail-on takes error, warning, note or none, not '%s'", v);
		break;
	case 'p':
		cli->profile = v;
		cli->profile_given = true;
		break;
	case 'e':
	case 'x':
	case 's':
	case 'r':
		cli->acts[cli->nacts].op = c;
		cli->acts[cli->nacts++].arg = v;
		break;
	case OPT_NO_CONFIG:
		cli->no_config = true;
		break;
	case 'j':
		set_jobs(cli, v, &ps->err);
		break;
	case 'l':
	case 'h':
	case 'V':
		ps->stop = c;
		break;
	case OPT_LIST_RULES:
		ps->list_rules = true;
		break;
	case OPT_DUMP:
		ps->dump = v;
		ps->stop = 'D';
		break;
	case 'F':
		hc_strlist_push(&cli->project_files, v, strlen(v));
		break;
	case OPT_PROJECT:
		cli->project = true;
		break;
	case ':':
		hc_buf_addf(&ps->err, "option '%s' needs a value", given);
		break;
	default:
		unknown_option(&ps->err, given);
		break;
	}
}

/* getopt's lists, made from the table. */
static void getopt_lists(struct option *lo, char *so)
{
	size_t k = 0;
	so[k++] = ':';
	for (size_t i = 0; i < NOPTS; i++) {
		lo[i] = (struct option){hc_opts[i].name,
		                        hc_opts[i].arg ? required_argument : no_argument, NULL,
		                        hc_opts[i].id};
		if (has_short(&hc_opts[i])) {
			so[k++] = (char)hc_opts[i].id;
			if (hc_opts[i].arg)
				so[k++] = ':';
		}
	}
	lo[NOPTS] = (struct option){"dump-options", required_argument, NULL, OPT_DUMP};
	lo[NOPTS + 1] = (struct option){NULL, 0, NULL, 0};
	so[k] = 0;
}

/* `hardcompose check f`: a first FILE that does not exist but is (close
 * to) an option's name or the preflight command is a mistyped command. */
static void not_a_command(const struct hc_cli *cli, struct hc_buf *err)
{
	const char *w = cli->files[0];
	struct stat st;
	if (!strcmp(w, "-") || strchr(w, '/') || stat(w, &st) == 0)
		return;
	struct hc_closest c = HC_CLOSEST_INIT(w);
	for (size_t i = 0; i < NOPTS; i++)
		hc_closest_try(&c, hc_opts[i].name);
	hc_closest_try(&c, "preflight");
	hc_closest_try(&c, "lsp");
	hc_closest_try(&c, "pin");
	const char *best = !strcmp(c.best ? c.best : "", w) ? c.best : hc_closest_get(&c);
	if (!best)
		return;
	bool cmd = !strcmp(best, "preflight") || !strcmp(best, "lsp") || !strcmp(best, "pin");
	hc_buf_addf(err, "'%s' is neither a file nor a command; did you mean 'hardcompose %s%s", w,
	            cmd ? "" : "--", best);
	for (int i = 1; i < cli->nfiles; i++)
		hc_buf_addf(err, " %s", cli->files[i]);
	hc_buf_adds(err, "'?");
}

/* --overlay's checks: one FILE, not a folder, not the overlay itself
 * (docs/overlays.md). */
static void overlay_usage(const struct hc_cli *cli, struct hc_buf *err)
{
	struct stat a, b;
	if (cli->project_files.n || cli->project)
		hc_buf_adds(err, "--overlay takes one base FILE, not -F or --project");
	else if (cli->nfiles != 1)
		hc_buf_adds(err, "--overlay needs exactly one FILE, the base compose file");
	else if (stat(cli->files[0], &a) == 0 && S_ISDIR(a.st_mode))
		hc_buf_adds(err, "--overlay needs a compose FILE, not a folder");
	else if (!strcmp(cli->overlay, cli->files[0]) ||
	         (stat(cli->overlay, &b) == 0 && stat(cli->files[0], &a) == 0 &&
	          a.st_dev == b.st_dev && a.st_ino == b.st_ino))
		hc_buf_adds(err, "--overlay FILE is the base file itself");
	else if (!*cli->overlay || !strcmp(cli->overlay, "-"))
		hc_buf_adds(err, "--overlay needs a file name");
}

/* The checks once every option is read; the first failing says why. */
static void check_combination(struct hc_cli *cli, struct hc_buf *err)
{
	/* -F, --project: their combination is checked by cli/project.c */
	bool proj = cli->project || cli->project_files.n;
	if (!err->len && !proj && cli->nfiles)
		not_a_command(cli, err);
	if (!err->len && !proj && !cli->nfiles && isatty(STDIN_FILENO))
		hc_buf_adds(err, "no FILE given and stdin is a terminal: name a FILE or FOLDER, or "
		                 "give '-' to read stdin");
	if (!err->len && hc_secrets_dir(&cli->config) && strchr(hc_secrets_dir(&cli->config), '$'))
		hc_buf_addf(err,
		            "secrets.dir '%s' holds a '$', which Compose would interpolate in the "
		            "secrets: file: paths",
		            hc_secrets_dir(&cli->config));
	if (!err->len && cli->write && (cli->check || cli->diff))
		hc_buf_adds(err, "--write cannot be combined with --check or --diff");
	if (!err->len && !proj && cli->write && cli->nfiles == 0)
		hc_buf_adds(err, "--write needs at least one FILE");
	for (int i = 0; !err->len && !proj && cli->write && i < cli->nfiles; i++)
		if (!strcmp(cli->files[i], "-"))
			hc_buf_adds(err, "--write cannot rewrite stdin");
	if (!err->len && cli->overlay)
		overlay_usage(cli, err);
	if (!err->len && !proj && !cli->write && !cli->check && !cli->diff) {
		struct stat st;
		if (cli->nfiles > 1)
			hc_buf_adds(err, "several FILEs need --write, --check or --diff");
		else if (cli->nfiles == 1 && stat(cli->files[0], &st) == 0 && S_ISDIR(st.st_mode))
			hc_buf_adds(err, "a FOLDER needs --write, --check or --diff");
	}
}

/* Prints what an option that ends the run asks for. */
static void stop_now(int what)
{
	if (what == 'l')
		list_transforms();
	else if (what == 'h')
		usage(stdout);
	else
		printf("hardcompose %s\n", HC_VERSION);
}

/* The services the --set options name: ID.exclude=A,B and
 * secrets.exceptions=SERVICE.NAME. */
static void set_services(struct hc_cli *cli)
{
	for (int i = 0; i < cli->nacts; i++) {
		const char *a = cli->acts[i].arg, *dot = strchr(a, '.'), *eq = strchr(a, '=');
		if (cli->acts[i].op != 's' || !dot || !eq || eq < dot)
			continue;
		bool ex = eq - dot - 1 == 7 && !strncmp(dot + 1, "exclude", 7);
		bool exc = !strncmp(a, "secrets.exceptions=", 19);
		for (const char *p = eq + 1; (ex || exc) && *p;) {
			size_t n = strcspn(p, ",");
			const char *w = p, *end = p + n;
			while (w < end && *w == ' ')
				w++;
			while (end > w && end[-1] == ' ')
				end--;
			const char *sd = exc ? memchr(w, '.', (size_t)(end - w)) : end;
			if (sd && sd > w)
				hc_strlist_push(&cli->set_services, w, (size_t)(sd - w));
			p += n + (p[n] == ',');
		}
	}
}

/* The configuration without a configuration file: validates the ids and
 * the profile now; a configuration file is built (and its errors said) per
 * file. */
static void build_config(struct hc_cli *cli, struct hc_buf *err)
{
	struct hc_diag d = HC_DIAG_INIT;
	if (hc_config_build(&cli->config, NULL, cli->profile, true, cli->acts, cli->nacts, &d) < 0)
		hc_buf_adds(err, d.msg);
	hc_diag_release(&d);
}

int hc_cli_parse(struct hc_cli *cli, int argc, char **argv, int *code)
{
	memset(cli, 0, sizeof(*cli));
	cli->profile = "baseline";
	cli->fail_on = HC_ERROR;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cli->jobs = ncpu > 0 ? (int)ncpu : 1;
	cli->acts = hc_xcalloc((size_t)argc + 1, sizeof(*cli->acts));
	struct option lo[NOPTS + 2];
	char so[2 * NOPTS + 2];
	getopt_lists(lo, so);
	struct parse ps = {HC_BUF_INIT, false, 0, NULL};
	int c;
	opterr = 0;
	optind = 1;
	while (!ps.err.len && !ps.stop && (c = getopt_long(argc, argv, so, lo, NULL)) != -1)
		apply_option(cli, &ps, c, optarg, argv[optind - 1]);
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	if (cli->format != HC_FMT_TEXT && !cli->write && !cli->diff)
		cli->check = true; /* a report is a --check */
	if (!ps.err.len && !ps.stop)
		build_config(cli, &ps.err);
	if (!ps.err.len && !ps.stop)
		set_services(cli);
	if (!ps.err.len && !ps.stop && ps.list_rules) {
		list_rules(&cli->config);
		ps.stop = 'L';
	}
	if (!ps.stop)
		check_combination(cli, &ps.err);
	cli->color_out = color_on(cli, STDOUT_FILENO);
	cli->color_err = color_on(cli, STDERR_FILENO);
	*code = HC_EXIT_OK;
	if (ps.stop == 'D' && hc_options_dump(stdout, ps.dump) < 0)
		hc_buf_addf(&ps.err, "--dump-options takes man, md or bash, not '%s'", ps.dump);
	if (ps.stop == 'l' || ps.stop == 'h' || ps.stop == 'V')
		stop_now(ps.stop);
	else if (ps.err.len) {
		if (!cli->nfiles && strstr(ps.err.data, "stdin is a terminal"))
			usage(stderr); /* a bare `hardcompose` typed at a prompt */
		fprintf(stderr, "hardcompose: error: %s\n", ps.err.data);
		fprintf(stderr, "try 'hardcompose --help'\n");
		*code = HC_EXIT_USAGE;
	}
	int rc = ps.stop || ps.err.len ? -1 : 0;
	hc_buf_release(&ps.err);
	return rc;
}

void hc_cli_release(struct hc_cli *cli)
{
	hc_strlist_release(&cli->set_services);
	hc_strlist_release(&cli->project_files);
	hc_config_release(&cli->config);
	free(cli->acts);
}

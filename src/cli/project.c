/*
 * project.c: finding a project's files as Docker Compose v2 does (project.h).
 */
#define _GNU_SOURCE /* realpath */
#include "cli/project.h"
#include "cli/options.h"
#include "base/dotenv.h"
#include "base/io.h"
#include "cli/refs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Compose's default names, in its order of preference (compose-go's
 * DefaultFileNames and DefaultOverrideFileNames). */
static const char *const base_names[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                         "docker-compose.yaml", NULL};
static const char *const override_names[] = {"compose.override.yml", "compose.override.yaml",
                                             "docker-compose.override.yml",
                                             "docker-compose.override.yaml", NULL};

/* How deep include: is followed. */
#define MAX_DEPTH 32

bool hc_project_mode(const struct hc_cli *cli)
{
	return cli->project || cli->project_files.n;
}

bool hc_project_combination(const struct hc_cli *cli)
{
	struct hc_buf err = HC_BUF_INIT;
	if (cli->project_files.n && cli->project)
		hc_buf_adds(&err,
		            "--file names the project's files, --project finds them: give one");
	else if (cli->project_files.n && cli->nfiles)
		hc_buf_addf(&err, "'%s': with --file, name every file with --file (-F)",
		            cli->files[0]);
	else if (hc_strlist_has(&cli->project_files, "-"))
		hc_buf_adds(&err, "--file -: a project is read from files, not stdin");
	else if (cli->nfiles > 1)
		hc_buf_adds(&err, "--project takes at most one FOLDER");
	else if (!cli->write && !cli->check && !cli->diff)
		hc_buf_adds(&err, "a project (--file, --project) needs --write, --check or --diff");
	if (err.len)
		fprintf(stderr, "hardcompose: error: %s\ntry 'hardcompose --help'\n", err.data);
	bool ok = !err.len;
	hc_buf_release(&err);
	return ok;
}

/* What a load is building. */
struct load {
	struct hc_files *files;
	struct hc_project *proj;
	char *root;              /* the project folder, resolved */
	struct hc_strlist stack; /* the files being included, resolved */
	int code;                /* the first error's exit code */
};

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* "DIR/NAME", or NAME when it is absolute or DIR is "." */
static char *join(const char *dir, const char *name, size_t n)
{
	struct hc_buf p = HC_BUF_INIT;
	if (name[0] == '/' || !strcmp(dir, "."))
		hc_buf_add(&p, name, n);
	else
		hc_buf_addf(&p, "%s/%.*s", dir, (int)n, name);
	size_t len;
	return hc_buf_detach(&p, &len);
}

/* Reads path and adds it to the project and the jobs (once: a file met
 * again is not added twice). -1 with the error said when it cannot be read. */
static int add_member(struct load *ld, const char *path, bool followed, const char *why)
{
	char *real = realpath(path, NULL);
	if (real && hc_project_find(ld->proj, real) >= 0) {
		free(real);
		return 0;
	}
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag d = HC_DIAG_INIT;
	if (hc_read_file(path, &t, &d) < 0) {
		if (why)
			fprintf(stderr, "%s%s: %s\n", why, path, d.msg);
		else
			fprintf(stderr, "%s: error: %s\n", path, d.msg);
		ld->code = d.code ? d.code : HC_EXIT_IO;
		hc_diag_release(&d);
		hc_buf_release(&t);
		free(real);
		return -1;
	}
	hc_project_add(ld->proj, path, real, &t);
	struct hc_files *l = ld->files;
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (struct hc_file){.path = hc_xstrdup(path),
	                                .real = real,
	                                .named = !followed,
	                                .followed = followed,
	                                .root = ld->root ? hc_xstrdup(ld->root) : NULL};
	return 0;
}

static int add_with_includes(struct load *ld, const char *path, bool followed, const char *why,
                             int depth);

/* The files the include: of the parsed doc (the file at path) names, added
 * before it. -1 when one cannot be read. */
static int add_includes(struct load *ld, const char *path, const struct hc_doc *doc, int depth)
{
	struct hc_ref *refs;
	size_t n = hc_refs_find(doc, &refs, 0);
	char *dir = hc_dirname(path);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct hc_node *x = refs[i].node;
		if (refs[i].extends || !x || !x->len || memchr(x->text, '$', x->len))
			continue; /* extends: are followed later; interpolated: unknown here */
		char *p = join(dir, x->text, x->len);
		int line, col;
		hc_doc_linecol(doc, x->start, &line, &col);
		struct hc_buf why = HC_BUF_INIT;
		hc_buf_addf(&why, "%s:%d:%d: error: include: ", path, line, col);
		if (depth >= MAX_DEPTH) {
			fprintf(stderr, "%sincludes nested deeper than %d\n", why.data, MAX_DEPTH);
			ld->code = HC_EXIT_INVALID;
			rc = -1;
		} else {
			rc = add_with_includes(ld, p, true, why.data, depth + 1);
		}
		hc_buf_release(&why);
		free(p);
	}
	free(refs);
	free(dir);
	return rc;
}

/* Adds the file at path after the files it includes (Compose loads an
 * included model before the file that includes it; their services may not
 * overlap, so the order only matters for later override files). */
static int add_with_includes(struct load *ld, const char *path, bool followed, const char *why,
                             int depth)
{
	char *real = realpath(path, NULL);
	if (real && hc_strlist_has(&ld->stack, real)) {
		fprintf(stderr, "%sa cycle back to %s\n", why ? why : "", path);
		ld->code = HC_EXIT_INVALID;
		free(real);
		return -1;
	}
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag d = HC_DIAG_INIT;
	struct hc_doc doc;
	struct hc_error e;
	int rc = 0;
	if (real)
		hc_strlist_push(&ld->stack, real, strlen(real));
	if (hc_read_file(path, &t, &d) == 0 &&
	    hc_doc_parse(&doc, t.data ? t.data : "", t.len, &e) == 0) {
		rc = add_includes(ld, path, &doc, depth);
		hc_doc_release(&doc);
	}
	if (real)
		free(ld->stack.v[--ld->stack.n]);
	free(real);
	hc_buf_release(&t);
	hc_diag_release(&d);
	return rc ? rc : add_member(ld, path, followed, why);
}

/* The value of name: the environment's, else the folder's .env (names,
 * vals), else NULL. */
static const char *setting(const char *name, const struct hc_strlist *names,
                           const struct hc_strlist *vals)
{
	const char *e = getenv(name);
	if (e)
		return e;
	for (size_t i = names->n; i-- > 0;)
		if (!strcmp(names->v[i], name))
			return vals->v[i];
	return NULL;
}

/* COMPOSE_FILE's paths (relative ones from dir) into out; false when it
 * is not set or names nothing. */
static bool compose_file(const char *dir, struct hc_strlist *out)
{
	struct hc_strlist names = {0}, vals = {0};
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag d = HC_DIAG_INIT;
	char *env = join(dir, ".env", 4);
	if (exists(env) && hc_read_file(env, &t, &d) == 0)
		hc_dotenv_parse(t.data ? t.data : "", t.len, &names, &vals, NULL);
	const char *v = setting("COMPOSE_FILE", &names, &vals);
	const char *sep = setting("COMPOSE_PATH_SEPARATOR", &names, &vals);
	if (!sep || !*sep)
		sep = ":";
	for (const char *p = v; p && *p;) {
		const char *end = strstr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n) {
			char *f = join(dir, p, n);
			hc_strlist_push(out, f, strlen(f));
			free(f);
		}
		p = end ? end + strlen(sep) : p + n;
	}
	free(env);
	hc_buf_release(&t);
	hc_diag_release(&d);
	hc_strlist_release(&names);
	hc_strlist_release(&vals);
	return out->n > 0;
}

/* The first of names that exists in dir, or NULL (to free). */
static char *first_in(const char *dir, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		char *p = join(dir, names[i], strlen(names[i]));
		if (exists(p))
			return p;
		free(p);
	}
	return NULL;
}

/* Compose's default files: in dir, else the nearest folder above that has
 * one; the override file beside it. false when there is none. */
static bool defaults(const char *dir, struct hc_strlist *out)
{
	char *d = hc_xstrdup(dir);
	for (int up = 0; up < 64; up++) {
		char *base = first_in(d, base_names);
		if (base) {
			hc_strlist_push(out, base, strlen(base));
			char *ov = first_in(d, override_names);
			if (ov)
				hc_strlist_push(out, ov, strlen(ov));
			free(ov);
			free(base);
			break;
		}
		char *real = realpath(d, NULL);
		bool top = !real || !strcmp(real, "/");
		free(real);
		if (top)
			break;
		char *parent = !strcmp(d, ".") ? hc_xstrdup("..") : NULL;
		if (!parent) {
			struct hc_buf p = HC_BUF_INIT;
			hc_buf_addf(&p, "%s/..", d);
			size_t len;
			parent = hc_buf_detach(&p, &len);
		}
		free(d);
		d = parent;
	}
	free(d);
	return out->n > 0;
}

/* The project's named files, in merge order, into out; an exit code when
 * there are none. */
static int named_files(const struct hc_cli *cli, struct hc_strlist *out)
{
	for (size_t i = 0; i < cli->project_files.n; i++)
		hc_strlist_push(out, cli->project_files.v[i], strlen(cli->project_files.v[i]));
	if (out->n)
		return 0;
	const char *dir = cli->nfiles ? cli->files[0] : ".";
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "hardcompose: error: --project: '%s' is not a folder\n", dir);
		return HC_EXIT_USAGE;
	}
	if (compose_file(dir, out) || defaults(dir, out))
		return 0;
	fprintf(stderr,
	        "hardcompose: error: --project: no compose file in '%s' or above (compose.yaml, "
	        "compose.yml, docker-compose.yml, docker-compose.yaml) and COMPOSE_FILE is not "
	        "set\n",
	        dir);
	return HC_EXIT_IO;
}

int hc_project_load(const struct hc_cli *cli, struct hc_files *files, struct hc_project *proj)
{
	struct hc_strlist named = {0};
	int code = named_files(cli, &named);
	struct load ld = {.files = files, .proj = proj};
	if (!code && named.n) {
		char *dir = hc_dirname(named.v[0]);
		ld.root = realpath(dir, NULL); /* Compose's project folder: the first file's */
		free(dir);
	}
	for (size_t i = 0; !code && i < named.n; i++)
		if (add_with_includes(&ld, named.v[i], false, NULL, 0) < 0)
			code = ld.code ? ld.code : HC_EXIT_IO;
	/* a member that is not YAML: the project cannot be known, nothing runs */
	for (size_t i = 0; !code && i < proj->n; i++) {
		const struct hc_project_file *f = &proj->v[i];
		if (!f->parsed) {
			fprintf(stderr, "%s:%d:%d: error: %s\n", f->path, f->err.line, f->err.col,
			        f->err.msg);
			code = HC_EXIT_INVALID;
		}
	}
	if (!code && (cli->write || cli->check || cli->diff))
		hc_follow(files, 1); /* the files services extend: run, not members */
	free(ld.root);
	hc_strlist_release(&ld.stack);
	hc_strlist_release(&named);
	return code;
}

/*
 * preflight.c: `hardcompose preflight [FILE...]`: is everything a compose
 * file needs from the machine there before `docker compose up`?
 *
 * For each file, and every file it includes (`include:`) or extends
 * (`extends: file:`): secret and config files exist and are readable
 * (a secret file readable by others is a warning), `env_file`s exist,
 * bind-mount sources exist, and every `${VAR}` without a default is set in
 * the environment or in the `.env` beside the file. Nothing is written.
 * One line per problem, `FILE:LINE:COL: severity: message`; exit 1 when an
 * error was found.
 */
#define _XOPEN_SOURCE 700
#include "preflight/preflight.h"
#include "base/dotenv.h"
#include "engine/engine.h"
#include "base/io.h"
#include "yaml/tree.h"
#include "cli/refs.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How deep includes may nest (the run's own walk, walk.c, stops quietly
 * at 64; preflight says so). */
#define HC_PREFLIGHT_MAX_DEPTH 32

struct problem {
	size_t pos;
	bool error;
	char *msg;
};

struct pf {
	struct hc_strlist seen; /* real paths of the files checked */
	int errors;
	int worst; /* exit code for unreadable or invalid files */
};

struct file {
	const char *name; /* as the user or the including file spelled it */
	const char *dir;
	const struct hc_doc *doc;
	struct hc_strlist envn, envv; /* the .env beside it */
	struct problem *p;
	size_t np;
	struct hc_strlist next; /* files it includes or extends, checked after it */
	struct from {
		int line, col;
	} * next_from; /* where each is named */
};

static void add(struct file *f, size_t pos, bool error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct file *f, size_t pos, bool error, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->p = hc_xrealloc(f->p, (f->np + 1) * sizeof(*f->p));
	f->p[f->np++] = (struct problem){pos, error, hc_xstrdup(msg)};
}

/* The value of variable name (n bytes), or NULL when unset. */
static const char *lookup(const struct file *f, const char *name, size_t n)
{
	char key[256];
	if (n >= sizeof(key))
		return NULL;
	memcpy(key, name, n);
	key[n] = '\0';
	const char *v = getenv(key);
	if (v)
		return v;
	for (size_t i = f->envn.n; i-- > 0;)
		if (!strcmp(f->envn.v[i], key))
			return f->envv.v[i];
	return NULL;
}

static size_t name_len(const char *s, size_t n)
{
	size_t k = 0;
	if (n && (isalpha((unsigned char)s[0]) || s[0] == '_'))
		while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_'))
			k++;
	return k;
}

/* Index of the '}' closing a ${ whose body starts at s[i]. */
static size_t close_brace(const char *s, size_t n, size_t i)
{
	int depth = 1;
	for (; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{')
			depth++, i++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return n;
}

/*
 * Checks the variables of text s[0..n) that starts at byte pos of the file.
 * With out, also writes the interpolated text (unset variables expand to
 * nothing); returns false when something could not be resolved.
 */
static bool interpolate(struct file *f, const char *s, size_t n, size_t pos, bool report,
                        struct hc_buf *out)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '$' || i + 1 >= n) {
			if (out)
				hc_buf_addc(out, s[i]);
			continue;
		}
		if (s[i + 1] == '$') {
			if (out)
				hc_buf_addc(out, '$');
			i++;
			continue;
		}
		bool braced = s[i + 1] == '{';
		size_t ns = i + 1 + braced, nl = name_len(s + ns, n - ns);
		if (!nl) {
			if (out)
				hc_buf_addc(out, s[i]);
			continue;
		}
		const char *val = lookup(f, s + ns, nl);
		size_t end = ns + nl; /* one past the reference */
		char op = 0;
		bool colon = false;
		if (braced) {
			size_t k = ns + nl;
			if (k < n && s[k] == ':')
				colon = true, k++;
			if (k < n && (s[k] == '-' || s[k] == '?' || s[k] == '+'))
				op = s[k];
			end = close_brace(s, n, ns) + 1;
			if (end > n)
				end = n;
		}
		bool set = val && !(colon && !*val);
		if (op == '-' || op == '+') {
			/* a default or an alternative: never missing */
			if (out) {
				size_t body = ns + nl + colon + 1;
				if ((op == '-' && set) || (op == '+' && !set)) {
					if (op == '-')
						hc_buf_adds(out, val);
				} else if (end > body) {
					ok &= interpolate(f, s + body, end - 1 - body, pos + body,
					                  false, out);
				}
			}
		} else if (!val || (op == '?' && !set)) {
			if (report) {
				if (op == '?')
					add(f, pos + i, true,
					    "required variable %.*s is not set (in the environment "
					    "or .env)",
					    (int)nl, s + ns);
				else
					add(f, pos + i, true,
					    "variable %.*s is not set (in the environment or "
					    ".env); Compose "
					    "would use an empty string",
					    (int)nl, s + ns);
			}
			ok = false;
		} else if (out) {
			hc_buf_adds(out, val);
		}
		i = end - 1;
	}
	return ok;
}

static void check_vars(struct file *f, const struct hc_node *n, int depth)
{
	if (!n || depth > 200)
		return;
	if (n->type == HC_SCALAR) {
		const char *t = f->doc->text;
		if (memchr(t + n->start, '$', n->end - n->start))
			interpolate(f, t + n->start, n->end - n->start, n->start, true, NULL);
		return;
	}
	if (n->type == HC_MAP) {
		for (size_t i = 0; i + 1 < n->nkids; i += 2)
			check_vars(f, n->kids[i + 1], depth + 1);
	} else if (n->type == HC_SEQ) {
		for (size_t i = 0; i < n->nkids; i++)
			check_vars(f, n->kids[i], depth + 1);
	}
}

/* A path from a scalar: interpolated, ~ expanded, relative to the file's
 * folder. NULL when it depends on a variable that is not set. */
static char *resolve(struct file *f, const struct hc_node *n)
{
	struct hc_buf b = HC_BUF_INIT;
	if (!interpolate(f, n->text, n->len, n->start, false, &b) || !b.len) {
		hc_buf_release(&b);
		return NULL;
	}
	struct hc_buf p = HC_BUF_INIT;
	if (b.data[0] == '~' && (b.len == 1 || b.data[1] == '/')) {
		const char *home = getenv("HOME");
		hc_buf_adds(&p, home ? home : "");
		hc_buf_adds(&p, b.data + 1);
	} else if (b.data[0] == '/') {
		hc_buf_adds(&p, b.data);
	} else if (!strcmp(f->dir, ".")) {
		hc_buf_adds(&p, b.data);
	} else {
		hc_buf_addf(&p, "%s/%s", f->dir, b.data);
	}
	hc_buf_release(&b);
	size_t len;
	return hc_buf_detach(&p, &len);
}

/* A secret file others may read (0444, as hardcompose -w writes it, so
 * that a service of any uid reads it): fine inside a folder other users
 * cannot enter (0700); otherwise a warning. */
static void check_reach(struct file *f, const struct hc_node *n, const char *what, const char *path,
                        const struct stat *st)
{
	char *dir = hc_dirname(path);
	struct stat ds;
	if (stat(dir, &ds) < 0 || (ds.st_mode & 011))
		add(f, n->start, false,
		    "%s %.*s has mode %04o and its folder %s lets other users in; a 0700 folder "
		    "(or a 0600 file) keeps them out",
		    what, (int)n->len, n->text, (unsigned)(st->st_mode & 07777), dir);
	free(dir);
}

static void check_file(struct file *f, const struct hc_node *n, const char *what, bool secret)
{
	char *p = resolve(f, n);
	if (!p)
		return;
	struct stat st;
	if (stat(p, &st) < 0)
		add(f, n->start, true, "%s %.*s does not exist", what, (int)n->len, n->text);
	else if (access(p, R_OK) < 0)
		add(f, n->start, true, "%s %.*s is not readable: %s", what, (int)n->len, n->text,
		    strerror(errno));
	else if (secret && S_ISREG(st.st_mode) && (st.st_mode & 077))
		check_reach(f, n, what, p, &st);
	free(p);
}

/* Is the top-level entry e `external: true` (or the old `external: {name:
 * ...}`)? */
static bool is_external(struct hc_node *e)
{
	struct hc_node *x = hc_deref(hc_map_get(e, "external", NULL));
	if (!x)
		return false;
	if (x->type == HC_MAP)
		return true;
	return x->type == HC_SCALAR && (hc_scalar_is(x, "true") || hc_scalar_is(x, "True") ||
	                                hc_scalar_is(x, "TRUE") || hc_scalar_is(x, "yes"));
}

/* The external secrets: they must exist where the stack runs (swarm's
 * secret store, a vault agent): one warning lists them. */
static void list_external(struct file *f, struct hc_node *m)
{
	struct hc_buf names = HC_BUF_INIT;
	size_t first = 0, n = 0;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		if (!is_external(hc_deref(m->kids[i + 1])) || m->kids[i]->type != HC_SCALAR)
			continue;
		if (!n++)
			first = m->kids[i]->start;
		hc_buf_addf(&names, "%s%s", names.len ? ", " : "", m->kids[i]->text);
	}
	if (n)
		add(f, first, false,
		    "external secret%s %s must exist before the stack starts (docker secret "
		    "create NAME FILE, or your secret store)",
		    n > 1 ? "s" : "", names.data);
	hc_buf_release(&names);
}

static void check_top(struct file *f, const char *key, const char *what, bool secret)
{
	struct hc_node *m = hc_deref(hc_map_get(f->doc->root, key, NULL));
	if (!m || m->type != HC_MAP)
		return;
	if (secret)
		list_external(f, m);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct hc_node *e = hc_deref(m->kids[i + 1]);
		struct hc_node *file = hc_deref(hc_map_get(e, "file", NULL));
		if (file && file->type == HC_SCALAR && !hc_is_null(file))
			check_file(f, file, what, secret);
		struct hc_node *env = hc_deref(hc_map_get(e, "environment", NULL));
		if (env && env->type == HC_SCALAR && !lookup(f, env->text, env->len))
			add(f, env->start, true, "%s %s reads variable %.*s, which is not set",
			    what, m->kids[i]->text, (int)env->len, env->text);
	}
}

static bool is_bind_source(const char *s, size_t n)
{
	return n && (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '$');
}

static void check_bind(struct file *f, const struct hc_node *src)
{
	char *p = resolve(f, src);
	if (!p)
		return;
	struct stat st;
	if (stat(p, &st) < 0)
		add(f, src->start, true,
		    "bind-mount source %.*s does not exist (Docker would create an empty folder "
		    "there)",
		    (int)src->len, src->text);
	free(p);
}

static void check_volumes(struct file *f, struct hc_node *vols)
{
	vols = hc_deref(vols);
	if (!vols || vols->type != HC_SEQ)
		return;
	for (size_t i = 0; i < vols->nkids; i++) {
		struct hc_node *v = hc_deref(vols->kids[i]);
		if (v && v->type == HC_SCALAR) {
			/* SRC:DST[:MODE]: the source ends at the first ':' (not a Windows drive) */
			const char *colon = memchr(v->text, ':', v->len);
			if (!colon || !is_bind_source(v->text, (size_t)(colon - v->text)))
				continue;
			struct hc_node tmp = *v;
			tmp.len = (size_t)(colon - v->text);
			char *t = hc_xstrndup(v->text, tmp.len);
			tmp.text = t;
			check_bind(f, &tmp);
			free(t);
		} else if (v && v->type == HC_MAP) {
			struct hc_node *type = hc_deref(hc_map_get(v, "type", NULL));
			struct hc_node *src = hc_deref(hc_map_get(v, "source", NULL));
			if (hc_scalar_is(type, "bind") && src && src->type == HC_SCALAR && src->len)
				check_bind(f, src);
		}
	}
}

static void check_env_files(struct file *f, struct hc_node *ef)
{
	ef = hc_deref(ef);
	if (!ef)
		return;
	if (ef->type == HC_SCALAR) {
		check_file(f, ef, "env_file", false);
		return;
	}
	if (ef->type != HC_SEQ)
		return;
	for (size_t i = 0; i < ef->nkids; i++) {
		struct hc_node *it = hc_deref(ef->kids[i]);
		if (it && it->type == HC_SCALAR) {
			check_file(f, it, "env_file", false);
		} else if (it && it->type == HC_MAP) {
			struct hc_node *p = hc_deref(hc_map_get(it, "path", NULL));
			if (hc_scalar_is(hc_deref(hc_map_get(it, "required", NULL)), "false"))
				continue;
			if (p && p->type == HC_SCALAR)
				check_file(f, p, "env_file", false);
		}
	}
}

/* Follows a referenced compose file (include, extends): checked after f
 * when it exists. */
static void follow(struct file *f, const struct hc_node *n, const char *what)
{
	char *p = resolve(f, n);
	if (!p)
		return;
	struct stat st;
	if (stat(p, &st) < 0) {
		add(f, n->start, true, "%s file %.*s does not exist", what, (int)n->len, n->text);
	} else {
		struct from at;
		hc_doc_linecol(f->doc, n->start, &at.line, &at.col);
		f->next_from = hc_xrealloc(f->next_from, (f->next.n + 1) * sizeof(*f->next_from));
		f->next_from[f->next.n] = at;
		hc_strlist_push(&f->next, p, strlen(p));
	}
	free(p);
}

static void print(struct pf *pf, struct file *f)
{
	for (size_t i = 1; i < f->np; i++)
		for (size_t k = i; k > 0 && f->p[k - 1].pos > f->p[k].pos; k--) {
			struct problem t = f->p[k];
			f->p[k] = f->p[k - 1];
			f->p[k - 1] = t;
		}
	for (size_t i = 0; i < f->np; i++) {
		int line, col;
		hc_doc_linecol(f->doc, f->p[i].pos, &line, &col);
		printf("%s:%d:%d: %s: %s\n", f->name, line, col,
		       f->p[i].error ? "error" : "warning", f->p[i].msg);
		if (f->p[i].error)
			pf->errors++;
		free(f->p[i].msg);
	}
	free(f->p);
	fflush(stdout);
}

/* The checks of one parsed file: variables, secret and config files,
 * each service's env_file, volumes and extends, the includes. */
static void check_doc(struct file *f)
{
	struct hc_node *root = f->doc->root;
	if (!root || root->type != HC_MAP)
		return;
	struct hc_ref *refs;
	size_t nrefs = hc_refs_find(f->doc, &refs, 0), r = 0;
	check_vars(f, root, 0);
	check_top(f, "secrets", "secret file", true);
	check_top(f, "configs", "config file", false);
	while (r < nrefs && !refs[r].extends)
		r++; /* the includes come first: checked last */
	struct hc_node *svcs = hc_deref(hc_map_get(root, "services", NULL));
	for (size_t i = 0; svcs && svcs->type == HC_MAP && i + 1 < svcs->nkids; i += 2) {
		struct hc_node *s = hc_deref(svcs->kids[i + 1]);
		if (!s || s->type != HC_MAP)
			continue;
		check_env_files(f, hc_map_lookup(s, "env_file", NULL));
		check_volumes(f, hc_map_lookup(s, "volumes", NULL));
		if (r < nrefs && refs[r].at == i)
			follow(f, refs[r++].node, "extends");
	}
	for (size_t k = 0; k < nrefs && !refs[k].extends; k++) {
		if (refs[k].node)
			follow(f, refs[k].node, "included");
		bool last = k + 1 == nrefs || refs[k + 1].extends || refs[k + 1].at != refs[k].at;
		if (refs[k].item && last)
			check_env_files(f, hc_map_get(refs[k].item, "env_file", NULL));
	}
	free(refs);
}

/* Reads and parses name into text and doc; false (said, pf->worst set)
 * when it cannot. */
static bool load(struct pf *pf, const char *name, struct hc_buf *text, struct hc_doc *doc)
{
	struct hc_diag err = HC_DIAG_INIT;
	if (hc_read_file(name, text, &err) < 0) {
		struct hc_buf m = HC_BUF_INIT;
		hc_diag_format(&m, &err);
		fprintf(stderr, "%s\n", m.data);
		hc_buf_release(&m);
		hc_diag_release(&err);
		if (pf->worst < HC_EXIT_IO)
			pf->worst = HC_EXIT_IO;
		return false;
	}
	struct hc_error e;
	if (hc_doc_parse(doc, text->data ? text->data : "", text->len, &e) < 0) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", name, e.line, e.col, e.msg);
		if (pf->worst < HC_EXIT_INVALID)
			pf->worst = HC_EXIT_INVALID;
		return false;
	}
	return true;
}

/* The .env beside the file, into f->envn and f->envv. */
static void read_dotenv(struct file *f)
{
	struct hc_buf envp = HC_BUF_INIT, envt = HC_BUF_INIT;
	struct hc_diag err = HC_DIAG_INIT;
	hc_buf_addf(&envp, "%s/.env", f->dir);
	if (access(envp.data, F_OK) == 0 && hc_read_file(envp.data, &envt, &err) == 0)
		hc_dotenv_parse(envt.data ? envt.data : "", envt.len, &f->envn, &f->envv, NULL);
	hc_buf_release(&envp);
	hc_buf_release(&envt);
	hc_diag_release(&err);
}

/* Checks the file name (named at from:line:col, or by the user when from
 * is NULL), then the files it includes or extends. */
static void run_file(struct pf *pf, const char *name, int depth, const char *from, struct from at)
{
	char *real = realpath(name, NULL);
	if (real && hc_strlist_has(&pf->seen, real)) {
		free(real);
		return; /* already checked (or an include cycle) */
	}
	if (real)
		hc_strlist_push(&pf->seen, real, strlen(real));
	free(real);
	if (depth > HC_PREFLIGHT_MAX_DEPTH) {
		fprintf(stderr, "%s:%d:%d: error: includes nest more than %d deep\n", from, at.line,
		        at.col, HC_PREFLIGHT_MAX_DEPTH);
		pf->errors++;
		return;
	}
	struct hc_buf text = HC_BUF_INIT;
	struct hc_doc doc;
	if (!load(pf, name, &text, &doc)) {
		hc_buf_release(&text);
		return;
	}
	char *dir = hc_dirname(name);
	struct file f = {.name = name, .dir = dir, .doc = &doc};
	read_dotenv(&f);
	check_doc(&f);
	print(pf, &f);
	for (size_t i = 0; i < f.next.n; i++)
		run_file(pf, f.next.v[i], depth + 1, name, f.next_from[i]);
	hc_strlist_release(&f.next);
	free(f.next_from);
	hc_strlist_release(&f.envn);
	hc_strlist_release(&f.envv);
	hc_doc_release(&doc);
	hc_buf_release(&text);
	free(dir);
}

static const char preflight_usage[] =
    "usage: hardcompose preflight [FILE...]\n"
    "\n"
    "Checks that what each compose FILE (default: compose.yaml, compose.yml,\n"
    "docker-compose.yml or docker-compose.yaml here) and the files it includes\n"
    "or extends need from this machine is there: secret and config files\n"
    "(readable; a secret file readable by others is a warning), env_file files,\n"
    "bind-mount sources, and every ${VAR} without a default, in the environment\n"
    "or the .env beside the file. Writes nothing.\n"
    "\n"
    "Exit codes: 0 nothing missing, 1 something is missing, 2 usage error,\n"
    "3 a file is not YAML, 4 a file cannot be read.\n";

int hc_preflight_main(int argc, char **argv)
{
	const char **files = hc_xcalloc((size_t)argc + 1, sizeof(*files));
	int nfiles = 0;
	bool dashdash = false;
	for (int i = 1; i < argc; i++) {
		if (!dashdash && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
			fputs(preflight_usage, stdout);
			free(files);
			return 0;
		}
		if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = true;
		} else if (!dashdash && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr,
			        "hardcompose: error: unknown option '%s' of preflight\ntry "
			        "'hardcompose "
			        "preflight --help'\n",
			        argv[i]);
			free(files);
			return HC_EXIT_USAGE;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles) {
		static const char *const names[] = {"compose.yaml", "compose.yml",
		                                    "docker-compose.yml", "docker-compose.yaml",
		                                    NULL};
		for (size_t i = 0; names[i] && !nfiles; i++)
			if (access(names[i], F_OK) == 0)
				files[nfiles++] = names[i];
		if (!nfiles) {
			fprintf(stderr, "hardcompose: error: no compose file here (compose.yaml, "
			                "docker-compose.yml, ...); name one\n");
			free(files);
			return HC_EXIT_USAGE;
		}
	}
	struct pf pf = {0};
	for (int i = 0; i < nfiles; i++)
		run_file(&pf, files[i], 0, NULL, (struct from){0, 0});
	free(files);
	hc_strlist_release(&pf.seen);
	if (pf.worst)
		return pf.worst;
	return pf.errors ? HC_EXIT_CHANGES : HC_EXIT_OK;
}

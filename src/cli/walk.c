/*
 * walk.c: see walk.h.
 */
#define _GNU_SOURCE /* memmem */
#include "cli/walk.h"
#include "cli/refs.h"
#include "base/io.h"
#include "engine/engine.h"
#include "yaml/tree.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml,
 * docker-compose.*.yml, docker-compose.*.yaml, compose.*.yaml, compose.*.yml */
static bool is_compose_name(const char *b)
{
	static const char *const pats[] = {
	    "compose.yaml",        "compose.yml",          "docker-compose.yml",
	    "docker-compose.yaml", "docker-compose.*.yml", "docker-compose.*.yaml",
	    "compose.*.yaml",      "compose.*.yml",        NULL};
	for (size_t i = 0; pats[i]; i++)
		if (!fnmatch(pats[i], b, 0))
			return true;
	return false;
}

/* Adds path unless a file with the same real path is there. */
/* Adds path, whose real path is real (taken; NULL: none), unless a file
 * with that real path is there already. */
static void files_add_real(struct hc_files *l, const char *path, char *real, bool followed)
{
	/* a set of the real paths (files may have been added elsewhere: those
	 * join it first), not a scan of the list: 1,000 files were 500,000
	 * comparisons */
	for (; l->nseen < l->n; l->nseen++)
		if (l->v[l->nseen].real)
			hc_strset_add(&l->seen, l->v[l->nseen].real, strlen(l->v[l->nseen].real));
	if (real && hc_strset_has(&l->seen, real, strlen(real))) {
		free(real);
		return;
	}
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] =
	    (struct hc_file){.path = hc_xstrdup(path), .real = real, .followed = followed};
}

static void files_add(struct hc_files *l, const char *path, bool followed)
{
	files_add_real(l, path, realpath(path, NULL), followed);
}

/* Sets the root of the files from index `from` on that have none: the
 * resolved folder dir (or of the file itself when dir is NULL). */
static void files_root(struct hc_files *l, size_t from, const char *dir)
{
	char *droot = dir ? realpath(dir, NULL) : NULL; /* once for all */
	for (size_t i = from; i < l->n; i++) {
		if (l->v[i].root)
			continue;
		if (dir) {
			l->v[i].root = droot ? hc_xstrdup(droot) : NULL;
			continue;
		}
		char *d = hc_dirname(l->v[i].path);
		l->v[i].root = realpath(d, NULL);
		free(d);
	}
	free(droot);
}

/* A compose file found under a folder: its path and real path. */
struct found {
	char *path, *real;
};

struct founds {
	struct found *v;
	size_t n, cap;
};

/* real is the real path of dir (NULL: unknown). Entries that are not
 * symbolic links have real paths of their own without a realpath() call:
 * 1,000 files were 4,000 readlink calls on one thread. */
static void walk(const char *dir, const char *real, struct founds *out, int depth)
{
	if (depth > 64)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".git") ||
		    !strcmp(n, "node_modules"))
			continue;
		struct hc_buf p = HC_BUF_INIT, r = HC_BUF_INIT;
		hc_buf_addf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", n);
		if (real)
			hc_buf_addf(&r, "%s%s%s", real, real[strlen(real) - 1] == '/' ? "" : "/",
			            n);
		struct stat st;
		if (lstat(p.data, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				walk(p.data, r.data, out, depth + 1);
			} else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
			           is_compose_name(n)) {
				if (out->n == out->cap) {
					out->cap = out->cap ? out->cap * 2 : 16;
					out->v = hc_xrealloc(out->v, out->cap * sizeof(*out->v));
				}
				size_t len;
				char *rp = S_ISREG(st.st_mode) && r.data ? hc_buf_detach(&r, &len)
				                                         : realpath(p.data, NULL);
				out->v[out->n++] = (struct found){hc_buf_detach(&p, &len), rp};
			}
		}
		hc_buf_release(&p);
		hc_buf_release(&r);
	}
	closedir(d);
}

static int found_cmp(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->path, ((const struct found *)b)->path);
}

/* Adds the compose files under dir (skipping .git and node_modules), sorted. */
static void walk_dir(const char *dir, struct hc_files *out)
{
	struct founds l = {0};
	char *real = realpath(dir, NULL);
	walk(dir, real, &l, 0);
	free(real);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), found_cmp);
	for (size_t i = 0; i < l.n; i++) {
		files_add_real(out, l.v[i].path, l.v[i].real, false);
		free(l.v[i].path);
	}
	free(l.v);
}

/* At most this many paths of one file are followed (preflight: all). */
#define MAX_REFS 256

struct ref {
	char *path;
	int line, col;
	bool extends;
};

/* Can the file name another (its text holds `include` or `extends`)? Most
 * files cannot: no parse for them. */
static bool may_refer(const char *path, struct hc_buf *t)
{
	struct hc_diag err = HC_DIAG_INIT;
	bool may = hc_read_file(path, t, &err) == 0 && t->data &&
	           (memmem(t->data, t->len, "include", 7) || memmem(t->data, t->len, "extends", 7));
	hc_diag_release(&err);
	return may;
}

/* The files f names in include: and extends: file:, resolved from its folder. */
static size_t refs_of(const char *path, struct ref **out)
{
	*out = NULL;
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag err = HC_DIAG_INIT;
	size_t n = 0;
	struct hc_doc d;
	struct hc_error e;
	bool may = may_refer(path, &t);
	if (!may || hc_doc_parse(&d, t.data ? t.data : "", t.len, &e) < 0) {
		hc_buf_release(&t);
		hc_diag_release(&err);
		return 0;
	}
	char *dir = hc_dirname(path);
	struct hc_ref *found;
	size_t nn = hc_refs_find(&d, &found, MAX_REFS);
	for (size_t i = 0; i < nn; i++) {
		struct hc_node *x = found[i].node;
		if (!x || !x->len || memchr(x->text, '$', x->len))
			continue; /* interpolated: not known here */
		struct hc_buf p = HC_BUF_INIT;
		if (x->text[0] == '/' || !strcmp(dir, "."))
			hc_buf_add(&p, x->text, x->len);
		else
			hc_buf_addf(&p, "%s/%.*s", dir, (int)x->len, x->text);
		*out = hc_xrealloc(*out, (n + 1) * sizeof(**out));
		hc_doc_linecol(&d, x->start, &(*out)[n].line, &(*out)[n].col);
		(*out)[n].extends = found[i].extends;
		size_t len;
		(*out)[n++].path = hc_buf_detach(&p, &len);
	}
	free(found);
	free(dir);
	hc_doc_release(&d);
	hc_buf_release(&t);
	hc_diag_release(&err);
	return n;
}

/* How deep includes are followed (preflight, which says so, stops at 32:
 * preflight.c). */
#define MAX_DEPTH 64

/* may[i]: given file i may name others (NULL: read each to know). */
static void dfs(struct hc_files *l, size_t at, struct hc_strlist *stack, int depth,
                const unsigned char *may, size_t given)
{
	if (depth > MAX_DEPTH || !l->v[at].real)
		return;
	if (may && at < given && !may[at])
		return;
	hc_strlist_push(stack, l->v[at].real, strlen(l->v[at].real));
	struct ref *refs;
	size_t n = refs_of(l->v[at].path, &refs);
	for (size_t i = 0; i < n; i++) {
		char *real = realpath(refs[i].path, NULL);
		if (real && hc_strlist_has(stack, real)) {
			if (!l->v[at].err.code) {
				struct hc_buf m = HC_BUF_INIT;
				for (size_t k = 0; k < stack->n; k++) {
					const char *b = strrchr(stack->v[k], '/');
					hc_buf_addf(&m, "%s -> ", b ? b + 1 : stack->v[k]);
				}
				const char *b = strrchr(real, '/');
				hc_buf_adds(&m, b ? b + 1 : real);
				hc_diag_set(&l->v[at].err, HC_EXIT_INVALID, NULL, refs[i].line,
				            refs[i].col, "include cycle: %s", m.data);
				hc_buf_release(&m);
			}
		} else if (real) {
			size_t before = l->n;
			files_add(l, refs[i].path, true);
			size_t idx = before;
			if (l->n == before) /* seen: find it, follow only if not on the stack */
				for (idx = 0; idx < l->n &&
				              strcmp(l->v[idx].real ? l->v[idx].real : "", real);
				     idx++)
					;
			if (idx < l->n) {
				/* included once is enough for Compose to read its .env */
				if (l->n > before)
					l->v[idx].extended = refs[i].extends;
				else if (!refs[i].extends)
					l->v[idx].extended = false;
				if (!l->v[idx].root && l->v[at].root)
					l->v[idx].root = hc_xstrdup(l->v[at].root);
			}
			if (idx < l->n && l->n > before)
				dfs(l, idx, stack, depth + 1, may, given);
		}
		free(real);
		free(refs[i].path);
	}
	free(refs);
	free(stack->v[--stack->n]);
}

/* The given files are read on nthreads threads first, to learn which may
 * name others: with 1,000 files, reading them one by one on this thread
 * was a tenth of a `-j 2` run that the second thread could not share. */
struct scan {
	const struct hc_files *l;
	unsigned char *may;
	atomic_size_t next;
};

static void *scan_files(void *arg)
{
	struct scan *s = arg;
	struct hc_buf t = HC_BUF_INIT;
	for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->l->n;) {
		t.len = 0;
		s->may[i] = s->l->v[i].real && may_refer(s->l->v[i].path, &t);
	}
	hc_buf_release(&t);
	return NULL;
}

void hc_follow(struct hc_files *l, int nthreads)
{
	size_t given = l->n;
	unsigned char *may = NULL;
	if (nthreads > 1 && given > 1) {
		may = hc_xcalloc(given, 1);
		struct scan s = {.l = l, .may = may};
		atomic_init(&s.next, 0);
		pthread_t t[8];
		int nt = 0, want = nthreads < 8 ? nthreads : 8;
		for (; nt < want - 1; nt++)
			if (pthread_create(&t[nt], NULL, scan_files, &s) != 0)
				break;
		scan_files(&s);
		for (int i = 0; i < nt; i++)
			pthread_join(t[i], NULL);
	}
	for (size_t i = 0; i < given; i++) {
		struct hc_strlist stack = {0};
		dfs(l, i, &stack, 0, may, given);
		hc_strlist_release(&stack);
	}
	free(may);
}

void hc_files_release(struct hc_files *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].real);
		hc_diag_release(&l->v[i].err);
		free(l->v[i].root);
	}
	free(l->v);
	hc_strset_release(&l->seen);
	memset(l, 0, sizeof(*l));
}

static void add_plain(struct hc_files *l, const char *path)
{
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (struct hc_file){.path = hc_xstrdup(path)};
}

void hc_files_from_args(struct hc_files *l, char **names, int n)
{
	if (n == 0)
		add_plain(l, "-");
	for (int i = 0; i < n; i++) {
		struct stat st;
		size_t from = l->n;
		if (strcmp(names[i], "-") && stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			walk_dir(names[i], l);
			files_root(l, from, names[i]);
		} else if (!strcmp(names[i], "-")) {
			add_plain(l, "-");
		} else {
			files_add(l, names[i], false);
			files_root(l, from, NULL);
			if (l->n > from)
				l->v[from].named = true;
			if (l->n == from && access(names[i], F_OK) != 0)
				add_plain(l, names[i]); /* its error is said when it is read */
		}
	}
}

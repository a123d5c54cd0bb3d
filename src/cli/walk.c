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
static void files_add(struct hc_files *l, const char *path, bool followed)
{
	char *real = realpath(path, NULL);
	for (size_t i = 0; real && i < l->n; i++)
		if (l->v[i].real && !strcmp(l->v[i].real, real)) {
			free(real);
			return;
		}
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] =
	    (struct hc_file){.path = hc_xstrdup(path), .real = real, .followed = followed};
}

/* Sets the root of the files from index `from` on that have none: the
 * resolved folder dir (or of the file itself when dir is NULL). */
static void files_root(struct hc_files *l, size_t from, const char *dir)
{
	for (size_t i = from; i < l->n; i++) {
		if (l->v[i].root)
			continue;
		char *d = dir ? hc_xstrdup(dir) : hc_dirname(l->v[i].path);
		l->v[i].root = realpath(d, NULL);
		free(d);
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, struct hc_strlist *out, int depth)
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
		struct hc_buf p = HC_BUF_INIT;
		hc_buf_addf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", n);
		struct stat st;
		if (lstat(p.data, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk(p.data, out, depth + 1);
			else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && is_compose_name(n))
				hc_strlist_push(out, p.data, p.len);
		}
		hc_buf_release(&p);
	}
	closedir(d);
}

/* Adds the compose files under dir (skipping .git and node_modules), sorted. */
static void walk_dir(const char *dir, struct hc_files *out)
{
	struct hc_strlist l = {0};
	walk(dir, &l, 0);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp);
	for (size_t i = 0; i < l.n; i++)
		files_add(out, l.v[i], false);
	hc_strlist_release(&l);
}

/* At most this many paths of one file are followed (preflight: all). */
#define MAX_REFS 256

struct ref {
	char *path;
	int line, col;
	bool extends;
};

/* The files f names in include: and extends: file:, resolved from its folder. */
static size_t refs_of(const char *path, struct ref **out)
{
	*out = NULL;
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag err = HC_DIAG_INIT;
	size_t n = 0;
	struct hc_doc d;
	struct hc_error e;
	/* most files name no other file: no parse for them */
	bool may = hc_read_file(path, &t, &err) == 0 && t.data &&
	           (memmem(t.data, t.len, "include", 7) || memmem(t.data, t.len, "extends", 7));
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

static void dfs(struct hc_files *l, size_t at, struct hc_strlist *stack, int depth)
{
	if (depth > MAX_DEPTH || !l->v[at].real)
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
				dfs(l, idx, stack, depth + 1);
		}
		free(real);
		free(refs[i].path);
	}
	free(refs);
	free(stack->v[--stack->n]);
}

void hc_follow(struct hc_files *l)
{
	size_t given = l->n;
	for (size_t i = 0; i < given; i++) {
		struct hc_strlist stack = {0};
		dfs(l, i, &stack, 0);
		hc_strlist_release(&stack);
	}
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

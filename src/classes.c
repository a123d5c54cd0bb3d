/*
 * classes.c: image reference -> service class.
 *
 * The reference is reduced to its repository path without registry, tag or
 * digest (`docker.io/library/postgres:16@sha256:...` -> `library/postgres`,
 * basename `postgres`), lowercased. A pattern matches the basename or the
 * whole path (`bitnami/postgresql`), with fnmatch wildcards.
 */
#include "classes.h"
#include "buf.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

const char *const hc_class_names[HC_NCLASSES] = {"app", "database", "cache", "queue", "proxy"};

void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n)
{
	for (size_t i = 0; i < c->n[cls]; i++)
		free(c->pat[cls][i]);
	free(c->pat[cls]);
	c->pat[cls] = pat;
	c->n[cls] = n;
}

void hc_classes_release(struct hc_classes *c)
{
	for (int k = 0; k < HC_NCLASSES; k++)
		hc_classes_set(c, (enum hc_class)k, NULL, 0);
	for (size_t i = 0; i < c->nfacts; i++) {
		free(c->facts[i].pattern);
		hc_strlist_release(&c->facts[i].cap_add);
		hc_strlist_release(&c->facts[i].writable);
	}
	free(c->facts);
	c->facts = NULL;
	c->nfacts = 0;
	for (size_t i = 0; i < c->nfsec; i++) {
		free(c->fsec[i].pattern);
		hc_strlist_release(&c->fsec[i].vars);
		free(c->fsec[i].suffix);
		free(c->fsec[i].why);
	}
	free(c->fsec);
	c->fsec = NULL;
	c->nfsec = 0;
}

/* Lowercased repository path of an image reference, without registry, tag
 * or digest; *base points at its last component. Caller frees. */
static char *image_path(const char *image, size_t len, const char **base)
{
	char *s = hc_xstrndup(image, len);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *at = strchr(s, '@');
	if (at)
		*at = '\0';
	char *slash = strrchr(s, '/');
	char *colon = strchr(slash ? slash : s, ':'); /* the tag: first ':' after the last '/' */
	if (colon)
		*colon = '\0';
	/* drop a registry host: a first component with '.' or ':', or localhost */
	char *path = s, *first = strchr(s, '/');
	if (first && (memchr(s, '.', (size_t)(first - s)) || memchr(s, ':', (size_t)(first - s)) ||
	              !strncmp(s, "localhost/", 10)))
		path = first + 1;
	memmove(s, path, strlen(path) + 1);
	const char *b = strrchr(s, '/');
	*base = b ? b + 1 : s;
	return s;
}

static bool matches(const char *pattern, const char *path, const char *base)
{
	return !fnmatch(pattern, base, FNM_PATHNAME) || !fnmatch(pattern, path, FNM_PATHNAME);
}

enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len)
{
	if (!image || !len)
		return HC_CLASS_APP;
	const char *base;
	char *path = image_path(image, len, &base);
	enum hc_class found = HC_CLASS_APP;
	for (int k = 1; k < HC_NCLASSES && found == HC_CLASS_APP; k++)
		for (size_t i = 0; i < c->n[k]; i++)
			if (matches(c->pat[k][i], path, base)) {
				found = (enum hc_class)k;
				break;
			}
	free(path);
	return found;
}

/* Index of the first of n patterns (pattern(arr, i)) an image reference
 * matches, or -1. */
static long first_match(const char *image, size_t len, size_t n,
                        const char *(*pattern)(const void *arr, size_t i), const void *arr)
{
	if (!image || !len)
		return -1;
	const char *base;
	char *path = image_path(image, len, &base);
	long found = -1;
	for (size_t i = 0; i < n && found < 0; i++)
		if (matches(pattern(arr, i), path, base))
			found = (long)i;
	free(path);
	return found;
}

static const char *fact_pattern(const void *arr, size_t i)
{
	return ((const struct hc_image_fact *)arr)[i].pattern;
}

static const char *fsec_pattern(const void *arr, size_t i)
{
	return ((const struct hc_file_secrets *)arr)[i].pattern;
}

const struct hc_image_fact *hc_image_fact(const struct hc_classes *c, const char *image, size_t len)
{
	long i = first_match(image, len, c->nfacts, fact_pattern, c->facts);
	return i < 0 ? NULL : &c->facts[i];
}

void hc_image_fact_set(struct hc_classes *c, const char *pattern, struct hc_strlist *cap_add,
                       struct hc_strlist *writable)
{
	struct hc_image_fact *f = NULL;
	for (size_t i = 0; i < c->nfacts; i++)
		if (!strcmp(c->facts[i].pattern, pattern))
			f = &c->facts[i];
	if (!f) {
		c->facts = hc_xrealloc(c->facts, (c->nfacts + 1) * sizeof(*c->facts));
		f = &c->facts[c->nfacts++];
		memset(f, 0, sizeof(*f));
		f->pattern = hc_xstrdup(pattern);
	}
	hc_strlist_release(&f->cap_add);
	hc_strlist_release(&f->writable);
	f->cap_add = *cap_add;
	f->writable = *writable;
	memset(cap_add, 0, sizeof(*cap_add));
	memset(writable, 0, sizeof(*writable));
}

const struct hc_file_secrets *hc_file_secrets(const struct hc_classes *c, const char *image,
                                              size_t len)
{
	long i = first_match(image, len, c->nfsec, fsec_pattern, c->fsec);
	return i < 0 ? NULL : &c->fsec[i];
}

void hc_file_secrets_set(struct hc_classes *c, struct hc_file_secrets *f)
{
	struct hc_file_secrets *d = NULL;
	for (size_t i = 0; i < c->nfsec; i++)
		if (!strcmp(c->fsec[i].pattern, f->pattern))
			d = &c->fsec[i];
	if (d) {
		free(d->pattern);
		hc_strlist_release(&d->vars);
		free(d->suffix);
		free(d->why);
	} else {
		c->fsec = hc_xrealloc(c->fsec, (c->nfsec + 1) * sizeof(*c->fsec));
		d = &c->fsec[c->nfsec++];
	}
	*d = *f;
	memset(f, 0, sizeof(*f));
}

bool hc_file_secrets_reads(const struct hc_file_secrets *f, const char *var)
{
	if (f->form == HC_FORM_NONE)
		return false;
	for (size_t i = 0; i < f->vars.n; i++)
		if (!fnmatch(f->vars.v[i], var, 0))
			return true;
	return false;
}

/*
 * classes.c: image reference -> service class.
 *
 * One matcher for every table (see hc_image_matches in classes.h):
 * `docker.io/library/postgres:16@sha256:...` is `postgres`, and
 * `ghcr.io/linuxserver/syncthing:1` matches the patterns linuxserver/(star) and
 * ghcr.io/linuxserver/(star) alike.
 */
#include "rules/classes.h"
#include "base/buf.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

const char *const hc_class_names[HC_NCLASSES] = {"app",   "database", "cache", "queue",
                                                 "proxy", "search",   "jvm",   "inference"};

void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n)
{
	for (size_t i = 0; i < c->n[cls]; i++)
		free(c->pat[cls][i]);
	free(c->pat[cls]);
	c->pat[cls] = pat;
	c->n[cls] = n;
}

static void fact_release(struct hc_image_fact *f)
{
	free(f->pattern);
	hc_strlist_release(&f->cap_add);
	hc_strlist_release(&f->writable);
	free(f->init);
}

void hc_classes_release(struct hc_classes *c)
{
	for (int k = 0; k < HC_NCLASSES; k++)
		hc_classes_set(c, (enum hc_class)k, NULL, 0);
	for (size_t i = 0; i < c->nfacts; i++)
		fact_release(&c->facts[i]);
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

/* A normalized image reference: `full` without tag, digest, Docker Hub
 * host or `library/`; `path` is full without a registry host; `base` its
 * last component. One allocation, freed with free(ref->full). */
struct image_ref {
	char *full;
	const char *path, *base;
};

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static void image_ref(struct image_ref *ref, const char *image, size_t len)
{
	/* ${IMAGE:-postgres:16} (or :=, -, =): the file's own default stands for it */
	if (len > 4 && !strncmp(image, "${", 2) && image[len - 1] == '}' &&
	    !memchr(image + 2, '{', len - 3)) {
		const char *d = memchr(image, '-', len);
		const char *e = memchr(image, '=', len);
		if (e && (!d || e < d))
			d = e;
		if (d && d < image + len - 1) {
			len = (size_t)(image + len - 1 - (d + 1));
			image = d + 1;
		}
	}
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
	static const char *const hub[] = {"docker.io/", "index.docker.io/", "registry-1.docker.io/",
	                                  "registry.hub.docker.com/"};
	size_t cut = 0;
	for (size_t i = 0; i < sizeof(hub) / sizeof(hub[0]); i++)
		if (has_prefix(s, hub[i]))
			cut = strlen(hub[i]);
	if (has_prefix(s + cut, "library/"))
		cut += 8;
	memmove(s, s + cut, strlen(s + cut) + 1);
	/* a registry host: a first component with '.' or ':', or localhost */
	const char *path = s, *first = strchr(s, '/');
	if (first && (memchr(s, '.', (size_t)(first - s)) || memchr(s, ':', (size_t)(first - s)) ||
	              has_prefix(s, "localhost/")))
		path = first + 1;
	const char *b = strrchr(path, '/');
	ref->full = s;
	ref->path = path;
	ref->base = b ? b + 1 : path;
}

/* Whether image_ref() would leave a pattern as it is (the common case:
 * lowercase, no tag, digest, variable, Docker Hub host or library/). */
static bool pattern_is_normal(const char *p)
{
	if (has_prefix(p, "library/") || has_prefix(p, "docker.io/") ||
	    has_prefix(p, "index.docker.io/") || has_prefix(p, "registry-1.docker.io/") ||
	    has_prefix(p, "registry.hub.docker.com/"))
		return false;
	for (; *p; p++)
		if (isupper((unsigned char)*p) || *p == '@' || *p == ':' || *p == '$')
			return false;
	return true;
}

/* Can pattern match none of ref's three forms for its first letter alone?
 * A pattern that starts with a lowercase letter or digit starts with it
 * once normalized too (unless it starts with a Docker Hub host or
 * library/), and fnmatch matches a literal first character only with the
 * same one: most of a table's patterns stop here, before fnmatch. */
static bool first_differs(const char *pattern, const struct image_ref *ref)
{
	char c = pattern[0];
	if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
		return false;
	if ((c == 'd' || c == 'i' || c == 'r' || c == 'l') && !pattern_is_normal(pattern))
		return false;
	return c != ref->base[0] && c != ref->path[0] && c != ref->full[0];
}

static bool ref_matches(const char *pattern, const struct image_ref *ref)
{
	if (first_differs(pattern, ref))
		return false;
	struct image_ref p = {0};
	const char *pat = pattern;
	if (!pattern_is_normal(pattern)) {
		image_ref(&p, pattern, strlen(pattern));
		pat = p.full;
	}
	bool m = !fnmatch(pat, ref->base, FNM_PATHNAME) || !fnmatch(pat, ref->path, FNM_PATHNAME) ||
	         !fnmatch(pat, ref->full, FNM_PATHNAME);
	free(p.full);
	return m;
}

bool hc_image_matches(const char *pattern, const char *image, size_t len)
{
	if (!image || !len)
		return false;
	struct image_ref ref;
	image_ref(&ref, image, len);
	bool m = ref_matches(pattern, &ref);
	free(ref.full);
	return m;
}

enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len)
{
	if (!image || !len)
		return HC_CLASS_APP;
	struct image_ref ref;
	image_ref(&ref, image, len);
	enum hc_class found = HC_CLASS_APP;
	for (int k = 1; k < HC_NCLASSES && found == HC_CLASS_APP; k++)
		for (size_t i = 0; i < c->n[k]; i++)
			if (ref_matches(c->pat[k][i], &ref)) {
				found = (enum hc_class)k;
				break;
			}
	free(ref.full);
	return found;
}

/* Index of the first of n patterns (pattern(arr, i)) an image reference
 * matches, or -1. */
static long first_match(const char *image, size_t len, size_t n,
                        const char *(*pattern)(const void *arr, size_t i), const void *arr)
{
	if (!image || !len)
		return -1;
	struct image_ref ref;
	image_ref(&ref, image, len);
	long found = -1;
	for (size_t i = 0; i < n && found < 0; i++)
		if (ref_matches(pattern(arr, i), &ref))
			found = (long)i;
	free(ref.full);
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

void hc_image_fact_set(struct hc_classes *c, struct hc_image_fact *f)
{
	struct hc_image_fact *d = NULL;
	for (size_t i = 0; i < c->nfacts; i++)
		if (!strcmp(c->facts[i].pattern, f->pattern))
			d = &c->facts[i];
	if (d) {
		fact_release(d);
	} else {
		c->facts = hc_xrealloc(c->facts, (c->nfacts + 1) * sizeof(*c->facts));
		d = &c->facts[c->nfacts++];
	}
	*d = *f;
	memset(f, 0, sizeof(*f));
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

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
}

enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len)
{
	if (!image || !len)
		return HC_CLASS_APP;
	char *s = hc_xstrndup(image, len);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *at = strchr(s, '@');
	if (at)
		*at = '\0';
	char *slash = strrchr(s, '/');
	char *colon = strrchr(slash ? slash : s, ':');
	if (colon)
		*colon = '\0';
	/* drop a registry host: a first component with '.' or ':' or localhost */
	char *path = s, *first = strchr(s, '/');
	if (first && (memchr(s, '.', (size_t)(first - s)) || memchr(s, ':', (size_t)(first - s)) ||
	              !strncmp(s, "localhost/", 10)))
		path = first + 1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	enum hc_class found = HC_CLASS_APP;
	for (int k = 1; k < HC_NCLASSES && found == HC_CLASS_APP; k++)
		for (size_t i = 0; i < c->n[k]; i++)
			if (!fnmatch(c->pat[k][i], base, FNM_PATHNAME) ||
			    !fnmatch(c->pat[k][i], path, FNM_PATHNAME)) {
				found = (enum hc_class)k;
				break;
			}
	free(s);
	return found;
}

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
#include "base/strmap.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

const char *const hc_class_names[HC_NCLASSES] = {"app",   "database", "cache", "queue",
                                                 "proxy", "search",   "jvm",   "inference"};

static void index_drop(struct hc_classes *c);

void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n)
{
	index_drop(c);
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
	bool hub = p[0] == 'l' || p[0] == 'd' || p[0] == 'i' || p[0] == 'r';
	if (hub && (has_prefix(p, "library/") || has_prefix(p, "docker.io/") ||
	            has_prefix(p, "index.docker.io/") || has_prefix(p, "registry-1.docker.io/") ||
	            has_prefix(p, "registry.hub.docker.com/")))
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

/*
 * The index. A table is a list of patterns, each with an ordinal (a
 * class, or its place in a first-match-wins table), and a lookup wants the
 * lowest ordinal among the patterns ref_matches(). Each pattern is
 * normalized once, as ref_matches() normalizes it. One without fnmatch
 * metacharacters matches exactly the strings equal to it, so those go in
 * a hash map (normalized pattern -> lowest ordinal) probed with the
 * image's three forms. The others stay a list in ordinal order, and only
 * those with an ordinal below the best literal are tried, each with
 * fnmatch after cheap tests a match cannot fail (wild_matches).
 * (ref_matches' first-letter test only spares work: it never rejects a
 * pattern fnmatch would accept.)
 */
struct pat_index {
	struct hc_strmap lit; /* normalized literal pattern -> lowest ordinal */
	struct wild {
		const char *pat; /* normalized */
		size_t len, ord;
		size_t pre, suf; /* its literal head (before any metacharacter) and tail
		                    (after the last one) */
		int slashes;     /* its '/'s; -1: it has '[' or '\\' (not counted) */
	} * wild;                /* ascending ord */
	size_t nwild;
	char **owned; /* normalized copies of the patterns that were not normal */
	size_t nowned;
};

struct hc_classes_index {
	struct pat_index cls, facts, fsec;
};

/* fnmatch's metacharacters */
static bool is_meta(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

static int count_slashes(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '/';
	return n;
}

static void index_init(struct pat_index *pi, size_t n)
{
	pi->wild = hc_xcalloc(n ? n : 1, sizeof(*pi->wild));
	pi->owned = hc_xcalloc(n ? n : 1, sizeof(*pi->owned));
}

static void index_add(struct pat_index *pi, const char *pattern, size_t ord)
{
	const char *pat = pattern;
	if (!pattern_is_normal(pattern)) {
		struct image_ref p;
		image_ref(&p, pattern, strlen(pattern));
		pat = pi->owned[pi->nowned++] = p.full;
	}
	/* its literal head: ASCII only, so that a multibyte locale could not
	 * make fnmatch differ from strcmp on a byte sequence */
	size_t pre = 0;
	while (pat[pre] && (unsigned char)pat[pre] < 0x80 && !is_meta(pat[pre]))
		pre++;
	size_t len = pre + strlen(pat + pre);
	if (pre == len) {
		/* the same literal twice: the first (lowest ordinal) stands */
		if (hc_strmap_get(&pi->lit, pat) == HC_STRMAP_NONE)
			hc_strmap_put(&pi->lit, pat, ord);
		return;
	}
	size_t suf = 0;
	while (suf < len && !is_meta(pat[len - 1 - suf]))
		suf++;
	bool counted = !strpbrk(pat, "[\\");
	pi->wild[pi->nwild++] =
	    (struct wild){pat, len, ord, pre, suf, counted ? count_slashes(pat) : -1};
}

/*
 * Whether fnmatch(w->pat, form, FNM_PATHNAME) would match, with fnmatch
 * called only when it might: the pattern's literal head and tail must be
 * the form's, and, since with FNM_PATHNAME neither '*' nor '?' matches a
 * '/', a pattern without brackets or escapes matches only a form with as
 * many '/'s as it has.
 */
static bool wild_matches(const struct wild *w, const char *form, size_t len, int slashes)
{
	if (w->slashes >= 0 && w->slashes != slashes)
		return false;
	if (w->pre > len || memcmp(w->pat, form, w->pre))
		return false;
	if (w->suf > len || memcmp(w->pat + w->len - w->suf, form + len - w->suf, w->suf))
		return false;
	return !fnmatch(w->pat, form, FNM_PATHNAME);
}

/* The lowest ordinal of a pattern matching ref, or -1. */
static long index_find(const struct pat_index *pi, const struct image_ref *ref)
{
	const char *forms[3] = {ref->base, ref->path, ref->full};
	size_t best = HC_STRMAP_NONE; /* SIZE_MAX: above every ordinal */
	for (int i = 0; i < 3; i++) {
		size_t o = hc_strmap_get(&pi->lit, forms[i]);
		if (o < best)
			best = o;
	}
	size_t lens[3];
	int slashes[3];
	for (int i = 0; i < 3; i++) {
		lens[i] = strlen(forms[i]);
		slashes[i] = count_slashes(forms[i]);
	}
	for (size_t i = 0; i < pi->nwild && pi->wild[i].ord < best; i++)
		for (int f = 0; f < 3; f++)
			if (wild_matches(&pi->wild[i], forms[f], lens[f], slashes[f])) {
				best = pi->wild[i].ord;
				break;
			}
	return best == HC_STRMAP_NONE ? -1 : (long)best;
}

static void pat_index_release(struct pat_index *pi)
{
	hc_strmap_release(&pi->lit);
	for (size_t i = 0; i < pi->nowned; i++)
		free(pi->owned[i]);
	free(pi->owned);
	free(pi->wild);
}

static void index_drop(struct hc_classes *c)
{
	if (!c->index)
		return;
	pat_index_release(&c->index->cls);
	pat_index_release(&c->index->facts);
	pat_index_release(&c->index->fsec);
	free(c->index);
	c->index = NULL;
}

void hc_classes_index(struct hc_classes *c)
{
	if (c->index)
		return;
	/* the keys and patterns it points to are the tables' own, which stay
	 * as they are until a set function (which drops the index) */
	struct hc_classes_index *x = hc_xcalloc(1, sizeof(*x));
	size_t ncls = 0;
	for (int k = 1; k < HC_NCLASSES; k++)
		ncls += c->n[k];
	index_init(&x->cls, ncls);
	for (int k = 1; k < HC_NCLASSES; k++)
		for (size_t i = 0; i < c->n[k]; i++)
			index_add(&x->cls, c->pat[k][i], (size_t)k);
	index_init(&x->facts, c->nfacts);
	for (size_t i = 0; i < c->nfacts; i++)
		index_add(&x->facts, c->facts[i].pattern, i);
	index_init(&x->fsec, c->nfsec);
	for (size_t i = 0; i < c->nfsec; i++)
		index_add(&x->fsec, c->fsec[i].pattern, i);
	c->index = x;
}

enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len)
{
	if (!image || !len)
		return HC_CLASS_APP;
	struct image_ref ref;
	image_ref(&ref, image, len);
	enum hc_class found = HC_CLASS_APP;
	if (c->index) {
		long k = index_find(&c->index->cls, &ref);
		if (k > 0)
			found = (enum hc_class)k;
	} else {
		for (int k = 1; k < HC_NCLASSES && found == HC_CLASS_APP; k++)
			for (size_t i = 0; i < c->n[k]; i++)
				if (ref_matches(c->pat[k][i], &ref)) {
					found = (enum hc_class)k;
					break;
				}
	}
	free(ref.full);
	return found;
}

/* Index of the first of n patterns (pattern(arr, i)) an image reference
 * matches, or -1; by the table's index pi when there is one. */
static long first_match(const char *image, size_t len, const struct pat_index *pi, size_t n,
                        const char *(*pattern)(const void *arr, size_t i), const void *arr)
{
	if (!image || !len)
		return -1;
	struct image_ref ref;
	image_ref(&ref, image, len);
	long found = -1;
	if (pi)
		found = index_find(pi, &ref);
	for (size_t i = 0; !pi && i < n && found < 0; i++)
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
	long i = first_match(image, len, c->index ? &c->index->facts : NULL, c->nfacts,
	                     fact_pattern, c->facts);
	return i < 0 ? NULL : &c->facts[i];
}

void hc_image_fact_set(struct hc_classes *c, struct hc_image_fact *f)
{
	index_drop(c);
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
	long i = first_match(image, len, c->index ? &c->index->fsec : NULL, c->nfsec, fsec_pattern,
	                     c->fsec);
	return i < 0 ? NULL : &c->fsec[i];
}

void hc_file_secrets_set(struct hc_classes *c, struct hc_file_secrets *f)
{
	index_drop(c);
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

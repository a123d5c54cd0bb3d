/*
 * test_classes.c: the image tables' index (hc_classes_index) answers every
 * lookup as the linear scan does. The tables are the strict profile's
 * (which extends defaults) and a table of unusual patterns (uppercase,
 * tags, digests, variables, Docker Hub hosts, library/, brackets,
 * escapes); the images are every pattern of both, in many variants
 * (wildcards filled in, uppercase, tags, digests, registry hosts, Docker
 * Hub prefixes, ${IMG:-...}). Also checks that a set function drops the
 * index. Prints how many lookups it compared.
 */
#include "policy/profile.h"
#include "rules/classes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static size_t compared;

/* Every lookup of image in c, without and with c's index. */
static void compare(struct hc_classes *c, const char *image)
{
	size_t len = strlen(image);
	struct hc_classes_index *x = c->index;
	c->index = NULL;
	enum hc_class k0 = hc_image_class(c, image, len);
	const struct hc_image_fact *f0 = hc_image_fact(c, image, len);
	const struct hc_file_secrets *s0 = hc_file_secrets(c, image, len);
	c->index = x;
	enum hc_class k1 = hc_image_class(c, image, len);
	const struct hc_image_fact *f1 = hc_image_fact(c, image, len);
	const struct hc_file_secrets *s1 = hc_file_secrets(c, image, len);
	compared += 3;
	if (k0 != k1 || f0 != f1 || s0 != s1) {
		fprintf(stderr, "'%s': class %s/%s, fact %s/%s, file-secrets %s/%s (scan/index)\n",
		        image, hc_class_names[k0], hc_class_names[k1], f0 ? f0->pattern : "-",
		        f1 ? f1->pattern : "-", s0 ? s0->pattern : "-", s1 ? s1->pattern : "-");
		failures++;
	}
}

/* p with each '*' replaced by fill and each '?', '[...]' and '\\' by 'z'. */
static void fill_in(const char *p, const char *fill, char *out, size_t cap)
{
	size_t o = 0;
	for (; *p && o + strlen(fill) + 2 < cap; p++) {
		if (*p == '*') {
			memcpy(out + o, fill, strlen(fill));
			o += strlen(fill);
		} else if (*p == '?' || *p == '\\') {
			out[o++] = 'z';
		} else if (*p == '[') {
			const char *e = strchr(p + 1, ']');
			out[o++] = 'z';
			if (e)
				p = e;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

/* Lookups of a name derived from pattern p, in every variant. */
static void variants(struct hc_classes *c, const char *p)
{
	static const char *const fills[] = {"", "x", "foo", "a/b", "postgres", "-1"};
	static const char *const fmt[] = {"%s",
	                                  "%s:16",
	                                  "%s:16-alpine@sha256:0a1b",
	                                  "%s@sha256:0a1b",
	                                  "docker.io/%s",
	                                  "docker.io/library/%s:1",
	                                  "index.docker.io/%s",
	                                  "registry-1.docker.io/library/%s",
	                                  "registry.hub.docker.com/%s",
	                                  "library/%s",
	                                  "ghcr.io/%s",
	                                  "ghcr.io/acme/%s:2",
	                                  "localhost/%s",
	                                  "localhost:5000/%s",
	                                  "quay.io/%s",
	                                  "registry.example.com:5000/team/%s",
	                                  "acme/%s",
	                                  "%s/extra",
	                                  "x%s",
	                                  "%s-x",
	                                  "${IMG:-%s}",
	                                  "${IMG:=%s:1}",
	                                  "${IMG-%s}",
	                                  "${IMG=docker.io/%s}",
	                                  "${IMG}%s",
	                                  "${IMG:-${X}%s}",
	                                  "%s:",
	                                  "%s/"};
	char name[512], image[600];
	for (size_t i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
		fill_in(p, fills[i], name, sizeof(name));
		for (size_t k = 0; k < sizeof(fmt) / sizeof(fmt[0]); k++) {
			/* fmt[k] with its one %s replaced by name */
			const char *at = strstr(fmt[k], "%s");
			snprintf(image, sizeof(image), "%.*s%s%s", (int)(at - fmt[k]), fmt[k], name,
			         at + 2);
			compare(c, image);
			for (char *q = image; *q; q++)
				*q = (char)toupper((unsigned char)*q);
			compare(c, image);
		}
	}
}

static void every_pattern(struct hc_classes *c, const struct hc_classes *from)
{
	for (int k = 1; k < HC_NCLASSES; k++)
		for (size_t i = 0; i < from->n[k]; i++)
			variants(c, from->pat[k][i]);
	for (size_t i = 0; i < from->nfacts; i++)
		variants(c, from->facts[i].pattern);
	for (size_t i = 0; i < from->nfsec; i++)
		variants(c, from->fsec[i].pattern);
}

/* Patterns ref_matches() normalizes first, or that are not plain, spread
 * over the classes and both first-match-wins tables; some twice. */
static const char *const odd[] = {"Postgres",
                                  "library/redis",
                                  "docker.io/nginx",
                                  "docker.io/library/mysql:8",
                                  "${X:-mongo}",
                                  "${X:=Valkey:7}",
                                  "ghcr.io/acme/*",
                                  "[ab]c",
                                  "a\\*b",
                                  "*",
                                  "?",
                                  "*/*",
                                  "",
                                  "registry.example.com/team/*",
                                  "localhost/foo",
                                  "foo:1",
                                  "foo@sha256:1",
                                  "x*y*z",
                                  "postgres",
                                  "redis:7",
                                  "*/postgres*",
                                  "acme/*",
                                  "quay.io/*",
                                  "l?brary/*",
                                  "team/app?",
                                  "app[0-9]",
                                  "*-x",
                                  "index.docker.io/library/caddy",
                                  "REGISTRY-1.DOCKER.IO/traefik",
                                  "\\postgres",
                                  "postgr[e]s",
                                  "*/*/*",
                                  "localhost:5000/*",
                                  "ghcr.io/*/*"};

static void odd_tables(struct hc_classes *c)
{
	size_t n = sizeof(odd) / sizeof(odd[0]);
	for (int k = 1; k < HC_NCLASSES; k++) {
		char **pat = malloc(n * sizeof(*pat));
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (i % (HC_NCLASSES - 1) == (size_t)(k - 1) || i % 5 == 0)
				pat[m++] = hc_xstrdup(odd[(i + (size_t)k) % n]);
		hc_classes_set(c, (enum hc_class)k, pat, m);
	}
	for (size_t i = 0; i < n; i++) {
		struct hc_image_fact f = {.pattern = hc_xstrdup(odd[(i * 7) % n])};
		hc_image_fact_set(c, &f);
		struct hc_file_secrets s = {.pattern = hc_xstrdup(odd[(i * 11) % n]), .uid = -1};
		hc_file_secrets_set(c, &s);
	}
}

int main(void)
{
	struct hc_config cfg = {0};
	struct hc_buf err = HC_BUF_INIT;
	hc_config_init(&cfg);
	if (hc_config_load_profile(&cfg, "strict", &err) < 0) {
		fprintf(stderr, "strict: %s\n", err.data);
		return 2;
	}
	struct hc_classes *real = &cfg.classes, odd_c = {0};
	odd_tables(&odd_c);
	hc_classes_index(real);
	hc_classes_index(&odd_c);
	if (!real->index || !odd_c.index) {
		fprintf(stderr, "hc_classes_index built no index\n");
		return 1;
	}
	struct hc_classes *both[] = {real, &odd_c};
	for (int t = 0; t < 2; t++) {
		every_pattern(both[t], real);
		every_pattern(both[t], &odd_c);
		compare(both[t], "registry.example.com/team/app7:1.7.0");
		compare(both[t], "${IMG}");
	}

	/* a set function drops the index, and the new entry is found */
	struct hc_image_fact f = {.pattern = hc_xstrdup("brand-new-image")};
	hc_image_fact_set(real, &f);
	if (real->index || !hc_image_fact(real, "brand-new-image:1", 17)) {
		fprintf(stderr, "hc_image_fact_set kept a stale index\n");
		failures++;
	}
	hc_classes_index(real);
	compare(real, "brand-new-image:1");

	hc_classes_release(&odd_c);
	hc_config_release(&cfg);
	hc_buf_release(&err);
	printf("test_classes: %zu lookups compared, %d different\n", compared, failures);
	return failures ? 1 : 0;
}

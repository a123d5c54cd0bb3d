/*
 * classes.h: service classes decided from the image name, by a table the
 * profile holds (`classes:` in profiles/baseline.yml). Transforms use the
 * class to pick defaults: databases get a stop grace period, databases,
 * caches and queues get their ports bound to localhost, and so on.
 */
#ifndef HC_CLASSES_H
#define HC_CLASSES_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

enum hc_class {
	HC_CLASS_APP,
	HC_CLASS_DATABASE,
	HC_CLASS_CACHE,
	HC_CLASS_QUEUE, /* message brokers */
	HC_CLASS_PROXY,
	HC_CLASS_SEARCH,
	HC_CLASS_JVM,
	HC_CLASS_INFERENCE, /* ML model servers: memory is the model they load */
	HC_NCLASSES
};

/* What is known of an image (profiles/defaults.yml `images:`, from
 * ../shared/notes/images.md): capabilities it needs back after cap_drop ALL,
 * paths it writes, and the init its entrypoint brings. A fact the entry does
 * not state is unknown (has_caps, has_writable false; init NULL), which is
 * not the same as an empty list. */
struct hc_image_fact {
	char *pattern;
	struct hc_strlist cap_add;
	struct hc_strlist writable;
	bool has_caps, has_writable;
	char *init; /* "s6-overlay", "tini", ...: the entrypoint is an init; NULL: none */
};

/* How an image reads a secret from a file (profiles/defaults.yml
 * `file-secrets:`, from ../shared/notes/images.md section 1). */
enum hc_file_form {
	HC_FORM_PATH, /* VAR<suffix>=/run/secrets/<name> */
	HC_FORM_NAME, /* VAR<suffix>=<name>: a secret name (MinIO) */
	HC_FORM_FILE, /* no variable: the file /run/secrets/VAR itself (Plausible) */
	HC_FORM_NONE, /* cannot read secrets from files */
};

struct hc_file_secrets {
	char *pattern;
	struct hc_strlist vars; /* fnmatch patterns of the variables it reads from files */
	char *suffix;           /* "_FILE", "__FILE" */
	enum hc_file_form form;
	int uid;   /* the uid that reads the file after a privilege drop; -1: root */
	char *why; /* form none: the reason, for the finding */
};

struct hc_classes_index; /* classes.c */

struct hc_classes {
	/* patterns (fnmatch) per class; HC_CLASS_APP is what matches nothing */
	char **pat[HC_NCLASSES];
	size_t n[HC_NCLASSES];
	struct hc_image_fact *facts; /* first match wins */
	size_t nfacts;
	struct hc_file_secrets *fsec; /* first match wins */
	size_t nfsec;
	/* The three tables indexed (hc_classes_index), or NULL: lookups then
	 * scan the tables, with the same answers. Every set function drops it. */
	struct hc_classes_index *index;
};

extern const char *const hc_class_names[HC_NCLASSES];

/* The class of an image reference (NULL or empty: app). */
enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len);
/* Replaces the patterns of class `cls`. */
void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n);
void hc_classes_release(struct hc_classes *c);
/*
 * Indexes the tables once they are complete (a configuration is built), so
 * that a lookup costs three hash probes and a scan of the wildcard patterns
 * instead of one fnmatch per pattern. Lookups only read the index: build
 * it before threads share c. Does nothing when c already has a current
 * index.
 */
void hc_classes_index(struct hc_classes *c);
/* The facts of an image reference, or NULL when it is not in the table. */
const struct hc_image_fact *hc_image_fact(const struct hc_classes *c, const char *image,
                                          size_t len);
/* Adds or replaces (same pattern) a fact; takes f's contents (pattern too). */
void hc_image_fact_set(struct hc_classes *c, struct hc_image_fact *f);
/*
 * The one image matcher every table uses (classes, images, file-secrets).
 * A reference is lowercased and loses its tag, its digest, Docker Hub's
 * names for itself (`docker.io/`, `index.docker.io/`, `registry-1.docker.io/`)
 * and `library/`: `docker.io/library/postgres:16@sha256:...` is `postgres`.
 * A pattern (fnmatch, wildcards do not cross '/') matches the last path
 * component, the path without its registry host (`ghcr.io/linuxserver/x` is
 * `linuxserver/x`), or the whole normalized name, so the pattern linuxserver/(star) matches
 * every registry's copy and ghcr.io/acme/(star) only ghcr.io's. Patterns are
 * normalized the same way.
 */
bool hc_image_matches(const char *pattern, const char *image, size_t len);

/* How an image reads secrets from files, or NULL when it is not known. */
const struct hc_file_secrets *hc_file_secrets(const struct hc_classes *c, const char *image,
                                              size_t len);
/* Adds or replaces (same pattern) an entry; takes f's contents. */
void hc_file_secrets_set(struct hc_classes *c, struct hc_file_secrets *f);
/* Whether variable `var` is one the entry reads from a file. */
bool hc_file_secrets_reads(const struct hc_file_secrets *f, const char *var);

#endif

/*
 * classes.h: service classes decided from the image name, by a table the
 * profile holds (`classes:` in profiles/baseline.yml). Transforms use the
 * class to pick defaults: databases get a stop grace period, databases,
 * caches and queues get their ports bound to localhost, and so on.
 */
#ifndef HC_CLASSES_H
#define HC_CLASSES_H

#include "buf.h"

#include <stddef.h>

enum hc_class {
	HC_CLASS_APP,
	HC_CLASS_DATABASE,
	HC_CLASS_CACHE,
	HC_CLASS_QUEUE,
	HC_CLASS_PROXY,
	HC_NCLASSES
};

/* What is known of an image (profiles/defaults.yml `images:`, from
 * ../shared/notes/images.md): capabilities it needs back after cap_drop ALL,
 * and paths it writes. */
struct hc_image_fact {
	char *pattern;
	struct hc_strlist cap_add;
	struct hc_strlist writable;
};

struct hc_classes {
	/* patterns (fnmatch) per class; HC_CLASS_APP is what matches nothing */
	char **pat[HC_NCLASSES];
	size_t n[HC_NCLASSES];
	struct hc_image_fact *facts; /* first match wins */
	size_t nfacts;
};

extern const char *const hc_class_names[HC_NCLASSES];

/* The class of an image reference (NULL or empty: app). */
enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len);
/* Replaces the patterns of class `cls`. */
void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n);
void hc_classes_release(struct hc_classes *c);
/* The facts of an image reference, or NULL when it is not in the table. */
const struct hc_image_fact *hc_image_fact(const struct hc_classes *c, const char *image,
                                          size_t len);
/* Adds or replaces (same pattern) a fact; takes the lists' contents. */
void hc_image_fact_set(struct hc_classes *c, const char *pattern, struct hc_strlist *cap_add,
                       struct hc_strlist *writable);

#endif

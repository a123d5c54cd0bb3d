/*
 * classes.h: service classes decided from the image name, by a table the
 * profile holds (`classes:` in profiles/baseline.yml). Transforms use the
 * class to pick defaults: databases get a stop grace period, databases,
 * caches and queues get their ports bound to localhost, and so on.
 */
#ifndef HC_CLASSES_H
#define HC_CLASSES_H

#include <stddef.h>

enum hc_class {
	HC_CLASS_APP,
	HC_CLASS_DATABASE,
	HC_CLASS_CACHE,
	HC_CLASS_QUEUE,
	HC_CLASS_PROXY,
	HC_NCLASSES
};

struct hc_classes {
	/* patterns (fnmatch) per class; HC_CLASS_APP is what matches nothing */
	char **pat[HC_NCLASSES];
	size_t n[HC_NCLASSES];
};

extern const char *const hc_class_names[HC_NCLASSES];

/* The class of an image reference (NULL or empty: app). */
enum hc_class hc_image_class(const struct hc_classes *c, const char *image, size_t len);
/* Replaces the patterns of class `cls`. */
void hc_classes_set(struct hc_classes *c, enum hc_class cls, char **pat, size_t n);
void hc_classes_release(struct hc_classes *c);

#endif

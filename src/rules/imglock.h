/*
 * imglock.h: digest pinning (`hardcompose pin`, docs/pinning.md): the
 * lock file (`images.lock`: one `name:tag sha256:<64 hex>` per line, `#`
 * comments), the image references a compose file's services use, and
 * what pinning them to the lock takes: the edits that add or update the
 * `@sha256:` part of each `image:` value, and the `image-lock` findings.
 *
 * Ownership: every char * in these structs is owned by the struct it sits
 * in and freed by its _release; nodes are borrowed from the document.
 */
#ifndef HC_IMGLOCK_H
#define HC_IMGLOCK_H

#include "base/diag.h"
#include "engine/edit.h"
#include "engine/run.h"
#include "yaml/tree.h"

#include <stdbool.h>

/* The rule id of every pinning finding. */
#define HC_IMAGE_LOCK "image-lock"

struct hc_lock_entry {
	char *ref;           /* name:tag as written */
	char *digest;        /* "sha256:<64 hex>" */
	size_t dstart, dend; /* the digest's bytes in the lock text */
};

struct hc_lock {
	struct hc_lock_entry *v;
	size_t n;
};

/*
 * Parses the lock text (len bytes; name is the lock file as named in
 * messages). 0, or -1 with err set to `name:line:col: ...` (exit code 3)
 * for the first malformed line: a line that is not `name:tag digest`, a
 * digest that is not sha256 with 64 lowercase hex digits, a reference
 * that is untagged, tagged latest or holds a digest, or one listed twice.
 */
int hc_lock_parse(struct hc_lock *l, const char *name, const char *text, size_t len,
                  struct hc_diag *err);
const struct hc_lock_entry *hc_lock_find(const struct hc_lock *l, const char *ref);
void hc_lock_release(struct hc_lock *l);

/* Is s (n bytes) "sha256:" and 64 lowercase hex digits? */
bool hc_digest_valid(const char *s, size_t n);

enum hc_img_state {
	HC_IMG_OK,         /* name:tag, perhaps with a digest */
	HC_IMG_VARIABLE,   /* holds a `$`: left alone */
	HC_IMG_LATEST,     /* tagged latest */
	HC_IMG_UNTAGGED,   /* no tag */
	HC_IMG_BAD_DIGEST, /* an @ part that is not sha256:<64 hex> */
	HC_IMG_ESCAPED,    /* its text is not its value (escapes, folded lines, block scalar) */
};

/* One image: value of one or more services' `image:` (anchors, merges
 * and aliases lead several services to one node). */
struct hc_image {
	const struct hc_node *node;
	char *service;       /* the first service that uses it */
	char *ref;           /* name:tag (the value without its @ part) */
	char *digest;        /* the @ part's digest, or NULL */
	size_t vstart, vend; /* the value's bytes in the text (inside quotes) */
	size_t pos;          /* where findings point: the value, or its opening quote */
	enum hc_img_state state;
};

struct hc_images {
	struct hc_image *v;
	size_t n;
};

/* Collects the image of every service of doc, each node once, in the
 * order of the services. */
void hc_images_collect(struct hc_images *im, const struct hc_doc *doc);
void hc_images_release(struct hc_images *im);

/* The repository of a reference ("127.0.0.1:5000/x:1" -> "127.0.0.1:5000/x"),
 * as docker names it: "docker.io/" and "library/" dropped. Caller frees. */
char *hc_image_repo(const char *ref);

/* What pinning found in one document. */
struct hc_pin_result {
	struct hc_edits edits;       /* pins to apply */
	struct hc_findings fixes;    /* errors the edits fix (input positions) */
	struct hc_findings findings; /* errors they cannot fix, and notes */
	size_t fixable;              /* fixes.n */
	size_t blocking;             /* errors in findings */
};

/*
 * Compares doc's images with the lock (lockname as messages name it):
 * edits that pin each image to its lock digest, and an error for each
 * image that differs from the lock (in fixes), is not in it, or cannot be
 * pinned (in findings), and a note for each image holding a variable.
 */
void hc_pin_plan(struct hc_pin_result *r, const struct hc_doc *doc, const struct hc_lock *l,
                 const char *lockname);
void hc_pin_result_release(struct hc_pin_result *r);

#endif

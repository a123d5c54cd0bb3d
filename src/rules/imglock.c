/*
 * imglock.c: the lock file, the images of a compose file, and what pinning
 * them to the lock takes (imglock.h, docs/pinning.md).
 *
 * A reference is split as Docker does: an `@` part is the digest; the tag
 * is what follows the last `:` after the last `/` (so a registry's port,
 * `127.0.0.1:5000/x`, is not a tag). Lock keys are compared as written:
 * `postgres:16` and `docker.io/library/postgres:16` are two entries.
 */
#include "rules/imglock.h"
#include "base/buf.h"
#include "base/exit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hc_digest_valid(const char *s, size_t n)
{
	if (n != 71 || memcmp(s, "sha256:", 7))
		return false;
	for (size_t i = 7; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Where the tag of ref (n bytes, no @ part) starts (after its ':'), or 0
 * when it has none. */
static size_t tag_at(const char *ref, size_t n)
{
	size_t colon = 0;
	for (size_t i = 0; i < n; i++) {
		if (ref[i] == '/')
			colon = 0;
		else if (ref[i] == ':')
			colon = i + 1;
	}
	return colon;
}

/* Whether ref (n bytes, no @ part) can be a lock key: HC_IMG_OK, or
 * HC_IMG_UNTAGGED or HC_IMG_LATEST. */
static enum hc_img_state ref_state(const char *ref, size_t n)
{
	size_t t = tag_at(ref, n);
	if (!t || t == n || t == 1)
		return HC_IMG_UNTAGGED;
	if (n - t == 6 && !memcmp(ref + t, "latest", 6))
		return HC_IMG_LATEST;
	return HC_IMG_OK;
}

void hc_lock_release(struct hc_lock *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].ref);
		free(l->v[i].digest);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct hc_lock_entry *hc_lock_find(const struct hc_lock *l, const char *ref)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].ref, ref))
			return &l->v[i];
	return NULL;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One line [s, e) starting at byte off of the lock. NULL, or why it is
 * malformed with *col (1-based) where. */
static const char *lock_line(struct hc_lock *l, const char *text, size_t s, size_t e, int *col)
{
	size_t i = s;
	while (i < e && blank(text[i]))
		i++;
	if (i == e || text[i] == '#')
		return NULL;
	size_t r0 = i;
	while (i < e && !blank(text[i]) && text[i] != '#')
		i++;
	size_t r1 = i;
	*col = (int)(r0 - s) + 1;
	if (memchr(text + r0, '@', r1 - r0))
		return "the reference holds a digest: write `name:tag sha256:<digest>`";
	enum hc_img_state st = ref_state(text + r0, r1 - r0);
	if (st == HC_IMG_UNTAGGED)
		return "the reference has no tag: write `name:tag sha256:<digest>`";
	if (st == HC_IMG_LATEST)
		return "the reference is tagged latest, which cannot be pinned: name a version tag";
	while (i < e && blank(text[i]))
		i++;
	size_t d0 = i;
	while (i < e && !blank(text[i]) && text[i] != '#')
		i++;
	*col = (int)(d0 - s) + 1;
	if (d0 == i)
		return "no digest after the reference: write `name:tag sha256:<64 hex digits>`";
	if (!hc_digest_valid(text + d0, i - d0))
		return "not a digest: write sha256: and 64 lowercase hex digits";
	size_t d1 = i;
	while (i < e && blank(text[i]))
		i++;
	*col = (int)(i - s) + 1;
	if (i < e && text[i] != '#')
		return "unexpected text after the digest (a comment starts with #)";
	char *ref = hc_xstrndup(text + r0, r1 - r0);
	if (hc_lock_find(l, ref)) {
		*col = (int)(r0 - s) + 1;
		free(ref);
		return "the reference is listed twice";
	}
	l->v = hc_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (struct hc_lock_entry){ref, hc_xstrndup(text + d0, d1 - d0), d0, d1};
	return NULL;
}

int hc_lock_parse(struct hc_lock *l, const char *name, const char *text, size_t len,
                  struct hc_diag *err)
{
	memset(l, 0, sizeof(*l));
	int line = 1;
	size_t s = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s = 3;
	while (s < len) {
		size_t e = s;
		while (e < len && text[e] != '\n')
			e++;
		size_t ce = e > s && text[e - 1] == '\r' ? e - 1 : e;
		int col = 1;
		const char *why =
		    memchr(text + s, '\0', ce - s) ? "a NUL byte" : lock_line(l, text, s, ce, &col);
		if (why) {
			hc_diag_set(err, HC_EXIT_INVALID, name, line, col, "%s", why);
			hc_lock_release(l);
			return -1;
		}
		s = e + 1;
		line++;
	}
	return 0;
}

void hc_images_release(struct hc_images *im)
{
	for (size_t i = 0; i < im->n; i++) {
		free(im->v[i].service);
		free(im->v[i].ref);
		free(im->v[i].digest);
	}
	free(im->v);
	im->v = NULL;
	im->n = 0;
}

/* Where the value's bytes are in the text: false when they are not its
 * value as written (escapes, line folding, a block scalar). */
static bool value_bytes(const struct hc_doc *doc, const struct hc_node *n, size_t *vs, size_t *ve)
{
	size_t e = n->end;
	if (n->style == HC_SINGLE || n->style == HC_DOUBLE) {
		if (!e || doc->text[e - 1] != (n->style == HC_SINGLE ? '\'' : '"'))
			return false;
		e--;
	} else if (n->style != HC_PLAIN) {
		return false;
	}
	if (e < n->len || e - n->len < n->start)
		return false;
	*vs = e - n->len;
	*ve = e;
	return !memcmp(doc->text + *vs, n->text, n->len) && !memchr(n->text, '\n', n->len);
}

static void image_split(struct hc_image *im, const char *v, size_t n)
{
	if (memchr(v, '$', n)) {
		im->state = HC_IMG_VARIABLE;
		im->ref = hc_xstrndup(v, n);
		return;
	}
	const char *at = memchr(v, '@', n);
	size_t rn = at ? (size_t)(at - v) : n;
	im->ref = hc_xstrndup(v, rn);
	if (at) {
		im->digest = hc_xstrndup(at + 1, n - rn - 1);
		if (!hc_digest_valid(at + 1, n - rn - 1))
			im->state = HC_IMG_BAD_DIGEST;
	}
	if (im->state == HC_IMG_OK)
		im->state = ref_state(v, rn);
}

static void add_image(struct hc_images *im, const struct hc_doc *doc, const struct hc_node *n,
                      const struct hc_node *svc)
{
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].node == n)
			return;
	struct hc_image x = {n, hc_xstrndup(svc->text, svc->len), NULL, NULL, 0, 0, 0, HC_IMG_OK};
	if (!value_bytes(doc, n, &x.vstart, &x.vend)) {
		x.state = HC_IMG_ESCAPED;
		x.ref = hc_xstrndup(n->text, n->len);
		x.pos = n->start;
	} else {
		image_split(&x, n->text, n->len);
		x.pos = x.vstart - (n->style != HC_PLAIN);
	}
	im->v = hc_xrealloc(im->v, (im->n + 1) * sizeof(*im->v));
	im->v[im->n++] = x;
}

void hc_images_collect(struct hc_images *im, const struct hc_doc *doc)
{
	memset(im, 0, sizeof(*im));
	struct hc_node *root = hc_deref(doc->root);
	if (!root || root->type != HC_MAP)
		return;
	struct hc_node *svcs = hc_deref(hc_map_get(root, "services", NULL));
	if (!svcs || svcs->type != HC_MAP)
		return;
	for (uint32_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *s = hc_deref(svcs->kids[i + 1]);
		if (!s || s->type != HC_MAP)
			continue;
		struct hc_node *img = hc_deref(hc_map_lookup(s, "image", NULL));
		if (img && img->type == HC_SCALAR && !img->empty && !hc_is_null(img))
			add_image(im, doc, img, svcs->kids[i]);
	}
}

char *hc_image_repo(const char *ref)
{
	size_t n = strlen(ref), t = tag_at(ref, n);
	if (t)
		n = t - 1;
	const char *s = ref;
	if (n > 10 && !strncmp(s, "docker.io/", 10))
		s += 10, n -= 10;
	else if (n > 16 && !strncmp(s, "index.docker.io/", 16))
		s += 16, n -= 16;
	if (s != ref && n > 8 && !strncmp(s, "library/", 8))
		s += 8, n -= 8;
	return hc_xstrndup(s, n);
}

void hc_pin_result_release(struct hc_pin_result *r)
{
	hc_edits_clear(&r->edits);
	hc_findings_release(&r->fixes);
	hc_findings_release(&r->findings);
	memset(r, 0, sizeof(*r));
}

/* A finding "image 'REF' WHAT" at the image. */
static void say(struct hc_pin_result *r, const struct hc_image *im, enum hc_severity sev,
                const char *what)
{
	struct hc_buf msg = HC_BUF_INIT;
	hc_buf_addf(&msg, "image '%s' %s", im->ref, what);
	hc_findings_add(&r->findings, im->pos, sev, HC_IMAGE_LOCK, msg.data);
	hc_buf_release(&msg);
}

/* The first 12 hex digits of a digest, for messages. */
static const char *short_digest(const char *d, char buf[24])
{
	snprintf(buf, 24, "%.19s", d);
	return buf;
}

static void plan_one(struct hc_pin_result *r, const struct hc_image *im, const struct hc_lock *l,
                     const char *lockname)
{
	static const char *const why[] = {
	    [HC_IMG_LATEST] = "is tagged latest: give it a version tag first (a digest under "
	                      "latest hides which version runs)",
	    [HC_IMG_UNTAGGED] = "has no tag: give it a version tag first, then pin it",
	    [HC_IMG_BAD_DIGEST] = "has a digest that is not sha256: and 64 lowercase hex digits",
	    [HC_IMG_ESCAPED] = "is written with escapes, folded lines or as a block scalar: "
	                       "write it on one line, plain or quoted, to pin it",
	};
	char b1[24], b2[24];
	if (im->state == HC_IMG_VARIABLE) {
		say(r, im, HC_NOTE, "holds a variable: left alone (pin the value where it is set)");
		return;
	}
	if (im->state != HC_IMG_OK) {
		say(r, im, HC_ERROR, why[im->state]);
		r->blocking++;
		return;
	}
	const struct hc_lock_entry *e = hc_lock_find(l, im->ref);
	const char *where = lockname;
	char msg[600];
	if (!e) {
		snprintf(msg, sizeof(msg),
		         "is not in %.300s (add a line `name:tag sha256:<digest>`, or run "
		         "hardcompose pin --from-docker)",
		         where);
		say(r, im, HC_ERROR, msg);
		r->blocking++;
		return;
	}
	if (im->digest && !strcmp(im->digest, e->digest))
		return;
	if (im->digest)
		snprintf(msg, sizeof(msg),
		         "image '%.200s' is pinned to %s..., %.200s has %s... (hardcompose pin -w "
		         "updates it)",
		         im->ref, short_digest(im->digest, b1), where, short_digest(e->digest, b2));
	else
		snprintf(
		    msg, sizeof(msg),
		    "image '%.200s' is not pinned: %.200s has %s... (hardcompose pin -w pins it)",
		    im->ref, where, short_digest(e->digest, b2));
	hc_findings_add(&r->fixes, im->pos, HC_ERROR, HC_IMAGE_LOCK, msg);
	r->fixable++;
	size_t rn = strlen(im->ref);
	if (im->digest)
		hc_edits_add(&r->edits, im->vstart + rn + 1, im->vend, e->digest,
		             strlen(e->digest));
	else {
		char pin[80];
		int k = snprintf(pin, sizeof(pin), "@%s", e->digest);
		hc_edits_add(&r->edits, im->vend, im->vend, pin, (size_t)k);
	}
}

void hc_pin_plan(struct hc_pin_result *r, const struct hc_doc *doc, const struct hc_lock *l,
                 const char *lockname)
{
	memset(r, 0, sizeof(*r));
	struct hc_images im;
	hc_images_collect(&im, doc);
	for (size_t i = 0; i < im.n; i++)
		plan_one(r, &im.v[i], l, lockname);
	hc_images_release(&im);
}

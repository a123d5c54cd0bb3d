/*
 * read_only.c: `read_only: true`, with `tmpfs` for the paths the image
 * writes besides its data volume, so nothing can be written into the
 * container's filesystem: a compromised process cannot drop tools or alter
 * binaries (seed 001). Strict profile only.
 *
 * It acts only on evidence: an image whose writable paths the image table
 * lists (`writable:` in profiles/defaults.yml). Any other image (or a
 * service built here) is left alone with a note, unless option `unknown` is
 * `tmpfs` (then the `tmpfs` option's paths stand in for the table's).
 *
 * Paths are compared normalized (`/run/mysqld/` is `/run/mysqld`): no tmpfs
 * is added where a volume or tmpfs already mounts that path (the engine
 * refuses two mounts on one path) or a writable folder above it. An explicit
 * `read_only: false` is the user's choice: kept, and reported as a note.
 * In a file that keeps `version: "3.x"` the tmpfs paths come with a note:
 * swarm ignores a service's `tmpfs` list (docs/transforms.md "Swarm files").
 */
#include "transforms/evidence.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct ro_opts {
	struct hc_strlist fallback;
	char *unknown;
};

static const struct hc_option ro_options[] = {
    {"tmpfs", HC_OPT_LIST, offsetof(struct ro_opts, fallback), "/tmp",
     "tmpfs paths for images not in the image table (with unknown=tmpfs)"},
    {"unknown", HC_OPT_STR, offsetof(struct ro_opts, unknown), "skip",
     "images whose writable paths the table does not list: skip (a note) or tmpfs "
     "(read_only with the tmpfs option's paths)"},
};

/* A mount target: its normalized path, and whether it is read-only. */
struct mount {
	char *path;
	bool ro;
};

struct mounts {
	struct mount *v;
	size_t n;
};

/* path with `//`, `/./` and a trailing `/` folded; caller frees. */
static char *norm_path(const char *p, size_t n)
{
	char *out = hc_xstrndup(p, n);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '/' && w && out[w - 1] == '/')
			continue;
		if (p[i] == '.' && w && out[w - 1] == '/' && (i + 1 == n || p[i + 1] == '/'))
			continue;
		out[w++] = p[i];
	}
	while (w > 1 && out[w - 1] == '/')
		w--;
	out[w] = '\0';
	return out;
}

static void mounts_add(struct mounts *m, const char *p, size_t n, bool ro)
{
	if (!n)
		return;
	m->v = hc_xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->v[m->n].path = norm_path(p, n);
	m->v[m->n++].ro = ro;
}

static void mounts_release(struct mounts *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
}

/* Splits a short volume spec at the colons outside ${...}: up to 3 fields. */
static size_t split_spec(const char *t, size_t n, const char *f[3], size_t fl[3])
{
	size_t k = 0, start = 0;
	int depth = 0;
	for (size_t i = 0; i <= n && k < 3; i++) {
		if (i < n && t[i] == '$' && i + 1 < n && t[i + 1] == '{')
			depth++;
		else if (i < n && t[i] == '}' && depth)
			depth--;
		if (i == n || (t[i] == ':' && !depth)) {
			f[k] = t + start;
			fl[k++] = i - start;
			start = i + 1;
		}
	}
	return k;
}

static bool mode_ro(const char *m, size_t n)
{
	for (size_t i = 0; i + 2 <= n; i++)
		if ((i == 0 || m[i - 1] == ',') && !strncmp(m + i, "ro", 2) &&
		    (i + 2 == n || m[i + 2] == ','))
			return true;
	return false;
}

/* Every mount target of the service: volumes (short and long syntax) and
 * tmpfs (a list or one string). */
static void read_mounts(const struct hc_service *s, struct mounts *m)
{
	struct hc_node *vols = hc_deref(hc_map_lookup(s->value, "volumes", NULL));
	for (size_t i = 0; vols && vols->type == HC_SEQ && i < vols->nkids; i++) {
		struct hc_node *it = hc_deref(vols->kids[i]);
		if (it && it->type == HC_MAP) {
			struct hc_node *t = hc_deref(hc_map_lookup(it, "target", NULL));
			struct hc_node *ro = hc_deref(hc_map_lookup(it, "read_only", NULL));
			if (t && t->type == HC_SCALAR)
				mounts_add(m, t->text, t->len, hc_scalar_is(ro, "true"));
		} else if (it && it->type == HC_SCALAR) {
			const char *f[3];
			size_t fl[3];
			size_t k = split_spec(it->text, it->len, f, fl);
			if (k == 1)
				mounts_add(m, f[0], fl[0], false);
			else if (k == 2 && fl[1] && f[1][0] != '/') /* TARGET:MODE */
				mounts_add(m, f[0], fl[0], mode_ro(f[1], fl[1]));
			else if (k >= 2)
				mounts_add(m, f[1], fl[1], k == 3 && mode_ro(f[2], fl[2]));
		}
	}
	struct hc_node *tmpfs = hc_deref(hc_map_lookup(s->value, "tmpfs", NULL));
	if (tmpfs && tmpfs->type == HC_SCALAR && !hc_is_null(tmpfs)) {
		const char *c = memchr(tmpfs->text, ':', tmpfs->len);
		mounts_add(m, tmpfs->text, c ? (size_t)(c - tmpfs->text) : tmpfs->len, false);
	}
	for (size_t i = 0; tmpfs && tmpfs->type == HC_SEQ && i < tmpfs->nkids; i++) {
		struct hc_node *it = hc_deref(tmpfs->kids[i]);
		if (!it || it->type != HC_SCALAR)
			continue;
		const char *c = memchr(it->text, ':', it->len);
		mounts_add(m, it->text, c ? (size_t)(c - it->text) : it->len, false);
	}
}

/* Whether a path needs no tmpfs: a mount on that very path (a second one
 * would be refused), or a writable mount on a folder above it. */
static bool covered(const struct mounts *m, const char *path)
{
	char *p = norm_path(path, strlen(path));
	size_t n = strlen(p);
	bool yes = false;
	for (size_t i = 0; i < m->n && !yes; i++) {
		size_t k = strlen(m->v[i].path);
		if (k == n && !strcmp(m->v[i].path, p))
			yes = true;
		else if (!m->v[i].ro && k < n && !strncmp(m->v[i].path, p, k) &&
		         (p[k] == '/' || (k == 1 && p[0] == '/')))
			yes = true;
	}
	free(p);
	return yes;
}

static void ro_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct ro_opts *o = opts;
	struct hc_node *cur = hc_deref(hc_map_lookup(s->value, "read_only", NULL));
	if (cur) {
		if (!hc_scalar_is(cur, "true"))
			hc_report(r, cur->start, HC_NOTE,
			          "service \"%s\" sets read_only to %.*s; kept as written", s->name,
			          (int)(cur->len > 20 ? 20 : cur->len), cur->text);
		return;
	}
	struct hc_node *td = hc_deref(hc_map_lookup(s->value, "tmpfs", NULL));
	if (td && td->type != HC_SEQ) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": tmpfs is not a list; add read_only by hand", s->name);
		return;
	}
	/* Compose appends the extended service's tmpfs list to this one's */
	if (hc_left_to_extended(r, s, "read_only and tmpfs", "tmpfs paths"))
		return;
	const struct hc_image_fact *f = hc_service_fact(r, s);
	bool known = f && f->has_writable;
	if (!known && strcmp(o->unknown, "tmpfs") != 0) {
		struct hc_buf img = HC_BUF_INIT;
		hc_image_desc(&img, s);
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": the image table does not list the paths image %s "
		          "writes; read_only not added (it would fail where the image writes). To "
		          "add it: list its writable paths under images: in a profile, --set "
		          "read-only.unknown=tmpfs (tmpfs on the read-only.tmpfs paths), or write "
		          "read_only: true yourself",
		          s->name, img.data);
		hc_buf_release(&img);
		return;
	}
	const struct hc_strlist *paths = known ? &f->writable : &o->fallback;
	struct mounts m = {0};
	read_mounts(s, &m);
	struct hc_strlist missing = {0};
	for (size_t i = 0; i < paths->n; i++)
		if (!covered(&m, paths->v[i]) && !hc_strlist_has(&missing, paths->v[i])) {
			char *p = norm_path(paths->v[i], strlen(paths->v[i]));
			hc_strlist_push(&missing, p, strlen(p));
			free(p);
		}
	mounts_release(&m);
	struct hc_val *ro = hc_val_raw("true");
	int rc = hc_add_pair(r, s->key, s->value, "read_only", ro);
	hc_val_free(ro);
	if (rc != 0) {
		hc_strlist_release(&missing);
		return;
	}
	hc_service_change(r, s, "read_only", "service \"%s\": add read_only: true", s->name);
	if (missing.n && hc_list_ensure_all(r, s, "tmpfs", &missing) == 0) {
		struct hc_buf names = HC_BUF_INIT;
		hc_join(&names, &missing);
		hc_service_change(r, s, "tmpfs", "service \"%s\": add tmpfs %s (%s)", s->name,
		                  names.data,
		                  known ? "paths its image writes"
		                        : "read-only.unknown=tmpfs: image not in the table");
		if (hc_swarm_minor(r->doc) >= 0)
			hc_report(
			    r, s->key->start, HC_NOTE,
			    "service \"%s\": this file keeps a 3.x version key, and `docker "
			    "stack deploy` ignores a service's tmpfs list: under swarm %s stay "
			    "read-only. For swarm, mount them as volumes of type: tmpfs "
			    "(version 3.2 or later)",
			    s->name, names.data);
		hc_buf_release(&names);
	}
	hc_strlist_release(&missing);
}

const struct hc_transform hc_t_read_only = {
    .id = "read-only",
    .summary = "read-only root filesystem (read_only: true) for images whose writable paths "
               "are known, with tmpfs there",
    .options = ro_options,
    .nopts = sizeof(ro_options) / sizeof(ro_options[0]),
    .opts_size = sizeof(struct ro_opts),
    .service = ro_service,
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

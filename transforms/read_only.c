/*
 * read_only.c: `read_only: true`, with `tmpfs` for the paths the image
 * writes besides its data volume (the image table's `writable`, /tmp for an
 * image not in the table), so nothing can be written into the container's
 * filesystem: a compromised process cannot drop tools or alter binaries
 * (seed 001). Strict profile only: an image that writes somewhere the table
 * does not know fails to start, which a reviewer should see.
 *
 * Paths already mounted (volumes, tmpfs) are not added again. An explicit
 * `read_only: false` is the user's choice: kept, and reported as a note.
 */
#include "transform.h"

#include <stddef.h>
#include <string.h>

struct ro_opts {
	struct hc_strlist fallback;
};

static const struct hc_option ro_options[] = {
    {"tmpfs", HC_OPT_LIST, offsetof(struct ro_opts, fallback), "/tmp",
     "tmpfs paths for images not in the image table"},
};

/* Whether a path is already a mount target of the service. */
static bool mounted(const struct hc_service *s, const char *path)
{
	size_t n = strlen(path);
	const char *keys[] = {"volumes", "tmpfs"};
	for (size_t k = 0; k < 2; k++) {
		struct hc_node *l = hc_deref(hc_map_lookup(s->value, keys[k], NULL));
		if (l && l->type == HC_SCALAR && !strncmp(l->text, path, n) &&
		    (l->len == n || l->text[n] == ':'))
			return true;
		for (size_t i = 0; l && l->type == HC_SEQ && i < l->nkids; i++) {
			struct hc_node *it = hc_deref(l->kids[i]);
			if (it && it->type == HC_MAP)
				it = hc_deref(hc_map_lookup(it, "target", NULL));
			if (!it || it->type != HC_SCALAR)
				continue;
			/* short syntax: [SOURCE:]TARGET[:MODE]; tmpfs: PATH[:OPTIONS] */
			const char *t = it->text;
			for (const char *p = t; p; p = strchr(p, ':')) {
				if (*p == ':')
					p++;
				if (!strncmp(p, path, n) && (p[n] == '\0' || p[n] == ':'))
					return true;
				if (k == 1)
					break; /* tmpfs: only the first field is a path */
			}
		}
	}
	return false;
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
	struct hc_node *tmpfs = hc_map_lookup(s->value, "tmpfs", NULL);
	struct hc_node *td = hc_deref(tmpfs);
	if (td && td->type != HC_SEQ) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": tmpfs is not a list; add read_only by hand", s->name);
		return;
	}
	struct hc_node *img = hc_deref(hc_map_lookup(s->value, "image", NULL));
	const struct hc_image_fact *f =
	    img && img->type == HC_SCALAR ? hc_image_fact(r->classes, img->text, img->len) : NULL;
	const struct hc_strlist *paths = f ? &f->writable : &o->fallback;
	struct hc_val *ro = hc_val_raw("true");
	int rc = hc_add_pair(r, s->key, s->value, "read_only", ro);
	hc_val_free(ro);
	if (rc != 0)
		return;
	hc_service_change(r, s, "read_only", "service \"%s\": add read_only: true", s->name);
	struct hc_strlist missing = {0};
	for (size_t i = 0; i < paths->n; i++)
		if (!mounted(s, paths->v[i]))
			hc_strlist_push(&missing, paths->v[i], strlen(paths->v[i]));
	if (missing.n) {
		rc = hc_list_ensure_all(r, s, "tmpfs", &missing);
		if (rc == 0) {
			struct hc_buf names = HC_BUF_INIT;
			hc_join(&names, &missing);
			hc_service_change(r, s, "tmpfs", "service \"%s\": add tmpfs %s (%s)",
			                  s->name, names.data,
			                  f ? "paths its image writes" : "image not in the table");
			hc_buf_release(&names);
		}
	}
	hc_strlist_release(&missing);
}

const struct hc_transform hc_t_read_only = {
    .id = "read-only",
    .summary = "read-only root filesystem (read_only: true) with tmpfs where the image writes",
    .options = ro_options,
    .nopts = sizeof(ro_options) / sizeof(ro_options[0]),
    .opts_size = sizeof(struct ro_opts),
    .service = ro_service,
};

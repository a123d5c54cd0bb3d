/*
 * registry.c: every transform, in the order they run. Keys are added by
 * earlier transforms before later ones, so this order is also the order new
 * keys appear in a service. See transform.h for how to add one.
 */
#include "transforms/transform.h"

#include <string.h>
#include <stdlib.h>
#include <strings.h>

extern const struct hc_transform hc_t_init;
extern const struct hc_transform hc_t_no_new_privileges;
extern const struct hc_transform hc_t_cap_drop;
extern const struct hc_transform hc_t_drop_version;
extern const struct hc_transform hc_t_logging;
extern const struct hc_transform hc_t_restart_policy;
extern const struct hc_transform hc_t_healthcheck_start_period;
extern const struct hc_transform hc_t_stop_grace_period;
extern const struct hc_transform hc_t_resource_limits;
extern const struct hc_transform hc_t_read_only;
extern const struct hc_transform hc_t_secrets;
extern const struct hc_transform hc_t_extension_anchors;
extern const struct hc_transform hc_t_extension_blocks;
extern const struct hc_transform hc_t_bind_localhost;

/* clang-format off */
const struct hc_transform *const hc_transforms[] = {
	&hc_t_drop_version, /* first: the others see `version:` only when it stays */
	&hc_t_init,
	&hc_t_no_new_privileges,
	&hc_t_cap_drop,
	&hc_t_logging,
	&hc_t_resource_limits,
	&hc_t_restart_policy,
	&hc_t_healthcheck_start_period,
	&hc_t_stop_grace_period,
	&hc_t_bind_localhost,
	&hc_t_read_only,
	&hc_t_secrets,
	&hc_t_extension_anchors,
	&hc_t_extension_blocks,
};
/* clang-format on */

const size_t hc_ntransforms = sizeof(hc_transforms) / sizeof(hc_transforms[0]);

int hc_transform_find(const char *id)
{
	for (size_t i = 0; i < hc_ntransforms; i++)
		if (!strcmp(hc_transforms[i]->id, id))
			return (int)i;
	return -1;
}

bool hc_seq_has(struct hc_node *seq, const char *s)
{
	seq = hc_deref(seq);
	if (!seq || seq->type != HC_SEQ)
		return false;
	size_t n = strlen(s);
	for (size_t i = 0; i < seq->nkids; i++) {
		struct hc_node *it = hc_deref(seq->kids[i]);
		if (it && it->type == HC_SCALAR && it->len == n && !strncasecmp(it->text, s, n))
			return true;
	}
	return false;
}

/*
 * Makes the list at key `key` of service s contain item (already rendered as
 * it must be written). Three cases: no such key (add `key:` with one item),
 * an explicit list (append in its style), or a list inherited through a merge
 * (the service gets its own list: the merged items, then the new one).
 * Returns 0 when an edit was proposed.
 */
int hc_list_ensure(struct hc_run *r, const struct hc_service *s, const char *key, const char *item)
{
	bool explicit;
	struct hc_node *cur = hc_map_lookup(s->value, key, &explicit);
	struct hc_node *owner = NULL;
	int rc = -1;
	if (explicit) {
		hc_map_get(s->value, key, &owner);
		struct hc_val *it = hc_val_raw(item);
		rc = hc_seq_append(r, owner, cur, it);
		hc_val_free(it);
		return rc;
	}
	struct hc_val *list = hc_val_seq();
	struct hc_node *merged = hc_deref(cur);
	if (merged && merged->type == HC_SEQ) {
		for (size_t i = 0; i < merged->nkids; i++) {
			struct hc_node *x = merged->kids[i];
			if (x->type != HC_SCALAR || x->style > HC_DOUBLE) {
				hc_val_free(list);
				return -1;
			}
			char *raw = hc_text_dup(r->doc, x->start, x->end);
			hc_val_push(list, hc_val_raw(raw));
			free(raw);
		}
	} else if (merged && !hc_is_null(merged)) {
		hc_val_free(list);
		return -1;
	}
	hc_val_push(list, hc_val_raw(item));
	rc = hc_add_pair(r, s->key, s->value, key, list);
	hc_val_free(list);
	return rc;
}

enum hc_class hc_service_class(const struct hc_run *r, const struct hc_service *s)
{
	struct hc_node *img = hc_service_lookup(s, "image");
	if (!img || img->type != HC_SCALAR)
		return HC_CLASS_APP;
	return hc_image_class(r->classes, img->text, img->len);
}

int hc_list_ensure_all(struct hc_run *r, const struct hc_service *s, const char *key,
                       const struct hc_strlist *items)
{
	if (!hc_map_lookup(s->value, key, NULL)) {
		struct hc_val *list = hc_val_seq();
		for (size_t i = 0; i < items->n; i++)
			hc_val_push(list, hc_val_str(items->v[i]));
		int rc = hc_add_pair(r, s->key, s->value, key, list);
		hc_val_free(list);
		return rc;
	}
	int rc = 0;
	for (size_t i = 0; i < items->n && rc == 0; i++) {
		struct hc_val *it = hc_val_str(items->v[i]);
		rc = hc_list_ensure(r, s, key, it->text);
		hc_val_free(it);
	}
	return rc;
}

void hc_join(struct hc_buf *b, const struct hc_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		hc_buf_addf(b, "%s%s", i ? ", " : "", l->v[i]);
}

struct hc_node *hc_own_value(const struct hc_service *s, const char *key, struct hc_node **keyp)
{
	struct hc_node *k = NULL;
	struct hc_node *v = hc_map_get(hc_deref(s->value), key, &k);
	if (!v || v->type == HC_ALIAS)
		return NULL;
	if (keyp)
		*keyp = k;
	return v;
}

bool hc_other_seq_has(const struct hc_service *s, const char *key, const char *item)
{
	size_t it = 0;
	for (struct hc_node *o; (o = hc_service_other(s, key, &it));)
		if (hc_seq_has(o, item))
			return true;
	return false;
}

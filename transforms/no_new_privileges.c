/*
 * no_new_privileges.c: `security_opt` holds `no-new-privileges:true`, so no
 * process in the container can gain privileges through setuid binaries.
 * Docker accepts `no-new-privileges`, `no-new-privileges:true` and
 * `no-new-privileges=true`; any of them counts. An explicit `:false` is kept
 * and reported as a note. A service that extends another of the same file
 * inherits the entry (or the opt-out) from it, with a note.
 */
#include "transform.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

struct nnp_opts {
	char *value;
};

static const struct hc_option nnp_options[] = {
    {"value", HC_OPT_STR, offsetof(struct nnp_opts, value), "no-new-privileges:true",
     "the security_opt entry to add"},
};

/* 1 enabled, 0 explicitly disabled, -1 absent */
static int nnp_state(struct hc_node *seq, size_t *pos)
{
	seq = hc_deref(seq);
	if (!seq || seq->type != HC_SEQ)
		return -1;
	static const char pfx[] = "no-new-privileges";
	for (size_t i = 0; i < seq->nkids; i++) {
		struct hc_node *it = hc_deref(seq->kids[i]);
		if (!it || it->type != HC_SCALAR || it->len < sizeof(pfx) - 1 ||
		    strncasecmp(it->text, pfx, sizeof(pfx) - 1))
			continue;
		const char *rest = it->text + sizeof(pfx) - 1;
		size_t rl = it->len - (sizeof(pfx) - 1);
		if (rl == 0)
			return 1;
		if (*rest != ':' && *rest != '=')
			continue;
		rest++, rl--;
		while (rl && *rest == ' ')
			rest++, rl--;
		*pos = it->start;
		if (rl == 4 && !strncasecmp(rest, "true", 4))
			return 1;
		return 0;
	}
	return -1;
}

/*
 * The service of this file that s extends (`extends: NAME`, or `extends:
 * {service: NAME}` without `file:`), or NULL.
 */
static struct hc_node *extended_here(const struct hc_run *r, const struct hc_service *s,
                                     struct hc_node **name)
{
	struct hc_node *ext = hc_deref(hc_map_lookup(s->value, "extends", NULL));
	if (ext && ext->type == HC_MAP) {
		if (hc_map_lookup(ext, "file", NULL))
			return NULL;
		ext = hc_deref(hc_map_lookup(ext, "service", NULL));
	}
	if (!ext || ext->type != HC_SCALAR || !r->doc->root)
		return NULL;
	struct hc_node *svcs = hc_deref(hc_map_lookup(r->doc->root, "services", NULL));
	if (!svcs || svcs->type != HC_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *k = svcs->kids[i];
		if (k->type == HC_SCALAR && k->len == ext->len &&
		    !memcmp(k->text, ext->text, k->len)) {
			*name = k;
			return hc_deref(svcs->kids[i + 1]);
		}
	}
	return NULL;
}

static void nnp_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct nnp_opts *o = opts;
	struct hc_node *cur = hc_map_lookup(s->value, "security_opt", NULL);
	size_t pos = s->key->start;
	int st = nnp_state(cur, &pos);
	if (st == 1)
		return;
	if (st == 0) {
		hc_report(r, pos, HC_NOTE,
		          "service \"%s\" disables no-new-privileges; kept as written", s->name);
		return;
	}
	/* Compose appends the security_opt of an extended service to the
	 * extending one's and then refuses the duplicate: the entry is given
	 * where it is inherited from (this transform adds it there too). */
	struct hc_node *base_name = NULL;
	struct hc_node *base = extended_here(r, s, &base_name);
	size_t bpos = 0;
	if (base) {
		bool off = nnp_state(hc_map_lookup(base, "security_opt", NULL), &bpos) == 0;
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\" extends \"%.*s\" and inherits %s from it: Compose merges "
		          "security_opt lists and refuses a second entry",
		          s->name, (int)(base_name->len > 80 ? 80 : base_name->len),
		          base_name->text,
		          off ? "its opt-out of no-new-privileges" : "no-new-privileges");
		return;
	}
	struct hc_val *item = hc_val_str(o->value);
	if (hc_list_ensure(r, s, "security_opt", item->text) == 0)
		hc_service_change(r, s, "security_opt", "service \"%s\": add %s to security_opt",
		                  s->name, o->value);
	else
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": security_opt is not a list; add %s by hand", s->name,
		          o->value);
	hc_val_free(item);
}

const struct hc_transform hc_t_no_new_privileges = {
    .id = "no-new-privileges",
    .summary =
        "forbid privilege gain through setuid binaries (security_opt: no-new-privileges:true)",
    .options = nnp_options,
    .nopts = sizeof(nnp_options) / sizeof(nnp_options[0]),
    .opts_size = sizeof(struct nnp_opts),
    .service = nnp_service,
    .batch = true,
};

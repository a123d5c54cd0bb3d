/*
 * no_new_privileges.c: `security_opt` holds `no-new-privileges:true`, so no
 * process in the container can gain privileges through setuid binaries.
 * Docker accepts `no-new-privileges`, `no-new-privileges:true` and
 * `no-new-privileges=true`; any of them counts. An explicit `:false` is kept
 * and reported as a note. A service that extends another gets the entry (or
 * the opt-out) from there, with a note, as cap-drop and read-only do.
 */
#include "transforms/evidence.h"
#include "transforms/transform.h"

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

static void nnp_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct nnp_opts *o = opts;
	struct hc_node *cur = hc_map_lookup(s->value, "security_opt", NULL);
	size_t pos = s->key->start;
	int st = nnp_state(cur, &pos);
	/* a project's other files count: Compose appends their security_opt
	 * and refuses an item twice */
	size_t it = 0, opos = 0;
	int other = -1;
	for (struct hc_node *so; other == -1 && (so = hc_service_other(s, "security_opt", &it));)
		other = nnp_state(so, &opos);
	if (st == -1 && other != -1)
		return; /* set in another file (an opt-out is noted there) */
	if (st == 1)
		return;
	if (st == 0) {
		hc_report(r, pos, HC_NOTE,
		          "service \"%s\" disables no-new-privileges; kept as written", s->name);
		return;
	}
	/* Compose appends the extended service's security_opt to this one's: the
	 * entry (or the opt-out) is given where it is inherited from */
	if (hc_left_to_extended(r, s, "its security_opt", "no-new-privileges"))
		return;
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

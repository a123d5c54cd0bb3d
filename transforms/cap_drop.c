/*
 * cap_drop.c: `cap_drop` contains ALL, so the container starts with no
 * Linux capabilities beyond those `cap_add` grants back. An existing
 * `cap_add` is kept: Docker applies cap_drop first, then cap_add.
 *
 * What comes back depends on the evidence (option `image-aware`):
 *   - a service whose `user:` is not root: nothing (no step-down to do);
 *   - an image the table knows (`cap_add:` in profiles/defaults.yml): its
 *     list, e.g. postgres's CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID;
 *   - any other image (or a service built here) running as root: option
 *     `unknown` decides. `default-minus-risky` (the default) adds Docker's
 *     default capabilities except the risky ones, because root entrypoints
 *     commonly chown their data and step down with gosu, su-exec or
 *     s6-setuidgid and fail without CHOWN, SETUID and SETGID; `all` adds
 *     nothing; `skip` leaves the service without cap_drop. Each gets a note.
 * Capabilities the service itself lists under cap_drop are never added back.
 */
#include "transforms/evidence.h"

#include <stddef.h>
#include <string.h>

struct cap_drop_opts {
	bool image_aware;
	char *unknown;
};

static const struct hc_option cap_drop_options[] = {
    {"image-aware", HC_OPT_BOOL, offsetof(struct cap_drop_opts, image_aware), "true",
     "add the cap_add the image table lists for the service's image"},
    {"unknown", HC_OPT_STR, offsetof(struct cap_drop_opts, unknown), "default-minus-risky",
     "images not in the table, running as root: default-minus-risky (cap_add Docker's "
     "defaults but NET_RAW, MKNOD, AUDIT_WRITE, SETFCAP, SETPCAP, SYS_CHROOT), all (nothing "
     "back) or skip (no cap_drop)"},
};

/* Docker's default capability set (moby oci/caps/defaults.go) without
 * NET_RAW, MKNOD, AUDIT_WRITE, SETFCAP, SETPCAP and SYS_CHROOT. */
static const char *const default_minus_risky[] = {
    "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "NET_BIND_SERVICE",
};

/* Adds the capabilities of `caps` that cap_add lacks and the service does
 * not drop by name itself. */
static void add_caps(struct hc_run *r, const struct hc_service *s, const char *const *caps,
                     size_t n, const char *why)
{
	struct hc_node *cur = hc_map_lookup(s->value, "cap_add", NULL);
	struct hc_node *drop = hc_map_lookup(s->value, "cap_drop", NULL);
	struct hc_strlist missing = {0};
	for (size_t i = 0; i < n; i++)
		if (!hc_seq_has(cur, caps[i]) && !hc_seq_has(cur, "ALL") &&
		    !hc_seq_has(drop, caps[i]) && !hc_other_seq_has(s, "cap_add", caps[i]) &&
		    !hc_other_seq_has(s, "cap_add", "ALL") &&
		    !hc_other_seq_has(s, "cap_drop", caps[i]))
			hc_strlist_push(&missing, caps[i], strlen(caps[i]));
	if (missing.n && hc_list_ensure_all(r, s, "cap_add", &missing) == 0) {
		struct hc_buf names = HC_BUF_INIT;
		hc_join(&names, &missing);
		hc_service_change(r, s, "cap_add", "service \"%s\": add %s to cap_add (%s)",
		                  s->name, names.data, why);
		hc_buf_release(&names);
	}
	hc_strlist_release(&missing);
}

static void cap_drop_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct cap_drop_opts *o = opts;
	struct hc_node *cur = hc_map_lookup(s->value, "cap_drop", NULL);
	/* a project's other files count: Compose appends their cap_drop */
	if (hc_seq_has(cur, "ALL") || hc_other_seq_has(s, "cap_drop", "ALL"))
		return;
	/* Compose appends the extended service's cap_drop and cap_add */
	if (hc_left_to_extended(r, s, "its cap_drop and cap_add", "every item"))
		return;
	bool by_default;
	enum hc_user user = hc_service_user(s, &by_default);
	if (by_default && o->image_aware)
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": user: is read as its variables' defaults (%s); "
		          "if .env or the environment sets another user, check cap_add",
		          s->name,
		          user == HC_USER_ROOT    ? "root"
		          : user == HC_USER_OTHER ? "not root"
		                                  : "unset");
	const struct hc_image_fact *f = o->image_aware ? hc_service_fact(r, s) : NULL;
	bool unknown = o->image_aware && user != HC_USER_OTHER && !(f && f->has_caps);
	struct hc_buf img = HC_BUF_INIT;
	hc_image_desc(&img, s);
	hc_buf_adds(&img, f ? " has no cap_add in the image table" : " is not in the image table");
	if (unknown && !strcmp(o->unknown, "skip")) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": image %s and %s root; cap_drop "
		          "not added (cap-drop.unknown=skip). Give the image its cap_add under "
		          "images: in a profile, or set user:",
		          s->name, img.data, user == HC_USER_VARIABLE ? "may run as" : "runs as");
		hc_buf_release(&img);
		return;
	}
	if (hc_list_ensure(r, s, "cap_drop", "ALL") != 0) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": cap_drop is not a list; add ALL by hand", s->name);
		hc_buf_release(&img);
		return;
	}
	hc_service_change(r, s, "cap_drop", "service \"%s\": add ALL to cap_drop", s->name);
	if (!o->image_aware || user == HC_USER_OTHER) {
		/* a non-root user: the entrypoint has no privileges to drop */
	} else if (!unknown) {
		add_caps(r, s, (const char *const *)f->cap_add.v, f->cap_add.n,
		         "its image needs them after cap_drop ALL");
	} else if (!strcmp(o->unknown, "all")) {
		hc_report(r, s->key->start, HC_NOTE,
		          "service \"%s\": image %s; nothing added to "
		          "cap_add (cap-drop.unknown=all): check that it starts, or give the image "
		          "its cap_add under images: in a profile",
		          s->name, img.data);
	} else {
		add_caps(
		    r, s, default_minus_risky,
		    sizeof(default_minus_risky) / sizeof(default_minus_risky[0]),
		    "Docker's defaults but the risky ones: the image table does not list its own");
		hc_report(
		    r, s->key->start, HC_NOTE,
		    "service \"%s\": image %s and %s root: cap_add "
		    "keeps Docker's default capabilities except NET_RAW, MKNOD, AUDIT_WRITE, "
		    "SETFCAP, SETPCAP and SYS_CHROOT, since root entrypoints often chown their "
		    "data and step down (gosu, su-exec). To tighten: give the image its "
		    "cap_add under images: in a profile, set user: to a non-root user, or "
		    "--set cap-drop.unknown=all",
		    s->name, img.data, user == HC_USER_VARIABLE ? "may run as" : "runs as");
	}
	hc_buf_release(&img);
}

const struct hc_transform hc_t_cap_drop = {
    .id = "cap-drop",
    .summary = "drop every Linux capability (cap_drop: [ALL]); give back what the image needs",
    .options = cap_drop_options,
    .nopts = sizeof(cap_drop_options) / sizeof(cap_drop_options[0]),
    .opts_size = sizeof(struct cap_drop_opts),
    .service = cap_drop_service,
    .batch = true,
};

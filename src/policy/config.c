/*
 * config.c: .hardcompose.yml. See config.h and docs/config.md.
 *
 *   profile: production            # built-in name, or a path from this file
 *   enable: [bind-localhost]       # transforms or rules
 *   disable: [no-healthcheck]
 *   rules: {ports-all-interfaces: note}
 *   set: {logging.max-size: 50m}   # ID.OPTION: VALUE
 *   services:
 *     legacy: {disable: [cap-drop, read-only]}
 */
#define _XOPEN_SOURCE 700
#include "policy/config.h"
#include "base/io.h"
#include "base/suggest.h"
#include "engine/engine.h"
#include "yaml/tree.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *hc_config_find(const char *dir)
{
	char *d = realpath(dir, NULL);
	if (!d)
		return NULL;
	for (;;) {
		static const char *const names[] = {".hardcompose.yml", ".hardcompose.yaml", NULL};
		for (size_t i = 0; names[i]; i++) {
			struct hc_buf p = HC_BUF_INIT;
			hc_buf_addf(&p, "%s/%s", strcmp(d, "/") ? d : "", names[i]);
			if (access(p.data, F_OK) == 0) {
				free(d);
				size_t len;
				return hc_buf_detach(&p, &len);
			}
			hc_buf_release(&p);
		}
		struct hc_buf g = HC_BUF_INIT;
		hc_buf_addf(&g, "%s/.git", strcmp(d, "/") ? d : "");
		bool repo_root = access(g.data, F_OK) == 0;
		hc_buf_release(&g);
		if (repo_root || !strcmp(d, "/"))
			break;
		char *up = hc_dirname(d);
		free(d);
		d = up;
	}
	free(d);
	return NULL;
}

static int each_id(struct hc_config *c, struct hc_node *list, bool on, const char *where,
                   struct hc_buf *err)
{
	list = hc_deref(list);
	if (!list)
		return 0;
	if (list->type != HC_SEQ) {
		hc_buf_addf(err, "%s: enable and disable take a list of ids", where);
		return -1;
	}
	for (size_t i = 0; i < list->nkids; i++) {
		struct hc_node *it = hc_deref(list->kids[i]);
		if (!it || it->type != HC_SCALAR)
			continue;
		struct hc_buf e = HC_BUF_INIT;
		if (hc_config_enable(c, it->text, on, &e) < 0) {
			hc_buf_addf(err, "%s: %s", where, e.data);
			hc_buf_release(&e);
			return -1;
		}
	}
	return 0;
}

/* services: {NAME: {disable: [ids]}}: NAME joins those ids' exclude lists */
static int per_service(struct hc_config *c, struct hc_node *m, const char *where,
                       struct hc_buf *err)
{
	m = hc_deref(m);
	if (!m)
		return 0;
	if (m->type != HC_MAP) {
		hc_buf_addf(err, "%s: services is a mapping of service names", where);
		return -1;
	}
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct hc_node *svc = m->kids[i], *v = hc_deref(m->kids[i + 1]);
		struct hc_node *dis = hc_deref(hc_map_get(v, "disable", NULL));
		for (size_t k = 0; dis && dis->type == HC_SEQ && k < dis->nkids; k++) {
			struct hc_node *id = hc_deref(dis->kids[k]);
			if (!id || id->type != HC_SCALAR)
				continue;
			int r = hc_rule_find(id->text), t = hc_transform_find(id->text);
			if (r < 0 && t < 0) {
				hc_buf_addf(err, "%s: services: %s: unknown transform or rule '%s'",
				            where, svc->text, id->text);
				struct hc_closest near = HC_CLOSEST_INIT(id->text);
				for (size_t q = 0; q < hc_nrules; q++)
					hc_closest_try(&near, hc_rules[q].id);
				for (size_t q = 0; q < hc_ntransforms; q++)
					hc_closest_try(&near, hc_transforms[q]->id);
				hc_closest_add(err, &near);
				return -1;
			}
			struct hc_strlist *ex = r >= 0 ? &c->r[r].exclude : &c->t[t].exclude;
			hc_strlist_push(ex, svc->text, svc->len);
		}
	}
	return 0;
}

/* Reads and parses the configuration file at cfgpath into doc and checks
 * its settings' names. 0, -1 with nothing to release (doc not parsed), or
 * -2 with doc parsed and an error in err. */
static int load_file(const char *cfgpath, struct hc_buf *text, struct hc_doc *doc,
                     struct hc_buf *err)
{
	struct hc_diag d = HC_DIAG_INIT;
	if (hc_read_file(cfgpath, text, &d) < 0) {
		hc_diag_format(err, &d);
		hc_diag_release(&d);
		return -1;
	}
	struct hc_error e;
	if (hc_doc_parse(doc, text->data ? text->data : "", text->len, &e) < 0) {
		hc_buf_addf(err, "%s:%d:%d: %s", cfgpath, e.line, e.col, e.msg);
		return -1;
	}
	if (doc->root && doc->root->type != HC_MAP) {
		hc_buf_addf(err, "%s: the configuration is a mapping", cfgpath);
		return -2;
	}
	static const char *const known[] = {"profile", "enable",   "disable", "rules",
	                                    "set",     "services", NULL};
	struct hc_node *root = doc->root;
	for (size_t i = 0; root && i + 1 < root->nkids; i += 2) {
		bool ok = false;
		for (size_t k = 0; known[k]; k++)
			ok |= hc_scalar_is(root->kids[i], known[k]);
		if (!ok) {
			hc_buf_addf(
			    err,
			    "%s: unknown setting '%s' (profile, enable, disable, rules, set, "
			    "services)",
			    cfgpath, root->kids[i]->text);
			struct hc_closest near = HC_CLOSEST_INIT(root->kids[i]->text);
			hc_closest_list(&near, known);
			hc_closest_add(err, &near);
			return -2;
		}
	}
	return 0;
}

/* The file's `rules:` and `set:` settings. */
static int rules_and_sets(struct hc_config *c, struct hc_node *root, const char *cfgpath,
                          struct hc_buf *err)
{
	int rc = 0;
	struct hc_node *rl = hc_deref(hc_map_get(root, "rules", NULL));
	for (size_t i = 0; rc == 0 && rl && rl->type == HC_MAP && i + 1 < rl->nkids; i += 2) {
		struct hc_node *v = hc_deref(rl->kids[i + 1]);
		struct hc_buf e = HC_BUF_INIT;
		if (hc_config_rule(c, rl->kids[i]->text, v && v->type == HC_SCALAR ? v->text : "?",
		                   &e) < 0) {
			hc_buf_addf(err, "%s: %s", cfgpath, e.data);
			rc = -1;
		}
		hc_buf_release(&e);
	}
	struct hc_node *set = hc_deref(hc_map_get(root, "set", NULL));
	for (size_t i = 0; rc == 0 && set && set->type == HC_MAP && i + 1 < set->nkids; i += 2) {
		struct hc_buf e = HC_BUF_INIT;
		if (hc_config_set_value(c, set->kids[i]->text, set->kids[i + 1], &e) < 0) {
			hc_buf_addf(err, "%s: %s", cfgpath, e.data);
			rc = -1;
		}
		hc_buf_release(&e);
	}
	return rc;
}

/* The command line's --enable, --disable, --set and --rule, in order. */
static int apply_acts(struct hc_config *c, const struct hc_act *acts, int nacts, struct hc_buf *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < nacts; i++) {
		if (acts[i].op == 's') {
			rc = hc_config_set(c, acts[i].arg, err);
		} else if (acts[i].op == 'r') {
			const char *eq = strchr(acts[i].arg, '=');
			if (!eq) {
				hc_buf_addf(err, "--rule takes ID=SEVERITY, not '%s'", acts[i].arg);
				rc = -1;
			} else {
				char *id = hc_xstrndup(acts[i].arg, (size_t)(eq - acts[i].arg));
				rc = hc_config_rule(c, id, eq + 1, err);
				free(id);
			}
		} else {
			rc = hc_config_enable(c, acts[i].arg, acts[i].op == 'e', err);
		}
	}
	return rc;
}

static int build(struct hc_config *c, const char *cfgpath, const char *profile, bool profile_given,
                 const struct hc_act *acts, int nacts, struct hc_buf *err)
{
	hc_config_init(c);
	struct hc_buf text = HC_BUF_INIT;
	struct hc_doc doc;
	int rc = cfgpath ? load_file(cfgpath, &text, &doc, err) : 0;
	bool have = cfgpath && rc != -1;
	if (rc == -1) {
		hc_buf_release(&text);
		return -1;
	}
	struct hc_node *root = have && rc == 0 ? doc.root : NULL;
	/* the profile: the command line's, the file's, or baseline */
	struct hc_node *pn = root ? hc_deref(hc_map_get(root, "profile", NULL)) : NULL;
	struct hc_buf pp = HC_BUF_INIT;
	if (!profile_given && pn && pn->type == HC_SCALAR && !hc_is_null(pn)) {
		if (strchr(pn->text, '/') && pn->text[0] != '/') {
			char *dir = hc_dirname(cfgpath);
			hc_buf_addf(&pp, "%s/%s", dir, pn->text);
			free(dir);
		} else {
			hc_buf_adds(&pp, pn->text);
		}
		profile = pp.data;
	}
	if (rc == 0 && profile == pp.data && pp.data) {
		/* the file's profile: its error names the file */
		struct hc_buf e = HC_BUF_INIT;
		rc = hc_config_load_profile(c, profile, &e);
		if (rc < 0)
			hc_buf_addf(err, "%s: %s", cfgpath, e.data ? e.data : "");
		hc_buf_release(&e);
	} else if (rc == 0) {
		rc = hc_config_load_profile(c, profile ? profile : "baseline", err);
	}
	if (rc == 0 && root) {
		rc = each_id(c, hc_map_get(root, "enable", NULL), true, cfgpath, err);
		if (rc == 0)
			rc = each_id(c, hc_map_get(root, "disable", NULL), false, cfgpath, err);
		if (rc == 0)
			rc = rules_and_sets(c, root, cfgpath, err);
		if (rc == 0)
			rc = per_service(c, hc_map_get(root, "services", NULL), cfgpath, err);
	}
	if (rc == 0)
		rc = apply_acts(c, acts, nacts, err);
	hc_buf_release(&pp);
	if (have)
		hc_doc_release(&doc);
	hc_buf_release(&text);
	return rc < 0 ? -1 : 0;
}

int hc_config_build(struct hc_config *c, const char *cfgpath, const char *profile,
                    bool profile_given, const struct hc_act *acts, int nacts, struct hc_diag *err)
{
	struct hc_buf e = HC_BUF_INIT;
	int rc = build(c, cfgpath, profile, profile_given, acts, nacts, &e);
	if (rc < 0)
		hc_diag_set(err, HC_EXIT_USAGE, NULL, 0, 0, "%s", e.data ? e.data : "");
	else /* complete now, and shared read-only by the workers from here on */
		hc_classes_index(&c->classes);
	hc_buf_release(&e);
	return rc;
}

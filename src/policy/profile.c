/*
 * profile.c: profiles and options. Options are data (struct hc_option): one
 * parser per type serves profiles and --set alike.
 */
#include "policy/profile.h"
#include "base/io.h"
#include "base/suggest.h"
#include "yaml/tree.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define list_free hc_strlist_release
#define list_push hc_strlist_push

/* Comma-separated list from a string. */
static void list_parse(struct hc_strlist *l, const char *s)
{
	list_free(l);
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n && *s == ' ')
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		if (n)
			list_push(l, s, n);
		if (!e)
			break;
		s = e + 1;
	}
}

static const struct hc_option exclude_opt = {
    "exclude", HC_OPT_LIST, 0, "", "services this transform skips (comma-separated)",
};

static const struct hc_option *find_opt(const struct hc_transform *t, const char *name)
{
	if (!strcmp(name, "exclude"))
		return &exclude_opt;
	for (size_t i = 0; i < t->nopts; i++)
		if (!strcmp(t->options[i].name, name))
			return &t->options[i];
	return NULL;
}

static void *opt_slot(struct hc_tconf *tc, const struct hc_option *o)
{
	if (o == &exclude_opt)
		return &tc->exclude;
	return (char *)tc->opts + o->offset;
}

/* String options that take one of a few values: "a|b|c". */
static const struct {
	const char *tid, *name, *choices;
} opt_choices[] = {
    {"cap-drop", "unknown", "default-minus-risky|all|skip"},
    {"read-only", "unknown", "skip|tmpfs"},
    {"secrets", "target", "file|external"},
};

static const char *choices_of(const struct hc_transform *t, const struct hc_option *o)
{
	for (size_t i = 0; i < sizeof(opt_choices) / sizeof(opt_choices[0]); i++)
		if (!strcmp(opt_choices[i].tid, t->id) && !strcmp(opt_choices[i].name, o->name))
			return opt_choices[i].choices;
	return NULL;
}

/* Whether val is one of "a|b|c". */
static bool choice_ok(const char *choices, const char *val)
{
	size_t n = strlen(val);
	for (const char *c = choices; c; c = strchr(c, '|'), c = c ? c + 1 : NULL)
		if (!strncmp(c, val, n) && (c[n] == '|' || c[n] == '\0'))
			return true;
	return false;
}

static int opt_set(struct hc_tconf *tc, const struct hc_transform *t, const struct hc_option *o,
                   const char *val, struct hc_buf *err)
{
	void *slot = opt_slot(tc, o);
	switch (o->type) {
	case HC_OPT_BOOL:
		if (!strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "1"))
			*(bool *)slot = true;
		else if (!strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "0"))
			*(bool *)slot = false;
		else {
			hc_buf_addf(err, "option '%s.%s' takes true or false, not '%s'", t->id,
			            o->name, val);
			return -1;
		}
		return 0;
	case HC_OPT_INT: {
		char *end;
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || *end || end == val || v < INT_MIN || v > INT_MAX) {
			hc_buf_addf(err, "option '%s.%s' takes a whole number, not '%s'", t->id,
			            o->name, val);
			return -1;
		}
		*(int *)slot = (int)v;
		return 0;
	}
	case HC_OPT_STR:
		if (choices_of(t, o) && !choice_ok(choices_of(t, o), val)) {
			hc_buf_addf(err, "option '%s.%s' takes ", t->id, o->name);
			for (const char *c = choices_of(t, o); c;) {
				const char *e = strchr(c, '|');
				hc_buf_addf(err, "%.*s%s", (int)(e ? e - c : (long)strlen(c)), c,
				            !e                   ? ""
				            : strchr(e + 1, '|') ? ", "
				                                 : " or ");
				c = e ? e + 1 : NULL;
			}
			hc_buf_addf(err, ", not '%s'", val);
			return -1;
		}
		free(*(char **)slot);
		*(char **)slot = hc_xstrdup(val);
		return 0;
	case HC_OPT_LIST:
		list_parse(slot, val);
		return 0;
	}
	return 0;
}

void hc_config_init(struct hc_config *c)
{
	c->t = hc_xcalloc(hc_ntransforms, sizeof(*c->t));
	for (size_t i = 0; i < hc_ntransforms; i++) {
		const struct hc_transform *t = hc_transforms[i];
		c->t[i].opts = hc_xcalloc(1, t->opts_size ? t->opts_size : 1);
		for (size_t k = 0; k < t->nopts; k++)
			opt_set(&c->t[i], t, &t->options[k], t->options[k].dflt, NULL);
	}
	c->r = hc_xcalloc(hc_nrules, sizeof(*c->r));
	for (size_t i = 0; i < hc_nrules; i++)
		c->r[i].sev = hc_rules[i].sev;
}

void hc_config_release(struct hc_config *c)
{
	hc_classes_release(&c->classes);
	for (size_t i = 0; c->r && i < hc_nrules; i++)
		list_free(&c->r[i].exclude);
	free(c->r);
	c->r = NULL;
	if (!c->t)
		return;
	for (size_t i = 0; i < hc_ntransforms; i++) {
		const struct hc_transform *t = hc_transforms[i];
		for (size_t k = 0; k < t->nopts; k++) {
			void *slot = opt_slot(&c->t[i], &t->options[k]);
			if (t->options[k].type == HC_OPT_STR)
				free(*(char **)slot);
			else if (t->options[k].type == HC_OPT_LIST)
				list_free(slot);
		}
		list_free(&c->t[i].exclude);
		free(c->t[i].opts);
	}
	free(c->t);
	c->t = NULL;
}

/* "; did you mean 'X'?" after an unknown option name of transform t. */
static void closest_opt(struct hc_buf *err, const struct hc_transform *t, const char *name)
{
	struct hc_closest near = HC_CLOSEST_INIT(name);
	for (size_t k = 0; k < t->nopts; k++)
		hc_closest_try(&near, t->options[k].name);
	hc_closest_try(&near, "exclude");
	hc_closest_add(err, &near);
}

/* "; did you mean 'X'?" after an unknown id, X a rule or transform id. */
static void closest_id(struct hc_buf *err, const char *id, bool rules, bool transforms)
{
	struct hc_closest near = HC_CLOSEST_INIT(id);
	for (size_t i = 0; rules && i < hc_nrules; i++)
		hc_closest_try(&near, hc_rules[i].id);
	for (size_t i = 0; transforms && i < hc_ntransforms; i++)
		hc_closest_try(&near, hc_transforms[i]->id);
	hc_closest_add(err, &near);
}

int hc_config_rule(struct hc_config *c, const char *id, const char *value, struct hc_buf *err)
{
	int i = hc_rule_find(id);
	if (i < 0) {
		hc_buf_addf(err, "unknown rule '%s' (see --list-rules)", id);
		closest_id(err, id, true, false);
		return -1;
	}
	if (!strcmp(value, "off") || !strcmp(value, "false")) {
		c->r[i].enabled = false;
		return 0;
	}
	if (!strcmp(value, "on") || !strcmp(value, "true")) {
		c->r[i].enabled = true;
		return 0;
	}
	int sev = hc_severity_parse(value);
	if (sev < 0) {
		hc_buf_addf(err, "rule '%s' takes error, warning, note or off, not '%s'", id,
		            value);
		return -1;
	}
	c->r[i].enabled = true;
	c->r[i].sev = (enum hc_severity)sev;
	return 0;
}

int hc_config_enable(struct hc_config *c, const char *id, bool on, struct hc_buf *err)
{
	int r = hc_rule_find(id);
	if (r >= 0) {
		c->r[r].enabled = on;
		return 0;
	}
	int i = hc_transform_find(id);
	if (i < 0) {
		hc_buf_addf(err,
		            "unknown transform or rule '%s' (see --list-transforms, --list-rules)",
		            id);
		closest_id(err, id, true, true);
		return -1;
	}
	c->t[i].enabled = on;
	return 0;
}

int hc_config_set(struct hc_config *c, const char *a, struct hc_buf *err)
{
	const char *dot = strchr(a, '.'), *eq = strchr(a, '=');
	if (!dot || !eq || eq < dot) {
		hc_buf_addf(err, "--set takes ID.OPTION=VALUE, not '%s'", a);
		return -1;
	}
	char *id = hc_xstrndup(a, (size_t)(dot - a));
	char *name = hc_xstrndup(dot + 1, (size_t)(eq - dot - 1));
	int rc = -1;
	int i = hc_transform_find(id);
	if (i < 0) {
		hc_buf_addf(err, "unknown transform '%s' (see --list-transforms)", id);
		closest_id(err, id, false, true);
	} else {
		const struct hc_option *o = find_opt(hc_transforms[i], name);
		if (!o) {
			hc_buf_addf(err, "unknown option '%s' of transform '%s'", name, id);
			closest_opt(err, hc_transforms[i], name);
		} else
			rc = opt_set(&c->t[i], hc_transforms[i], o, eq + 1, err);
	}
	free(id);
	free(name);
	return rc;
}

static char *scalar_dup(const struct hc_node *n)
{
	return hc_xstrndup(n->text, n->len);
}

/* Sets option o of t to the YAML value v: a list option takes a sequence
 * item by item (an item may hold a comma), every option a scalar. `where`
 * prefixes the error (may be NULL). */
static int set_value(struct hc_tconf *tc, const struct hc_transform *t, const struct hc_option *o,
                     struct hc_node *v, const char *where, struct hc_buf *err)
{
	if (v && v->type == HC_SEQ && o->type == HC_OPT_LIST) {
		struct hc_strlist *l = opt_slot(tc, o);
		list_free(l);
		for (size_t j = 0; j < v->nkids; j++) {
			struct hc_node *it = hc_deref(v->kids[j]);
			if (it && it->type == HC_SCALAR)
				list_push(l, it->text, it->len);
		}
		return 0;
	}
	if (v && v->type == HC_SCALAR) {
		char *val = scalar_dup(v);
		int rc = opt_set(tc, t, o, val, err);
		free(val);
		return rc;
	}
	hc_buf_addf(err, "%s%soption '%s.%s' needs a scalar value", where ? where : "",
	            where ? ": " : "", t->id, o->name);
	return -1;
}

int hc_config_set_value(struct hc_config *c, const char *key, struct hc_node *v, struct hc_buf *err)
{
	const char *dot = strchr(key, '.');
	if (!dot) {
		hc_buf_addf(err, "--set takes ID.OPTION=VALUE, not '%s'", key);
		return -1;
	}
	char *id = hc_xstrndup(key, (size_t)(dot - key));
	int rc = -1;
	int i = hc_transform_find(id);
	const struct hc_option *o = i < 0 ? NULL : find_opt(hc_transforms[i], dot + 1);
	if (i < 0) {
		hc_buf_addf(err, "unknown transform '%s' (see --list-transforms)", id);
		closest_id(err, id, false, true);
	} else if (!o)
		hc_buf_addf(err, "unknown option '%s' of transform '%s'", dot + 1, id);
	else
		rc = set_value(&c->t[i], hc_transforms[i], o, hc_deref(v), NULL, err);
	free(id);
	return rc;
}

static int apply_options(struct hc_tconf *tc, const struct hc_transform *t, struct hc_node *map,
                         const char *where, struct hc_buf *err)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		struct hc_node *k = map->kids[i], *v = hc_deref(map->kids[i + 1]);
		char *name = scalar_dup(k);
		const struct hc_option *o = find_opt(t, name);
		int rc = 0;
		if (!o) {
			hc_buf_addf(err, "%s: unknown option '%s' of transform '%s'", where, name,
			            t->id);
			closest_opt(err, t, name);
			rc = -1;
		} else {
			rc = set_value(tc, t, o, v, where, err);
		}
		free(name);
		if (rc)
			return -1;
	}
	return 0;
}

static int load(struct hc_config *c, const char *spec, struct hc_buf *err, int depth);

static void node_list(struct hc_strlist *l, struct hc_node *seq)
{
	seq = hc_deref(seq);
	if (!seq || seq->type != HC_SEQ)
		return;
	for (size_t j = 0; j < seq->nkids; j++) {
		struct hc_node *it = hc_deref(seq->kids[j]);
		if (it && it->type == HC_SCALAR)
			hc_strlist_push(l, it->text, it->len);
	}
}

/* `images: {postgres: {cap_add: [...], writable: [...], init: tini}, ...}`:
 * a fact left out is unknown (not an empty list). */
static int apply_images(struct hc_config *c, struct hc_node *map, const char *where,
                        struct hc_buf *err)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		struct hc_node *k = map->kids[i], *v = hc_deref(map->kids[i + 1]);
		if (k->type != HC_SCALAR || (v && v->type != HC_MAP && !hc_is_null(v))) {
			hc_buf_addf(
			    err, "%s: images: each image takes a mapping (cap_add, writable, init)",
			    where);
			return -1;
		}
		struct hc_image_fact f = {0};
		int rc = 0;
		for (size_t j = 0; rc == 0 && v && v->type == HC_MAP && j + 1 < v->nkids; j += 2) {
			struct hc_node *fk = v->kids[j], *fv = hc_deref(v->kids[j + 1]);
			bool seq = fv && fv->type == HC_SEQ;
			if (hc_scalar_is(fk, "cap_add") && seq) {
				node_list(&f.cap_add, fv);
				f.has_caps = true;
			} else if (hc_scalar_is(fk, "writable") && seq) {
				node_list(&f.writable, fv);
				f.has_writable = true;
			} else if (hc_scalar_is(fk, "init") && fv && fv->type == HC_SCALAR) {
				if (!hc_is_null(fv) && !hc_scalar_is(fv, "false"))
					f.init = scalar_dup(fv);
			} else {
				hc_buf_addf(err,
				            "%s: images: unknown or malformed fact '%s' of '%s'",
				            where, fk->text, k->text);
				rc = -1;
			}
		}
		f.pattern = scalar_dup(k);
		hc_image_fact_set(&c->classes, &f);
		if (rc)
			return -1;
	}
	return 0;
}

/* `rules: {privileged: error, image-digest: false, ports-all-interfaces: {severity:
 * note, exclude: [proxy]}}` */
static int apply_rules(struct hc_config *c, struct hc_node *map, const char *where,
                       struct hc_buf *err)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		struct hc_node *k = map->kids[i], *v = hc_deref(map->kids[i + 1]);
		int r = hc_rule_find(k->text);
		if (r < 0) {
			hc_buf_addf(err, "%s: unknown rule '%s'", where, k->text);
			return -1;
		}
		struct hc_node *sv =
		    v && v->type == HC_MAP ? hc_deref(hc_map_get(v, "severity", NULL)) : v;
		if (v && v->type == HC_MAP) {
			struct hc_node *ex = hc_deref(hc_map_get(v, "exclude", NULL));
			if (ex) {
				list_free(&c->r[r].exclude);
				node_list(&c->r[r].exclude, ex);
			}
		}
		/* `id: severity`, `id: {severity: ..., exclude: [...]}`, `id:` (on) */
		char *t = sv && sv->type == HC_SCALAR && !hc_is_null(sv) ? scalar_dup(sv)
		                                                         : hc_xstrdup("on");
		struct hc_buf e2 = HC_BUF_INIT;
		int rc = hc_config_rule(c, k->text, t, &e2);
		free(t);
		if (rc < 0) {
			hc_buf_addf(err, "%s: %s", where, e2.data);
			hc_buf_release(&e2);
			return -1;
		}
	}
	return 0;
}

/* `file-secrets: {postgres: {vars: [...], suffix: _FILE, form: path, uid: 999}, ...}` */
static int apply_file_secrets(struct hc_config *c, struct hc_node *map, const char *where,
                              struct hc_buf *err)
{
	static const char *const forms[] = {"path", "name", "file", "none"};
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		struct hc_node *k = map->kids[i], *v = hc_deref(map->kids[i + 1]);
		if (k->type != HC_SCALAR || !v || v->type != HC_MAP) {
			hc_buf_addf(err,
			            "%s: file-secrets: each image takes a mapping (vars, suffix, "
			            "form, uid, why)",
			            where);
			return -1;
		}
		struct hc_file_secrets f = {.form = HC_FORM_PATH, .uid = -1};
		int rc = 0;
		for (size_t j = 0; rc == 0 && j + 1 < v->nkids; j += 2) {
			struct hc_node *fk = v->kids[j], *fv = hc_deref(v->kids[j + 1]);
			bool scalar = fv && fv->type == HC_SCALAR;
			if (hc_scalar_is(fk, "vars") && fv && fv->type == HC_SEQ) {
				node_list(&f.vars, fv);
			} else if (hc_scalar_is(fk, "suffix") && scalar) {
				f.suffix = scalar_dup(fv);
			} else if (hc_scalar_is(fk, "why") && scalar) {
				f.why = scalar_dup(fv);
			} else if (hc_scalar_is(fk, "uid") && scalar) {
				char *end;
				long u = strtol(fv->text, &end, 10);
				if (*end || u < 0 || u > 0x7fffffff) {
					hc_buf_addf(err, "%s: file-secrets: '%s': uid is a number",
					            where, k->text);
					rc = -1;
				}
				f.uid = (int)u;
			} else if (hc_scalar_is(fk, "form") && scalar) {
				rc = -1;
				for (size_t m = 0; m < 4; m++)
					if (hc_scalar_is(fv, forms[m]))
						f.form = (enum hc_file_form)m, rc = 0;
				if (rc)
					hc_buf_addf(
					    err,
					    "%s: file-secrets: '%s': form is path, name, file "
					    "or none",
					    where, k->text);
			} else {
				hc_buf_addf(
				    err, "%s: file-secrets: unknown or malformed fact '%s' of '%s'",
				    where, fk->text, k->text);
				rc = -1;
			}
		}
		if (rc == 0 && !f.suffix)
			f.suffix = hc_xstrdup("_FILE");
		f.pattern = scalar_dup(k);
		hc_file_secrets_set(&c->classes, &f);
		if (rc) {
			return -1;
		}
	}
	return 0;
}

/* `classes: {database: [...], ...}`: each class listed replaces its patterns. */
static int apply_classes(struct hc_config *c, struct hc_node *map, const char *where,
                         struct hc_buf *err)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		struct hc_node *k = map->kids[i], *v = hc_deref(map->kids[i + 1]);
		int cls = -1;
		for (int j = 1; j < HC_NCLASSES; j++)
			if (hc_scalar_is(k, hc_class_names[j]))
				cls = j;
		if (cls < 0) {
			hc_buf_addf(err,
			            "%s: unknown service class '%s' (database, cache, queue, "
			            "proxy, search, jvm, inference)",
			            where, k->text);
			return -1;
		}
		if (!v || v->type != HC_SEQ) {
			hc_buf_addf(err, "%s: class '%s' takes a list of image patterns", where,
			            k->text);
			return -1;
		}
		char **pat = hc_xcalloc(v->nkids, sizeof(*pat));
		size_t n = 0;
		for (size_t j = 0; j < v->nkids; j++) {
			struct hc_node *it = hc_deref(v->kids[j]);
			if (it && it->type == HC_SCALAR)
				pat[n++] = hc_xstrndup(it->text, it->len);
		}
		hc_classes_set(&c->classes, (enum hc_class)cls, pat, n);
	}
	return 0;
}

/* Applies the profile whose tree is root (NULL: empty), named `where` in
 * messages. */
static int apply_root(struct hc_config *c, const char *where, struct hc_node *root,
                      struct hc_buf *err, int depth)
{
	int rc = 0;
	if (root && root->type != HC_MAP) {
		hc_buf_addf(err, "%s: a profile is a mapping", where);
		rc = -1;
	}
	struct hc_node *ext = root && rc == 0 ? hc_deref(hc_map_get(root, "extends", NULL)) : NULL;
	if (ext && ext->type == HC_SCALAR && !hc_is_null(ext)) {
		char *name = scalar_dup(ext);
		rc = load(c, name, err, depth + 1);
		free(name);
	}
	struct hc_node *cls = root && rc == 0 ? hc_deref(hc_map_get(root, "classes", NULL)) : NULL;
	if (cls && cls->type == HC_MAP)
		rc = apply_classes(c, cls, where, err);
	else if (cls && !hc_is_null(cls)) {
		hc_buf_addf(err, "%s: 'classes' is a mapping of class names to image patterns",
		            where);
		rc = -1;
	}
	struct hc_node *img = root && rc == 0 ? hc_deref(hc_map_get(root, "images", NULL)) : NULL;
	if (img && img->type == HC_MAP)
		rc = apply_images(c, img, where, err);
	else if (img && !hc_is_null(img)) {
		hc_buf_addf(err, "%s: 'images' is a mapping of image patterns to facts", where);
		rc = -1;
	}
	struct hc_node *rl = root && rc == 0 ? hc_deref(hc_map_get(root, "rules", NULL)) : NULL;
	if (rl && rl->type == HC_MAP)
		rc = apply_rules(c, rl, where, err);
	else if (rl && !hc_is_null(rl)) {
		hc_buf_addf(err, "%s: 'rules' is a mapping of rule ids to severities", where);
		rc = -1;
	}
	struct hc_node *fs =
	    root && rc == 0 ? hc_deref(hc_map_get(root, "file-secrets", NULL)) : NULL;
	if (fs && fs->type == HC_MAP)
		rc = apply_file_secrets(c, fs, where, err);
	else if (fs && !hc_is_null(fs)) {
		hc_buf_addf(err, "%s: 'file-secrets' is a mapping of image patterns to facts",
		            where);
		rc = -1;
	}
	struct hc_node *ts =
	    root && rc == 0 ? hc_deref(hc_map_get(root, "transforms", NULL)) : NULL;
	if (ts && ts->type == HC_MAP) {
		for (size_t i = 0; rc == 0 && i + 1 < ts->nkids; i += 2) {
			char *id = scalar_dup(ts->kids[i]);
			struct hc_node *v = hc_deref(ts->kids[i + 1]);
			int ti = hc_transform_find(id);
			if (ti < 0) {
				hc_buf_addf(err, "%s: unknown transform '%s'", where, id);
				rc = -1;
			} else if (hc_scalar_is(v, "false")) {
				c->t[ti].enabled = false;
			} else {
				c->t[ti].enabled = true;
				if (v && v->type == HC_MAP)
					rc = apply_options(&c->t[ti], hc_transforms[ti], v, where,
					                   err);
			}
			free(id);
		}
	} else if (ts && !hc_is_null(ts)) {
		hc_buf_addf(err, "%s: 'transforms' is a mapping of transform ids", where);
		rc = -1;
	}
	return rc;
}

static int apply_profile(struct hc_config *c, const char *where, const char *text, size_t len,
                         struct hc_buf *err, int depth)
{
	struct hc_doc doc;
	struct hc_error e;
	if (hc_doc_parse(&doc, text, len, &e) < 0) {
		hc_buf_addf(err, "%s:%d:%d: %s", where, e.line, e.col, e.msg);
		return -1;
	}
	int rc = apply_root(c, where, doc.root, err, depth);
	hc_doc_release(&doc);
	return rc;
}

static int load(struct hc_config *c, const char *spec, struct hc_buf *err, int depth)
{
	if (depth > 8) {
		hc_buf_addf(err, "profile '%s': 'extends' goes more than 8 levels deep", spec);
		return -1;
	}
	size_t sl = strlen(spec);
	bool is_path = strchr(spec, '/') || (sl > 4 && !strcmp(spec + sl - 4, ".yml")) ||
	               (sl > 5 && !strcmp(spec + sl - 5, ".yaml"));
	if (!is_path) {
		for (const struct hc_builtin_profile *p = hc_builtin_profiles; p->name; p++)
			if (!strcmp(p->name, spec))
				return apply_root(c, p->name, p->root, err, depth);
		hc_buf_addf(err, "unknown profile '%s' (built in:", spec);
		struct hc_closest near = HC_CLOSEST_INIT(spec);
		for (const struct hc_builtin_profile *p = hc_builtin_profiles; p->name; p++) {
			hc_buf_addf(err, " %s", p->name);
			hc_closest_try(&near, p->name);
		}
		hc_buf_adds(err, ")");
		hc_closest_add(err, &near);
		return -1;
	}
	struct hc_buf text = HC_BUF_INIT;
	struct hc_diag d = HC_DIAG_INIT;
	if (hc_read_file(spec, &text, &d) < 0) {
		hc_diag_format(err, &d);
		hc_diag_release(&d);
		return -1;
	}
	int rc = apply_profile(c, spec, text.data ? text.data : "", text.len, err, depth);
	hc_buf_release(&text);
	return rc;
}

int hc_config_load_profile(struct hc_config *c, const char *spec, struct hc_buf *err)
{
	return load(c, spec, err, 0);
}

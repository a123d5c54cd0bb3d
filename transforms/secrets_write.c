/*
 * secrets_write.c: the edits that move the secrets, and what is said about
 * them.
 *
 * A candidate's entry is rewritten in its own style: `KEY: value` becomes
 * `KEY_FILE: /run/secrets/<name>` (the image's spelling: a _FILE suffix, a
 * bare name, or the variable dropped for a file at /run/secrets/KEY), or
 * keeps its key with `${NAME:?is not set}` in place of the secret when the
 * value goes to .env. A service that reads secret files lists them in its
 * `secrets:`, and the top-level stanza defines each as `file:
 * ./secrets/<name>`. A service whose entries cannot all be rewritten is
 * left as it was, and said so.
 */
#include "transforms/secrets_int.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rewriting --------------------------------------------------------- */

/* Can s be written as a plain scalar (in a flow collection when flow)? */
static bool plain_ok(const char *s, bool flow)
{
	if (hc_needs_quotes(s))
		return false;
	if (flow && strpbrk(s, ",[]{}"))
		return false;
	return true;
}

/* Does s hold a control character other than a tab? */
static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return true;
	return false;
}

/* s written as a scalar in the style of node n; a line break or another
 * control character is written escaped in double quotes (a single-quoted
 * or plain line break would read back as a space). */
static void render_like(struct hc_buf *b, const struct hc_node *n, const char *s, bool flow)
{
	bool ctl = has_control(s);
	if (n->style == HC_SINGLE && !ctl) {
		hc_buf_addc(b, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				hc_buf_addc(b, '\'');
			hc_buf_addc(b, *p);
		}
		hc_buf_addc(b, '\'');
		return;
	}
	if (n->style == HC_PLAIN && !ctl && plain_ok(s, flow)) {
		hc_buf_adds(b, s);
		return;
	}
	hc_buf_addc(b, '"');
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n')
			hc_buf_adds(b, "\\n");
		else if (c == '\r')
			hc_buf_adds(b, "\\r");
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			hc_buf_addf(b, "\\x%02X", c);
		else {
			if (c == '"' || c == '\\')
				hc_buf_addc(b, '\\');
			hc_buf_addc(b, *p);
		}
	}
	hc_buf_addc(b, '"');
}

/* Replaces the scalar n with s, written in n's style (render_like); a tag
 * on n (!!str) stays as written. */
static void replace_node(struct hc_run *r, const struct hc_node *n, const char *s, bool flow)
{
	struct hc_buf b = HC_BUF_INIT;
	if (n->tag) {
		size_t e = hc_word_end(r->doc, n->start, n->end);
		char *tag = hc_text_dup(r->doc, n->start, e);
		hc_buf_adds(&b, tag);
		hc_buf_addc(&b, ' ');
		free(tag);
	}
	render_like(&b, n, s, flow);
	hc_replace_node(r, n, b.data, b.len);
	hc_buf_release(&b);
}

/* Declares that /services/<svc>/<key> changes as kind says. */
static void declare(struct hc_run *r, const char *svc, const char *key, enum hc_change kind)
{
	struct hc_buf p = HC_BUF_INIT;
	hc_buf_adds(&p, "/services");
	hc_ptr_add(&p, svc, strlen(svc));
	hc_ptr_add(&p, key, strlen(key));
	hc_declare(r, p.data, kind);
	hc_buf_release(&p);
}

/* Does the service's `secrets:` already list `name`? */
static bool lists_secret(struct hc_node *list, const char *name)
{
	list = hc_deref(list);
	if (!list || list->type != HC_SEQ)
		return false;
	for (size_t i = 0; i < list->nkids; i++) {
		struct hc_node *it = hc_deref(list->kids[i]);
		if (hc_scalar_is(it, name))
			return true;
		if (it && it->type == HC_MAP &&
		    hc_scalar_is(hc_deref(hc_map_get(it, "source", NULL)), name))
			return true;
	}
	return false;
}

/* Adds the secret files candidates [first, end) of one service now read
 * to its `secrets:` list. 0, or -1 when the list cannot be extended. */
static int add_service_secrets(struct secrets_state *st, size_t first, size_t end)
{
	struct hc_run *r = st->r;
	const struct secret_cand *c0 = &st->c[first];
	struct hc_node *list = hc_map_lookup(c0->svalue, "secrets", NULL);
	bool explicit = false;
	hc_map_lookup(c0->svalue, "secrets", &explicit);
	struct hc_val *items = hc_val_seq();
	size_t n = 0;
	for (size_t i = first; i < end; i++) {
		const struct secret_cand *c = &st->c[i];
		if (c->route != R_FILE || c->failed || c->svalue != c0->svalue)
			continue;
		const char *name = st->g[c->group].name;
		bool dup = lists_secret(list, name);
		for (size_t k = 0; k < items->n && !dup; k++)
			dup = items->kids[k]->type == HC_VAL_SCALAR
			          ? !strcmp(items->kids[k]->text, name)
			          : !strcmp(items->kids[k]->kids[0]->text, name);
		if (dup)
			continue;
		if (c->fs->form == HC_FORM_FILE) {
			struct hc_val *m = hc_val_map();
			hc_val_put(m, "source", hc_val_str(name));
			hc_val_put(m, "target", hc_val_str(c->var));
			hc_val_push(items, m);
		} else {
			hc_val_push(items, hc_val_str(name));
		}
		n++;
	}
	int rc = 0;
	if (!n) {
		hc_val_free(items);
		return 0;
	}
	if (explicit) {
		struct hc_node *owner = NULL;
		hc_map_get(c0->svalue, "secrets", &owner);
		for (size_t k = 0; k < items->n && rc == 0; k++)
			rc = hc_seq_append(r, owner, hc_deref(list), items->kids[k]);
	} else if (list) {
		rc = -1; /* inherited through a merge: left to the user */
	} else {
		rc = hc_add_pair(r, c0->skey, c0->svalue, "secrets", items);
	}
	hc_val_free(items);
	if (rc == 0)
		declare(r, c0->svc, "secrets", HC_CHANGE_EXTEND);
	return rc;
}

/* Do volumes, networks or configs come before services at the top level? */
static bool resources_first(const struct hc_node *root, const struct hc_node *skey)
{
	for (size_t i = 0; i + 1 < root->nkids && root->kids[i] != skey; i += 2)
		if (hc_scalar_is(root->kids[i], "volumes") ||
		    hc_scalar_is(root->kids[i], "networks") ||
		    hc_scalar_is(root->kids[i], "configs"))
			return true;
	return false;
}

int secrets_add_stanza(struct secrets_state *st)
{
	struct hc_run *r = st->r;
	struct hc_val *m = hc_val_map();
	for (size_t gi = 0; gi < st->ng; gi++) {
		const struct secret_group *g = &st->g[gi];
		bool present;
		secrets_stanza_file(st, g->name, &present);
		if (!g->file || present)
			continue;
		struct hc_buf p = HC_BUF_INIT;
		secrets_file_path(&p, st->o, g->name);
		struct hc_val *e = hc_val_map();
		if (st->external)
			hc_val_put(e, "external", hc_val_raw("true"));
		else
			hc_val_put(e, "file", hc_val_str(p.data));
		hc_val_put(m, g->name, e);
		hc_buf_release(&p);
	}
	int rc = 0;
	if (!m->n) {
		hc_val_free(m);
		return 0;
	}
	struct hc_node *skey = NULL;
	hc_map_get(st->root, "services", &skey);
	if (st->tseckey) {
		for (size_t k = 0; k < m->n && rc == 0; k++)
			rc = hc_add_pair(r, st->tseckey, st->tsec, m->keys[k], m->kids[k]);
	} else if (skey && resources_first(st->root, skey) && !st->root->flow) {
		/* the file keeps volumes and networks above services: so secrets */
		const struct hc_doc *d = r->doc;
		size_t at = hc_before_services(d, skey);
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_adds(&b, "secrets:");
		hc_buf_adds(&b, d->style.eol);
		hc_render_children(&b, &d->style, m, hc_column(d, skey->start));
		if (hc_follows_blank_line(d, at))
			hc_buf_adds(&b, d->style.eol);
		hc_insert_lines(r, at, b.data, b.len, 0);
		hc_buf_release(&b);
	} else {
		rc = hc_add_pair(r, NULL, st->root, "secrets", m);
	}
	hc_val_free(m);
	if (rc == 0)
		hc_declare(r, "/secrets", HC_CHANGE_EXTEND);
	return rc;
}

/* Proposes the edits of one candidate. 0, or -1 when its shape is not one
 * this transform edits. */
static int rewrite(struct secrets_state *st, const struct secret_cand *c)
{
	struct hc_run *r = st->r;
	const char *name = st->g[c->group].name;
	bool flow = c->env->flow;
	struct hc_buf val = HC_BUF_INIT, var = HC_BUF_INIT;
	int rc = 0;
	if (c->route == R_FILE && c->fs->form == HC_FORM_FILE) {
		/* the variable goes; the file /run/secrets/VAR replaces it */
		size_t left = c->env->type == HC_MAP ? c->env->nkids / 2 : c->env->nkids;
		if (left <= 1)
			rc = -1;
		else if (c->list)
			rc = hc_delete_item(r, c->env, c->vnode);
		else
			rc = hc_delete_pair(r, c->env, c->idx);
		return rc;
	}
	if (c->route == R_FILE) {
		hc_buf_adds(&var, c->var);
		hc_buf_adds(&var, c->fs->suffix);
		if (c->fs->form == HC_FORM_PATH)
			hc_buf_adds(&val, "/run/secrets/");
		hc_buf_adds(&val, name);
	} else {
		hc_buf_adds(&var, c->var);
		char *u = secrets_upper(name);
		hc_buf_add(&val, c->cstr, c->ss);
		hc_buf_addf(&val, "${%s:?is not set}", u);
		hc_buf_adds(&val, c->cstr + c->se);
		free(u);
	}
	if (c->list) {
		struct hc_buf item = HC_BUF_INIT;
		hc_buf_adds(&item, c->route == R_FILE ? var.data : c->prefix);
		if (c->route == R_FILE)
			hc_buf_addc(&item, '=');
		hc_buf_adds(&item, val.data);
		replace_node(r, c->vnode, item.data, flow);
		hc_buf_release(&item);
	} else {
		if (c->route == R_FILE)
			replace_node(r, c->knode, var.data, flow);
		replace_node(r, c->vnode, val.data, flow);
	}
	hc_buf_release(&val);
	hc_buf_release(&var);
	return rc;
}

/* With secrets.target=external: the value leaves the file and goes
 * nowhere; the secret, or the variable, must be provided. */
static void report_external(struct secrets_state *st, const struct secret_cand *c, const char *what,
                            const char *verb)
{
	const char *name = st->g[c->group].name;
	if (c->route == R_FILE) {
		hc_report(st->r, c->vnode->start, HC_WARNING,
		          "service \"%s\": %s %s; %s out of the file: the external secret %s "
		          "(external: true) must exist (docker secret create %s -)",
		          c->svc, c->var, what, verb, name, name);
		return;
	}
	char *u = secrets_upper(name);
	hc_report(st->r, c->vnode->start, HC_WARNING,
	          "service \"%s\": %s %s; %s out of the file as ${%s}, which the environment "
	          "must set (secrets.target=external: not written to .env)",
	          c->svc, c->var, what, verb, u);
	free(u);
}

/* Says where c's value goes: done, that it moved; otherwise, where --write
 * moves it. */
static void report(struct secrets_state *st, const struct secret_cand *c, bool done)
{
	struct hc_run *r = st->r;
	const char *name = st->g[c->group].name;
	const char *what = c->url ? "holds a password in a URL" : "is a plaintext secret";
	const char *verb = done ? "moved" : "--write moves it";
	struct hc_buf where = HC_BUF_INIT;
	if (st->external) {
		report_external(st, c, what, verb);
	} else if (c->route == R_FILE) {
		secrets_file_path(&where, st->o, name);
		if (c->fs->form == HC_FORM_FILE)
			hc_report(r, c->vnode->start, HC_WARNING,
			          "service \"%s\": %s %s; %s to the secret file %s, mounted as "
			          "/run/secrets/%s",
			          c->svc, c->var, what, verb, where.data, c->var);
		else
			hc_report(r, c->vnode->start, HC_WARNING,
			          "service \"%s\": %s %s; %s to the secret file %s (%s%s)", c->svc,
			          c->var, what, verb, where.data, c->var, c->fs->suffix);
		if (c->fs->uid >= 0)
			hc_report(
			    r, c->vnode->start, HC_NOTE,
			    "service \"%s\": the image reads %s as uid %d: %s must be readable "
			    "by that uid (hardcompose -w run as root gives it to that uid; "
			    "otherwise: chown %d %s)",
			    c->svc, where.data, c->fs->uid, where.data, c->fs->uid, where.data);
	} else {
		char *u = secrets_upper(name);
		char img[120];
		if (c->image)
			snprintf(img, sizeof(img), "image '%.*s'",
			         (int)(c->image_len > 80 ? 80 : c->image_len), c->image);
		else
			snprintf(img, sizeof(img), "its image (built here)");
		if (c->fs && c->fs->form == HC_FORM_NONE)
			hc_report(
			    r, c->vnode->start, HC_WARNING,
			    "service \"%s\": %s %s and %s cannot take it from a file (%s); %s "
			    "to .env as ${%s}",
			    c->svc, c->var, what, img, c->fs->why ? c->fs->why : "no _FILE support",
			    verb, u);
		else if (st->env_only && c->fs && hc_file_secrets_reads(c->fs, c->var))
			hc_report(r, c->vnode->start, HC_WARNING,
			          "service \"%s\": %s %s and this file's version has no secrets; "
			          "%s to .env as ${%s}",
			          c->svc, c->var, what, verb, u);
		else
			hc_report(
			    r, c->vnode->start, HC_WARNING,
			    "service \"%s\": %s %s and %s is not known to read it from a file; %s "
			    "to .env as ${%s}",
			    c->svc, c->var, what, img, verb, u);
		free(u);
	}
	hc_buf_release(&where);
}

/* ---- one service ---------------------------------------------------------- */

/* Candidates [first, end) stay where they are: said once for the service,
 * masked, and not handed out. */
static void leave_service(struct secrets_state *st, size_t first, size_t end)
{
	struct hc_run *r = st->r;
	hc_report(r, st->c[first].vnode->start, HC_WARNING,
	          "service \"%s\": plaintext secrets in a shape hardcompose does not "
	          "rewrite; move them by hand",
	          st->c[first].svc);
	for (size_t k = first; k < end; k++) {
		hc_side_mask(r, st->c[k].vnode->start, st->c[k].vnode->end);
		st->c[k].failed = true;
	}
	r->changes++;
}

/* A candidate that moves (with write) or would move: reported and masked;
 * with write, its change declared and its secret file or .env variable
 * handed to the caller (a .env variable that already holds the value is
 * not written again). */
static void settle(struct secrets_state *st, const struct secret_cand *c, bool write)
{
	struct hc_run *r = st->r;
	report(st, c, r->ctx->side_effects);
	hc_side_mask(r, c->vnode->start, c->vnode->end);
	r->changes++;
	if (!write)
		return;
	declare(r, c->svc, "environment", HC_CHANGE_ANY);
	const struct secret_group *g = &st->g[c->group];
	if (c->route == R_FILE) {
		if (!st->external)
			hc_side_file(r, g->name, g->secret, strlen(g->secret), c->fs->uid);
	} else {
		/* the name alone (for .env.example) when .env has it already or
		 * the value is to come from elsewhere */
		char *u = secrets_upper(g->name);
		bool have = st->external || secrets_dotenv_has(st, u, g->secret) == 1;
		hc_side_env(r, u, have ? NULL : g->secret);
		free(u);
	}
}

void secrets_service(struct secrets_state *st, size_t first, size_t end, bool write)
{
	struct hc_run *r = st->r;
	struct hc_run_mark mark = hc_run_mark(r);
	int rc = 0;
	bool any_file = false;
	for (size_t k = first; k < end && rc == 0 && write; k++) {
		if (st->c[k].failed)
			continue;
		rc = rewrite(st, &st->c[k]);
		any_file |= st->c[k].route == R_FILE;
	}
	if (write && rc == 0 && any_file)
		rc = add_service_secrets(st, first, end);
	if (rc < 0) {
		/* leave the whole service as it was */
		hc_run_rollback(r, mark);
		leave_service(st, first, end);
		return;
	}
	for (size_t k = first; k < end; k++)
		if (!st->c[k].failed)
			settle(st, &st->c[k], write);
}

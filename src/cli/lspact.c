/*
 * lspact.c: the LSP server's code actions (a quick fix per pending
 * transform, "ignore this finding here", "fix all in file") and formatting
 * (the whole profile in format mode: secrets never move, that needs -w).
 */
#include "cli/lspint.h"
#include "cli/report.h"
#include "transforms/transform.h"
#include "yaml/tree.h"

#include <stdlib.h>
#include <string.h>

/* The edits that running the profile (or only transform `only`, also
 * skipping the services in skip) makes to d's text; false when the text
 * does not go through. */
static bool run_edits(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only,
                      const struct hc_strlist *skip, struct hc_edits *e)
{
	struct hc_result res;
	struct hc_diag err = HC_DIAG_INIT;
	bool ok = (only ? hc_lsp_run_skip(s, d, only, skip, &res, &err)
	                : hc_lsp_run(s, d, NULL, false, &res, &err)) == 0;
	if (ok) {
		ok = res.code == HC_EXIT_OK;
		if (ok)
			hc_lsp_edits(d->text.data ? d->text.data : "", d->text.len,
			             res.out.data ? res.out.data : "", res.out.len, &res.pieces, e);
		hc_result_release(&res);
	}
	hc_diag_release(&err);
	return ok;
}

/* The service whose entry holds byte pos of d's text (its name into
 * *name) and the names of the others (into others); false when none. */
static bool service_at(const struct hc_lsp_doc *d, size_t pos, struct hc_buf *name,
                       struct hc_strlist *others)
{
	struct hc_doc doc;
	struct hc_error pe;
	if (hc_doc_parse(&doc, d->text.data ? d->text.data : "", d->text.len, &pe) != 0)
		return false;
	struct hc_node *root = doc.root && doc.root->type == HC_MAP ? doc.root : NULL;
	struct hc_node *svcs = root ? hc_deref(hc_map_get(root, "services", NULL)) : NULL;
	bool found = false;
	for (size_t k = 0; svcs && svcs->type == HC_MAP && k + 1 < svcs->nkids; k += 2) {
		const struct hc_node *key = svcs->kids[k], *v = svcs->kids[k + 1];
		if (key->type != HC_SCALAR)
			continue;
		size_t end = v && v->end > key->end ? v->end : key->end;
		if (!found && pos >= key->start && pos <= end) {
			found = true;
			hc_buf_add(name, key->text, key->len);
		} else {
			hc_strlist_push(others, key->text, key->len);
		}
	}
	hc_doc_release(&doc);
	return found;
}

/* Does the client's `only` list (absent: everything) take kind? */
static bool wants(const struct hc_json *only, const char *kind)
{
	const struct hc_json *k;
	if (!hc_json_is_array(only))
		return true;
	hc_json_for_each(k, only)
	{
		if (!hc_json_is_string(k))
			continue;
		size_t n = strlen(k->str);
		if (!strncmp(kind, k->str, n) && (kind[n] == 0 || kind[n] == '.'))
			return true;
	}
	return false;
}

static struct hc_json *action(const char *title, const char *kind, const struct hc_json *diag,
                              const char *uri, struct hc_json *edits)
{
	struct hc_json *a = hc_json_object();
	hc_json_add_str(a, "title", title);
	hc_json_add_str(a, "kind", kind);
	if (diag) {
		struct hc_json *ds = hc_json_add_array(a, "diagnostics");
		hc_json_push(ds, hc_json_dup(diag));
	}
	struct hc_json *ch = hc_json_add_object(hc_json_add_object(a, "edit"), "changes");
	hc_json_add(ch, uri, edits);
	return a;
}

/* The quick fix for a diagnostic of transform id: its edits to the
 * service the diagnostic is on (all of them when it is on none), or NULL
 * when it has none. */
static struct hc_json *fix_action(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *id,
                                  const struct hc_json *diag)
{
	const char *t = d->text.data ? d->text.data : "";
	const struct hc_json *st = hc_json_get(hc_json_get(diag, "range"), "start");
	struct hc_lsp_lines l;
	hc_lsp_lines(&l, t, d->text.len);
	size_t pos =
	    hc_lsp_off(&l, t, d->text.len, hc_lsp_num(st, "line"), hc_lsp_num(st, "character"));
	hc_lsp_lines_release(&l);
	struct hc_buf name = HC_BUF_INIT, title = HC_BUF_INIT;
	struct hc_strlist others = {0};
	bool one = hc_json_is_object(st) && service_at(d, pos, &name, &others);
	struct hc_edits e = {0};
	struct hc_json *a = NULL;
	if (run_edits(s, d, id, one ? &others : NULL, &e) && e.n) {
		hc_buf_addf(&title, "hardcompose: apply %s", id);
		if (one)
			hc_buf_addf(&title, " to %s", name.data);
		a = action(title.data, "quickfix", diag, d->uri,
		           hc_lsp_text_edits(t, d->text.len, &e));
		hc_json_add_bool(a, "isPreferred", true);
	}
	hc_edits_clear(&e);
	hc_buf_release(&name);
	hc_buf_release(&title);
	hc_strlist_release(&others);
	return a;
}

/* "Ignore id here": the suppression comment on its own line above the
 * diagnostic's line, at that line's indentation (docs/rules.md). */
static struct hc_json *ignore_action(const struct hc_lsp_doc *d, const char *id,
                                     const struct hc_json *diag)
{
	const char *t = d->text.data ? d->text.data : "";
	size_t len = d->text.len;
	const struct hc_json *st = hc_json_get(hc_json_get(diag, "range"), "start");
	if (!hc_json_is_number(hc_json_get(st, "line")))
		return NULL;
	struct hc_lsp_lines l;
	hc_lsp_lines(&l, t, len);
	size_t at = hc_lsp_off(&l, t, len, hc_lsp_num(st, "line"), 0), i = at;
	while (i < len && t[i] == ' ')
		i++;
	size_t eol = i;
	while (eol < len && t[eol] != '\n')
		eol++;
	struct hc_buf c = HC_BUF_INIT;
	hc_buf_add(&c, t + at, i - at);
	hc_buf_addf(&c, "# hardcompose: ignore[%s]%s", id,
	            eol > 0 && eol < len && t[eol - 1] == '\r' ? "\r\n" : "\n");
	struct hc_edits e = {0};
	hc_edits_add(&e, at, at, c.data, c.len);
	hc_buf_release(&c);
	hc_lsp_lines_release(&l);
	struct hc_buf title = HC_BUF_INIT;
	hc_buf_addf(&title, "hardcompose: ignore %s here", id);
	struct hc_json *a =
	    action(title.data, "quickfix", diag, d->uri, hc_lsp_text_edits(t, len, &e));
	hc_buf_release(&title);
	hc_edits_clear(&e);
	return a;
}

/* The actions for one diagnostic of the context (done: the titles of the
 * quick fixes given, a line each). */
static void for_diag(struct hc_lsp *s, const struct hc_lsp_doc *d, const struct hc_json *diag,
                     const struct hc_json *only, struct hc_json *out, struct hc_buf *done)
{
	const char *src = hc_json_string(hc_json_get(diag, "source"));
	const char *id = hc_json_string(hc_json_get(diag, "code"));
	if ((src && strcmp(src, "hardcompose")) || !id || hc_kind_of(id) == HC_KIND_TOOL ||
	    !wants(only, "quickfix"))
		return;
	struct hc_json *f = hc_transform_find(id) >= 0 ? fix_action(s, d, id, diag) : NULL;
	if (f) { /* one per transform and service */
		struct hc_buf key = HC_BUF_INIT;
		hc_buf_addf(&key, "\n%s\n", hc_json_string(hc_json_get(f, "title")));
		if (done->data && strstr(done->data, key.data)) {
			hc_json_free(f);
		} else {
			hc_json_push(out, f);
			hc_buf_add(done, key.data, key.len - 1);
		}
		hc_buf_release(&key);
	}
	struct hc_json *a = ignore_action(d, id, diag);
	if (a) { /* one per id and line */
		struct hc_buf key = HC_BUF_INIT;
		const struct hc_json *st = hc_json_get(hc_json_get(diag, "range"), "start");
		hc_buf_addf(&key, "\n%s@%ld\n", hc_json_string(hc_json_get(a, "title")),
		            hc_lsp_num(st, "line"));
		if (done->data && strstr(done->data, key.data)) {
			hc_json_free(a);
		} else {
			hc_json_push(out, a);
			hc_buf_add(done, key.data, key.len - 1);
		}
		hc_buf_release(&key);
	}
}

struct hc_json *hc_lsp_code_actions(struct hc_lsp *s, const struct hc_json *params)
{
	struct hc_json *out = hc_json_array();
	const struct hc_lsp_doc *d = hc_lsp_find(s, params);
	if (!d)
		return out;
	const struct hc_json *ctx = hc_json_get(params, "context");
	const struct hc_json *only = hc_json_get(ctx, "only"), *diag;
	struct hc_buf done = HC_BUF_INIT;
	hc_json_for_each(diag, hc_json_get(ctx, "diagnostics"))
	    for_diag(s, d, diag, only, out, &done);
	hc_buf_release(&done);
	const char *fk = "source.fixAll.hardcompose";
	struct hc_edits e = {0};
	if (wants(only, fk) && run_edits(s, d, NULL, NULL, &e) && e.n)
		hc_json_push(out, action("hardcompose: fix all in file", fk, NULL, d->uri,
		                         hc_lsp_text_edits(d->text.data ? d->text.data : "",
		                                           d->text.len, &e)));
	hc_edits_clear(&e);
	return out;
}

struct hc_json *hc_lsp_formatting(struct hc_lsp *s, const struct hc_json *params, bool range)
{
	const struct hc_lsp_doc *d = hc_lsp_find(s, params);
	struct hc_edits e = {0};
	if (!d || !run_edits(s, d, NULL, NULL, &e)) {
		hc_edits_clear(&e);
		return hc_json_null(); /* nothing to do; the diagnostics say why */
	}
	const char *t = d->text.data ? d->text.data : "";
	if (range) { /* the edits that touch the range */
		struct hc_lsp_lines l;
		hc_lsp_lines(&l, t, d->text.len);
		const struct hc_json *r = hc_json_get(params, "range");
		const struct hc_json *st = hc_json_get(r, "start");
		const struct hc_json *en = hc_json_get(r, "end");
		size_t a = hc_lsp_off(&l, t, d->text.len, hc_lsp_num(st, "line"),
		                      hc_lsp_num(st, "character"));
		size_t b = hc_lsp_off(&l, t, d->text.len, hc_lsp_num(en, "line"),
		                      hc_lsp_num(en, "character"));
		hc_lsp_lines_release(&l);
		size_t k = 0;
		for (size_t i = 0; i < e.n; i++) {
			if (e.v[i].start <= b && e.v[i].end >= a)
				e.v[k++] = e.v[i];
			else
				free(e.v[i].text);
		}
		e.n = k;
	}
	struct hc_json *out = hc_lsp_text_edits(t, d->text.len, &e);
	hc_edits_clear(&e);
	return out;
}

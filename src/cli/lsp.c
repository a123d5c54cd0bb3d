/*
 * lsp.c: the LSP server's loop, its JSON-RPC dispatch, the documents it
 * holds and the diagnostics it publishes (lsp.h). Code actions and
 * formatting are lspact.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/lsp.h"
#include "base/io.h"
#include "base/strset.h"
#include "cli/lspint.h"
#include "cli/process.h"
#include "cli/report.h"
#include "cli/side.h"
#include "engine/engine.h"
#include "policy/profile.h"
#include "transforms/transform.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { DEBOUNCE_MS = 30 };

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the client is gone: nothing to tell it */
		p += w;
		n -= (size_t)w;
	}
}

void hc_lsp_send(struct hc_lsp *s, struct hc_json *msg)
{
	hc_json_add_str(msg, "jsonrpc", "2.0");
	char *body = hc_json_print(msg);
	hc_json_free(msg);
	if (!body)
		return;
	char head[64];
	size_t n = strlen(body);
	int h = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", n);
	write_all(s->out, head, (size_t)h);
	write_all(s->out, body, n);
	free(body);
}

static struct hc_json *with_id(const struct hc_json *id)
{
	struct hc_json *m = hc_json_object();
	hc_json_add(m, "id", id ? hc_json_dup(id) : hc_json_null());
	return m;
}

void hc_lsp_reply(struct hc_lsp *s, const struct hc_json *id, struct hc_json *result)
{
	struct hc_json *m = with_id(id);
	hc_json_add(m, "result", result ? result : hc_json_null());
	hc_lsp_send(s, m);
}

void hc_lsp_error(struct hc_lsp *s, const struct hc_json *id, int code, const char *msg)
{
	struct hc_json *m = with_id(id), *e = hc_json_add_object(m, "error");
	hc_json_add_num(e, "code", code);
	hc_json_add_str(e, "message", msg);
	hc_lsp_send(s, m);
}

static void notify(struct hc_lsp *s, const char *method, struct hc_json *params)
{
	struct hc_json *m = hc_json_object();
	hc_json_add_str(m, "method", method);
	hc_json_add(m, "params", params);
	hc_lsp_send(s, m);
}

/* The file a file:// uri names (percent-decoded), or NULL. */
static char *uri_path(const char *uri)
{
	if (strncmp(uri, "file://", 7))
		return NULL;
	const char *p = uri + 7;
	struct hc_buf b = HC_BUF_INIT;
	for (; *p; p++) {
		unsigned v;
		if (*p == '%' && p[1] && p[2] && sscanf(p + 1, "%2x", &v) == 1 && v) {
			char c = (char)v;
			hc_buf_add(&b, &c, 1);
			p += 2;
		} else {
			hc_buf_add(&b, p, 1);
		}
	}
	if (!b.data || b.data[0] != '/') {
		hc_buf_release(&b);
		return NULL;
	}
	return b.data;
}

static const char *str_of(const struct hc_json *o, const char *key)
{
	const struct hc_json *v = hc_json_get(o, key);
	return hc_json_is_string(v) ? v->str : NULL;
}

struct hc_lsp_doc *hc_lsp_find(struct hc_lsp *s, const struct hc_json *params)
{
	const char *uri = str_of(hc_json_get(params, "textDocument"), "uri");
	for (size_t i = 0; uri && i < s->ndocs; i++)
		if (!strcmp(s->docs[i].uri, uri))
			return &s->docs[i];
	return NULL;
}

/* plan reduced to its step for transform only, which also skips the
 * services in skip (into *one and *ex, which the caller releases). */
static void only_step(struct hc_plan *plan, const char *only, const struct hc_strlist *skip,
                      struct hc_step *one, struct hc_strlist *ex)
{
	size_t k = 0;
	while (k < plan->nsteps && strcmp(plan->steps[k].t->id, only))
		k++;
	plan->rules = NULL;
	if (k == plan->nsteps) {
		plan->steps = NULL;
		plan->nsteps = 0;
		return;
	}
	*one = plan->steps[k];
	for (size_t i = 0; skip && i < skip->n; i++)
		hc_strlist_push(ex, skip->v[i], strlen(skip->v[i]));
	for (size_t i = 0; one->exclude && i < one->exclude->n; i++)
		hc_strlist_push(ex, one->exclude->v[i], strlen(one->exclude->v[i]));
	if (skip)
		one->exclude = ex;
	plan->steps = one;
	plan->nsteps = 1;
}

static int run_engine(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only,
                      const struct hc_strlist *skip, bool rules, struct hc_result *res,
                      struct hc_diag *err)
{
	struct hc_cfgs cs = {0};
	struct hc_file_cfg fc = hc_cfgs_for(&s->cli, &cs, d->path);
	if (!fc.cfg) {
		hc_diag_set(err, fc.err->code, NULL, 0, 0, "%s", fc.err->msg);
		hc_cfgs_release(&cs);
		return -1;
	}
	char *folder = d->path ? hc_dirname(d->path) : NULL;
	struct hc_buf env = HC_BUF_INIT;
	struct hc_strset base = {0};
	struct hc_ctx ctx = {.rules = rules, .folder = folder, .secret_file = hc_side_secret_state};
	if (d->path && hc_base_services(d->path, &base))
		ctx.in_base = &base;
	if (folder) {
		struct hc_buf p = HC_BUF_INIT;
		struct hc_diag e2 = HC_DIAG_INIT;
		hc_buf_addf(&p, "%s/.env", folder);
		if (access(p.data, F_OK) == 0 && hc_read_file(p.data, &env, &e2) == 0) {
			ctx.dotenv = env.data ? env.data : "";
			ctx.dotenv_len = env.len;
		}
		hc_buf_release(&p);
		hc_diag_release(&e2);
	}
	struct hc_config_plan p;
	hc_config_plan(fc.cfg, &p);
	struct hc_plan plan = p.plan;
	struct hc_step one;
	struct hc_strlist ex = {0};
	if (only)
		only_step(&plan, only, skip, &one, &ex);
	const char *text = d->text.data ? d->text.data : "";
	hc_process(&plan, &ctx, d->path ? d->path : d->uri, text, d->text.len, res);
	hc_config_plan_release(&p);
	hc_strlist_release(&ex);
	hc_buf_release(&env);
	hc_strset_release(&base);
	free(folder);
	hc_cfgs_release(&cs);
	return 0;
}

int hc_lsp_run(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only, bool rules,
               struct hc_result *res, struct hc_diag *err)
{
	return only ? hc_lsp_run_skip(s, d, only, NULL, res, err)
	            : run_engine(s, d, NULL, NULL, rules, res, err);
}

int hc_lsp_run_skip(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only,
                    const struct hc_strlist *skip, struct hc_result *res, struct hc_diag *err)
{
	return run_engine(s, d, only, skip, false, res, err);
}

/* A Range, written out at once: the diagnostics of a big file hold
 * thousands, and a tree's numbers cost a printf and a strtod each. */
struct hc_json *hc_lsp_range(const struct hc_lsp_lines *l, const char *t, size_t len, size_t a,
                             size_t b)
{
	long la, ca, lb, cb;
	hc_lsp_pos(l, t, len, a, &la, &ca);
	hc_lsp_pos(l, t, len, b, &lb, &cb);
	char r[160];
	snprintf(r, sizeof(r),
	         "{\"start\":{\"line\":%ld,\"character\":%ld},\"end\":{\"line\":%ld,"
	         "\"character\":%ld}}",
	         la, ca, lb, cb);
	return hc_json_raw(r);
}

struct hc_json *hc_lsp_text_edits(const char *t, size_t len, const struct hc_edits *e)
{
	struct hc_lsp_lines l;
	hc_lsp_lines(&l, t, len);
	struct hc_json *a = hc_json_array();
	for (size_t i = 0; i < e->n; i++) {
		struct hc_json *x = hc_json_object();
		hc_json_add(x, "range", hc_lsp_range(&l, t, len, e->v[i].start, e->v[i].end));
		char *nt = hc_xstrndup(e->v[i].text ? e->v[i].text : "", e->v[i].len);
		hc_json_add_str(x, "newText", nt);
		free(nt);
		hc_json_push(a, x);
	}
	hc_lsp_lines_release(&l);
	return a;
}

/* The end of the line holding byte off (before its line break). */
static size_t line_end(const char *t, size_t len, size_t off)
{
	while (off < len && t[off] != '\n' && t[off] != '\r')
		off++;
	return off;
}

/* The byte offset of a parse error at line:col (1-based; col counts
 * characters), on its line. */
static size_t error_offset(const struct hc_lsp_lines *l, const char *t, size_t len,
                           const struct hc_diag *e)
{
	if (e->line <= 0 || (size_t)e->line > l->n)
		return 0;
	size_t off = l->start[e->line - 1], end = line_end(t, len, off);
	for (int c = 1; c < e->col && off < end; c++) {
		off++;
		while (off < end && ((unsigned char)t[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* A number >= 0 (printf costs more than the rest of a diagnostic). */
static void addnum(struct hc_buf *b, long v)
{
	char d[24];
	size_t i = sizeof(d);
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && i > 0);
	hc_buf_add(b, d + i, sizeof(d) - i);
}

/* Appends one Diagnostic to the JSON array in b, written out at once:
 * a big file has thousands, too many for a JSON tree to stay quick. */
/* hc_kind_of, remembering the last id asked: a document's diagnostics come
 * in runs of one id, and the lookup is a search of both tables. */
static enum hc_kind kind_of(const char *id)
{
	static char last[64];
	static enum hc_kind kind;
	if (!last[0] || strcmp(last, id)) {
		kind = hc_kind_of(id);
		if (strlen(id) < sizeof(last))
			memcpy(last, id, strlen(id) + 1);
		else
			last[0] = 0;
	}
	return kind;
}

static void diagnostic(struct hc_buf *b, const struct hc_lsp_lines *l, const char *t, size_t len,
                       size_t pos, int sev, const char *code, const char *msg)
{
	long la, ca, lb, cb;
	if (pos > len)
		pos = len;
	hc_lsp_pos(l, t, len, pos, &la, &ca);
	hc_lsp_pos(l, t, len, line_end(t, len, pos), &lb, &cb);
	hc_buf_adds(b, b->len > 1 ? ",{\"range\":{\"start\":{\"line\":"
	                          : "{\"range\":{\"start\":{\"line\":");
	addnum(b, la);
	hc_buf_adds(b, ",\"character\":");
	addnum(b, ca);
	hc_buf_adds(b, "},\"end\":{\"line\":");
	addnum(b, lb);
	hc_buf_adds(b, ",\"character\":");
	addnum(b, cb);
	hc_buf_adds(b, "}},\"severity\":");
	addnum(b, sev);
	hc_buf_adds(b, ",\"source\":\"hardcompose\"");
	if (code) {
		hc_buf_adds(b, ",\"code\":");
		hc_json_escape(b, code);
		enum hc_kind k = kind_of(code);
		if (k != HC_KIND_TOOL) {
			hc_buf_adds(b, ",\"codeDescription\":{\"href\":\"" HC_LSP_DOCS);
			hc_buf_adds(b, k == HC_KIND_RULE ? "rules.md#" : "transforms.md#");
			hc_buf_adds(b, code); /* ids are kebab-case */
			hc_buf_adds(b, "\"}");
		}
	}
	hc_buf_adds(b, ",\"message\":");
	hc_json_escape(b, msg ? msg : "");
	hc_buf_adds(b, "}");
}

/* The diagnostics of d's text, as the engine finds them: a JSON array. */
static struct hc_json *diagnostics(struct hc_lsp *s, const struct hc_lsp_doc *d)
{
	const char *t = d->text.data ? d->text.data : "";
	size_t len = d->text.len;
	struct hc_lsp_lines l;
	hc_lsp_lines(&l, t, len);
	struct hc_buf a = HC_BUF_INIT;
	hc_buf_adds(&a, "[");
	struct hc_result res;
	struct hc_diag err = HC_DIAG_INIT;
	if (hc_lsp_run(s, d, NULL, true, &res, &err) < 0) {
		diagnostic(&a, &l, t, len, 0, 1, "config", err.msg);
	} else if (res.code != HC_EXIT_OK) {
		diagnostic(&a, &l, t, len, error_offset(&l, t, len, &res.err), 1, NULL,
		           res.err.msg);
	} else {
		for (size_t i = 0; i < res.findings.n; i++) {
			const struct hc_finding *f = &res.findings.v[i];
			int sev = f->sev == HC_ERROR ? 1 : f->sev == HC_WARNING ? 2 : 3;
			diagnostic(&a, &l, t, len, f->pos, sev, f->rule, f->msg);
		}
	}
	hc_buf_adds(&a, "]");
	if (err.code == 0)
		hc_result_release(&res);
	hc_diag_release(&err);
	hc_lsp_lines_release(&l);
	struct hc_json *r = hc_json_raw(a.data);
	hc_buf_release(&a);
	return r;
}

static double now_ms(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void publish(struct hc_lsp *s, struct hc_lsp_doc *d)
{
	double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	struct hc_json *p = hc_json_object();
	hc_json_add_str(p, "uri", d->uri);
	hc_json_add(p, "diagnostics", diagnostics(s, d));
	d->dirty = false;
	notify(s, "textDocument/publishDiagnostics", p);
	s->last_ms = now_ms(CLOCK_MONOTONIC) - t0; /* analysis and message */
	double cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	if (getenv("HARDCOMPOSE_LSP_LOG")) {
		char m[160];
		snprintf(m, sizeof(m), "hardcompose: %zu bytes analysed in %.2f ms (%.2f ms CPU)",
		         d->text.len, s->last_ms, cpu);
		struct hc_json *lp = hc_json_object();
		hc_json_add_num(lp, "type", 4);
		hc_json_add_str(lp, "message", m);
		notify(s, "window/logMessage", lp);
	}
}

void hc_lsp_flush(struct hc_lsp *s)
{
	for (size_t i = 0; i < s->ndocs; i++)
		if (s->docs[i].dirty)
			publish(s, &s->docs[i]);
}

static void did_open(struct hc_lsp *s, const struct hc_json *params)
{
	const struct hc_json *td = hc_json_get(params, "textDocument");
	const char *uri = str_of(td, "uri"), *text = str_of(td, "text");
	if (!uri || !text)
		return;
	struct hc_lsp_doc *d = hc_lsp_find(s, params);
	if (!d) {
		s->docs = hc_xrealloc(s->docs, (s->ndocs + 1) * sizeof(*s->docs));
		d = &s->docs[s->ndocs++];
		*d = (struct hc_lsp_doc){
		    .uri = hc_xstrdup(uri), .path = uri_path(uri), .text = HC_BUF_INIT};
	}
	d->text.len = 0;
	hc_buf_add(&d->text, text, strlen(text));
	d->dirty = true;
}

/* Replaces [a, b) of d's text with text. */
static void splice(struct hc_lsp_doc *d, size_t a, size_t b, const char *text)
{
	struct hc_buf n = HC_BUF_INIT;
	size_t tl = strlen(text);
	const char *t = d->text.data ? d->text.data : "";
	hc_buf_add(&n, t, a);
	hc_buf_add(&n, text, tl);
	hc_buf_add(&n, t + b, d->text.len - b);
	if (!n.data)
		hc_buf_add(&n, "", 0);
	hc_buf_release(&d->text);
	d->text = n;
}

long hc_lsp_num(const struct hc_json *o, const char *key)
{
	const struct hc_json *v = hc_json_get(o, key);
	return hc_json_is_number(v) && v->num >= 0 && v->num < 1e9 ? (long)v->num : 0;
}

static void change(struct hc_lsp_doc *d, const struct hc_json *c)
{
	const char *text = str_of(c, "text");
	const struct hc_json *r = hc_json_get(c, "range");
	if (!text)
		return;
	if (!hc_json_is_object(r)) {
		d->text.len = 0;
		hc_buf_add(&d->text, text, strlen(text));
		return;
	}
	const char *t = d->text.data ? d->text.data : "";
	struct hc_lsp_lines l;
	hc_lsp_lines(&l, t, d->text.len);
	const struct hc_json *st = hc_json_get(r, "start");
	const struct hc_json *en = hc_json_get(r, "end");
	size_t a =
	    hc_lsp_off(&l, t, d->text.len, hc_lsp_num(st, "line"), hc_lsp_num(st, "character"));
	size_t b =
	    hc_lsp_off(&l, t, d->text.len, hc_lsp_num(en, "line"), hc_lsp_num(en, "character"));
	hc_lsp_lines_release(&l);
	splice(d, a, b < a ? a : b, text);
}

static void did_change(struct hc_lsp *s, const struct hc_json *params)
{
	struct hc_lsp_doc *d = hc_lsp_find(s, params);
	const struct hc_json *cs = hc_json_get(params, "contentChanges"), *c;
	if (!d)
		return;
	hc_json_for_each(c, cs) change(d, c);
	d->dirty = true;
}

static void did_close(struct hc_lsp *s, const struct hc_json *params)
{
	struct hc_lsp_doc *d = hc_lsp_find(s, params);
	if (!d)
		return;
	struct hc_json *p = hc_json_object();
	hc_json_add_str(p, "uri", d->uri);
	hc_json_add(p, "diagnostics", hc_json_array());
	notify(s, "textDocument/publishDiagnostics", p);
	free(d->uri);
	free(d->path);
	hc_buf_release(&d->text);
	*d = s->docs[--s->ndocs];
}

static struct hc_json *initialize(void)
{
	struct hc_json *r = hc_json_object(), *c = hc_json_add_object(r, "capabilities");
	struct hc_json *sync = hc_json_add_object(c, "textDocumentSync");
	hc_json_add_bool(sync, "openClose", true);
	hc_json_add_num(sync, "change", 2); /* incremental */
	struct hc_json *ca = hc_json_add_object(c, "codeActionProvider");
	const char *kinds[] = {"quickfix", "source.fixAll.hardcompose"};
	hc_json_add(ca, "codeActionKinds", hc_json_strings(kinds, 2));
	hc_json_add_bool(c, "documentFormattingProvider", true);
	hc_json_add_bool(c, "documentRangeFormattingProvider", true);
	struct hc_json *si = hc_json_add_object(r, "serverInfo");
	hc_json_add_str(si, "name", "hardcompose");
	hc_json_add_str(si, "version", HC_VERSION);
	return r;
}

/* A request (id set) or notification to the method it names. */
static void dispatch(struct hc_lsp *s, const char *m, const struct hc_json *id,
                     const struct hc_json *params)
{
	if (s->down && id) {
		hc_lsp_error(s, id, -32600, "the server is shut down");
	} else if (!strcmp(m, "initialize")) {
		if (id)
			hc_lsp_reply(s, id, initialize());
	} else if (!strcmp(m, "shutdown")) {
		s->down = true;
		if (id)
			hc_lsp_reply(s, id, NULL);
	} else if (!strcmp(m, "textDocument/didOpen")) {
		did_open(s, params);
	} else if (!strcmp(m, "textDocument/didChange")) {
		did_change(s, params);
	} else if (!strcmp(m, "textDocument/didClose")) {
		did_close(s, params);
	} else if (id && !strcmp(m, "textDocument/codeAction")) {
		struct hc_json *r = hc_lsp_code_actions(s, params);
		if (r)
			hc_lsp_reply(s, id, r);
	} else if (id && (!strcmp(m, "textDocument/formatting") ||
	                  !strcmp(m, "textDocument/rangeFormatting"))) {
		struct hc_json *r = hc_lsp_formatting(s, params, m[13] == 'r');
		if (r)
			hc_lsp_reply(s, id, r);
	} else if (id) {
		hc_lsp_error(s, id, -32601, "method not found");
	} /* other notifications ($/cancelRequest, initialized...) need nothing */
}

int hc_lsp_message(struct hc_lsp *s, const char *body, size_t n)
{
	struct hc_json *msg = hc_json_parse(body, n);
	if (!msg) {
		hc_lsp_error(s, NULL, -32700, "parse error: not JSON");
		return 0;
	}
	const struct hc_json *id = hc_json_get(msg, "id");
	if (id && !hc_json_is_number(id) && !hc_json_is_string(id))
		id = NULL;
	const char *m = hc_json_is_object(msg) ? str_of(msg, "method") : NULL;
	if (m && !strcmp(m, "exit")) {
		s->exited = true;
	} else if (m) {
		dispatch(s, m, id, hc_json_get(msg, "params"));
	} else if (!hc_json_is_object(msg) || !hc_json_get(msg, "result")) {
		if (!hc_json_is_object(msg) || !hc_json_get(msg, "error"))
			hc_lsp_error(s, id, -32600, "invalid request: no method");
	} /* a reply to a request of ours: the server sends none */
	hc_json_free(msg);
	return s->exited;
}

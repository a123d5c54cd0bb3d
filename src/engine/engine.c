/*
 * engine.c: the pipeline. See engine.h.
 */
#include "engine/engine.h"
#include "engine/project.h"
#include "base/text.h"
#include "base/strset.h"
#include "engine/shape.h"
#include "engine/suppress.h"
#include "engine/verify.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hc_findings_add(struct hc_findings *f, size_t pos, enum hc_severity sev, const char *rule,
                     const char *msg)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = hc_xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	f->v[f->n].pos = pos;
	f->v[f->n].sev = sev;
	f->v[f->n].rule = hc_xstrdup(rule);
	f->v[f->n].msg = hc_xstrdup(msg);
	f->v[f->n].order = f->n;
	f->n++;
}

void hc_findings_release(struct hc_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].rule);
		free(f->v[i].msg);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

bool hc_run_skips(const struct hc_run *r, const char *name, const struct hc_node *key)
{
	if (r->exclude && hc_strlist_has(r->exclude, name))
		return true;
	if (r->ctx->in_base && !r->in_base_too &&
	    hc_strset_has(r->ctx->in_base, name, strlen(name)))
		return true;
	return r->sup && hc_supps_hit(r->sup, r->tid, hc_pieces_map_back(r->pieces, key->start));
}

void hc_declare(struct hc_run *r, const char *path, enum hc_change kind)
{
	hc_declare_path(r->declared, path, kind);
}

static void vreport(struct hc_run *r, size_t pos, enum hc_severity sev, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	hc_findings_add(r->findings, hc_pieces_map_back(r->pieces, pos), sev, r->tid, msg);
}

void hc_report(struct hc_run *r, size_t pos, enum hc_severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(r, pos, sev, fmt, ap);
	va_end(ap);
}

void hc_side_release(struct hc_side *s)
{
	free(s->dir);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		free(s->files[i].value);
	}
	free(s->files);
	for (size_t i = 0; i < s->nenv; i++) {
		free(s->env[i].name);
		free(s->env[i].value);
	}
	free(s->env);
	free(s->mask);
	if (s->fset)
		hc_strset_release(s->fset);
	if (s->eset)
		hc_strset_release(s->eset);
	free(s->fset);
	free(s->eset);
	memset(s, 0, sizeof(*s));
}

/* Is name among the first n entries of arr (each stride bytes, its name
 * pointer at offset off)?
 * Keeps *set covering them: O(1) a call, rebuilt after a take-back. */
static bool seen_name(struct hc_strset **set, size_t *covered, const void *arr, size_t off,
                      size_t stride, size_t n, const char *name)
{
	if (!*set)
		*set = hc_xcalloc(1, sizeof(**set));
	if (*covered > n) {
		hc_strset_release(*set);
		memset(*set, 0, sizeof(**set));
		*covered = 0;
	}
	for (; *covered < n; (*covered)++) {
		const char *nm = *(char *const *)((const char *)arr + *covered * stride + off);
		hc_strset_add(*set, nm, strlen(nm));
	}
	return hc_strset_has(*set, name, strlen(name));
}

void hc_side_file(struct hc_run *r, const char *name, const char *value, size_t len, int uid)
{
	struct hc_side *s = r->side;
	if (seen_name(&s->fset, &s->nfset, s->files, offsetof(struct hc_secret_file, name),
	              sizeof(*s->files), s->nfiles, name))
		return;
	if (s->nfiles == s->capfiles) {
		s->capfiles = s->capfiles ? s->capfiles * 2 : 16;
		s->files = hc_xrealloc(s->files, s->capfiles * sizeof(*s->files));
	}
	struct hc_secret_file *f = &s->files[s->nfiles++];
	f->name = hc_xstrdup(name);
	f->value = hc_xstrndup(value, len);
	f->len = len;
	f->uid = uid;
}

void hc_side_env(struct hc_run *r, const char *name, const char *value)
{
	struct hc_side *s = r->side;
	if (seen_name(&s->eset, &s->neset, s->env, offsetof(struct hc_env_var, name),
	              sizeof(*s->env), s->nenv, name))
		return;
	if (s->nenv == s->capenv) {
		s->capenv = s->capenv ? s->capenv * 2 : 16;
		s->env = hc_xrealloc(s->env, s->capenv * sizeof(*s->env));
	}
	s->env[s->nenv].name = hc_xstrdup(name);
	s->env[s->nenv++].value = value ? hc_xstrdup(value) : NULL;
}

void hc_side_mask(struct hc_run *r, size_t start, size_t end)
{
	if (end <= start)
		return;
	struct hc_side *s = r->side;
	if (s->nmask == s->capmask) {
		s->capmask = s->capmask ? s->capmask * 2 : 16;
		s->mask = hc_xrealloc(s->mask, s->capmask * sizeof(*s->mask));
	}
	size_t a = hc_pieces_map_back(r->pieces, start);
	size_t b = hc_pieces_map_back(r->pieces, end - 1) + 1;
	s->mask[s->nmask++] = (struct hc_range){a, b > a ? b : a};
}

static void service_change(struct hc_run *r, const struct hc_service *s, const char *key,
                           enum hc_change kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void service_change(struct hc_run *r, const struct hc_service *s, const char *key,
                           enum hc_change kind, const char *fmt, va_list ap)
{
	struct hc_buf p = HC_BUF_INIT;
	hc_buf_adds(&p, s->path);
	/* key may be a path below the service: "healthcheck/start_period" */
	for (const char *k = key;;) {
		const char *slash = strchr(k, '/');
		size_t n = slash ? (size_t)(slash - k) : strlen(k);
		hc_ptr_add(&p, k, n);
		if (!slash)
			break;
		k = slash + 1;
	}
	hc_declare(r, p.data, kind);
	hc_buf_release(&p);
	if (!r->first_key[0] && strlen(key) < sizeof(r->first_key))
		memcpy(r->first_key, key, strlen(key) + 1);
	vreport(r, s->key->start, HC_WARNING, fmt, ap);
	r->changes++;
}

void hc_service_change(struct hc_run *r, const struct hc_service *s, const char *key,
                       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	service_change(r, s, key, HC_CHANGE_EXTEND, fmt, ap);
	va_end(ap);
}

void hc_service_rewrite(struct hc_run *r, const struct hc_service *s, const char *key,
                        const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	service_change(r, s, key, HC_CHANGE_ANY, fmt, ap);
	va_end(ap);
}

static void error_at(struct hc_result *res, const char *name, const struct hc_doc *doc, size_t pos,
                     int code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void error_at(struct hc_result *res, const char *name, const struct hc_doc *doc, size_t pos,
                     int code, const char *fmt, ...)
{
	int line = 0, col = 0;
	if (doc)
		hc_doc_linecol(doc, pos, &line, &col);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hc_diag_set(&res->err, code, name, line, col, "%s", msg);
	res->code = code;
}

/* Passes the text through unchanged with a note saying why. */
static void skip_not_compose(struct hc_result *res, const char *text, size_t len, size_t pos,
                             const char *why)
{
	snprintf(res->skipped, sizeof(res->skipped), "%s", why);
	hc_buf_add(&res->out, text, len);
	char msg[400];
	snprintf(msg, sizeof(msg),
	         "not a compose file: %s; left as it is (a file named compose*.yaml, or "
	         "--stdin-filepath compose.yaml, is always read as one)",
	         why);
	hc_findings_add(&res->findings, pos, HC_NOTE, "engine", msg);
}

/* Checks the compose shape; returns the services mapping or NULL. */
static int check_shape(struct hc_result *res, const char *name, const struct hc_doc *doc,
                       struct hc_node **services)
{
	*services = NULL;
	struct hc_node *root = doc->root;
	if (!root || hc_is_null(root))
		return 0;
	if (root->type != HC_MAP) {
		error_at(res, name, doc, root->start, HC_EXIT_INVALID,
		         "not a compose file: the top level is %s, not a mapping",
		         hc_type_name(root));
		return -1;
	}
	struct hc_node *key = NULL;
	struct hc_node *s = hc_map_get(root, "services", &key);
	if (!s || hc_is_null(s))
		return 0;
	struct hc_node *sd = hc_deref(s);
	if (!sd || sd->type != HC_MAP) {
		error_at(res, name, doc, s->start, HC_EXIT_INVALID,
		         "not a compose file: 'services' is %s, not a mapping",
		         hc_type_name(sd ? sd : s));
		return -1;
	}
	for (size_t i = 0; i + 1 < sd->nkids; i += 2) {
		struct hc_node *k = sd->kids[i], *v = hc_deref(sd->kids[i + 1]);
		if (k->type != HC_SCALAR || k->empty || !k->len) {
			error_at(res, name, doc, k->empty ? sd->kids[i + 1]->start : k->start,
			         HC_EXIT_INVALID, "a service name must be a non-empty string");
			return -1;
		}
		if (v && v->type != HC_MAP && !hc_is_null(v)) {
			error_at(res, name, doc, sd->kids[i + 1]->start, HC_EXIT_INVALID,
			         "service '%s' is %s, not a mapping", k->text, hc_type_name(v));
			return -1;
		}
	}
	*services = sd;
	return 0;
}

static void run_transform(const struct hc_step *st, struct hc_run *r, struct hc_node *services)
{
	struct hc_buf path = HC_BUF_INIT;
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *k = services->kids[i], *v = services->kids[i + 1];
		if (hc_run_skips(r, k->text, k))
			continue;
		if (v->type == HC_ALIAS) {
			/* editing it would edit the anchor every user shares */
			continue;
		}
		path.len = 0;
		hc_buf_adds(&path, "/services");
		hc_ptr_add(&path, k->text, k->len);
		struct hc_service s = {
		    .name = k->text, .key = k, .value = v, .path = path.data, .ctx = r->ctx};
		if (r->ctx->project)
			hc_project_service(r, st->t, &s, st->opts); /* project.h */
		else
			st->t->service(r, &s, st->opts);
	}
	hc_buf_release(&path);
}

/* Does an edit from `mark` on touch an earlier one (same offset, adjacent or
 * overlapping) that extends a different collection, or is any edit of the
 * batch of unknown place? Then their order is not known. Sorted once,
 * searched per edit: n log n. */
static int by_start(const void *a, const void *b)
{
	const struct hc_edit *x = *(const struct hc_edit *const *)a,
	                     *y = *(const struct hc_edit *const *)b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static bool batch_conflict(const struct hc_edits *e, size_t mark)
{
	/* an edit of unknown place (filling a null value, rewriting a scalar)
	 * may be positioned by lines the other transform adds: never batched */
	for (size_t i = 0; i < e->n; i++)
		if (!e->v[i].owner)
			return true;
	const struct hc_edit **v = hc_xcalloc(mark + 1, sizeof(*v));
	size_t maxlen = 0;
	for (size_t j = 0; j < mark; j++) {
		v[j] = &e->v[j];
		if (v[j]->end - v[j]->start > maxlen)
			maxlen = v[j]->end - v[j]->start;
	}
	qsort(v, mark, sizeof(*v), by_start);
	bool conflict = false;
	for (size_t i = mark; i < e->n && !conflict; i++) {
		const struct hc_edit *x = &e->v[i];
		/* candidates start in [x->start - maxlen, x->end] */
		size_t lo = 0, hi = mark, from = x->start > maxlen ? x->start - maxlen : 0;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (v[mid]->start < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = lo; j < mark && v[j]->start <= x->end && !conflict; j++) {
			const struct hc_edit *y = v[j];
			bool touch = x->start == y->start || x->start == y->end ||
			             x->end == y->start || (x->start < y->end && y->start < x->end);
			conflict = touch && (!x->owner || x->owner != y->owner);
		}
	}
	free(v);
	return conflict;
}

static void side_rollback(struct hc_side *s, size_t files, size_t env)
{
	while (s->nfiles > files) {
		s->nfiles--;
		free(s->files[s->nfiles].name);
		free(s->files[s->nfiles].value);
	}
	while (s->nenv > env) {
		s->nenv--;
		free(s->env[s->nenv].name);
		free(s->env[s->nenv].value);
	}
}

struct hc_run_mark hc_run_mark(const struct hc_run *r)
{
	return (struct hc_run_mark){r->edits.n, r->side->nfiles, r->side->nenv};
}

void hc_run_rollback(struct hc_run *r, struct hc_run_mark m)
{
	hc_edits_rollback(&r->edits, m.edits);
	side_rollback(r->side, m.files, m.env);
}

/* Takes back what one run proposed and reported. */
static void undo_run(struct hc_result *res, struct hc_edits *e, size_t mark, size_t f0, size_t sf0,
                     size_t se0, size_t sm0)
{
	hc_edits_rollback(e, mark);
	while (res->findings.n > f0) {
		res->findings.n--;
		free(res->findings.v[res->findings.n].rule);
		free(res->findings.v[res->findings.n].msg);
	}
	side_rollback(&res->side, sf0, se0);
	res->side.nmask = sm0;
}

/* One run of a plan over a text: what the steps share. */
struct pipeline {
	struct hc_result *res;
	const char *name;
	const struct hc_plan *plan;
	const struct hc_ctx *ctx; /* never NULL */
	struct hc_doc orig;       /* the input, parsed */
	struct hc_doc cur;        /* res->out, parsed; shallow copy of orig until a batch applies */
	bool cur_is_orig;         /* then cur is not released on its own */
	struct hc_node *services; /* of orig */
	struct hc_supps sup;      /* ignore comments of the input */
	struct hc_declared declared;
	struct hc_buf next;    /* scratch for the next output text */
	struct hc_edits batch; /* edits proposed, not yet applied */
	const char *batch_tid; /* the last transform that proposed some */
	bool batch_open;       /* it is marked batch: the next may join */
	bool can_batch;        /* the input's shape allows batching at all */
};

/* Applies p->batch to res->out and re-parses it into p->cur. */
static void apply_batch(struct pipeline *p)
{
	struct hc_result *res = p->res;
	size_t bad;
	struct hc_error e;
	if (hc_edits_apply(&p->batch, res->out.data, res->out.len, &p->next, &res->pieces, &bad) <
	    0) {
		error_at(res, p->name, &p->orig,
		         hc_pieces_map_back(&res->pieces, p->batch.v[bad].start), HC_EXIT_VERIFY,
		         "transform '%s' proposed overlapping edits; refused", p->batch_tid);
		hc_edits_clear(&p->batch);
		return;
	}
	hc_edits_clear(&p->batch);
	struct hc_buf tmp = res->out;
	res->out = p->next;
	p->next = tmp;
	if (!p->cur_is_orig)
		hc_doc_release(&p->cur);
	p->cur_is_orig = false;
	if (hc_doc_parse(&p->cur, res->out.data, res->out.len, &e) < 0) {
		p->cur_is_orig = true; /* nothing left to release */
		/* the error's place in the output, mapped back to the input */
		size_t at = 0;
		for (int l = 1; l < e.line && at < res->out.len; at++)
			l += res->out.data[at] == '\n';
		for (int c = 1; c < e.col && at < res->out.len && res->out.data[at] != '\n'; at++)
			c += ((unsigned char)res->out.data[at] & 0xC0) != 0x80;
		error_at(res, p->name, &p->orig, hc_pieces_map_back(&res->pieces, at),
		         HC_EXIT_VERIFY,
		         "transform '%s' produced text that does not parse (%s, at %d:%d of the "
		         "result); refused",
		         p->batch_tid, e.msg, e.line, e.col);
	}
}

static bool skip_cb(void *ctx, const char *id, size_t pos)
{
	return hc_supps_hit(ctx, id, pos);
}

static void note_alias_services(struct hc_result *res, struct hc_node *services)
{
	for (size_t i = 0; i + 1 < services->nkids; i += 2)
		if (services->kids[i + 1]->type == HC_ALIAS) {
			char msg[300];
			snprintf(msg, sizeof(msg),
			         "service \"%s\" is an alias of another node; not rewritten",
			         services->kids[i]->text);
			hc_findings_add(&res->findings, services->kids[i + 1]->start, HC_NOTE,
			                "engine", msg);
		}
}

/* Batches only where each service is a non-empty block mapping: two
 * transforms filling one empty or flow mapping in one batch would both
 * write its first entry. */
static bool batchable(const struct hc_ctx *ctx, const struct hc_doc *orig,
                      const struct hc_node *services)
{
	bool ok =
	    !ctx->no_batch && orig->root->type == HC_MAP && !orig->root->flow && !services->flow;
	for (size_t i = 0; ok && i + 1 < services->nkids; i += 2) {
		const struct hc_node *v = services->kids[i + 1];
		ok = v->type == HC_ALIAS || (v->type == HC_MAP && !v->flow && v->nkids > 0);
	}
	return ok;
}

/* Runs step st over the current text, its edits joining the batch. False
 * when it must run again alone: it inserts where the batch does, into
 * another collection, so their order would be a guess; what it proposed
 * is taken back and the batch applied. */
static bool run_step(struct pipeline *p, const struct hc_step *st)
{
	struct hc_result *res = p->res;
	const struct hc_transform *t = st->t;
	struct hc_run r = {
	    .doc = &p->cur,
	    .tid = t->id,
	    .edits = p->batch,
	    .declared = &p->declared,
	    .findings = &res->findings,
	    .pieces = &res->pieces,
	    .classes = p->plan->classes,
	    .ctx = p->ctx,
	    .side = &res->side,
	    .exclude = st->exclude,
	    .sup = &p->sup,
	    .in_base_too = t->in_base_too,
	};
	struct hc_node *svc = NULL;
	struct hc_result scratch = {0};
	check_shape(&scratch, p->name, &p->cur, &svc);
	hc_diag_release(&scratch.err);
	size_t mark = p->batch.n, f0 = res->findings.n, sf0 = res->side.nfiles,
	       se0 = res->side.nenv, sm0 = res->side.nmask;
	if (t->document && p->cur.root && p->cur.root->type == HC_MAP)
		t->document(&r, p->cur.root, st->opts);
	if (svc && t->service)
		run_transform(st, &r, svc);
	if (mark && batch_conflict(&r.edits, mark)) {
		undo_run(res, &r.edits, mark, f0, sf0, se0, sm0);
		p->batch = r.edits;
		apply_batch(p);
		p->batch_open = false;
		return false;
	}
	res->changes += r.changes;
	p->batch = r.edits;
	p->batch_tid = t->id;
	p->batch_open = t->batch;
	return true;
}

/* Transforms marked `batch` share one edit batch and one re-parse with the
 * batchable transforms right before them (they read no key those write);
 * any other transform applies its edits and re-parses at once. */
static void run_steps(struct pipeline *p)
{
	const struct hc_plan *plan = p->plan;
	for (size_t i = 0; i <= plan->nsteps && p->res->code == HC_EXIT_OK; i++) {
		const struct hc_step *st = i < plan->nsteps ? &plan->steps[i] : NULL;
		if (st && hc_supps_file(&p->sup, st->t->id))
			continue;
		if (p->batch.n && !(st && p->batch_open && st->t->batch && p->can_batch)) {
			apply_batch(p);
			if (p->res->code != HC_EXIT_OK)
				break;
		}
		if (!st)
			break;
		if (!run_step(p, st) && p->res->code == HC_EXIT_OK)
			i--; /* run it again, alone */
	}
	hc_edits_clear(&p->batch);
	hc_buf_release(&p->next);
}

/* A service that is an alias of another changes with it. */
static void declare_alias_services(struct hc_declared *declared, const struct hc_node *services)
{
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *v = services->kids[i + 1];
		for (size_t k = 0; v->type == HC_ALIAS && k + 1 < services->nkids; k += 2) {
			if (services->kids[k + 1] != v->target)
				continue;
			struct hc_buf from = HC_BUF_INIT, to = HC_BUF_INIT;
			hc_buf_adds(&from, "/services");
			hc_ptr_add(&from, services->kids[k]->text, services->kids[k]->len);
			hc_buf_adds(&to, "/services");
			hc_ptr_add(&to, services->kids[i]->text, services->kids[i]->len);
			hc_declare_copy(declared, from.data, to.data);
			hc_buf_release(&from);
			hc_buf_release(&to);
		}
	}
}

/* Drops the findings an ignore comment covers (not its own warnings). */
static void drop_suppressed(struct hc_findings *fs, const struct hc_supps *sup)
{
	size_t w = 0;
	for (size_t i = 0; i < fs->n; i++) {
		struct hc_finding *f = &fs->v[i];
		if (strcmp(f->rule, "suppression") && hc_supps_hit(sup, f->rule, f->pos)) {
			free(f->rule);
			free(f->msg);
			continue;
		}
		fs->v[w++] = *f;
	}
	fs->n = w;
}

/* Parses the input and checks its shape into p; false when the run ends
 * there (an error, or no services: the text stays as it is). */
static bool start(struct pipeline *p, const char *text, size_t len)
{
	struct hc_result *res = p->res;
	struct hc_error e;
	if (hc_doc_parse(&p->orig, text, len, &e) < 0) {
		if (e.several_docs && !p->ctx->compose_known) {
			struct hc_linecol lc = HC_LINECOL_INIT;
			size_t at = 0; /* the second document's offset, for the note */
			while (at < len &&
			       (lc.line < e.line || (lc.line == e.line && lc.col < e.col)))
				hc_linecol_to(&lc, text, len, ++at);
			skip_not_compose(res, text, len, at, "it holds several YAML documents");
			return false;
		}
		hc_diag_set(&res->err, HC_EXIT_INVALID, p->name, e.line, e.col, "%s", e.msg);
		res->code = HC_EXIT_INVALID;
		return false;
	}
	char why[160];
	size_t at;
	if (!p->ctx->compose_known && hc_not_compose(&p->orig, why, sizeof(why), &at)) {
		skip_not_compose(res, text, len, at, why);
		hc_doc_release(&p->orig);
		return false;
	}
	if (check_shape(res, p->name, &p->orig, &p->services) < 0) {
		hc_doc_release(&p->orig);
		return false;
	}
	hc_buf_add(&res->out, text, len);
	if (!p->services) {
		hc_doc_release(&p->orig);
		return false;
	}
	return true;
}

void hc_process(const struct hc_plan *plan, const struct hc_ctx *ctx, const char *name,
                const char *text, size_t len, struct hc_result *res)
{
	static const struct hc_ctx no_ctx = {0};
	memset(res, 0, sizeof(*res));
	hc_pieces_init(&res->pieces, len);
	struct pipeline p = {.res = res,
	                     .name = name,
	                     .plan = plan,
	                     .ctx = ctx ? ctx : &no_ctx,
	                     .cur_is_orig = true};
	if (!start(&p, text, len))
		return;
	note_alias_services(res, p.services);
	/* ignore comments, then the rules, on the input as written */
	hc_supps_parse(&p.orig, &p.sup, &res->findings, plan->known_id);
	if (p.ctx->rules && plan->rules) {
		size_t f0 = res->findings.n;
		plan->rules(plan->rules_ctx, &p.orig, p.services, &res->findings, skip_cb, &p.sup);
		if (p.ctx->project)
			hc_project_rules_once(p.ctx, p.services, &res->findings, f0);
	}
	p.cur = p.orig; /* shallow: orig is released once, at the end */
	p.can_batch = batchable(p.ctx, &p.orig, p.services);
	run_steps(&p);
	if (res->code == HC_EXIT_OK)
		declare_alias_services(&p.declared, p.services);
	if (res->code == HC_EXIT_OK && !p.cur_is_orig) {
		char *where = NULL;
		const struct hc_node *at = NULL;
		if (hc_verify(p.orig.root, p.cur.root, &p.declared, &where, &at) < 0)
			error_at(res, name, &p.orig, at ? at->start : 0, HC_EXIT_VERIFY,
			         "the result would change the meaning at %s; refused to write",
			         where);
		free(where);
	}
	if (!p.cur_is_orig)
		hc_doc_release(&p.cur);
	hc_doc_release(&p.orig);
	hc_declared_release(&p.declared);
	drop_suppressed(&res->findings, &p.sup); /* what the comments silence */
	hc_supps_release(&p.sup);
}

void hc_result_release(struct hc_result *res)
{
	hc_buf_release(&res->out);
	hc_diag_release(&res->err);
	hc_findings_release(&res->findings);
	hc_pieces_release(&res->pieces);
	hc_side_release(&res->side);
}

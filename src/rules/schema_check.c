/*
 * schema_check.c: the validator behind the `schema` rule. See schema.h.
 *
 * check() walks a schema node and an instance node together, collecting
 * errors (position, instance path, message). oneOf/anyOf try each branch
 * into a scratch list; when none passes, the branch that got furthest (its
 * type matched, errors deepest, then fewest) speaks for all of them, and
 * when every branch fails on the type alone the message lists the types.
 */
#include "rules/schema.h"
#include "rules/schema_inst.h"
#include "rules/schema_load.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct err {
	size_t pos;
	int depth;
	bool self_type; /* the instance itself has the wrong type */
	char *path, *msg;
};

struct errs {
	struct err *v;
	size_t n;
	size_t id; /* which list, for the memo: scratch lists come and go */
};

/* (alias target, schema) pairs already checked: an alias bomb costs what
 * its anchors cost, not what it expands to. */
struct memo {
	const void **v; /* triples: node, schema, list id; NULL when free */
	size_t cap, n;  /* cap: triples, a power of two */
};

struct vctx {
	struct hc_buf path; /* "services.web.ports[0]" */
	int depth;          /* segments in path */
	struct errs *out;
	size_t lists; /* error lists made so far (ids) */
	int soft;     /* interpolated values accepted so far */
	int guard;    /* $ref nesting */
	long budget;  /* check() calls left; at 0 the check stops */
	struct memo memo;
};

/* Adds (n, s, id) to the memo; false when it was there already. */
static bool memo_add(struct memo *m, const void *n, const void *s, size_t id)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct memo g = {hc_xcalloc(3 * cap, sizeof(void *)), cap, 0};
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[3 * i])
				memo_add(&g, m->v[3 * i], m->v[3 * i + 1], (size_t)m->v[3 * i + 2]);
		free(m->v);
		*m = g;
	}
	size_t h = (((size_t)n >> 4) * 31 + ((size_t)s >> 4) * 7 + id) & (m->cap - 1);
	for (; m->v[3 * h]; h = (h + 1) & (m->cap - 1))
		if (m->v[3 * h] == n && m->v[3 * h + 1] == s && (size_t)m->v[3 * h + 2] == id)
			return false;
	m->v[3 * h] = n, m->v[3 * h + 1] = s, m->v[3 * h + 2] = (const void *)id;
	m->n++;
	return true;
}

static void errs_release(struct errs *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].path);
		free(e->v[i].msg);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void errs_move(struct errs *to, struct errs *from)
{
	to->v = hc_xrealloc(to->v, (to->n + from->n + 1) * sizeof(*to->v));
	memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
	to->n += from->n;
	free(from->v);
	memset(from, 0, sizeof(*from));
}

static void fail(struct vctx *c, const struct hc_node *at, bool self_type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct vctx *c, const struct hc_node *at, bool self_type, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct errs *e = c->out;
	e->v = hc_xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
	e->v[e->n++] = (struct err){.pos = at ? at->start : 0,
	                            .depth = c->depth,
	                            .self_type = self_type,
	                            .path = hc_xstrdup(c->path.len ? c->path.data : ""),
	                            .msg = hc_xstrdup(msg)};
}

/* The path for messages: "services.web.ports[0]", or "the file". */
static const char *where(const struct vctx *c)
{
	return c->path.len ? c->path.data : "the top level";
}

static size_t push_key(struct vctx *c, const char *key)
{
	size_t mark = c->path.len;
	if (mark)
		hc_buf_addc(&c->path, '.');
	hc_buf_adds(&c->path, key);
	c->depth++;
	return mark;
}

static size_t push_index(struct vctx *c, size_t i)
{
	size_t mark = c->path.len;
	hc_buf_addf(&c->path, "[%zu]", i);
	c->depth++;
	return mark;
}

static void pop(struct vctx *c, size_t mark)
{
	c->path.len = mark;
	if (c->path.data)
		c->path.data[mark] = '\0';
	c->depth--;
}

/* A scalar for messages (at most 60 bytes): " 'text'" for a string,
 * " 30" for a number or boolean, "" otherwise. */
static const char *shown(const struct hc_inst *v, char *b, size_t size)
{
	if (!v->n || v->n->type != HC_SCALAR || v->n->empty)
		return "";
	size_t n = v->n->len < 60 ? v->n->len : 60;
	const char *q = v->t == HC_J_NUM || v->t == HC_J_BOOL ? "" : "'";
	snprintf(b, size, " %s%.*s%s%s", q, (int)n, v->n->text, v->n->len > 60 ? "..." : "", q);
	for (char *p = b; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return b;
}

/* What v is, for "must be X, not <found>": "the number 30", "a list". */
static const char *found(const struct hc_inst *v, char *b, size_t size)
{
	char s[80];
	const char *what = v->t == HC_J_BOOL  ? "the boolean"
	                   : v->t == HC_J_NUM ? "the number"
	                   : v->t == HC_J_STR ? "the string"
	                                      : NULL;
	if (what) {
		snprintf(b, size, "%s%s", what, shown(v, s, sizeof(s)));
		return b;
	}
	switch (v->t) {
	case HC_J_NULL:
		return "empty (null)";
	case HC_J_OBJ:
		return v->n && v->n->type == HC_SCALAR ? "a date" : "a mapping";
	case HC_J_ARR:
		return "a list";
	default:
		return "a tagged value";
	}
}

static void check(struct vctx *c, struct hc_node *at, struct hc_node *sch);

/* ---- type ------------------------------------------------------------------- */

static bool type_is(const struct hc_inst *v, const struct hc_node *t)
{
	static const struct {
		const char *name;
		enum hc_jtype t;
	} m[] = {{"object", HC_J_OBJ}, {"array", HC_J_ARR},    {"string", HC_J_STR},
	         {"number", HC_J_NUM}, {"boolean", HC_J_BOOL}, {"null", HC_J_NULL}};
	if (hc_scalar_is(t, "integer"))
		return v->t == HC_J_NUM && v->integral;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (hc_scalar_is(t, m[i].name))
			return v->t == m[i].t;
	return false;
}

/* Does the type keyword `t` (a name or a list) accept v? */
static bool types_accept(const struct hc_inst *v, struct hc_node *t, bool *scalar_kind)
{
	struct hc_node *one = t;
	size_t n = t->type == HC_SEQ ? t->nkids : 1;
	for (size_t i = 0; i < n; i++) {
		if (t->type == HC_SEQ)
			one = hc_deref(t->kids[i]);
		if (type_is(v, one))
			return true;
		if (hc_scalar_is(one, "integer") || hc_scalar_is(one, "number") ||
		    hc_scalar_is(one, "boolean"))
			*scalar_kind = true;
	}
	return false;
}

/* "a string or a number" from a type keyword, appended to b. */
static void type_names(struct hc_buf *b, struct hc_node *t)
{
	static const char *const names[][2] = {
	    {"object", "a mapping"}, {"array", "a list"},       {"string", "a string"},
	    {"number", "a number"},  {"integer", "an integer"}, {"boolean", "true or false"},
	    {"null", "empty (null)"}};
	size_t n = t->type == HC_SEQ ? t->nkids : 1;
	for (size_t i = 0; i < n; i++) {
		struct hc_node *one = t->type == HC_SEQ ? hc_deref(t->kids[i]) : t;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (hc_scalar_is(one, names[k][0]) &&
			    !strstr(b->data ? b->data : "", names[k][1])) {
				if (b->len)
					hc_buf_adds(b, " or ");
				hc_buf_adds(b, names[k][1]);
			}
	}
}

/* false: stop checking this instance against this schema */
static bool check_type(struct vctx *c, const struct hc_inst *v, struct hc_node *sch)
{
	struct hc_node *t = hc_schema_kw(sch, "type");
	bool scalar_kind = false;
	if (!t || types_accept(v, t, &scalar_kind))
		return true;
	if (scalar_kind && v->interpolated) {
		c->soft++; /* Compose interpolates first: ${PORT} can be a number */
		return false;
	}
	struct hc_buf want = HC_BUF_INIT;
	type_names(&want, t);
	char b[120];
	bool hint =
	    strstr(want.data, "a string") && (v->t == HC_J_BOOL || v->t == HC_J_NUM ||
	                                      (v->t == HC_J_OBJ && v->n->type == HC_SCALAR));
	fail(c, v->at, true, "%s must be %s, not %s%s", where(c), want.data, found(v, b, sizeof(b)),
	     hint ? " (quote it to make it a string)" : "");
	hc_buf_release(&want);
	return false;
}

/* ---- scalars ------------------------------------------------------------------ */

static bool enum_has(struct hc_node *list, const struct hc_inst *v)
{
	for (size_t i = 0; i < list->nkids; i++) {
		struct hc_node *e = hc_deref(list->kids[i]);
		struct hc_inst ev;
		hc_inst_of(e, &ev);
		if (ev.t == v->t && hc_inst_equal(e, v->at))
			return true;
	}
	return false;
}

static void check_enum(struct vctx *c, const struct hc_inst *v, struct hc_node *list)
{
	if (!list || list->type != HC_SEQ || enum_has(list, v))
		return;
	if (v->interpolated) {
		c->soft++;
		return;
	}
	struct hc_buf all = HC_BUF_INIT;
	for (size_t i = 0; i < list->nkids; i++)
		hc_buf_addf(&all, "%s%s", i ? ", " : "", hc_deref(list->kids[i])->text);
	char b[80];
	fail(c, v->at, false, "%s must be one of %s, not%s", where(c), all.data,
	     *shown(v, b, sizeof(b)) ? b : " empty");
	hc_buf_release(&all);
}

static void check_scalar(struct vctx *c, const struct hc_inst *v, struct hc_node *sch)
{
	char b[80];
	check_enum(c, v, hc_schema_kw(sch, "enum"));
	struct hc_node *pat = hc_schema_kw(sch, "pattern");
	if (pat && v->t == HC_J_STR && !hc_schema_match(pat->text, v->n->text, v->n->len)) {
		if (v->interpolated)
			c->soft++;
		else
			fail(c, v->at, false, "%s:%s does not match the pattern %s", where(c),
			     shown(v, b, sizeof(b)), pat->text);
	}
	struct hc_node *min = hc_schema_kw(sch, "minimum"), *max = hc_schema_kw(sch, "maximum");
	if (v->t != HC_J_NUM)
		return;
	if (min && v->num < strtod(min->text, NULL))
		fail(c, v->at, false, "%s must be at least %s, not%s", where(c), min->text,
		     shown(v, b, sizeof(b)));
	if (max && v->num > strtod(max->text, NULL))
		fail(c, v->at, false, "%s must be at most %s, not%s", where(c), max->text,
		     shown(v, b, sizeof(b)));
}

/* ---- mappings ------------------------------------------------------------------ */

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (up + 1 < best)
				best = up + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* " (did you mean 'image'?)" when a property is close to key, else "". */
static const char *suggest(struct hc_node *props, const char *key, char *b, size_t size)
{
	size_t best = 99;
	const char *name = NULL;
	for (size_t i = 0; props && i + 1 < props->nkids; i += 2) {
		size_t d = distance(key, props->kids[i]->text);
		if (d < best)
			best = d, name = props->kids[i]->text;
	}
	size_t len = strlen(key);
	if (!name || best > (len < 5 ? 1 : len < 9 ? 2 : 3))
		return "";
	snprintf(b, size, " (did you mean '%s'?)", name);
	return b;
}

static void check_required(struct vctx *c, const struct hc_inst *v, struct hc_node *req,
                           const struct hc_entries *e)
{
	for (size_t i = 0; req && req->type == HC_SEQ && i < req->nkids; i++) {
		const char *name = hc_deref(req->kids[i])->text;
		size_t k = 0;
		while (k < e->n && strcmp(e->v[k].key, name))
			k++;
		if (k == e->n)
			fail(c, v->at, false, "%s: the required key '%s' is missing", where(c),
			     name);
	}
}

/* Checks one entry's value against the schemas its key selects; false when
 * no schema selects it and additionalProperties is false. */
static bool check_entry(struct vctx *c, const struct hc_entry *en, struct hc_node *sch)
{
	struct hc_node *props = hc_schema_kw(sch, "properties");
	struct hc_node *pprops = hc_schema_kw(sch, "patternProperties");
	struct hc_node *addl = hc_schema_kw(sch, "additionalProperties");
	bool matched = false;
	struct hc_node *p = props ? hc_map_get(props, en->key, NULL) : NULL;
	if (p) {
		matched = true;
		check(c, en->value, p);
	}
	for (size_t i = 0; pprops && i + 1 < pprops->nkids; i += 2)
		if (hc_schema_match(pprops->kids[i]->text, en->key, strlen(en->key))) {
			matched = true;
			check(c, en->value, pprops->kids[i + 1]);
		}
	if (matched || !addl)
		return true;
	if (addl->type == HC_MAP)
		check(c, en->value, addl);
	return !hc_scalar_is(addl, "false");
}

static void check_object(struct vctx *c, const struct hc_inst *v, struct hc_node *sch)
{
	struct hc_entries e;
	hc_entries_of(v->n->type == HC_MAP ? v->n : NULL, &e);
	check_required(c, v, hc_schema_kw(sch, "required"), &e);
	bool any = hc_schema_kw(sch, "properties") || hc_schema_kw(sch, "patternProperties") ||
	           hc_schema_kw(sch, "additionalProperties");
	for (size_t i = 0; any && i < e.n; i++) {
		size_t mark = push_key(c, e.v[i].key);
		bool known = check_entry(c, &e.v[i], sch);
		pop(c, mark);
		if (known)
			continue;
		char b[300];
		fail(c, e.v[i].knode, false, "%s: unknown key '%s'%s", where(c), e.v[i].key,
		     suggest(hc_schema_kw(sch, "properties"), e.v[i].key, b, sizeof(b)));
	}
	hc_entries_release(&e);
}

/* ---- lists ----------------------------------------------------------------------- */

static void check_array(struct vctx *c, const struct hc_inst *v, struct hc_node *sch)
{
	struct hc_node *items = hc_schema_kw(sch, "items");
	struct hc_node *seq = v->n;
	for (size_t i = 0; items && i < seq->nkids; i++) {
		size_t mark = push_index(c, i);
		check(c, seq->kids[i], items);
		pop(c, mark);
	}
	if (!hc_scalar_is(hc_schema_kw(sch, "uniqueItems"), "true"))
		return;
	for (size_t j = 1; j < seq->nkids; j++)
		for (size_t i = 0; i < j; i++)
			if (hc_inst_equal(seq->kids[i], seq->kids[j])) {
				fail(
				    c, seq->kids[j], false,
				    "%s: item %zu repeats item %zu; the items of this list must be "
				    "unique",
				    where(c), j, i);
				i = j; /* one finding per repeated item */
			}
}

/* ---- oneOf, anyOf, allOf ------------------------------------------------------- */

/* How far a failed branch got: 0 when the type alone failed, else more for
 * deeper errors, then fewer of them. */
static long branch_score(const struct vctx *c, const struct errs *e)
{
	int deepest = 0;
	bool type_only = true;
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].depth > deepest)
			deepest = e->v[i].depth;
		if (!e->v[i].self_type || e->v[i].depth != c->depth)
			type_only = false;
	}
	if (type_only)
		return 0;
	return 1 + (long)(deepest - c->depth) * 1000 + (999 - (long)(e->n < 999 ? e->n : 999));
}

/* The schema a branch names, after $refs. */
static struct hc_node *branch_schema(struct hc_node *b)
{
	b = hc_deref(b);
	for (int i = 0; i < 8 && b && hc_schema_kw(b, "$ref"); i++)
		b = hc_schema_resolve(hc_schema_kw(b, "$ref"));
	return b;
}

/* Every branch failed on the type alone: one message listing them. */
static void fail_types(struct vctx *c, struct hc_node *at, struct hc_node *alts)
{
	struct hc_inst v;
	hc_inst_of(at, &v);
	struct hc_buf want = HC_BUF_INIT;
	for (size_t i = 0; i < alts->nkids; i++) {
		struct hc_node *b = branch_schema(alts->kids[i]);
		struct hc_node *t = b ? hc_schema_kw(b, "type") : NULL;
		if (t)
			type_names(&want, t);
	}
	char b[120];
	fail(c, at, true, "%s must be %s, not %s", where(c), want.len ? want.data : "another type",
	     found(&v, b, sizeof(b)));
	hc_buf_release(&want);
}

static void check_alternatives(struct vctx *c, struct hc_node *at, struct hc_node *alts, bool one)
{
	size_t strict = 0, soft = 0;
	struct errs best = {0};
	long best_score = -1;
	bool all_type = true;
	for (size_t i = 0; i < alts->nkids; i++) {
		struct errs tmp = {.id = ++c->lists}, *save = c->out;
		int soft0 = c->soft;
		c->out = &tmp;
		check(c, at, alts->kids[i]);
		c->out = save;
		bool was_soft = c->soft > soft0;
		c->soft = soft0;
		if (!tmp.n) {
			strict += !was_soft;
			soft += was_soft;
			continue;
		}
		long score = branch_score(c, &tmp);
		all_type = all_type && score == 0;
		if (score > best_score) {
			errs_release(&best);
			best = tmp, best_score = score;
		} else {
			errs_release(&tmp);
		}
	}
	if (strict + soft == 0) {
		if (all_type)
			fail_types(c, at, alts);
		else
			errs_move(c->out, &best);
	} else if (one && strict > 1) {
		fail(c, at, false, "%s matches more than one of the forms the schema allows",
		     where(c));
	} else if (!strict) {
		c->soft++;
	}
	errs_release(&best);
}

static void check_all(struct vctx *c, struct hc_node *at, struct hc_node *sch)
{
	struct hc_node *all = hc_schema_kw(sch, "allOf");
	for (size_t i = 0; all && all->type == HC_SEQ && i < all->nkids; i++)
		check(c, at, all->kids[i]);
	struct hc_node *one = hc_schema_kw(sch, "oneOf"), *any = hc_schema_kw(sch, "anyOf");
	if (one && one->type == HC_SEQ)
		check_alternatives(c, at, one, true);
	if (any && any->type == HC_SEQ)
		check_alternatives(c, at, any, false);
}

/* ---- the walk -------------------------------------------------------------------- */

static void check(struct vctx *c, struct hc_node *at, struct hc_node *sch)
{
	sch = hc_deref(sch);
	if (!sch || sch->type != HC_MAP || c->guard > 64 || c->budget <= 0)
		return;
	c->budget--;
	/* an alias checked again into the same list adds the same errors */
	if (at && at->type == HC_ALIAS && !memo_add(&c->memo, at->target, sch, c->out->id))
		return;
	struct hc_node *ref = hc_schema_kw(sch, "$ref");
	if (ref) { /* draft-07: $ref's siblings are ignored */
		c->guard++;
		check(c, at, hc_schema_resolve(ref));
		c->guard--;
		return;
	}
	struct hc_inst v;
	hc_inst_of(at, &v);
	if (v.t == HC_J_ANY || !check_type(c, &v, sch))
		return;
	check_scalar(c, &v, sch);
	if (v.t == HC_J_OBJ)
		check_object(c, &v, sch);
	if (v.t == HC_J_ARR)
		check_array(c, &v, sch);
	check_all(c, at, sch);
}

int hc_schema_check(struct hc_node *root, hc_schema_emit *emit, void *ctx)
{
	struct hc_node *sch = hc_schema_root();
	if (!sch)
		return -1;
	struct errs out = {0};
	struct vctx c = {.path = HC_BUF_INIT, .out = &out, .budget = 2000000};
	if (root)
		check(&c, root, sch);
	int n = 0;
	for (size_t i = 0; i < out.n; i++) {
		size_t k = 0;
		while (k < i && out.v[k].pos != out.v[i].pos)
			k++;
		if (k < i)
			continue; /* one finding per position (an anchor merged twice) */
		emit(ctx, out.v[i].pos, out.v[i].path, out.v[i].msg);
		n++;
	}
	errs_release(&out);
	hc_buf_release(&c.path);
	free(c.memo.v);
	return n;
}

/*
 * split.c: a large file parsed in parts on two threads (see the comment
 * below and docs/architecture.md, "Split parse of large files"). parse.c
 * builds each part; this file finds the cut, checks it and joins the
 * parts.
 */
#include "yaml/parse.h"
#include "base/strset.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A large file parses in parts on two threads: the text up to a service
 * in the middle of `services:` (part A, this thread), the services from
 * there (B, a second thread) and the top-level keys after them (C). Each
 * part is a YAML document of its own: a services entry is a block mapping
 * entry whether it follows its siblings or starts a text, as long as
 * nothing before it is still open. That is checked, not assumed; the
 * whole text is parsed as one when any check fails:
 * - no line of the text starts with `%`, `---` or `...` (directives,
 *   several documents);
 * - every part parses without error; A's root is a block mapping whose
 *   last key is `services` at column 0 with a block mapping value, B's
 *   root a block mapping whose first key starts the part at the services'
 *   indentation, C's root a block mapping;
 * - the two services around the cut, parsed together as one text, come
 *   out as the two entries A and B made of them (libfyaml reads an entry at
 *   the same indentation as block scalar content after `key: |`; the pair
 *   shows it), and B does not end with a block scalar (likewise before C);
 * - no key repeats across parts; an alias to an anchor of no earlier
 *   part, or to a node that contains it, fails.
 * The parts' nodes carry absolute positions; their arenas join the
 * document's. Outputs are identical with or without the split:
 * HC_SPLIT_CHECK builds both and aborts on any difference (tests run
 * every golden and corpus file so, with HC_SPLIT_MIN=0).
 */
static size_t split_min = (size_t)-1;
static bool split_check;
static atomic_size_t splits_tried, splits_done;

void hc_doc_parse_splits(size_t *tried, size_t *done)
{
	*tried = atomic_load(&splits_tried);
	*done = atomic_load(&splits_done);
}

void hc_doc_parse_split(size_t min_bytes, bool check)
{
	split_min = min_bytes;
	split_check = check;
}

struct part {
	struct builder *b;
	size_t from, to;
	struct hc_arena arena;
	struct hc_error err;
	int rc;
};

static void part_init(struct part *p, struct hc_doc *doc, size_t from, size_t to)
{
	memset(p, 0, sizeof(*p));
	p->b = hc_xcalloc(1, sizeof(*p->b));
	p->b->doc = doc;
	p->b->arena = &p->arena;
	p->b->err = &p->err;
	p->b->defer = true;
	p->from = from;
	p->to = to;
}

static void *part_run(void *arg)
{
	struct part *p = arg;
	p->rc = hc_run_builder(p->b, p->from, p->to);
	return NULL;
}

static size_t line_end(const char *t, size_t len, size_t i)
{
	const char *nl = memchr(t + i, '\n', len - i);
	return nl ? (size_t)(nl - t) + 1 : len;
}

static bool blank_or_comment(const char *t, size_t i, size_t e)
{
	while (i < e && t[i] == ' ')
		i++;
	return i == e || t[i] == '#' || t[i] == '\n' || t[i] == '\r';
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Where to cut: *svc the `services:` line, *mid the line of a service
 * near the middle, *tail the first top-level line after the services (or
 * len), *ind the services' indentation. False when there is no cut. */
static bool find_cut(const char *t, size_t len, size_t *svc, size_t *mid, size_t *tail, size_t *ind)
{
	size_t s = (size_t)-1, first = 0;
	*ind = 0;
	*tail = len;
	for (size_t i = 0; i < len; i = line_end(t, len, i)) {
		char c = t[i];
		if (c == '%' ||
		    (len - i >= 3 && (!memcmp(t + i, "---", 3) || !memcmp(t + i, "...", 3))))
			return false;
		if (s == (size_t)-1) {
			if (len - i > 9 && !memcmp(t + i, "services:", 9))
				s = i;
			continue;
		}
		size_t e = line_end(t, len, i);
		if (i == s || blank_or_comment(t, i, e))
			continue;
		if (c != ' ') {
			if (*tail == len)
				*tail = i; /* keep scanning for document markers */
			continue;
		}
		if (!*ind && *tail == len) {
			size_t k = i;
			while (k < e && t[k] == ' ')
				k++;
			if (!key_char(t[k]))
				return false;
			*ind = k - i;
			first = i;
		}
	}
	if (s == (size_t)-1 || !*ind || first >= *tail)
		return false;
	/* the services' own line: `services:` then nothing but a comment */
	size_t k = s + 9, e = line_end(t, len, s);
	while (k < e && t[k] == ' ')
		k++;
	if (k < e && t[k] != '#' && t[k] != '\n' && t[k] != '\r')
		return false;
	*svc = s;
	/* the first entry line at the indentation from the middle on */
	for (size_t i = line_end(t, len, first + (*tail - first) / 2); i < *tail;
	     i = line_end(t, len, i)) {
		if (len - i > *ind && key_char(t[i + *ind]) &&
		    (*ind == 0 || t[i + *ind - 1] == ' ')) {
			size_t sp = 0;
			while (sp < *ind && t[i + sp] == ' ')
				sp++;
			if (sp == *ind) {
				*mid = i;
				return i > first;
			}
		}
	}
	return false;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Same nodes: positions, kinds, styles, texts, anchors, tags; with
 * targets, aliases' targets too (by position). */
static bool same_tree(const struct hc_node *a, const struct hc_node *b, bool targets, size_t delta)
{
	if (a->type != b->type || a->start + delta != b->start || a->end + delta != b->end ||
	    a->len != b->len || a->nkids != b->nkids || a->style != b->style ||
	    a->flow != b->flow || a->empty != b->empty || a->bare != b->bare ||
	    !same_str(a->anchor, b->anchor) || !same_str(a->tag, b->tag))
		return false;
	if ((a->type == HC_SCALAR || a->type == HC_ALIAS) && a->len &&
	    memcmp(a->text, b->text, a->len))
		return false;
	if (a->type == HC_ALIAS)
		return !targets ||
		       (a->target && b->target && a->target->start == b->target->start &&
		        a->target->type == b->target->type);
	for (size_t i = 0; i < a->nkids; i++) {
		if ((a->kids[i]->parent == a) != (b->kids[i]->parent == b))
			return false;
		if (!same_tree(a->kids[i], b->kids[i], targets, delta))
			return false;
	}
	return true;
}

/* The last node of a tree, depth first. */
static const struct hc_node *last_node(const struct hc_node *n)
{
	while ((n->type == HC_MAP || n->type == HC_SEQ) && n->nkids)
		n = n->kids[n->nkids - 1];
	return n;
}

static bool block_scalar(const struct hc_node *n)
{
	return n->type == HC_SCALAR && (n->style == HC_LITERAL || n->style == HC_FOLDED);
}

static bool block_map(const struct hc_node *n)
{
	return n && n->type == HC_MAP && !n->flow && n->nkids >= 2;
}

/* A key that is in two of the mappings' kid lists. */
static bool repeated_keys(struct hc_node *const *x, size_t nx, struct hc_node *const *y, size_t ny)
{
	struct hc_strset set = {0};
	bool rep = false;
	for (size_t i = 0; i < nx; i += 2)
		if (x[i]->type == HC_SCALAR)
			hc_strset_add(&set, x[i]->text, x[i]->len);
	for (size_t i = 0; i < ny && !rep; i += 2)
		rep = y[i]->type == HC_SCALAR && hc_strset_has(&set, y[i]->text, y[i]->len);
	hc_strset_release(&set);
	return rep;
}

static bool contains(const struct hc_node *outer, const struct hc_node *n)
{
	for (; n; n = n->parent)
		if (n == outer)
			return true;
	return false;
}

/* Resolves part p's waiting aliases with the anchors of the parts before
 * it (latest first); false when one stays unresolved or is a cycle. */
static bool resolve(struct part *p, struct part *const *before, size_t n)
{
	for (size_t i = 0; i < p->b->nunres; i++) {
		struct hc_node *a = p->b->unres[i];
		for (size_t k = n; k-- > 0 && !a->target;)
			a->target = hc_anchor_find(&before[k]->b->anchors, a->text);
		if (!a->target || contains(a->target, a))
			return false;
	}
	return true;
}

static struct hc_node **join_kids(struct hc_arena *arena, struct hc_node *to, struct hc_node *from)
{
	struct hc_node **k = hc_arena_alloc(arena, (to->nkids + from->nkids) * sizeof(*k));
	memcpy(k, to->kids, to->nkids * sizeof(*k));
	for (size_t i = 0; i < from->nkids; i++) {
		k[to->nkids + i] = from->kids[i];
		from->kids[i]->parent = to;
	}
	to->nkids += from->nkids;
	to->end = k[to->nkids - 1]->end;
	return k;
}

/* The pair around the cut parsed as one text: the same two entries? */
static bool cut_holds(struct hc_doc *doc, struct hc_node *sa, struct hc_node *rb, size_t to)
{
	struct hc_node *ka = sa->kids[sa->nkids - 2], *kb = rb->kids[0];
	size_t from = hc_line_start(doc->text, ka->start);
	if (rb->nkids >= 4)
		to = hc_line_start(doc->text, rb->kids[2]->start);
	struct part w;
	part_init(&w, doc, from, to);
	bool ok = hc_run_builder(w.b, from, to) == 0 && block_map(w.b->root) &&
	          w.b->root->nkids == 4 && same_tree(w.b->root->kids[0], ka, false, 0) &&
	          same_tree(w.b->root->kids[1], sa->kids[sa->nkids - 1], false, 0) &&
	          same_tree(w.b->root->kids[2], kb, false, 0) &&
	          same_tree(w.b->root->kids[3], rb->kids[1], false, 0);
	hc_builder_release(w.b);
	hc_arena_release(&w.arena);
	return ok;
}

/* The last service and the first top-level key after the services, parsed
 * as one text behind the `services:` line: the same two entries? (A
 * plain scalar that ends a part is read as a value; followed by a key at
 * column 0 it may be an error.) */
static bool tail_holds(struct hc_doc *doc, size_t svc, struct hc_node *rb, struct hc_node *rc)
{
	size_t head = line_end(doc->text, doc->len, svc);
	size_t from = hc_line_start(doc->text, rb->kids[rb->nkids - 2]->start);
	size_t to = rc->nkids >= 4 ? hc_line_start(doc->text, rc->kids[2]->start) : doc->len;
	struct hc_buf t = HC_BUF_INIT;
	hc_buf_add(&t, doc->text + svc, head - svc);
	hc_buf_add(&t, doc->text + from, to - from);
	size_t line0 = 0, delta = from - (head - svc);
	struct hc_doc wd = {.text = t.data, .len = t.len, .lines = &line0, .nlines = 1};
	struct part w;
	part_init(&w, &wd, 0, t.len);
	struct hc_node *r = hc_run_builder(w.b, 0, t.len) == 0 ? w.b->root : NULL;
	bool ok = block_map(r) && r->nkids == 4 && block_map(r->kids[1]) &&
	          r->kids[1]->nkids == 2 &&
	          same_tree(r->kids[1]->kids[0], rb->kids[rb->nkids - 2], false, delta) &&
	          same_tree(r->kids[1]->kids[1], rb->kids[rb->nkids - 1], false, delta) &&
	          same_tree(r->kids[2], rc->kids[0], false, delta) &&
	          same_tree(r->kids[3], rc->kids[1], false, delta);
	hc_builder_release(w.b);
	hc_arena_release(&w.arena);
	hc_buf_release(&t);
	return ok;
}

static bool split_build(struct hc_doc *doc)
{
	size_t svc, mid, tail, ind;
	if (!find_cut(doc->text, doc->len, &svc, &mid, &tail, &ind))
		return false;
	atomic_fetch_add(&splits_tried, 1);
	struct part a, b, c;
	part_init(&a, doc, 0, mid);
	part_init(&b, doc, mid, tail);
	part_init(&c, doc, tail, doc->len);
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, part_run, &b) == 0;
	part_run(&a);
	if (tail < doc->len)
		part_run(&c);
	if (threaded)
		pthread_join(th, NULL);
	else
		part_run(&b);
	struct hc_node *ra = a.b->root, *rb = b.b->root, *rc = c.b->root;
	struct hc_node *sa = block_map(ra) ? ra->kids[ra->nkids - 1] : NULL;
	struct part *ab[] = {&a, &b};
	bool ok = a.rc == 0 && b.rc == 0 && c.rc == 0 && sa && block_map(sa) &&
	          ra->kids[ra->nkids - 2]->start == svc &&
	          ra->kids[ra->nkids - 2]->type == HC_SCALAR && ra->kids[ra->nkids - 2]->len == 8 &&
	          !memcmp(ra->kids[ra->nkids - 2]->text, "services", 8) && block_map(rb) &&
	          rb->start == mid + ind && rb->kids[0]->start == mid + ind &&
	          !block_scalar(last_node(rb)) && (tail == doc->len || block_map(rc)) &&
	          (tail == doc->len || rc->start == tail) &&
	          !repeated_keys(sa->kids, sa->nkids, rb->kids, rb->nkids) &&
	          (tail == doc->len || !repeated_keys(ra->kids, ra->nkids, rc->kids, rc->nkids)) &&
	          resolve(&a, ab, 0) && resolve(&b, ab, 1) &&
	          (tail == doc->len || resolve(&c, ab, 2)) && cut_holds(doc, sa, rb, tail) &&
	          (tail == doc->len || tail_holds(doc, svc, rb, rc));
	if (ok) {
		atomic_fetch_add(&splits_done, 1);
		sa->kids = join_kids(&a.arena, sa, rb);
		if (tail < doc->len)
			ra->kids = join_kids(&a.arena, ra, rc);
		else
			ra->end = sa->end;
		doc->root = ra;
		/* c's aliases may point into b, b's into a: all arenas stay */
		hc_arena_adopt(&doc->arena, &a.arena);
		hc_arena_adopt(&doc->arena, &b.arena);
		hc_arena_adopt(&doc->arena, &c.arena);
	} else {
		hc_arena_release(&a.arena);
		hc_arena_release(&b.arena);
		hc_arena_release(&c.arena);
	}
	hc_builder_release(a.b);
	hc_builder_release(b.b);
	hc_builder_release(c.b);
	return ok;
}

int hc_split_build(struct hc_doc *doc, struct hc_error *err)
{
	if (doc->len < split_min || !split_build(doc))
		return 0;
	if (split_check) {
		struct hc_doc whole = *doc;
		memset(&whole.arena, 0, sizeof(whole.arena));
		whole.root = NULL;
		if (hc_build_whole(&whole, err) != 0 ||
		    !same_tree(whole.root, doc->root, true, 0)) {
			fprintf(stderr, "hardcompose: internal error: the split parse differs\n");
			abort();
		}
		hc_arena_release(&whole.arena);
	}
	return 1;
}

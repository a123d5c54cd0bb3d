/*
 * parse.c: builds a located tree from libfyaml's event stream.
 *
 * libfyaml 0.7.12 does not export the start and end tokens of collection
 * nodes, but its events carry byte marks, so we build our own small tree
 * from events: every node gets the byte range it covers in the input. The
 * parser's own diagnostics are collected, never printed. tree.c checks the
 * text first and calls hc_tree_build().
 */
#include "yaml/parse.h"
#include "base/strset.h"

#include <libfyaml.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* libfyaml's wording, made plain where it reads badly. */
static const char *plain_msg(const char *m)
{
	static const char *const fix[][2] = {
	    {"wrong indendation in sequence while in mapping",
	     "a list item here is indented less than the mapping it belongs to"},
	    {"invalid alias detected", "an alias (*) needs an anchor name"},
	    {"missing comma in flow mapping", "unclosed or malformed flow mapping ({...})"},
	    {"flow sequence with invalid extra closing bracket", "a ']' without its '['"},
	};
	for (size_t i = 0; i < sizeof(fix) / sizeof(fix[0]); i++)
		if (!strcmp(m, fix[i][0]))
			return fix[i][1];
	/* never quote a character of a value: it may be a secret's */
	if (!strncmp(m, "invalid escape '", 16))
		return "invalid escape sequence in a double-quoted string";
	return m;
}

/*
 * The offset of the `|` or `>` that opens a block scalar whose content
 * starts at content (on a later line). Returns content if none is found.
 */
static size_t block_header(const char *t, size_t content)
{
	size_t ls = hc_line_start(t, content);
	if (ls == 0)
		return content;
	/* the header is on the last line before the content that is not blank */
	size_t hs = hc_line_start(t, ls - 1);
	size_t found = content;
	bool in_quote = false;
	for (size_t i = hs; i < ls; i++) {
		char c = t[i];
		if (c == '"' || c == '\'')
			in_quote = !in_quote;
		if (in_quote)
			continue;
		if (c == '#' && (i == hs || t[i - 1] == ' '))
			break;
		if ((c == '|' || c == '>') && (i == hs || t[i - 1] == ' ' || t[i - 1] == ':'))
			found = i;
	}
	return found;
}

static struct hc_node *new_node(struct hc_arena *arena, enum hc_node_type t)
{
	struct hc_node *n = hc_arena_alloc(arena, sizeof(*n));
	n->type = t;
	return n;
}

static const char *tok_text(struct hc_arena *arena, struct fy_token *t)
{
	if (!t)
		return NULL;
	size_t len;
	const char *s = fy_token_get_text(t, &len);
	return s ? hc_arena_strndup(arena, s, len) : NULL;
}

/* Anchors by name (a hash table, so 50,000 aliases cost linear time);
 * a later definition shadows an earlier one. */
struct anchors {
	const char **names; /* slots: NULL when empty */
	struct hc_node **nodes;
	size_t n, cap; /* cap: a power of two, over twice n */
};

static size_t anchor_slot(const struct anchors *a, const char *name)
{
	size_t h = (size_t)XXH3_64bits(name, strlen(name)) & (a->cap - 1);
	while (a->names[h] && strcmp(a->names[h], name))
		h = (h + 1) & (a->cap - 1);
	return h;
}

static void anchor_add(struct anchors *a, const char *name, struct hc_node *node)
{
	if ((a->n + 1) * 2 > a->cap) {
		struct anchors old = *a;
		a->cap = a->cap ? a->cap * 2 : 64;
		a->names = hc_xcalloc(a->cap, sizeof(*a->names));
		a->nodes = hc_xcalloc(a->cap, sizeof(*a->nodes));
		a->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.names[i])
				anchor_add(a, old.names[i], old.nodes[i]);
		free(old.names);
		free(old.nodes);
	}
	size_t h = anchor_slot(a, name);
	if (!a->names[h])
		a->n++;
	a->names[h] = name;
	a->nodes[h] = node;
}

static struct hc_node *anchor_find(struct anchors *a, const char *name)
{
	if (!a->cap)
		return NULL;
	size_t h = anchor_slot(a, name);
	return a->names[h] ? a->nodes[h] : NULL;
}

static bool same_key(const struct hc_node *a, const struct hc_node *b)
{
	return a->type == HC_SCALAR && b->type == HC_SCALAR && a->len == b->len &&
	       !memcmp(a->text, b->text, a->len);
}

#define MAX_DEPTH 512

struct builder {
	struct hc_doc *doc;     /* the whole text: positions are absolute */
	struct hc_arena *arena; /* where the nodes go */
	struct hc_node *root;
	size_t off; /* where the parsed part of doc->text starts: added to every mark */
	/* a part of a split parse (see split_build): an alias to no anchor of
	 * the part waits in unres for the parts before it */
	bool defer;
	struct hc_node **unres;
	size_t nunres, cunres;
	struct hc_error *err;
	struct hc_node *stack[MAX_DEPTH];
	size_t base[MAX_DEPTH]; /* where each open collection's kids start in kids */
	int depth;
	/* the kids of the open collections, innermost last: a closing
	 * collection takes its own, at their exact size, into the arena */
	struct hc_node **kids;
	size_t nkids, kcap;
	struct anchors anchors;
	size_t last_end;
	int docs;
	size_t second_doc; /* where the second document starts */
	/* keys of large mappings (services): open addressing over the key
	 * nodes themselves, with their hashes; a key's mapping is its parent */
	struct dupslot {
		uint64_t h;
		struct hc_node *key;
	} * dups;
	size_t ndups, cdups; /* cdups: a power of two, over twice ndups */
};

#define DUP_LINEAR 16

/* Fails with "what" or "what 'arg'" at pos. */
static int fail_at(struct builder *b, size_t pos, const char *what, const char *arg)
{
	char msg[200];
	if (arg)
		snprintf(msg, sizeof(msg), "%s '%s'", what, arg);
	else
		snprintf(msg, sizeof(msg), "%s", what);
	int line, col;
	hc_doc_linecol(b->doc, pos, &line, &col);
	hc_error_set(b->err, line, col, msg);
	return -1;
}

static uint64_t dup_hash(const struct hc_node *map, const struct hc_node *key)
{
	return XXH3_64bits_withSeed(key->text, key->len, (uint64_t)(uintptr_t)map);
}

static struct dupslot *dup_slot(struct builder *b, uint64_t h, const struct hc_node *map,
                                const struct hc_node *key)
{
	size_t i = (size_t)h & (b->cdups - 1);
	while (b->dups[i].key && (b->dups[i].h != h || b->dups[i].key->parent != map ||
	                          !same_key(b->dups[i].key, key)))
		i = (i + 1) & (b->cdups - 1);
	return &b->dups[i];
}

/* Adds key (to be attached to map) to the duplicate-key set; -1 if map
 * has it already. Keys added before are attached (their parent is set). */
static int dup_add(struct builder *b, const struct hc_node *map, struct hc_node *key)
{
	if (key->type != HC_SCALAR)
		return 0;
	if ((b->ndups + 1) * 2 > b->cdups) {
		struct dupslot *old = b->dups;
		size_t ocap = b->cdups;
		b->cdups = ocap ? ocap * 2 : 256;
		b->dups = hc_xcalloc(b->cdups, sizeof(*b->dups));
		for (size_t i = 0; i < ocap; i++)
			if (old[i].key) {
				size_t k = (size_t)old[i].h & (b->cdups - 1);
				while (b->dups[k].key)
					k = (k + 1) & (b->cdups - 1);
				b->dups[k] = old[i];
			}
		free(old);
	}
	uint64_t h = dup_hash(map, key);
	struct dupslot *sl = dup_slot(b, h, map, key);
	if (sl->key)
		return -1;
	sl->h = h;
	sl->key = key;
	b->ndups++;
	return 0;
}

/* Kid i of the open collection at the top of the stack. */
static struct hc_node *open_kid(const struct builder *b, size_t i)
{
	return b->kids[b->base[b->depth - 1] + i];
}

static void add_kid(struct builder *b, struct hc_node *p, struct hc_node *k)
{
	if (b->nkids == b->kcap) {
		b->kcap = b->kcap ? b->kcap * 2 : 256;
		b->kids = hc_xrealloc(b->kids, b->kcap * sizeof(*b->kids));
	}
	b->kids[b->nkids++] = k;
	p->nkids++;
	k->parent = p;
}

static int attach(struct builder *b, struct hc_node *n)
{
	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	struct hc_node *p = b->stack[b->depth - 1];
	if (p->type == HC_MAP && p->nkids % 2 == 0 && n->type == HC_SCALAR) {
		if (p->nkids < 2 * DUP_LINEAR) {
			for (size_t i = 0; i < p->nkids; i += 2)
				if (same_key(open_kid(b, i), n))
					return fail_at(b, n->start, "duplicate key", n->text);
		} else {
			/* large mappings (services): a hash set of (mapping, key) */
			if (p->nkids == 2 * DUP_LINEAR)
				for (size_t i = 0; i < p->nkids; i += 2)
					dup_add(b, p, open_kid(b, i));
			if (dup_add(b, p, n) < 0)
				return fail_at(b, n->start, "duplicate key", n->text);
		}
	}
	add_kid(b, p, n);
	return 0;
}

/* Are the len bytes at the scalar's marks its value? For a scalar on one
 * line, plain, or quoted without escapes ('' or a backslash): most of a
 * compose file's scalars, read without a token iterator (a fifth of a
 * parse's instructions). */
static bool direct_text(const struct builder *b, struct fy_token *t, const struct hc_node *n,
                        size_t len)
{
	if (n->empty || n->end < n->start || n->end - n->start != len)
		return false;
	enum fy_scalar_style st = fy_token_scalar_style(t);
	char bad = st == FYSS_SINGLE_QUOTED ? '\'' : st == FYSS_DOUBLE_QUOTED ? '\\' : 0;
	if (st != FYSS_PLAIN && !bad)
		return false;
	const char *p = b->doc->text + n->start;
	for (size_t i = 0; i < len; i++)
		if (p[i] == '\n' || p[i] == '\r' || p[i] == bad)
			return false;
	return true;
}

/*
 * The scalar's value, read through a token iterator into the arena:
 * fy_token_get_text() in 0.7.12 leaks its text buffer for long scalars that
 * need unescaping (found by fuzzing: a single-quoted key of many '').
 */
static void scalar_text(struct builder *b, struct fy_token *t, struct hc_node *n)
{
	size_t len = t ? fy_token_get_text_length(t) : 0;
	char *s = hc_arena_alloc(b->arena, len + 1);
	if (len && direct_text(b, t, n, len)) { /* the source bytes are the value */
		memcpy(s, b->doc->text + n->start, len);
		s[len] = '\0';
		n->text = s;
		n->len = len;
		return;
	}
	size_t got = 0;
	/* chunk by chunk: fy_token_iter_read() of 0.7.12 returns the chunks of
	 * an escaped or folded scalar out of order ('it''s' reads as "st") */
	struct fy_token_iter *it = len ? fy_token_iter_create(t) : NULL;
	const struct fy_iter_chunk *c = NULL;
	int cerr = 0;
	while (it && (c = fy_token_iter_chunk_next(it, c, &cerr)) != NULL) {
		size_t k = c->len < len - got ? c->len : len - got;
		memcpy(s + got, c->str, k);
		got += k;
	}
	if (it)
		fy_token_iter_destroy(it);
	s[got] = '\0';
	n->text = s;
	n->len = got;
}

/* A mapping or sequence opens: its node, starting at its bracket when it
 * is a flow collection. */
static struct hc_node *open_collection(struct builder *b, struct fy_event *e,
                                       const struct fy_mark *sm, struct fy_token **anchor,
                                       struct fy_token **tag)
{
	struct hc_node *n = new_node(b->arena, e->type == FYET_MAPPING_START ? HC_MAP : HC_SEQ);
	n->flow = fy_event_get_node_style(e) == FYNS_FLOW;
	if (e->type == FYET_MAPPING_START)
		*anchor = e->mapping_start.anchor, *tag = e->mapping_start.tag;
	else
		*anchor = e->sequence_start.anchor, *tag = e->sequence_start.tag;
	n->start = n->end = sm ? b->off + sm->input_pos : b->last_end;
	if (!n->flow)
		return n;
	/* the mark may sit on an anchor or tag: skip them to the bracket; a
	 * single-pair mapping inside a flow sequence (`[a: b]`) has none */
	const char *t = b->doc->text;
	char open = n->type == HC_MAP ? '{' : '[';
	size_t p = n->start;
	while (p < b->doc->len && (t[p] == '&' || t[p] == '!')) {
		while (p < b->doc->len && !strchr(" \t\r\n", t[p]))
			p++;
		while (p < b->doc->len && strchr(" \t\r\n", t[p]))
			p++;
	}
	if (p < b->doc->len && t[p] == open)
		n->start = p;
	else
		n->bare = true;
	return n;
}

/* A mapping or sequence closes: it ends at its bracket or its last kid. */
static void close_collection(struct builder *b, const struct fy_mark *em)
{
	struct hc_node *c = b->stack[--b->depth];
	size_t base = b->base[b->depth];
	if (c->nkids) {
		c->kids = hc_arena_alloc(b->arena, c->nkids * sizeof(*c->kids));
		memcpy(c->kids, b->kids + base, c->nkids * sizeof(*c->kids));
	}
	b->nkids = base;
	if (c->flow && em)
		c->end = (uint32_t)(b->off + em->input_pos);
	else if (c->nkids)
		c->end = c->kids[c->nkids - 1]->end;
	if (c->end > b->last_end)
		b->last_end = c->end;
}

static enum hc_scalar_style scalar_style(struct fy_token *value)
{
	switch (fy_token_scalar_style(value)) {
	case FYSS_SINGLE_QUOTED:
		return HC_SINGLE;
	case FYSS_DOUBLE_QUOTED:
		return HC_DOUBLE;
	case FYSS_LITERAL:
		return HC_LITERAL;
	case FYSS_FOLDED:
		return HC_FOLDED;
	default:
		return HC_PLAIN;
	}
}

/* A scalar: its text and style, its range covering quotes and block
 * scalar headers. */
static struct hc_node *scalar_node(struct builder *b, struct fy_event *e, const struct fy_mark *sm,
                                   const struct fy_mark *em)
{
	struct hc_node *n = new_node(b->arena, HC_SCALAR);
	if (sm && em) {
		n->start = b->off + sm->input_pos;
		n->end = b->off + em->input_pos;
	} else {
		n->empty = true;
		n->start = n->end = b->last_end;
	}
	scalar_text(b, e->scalar.value, n);
	n->style = scalar_style(e->scalar.value);
	/* a block scalar's mark starts at its content: move it back to the
	 * `|` or `>` header */
	if ((n->style == HC_LITERAL || n->style == HC_FOLDED) && !n->empty)
		n->start = block_header(b->doc->text, n->start);
	/* marks of quoted scalars exclude the quotes: include them */
	char q = n->style == HC_SINGLE ? '\'' : n->style == HC_DOUBLE ? '"' : 0;
	if (q && n->start > 0 && b->doc->text[n->start - 1] == q)
		n->start--;
	if (q && n->end < b->doc->len && b->doc->text[n->end] == q)
		n->end++;
	return n;
}

/* An alias: its node in *np, or -1 when it refers to no anchor or to a
 * node that contains it. */
static int alias_node(struct builder *b, struct fy_event *e, const struct fy_mark *sm,
                      const struct fy_mark *em, struct hc_node **np)
{
	struct hc_node *n = *np = new_node(b->arena, HC_ALIAS);
	n->start = sm ? b->off + sm->input_pos : b->last_end;
	n->end = em ? b->off + em->input_pos : n->start;
	/* the mark may sit after the '*': include it */
	if (n->start > 0 && b->doc->text[n->start] != '*' && b->doc->text[n->start - 1] == '*')
		n->start--;
	n->text = tok_text(b->arena, e->alias.anchor);
	n->len = n->text ? strlen(n->text) : 0;
	n->target = n->text ? anchor_find(&b->anchors, n->text) : NULL;
	if (!n->target && n->text && b->defer) {
		if (b->nunres == b->cunres) {
			b->cunres = b->cunres ? b->cunres * 2 : 64;
			b->unres = hc_xrealloc(b->unres, b->cunres * sizeof(*b->unres));
		}
		b->unres[b->nunres++] = n;
		return 0;
	}
	if (!n->target)
		return fail_at(b, n->start, "undefined alias", n->text ? n->text : "");
	for (int k = 0; k < b->depth; k++)
		if (b->stack[k] == n->target)
			return fail_at(b, n->start, "alias inside the node it refers to (a cycle)",
			               n->text);
	return 0;
}

/* Gives n its anchor and tag; its range starts at them. */
static void set_props(struct builder *b, struct hc_node *n, struct fy_token *anchor,
                      struct fy_token *tag)
{
	n->anchor = tok_text(b->arena, anchor);
	n->tag = tok_text(b->arena, tag);
	if (n->type == HC_SCALAR && n->empty && (anchor || tag)) {
		/* `key: &a` is a null written as its anchor (or tag): it spans
		 * them, possibly on the next line; nothing may go between */
		size_t lo = (size_t)-1, hi = 0;
		for (int i = 0; i < 2; i++) {
			struct fy_token *pt = i ? tag : anchor;
			const struct fy_mark *sm2 = pt ? fy_token_start_mark(pt) : NULL;
			const struct fy_mark *em2 = pt ? fy_token_end_mark(pt) : NULL;
			if (sm2 && b->off + sm2->input_pos < lo)
				lo = b->off + sm2->input_pos;
			if (em2 && b->off + em2->input_pos > hi)
				hi = b->off + em2->input_pos;
		}
		if (lo != (size_t)-1 && hi >= lo) {
			if (lo > 0 && b->doc->text[lo - 1] == '&')
				lo--;
			n->empty = false;
			n->start = lo;
			n->end = hi;
			if (n->end > b->last_end)
				b->last_end = n->end;
		}
	}
	/* a node starts at its tag or anchor: `!t key:` is indented where `!` is */
	for (int i = 0; i < 2; i++) {
		struct fy_token *pt = i ? tag : anchor;
		const struct fy_mark *pm = pt ? fy_token_start_mark(pt) : NULL;
		size_t at = pm ? b->off + pm->input_pos : 0;
		/* an anchor token's mark is on its name, past the '&' */
		if (pm && i == 0 && at > 0 && b->doc->text[at - 1] == '&')
			at--;
		if (pm && at < n->start && !n->flow)
			n->start = at;
	}
}

static int on_event(struct builder *b, struct fy_event *e)
{
	const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
	struct fy_token *anchor = NULL, *tag = NULL;
	struct hc_node *n = NULL;

	if (b->docs > 1 && e->type != FYET_DOCUMENT_START)
		return 0;
	switch (e->type) {
	case FYET_DOCUMENT_START:
		/* a second document is read to its end, unbuilt, so that only
		 * valid YAML counts as "several documents" (see hc_error) */
		if (++b->docs == 2)
			b->second_doc = sm ? b->off + sm->input_pos : b->last_end;
		return 0;
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		n = open_collection(b, e, sm, &anchor, &tag);
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		close_collection(b, em);
		return 0;
	case FYET_SCALAR:
		n = scalar_node(b, e, sm, em);
		anchor = e->scalar.anchor, tag = e->scalar.tag;
		break;
	case FYET_ALIAS:
		if (alias_node(b, e, sm, em, &n) < 0)
			return -1;
		break;
	default:
		return 0;
	}
	set_props(b, n, anchor, tag);
	if (attach(b, n) < 0)
		return -1;
	if (n->anchor)
		anchor_add(&b->anchors, n->anchor, n);
	if (n->type == HC_MAP || n->type == HC_SEQ) {
		if (b->depth == MAX_DEPTH)
			return fail_at(b, n->start, "nesting too deep", NULL);
		b->base[b->depth] = b->nkids;
		b->stack[b->depth++] = n;
	} else if (n->end > b->last_end) {
		b->last_end = n->end;
	}
	return 0;
}

/* Parses doc->text[from, to) into b (b->arena, b->off = from); the
 * caller sets the rest of b and releases it with builder_release(). */
static int run_builder(struct builder *b, size_t from, size_t to)
{
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = NULL;
	struct fy_diag *diag = fy_diag_create(&dc);
	if (!diag) {
		hc_error_set(b->err, 0, 0, "cannot create the YAML parser");
		return -1;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg pc = {
	    .flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
	    .diag = diag,
	};
	struct fy_parser *fyp = fy_parser_create(&pc);
	b->off = from;
	b->last_end = from;
	int rc = 0;
	if (!fyp || fy_parser_set_string(fyp, b->doc->text + from, to - from) != 0) {
		hc_error_set(b->err, 0, 0, "cannot create the YAML parser");
		rc = -1;
	}
	struct fy_event *e;
	while (rc == 0 && (e = fy_parser_parse(fyp)) != NULL) {
		rc = on_event(b, e);
		fy_parser_event_free(fyp, e);
	}
	if (rc == 0 && fyp && fy_parser_get_stream_error(fyp)) {
		void *it = NULL;
		struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
		if (de)
			hc_error_set(b->err, de->line, de->column, plain_msg(de->msg));
		else
			hc_error_set(b->err, 0, 0, "invalid YAML");
		rc = -1;
	}
	if (rc == 0 && b->docs > 1) {
		rc = fail_at(b, b->second_doc,
		             "several YAML documents in one file; a compose file has one", NULL);
		b->err->several_docs = true;
	}
	while (b->depth > 0) /* after an error: every node has its kids */
		close_collection(b, NULL);
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return rc;
}

static void builder_release(struct builder *b)
{
	free(b->kids);
	free(b->anchors.names);
	free(b->anchors.nodes);
	free(b->unres);
	free(b->dups);
	free(b);
}

static int build_whole(struct hc_doc *doc, struct hc_error *err)
{
	struct builder *b = hc_xcalloc(1, sizeof(*b));
	b->doc = doc;
	b->arena = &doc->arena;
	b->err = err;
	int rc = run_builder(b, 0, doc->len);
	doc->root = b->root;
	builder_release(b);
	return rc;
}

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
	p->rc = run_builder(p->b, p->from, p->to);
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
			a->target = anchor_find(&before[k]->b->anchors, a->text);
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
	bool ok = run_builder(w.b, from, to) == 0 && block_map(w.b->root) &&
	          w.b->root->nkids == 4 && same_tree(w.b->root->kids[0], ka, false, 0) &&
	          same_tree(w.b->root->kids[1], sa->kids[sa->nkids - 1], false, 0) &&
	          same_tree(w.b->root->kids[2], kb, false, 0) &&
	          same_tree(w.b->root->kids[3], rb->kids[1], false, 0);
	builder_release(w.b);
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
	struct hc_node *r = run_builder(w.b, 0, t.len) == 0 ? w.b->root : NULL;
	bool ok = block_map(r) && r->nkids == 4 && block_map(r->kids[1]) &&
	          r->kids[1]->nkids == 2 &&
	          same_tree(r->kids[1]->kids[0], rb->kids[rb->nkids - 2], false, delta) &&
	          same_tree(r->kids[1]->kids[1], rb->kids[rb->nkids - 1], false, delta) &&
	          same_tree(r->kids[2], rc->kids[0], false, delta) &&
	          same_tree(r->kids[3], rc->kids[1], false, delta);
	builder_release(w.b);
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
	builder_release(a.b);
	builder_release(b.b);
	builder_release(c.b);
	return ok;
}

int hc_tree_build(struct hc_doc *doc, struct hc_error *err)
{
	if (doc->len < split_min || !split_build(doc))
		return build_whole(doc, err);
	if (split_check) {
		struct hc_doc whole = *doc;
		memset(&whole.arena, 0, sizeof(whole.arena));
		whole.root = NULL;
		if (build_whole(&whole, err) != 0 || !same_tree(whole.root, doc->root, true, 0) ||
		    whole.root->parent || doc->root->parent) {
			fprintf(stderr, "hardcompose: internal error: the split parse differs\n");
			abort();
		}
		hc_arena_release(&whole.arena);
	}
	return 0;
}

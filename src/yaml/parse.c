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

#include <libfyaml.h>
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

struct hc_node *hc_anchor_find(struct anchors *a, const char *name)
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
	n->target = n->text ? hc_anchor_find(&b->anchors, n->text) : NULL;
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

int hc_run_builder(struct builder *b, size_t from, size_t to)
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

void hc_builder_release(struct builder *b)
{
	free(b->kids);
	free(b->anchors.names);
	free(b->anchors.nodes);
	free(b->unres);
	free(b->dups);
	free(b);
}

int hc_build_whole(struct hc_doc *doc, struct hc_error *err)
{
	struct builder *b = hc_xcalloc(1, sizeof(*b));
	b->doc = doc;
	b->arena = &doc->arena;
	b->err = err;
	int rc = hc_run_builder(b, 0, doc->len);
	doc->root = b->root;
	hc_builder_release(b);
	return rc;
}

int hc_tree_build(struct hc_doc *doc, struct hc_error *err)
{
	if (hc_split_build(doc, err))
		return 0;
	return hc_build_whole(doc, err);
}

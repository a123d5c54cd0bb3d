/*
 * tree.c: builds a located tree from libfyaml's event stream.
 *
 * libfyaml 0.7.12 does not export the start and end tokens of collection
 * nodes, but its events carry byte marks, so we build our own small tree
 * from events: every node gets the byte range it covers in the input. The
 * parser's own diagnostics are collected, never printed.
 */
#include "yaml/tree.h"
#include "base/strset.h"

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

static void set_err(struct hc_error *err, int line, int col, const char *msg)
{
	err->line = line;
	err->col = col;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

size_t hc_line_start(const char *text, size_t pos)
{
	while (pos > 0 && text[pos - 1] != '\n')
		pos--;
	return pos;
}

size_t hc_col(const char *text, size_t pos)
{
	size_t ls = hc_line_start(text, pos);
	/* a byte order mark takes no column */
	if (ls == 0 && pos >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		ls = 3;
	return pos - ls;
}

void hc_doc_linecol(const struct hc_doc *doc, size_t pos, int *line, int *col)
{
	size_t lo = 0, hi = doc->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (doc->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	int c = 1;
	for (size_t i = doc->lines[lo]; i < pos && i < doc->len; i++)
		if (((unsigned char)doc->text[i] & 0xC0) != 0x80)
			c++;
	*line = (int)lo + 1;
	*col = c;
}

static void index_lines(struct hc_doc *doc)
{
	size_t n = 1;
	for (size_t i = 0; i < doc->len; i++)
		n += doc->text[i] == '\n';
	doc->lines = hc_xmalloc(n * sizeof(*doc->lines));
	doc->nlines = 0;
	doc->lines[doc->nlines++] = 0;
	for (size_t i = 0; i < doc->len; i++)
		if (doc->text[i] == '\n')
			doc->lines[doc->nlines++] = i + 1;
}

/* Returns the offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
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

static struct hc_node *new_node(struct hc_doc *doc, enum hc_node_type t)
{
	struct hc_node *n = hc_arena_alloc(&doc->arena, sizeof(*n));
	n->type = t;
	return n;
}

static void add_kid(struct hc_doc *doc, struct hc_node *p, struct hc_node *k)
{
	if (p->nkids == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct hc_node **kids = hc_arena_alloc(&doc->arena, cap * sizeof(*kids));
		if (p->nkids)
			memcpy(kids, p->kids, p->nkids * sizeof(*kids));
		p->kids = kids;
		p->cap = cap;
	}
	p->kids[p->nkids++] = k;
	k->parent = p;
}

static const char *tok_text(struct hc_doc *doc, struct fy_token *t)
{
	if (!t)
		return NULL;
	size_t len;
	const char *s = fy_token_get_text(t, &len);
	return s ? hc_arena_strndup(&doc->arena, s, len) : NULL;
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
	struct hc_doc *doc;
	struct hc_error *err;
	struct hc_node *stack[MAX_DEPTH];
	int depth;
	struct anchors anchors;
	size_t last_end;
	int docs;
	struct hc_strset dups; /* keys of large mappings */
	struct hc_buf scratch;
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
	set_err(b->err, line, col, msg);
	return -1;
}

/* Adds (map, key) to the duplicate-key set; -1 if it was there. */
static int dup_add(struct builder *b, const struct hc_node *map, const struct hc_node *key)
{
	if (key->type != HC_SCALAR)
		return 0;
	b->scratch.len = 0;
	hc_buf_add(&b->scratch, &map, sizeof(map));
	hc_buf_add(&b->scratch, key->text, key->len);
	if (hc_strset_has(&b->dups, b->scratch.data, b->scratch.len))
		return -1;
	hc_strset_add(&b->dups, b->scratch.data, b->scratch.len);
	return 0;
}

static int attach(struct builder *b, struct hc_node *n)
{
	if (b->depth == 0) {
		b->doc->root = n;
		return 0;
	}
	struct hc_node *p = b->stack[b->depth - 1];
	if (p->type == HC_MAP && p->nkids % 2 == 0 && n->type == HC_SCALAR) {
		if (p->nkids < 2 * DUP_LINEAR) {
			for (size_t i = 0; i < p->nkids; i += 2)
				if (same_key(p->kids[i], n))
					return fail_at(b, n->start, "duplicate key", n->text);
		} else {
			/* large mappings (services): a hash set of (mapping, key) */
			if (p->nkids == 2 * DUP_LINEAR)
				for (size_t i = 0; i < p->nkids; i += 2)
					dup_add(b, p, p->kids[i]);
			if (dup_add(b, p, n) < 0)
				return fail_at(b, n->start, "duplicate key", n->text);
		}
	}
	add_kid(b->doc, p, n);
	return 0;
}

/*
 * The scalar's value, read through a token iterator into the arena:
 * fy_token_get_text() in 0.7.12 leaks its text buffer for long scalars that
 * need unescaping (found by fuzzing: a single-quoted key of many '').
 */
static void scalar_text(struct builder *b, struct fy_token *t, struct hc_node *n)
{
	size_t len = t ? fy_token_get_text_length(t) : 0;
	char *s = hc_arena_alloc(&b->doc->arena, len + 1);
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

static int on_event(struct builder *b, struct fy_event *e)
{
	const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
	struct fy_token *anchor = NULL, *tag = NULL;
	struct hc_node *n = NULL;

	switch (e->type) {
	case FYET_DOCUMENT_START:
		if (++b->docs > 1)
			return fail_at(b, sm ? sm->input_pos : b->last_end,
			               "several YAML documents in one file; a compose file has one",
			               NULL);
		return 0;
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		n = new_node(b->doc, e->type == FYET_MAPPING_START ? HC_MAP : HC_SEQ);
		n->flow = fy_event_get_node_style(e) == FYNS_FLOW;
		if (e->type == FYET_MAPPING_START)
			anchor = e->mapping_start.anchor, tag = e->mapping_start.tag;
		else
			anchor = e->sequence_start.anchor, tag = e->sequence_start.tag;
		n->start = n->end = sm ? sm->input_pos : b->last_end;
		if (n->flow) {
			/* the mark may sit on an anchor or tag: skip them to the
			 * bracket; a single-pair mapping inside a flow sequence
			 * (`[a: b]`) has none */
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
		}
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END: {
		struct hc_node *c = b->stack[--b->depth];
		if (c->flow && em)
			c->end = em->input_pos;
		else if (c->nkids)
			c->end = c->kids[c->nkids - 1]->end;
		if (c->end > b->last_end)
			b->last_end = c->end;
		return 0;
	}
	case FYET_SCALAR:
		n = new_node(b->doc, HC_SCALAR);
		anchor = e->scalar.anchor, tag = e->scalar.tag;
		if (sm && em) {
			n->start = sm->input_pos;
			n->end = em->input_pos;
		} else {
			n->empty = true;
			n->start = n->end = b->last_end;
		}
		{
			scalar_text(b, e->scalar.value, n);
			switch (fy_token_scalar_style(e->scalar.value)) {
			case FYSS_SINGLE_QUOTED:
				n->style = HC_SINGLE;
				break;
			case FYSS_DOUBLE_QUOTED:
				n->style = HC_DOUBLE;
				break;
			case FYSS_LITERAL:
				n->style = HC_LITERAL;
				break;
			case FYSS_FOLDED:
				n->style = HC_FOLDED;
				break;
			default:
				n->style = HC_PLAIN;
				break;
			}
			/* a block scalar's mark starts at its content: move it back
			 * to the `|` or `>` header */
			if ((n->style == HC_LITERAL || n->style == HC_FOLDED) && !n->empty)
				n->start = block_header(b->doc->text, n->start);
			/* marks of quoted scalars exclude the quotes: include them */
			char q = n->style == HC_SINGLE ? '\'' : n->style == HC_DOUBLE ? '"' : 0;
			if (q && n->start > 0 && b->doc->text[n->start - 1] == q)
				n->start--;
			if (q && n->end < b->doc->len && b->doc->text[n->end] == q)
				n->end++;
		}
		break;
	case FYET_ALIAS:
		n = new_node(b->doc, HC_ALIAS);
		n->start = sm ? sm->input_pos : b->last_end;
		n->end = em ? em->input_pos : n->start;
		/* the mark may sit after the '*': include it */
		if (n->start > 0 && b->doc->text[n->start] != '*' &&
		    b->doc->text[n->start - 1] == '*')
			n->start--;
		n->text = tok_text(b->doc, e->alias.anchor);
		n->len = n->text ? strlen(n->text) : 0;
		n->target = n->text ? anchor_find(&b->anchors, n->text) : NULL;
		if (!n->target)
			return fail_at(b, n->start, "undefined alias", n->text ? n->text : "");
		for (int k = 0; k < b->depth; k++)
			if (b->stack[k] == n->target)
				return fail_at(b, n->start,
				               "alias inside the node it refers to (a cycle)",
				               n->text);
		break;
	default:
		return 0;
	}

	n->anchor = tok_text(b->doc, anchor);
	n->tag = tok_text(b->doc, tag);
	if (n->type == HC_SCALAR && n->empty && (anchor || tag)) {
		/* `key: &a` is a null written as its anchor (or tag): it spans
		 * them, possibly on the next line; nothing may go between */
		size_t lo = (size_t)-1, hi = 0;
		for (int i = 0; i < 2; i++) {
			struct fy_token *pt = i ? tag : anchor;
			const struct fy_mark *sm2 = pt ? fy_token_start_mark(pt) : NULL;
			const struct fy_mark *em2 = pt ? fy_token_end_mark(pt) : NULL;
			if (sm2 && sm2->input_pos < lo)
				lo = sm2->input_pos;
			if (em2 && em2->input_pos > hi)
				hi = em2->input_pos;
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
		size_t at = pm ? pm->input_pos : 0;
		/* an anchor token's mark is on its name, past the '&' */
		if (pm && i == 0 && at > 0 && b->doc->text[at - 1] == '&')
			at--;
		if (pm && at < n->start && !n->flow)
			n->start = at;
	}
	if (attach(b, n) < 0)
		return -1;
	if (n->anchor)
		anchor_add(&b->anchors, n->anchor, n);
	if (n->type == HC_MAP || n->type == HC_SEQ) {
		if (b->depth == MAX_DEPTH)
			return fail_at(b, n->start, "nesting too deep", NULL);
		b->stack[b->depth++] = n;
	} else if (n->end > b->last_end) {
		b->last_end = n->end;
	}
	return 0;
}

static int build(struct hc_doc *doc, struct hc_error *err)
{
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = NULL;
	struct fy_diag *diag = fy_diag_create(&dc);
	if (!diag) {
		set_err(err, 0, 0, "cannot create the YAML parser");
		return -1;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg pc = {
	    .flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
	    .diag = diag,
	};
	struct fy_parser *fyp = fy_parser_create(&pc);
	struct builder *b = hc_xcalloc(1, sizeof(*b));
	b->doc = doc;
	b->err = err;
	int rc = 0;
	if (!fyp || fy_parser_set_string(fyp, doc->text, doc->len) != 0) {
		set_err(err, 0, 0, "cannot create the YAML parser");
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
			set_err(err, de->line, de->column, plain_msg(de->msg));
		else
			set_err(err, 0, 0, "invalid YAML");
		rc = -1;
	}
	free(b->anchors.names);
	free(b->anchors.nodes);
	hc_strset_release(&b->dups);
	hc_buf_release(&b->scratch);
	free(b);
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return rc;
}

static int vote_max(const int *votes, int n, int dflt)
{
	int best = -1, bestv = 0;
	for (int i = 0; i < n; i++)
		if (votes[i] > bestv)
			bestv = votes[i], best = i;
	return best < 0 ? dflt : best;
}

/* Votes over at most this many nested collections: enough to know a habit. */
#define STYLE_VOTES 256

static void detect_walk(struct hc_doc *doc, struct hc_node *n, int *ind, int *seq, int depth,
                        int *votes)
{
	if (*votes >= STYLE_VOTES)
		return;
	if (depth > 64 || n->type != HC_MAP || n->flow)
		goto kids;
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		struct hc_node *k = n->kids[i], *v = n->kids[i + 1];
		if (v->flow || !v->nkids || v->empty)
			continue;
		size_t kc = hc_col(doc->text, k->start), vc = hc_col(doc->text, v->start);
		if (hc_line_start(doc->text, k->start) == hc_line_start(doc->text, v->start))
			continue;
		if (v->type == HC_MAP && vc > kc && vc - kc < 17)
			ind[vc - kc]++, (*votes)++;
		else if (v->type == HC_SEQ && vc >= kc && vc - kc < 17)
			seq[vc - kc]++, (*votes)++;
	}
kids:
	if (n->type == HC_MAP || n->type == HC_SEQ)
		for (size_t i = 0; i < n->nkids; i++)
			detect_walk(doc, n->kids[i], ind, seq, depth + 1, votes);
}

static void detect_style(struct hc_doc *doc)
{
	struct hc_style *s = &doc->style;
	const char *nl = memchr(doc->text, '\n', doc->len);
	s->eol = nl && nl > doc->text && nl[-1] == '\r' ? "\r\n" : "\n";
	s->final_newline = doc->len > 0 && doc->text[doc->len - 1] == '\n';
	s->bom = doc->len >= 3 && !memcmp(doc->text, "\xEF\xBB\xBF", 3);
	int ind[17] = {0}, seq[17] = {0};
	int votes = 0;
	if (doc->root)
		detect_walk(doc, doc->root, ind, seq, 0, &votes);
	s->indent = vote_max(ind, 17, 2);
	if (s->indent == 0)
		s->indent = 2;
	s->seq_indent = vote_max(seq, 17, s->indent);
}

/* The first `<<` whose value is not a mapping or a list of mappings. */
static const struct hc_node *bad_merge(const struct hc_node *n, int depth)
{
	if (!n || depth > 600 || (n->type != HC_MAP && n->type != HC_SEQ))
		return NULL;
	for (size_t i = 0; i < n->nkids; i++) {
		if (n->type == HC_MAP && i % 2 == 0) {
			const struct hc_node *k = n->kids[i], *v = n->kids[i + 1];
			if (k->type == HC_SCALAR && k->style == HC_PLAIN && !k->tag &&
			    k->len == 2 && !memcmp(k->text, "<<", 2)) {
				struct hc_node *d = hc_deref((struct hc_node *)v);
				bool ok = d && d->type == HC_MAP;
				if (d && d->type == HC_SEQ) {
					ok = true;
					for (size_t j = 0; j < d->nkids; j++) {
						struct hc_node *it = hc_deref(d->kids[j]);
						ok &= it && it->type == HC_MAP;
					}
				}
				if (!ok)
					return v;
			}
			continue;
		}
		const struct hc_node *r = bad_merge(n->kids[i], depth + 1);
		if (r)
			return r;
	}
	return NULL;
}

int hc_doc_parse(struct hc_doc *doc, const char *text, size_t len, struct hc_error *err)
{
	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	doc->len = len;
	index_lines(doc);
	if (len >= 2 && ((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE)) {
		set_err(err, 1, 1,
		        "UTF-16 or UTF-32 text; a compose file is UTF-8 (iconv -t utf-8)");
		hc_doc_release(doc);
		return -1;
	}
	if (len >= 2 && ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF)) {
		set_err(err, 1, 1, "UTF-16 text; a compose file is UTF-8 (iconv -t utf-8)");
		hc_doc_release(doc);
		return -1;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int line, col;
		hc_doc_linecol(doc, (size_t)(nul - text), &line, &col);
		set_err(err, line, col, "NUL byte in input; a compose file is UTF-8 text");
		hc_doc_release(doc);
		return -1;
	}
	/* a CR not followed by LF is a line break to YAML; no compose file
	 * written on a system of this century uses one, and edits could not
	 * place lines around it: refuse it */
	for (const char *cr = memchr(text, '\r', len); cr;
	     cr = memchr(cr + 1, '\r', len - (size_t)(cr + 1 - text)))
		if ((size_t)(cr - text) + 1 >= len || cr[1] != '\n') {
			int line, col;
			hc_doc_linecol(doc, (size_t)(cr - text), &line, &col);
			set_err(err, line, col,
			        "carriage return without a line feed; use LF or CRLF line ends");
			hc_doc_release(doc);
			return -1;
		}
	/* one kind of line end: lines added in one style would leave the file
	 * a mix a reader cannot trust either way */
	const char *first_nl = memchr(text, '\n', len);
	if (first_nl) {
		bool crlf = first_nl > text && first_nl[-1] == '\r';
		for (const char *nl =
		         memchr(first_nl + 1, '\n', len - (size_t)(first_nl + 1 - text));
		     nl; nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - text)))
			if ((nl > text && nl[-1] == '\r') != crlf) {
				int line, col;
				hc_doc_linecol(doc, (size_t)(nl - text), &line, &col);
				snprintf(err->msg, sizeof(err->msg),
				         "mixed line ends: line 1 ends in %s, line %d in %s; "
				         "convert the "
				         "file to one (dos2unix or unix2dos)",
				         crlf ? "CRLF" : "LF", line, crlf ? "LF" : "CRLF");
				err->line = line;
				err->col = col;
				hc_doc_release(doc);
				return -1;
			}
	}
	/* YAML allows no C0 control character but tab and line ends, nor DEL */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
			int line, col;
			hc_doc_linecol(doc, i, &line, &col);
			snprintf(err->msg, sizeof(err->msg),
			         "control character U+%04X; YAML allows it only escaped in a "
			         "double-quoted string (\\x%02X)",
			         c, c);
			err->line = line;
			err->col = col;
			hc_doc_release(doc);
			return -1;
		}
	}
	/* a byte order mark may only start the file */
	for (size_t i = 1; i + 2 < len; i++)
		if ((unsigned char)text[i] == 0xEF && (unsigned char)text[i + 1] == 0xBB &&
		    (unsigned char)text[i + 2] == 0xBF) {
			int line, col;
			hc_doc_linecol(doc, i, &line, &col);
			set_err(
			    err, line, col,
			    "byte order mark (U+FEFF) inside the file; only the first bytes may "
			    "hold one");
			hc_doc_release(doc);
			return -1;
		}
	size_t bad = utf8_invalid_at((const unsigned char *)text, len);
	if (bad < len) {
		int line, col;
		hc_doc_linecol(doc, bad, &line, &col);
		set_err(err, line, col, "invalid UTF-8; a compose file is UTF-8 text");
		hc_doc_release(doc);
		return -1;
	}
	if (build(doc, err) < 0) {
		hc_doc_release(doc);
		return -1;
	}
	const struct hc_node *bm = bad_merge(doc->root, 0);
	if (bm) {
		int line, col;
		hc_doc_linecol(doc, bm->start, &line, &col);
		set_err(err, line, col, "a merge (<<) takes a mapping or a list of mappings");
		hc_doc_release(doc);
		return -1;
	}
	detect_style(doc);
	return 0;
}

void hc_doc_release(struct hc_doc *doc)
{
	hc_arena_release(&doc->arena);
	free(doc->lines);
	doc->lines = NULL;
	doc->root = NULL;
}

bool hc_scalar_is(const struct hc_node *n, const char *s)
{
	return n && n->type == HC_SCALAR && n->len == strlen(s) && !memcmp(n->text, s, n->len);
}

struct hc_node *hc_deref(struct hc_node *n)
{
	int guard = 0;
	while (n && n->type == HC_ALIAS && guard++ < 64)
		n = n->target;
	return n;
}

bool hc_is_null(const struct hc_node *n)
{
	if (!n)
		return true;
	if (n->type != HC_SCALAR || n->style != HC_PLAIN)
		return false;
	return n->empty || (n->len == 0 && !n->tag) || hc_scalar_is(n, "~") ||
	       hc_scalar_is(n, "null") || hc_scalar_is(n, "Null") || hc_scalar_is(n, "NULL");
}

struct hc_node *hc_map_get(struct hc_node *map, const char *key, struct hc_node **keyp)
{
	if (!map || map->type != HC_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (hc_scalar_is(map->kids[i], key)) {
			if (keyp)
				*keyp = map->kids[i];
			return map->kids[i + 1];
		}
	return NULL;
}

static struct hc_node *lookup_depth(struct hc_node *map, const char *key, int depth)
{
	map = hc_deref(map);
	if (!map || map->type != HC_MAP || depth > 32)
		return NULL;
	struct hc_node *v = hc_map_get(map, key, NULL);
	if (v)
		return v;
	struct hc_node *m = hc_deref(hc_map_get(map, "<<", NULL));
	if (!m)
		return NULL;
	if (m->type == HC_MAP)
		return lookup_depth(m, key, depth + 1);
	if (m->type == HC_SEQ)
		for (size_t i = 0; i < m->nkids; i++)
			if ((v = lookup_depth(m->kids[i], key, depth + 1)))
				return v;
	return NULL;
}

struct hc_node *hc_map_lookup(struct hc_node *map, const char *key, bool *explicit)
{
	struct hc_node *v = hc_map_get(hc_deref(map), key, NULL);
	if (explicit)
		*explicit = v != NULL;
	return v ? v : lookup_depth(map, key, 0);
}

bool hc_block_scalar_keeps(const struct hc_doc *doc, const struct hc_node *n)
{
	if (n->type != HC_SCALAR || (n->style != HC_LITERAL && n->style != HC_FOLDED))
		return false;
	size_t h = n->start; /* past a tag or anchor to the `|` or `>` */
	while (h < doc->len && doc->text[h] != '|' && doc->text[h] != '>' && doc->text[h] != '\n')
		h++;
	for (size_t i = h + 1; i < doc->len && i < h + 4; i++) {
		if (doc->text[i] == '+')
			return true;
		if (doc->text[i] != '-' && (doc->text[i] < '0' || doc->text[i] > '9'))
			break;
	}
	return false;
}

size_t hc_node_content_end(const struct hc_doc *doc, const struct hc_node *n)
{
	switch (n->type) {
	case HC_SCALAR: {
		if (n->style != HC_LITERAL && n->style != HC_FOLDED)
			return n->end;
		/* the last non-blank byte of the block scalar */
		size_t e = n->end;
		while (e > n->start && (doc->text[e - 1] == '\n' || doc->text[e - 1] == '\r' ||
		                        doc->text[e - 1] == ' '))
			e--;
		if (!hc_block_scalar_keeps(doc, n))
			return e;
		/* keep chomping: the trailing blank lines belong to the scalar */
		while (e < doc->len && doc->text[e] != '\n')
			e++;
		while (e < doc->len) {
			size_t q = e + 1;
			while (q < doc->len && (doc->text[q] == ' ' || doc->text[q] == '\r'))
				q++;
			if (q < doc->len && doc->text[q] != '\n')
				break;
			e = q;
		}
		return e < doc->len ? e + 1 : e;
	}
	case HC_MAP:
	case HC_SEQ:
		if (n->flow || !n->nkids)
			return n->end;
		return hc_node_content_end(doc, n->kids[n->nkids - 1]);
	case HC_ALIAS:
		return n->end;
	}
	return n->end;
}

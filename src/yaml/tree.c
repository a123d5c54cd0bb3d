/*
 * tree.c: the located tree's document: the checks a text passes before it
 * is parsed, its line index, the style it is written in, and the queries
 * transforms make of its nodes. parse.c builds the nodes.
 */
#include "yaml/tree.h"
#include "yaml/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void index_lines(struct hc_doc *doc)
{
	const char *t = doc->text, *end = t + doc->len;
	size_t n = 1;
	for (const char *p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	doc->lines = hc_xmalloc(n * sizeof(*doc->lines));
	doc->nlines = 0;
	doc->lines[doc->nlines++] = 0;
	for (const char *p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		doc->lines[doc->nlines++] = (size_t)(p - t) + 1;
}

/* The length of the valid UTF-8 sequence that starts s (len bytes
 * left), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	else if ((c & 0xE0) == 0xC0)
		n = 1, min = 0x80, c &= 0x1F;
	else if ((c & 0xF0) == 0xE0)
		n = 2, min = 0x800, c &= 0x0F;
	else if ((c & 0xF8) == 0xF0)
		n = 3, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (n >= len)
		return 0;
	for (size_t k = 1; k <= n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n + 1;
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

/* Sets err to msg at byte pos of doc and returns -1. */
static int fail_at(const struct hc_doc *doc, struct hc_error *err, size_t pos, const char *msg)
{
	int line, col;
	hc_doc_linecol(doc, pos, &line, &col);
	hc_error_set(err, line, col, msg);
	return -1;
}

/* Refuses UTF-16 and UTF-32 text and NUL bytes; -1 with err set. */
static int check_encoding(const struct hc_doc *doc, struct hc_error *err)
{
	const char *text = doc->text;
	size_t len = doc->len;
	if (len >= 2 && ((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE)) {
		hc_error_set(err, 1, 1,
		             "UTF-16 or UTF-32 text; a compose file is UTF-8 (iconv -t utf-8)");
		return -1;
	}
	if (len >= 2 && ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF)) {
		hc_error_set(err, 1, 1, "UTF-16 text; a compose file is UTF-8 (iconv -t utf-8)");
		return -1;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return fail_at(doc, err, (size_t)(nul - text),
		               "NUL byte in input; a compose file is UTF-8 text");
	return 0;
}

/* Refuses a lone CR and a mix of LF and CRLF; -1 with err set. */
static int check_line_ends(const struct hc_doc *doc, struct hc_error *err)
{
	const char *text = doc->text;
	size_t len = doc->len;
	/* a CR not followed by LF is a line break to YAML; no compose file
	 * written on a system of this century uses one, and edits could not
	 * place lines around it: refuse it */
	for (const char *cr = memchr(text, '\r', len); cr;
	     cr = memchr(cr + 1, '\r', len - (size_t)(cr + 1 - text)))
		if ((size_t)(cr - text) + 1 >= len || cr[1] != '\n')
			return fail_at(
			    doc, err, (size_t)(cr - text),
			    "carriage return without a line feed; use LF or CRLF line ends");
	/* one kind of line end: lines added in one style would leave the file
	 * a mix a reader cannot trust either way */
	const char *first_nl = memchr(text, '\n', len);
	if (!first_nl)
		return 0;
	bool crlf = first_nl > text && first_nl[-1] == '\r';
	for (const char *nl = memchr(first_nl + 1, '\n', len - (size_t)(first_nl + 1 - text)); nl;
	     nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - text)))
		if ((nl > text && nl[-1] == '\r') != crlf) {
			int line, col;
			hc_doc_linecol(doc, (size_t)(nl - text), &line, &col);
			snprintf(err->msg, sizeof(err->msg),
			         "mixed line ends: line 1 ends in %s, line %d in %s; convert the "
			         "file to one (dos2unix or unix2dos)",
			         crlf ? "CRLF" : "LF", line, crlf ? "LF" : "CRLF");
			err->line = line;
			err->col = col;
			return -1;
		}
	return 0;
}

/* Refuses control characters, a byte order mark past the start and
 * invalid UTF-8; -1 with err set. */
static int check_chars(const struct hc_doc *doc, struct hc_error *err)
{
	const unsigned char *text = (const unsigned char *)doc->text;
	size_t len = doc->len;
	/* one pass, the first of each fault kept; reported in this order: a C0
	 * control character but tab and line ends, or DEL (YAML allows none),
	 * a byte order mark past the start, invalid UTF-8 */
	size_t ctl = len, bom = len, bad = len;
	for (size_t i = 0; i < len;) {
		unsigned char c = text[i];
		if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c < 0x80) { /* a control character or DEL */
			if (ctl == len)
				ctl = i;
			i++;
			continue;
		}
		if (c == 0xEF && i >= 1 && i + 2 < len && text[i + 1] == 0xBB &&
		    text[i + 2] == 0xBF && bom == len)
			bom = i;
		size_t n = bad == len ? utf8_seq(text + i, len - i) : 1;
		if (n == 0) { /* invalid here: go on byte by byte */
			bad = i;
			n = 1;
		}
		i += n;
	}
	if (ctl < len) {
		int line, col;
		hc_doc_linecol(doc, ctl, &line, &col);
		snprintf(err->msg, sizeof(err->msg),
		         "control character U+%04X; YAML allows it only escaped in a "
		         "double-quoted string (\\x%02X)",
		         text[ctl], text[ctl]);
		err->line = line;
		err->col = col;
		return -1;
	}
	if (bom < len)
		return fail_at(doc, err, bom,
		               "byte order mark (U+FEFF) inside the file; only the first "
		               "bytes may hold one");
	if (bad < len)
		return fail_at(doc, err, bad, "invalid UTF-8; a compose file is UTF-8 text");
	return 0;
}

int hc_doc_parse(struct hc_doc *doc, const char *text, size_t len, struct hc_error *err)
{
	memset(doc, 0, sizeof(*doc));
	err->several_docs = false;
	doc->text = text;
	doc->len = len;
	if (len >= UINT32_MAX) { /* nodes keep 32-bit positions */
		hc_error_set(err, 1, 1, "the text is 4 GiB or larger; too large to parse");
		return -1;
	}
	index_lines(doc);
	if (check_encoding(doc, err) < 0 || check_line_ends(doc, err) < 0 ||
	    check_chars(doc, err) < 0 || hc_tree_build(doc, err) < 0) {
		hc_doc_release(doc);
		return -1;
	}
	const struct hc_node *bm = bad_merge(doc->root, 0);
	if (bm) {
		fail_at(doc, err, bm->start, "a merge (<<) takes a mapping or a list of mappings");
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

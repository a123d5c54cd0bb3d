/*
 * place.c: renders values in the file's style and finds where they go.
 *
 * The rule for block collections: new entries go after the last line that
 * carries the collection's last value (a block scalar ends at its last
 * non-blank line, unless it keeps trailing newlines), after a trailing comment
 * on that line, and after comment lines right below it that are indented at
 * least as deep as the collection's entries (commented-out entries belong to
 * it). Blank lines and less-indented comments that follow introduce the next
 * thing and stay where they are.
 */
#include "engine/place.h"

#include <stdlib.h>
#include <string.h>

static struct hc_val *val_new(enum hc_val_type t)
{
	struct hc_val *v = hc_xcalloc(1, sizeof(*v));
	v->type = t;
	return v;
}

struct hc_val *hc_val_raw(const char *text)
{
	struct hc_val *v = val_new(HC_VAL_SCALAR);
	v->text = hc_xstrdup(text);
	return v;
}

static bool is_number_like(const char *s)
{
	/* ints, floats, octal/hex, sexagesimal (1.1), with optional sign */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return false;
	if (*p == '.' && (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF") ||
	                  !strcmp(p, ".nan") || !strcmp(p, ".NaN") || !strcmp(p, ".NAN")))
		return true;
	bool digit = false;
	int dots = 0;
	for (const char *q = p; *q; q++)
		dots += *q == '.';
	if (dots > 1)
		return false; /* 127.0.0.1, 1.2.3: no YAML number has two dots */
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (!strchr("._:xXoObBeEabcdefABCDEF+-", *p))
			return false;
	}
	return digit && (s[0] == '+' || s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'));
}

bool hc_needs_quotes(const char *s)
{
	static const char *const words[] = {
	    "y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
	    "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
	    "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL",  "~",  NULL,
	};
	if (!*s)
		return true;
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(s, words[i]))
			return true;
	if (is_number_like(s))
		return true;
	if (strchr("-?:,[]{}#&*!|>'\"%@`= ", s[0]) || s[strlen(s) - 1] == ' ' ||
	    s[strlen(s) - 1] == ':')
		return true;
	if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\n') || strchr(s, '\t') ||
	    strchr(s, '\r'))
		return true;
	return false;
}

struct hc_val *hc_val_str(const char *text)
{
	if (!hc_needs_quotes(text))
		return hc_val_raw(text);
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addc(&b, '"');
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '"':
			hc_buf_adds(&b, "\\\"");
			break;
		case '\\':
			hc_buf_adds(&b, "\\\\");
			break;
		case '\n':
			hc_buf_adds(&b, "\\n");
			break;
		case '\t':
			hc_buf_adds(&b, "\\t");
			break;
		case '\r':
			hc_buf_adds(&b, "\\r");
			break;
		default:
			hc_buf_addc(&b, *p);
		}
	}
	hc_buf_addc(&b, '"');
	struct hc_val *v = val_new(HC_VAL_SCALAR);
	v->text = hc_buf_detach(&b, NULL);
	return v;
}

struct hc_val *hc_val_seq(void)
{
	return val_new(HC_VAL_SEQ);
}

struct hc_val *hc_val_map(void)
{
	return val_new(HC_VAL_MAP);
}

static void val_grow(struct hc_val *v)
{
	if (v->n < v->cap)
		return;
	v->cap = v->cap ? v->cap * 2 : 4;
	v->kids = hc_xrealloc(v->kids, v->cap * sizeof(*v->kids));
	v->keys = hc_xrealloc(v->keys, v->cap * sizeof(*v->keys));
}

struct hc_val *hc_val_push(struct hc_val *seq, struct hc_val *kid)
{
	val_grow(seq);
	seq->keys[seq->n] = NULL;
	seq->kids[seq->n++] = kid;
	return seq;
}

struct hc_val *hc_val_put(struct hc_val *map, const char *key, struct hc_val *kid)
{
	val_grow(map);
	map->keys[map->n] = hc_xstrdup(key);
	map->kids[map->n++] = kid;
	return map;
}

void hc_val_free(struct hc_val *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->keys[i]);
		hc_val_free(v->kids[i]);
	}
	free(v->keys);
	free(v->kids);
	free(v->text);
	free(v);
}

/* Writes v in flow style; in_flow says whether it sits inside brackets. */
static void render_flow(struct hc_buf *b, const struct hc_val *v, bool in_flow)
{
	switch (v->type) {
	case HC_VAL_SCALAR:
		/* older YAML readers (libyaml, go-yaml v2) reject ':' inside a
		 * plain scalar in flow context: quote it there */
		if (in_flow && strchr(v->text, ':') && v->text[0] != '"' && v->text[0] != '\'') {
			hc_buf_addc(b, '"');
			hc_buf_adds(b, v->text);
			hc_buf_addc(b, '"');
		} else {
			hc_buf_adds(b, v->text);
		}
		return;
	case HC_VAL_SEQ:
	case HC_VAL_MAP:
		hc_buf_addc(b, v->type == HC_VAL_SEQ ? '[' : '{');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				hc_buf_adds(b, ", ");
			if (v->type == HC_VAL_MAP) {
				hc_buf_adds(b, v->keys[i]);
				hc_buf_adds(b, ": ");
			}
			render_flow(b, v->kids[i], true);
		}
		hc_buf_addc(b, v->type == HC_VAL_SEQ ? ']' : '}');
		return;
	}
}

static void render_children(struct hc_buf *b, const struct hc_style *st, const struct hc_val *v,
                            size_t col);
static void render_item(struct hc_buf *b, const struct hc_style *st, const struct hc_val *item,
                        size_t col);

/* Writes `key: value` + EOL for a pair whose key sits at column col; the
 * caller has written the key's indentation already. */
static void render_pair(struct hc_buf *b, const struct hc_style *st, const char *key,
                        const struct hc_val *v, size_t col)
{
	hc_buf_adds(b, key);
	hc_buf_addc(b, ':');
	if (v->type == HC_VAL_SCALAR || v->n == 0) {
		hc_buf_addc(b, ' ');
		render_flow(b, v, false);
		hc_buf_adds(b, st->eol);
		return;
	}
	hc_buf_adds(b, st->eol);
	render_children(b, st, v, col);
}

/* Writes the entries of a block collection owned by a key at column col. */
static void render_children(struct hc_buf *b, const struct hc_style *st, const struct hc_val *v,
                            size_t col)
{
	if (v->type == HC_VAL_MAP) {
		size_t c = col + (size_t)st->indent;
		for (size_t i = 0; i < v->n; i++) {
			hc_buf_spaces(b, c);
			render_pair(b, st, v->keys[i], v->kids[i], c);
		}
		return;
	}
	size_t c = col + (size_t)st->seq_indent;
	for (size_t i = 0; i < v->n; i++) {
		const struct hc_val *it = v->kids[i];
		hc_buf_spaces(b, c);
		render_item(b, st, it, c);
	}
}

/*
 * Where a new line goes after the value that ends at content_end, inside a
 * collection whose entries start at column min_col. *at_eof is set when the
 * text ends there without a line end (the new text must start with one).
 */
static size_t line_after(const struct hc_doc *d, size_t content_end, size_t min_col, bool *at_eof)
{
	const char *t = d->text;
	size_t p = content_end;
	*at_eof = false;
	if (!(p > 0 && t[p - 1] == '\n')) {
		while (p < d->len && t[p] != '\n')
			p++;
		if (p == d->len) {
			*at_eof = true;
			return p;
		}
		p++;
	}
	for (;;) {
		size_t q = p;
		while (q < d->len && t[q] == ' ')
			q++;
		if (q >= d->len || t[q] != '#' || q - p < min_col)
			return p;
		while (q < d->len && t[q] != '\n')
			q++;
		if (q == d->len) {
			*at_eof = true;
			return q;
		}
		p = q + 1;
	}
}

/*
 * Where new entries go instead of the end of a file that has no final
 * newline, when that last line is the user's (appending would rewrite it):
 * before the collection's last entry and the comment lines right above it,
 * so entries added one after another keep their order. Returns 0 when there
 * is no such place (the last entry does not start its own line).
 */
static size_t line_before_last(const struct hc_run *r, const struct hc_node *coll, size_t col)
{
	const struct hc_doc *d = r->doc;
	size_t end = hc_node_content_end(d, coll);
	if (end > 0 && hc_pieces_is_inserted(r->pieces, end - 1))
		return 0; /* our own line: appending touches nothing of the user's */
	const struct hc_node *last =
	    coll->type == HC_MAP ? coll->kids[coll->nkids - 2] : coll->kids[coll->nkids - 1];
	size_t p = hc_line_start(d->text, last->start);
	size_t first = coll->type == HC_MAP ? p + col : p + col + 2;
	if (coll->type == HC_MAP ? last->start != first
	                         : (last->start < first || d->text[p + col] != '-'))
		return 0;
	for (size_t k = p; k < p + col; k++)
		if (d->text[k] != ' ')
			return 0; /* e.g. `- key:` of a sequence item */
	/* comment lines right above belong to the last entry */
	while (p > 0) {
		size_t q = hc_line_start(d->text, p - 1), k = q;
		while (k < p && d->text[k] == ' ')
			k++;
		if (d->text[k] != '#' || k - q < col)
			break;
		p = q;
	}
	return p;
}

/* Inserts rendered lines (each ending in EOL) at a line position. */
static void insert_lines(struct hc_run *r, size_t pos, bool at_eof, struct hc_buf *lines)
{
	const struct hc_style *st = &r->doc->style;
	size_t depth = strspn(lines->data, " ");
	if (at_eof) {
		/* keep the file's missing final newline: separator first */
		size_t el = strlen(st->eol);
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_adds(&b, st->eol);
		hc_buf_add(&b, lines->data, lines->len - el);
		hc_edits_add_lines(&r->edits, pos, b.data, b.len, depth);
		hc_buf_release(&b);
	} else {
		hc_edits_add_lines(&r->edits, pos, lines->data, lines->len, depth);
	}
}

/*
 * Gives a null value (`key:` / `key: ~`) block children: `lines` holds them
 * rendered at child_col. Returns -1 for shapes it does not edit.
 */
static int fill_null(struct hc_run *r, struct hc_node *owner_key, struct hc_node *val,
                     struct hc_buf *lines, size_t child_col)
{
	const struct hc_doc *d = r->doc;
	if (!owner_key || (owner_key->parent && owner_key->parent->flow) || val->tag || val->anchor)
		return -1;
	if (hc_line_start(d->text, owner_key->start) != hc_line_start(d->text, val->start))
		return -1;
	if (!val->empty) {
		size_t s = val->start;
		while (s > 0 && d->text[s - 1] == ' ')
			s--;
		hc_edits_add(&r->edits, s, val->end, "", 0);
	}
	bool at_eof;
	size_t pos = line_after(d, val->empty ? owner_key->end : val->end, child_col, &at_eof);
	insert_lines(r, pos, at_eof, lines);
	return 0;
}

/* Writes `- item` + EOL for a sequence entry whose dash sits at column col;
 * the caller has written the indentation. */
static void render_item(struct hc_buf *b, const struct hc_style *st, const struct hc_val *item,
                        size_t col)
{
	hc_buf_adds(b, "- ");
	if (item->type == HC_VAL_MAP && item->n) {
		for (size_t k = 0; k < item->n; k++) {
			if (k)
				hc_buf_spaces(b, col + 2);
			render_pair(b, st, item->keys[k], item->kids[k], col + 2);
		}
	} else {
		render_flow(b, item, false);
		hc_buf_adds(b, st->eol);
	}
}

/*
 * Whether a line indented by col after block collection n would be read as
 * the content of a block scalar that ends it: one with no content at all
 * (`key: |`), or whose content is not indented deeper than col (legal in
 * `- key: |` sequence entries). Such collections are not extended.
 */
static bool ends_in_absorbing_scalar(const struct hc_doc *d, const struct hc_node *n, size_t col)
{
	while (n && (n->type == HC_MAP || n->type == HC_SEQ) && !n->flow && n->nkids)
		n = n->kids[n->nkids - 1];
	if (!n || n->type != HC_SCALAR || (n->style != HC_LITERAL && n->style != HC_FOLDED))
		return false;
	if (n->len == 0)
		return true;
	/* the first content line after the header */
	size_t p = n->start;
	while (p < d->len && d->text[p] != '\n')
		p++;
	while (p < d->len) {
		size_t q = p + 1, sp = 0;
		while (q < d->len && d->text[q] == ' ')
			q++, sp++;
		if (q < d->len && d->text[q] != '\n' && d->text[q] != '\r')
			return sp <= col;
		p = q;
		while (p < d->len && d->text[p] != '\n')
			p++;
	}
	return true;
}

/* Does a key of the block mapping use the explicit `? key` form? Its column
 * is not the mapping's, and the lines of such pairs are not the user's usual
 * shape: such mappings are not extended. */
static bool has_explicit_key(const struct hc_doc *d, const struct hc_node *map)
{
	for (size_t i = 0; i < map->nkids; i += 2) {
		size_t p = map->kids[i]->start;
		while (p > 0 && (d->text[p - 1] == ' ' || d->text[p - 1] == '\t'))
			p--;
		if (p > 0 && d->text[p - 1] == '?')
			return true;
	}
	return false;
}

static int add_pair(struct hc_run *r, struct hc_node *owner_key, struct hc_node *map,
                    const char *key, const struct hc_val *v)
{
	const struct hc_doc *d = r->doc;
	if (!map)
		return -1;
	if (map->type == HC_SCALAR) {
		if (!hc_is_null(map) || !owner_key)
			return -1;
		size_t c = hc_col(d->text, owner_key->start) + (size_t)d->style.indent;
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_spaces(&b, c);
		render_pair(&b, &d->style, key, v, c);
		int rc = fill_null(r, owner_key, map, &b, c);
		hc_buf_release(&b);
		return rc;
	}
	if (map->type != HC_MAP || map->bare)
		return -1;
	struct hc_buf b = HC_BUF_INIT;
	if (map->flow) {
		if (map->nkids == 0) {
			hc_buf_adds(&b, key);
			hc_buf_adds(&b, ": ");
			render_flow(&b, v, true);
			hc_edits_add(&r->edits, map->start + 1, map->start + 1, b.data, b.len);
		} else {
			hc_buf_adds(&b, ", ");
			hc_buf_adds(&b, key);
			hc_buf_adds(&b, ": ");
			render_flow(&b, v, true);
			size_t at = hc_node_content_end(d, map->kids[map->nkids - 1]);
			hc_edits_add(&r->edits, at, at, b.data, b.len);
		}
		hc_buf_release(&b);
		return 0;
	}
	if (map->nkids == 0 || map->kids[0]->empty || map->kids[0]->type != HC_SCALAR ||
	    has_explicit_key(d, map) ||
	    ends_in_absorbing_scalar(d, map, hc_col(d->text, map->kids[0]->start))) {
		hc_buf_release(&b);
		return -1;
	}
	size_t col = hc_col(d->text, map->kids[0]->start);
	bool at_eof;
	size_t pos = line_after(d, hc_node_content_end(d, map), col, &at_eof);
	size_t top = at_eof ? line_before_last(r, map, col) : 0;
	if (top)
		pos = top, at_eof = false;
	hc_buf_spaces(&b, col);
	render_pair(&b, &d->style, key, v, col);
	insert_lines(r, pos, at_eof, &b);
	hc_buf_release(&b);
	return 0;
}

static int seq_append(struct hc_run *r, struct hc_node *owner_key, struct hc_node *seq,
                      const struct hc_val *item)
{
	const struct hc_doc *d = r->doc;
	if (!seq)
		return -1;
	if (seq->type == HC_SCALAR) {
		if (!hc_is_null(seq) || !owner_key)
			return -1;
		size_t c = hc_col(d->text, owner_key->start) + (size_t)d->style.seq_indent;
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_spaces(&b, c);
		render_item(&b, &d->style, item, c);
		int rc = fill_null(r, owner_key, seq, &b, c);
		hc_buf_release(&b);
		return rc;
	}
	if (seq->type != HC_SEQ)
		return -1;
	struct hc_buf b = HC_BUF_INIT;
	if (seq->flow) {
		if (seq->nkids == 0) {
			render_flow(&b, item, true);
			hc_edits_add(&r->edits, seq->start + 1, seq->start + 1, b.data, b.len);
		} else {
			hc_buf_adds(&b, ", ");
			render_flow(&b, item, true);
			size_t at = hc_node_content_end(d, seq->kids[seq->nkids - 1]);
			hc_edits_add(&r->edits, at, at, b.data, b.len);
		}
		hc_buf_release(&b);
		return 0;
	}
	if (ends_in_absorbing_scalar(d, seq, hc_col(d->text, seq->start))) {
		hc_buf_release(&b);
		return -1;
	}
	size_t col = hc_col(d->text, seq->start);
	bool at_eof;
	size_t pos = line_after(d, hc_node_content_end(d, seq), col, &at_eof);
	size_t top = at_eof ? line_before_last(r, seq, col) : 0;
	if (top)
		pos = top, at_eof = false;
	hc_buf_spaces(&b, col);
	render_item(&b, &d->style, item, col);
	insert_lines(r, pos, at_eof, &b);
	hc_buf_release(&b);
	return 0;
}

int hc_pair_lines(const struct hc_doc *d, const struct hc_node *map, size_t i, size_t *startp,
                  size_t *endp)
{
	if (!map || map->type != HC_MAP || map->flow || 2 * i + 1 >= map->nkids)
		return -1;
	const struct hc_node *k = map->kids[2 * i], *v = map->kids[2 * i + 1];
	size_t start = hc_line_start(d->text, k->start);
	for (size_t p = start; p < k->start; p++)
		if (d->text[p] != ' ')
			return -1;
	size_t end = hc_node_content_end(d, v->empty ? k : v);
	if (v->empty)
		end = v->end;
	if (!(end > 0 && d->text[end - 1] == '\n')) {
		while (end < d->len && d->text[end] != '\n')
			end++;
		if (end < d->len)
			end++;
	}
	/* the next key must start a line of its own */
	if (2 * i + 2 < map->nkids && hc_line_start(d->text, map->kids[2 * i + 2]->start) < end)
		return -1;
	*startp = start;
	*endp = end;
	return 0;
}

int hc_delete_pair(struct hc_run *r, struct hc_node *map, size_t i)
{
	const struct hc_doc *d = r->doc;
	size_t start, end;
	if (hc_pair_lines(d, map, i, &start, &end) < 0)
		return -1;
	if (end == d->len && !(d->len > 0 && d->text[d->len - 1] == '\n') && start > 0) {
		/* last line without a final newline: take the line end before it */
		start--;
		if (start > 0 && d->text[start - 1] == '\r')
			start--;
	}
	/* at the top of the file or after a blank line, a blank line that
	 * follows went with the pair: do not leave a doubled gap */
	bool blank_before =
	    start == 0 || (start >= 2 && d->text[start - 2] == '\n') ||
	    (start >= 3 && d->text[start - 2] == '\r' && d->text[start - 3] == '\n');
	if (blank_before && end < d->len) {
		size_t q = end;
		if (q < d->len && d->text[q] == '\r')
			q++;
		if (q < d->len && d->text[q] == '\n')
			end = q + 1;
	}
	hc_edits_add(&r->edits, start, end, "", 0);
	return 0;
}

int hc_pair_whole_lines(const struct hc_doc *d, const struct hc_node *map, size_t i, size_t *start,
                        size_t *end)
{
	if (hc_pair_lines(d, map, i, start, end) < 0 || hc_ends_unterminated(d, *end))
		return -1;
	return 0;
}

int hc_cut_pair(struct hc_run *r, const struct hc_node *map, size_t i)
{
	size_t start, end;
	if (hc_pair_lines(r->doc, map, i, &start, &end) < 0)
		return -1;
	hc_edits_add(&r->edits, start, end, "", 0);
	return 0;
}

int hc_replace_block_value(struct hc_run *r, const struct hc_node *map, size_t i, const char *text)
{
	const struct hc_doc *d = r->doc;
	size_t start, end;
	if (hc_pair_lines(d, map, i, &start, &end) < 0)
		return -1;
	const struct hc_node *k = map->kids[2 * i], *v = map->kids[2 * i + 1];
	if (v->empty || hc_same_line(d, k->start, v->start))
		return -1;
	size_t colon = k->end;
	while (colon < d->len && d->text[colon] != ':')
		colon++;
	struct hc_buf b = HC_BUF_INIT;
	hc_buf_addc(&b, ' ');
	hc_buf_adds(&b, text);
	hc_edits_add(&r->edits, colon + 1, colon + 1, b.data, b.len);
	hc_buf_release(&b);
	hc_edits_add(&r->edits, hc_next_line(d, k->end), end, "", 0);
	return 0;
}

int hc_delete_item(struct hc_run *r, const struct hc_node *seq, const struct hc_node *it)
{
	const struct hc_doc *d = r->doc;
	if (seq->flow)
		return -1;
	size_t ls = hc_line_start(d->text, it->start), p = ls;
	while (p < it->start && d->text[p] == ' ')
		p++;
	if (p >= it->start || d->text[p] != '-')
		return -1;
	for (p++; p < it->start; p++)
		if (d->text[p] != ' ')
			return -1;
	size_t e = hc_line_end(d, it->end);
	if (e >= d->len)
		return -1;
	for (size_t q = it->end; q < e; q++)
		if (d->text[q] == '#')
			break;
		else if (d->text[q] != ' ' && d->text[q] != '\r')
			return -1;
	hc_edits_add(&r->edits, ls, e + 1, "", 0);
	return 0;
}

void hc_replace_node(struct hc_run *r, const struct hc_node *n, const char *text, size_t len)
{
	hc_edits_add(&r->edits, n->start, n->end, text, len);
}

void hc_insert_lines(struct hc_run *r, size_t at, const char *text, size_t len, size_t depth)
{
	hc_edits_add_lines(&r->edits, at, text, len, depth);
}

void hc_render_children(struct hc_buf *b, const struct hc_style *st, const struct hc_val *v,
                        size_t col)
{
	render_children(b, st, v, col);
}

/* The edits a call added extend `coll`: the engine may batch them with other
 * transforms' edits to the same collection (see engine.c). */
static void mark_owner(struct hc_run *r, size_t from, const struct hc_node *coll)
{
	if (coll->type != HC_MAP && coll->type != HC_SEQ)
		return; /* filling a null value: its first entry, not batchable */
	for (size_t i = from; i < r->edits.n; i++)
		r->edits.v[i].owner = coll->start + 1;
}

int hc_add_pair(struct hc_run *r, struct hc_node *owner_key, struct hc_node *map, const char *key,
                const struct hc_val *v)
{
	size_t n0 = r->edits.n;
	int rc = add_pair(r, owner_key, map, key, v);
	if (rc == 0 && map && !(map->flow && map->nkids == 0))
		mark_owner(r, n0, map);
	return rc;
}

int hc_seq_append(struct hc_run *r, struct hc_node *owner_key, struct hc_node *seq,
                  const struct hc_val *item)
{
	size_t n0 = r->edits.n;
	int rc = seq_append(r, owner_key, seq, item);
	if (rc == 0 && seq && !(seq->flow && seq->nkids == 0))
		mark_owner(r, n0, seq);
	return rc;
}

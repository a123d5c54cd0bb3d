/*
 * test_unit.c: unit tests of the edit engine, style detection, placement,
 * the line helpers, the diff and the string map. Prints "N passed, N
 * failed" and exits non-zero on any failure.
 */
#include "engine/diff.h"
#include "engine/edit.h"
#include "engine/place.h"
#include "base/strmap.h"
#include "base/strset.h"
#include "yaml/tree.h"
#include "engine/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

static void test_apply_order(void)
{
	const char *t = "abcdef";
	struct hc_edits e = {0};
	struct hc_pieces p;
	struct hc_buf out = HC_BUF_INIT;
	size_t bad;
	hc_pieces_init(&p, strlen(t));
	hc_edits_add(&e, 4, 4, "X", 1); /* proposed first, applied later in the text */
	hc_edits_add(&e, 1, 3, "", 0);  /* delete "bc" */
	hc_edits_add(&e, 4, 4, "Y", 1); /* same offset as X: after it */
	hc_edits_add(&e, 0, 0, "<", 1);
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == 0);
	CHECK(out.len == 7 && !memcmp(out.data, "<adXYef", 7));
	/* pieces map output bytes back to input offsets */
	CHECK(hc_pieces_map_back(&p, 1) == 0); /* 'a' */
	CHECK(hc_pieces_map_back(&p, 2) == 3); /* 'd' */
	CHECK(hc_pieces_map_back(&p, 5) == 4); /* 'e' */
	CHECK(hc_pieces_is_inserted(&p, 3) && !hc_pieces_is_inserted(&p, 5));
	hc_edits_clear(&e);
	hc_pieces_release(&p);
	hc_buf_release(&out);
}

static void test_deeper_lines_first(void)
{
	/* a key added to the mapping and an item appended to the list that ends
	 * at the same offset: the item must stay in the list */
	const char *t = "a:\n  l:\n    - x\n";
	struct hc_edits e = {0};
	struct hc_pieces p;
	struct hc_buf out = HC_BUF_INIT;
	size_t bad;
	hc_pieces_init(&p, strlen(t));
	hc_edits_add_lines(&e, strlen(t), "  k: v\n", 7, 2);
	hc_edits_add_lines(&e, strlen(t), "    - y\n", 8, 4);
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == 0);
	CHECK(out.data && !strcmp(out.data, "a:\n  l:\n    - x\n    - y\n  k: v\n"));
	hc_edits_clear(&e);
	hc_pieces_release(&p);
	hc_buf_release(&out);
}

static void test_overlap_rejected(void)
{
	const char *t = "abcdef";
	struct hc_edits e = {0};
	struct hc_pieces p;
	struct hc_buf out = HC_BUF_INIT;
	size_t bad = 99;
	hc_pieces_init(&p, strlen(t));
	hc_edits_add(&e, 1, 4, "Z", 1);
	hc_edits_add(&e, 2, 2, "I", 1); /* insert inside a replaced range */
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == -1);
	CHECK(bad == 1);
	hc_edits_clear(&e);
	hc_edits_add(&e, 1, 4, "Z", 1);
	hc_edits_add(&e, 3, 5, "W", 1); /* overlapping replacements */
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == -1);
	hc_edits_clear(&e);
	hc_edits_add(&e, 2, 9, "", 0); /* past the end */
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == -1);
	hc_edits_clear(&e);
	hc_edits_add(&e, 1, 3, "Z", 1);
	hc_edits_add(&e, 3, 4, "W", 1); /* adjacent is fine */
	CHECK(hc_edits_apply(&e, t, strlen(t), &out, &p, &bad) == 0);
	CHECK(out.len == 5 && !memcmp(out.data, "aZWef", 5));
	hc_edits_clear(&e);
	hc_pieces_release(&p);
	hc_buf_release(&out);
}

static void style_of(const char *text, struct hc_style *st)
{
	struct hc_doc d;
	struct hc_error err;
	int rc = hc_doc_parse(&d, text, strlen(text), &err);
	CHECK(rc == 0);
	if (rc == 0) {
		*st = d.style;
		hc_doc_release(&d);
	}
}

static void test_style_detection(void)
{
	struct hc_style st;
	style_of("services:\n    web:\n        image: x\n        ports:\n            - 1\n", &st);
	CHECK(st.indent == 4 && st.seq_indent == 4 && !strcmp(st.eol, "\n") && st.final_newline);
	style_of("services:\r\n  web:\r\n    ports:\r\n    - 1\r\n    volumes:\r\n    - a", &st);
	CHECK(st.indent == 2 && st.seq_indent == 0 && !strcmp(st.eol, "\r\n") && !st.final_newline);
	style_of("\xEF\xBB\xBFservices:\n  web: {}\n", &st);
	CHECK(st.bom && st.indent == 2);
	style_of("# nothing\n", &st);
	CHECK(st.indent == 2 && st.seq_indent == 2);
}

static void test_positions(void)
{
	const char *t = "a: \"q\"\nb: |+\n  x\n\n\nc: 1\n";
	struct hc_doc d;
	struct hc_error err;
	CHECK(hc_doc_parse(&d, t, strlen(t), &err) == 0);
	struct hc_node *a = hc_map_get(d.root, "a", NULL), *b = hc_map_get(d.root, "b", NULL);
	CHECK(a && a->start == 3 && a->end == 6); /* quotes included */
	CHECK(b && t[b->start] == '|' && hc_block_scalar_keeps(&d, b));
	CHECK(b && hc_node_content_end(&d, b) == strlen("a: \"q\"\nb: |+\n  x\n\n\n"));
	int line, col;
	hc_doc_linecol(&d, (size_t)(strstr(t, "c:") - t), &line, &col);
	CHECK(line == 6 && col == 1);
	hc_doc_release(&d);
	CHECK(hc_doc_parse(&d, "a: 1\na: 2\n", 10, &err) == -1 && err.line == 2);
	CHECK(hc_doc_parse(&d, "a: *x\n", 6, &err) == -1 && strstr(err.msg, "undefined alias"));
}

static void test_quoting(void)
{
	CHECK(hc_needs_quotes("yes") && hc_needs_quotes("3") && hc_needs_quotes("22:22") &&
	      hc_needs_quotes("0o17") && hc_needs_quotes("") && hc_needs_quotes("a: b") &&
	      hc_needs_quotes("~") && hc_needs_quotes("-x"));
	CHECK(!hc_needs_quotes("json-file") && !hc_needs_quotes("10m") &&
	      !hc_needs_quotes("no-new-privileges:true") && !hc_needs_quotes("ALL") &&
	      !hc_needs_quotes("127.0.0.1") && !hc_needs_quotes("127.0.0.1:5432:5432"));
	struct hc_val *v = hc_val_str("3");
	CHECK(!strcmp(v->text, "\"3\""));
	hc_val_free(v);
}

static void test_verify(void)
{
	const char *a = "x-a: &a {init: true}\ns:\n  w:\n    <<: *a\n    image: x\n";
	const char *b = "s:\n  w: {image: x, init: true}\n";
	const char *c = "s:\n  w: {image: y, init: true}\n";
	struct hc_doc da, db, dc;
	struct hc_error err;
	CHECK(hc_doc_parse(&da, a, strlen(a), &err) == 0);
	CHECK(hc_doc_parse(&db, b, strlen(b), &err) == 0);
	CHECK(hc_doc_parse(&dc, c, strlen(c), &err) == 0);
	struct hc_declared none = {0}, decl = {0};
	char *where;
	const struct hc_node *at;
	CHECK(hc_verify(da.root, db.root, &none, &where, &at) ==
	      0); /* merges resolved, x- dropped */
	free(where);
	CHECK(hc_verify(db.root, dc.root, &none, &where, &at) == -1 &&
	      !strcmp(where, "/s/w/image"));
	free(where);
	hc_declare_path(&decl, "/s/w/image", HC_CHANGE_ANY);
	CHECK(hc_verify(db.root, dc.root, &decl, &where, &at) == 0);
	free(where);
	hc_declared_release(&decl);
	hc_doc_release(&da);
	hc_doc_release(&db);
	hc_doc_release(&dc);
}

/* 0 when b means a, apart from `path` changed as `kind` allows */
static int verify_one(const char *a, const char *b, const char *path, enum hc_change kind)
{
	struct hc_doc da, db;
	struct hc_error err;
	if (hc_doc_parse(&da, a, strlen(a), &err) < 0)
		return -2;
	if (hc_doc_parse(&db, b, strlen(b), &err) < 0) {
		hc_doc_release(&da);
		return -2;
	}
	struct hc_declared decl = {0};
	hc_declare_path(&decl, path, kind);
	char *where;
	const struct hc_node *at;
	int rc = hc_verify(da.root, db.root, &decl, &where, &at);
	free(where);
	hc_declared_release(&decl);
	hc_doc_release(&da);
	hc_doc_release(&db);
	return rc;
}

static void test_verify_kinds(void)
{
	const char *p = "/s/w/l";
	/* extend: a list may gain items anywhere, keeping its own in order */
	CHECK(verify_one("s: {w: {l: [a, b]}}", "s: {w: {l: [a, x, b, y]}}", p, HC_CHANGE_EXTEND) ==
	      0);
	CHECK(verify_one("s: {w: {l: [a, b]}}", "s: {w: {l: [a]}}", p, HC_CHANGE_EXTEND) == -1);
	CHECK(verify_one("s: {w: {l: [a, b]}}", "s: {w: {l: [b, a]}}", p, HC_CHANGE_EXTEND) == -1);
	/* extend: a new key; a scalar may not change */
	CHECK(verify_one("s: {w: {}}", "s: {w: {l: 1}}", p, HC_CHANGE_EXTEND) == 0);
	CHECK(verify_one("s: {w: {l: 1}}", "s: {w: {l: 2}}", p, HC_CHANGE_EXTEND) == -1);
	/* extend: a mapping keeps its keys and values */
	CHECK(verify_one("s: {w: {l: {a: 1}}}", "s: {w: {l: {a: 1, b: 2}}}", p, HC_CHANGE_EXTEND) ==
	      0);
	CHECK(verify_one("s: {w: {l: {a: 1}}}", "s: {w: {l: {a: 3, b: 2}}}", p, HC_CHANGE_EXTEND) ==
	      -1);
	/* extend: a merged list copied into the service and grown */
	CHECK(verify_one("x: &x {l: [a]}\ns: {w: {<<: *x}}",
	                 "x: &x {l: [a]}\ns: {w: {<<: *x, l: [a, b]}}", p, HC_CHANGE_EXTEND) == 0);
	/* remove and any */
	CHECK(verify_one("s: {w: {l: 1}}", "s: {w: {}}", p, HC_CHANGE_REMOVE) == 0);
	CHECK(verify_one("s: {w: {l: 1}}", "s: {w: {l: 1}}", p, HC_CHANGE_REMOVE) == -1);
	CHECK(verify_one("s: {w: {l: [a]}}", "s: {w: {l: [z]}}", p, HC_CHANGE_ANY) == 0);
	/* what is not declared may not change */
	CHECK(verify_one("s: {w: {l: [a], m: 1}}", "s: {w: {l: [a, b], m: 2}}", p,
	                 HC_CHANGE_EXTEND) == -1);
}

static void test_diff(void)
{
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
	struct hc_edits e = {0};
	struct hc_pieces p;
	struct hc_buf out = HC_BUF_INIT, d = HC_BUF_INIT;
	size_t bad;
	hc_pieces_init(&p, strlen(a));
	hc_edits_add(&e, 4, 4, "X\n", 2); /* before line 3 */
	CHECK(hc_edits_apply(&e, a, strlen(a), &out, &p, &bad) == 0);
	hc_diff(&d, "f", a, strlen(a), out.data, out.len, &p);
	CHECK(d.data &&
	      !strcmp(d.data, "--- a/f\n+++ b/f\n@@ -1,5 +1,6 @@\n 1\n 2\n+X\n 3\n 4\n 5\n"));
	hc_edits_clear(&e);
	hc_pieces_release(&p);
	hc_buf_release(&out);
	hc_buf_release(&d);
}

/* A parsed text and a run over it, for the placement helpers. */
struct fix {
	struct hc_doc d;
	struct hc_run r;
	struct hc_buf out;
};

static bool fix_open(struct fix *f, const char *text)
{
	struct hc_error err;
	memset(f, 0, sizeof(*f));
	f->out = (struct hc_buf)HC_BUF_INIT;
	if (hc_doc_parse(&f->d, text, strlen(text), &err) < 0)
		return false;
	f->r.doc = &f->d;
	return true;
}

/* The text with the proposed edits applied ("" when they do not apply). */
static const char *fix_result(struct fix *f)
{
	struct hc_pieces p;
	size_t bad;
	hc_pieces_init(&p, f->d.len);
	f->out.len = 0;
	int rc = hc_edits_apply(&f->r.edits, f->d.text, f->d.len, &f->out, &p, &bad);
	hc_pieces_release(&p);
	if (rc < 0 || !f->out.data)
		return "";
	return f->out.data;
}

static void fix_close(struct fix *f)
{
	hc_edits_clear(&f->r.edits);
	hc_buf_release(&f->out);
	hc_doc_release(&f->d);
}

static void test_lines(void)
{
	const char *t = "# top\n# more\nx: 1  # c\n\nservices:\n  a:\n    k: v\nz: last";
	struct fix f;
	CHECK(fix_open(&f, t));
	const struct hc_doc *d = &f.d;
	size_t x = (size_t)(strstr(t, "x:") - t), sv = (size_t)(strstr(t, "services") - t);
	size_t one = x + 3, c = (size_t)(strstr(t, "# c") - t);
	CHECK(hc_line_end(d, x) == c + 3 && t[hc_line_end(d, x)] == '\n');
	CHECK(hc_next_line(d, x) == c + 4);
	CHECK(hc_line_end(d, d->len - 1) == d->len && hc_next_line(d, d->len - 1) == d->len);
	CHECK(hc_same_line(d, x, c) && !hc_same_line(d, x, sv));
	CHECK(hc_column(d, c) == 6 && hc_column(d, sv) == 0);
	CHECK(hc_follows_blank_line(d, sv) && !hc_follows_blank_line(d, x) &&
	      !hc_follows_blank_line(d, 0));
	CHECK(hc_above_comments(d, x + 1) == 0);      /* both comment lines above */
	CHECK(hc_above_comments(d, sv + 3) == sv);    /* a blank line stops it */
	CHECK(hc_comment_after(d, one + 1) == c + 3); /* "  # c" */
	CHECK(hc_comment_after(d, x + 1) == x + 1);   /* no comment right after */
	CHECK(hc_ends_unterminated(d, d->len) && !hc_ends_unterminated(d, sv));
	CHECK(hc_lines_have_comment(d, 0, 6) && !hc_lines_have_comment(d, sv, d->len));
	char *dup = hc_text_dup(d, x, x + 4);
	CHECK(!strcmp(dup, "x: 1"));
	free(dup);
	struct hc_buf b = HC_BUF_INIT;
	size_t a = (size_t)(strstr(t, "  a:") - t);
	CHECK(hc_copy_reindented(&b, d, a, hc_next_line(d, a + 5), 2, 4) == 0);
	CHECK(b.data && !strcmp(b.data, "    a:\n      k: v\n"));
	b.len = 0;
	CHECK(hc_copy_reindented(&b, d, sv, hc_next_line(d, sv), 2, 0) == -1);
	b.len = 0;
	hc_add_unindented(&b, d, a, d->len);
	CHECK(b.data && b.len == strlen("a:k: vz: last") &&
	      !memcmp(b.data, "a:k: vz: last", b.len));
	fix_close(&f);
	/* CRLF: a comment ends before the '\r', which unindented text keeps */
	CHECK(fix_open(&f, "a: 1 # c\r\nb: 2\r\n"));
	CHECK(hc_comment_after(&f.d, 4) == 8 && hc_line_end(&f.d, 0) == 9);
	b.len = 0;
	hc_add_unindented(&b, &f.d, 0, f.d.len);
	CHECK(b.data && !strcmp(b.data, "a: 1 # c\rb: 2\r"));
	hc_buf_release(&b);
	fix_close(&f);
}

static void test_pair_edits(void)
{
	struct fix f;
	const char *t = "s:\n  a:\n    - 1\n  b: 2\n";
	size_t st, en;
	CHECK(fix_open(&f, t));
	struct hc_node *s = hc_map_get(f.d.root, "s", NULL);
	CHECK(hc_pair_whole_lines(&f.d, s, 0, &st, &en) == 0 && st == 3 && en == 16);
	CHECK(hc_cut_pair(&f.r, s, 0) == 0);
	CHECK(!strcmp(fix_result(&f), "s:\n  b: 2\n"));
	hc_edits_clear(&f.r.edits);
	CHECK(hc_replace_block_value(&f.r, s, 0, "*x") == 0);
	CHECK(!strcmp(fix_result(&f), "s:\n  a: *x\n  b: 2\n"));
	CHECK(hc_replace_block_value(&f.r, s, 1, "*x") == -1); /* b's value is on its line */
	fix_close(&f);
	/* the last line without a line end: no whole lines to move */
	CHECK(fix_open(&f, "a: 1\nb: 2"));
	CHECK(hc_pair_whole_lines(&f.d, f.d.root, 0, &st, &en) == 0);
	CHECK(hc_pair_whole_lines(&f.d, f.d.root, 1, &st, &en) == -1);
	CHECK(hc_pair_lines(&f.d, f.d.root, 1, &st, &en) == 0);
	fix_close(&f);
}

static void test_item_and_node_edits(void)
{
	struct fix f;
	CHECK(fix_open(&f, "l:\n  - a  # keep?\n  - b\n  - [c]\nm: [x, y]\nk: 'v'\n"));
	struct hc_node *l = hc_map_get(f.d.root, "l", NULL), *m = hc_map_get(f.d.root, "m", NULL);
	struct hc_node *k = hc_map_get(f.d.root, "k", NULL);
	CHECK(hc_delete_item(&f.r, l, l->kids[0]) == 0);
	CHECK(hc_delete_item(&f.r, m, m->kids[0]) == -1); /* flow */
	hc_replace_node(&f.r, k, "\"w\"", 3);
	hc_insert_lines(&f.r, 0, "x: 0\n", 5, 0);
	CHECK(!strcmp(fix_result(&f), "x: 0\nl:\n  - b\n  - [c]\nm: [x, y]\nk: \"w\"\n"));
	fix_close(&f);
	/* an item that shares its line, or ends a file without a final newline */
	CHECK(fix_open(&f, "l:\n  - - a\n  - b"));
	l = hc_map_get(f.d.root, "l", NULL);
	CHECK(hc_delete_item(&f.r, l->kids[0], l->kids[0]->kids[0]) == -1);
	CHECK(hc_delete_item(&f.r, l, l->kids[1]) == -1);
	fix_close(&f);
}

static void test_word_end(void)
{
	struct fix f;
	const char *t = "a: !!str\tx\nb: !t\nc: !!str v\n";
	CHECK(fix_open(&f, t));
	size_t a = (size_t)(strstr(t, "!!str") - t), b = (size_t)(strstr(t, "!t") - t);
	size_t c = (size_t)(strstr(t, "!!str v") - t);
	CHECK(hc_word_end(&f.d, a, f.d.len) == a + 5); /* a tab ends it */
	CHECK(hc_word_end(&f.d, b, f.d.len) == b + 2); /* the line end */
	CHECK(hc_word_end(&f.d, c, f.d.len) == c + 5); /* a space */
	CHECK(hc_word_end(&f.d, c, c + 3) == c + 3);   /* no further than end */
	fix_close(&f);
}

static void test_strmap(void)
{
	struct hc_strmap m = {0};
	CHECK(hc_strmap_get(&m, "x") == HC_STRMAP_NONE);
	char keys[200][8];
	for (size_t i = 0; i < 200; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		hc_strmap_put(&m, keys[i], i);
	}
	hc_strmap_put(&m, "k7", 700); /* replaces */
	CHECK(m.n == 200 && m.cap >= 2 * m.n);
	CHECK(hc_strmap_get(&m, "k0") == 0 && hc_strmap_get(&m, "k199") == 199);
	CHECK(hc_strmap_get(&m, "k7") == 700 && hc_strmap_get(&m, "k200") == HC_STRMAP_NONE);
	hc_strmap_release(&m);
	CHECK(m.n == 0 && hc_strmap_get(&m, "k0") == HC_STRMAP_NONE);
}

int main(void)
{
	test_apply_order();
	test_overlap_rejected();
	test_deeper_lines_first();
	test_style_detection();
	test_positions();
	test_quoting();
	test_verify();
	test_verify_kinds();
	test_diff();
	test_lines();
	test_pair_edits();
	test_item_and_node_edits();
	test_word_end();
	test_strmap();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

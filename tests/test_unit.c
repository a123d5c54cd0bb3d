/*
 * test_unit.c: unit tests of the edit engine, style detection, placement and
 * the diff. Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include "engine/diff.h"
#include "engine/edit.h"
#include "engine/place.h"
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
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

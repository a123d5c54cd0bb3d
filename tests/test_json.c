/*
 * test_json.c: src/base/json.c. JSON texts parsed and printed compactly
 * give the text cJSON 1.7.15 gave for them (the table's expectations were
 * cJSON_PrintUnformatted's output); texts that are not JSON are refused,
 * those cJSON read anyway marked; nesting stops at 1000; numbers print as
 * cJSON printed them; the trees the LSP server builds (src/cli/lsp*.c)
 * print as its messages on the wire did; random trees survive print,
 * parse, print. Prints how many checks passed.
 */
#include "base/json.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, passed;

static void check(bool ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		return;
	}
	failures++;
	fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

/* v printed equals want; v is freed. */
static void prints(struct hc_json *v, const char *want, const char *what)
{
	char *got = hc_json_print(v);
	bool ok = got && !strcmp(got, want);
	if (!ok)
		fprintf(stderr, "  want %s\n  got  %s\n", want, got ? got : "(null)");
	check(ok, what, NULL);
	free(got);
	hc_json_free(v);
}

static const struct {
	const char *in;
	size_t len;
	const char *out; /* NULL: refused */
} texts[] = {
    {"{}", 2, "{}"},
    {"[]", 2, "[]"},
    {" { } ", 5, "{}"},
    {"\011[\015\012]\012", 6, "[]"},
    {"{\"a\":1}", 7, "{\"a\":1}"},
    {"{ \"a\" : [ 1 , 2.5 , -3e2 , true , false , null , \"x\" ] }", 56,
     "{\"a\":[1,2.5,-300,true,false,null,\"x\"]}"},
    {"\"just a string\"", 15, "\"just a string\""},
    {"0", 1, "0"},
    {"-0", 2, "-0"},
    {"-0.0", 4, "-0"},
    {"12345", 5, "12345"},
    {"-12345", 6, "-12345"},
    {"0.5", 3, "0.5"},
    {"1e5", 3, "100000"},
    {"1E+5", 4, "100000"},
    {"1e-5", 4, "1e-05"},
    {"2147483647", 10, "2147483647"},
    {"2147483648", 10, "2147483648"},
    {"-2147483649", 11, "-2147483649"},
    {"123456789012", 12, "123456789012"},
    {"1e15", 4, "1e+15"},
    {"1e16", 4, "1e+16"},
    {"1e21", 4, "1e+21"},
    {"0.1", 3, "0.1"},
    {"0.30000000000000004", 19, "0.3"},
    {"3.141592653589793", 17, "3.1415926535897931"},
    {"1.7976931348623157e308", 22, "1.79769313486232e+308"},
    {"4.9e-324", 8, "4.94065645841247e-324"},
    {"2.2250738585072014e-308", 23, "2.2250738585072014e-308"},
    {"1e400", 5, "null"},
    {"-1e400", 6, "null"},
    {"123456789012345678901234567890", 30, "1.2345678901234568e+29"},
    {"0.1000000000000000055511151231257827", 36, "0.1"},
    {"9007199254740993", 16, "9.00719925474099e+15"},
    {"1.5e-7", 6, "1.5e-07"},
    {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 18, "\"\\\"\\\\/\\b\\f\\n\\r\\t\""},
    {"\"\\u0001\\u001f\\u0020\\u007f\\u0080\\u00e9\\u07ff\\u0800\\u20ac\\uffff\"", 62,
     "\"\\u0001\\u001f \177\302\200\303\251\337\277\340\240\200\342\202\254\357\277\277\""},
    {"\"\\ud83d\\ude00 \\uD834\\uDD1E \\udbff\\udfff\"", 40,
     "\"\360\237\230\200 \360\235\204\236 \364\217\277\277\""},
    {"\"x\\u0000y\"", 10, "\"x\""},
    {"\"\303\251 \346\227\245\346\234\254 \360\237\216\211 \177\"", 18,
     "\"\303\251 \346\227\245\346\234\254 \360\237\216\211 \177\""},
    {"\"\\u00E9\\u00e9\"", 14, "\"\303\251\303\251\""},
    {"{\"a\":{\"b\":{\"c\":[1,{\"d\":\"e\"}]}}}", 31, "{\"a\":{\"b\":{\"c\":[1,{\"d\":\"e\"}]}}}"},
    {"{\"dup\":1,\"dup\":2}", 17, "{\"dup\":1,\"dup\":2}"},
    {"{\"\":\"\"}", 7, "{\"\":\"\"}"},
    {"[[[[[]]]]]", 10, "[[[[[]]]]]"},
    {"[{},[],\"\",0,null]", 17, "[{},[],\"\",0,null]"},
    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,"
     "\"rootUri\":\"file:///tmp\",\"capabilities\":{}}}",
     116,
     "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,"
     "\"rootUri\":\"file:///tmp\",\"capabilities\":{}}}"},
    {"{\"textDocument\":{\"uri\":\"file:///a%20b/"
     "compose.yaml\",\"languageId\":\"yaml\",\"version\":1,\"text\":\"services:\\n  web:\\n    "
     "image: nginx\\n\"}}",
     132,
     "{\"textDocument\":{\"uri\":\"file:///a%20b/"
     "compose.yaml\",\"languageId\":\"yaml\",\"version\":1,\"text\":\"services:\\n  web:\\n    "
     "image: nginx\\n\"}}"},
    {"\357\273\277{\"bom\":true}", 15, "{\"bom\":true}"},
    {"", 0, NULL},
    {" ", 1, NULL},
    {"{", 1, NULL},
    {"}", 1, NULL},
    {"[", 1, NULL},
    {"]", 1, NULL},
    {"{\"a\"}", 5, NULL},
    {"{\"a\":}", 6, NULL},
    {"{\"a\":1,}", 8, NULL},
    {"[1,]", 4, NULL},
    {"[,1]", 4, NULL},
    {"{,}", 3, NULL},
    {"{\"a\" 1}", 7, NULL},
    {"{1:2}", 5, NULL},
    {"{'a':1}", 7, NULL},
    {"[1 2]", 5, NULL},
    {"01", 2, NULL},  /* cJSON read it */
    {"-01", 3, NULL}, /* cJSON read it */
    {"00", 2, NULL},  /* cJSON read it */
    {"1.", 2, NULL},  /* cJSON read it */
    {".5", 2, NULL},
    {"+1", 2, NULL},
    {"-", 1, NULL},
    {"1e", 2, NULL},   /* cJSON read it */
    {"1e+", 3, NULL},  /* cJSON read it */
    {"1.e5", 4, NULL}, /* cJSON read it */
    {"0x10", 4, NULL}, /* cJSON read it */
    {"NaN", 3, NULL},
    {"Infinity", 8, NULL},
    {"-Infinity", 9, NULL},
    {"tru", 3, NULL},
    {"nul", 3, NULL},
    {"fals", 4, NULL},
    {"True", 4, NULL},
    {"NULL", 4, NULL},
    {"[true false]", 12, NULL},
    {"\"abc", 4, NULL},
    {"\"\\\"", 3, NULL},
    {"\"\\x\"", 4, NULL},
    {"\"\\u12\"", 6, NULL},
    {"\"\\u12G4\"", 8, NULL}, /* cJSON read it */
    {"\"\\uZZZZ\"", 8, NULL}, /* cJSON read it */
    {"\"\\ud800\"", 8, NULL},
    {"\"\\udc00\"", 8, NULL},
    {"\"\\ud800\\u0041\"", 14, NULL},
    {"\"\\ud800x\"", 9, NULL},
    {"\"\\ud800\\n\"", 10, NULL},
    {"\"a\011b\"", 5, NULL},  /* cJSON read it */
    {"\"a\012b\"", 5, NULL},  /* cJSON read it */
    {"\"a\001b\"", 5, NULL},  /* cJSON read it */
    {"\"\037\"", 3, NULL},    /* cJSON read it */
    {"{\"a\":1} x", 9, NULL}, /* cJSON read it */
    {"[1]]", 4, NULL},        /* cJSON read it */
    {"1 2", 3, NULL},         /* cJSON read it */
    {"{}{}", 4, NULL},        /* cJSON read it */
    {"\"a\"\"b\"", 6, NULL},  /* cJSON read it */
    {"\014[]", 3, NULL},      /* cJSON read it */
    {"[]\013", 3, NULL},      /* cJSON read it */
    {"\000[]", 3, NULL},      /* cJSON read it */
    {"[1]\000", 4, NULL},     /* cJSON read it */
    {"nulll", 5, NULL},       /* cJSON read it */
    {"truefalse", 9, NULL},   /* cJSON read it */
    {"[1,\0122,]", 7, NULL},
    {"{\"a\":1 \"b\":2}", 13, NULL},
    {"{\"a\"::1}", 8, NULL},
    {"{\"a\":1,,\"b\":2}", 14, NULL},
    {"[-]", 3, NULL},
    {"[--1]", 5, NULL},
    {"[1-2]", 5, NULL},
    {"[1e5.5]", 7, NULL},
};

static void table(void)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		/* a copy of exactly len bytes: the parser must not read past */
		char *t = malloc(texts[i].len ? texts[i].len : 1);
		memcpy(t, texts[i].in, texts[i].len);
		struct hc_json *v = hc_json_parse(t, texts[i].len);
		char what[96];
		snprintf(what, sizeof(what), "text %zu (%.40s)", i, texts[i].in);
		if (!texts[i].out)
			check(!v, what, "not JSON, yet parsed");
		else if (!v)
			check(false, what, "refused");
		else
			prints(v, texts[i].out, what);
		if (!texts[i].out)
			hc_json_free(v);
		free(t);
	}
	/* a value followed by more bytes outside the given length */
	struct hc_json *v = hc_json_parse("[1]garbage", 3);
	prints(v, "[1]", "length bounds the text");
	check(!hc_json_parse(NULL, 0), "NULL text", NULL);
}

/* n arrays or objects nested: parsed when n <= 1000 */
static void depth(void)
{
	for (int n = 998; n <= 1002; n++) {
		for (int obj = 0; obj < 2; obj++) {
			char *t = malloc(6 * (size_t)n + 2);
			size_t k = 0;
			for (int i = 0; i < n; i++) {
				memcpy(t + k, obj ? "{\"a\":" : "[", obj ? 5 : 1);
				k += obj ? 5 : 1;
			}
			t[k++] = '1';
			for (int i = 0; i < n; i++)
				t[k++] = obj ? '}' : ']';
			struct hc_json *v = hc_json_parse(t, k);
			char what[64];
			snprintf(what, sizeof(what), "%d nested %s", n, obj ? "objects" : "arrays");
			check((v != NULL) == (n <= HC_JSON_MAX_DEPTH), what,
			      v ? "parsed" : "refused");
			if (v) { /* and back */
				char *p = hc_json_print(v);
				check(p && strlen(p) == k && !memcmp(p, t, k), what,
				      "printed differently");
				free(p);
			}
			hc_json_free(v);
			free(t);
		}
	}
}

/* numbers as cJSON printed them (its output for each) */
static void numbers(void)
{
	static const struct {
		double d;
		const char *s;
	} nums[] = {
	    {0, "0"},
	    {-0.0, "-0"},
	    {1, "1"},
	    {-32601, "-32601"},
	    {2147483647.0, "2147483647"},
	    {2147483648.0, "2147483648"},
	    {-2147483649.0, "-2147483649"},
	    {1e15, "1e+15"},
	    {123456789012345.0, "123456789012345"},
	    {1e300, "1e+300"},
	    {0.1, "0.1"},
	    {1.0 / 3, "0.33333333333333331"},
	    {2.0 / 3, "0.66666666666666663"},
	    {1.5e-7, "1.5e-07"},
	    {5e-324, "4.94065645841247e-324"},
	    {DBL_MAX, "1.79769313486232e+308"},
	    {DBL_MIN, "2.2250738585072014e-308"},
	    {4503599627370496.5, "4503599627370496"},
	    {NAN, "null"},
	    {INFINITY, "null"},
	    {-INFINITY, "null"},
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		prints(hc_json_number(nums[i].d), nums[i].s, nums[i].s);
}

static void lookups(void)
{
	const char *t = "{\"a\":1,\"A\":\"x\",\"a\":2,\"arr\":[\"p\",{\"a\":3},true],\"o\":{}}";
	struct hc_json *v = hc_json_parse(t, strlen(t));
	check(v && hc_json_is_object(v), "object", NULL);
	struct hc_json *a = hc_json_get(v, "a");
	check(hc_json_is_number(a) && a->num == 1, "the first of duplicate keys", NULL);
	check(!strcmp(hc_json_string(hc_json_get(v, "A")), "x"), "keys are case-sensitive", NULL);
	check(!hc_json_get(v, "b") && !hc_json_get(NULL, "a") && !hc_json_get(v, NULL),
	      "missing member, NULL object or key", NULL);
	struct hc_json *arr = hc_json_get(v, "arr"), *e;
	check(hc_json_is_array(arr) && !hc_json_get(arr, "a"), "no lookup by key in an array",
	      NULL);
	int n = 0;
	hc_json_for_each(e, arr) n++;
	check(n == 3, "three members iterated", NULL);
	hc_json_for_each(e, hc_json_get(v, "nothing")) n++;
	check(n == 3, "iterating NULL", NULL);
	check(!hc_json_string(a) && !hc_json_string(NULL) && !hc_json_is_string(NULL) &&
	          !hc_json_is_object(NULL) && !hc_json_is_array(NULL) && !hc_json_is_number(NULL),
	      "tests on NULL and on other types", NULL);
	struct hc_json *d = hc_json_dup(v);
	hc_json_free(v);
	prints(d, "{\"a\":1,\"A\":\"x\",\"a\":2,\"arr\":[\"p\",{\"a\":3},true],\"o\":{}}",
	       "a deep copy outlives its original");
	check(!hc_json_dup(NULL), "dup of NULL", NULL);
}

/* The LSP server's messages, built as src/cli/lsp.c and lspact.c build
 * them; the expected texts are what `hardcompose lsp` sent with cJSON. */
static void lsp_messages(void)
{
	/* initialize's reply (lsp.c initialize, hc_lsp_reply, hc_lsp_send) */
	const char *idt = "{\"id\":1,\"method\":\"initialize\"}";
	struct hc_json *req = hc_json_parse(idt, strlen(idt));
	struct hc_json *m = hc_json_object();
	hc_json_add(m, "id", hc_json_dup(hc_json_get(req, "id")));
	struct hc_json *r = hc_json_object(), *c = hc_json_add_object(r, "capabilities");
	struct hc_json *sync = hc_json_add_object(c, "textDocumentSync");
	hc_json_add_bool(sync, "openClose", true);
	hc_json_add_num(sync, "change", 2);
	struct hc_json *ca = hc_json_add_object(c, "codeActionProvider");
	const char *kinds[] = {"quickfix", "source.fixAll.hardcompose"};
	hc_json_add(ca, "codeActionKinds", hc_json_strings(kinds, 2));
	hc_json_add_bool(c, "documentFormattingProvider", true);
	hc_json_add_bool(c, "documentRangeFormattingProvider", true);
	struct hc_json *si = hc_json_add_object(r, "serverInfo");
	hc_json_add_str(si, "name", "hardcompose");
	hc_json_add_str(si, "version", "0.2.0");
	hc_json_add(m, "result", r);
	hc_json_add_str(m, "jsonrpc", "2.0");
	prints(m,
	       "{\"id\":1,\"result\":{\"capabilities\":{\"textDocumentSync\":{\"openClose\":true,"
	       "\"change\":2},\"codeActionProvider\":{\"codeActionKinds\":[\"quickfix\","
	       "\"source.fixAll.hardcompose\"]},\"documentFormattingProvider\":true,"
	       "\"documentRangeFormattingProvider\":true},\"serverInfo\":{\"name\":"
	       "\"hardcompose\",\"version\":\"0.2.0\"}},\"jsonrpc\":\"2.0\"}",
	       "initialize reply");
	hc_json_free(req);

	/* an error without id (hc_lsp_error) */
	m = hc_json_object();
	hc_json_add(m, "id", hc_json_null());
	struct hc_json *e = hc_json_add_object(m, "error");
	hc_json_add_num(e, "code", -32700);
	hc_json_add_str(e, "message", "parse error: not JSON");
	hc_json_add_str(m, "jsonrpc", "2.0");
	prints(m,
	       "{\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error: not JSON\"},"
	       "\"jsonrpc\":\"2.0\"}",
	       "error reply");

	/* a quick fix echoing the client's diagnostic (lspact.c action), its
	 * edit's range raw (hc_lsp_range) */
	const char *dt =
	    "{\"range\":{\"start\":{\"line\":1,\"character\":2},\"end\":{\"line\":1,"
	    "\"character\":6}},\"severity\":2,\"source\":\"hardcompose\",\"code\":"
	    "\"init\",\"message\":\"x \\u00e9 \\ud83d\\ude00\",\"extra\":[1.25,-0.5,1e21,"
	    "null,false,{\"k\":\"v\"}]}";
	struct hc_json *diag = hc_json_parse(dt, strlen(dt));
	struct hc_json *a = hc_json_object();
	hc_json_add_str(a, "title", "hardcompose: apply init to web");
	hc_json_add_str(a, "kind", "quickfix");
	hc_json_push(hc_json_add_array(a, "diagnostics"), hc_json_dup(diag));
	struct hc_json *ch = hc_json_add_object(hc_json_add_object(a, "edit"), "changes");
	struct hc_json *edits = hc_json_array(), *x = hc_json_object();
	hc_json_add(x, "range",
	            hc_json_raw("{\"start\":{\"line\":5,\"character\":0},\"end\":{\"line\":5,"
	                        "\"character\":0}}"));
	hc_json_add_str(x, "newText", "    init: true\n");
	hc_json_push(edits, x);
	hc_json_add(ch, "file:///tmp/jwire-x/compose.yaml", edits);
	hc_json_add_bool(a, "isPreferred", true);
	hc_json_free(diag);
	prints(
	    a,
	    "{\"title\":\"hardcompose: apply init to web\",\"kind\":\"quickfix\",\"diagnostics\":"
	    "[{\"range\":{\"start\":{\"line\":1,\"character\":2},\"end\":{\"line\":1,\"character\":"
	    "6}},\"severity\":2,\"source\":\"hardcompose\",\"code\":\"init\",\"message\":\"x "
	    "\303\251 \360\237\230\200\",\"extra\":[1.25,-0.5,1e+21,null,false,{\"k\":\"v\"}]}],"
	    "\"edit\":{\"changes\":{\"file:///tmp/jwire-x/compose.yaml\":[{\"range\":{\"start\":{"
	    "\"line\":5,\"character\":0},\"end\":{\"line\":5,\"character\":0}},\"newText\":\"    "
	    "init: true\\n\"}]}},\"isPreferred\":true}",
	    "code action");

	/* publishDiagnostics on close (lsp.c did_close, notify) and a log line */
	m = hc_json_object();
	hc_json_add_str(m, "method", "textDocument/publishDiagnostics");
	struct hc_json *p = hc_json_object();
	hc_json_add_str(p, "uri", "file:///tmp/a%20b/compose.yaml");
	hc_json_add(p, "diagnostics", hc_json_array());
	hc_json_add(m, "params", p);
	hc_json_add_str(m, "jsonrpc", "2.0");
	prints(m,
	       "{\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
	       "\"file:///tmp/a%20b/compose.yaml\",\"diagnostics\":[]},\"jsonrpc\":\"2.0\"}",
	       "publishDiagnostics");
	m = hc_json_object();
	hc_json_add_num(m, "type", 4);
	hc_json_add_str(m, "message", "tab\there \"q\" \\ \x01 \x7f \303\251");
	prints(m, "{\"type\":4,\"message\":\"tab\\there \\\"q\\\" \\\\ \\u0001 \x7f \303\251\"}",
	       "logMessage escapes");

	/* NULLs add nothing, as with cJSON */
	m = hc_json_object();
	hc_json_add_str(m, "s", NULL);
	hc_json_add(m, "n", NULL);
	hc_json_push(m, NULL);
	hc_json_add_str(NULL, "k", "v");
	check(!hc_json_add_object(NULL, "o") && !hc_json_str(NULL) && !hc_json_raw(NULL),
	      "NULL in, NULL out", NULL);
	prints(m, "{}", "adding NULL adds nothing");
}

static uint64_t seed = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* A random string: ASCII, control characters, quotes, UTF-8. */
static char *random_text(void)
{
	static const char *const parts[] = {"a",
	                                    "Z",
	                                    " ",
	                                    "\"",
	                                    "\\",
	                                    "/",
	                                    "\n",
	                                    "\t",
	                                    "\x01",
	                                    "\x1f",
	                                    "\x7f",
	                                    "\303\251",
	                                    "\360\237\230\200",
	                                    "{"};
	char *s = calloc(1, 64), *o = s;
	for (unsigned n = rnd(8); n; n--) {
		const char *q = parts[rnd(sizeof(parts) / sizeof(parts[0]))];
		memcpy(o, q, strlen(q));
		o += strlen(q);
	}
	return s;
}

static struct hc_json *random_tree(int depth)
{
	unsigned k = rnd(depth > 4 ? 5 : 7);
	switch (k) {
	case 0:
		return hc_json_null();
	case 1:
		return hc_json_bool(rnd(2));
	case 2: {
		double d = rnd(2) ? (double)rnd(100000) - 50000
		                  : ((double)rnd(1u << 30) - (1 << 29)) / 997.0;
		return hc_json_number(rnd(8) ? d : d * 1e200);
	}
	case 3:
	case 4: {
		char *s = random_text();
		struct hc_json *v = hc_json_str(s);
		free(s);
		return v;
	}
	default: {
		struct hc_json *c = k == 5 ? hc_json_array() : hc_json_object();
		for (unsigned n = rnd(5); n; n--) {
			if (k == 5) {
				hc_json_push(c, random_tree(depth + 1));
			} else {
				char *key = random_text();
				hc_json_add(c, key, random_tree(depth + 1));
				free(key);
			}
		}
		return c;
	}
	}
}

/* print, parse, print: the same text (numbers print so they read back
 * to within cJSON's tolerance, which then prints the same) */
static void round_trips(int n)
{
	for (int i = 0; i < n; i++) {
		struct hc_json *v = random_tree(0);
		char *a = hc_json_print(v);
		struct hc_json *w = hc_json_parse(a, strlen(a));
		char *b = w ? hc_json_print(w) : NULL;
		bool ok = b && !strcmp(a, b);
		if (!ok)
			fprintf(stderr, "  printed %s\n  again   %s\n", a, b ? b : "(refused)");
		check(ok, "random tree round trip", NULL);
		free(a);
		free(b);
		hc_json_free(v);
		hc_json_free(w);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	table();
	depth();
	numbers();
	lookups();
	lsp_messages();
	round_trips(n);
	printf("test_json: %d passed, %d failed\n", passed, failures);
	return failures ? 1 : 0;
}

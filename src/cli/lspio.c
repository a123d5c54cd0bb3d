/*
 * lspio.c: the LSP server's life: its options, messages read from stdin
 * (Content-Length framing), and the debounced analysis between them.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/lsp.h"
#include "cli/lspint.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	DEBOUNCE_MS = 30,    /* quiet time after a change before analysing */
	MAX_HEADER = 8192,   /* a header block longer than this is garbage */
	MAX_BODY = 64 << 20, /* a message longer than this is refused */
};

struct hc_lsp *hc_lsp_new(int argc, char **argv, int out_fd)
{
	struct hc_lsp *s = hc_xcalloc(1, sizeof(*s));
	s->out = out_fd;
	/* clients start servers with --stdio: the only transport there is */
	char **av = hc_xcalloc((size_t)argc + 1, sizeof(*av));
	int ac = 0;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--stdio"))
			av[ac++] = argv[i];
	int code;
	s->cli_ok = hc_cli_parse(&s->cli, ac, av, &code) == 0 && s->cli.nfiles == 0 &&
	            !s->cli.write && !s->cli.check && !s->cli.diff;
	if (s->cli_ok)
		s->cli.files = NULL;
	free(av);
	return s;
}

void hc_lsp_free(struct hc_lsp *s)
{
	for (size_t i = 0; i < s->ndocs; i++) {
		free(s->docs[i].uri);
		free(s->docs[i].path);
		hc_buf_release(&s->docs[i].text);
	}
	free(s->docs);
	hc_cli_release(&s->cli);
	free(s);
}

/* Bytes read from stdin and not yet handled. */
struct reader {
	char *b;
	size_t n, pos, cap;
	bool eof;
};

/* Waits up to ms (-1: forever) for more input; false at end of input or
 * when the time is up. */
static bool fill(struct reader *r, int ms)
{
	if (r->eof)
		return false;
	struct pollfd pf = {.fd = 0, .events = POLLIN};
	int pr;
	while ((pr = poll(&pf, 1, ms)) < 0 && errno == EINTR)
		;
	if (pr == 0)
		return false;
	if (r->pos > 0 && r->pos == r->n)
		r->pos = r->n = 0;
	if (r->cap - r->n < 65536) {
		if (r->pos) { /* move what is left to the front */
			memmove(r->b, r->b + r->pos, r->n - r->pos);
			r->n -= r->pos;
			r->pos = 0;
		}
		if (r->cap - r->n < 65536) {
			r->cap = r->cap * 2 + 65536;
			r->b = hc_xrealloc(r->b, r->cap);
		}
	}
	ssize_t k;
	while ((k = read(0, r->b + r->n, r->cap - r->n)) < 0 && errno == EINTR)
		;
	if (k <= 0) {
		r->eof = true;
		return false;
	}
	r->n += (size_t)k;
	return true;
}

/* The end of the header block at r->pos (past its blank line), or 0. */
static size_t header_end(const struct reader *r, size_t *hlen)
{
	for (size_t i = r->pos; i + 1 < r->n; i++) {
		if (r->b[i] == '\n' && r->b[i + 1] == '\n') {
			*hlen = i - r->pos;
			return i + 2;
		}
		if (i + 3 < r->n && !memcmp(r->b + i, "\r\n\r\n", 4)) {
			*hlen = i - r->pos;
			return i + 4;
		}
	}
	return 0;
}

/* Reads one message and handles it. false at end of input. */
static bool one_message(struct hc_lsp *s, struct reader *r)
{
	size_t hlen = 0, he;
	while (!(he = header_end(r, &hlen))) {
		if (r->n - r->pos > MAX_HEADER) {
			hc_lsp_error(s, NULL, -32700, "parse error: no Content-Length header");
			r->pos = r->n;
		}
		if (!fill(r, -1))
			return false;
	}
	long len = hc_lsp_header_len(r->b + r->pos, hlen);
	r->pos = he;
	if (len < 0) {
		hc_lsp_error(s, NULL, -32700, "parse error: no Content-Length header");
		return true;
	}
	size_t want = (size_t)len;
	if (want > MAX_BODY) { /* read and drop it */
		hc_lsp_error(s, NULL, -32600, "message too large");
		while (want) {
			size_t k = r->n - r->pos < want ? r->n - r->pos : want;
			r->pos += k;
			want -= k;
			if (want && !fill(r, -1))
				return false;
		}
		return true;
	}
	while (r->n - r->pos < want)
		if (!fill(r, -1))
			return false;
	hc_lsp_message(s, r->b + r->pos, want);
	r->pos += want;
	return true;
}

static const char lsp_usage[] =
    "usage: hardcompose lsp [--stdio] [--profile P] [--config F] [--no-config]\n"
    "                       [--enable ID] [--disable ID] [--set ID.OPT=V] [--rule ID=SEV]\n";

static const char lsp_help[] =
    "\n"
    "A Language Server Protocol server on stdin/stdout (--stdio is the only\n"
    "transport and may be left out). Diagnostics for every finding and pending\n"
    "transform, a quick fix per transform and service, \"fix all\", \"ignore here\",\n"
    "formatting and range formatting. A document's folder decides its\n"
    ".hardcompose.yml unless --config or --no-config is given; the other options\n"
    "are those of hardcompose --help. Setup for each editor: docs/editors.md.\n"
    "\n"
    "Exit codes: 0 after `shutdown` then `exit`; 1 on `exit` without `shutdown`\n"
    "or end of input; 2 usage error.\n";

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int hc_lsp_main(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		fputs(lsp_usage, stdout);
		fputs(lsp_help, stdout);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	struct hc_lsp *s = hc_lsp_new(argc, argv, 1);
	if (!s->cli_ok) {
		fputs(lsp_usage, stderr);
		hc_lsp_free(s);
		return 2;
	}
	struct reader r = {0};
	for (;;) {
		bool dirty = false;
		for (size_t i = 0; i < s->ndocs; i++)
			dirty |= s->docs[i].dirty;
		/* debounce: a change waits until the client is quiet a moment */
		if (dirty && r.pos == r.n && !fill(&r, DEBOUNCE_MS))
			hc_lsp_flush(s);
		if (s->exited || (r.pos == r.n && r.eof) || !one_message(s, &r))
			break;
		if (s->exited)
			break;
	}
	int code = s->exited && s->down ? 0 : 1;
	free(r.b);
	hc_lsp_free(s);
	return code;
}

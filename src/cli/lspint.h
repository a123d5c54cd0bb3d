/*
 * lspint.h: what the LSP server's files share (lsp.c, lspact.c,
 * lsptext.c, lspio.c).
 */
#ifndef HC_LSPINT_H
#define HC_LSPINT_H

#include "base/json.h"
#include "cli/configs.h"
#include "cli/lsptext.h"
#include "cli/options.h"
#include "engine/engine.h"

/* An open document. */
struct hc_lsp_doc {
	char *uri;
	char *path; /* the file the uri names, or NULL */
	struct hc_buf text;
	bool dirty; /* changed since its diagnostics were published */
};

struct hc_lsp {
	struct hc_cli cli; /* the options, as the command line gives them */
	bool cli_ok;
	int out;     /* where messages go */
	bool down;   /* shutdown received */
	bool exited; /* exit received */
	struct hc_lsp_doc *docs;
	size_t ndocs;
	double last_ms; /* server time of the last analysis */
};

/* The engine over d's text: the whole profile, or only transform `only`
 * (with its options and exclude list); rules: the findings rules too. 0, or -1 when no
 * configuration could be built (err says why). res is to be released either way. */
int hc_lsp_run(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only, bool rules,
               struct hc_result *res, struct hc_diag *err);
/* The same with transform `only` also skipping the services in skip. */
int hc_lsp_run_skip(struct hc_lsp *s, const struct hc_lsp_doc *d, const char *only,
                    const struct hc_strlist *skip, struct hc_result *res, struct hc_diag *err);
struct hc_lsp_doc *hc_lsp_find(struct hc_lsp *s, const struct hc_json *params);
/* o's member key as a line or character number: 0 unless a number in
 * [0, 1e9). */
long hc_lsp_num(const struct hc_json *o, const char *key);

/* A position / range object for byte offsets of t. */
struct hc_json *hc_lsp_range(const struct hc_lsp_lines *l, const char *t, size_t len, size_t a,
                             size_t b);
/* TextEdit[] for the edits of t. */
struct hc_json *hc_lsp_text_edits(const char *t, size_t len, const struct hc_edits *e);

/* Sends a message (frees it). */
void hc_lsp_send(struct hc_lsp *s, struct hc_json *msg);
void hc_lsp_reply(struct hc_lsp *s, const struct hc_json *id, struct hc_json *result);
void hc_lsp_error(struct hc_lsp *s, const struct hc_json *id, int code, const char *msg);

/* Requests of lspact.c: the result, or NULL for an error already sent. */
struct hc_json *hc_lsp_code_actions(struct hc_lsp *s, const struct hc_json *params);
struct hc_json *hc_lsp_formatting(struct hc_lsp *s, const struct hc_json *params, bool range);

#define HC_LSP_DOCS "https://github.com/hardcompose/hardcompose/blob/main/docs/"

#endif

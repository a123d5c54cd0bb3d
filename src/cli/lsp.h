/*
 * lsp.h: `hardcompose lsp`, a Language Server Protocol server over stdio
 * (docs/editors.md): diagnostics for every finding and pending transform,
 * quick fixes, formatting. Files: lspio.c (the loop, framing), lsp.c
 * (dispatch, documents, diagnostics), lspact.c (code actions, formatting),
 * lsptext.c (positions, edits). Tested by tests/lsp.sh and tests/lsp-nvim.sh.
 */
#ifndef HC_LSP_H
#define HC_LSP_H

#include <stdbool.h>
#include <stddef.h>

/* Runs the server: argv[0] is "lsp", then the options of the command line
 * (--profile, --config, --enable...). The exit code: 0 after shutdown and
 * exit, 1 otherwise. */
int hc_lsp_main(int argc, char **argv);

/* Handles one message body (n bytes) as the server would, writing replies
 * to fd: what the fuzz target drives. Returns 1 after `exit`. */
struct hc_lsp;
struct hc_lsp *hc_lsp_new(int argc, char **argv, int out_fd);
int hc_lsp_message(struct hc_lsp *s, const char *body, size_t n);
/* Publishes the diagnostics of every document changed since. */
void hc_lsp_flush(struct hc_lsp *s);
void hc_lsp_free(struct hc_lsp *s);

#endif

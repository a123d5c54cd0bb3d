/*
 * engine.h: one compose text in, the hardened text out.
 *
 * Parse, check the compose shape, run each enabled transform in registry
 * order (apply its edits, re-parse), then verify that the output means what
 * the input meant except at the declared paths. Never prints: errors and
 * findings come back in the result.
 */
#ifndef HC_ENGINE_H
#define HC_ENGINE_H

#include "base/diag.h"
#include "engine/edit.h"
#include "policy/profile.h"
#include "engine/run.h"

enum hc_exit {
	HC_EXIT_OK = 0,
	HC_EXIT_CHANGES = 1, /* --check: work to do */
	HC_EXIT_USAGE = 2,
	HC_EXIT_INVALID = 3, /* input is not valid YAML or not a compose file */
	HC_EXIT_IO = 4,
	HC_EXIT_VERIFY = 5, /* the result would change meaning: refused */
};

struct hc_result {
	struct hc_buf out;           /* the new text (valid when code == OK) */
	struct hc_findings findings; /* positions in the input */
	struct hc_pieces pieces;     /* output bytes -> input bytes */
	struct hc_diag err;          /* the error when code != OK */
	int code;
	size_t changes;      /* pending changes */
	struct hc_side side; /* files to write besides the text (hc_process_ex) */
};

void hc_process(const struct hc_config *cfg, const char *name, const char *text, size_t len,
                struct hc_result *res);
/* The same with a context (NULL: no side effects, no .env). */
void hc_process_ex(const struct hc_config *cfg, const struct hc_ctx *ctx, const char *name,
                   const char *text, size_t len, struct hc_result *res);
void hc_result_release(struct hc_result *res);

/* 1-based line/column of a byte offset in text. */
void hc_text_linecol(const char *text, size_t len, size_t pos, int *line, int *col);

#endif

/*
 * parse.h: inside the yaml layer, what tree.c and parse.c share. Other
 * layers include tree.h.
 */
#ifndef HC_PARSE_H
#define HC_PARSE_H

#include "yaml/tree.h"

/* Builds doc->root from doc->text (checked by hc_doc_parse). Returns 0, or
 * -1 with err set (the caller releases doc). */
int hc_tree_build(struct hc_doc *doc, struct hc_error *err);
/* Sets err to msg at line:col. */
void hc_error_set(struct hc_error *err, int line, int col, const char *msg);

#endif

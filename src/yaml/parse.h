/*
 * parse.h: inside the yaml layer, the tree builder that tree.c calls.
 * Other layers include tree.h.
 */
#ifndef HC_PARSE_H
#define HC_PARSE_H

#include "yaml/node.h"

/* Builds doc->root from doc->text (checked by hc_doc_parse). Returns 0, or
 * -1 with err set (the caller releases doc). */
int hc_tree_build(struct hc_doc *doc, struct hc_error *err);

#endif

/*
 * diff.h: unified diff between the input and the output, computed from the
 * piece table (which bytes of the output came from where) rather than by a
 * search, so it is linear in the size of the files.
 */
#ifndef HC_DIFF_H
#define HC_DIFF_H

#include "base/buf.h"
#include "engine/edit.h"

void hc_diff(struct hc_buf *out, const char *name, const char *a, size_t alen, const char *b,
             size_t blen, const struct hc_pieces *pieces);

#endif

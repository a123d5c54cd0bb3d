/*
 * mask.h: --diff never shows a secret: the texts it compares with every
 * byte of a secret value replaced by '*'.
 */
#ifndef HC_MASK_H
#define HC_MASK_H

#include "base/buf.h"
#include "engine/engine.h"

/* Appends to a the input in, and to b the output of res, both masked. */
void hc_mask_secrets(const struct hc_result *res, const struct hc_buf *in, struct hc_buf *a,
                     struct hc_buf *b);

#endif

/*
 * textout.h: the text a run prints: names and messages with control
 * characters escaped (a name holding a line break cannot forge a line),
 * and findings turned into records with lines and columns.
 */
#ifndef HC_TEXTOUT_H
#define HC_TEXTOUT_H

#include "base/buf.h"
#include "cli/report.h"
#include "engine/engine.h"

/* Appends s with \n, \r, \t and other control bytes escaped (\xNN). */
void hc_add_escaped(struct hc_buf *b, const char *s);
/* Appends s escaped, then a line end. */
void hc_add_line(struct hc_buf *b, const char *s);
/* Sorts res's findings and moves them into o's records (messages moved,
 * not copied), with the line and column of each in the input in. */
void hc_collect(struct hc_outcome *o, const struct hc_buf *in, struct hc_result *res);
/* Appends o's records as "NAME:LINE:COL: SEVERITY: [ID] MSG" lines. */
void hc_add_findings(struct hc_buf *b, const struct hc_outcome *o);

#endif

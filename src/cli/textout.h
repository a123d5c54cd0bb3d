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
/* Appends o's records as "NAME:LINE:COL: SEVERITY: [ID] MSG" lines, a
 * pending fix ending in " (fixable with -w)"; quiet: only errors; color:
 * with ANSI colours. */
void hc_add_findings(struct hc_buf *b, const struct hc_outcome *o, bool quiet, bool color);
/* Is this finding (rule id, severity, message) a pending change of a
 * transform that --write makes? Every warning of a transform is, but the
 * secrets transform's: only those that say --write moves the value. */
bool hc_is_fix(const char *id, enum hc_severity sev, const char *msg);
/* The ANSI colour of a severity (or of a fix), "" without colour. */
const char *hc_sev_color(enum hc_severity sev, bool fix, bool color);
#define HC_COLOR_OFF(color) ((color) ? "\033[0m" : "")

#endif

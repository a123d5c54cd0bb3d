/*
 * fail.h: a file's errors as data: every layer hands up a struct hc_diag
 * (base/diag.h), and the outcome keeps its parts for the reports.
 */
#ifndef HC_FAIL_H
#define HC_FAIL_H

#include "base/buf.h"
#include "base/diag.h"
#include "cli/report.h"

/* Records d as o's error: its text line (escaped) in o->err, and its
 * line, column and message for the reports. An error about another file
 * than o->name (or about none) is reported whole, without a position. */
void hc_outcome_fail(struct hc_outcome *o, const struct hc_diag *d);

#endif

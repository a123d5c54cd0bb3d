/*
 * fail.h: a file's errors as data. The I/O layer (base/io.h) still says
 * its errors as "PATH: error: MESSAGE" text; hc_io_diag turns that into a
 * struct hc_diag where it is made, and the outcome keeps the diag's parts.
 */
#ifndef HC_FAIL_H
#define HC_FAIL_H

#include "base/buf.h"
#include "base/diag.h"
#include "cli/report.h"

/* Sets d to the error base/io.h wrote in err about path ("-": stdin). */
void hc_io_diag(struct hc_diag *d, int code, const char *path, const struct hc_buf *err);
/* Records d as o's error: its text line (escaped) in o->err, and its
 * line, column and message for the reports. An error about another file
 * than o->name (or about none) is reported whole, without a position. */
void hc_outcome_fail(struct hc_outcome *o, const struct hc_diag *d);

#endif

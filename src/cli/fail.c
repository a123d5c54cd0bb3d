/*
 * fail.c: errors of a file's run as struct hc_diag (fail.h).
 */
#include "cli/fail.h"
#include "cli/textout.h"

#include <stdlib.h>
#include <string.h>

void hc_outcome_fail(struct hc_outcome *o, const struct hc_diag *d)
{
	struct hc_buf t = HC_BUF_INIT;
	hc_diag_format(&t, d);
	hc_add_line(&o->err, t.data);
	o->code = d->code;
	free(o->emsg);
	if (d->file && !strcmp(d->file, o->name)) {
		o->eline = d->line;
		o->ecol = d->col;
		o->emsg = hc_xstrdup(d->msg);
		hc_buf_release(&t);
	} else {
		o->eline = o->ecol = 0;
		size_t len;
		o->emsg = hc_buf_detach(&t, &len);
	}
}

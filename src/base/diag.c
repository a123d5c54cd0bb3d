/* diag.c: errors as data (diag.h). */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void hc_diag_set(struct hc_diag *d, int code, const char *file, int line, int col, const char *fmt,
                 ...)
{
	hc_diag_release(d);
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	size_t size = n > 0 ? (size_t)n + 1 : 1;
	char *msg = hc_xmalloc(size);
	msg[0] = 0;
	if (n > 0)
		vsnprintf(msg, size, fmt, ap2);
	va_end(ap2);
	d->code = code;
	d->file = file ? hc_xstrdup(file) : NULL;
	d->line = line;
	d->col = line ? col : 0;
	d->msg = msg;
}

void hc_diag_format(struct hc_buf *b, const struct hc_diag *d)
{
	const char *file = d->file ? d->file : "hardcompose";
	if (d->line)
		hc_buf_addf(b, "%s:%d:%d: error: %s", file, d->line, d->col, d->msg ? d->msg : "");
	else
		hc_buf_addf(b, "%s: error: %s", file, d->msg ? d->msg : "");
}

void hc_diag_release(struct hc_diag *d)
{
	free(d->file);
	free(d->msg);
	*d = (struct hc_diag)HC_DIAG_INIT;
}

/*
 * diag.h: an error at a place in a file, handed up as data (never as a
 * formatted string that a caller parses back).
 */
#ifndef HC_DIAG_H
#define HC_DIAG_H

#include "base/buf.h"

struct hc_diag {
	int code;   /* the exit code it calls for (enum hc_exit, base/exit.h); 0: none */
	char *file; /* the file as named in messages, owned; NULL: the program */
	int line;   /* 1-based; 0: the file as a whole */
	int col;
	char *msg; /* owned; NULL when code is 0 */
};

#define HC_DIAG_INIT                                                                               \
	{                                                                                          \
		0, NULL, 0, 0, NULL                                                                \
	}

/* Sets d (released first) to an error of `code` in file at line:col. */
void hc_diag_set(struct hc_diag *d, int code, const char *file, int line, int col, const char *fmt,
                 ...) __attribute__((format(printf, 6, 7)));
/* Appends "FILE:LINE:COL: error: MSG" ("FILE: error: MSG" without a line,
 * "hardcompose: error: MSG" without a file). */
void hc_diag_format(struct hc_buf *b, const struct hc_diag *d);
void hc_diag_release(struct hc_diag *d);

#endif

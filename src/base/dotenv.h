/*
 * dotenv.h: reading a Compose `.env` file as Compose v2 reads it
 * (compose-go's dotenv): `KEY=VALUE` and `KEY: VALUE` lines, `export `
 * prefixes, '#' comments; single quotes literal but for `\'`; double
 * quotes with the escapes `\\ \" \$ \n \r \t` (others kept as written);
 * quoted values may span lines; unquoted values trimmed and cut at " #".
 * A `$NAME` or `${...}` outside single quotes is expanded by Compose: such
 * a value is flagged, its text kept as written.
 */
#ifndef HC_DOTENV_H
#define HC_DOTENV_H

#include "base/buf.h"

/* Appends each assignment's name and value (same index) to names/vals;
 * exp (may be NULL) gets "1" for a value Compose expands, else "0". */
void hc_dotenv_parse(const char *t, size_t n, struct hc_strlist *names, struct hc_strlist *vals,
                     struct hc_strlist *exp);

/* Writes `NAME=VALUE` and eol to b so that Compose reads exactly value:
 * single-quoted when that is literal, else double-quoted with escapes.
 * -1 (nothing written) for a value Compose cannot hold (a NUL byte). */
int hc_dotenv_line(struct hc_buf *b, const char *name, const char *value, size_t len,
                   const char *eol);

#endif

/*
 * dotenv.h: reading a Compose `.env` file (KEY=VALUE lines, `export `
 * prefixes, '#' comments, single quotes literal, double quotes with
 * backslash escapes, unquoted values trimmed and cut at " #").
 */
#ifndef HC_DOTENV_H
#define HC_DOTENV_H

#include "buf.h"

/* Appends each assignment's name and value (same index) to names/vals. */
void hc_dotenv_parse(const char *t, size_t n, struct hc_strlist *names, struct hc_strlist *vals);

#endif

/*
 * optdoc.h: the documentation's option lists, made from the option table.
 */
#ifndef HC_OPTDOC_H
#define HC_OPTDOC_H

#include <stdio.h>

/* Prints what the documentation's option lists hold, made from the table
 * (kind: "man", "md" or "bash"; the hidden --dump-options=KIND). -1 for an
 * unknown kind. */
int hc_options_dump(FILE *f, const char *kind);

#endif

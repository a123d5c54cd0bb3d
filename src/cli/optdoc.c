/*
 * optdoc.c: the documentation's option lists made from the option table
 * (optable.h): the man page's OPTIONS section, the table of docs/cli.md
 * and the option words of completions/hardcompose.bash. tests/cli.sh
 * checks that those files hold exactly this.
 */
#include "cli/optdoc.h"
#include "cli/optable.h"

#include <stdbool.h>
#include <string.h>

static bool has_short(const struct hc_opt *o)
{
	return o->id < 256;
}

/* s with each '-' as roff's "\-". */
static void roff_dashes(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* " \fINAME\fR|\fIPATH\fR" for the value name "NAME|PATH". */
static void roff_arg(FILE *f, const char *arg)
{
	fputs(" \"", f);
	for (const char *p = arg; *p;) {
		size_t n = strcspn(p, "|");
		fprintf(f, "%s\\fI%.*s\\fR", p == arg ? " " : "|", (int)n, p);
		p += n + (p[n] == '|');
	}
	fputc('"', f);
}

static void dump_man(FILE *f)
{
	for (size_t i = 0; i < HC_NOPTS; i++) {
		const struct hc_opt *o = &hc_opts[i];
		fputs(has_short(o) || o->arg ? ".TP\n.BR " : ".TP\n.B ", f);
		if (has_short(o))
			fprintf(f, "\\-%c \", \" ", o->id);
		fputs("\\-\\-", f);
		roff_dashes(f, o->name);
		if (o->arg)
			roff_arg(f, o->arg);
		fprintf(f, "\n%s\n", o->man);
	}
}

static void dump_md(FILE *f)
{
	fputs("| option | meaning |\n| --- | --- |\n", f);
	for (size_t i = 0; i < HC_NOPTS; i++) {
		const struct hc_opt *o = &hc_opts[i];
		fputs("| ", f);
		if (has_short(o))
			fprintf(f, "`-%c`, ", o->id);
		fprintf(f, "`--%s", o->name);
		if (o->arg)
			fputc(' ', f);
		for (const char *p = o->arg; p && *p; p++) {
			if (*p == '|')
				fputc('\\', f);
			fputc(*p, f);
		}
		fprintf(f, "` | %s |\n", o->md);
	}
}

static void dump_bash(FILE *f)
{
	fputs("  local opts=\"", f);
	for (size_t i = 0; i < HC_NOPTS; i++) {
		const struct hc_opt *o = &hc_opts[i];
		if (has_short(o))
			fprintf(f, "-%c ", o->id);
		fprintf(f, "--%s%s", o->name, i + 1 < HC_NOPTS ? " " : "\"\n");
	}
}

int hc_options_dump(FILE *f, const char *kind)
{
	if (!strcmp(kind, "man"))
		dump_man(f);
	else if (!strcmp(kind, "md"))
		dump_md(f);
	else if (!strcmp(kind, "bash"))
		dump_bash(f);
	else
		return -1;
	return 0;
}

/*
 * textout.c: escaped names and messages, findings as text lines (textout.h).
 */
#include "cli/textout.h"
#include "base/text.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

void hc_add_escaped(struct hc_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			hc_buf_adds(b, "\\n");
		else if (*p == '\r')
			hc_buf_adds(b, "\\r");
		else if (*p == '\t')
			hc_buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			hc_buf_addf(b, "\\x%02X", *p);
		else
			hc_buf_addc(b, (char)*p);
	}
}

void hc_add_line(struct hc_buf *b, const char *s)
{
	hc_add_escaped(b, s);
	hc_buf_addc(b, '\n');
}

static int cmp_finding(const void *a, const void *b)
{
	const struct hc_finding *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void hc_collect(struct hc_outcome *o, const struct hc_buf *in, struct hc_result *res)
{
	if (res->findings.n)
		qsort(res->findings.v, res->findings.n, sizeof(*res->findings.v), cmp_finding);
	o->recs = hc_xcalloc(res->findings.n + 1, sizeof(*o->recs));
	struct hc_linecol lc = HC_LINECOL_INIT;
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct hc_finding *f = &res->findings.v[i];
		hc_linecol_to(&lc, in->data, in->len, f->pos);
		struct hc_rec *r = &o->recs[o->nrecs++];
		r->id = hc_xstrdup(f->rule);
		r->kind = hc_kind_of(f->rule);
		r->sev = f->sev;
		r->line = lc.line;
		r->col = lc.col;
		r->msg = f->msg; /* moved, not copied: findings can outweigh the input */
		r->fix = hc_is_fix(r->id, r->sev, r->msg);
		res->findings.v[i].msg = NULL;
	}
}

bool hc_is_fix(const char *id, enum hc_severity sev, const char *msg)
{
	if (sev != HC_WARNING || hc_kind_of(id) != HC_KIND_TRANSFORM)
		return false;
	/* the secrets transform also warns about values it leaves alone (by
	 * hand, other shapes): only a move is a fix ("moved" once -w did it) */
	if (!strcmp(id, "secrets"))
		return strstr(msg, "--write moves") || strstr(msg, "; moved to");
	return true;
}

const char *hc_sev_color(enum hc_severity sev, bool fix, bool color)
{
	if (!color)
		return "";
	if (fix)
		return "\033[32m"; /* green: -w does it */
	return sev == HC_ERROR ? "\033[1;31m" : sev == HC_WARNING ? "\033[33m" : "\033[36m";
}

void hc_add_findings(struct hc_buf *b, const struct hc_outcome *o, bool quiet, bool color)
{
	const char *bold = color ? "\033[1m" : "", *off = HC_COLOR_OFF(color);
	for (size_t i = 0; i < o->nrecs; i++) {
		const struct hc_rec *r = &o->recs[i];
		if (quiet && r->sev != HC_ERROR)
			continue;
		hc_buf_adds(b, bold);
		hc_add_escaped(b, o->name);
		hc_buf_addf(b, ":%d:%d:%s %s%s%s: [%s] ", r->line, r->col, off,
		            hc_sev_color(r->sev, false, color), hc_severity_name(r->sev), off,
		            r->id);
		hc_add_escaped(b, r->msg);
		if (r->fix)
			hc_buf_addf(b, " %s(fixable with -w)%s", hc_sev_color(r->sev, true, color),
			            off);
		hc_buf_addc(b, '\n');
	}
}

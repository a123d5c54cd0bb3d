/*
 * report.c: JSON and SARIF 2.1.0 reports. See report.h and docs/output.md.
 */
#include "cli/report.h"
#include "base/strset.h"
#include "transforms/transform.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define HC_DOCS "https://github.com/hardcompose/hardcompose/blob/main/docs/"

void hc_outcome_release(struct hc_outcome *o)
{
	free(o->path);
	hc_buf_release(&o->out);
	hc_buf_release(&o->err);
	for (size_t i = 0; i < o->nrecs; i++) {
		free(o->recs[i].id);
		free(o->recs[i].msg);
	}
	free(o->recs);
	free(o->emsg);
	memset(o, 0, sizeof(*o));
}

enum hc_kind hc_kind_of(const char *id)
{
	if (hc_rule_find(id) >= 0 || !strcmp(id, "image-lock"))
		return HC_KIND_RULE;
	if (hc_transform_find(id) >= 0)
		return HC_KIND_TRANSFORM;
	return HC_KIND_TOOL;
}

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static const char *kind_name(enum hc_kind k)
{
	return k == HC_KIND_RULE ? "rule" : k == HC_KIND_TRANSFORM ? "transform" : "tool";
}

static const char *status(const struct hc_outcome *o)
{
	if (o->code > 1)
		return "error";
	return o->changed || o->pending ? "changes" : "clean";
}

void hc_report_json(FILE *f, const struct hc_outcome *o, size_t n, const char *version)
{
	size_t count[3] = {0, 0, 0}, changes = 0, errors = 0;
	fprintf(f, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"hardcompose\", \"version\": ");
	jstr(f, version);
	fputs("},\n  \"files\": [", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s\n    {\"file\": ", i ? "," : "");
		jstr(f, o[i].name);
		fprintf(f, ", \"status\": \"%s\", \"exit\": %d, \"changed\": %s, \"pending\": %zu,",
		        status(&o[i]), o[i].code, o[i].changed ? "true" : "false", o[i].pending);
		if (o[i].emsg) {
			fprintf(f, "\n     \"error\": {\"line\": %d, \"column\": %d, \"message\": ",
			        o[i].eline, o[i].ecol);
			jstr(f, o[i].emsg);
			fputs("},", f);
			errors++;
		} else {
			fputs(" \"error\": null,", f);
		}
		changes += o[i].changed || o[i].pending;
		fputs("\n     \"findings\": [", f);
		for (size_t k = 0; k < o[i].nrecs; k++) {
			const struct hc_rec *r = &o[i].recs[k];
			count[r->sev]++;
			fprintf(f, "%s\n       {\"id\": ", k ? "," : "");
			jstr(f, r->id);
			fprintf(f,
			        ", \"kind\": \"%s\", \"severity\": \"%s\", \"line\": %d, "
			        "\"column\": %d, "
			        "\"message\": ",
			        kind_name(r->kind), hc_severity_name(r->sev), r->line, r->col);
			jstr(f, r->msg);
			fputc('}', f);
		}
		fputs(o[i].nrecs ? "\n     ]}" : "]}", f);
	}
	fprintf(
	    f,
	    "%s],\n  \"summary\": {\"files\": %zu, \"files_with_changes\": %zu, "
	    "\"files_with_errors\": %zu, \"errors\": %zu, \"warnings\": %zu, \"notes\": %zu}\n}\n",
	    n ? "\n  " : "", n, changes, errors, count[HC_ERROR], count[HC_WARNING],
	    count[HC_NOTE]);
}

/* Every id a result can carry, in one table: rules, transforms, tool ids. */
struct sid {
	const char *id, *summary, *help, *page;
	enum hc_severity sev;
};

static size_t sarif_ids(struct sid *v, bool pin)
{
	size_t n = 0;
	if (pin) /* hardcompose pin --check (docs/pinning.md) */
		v[n++] = (struct sid){"image-lock", "image not pinned to the digest its lock names",
		                      "run hardcompose pin -w, or refresh the lock", "rules.md",
		                      HC_ERROR};
	for (size_t i = 0; i < hc_nrules; i++)
		v[n++] = (struct sid){hc_rules[i].id, hc_rules[i].summary, hc_rules[i].help,
		                      "rules.md", hc_rules[i].sev};
	for (size_t i = 0; i < hc_ntransforms; i++)
		v[n++] =
		    (struct sid){hc_transforms[i]->id, hc_transforms[i]->summary,
		                 "hardcompose -w makes this change; hardcompose --diff shows it",
		                 "transforms.md", HC_WARNING};
	v[n++] = (struct sid){"suppression", "a hardcompose: ignore comment names an unknown id",
	                      "use the ids of hardcompose --list-rules and --list-transforms",
	                      "rules.md", HC_WARNING};
	v[n++] = (struct sid){"engine", "a part of the file hardcompose leaves alone",
	                      "see the message", "cli.md", HC_NOTE};
	v[n++] = (struct sid){"invalid-input", "the file is not valid YAML or not a compose file",
	                      "fix the file at the position given", "cli.md", HC_ERROR};
	return n;
}

/* Appends path (components from s up to end) to the normalised absolute
 * path in b: "." dropped, ".." removes the last component. */
static void add_components(struct hc_buf *b, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || n == 0) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (b->len && b->data[b->len - 1] != '/')
				b->len--;
			if (b->len)
				b->len--; /* the slash; "/" stays as the empty root */
			b->data[b->len] = 0;
		} else {
			hc_buf_addc(b, '/');
			hc_buf_add(b, s, n);
		}
		s += n + (s[n] == '/');
	}
}

char *hc_report_place(const char *name, const char *cwd, bool *below)
{
	struct hc_buf abs = HC_BUF_INIT, root = HC_BUF_INIT;
	hc_buf_addc(&abs, '/'); /* both allocated, then empty: "" is the root */
	hc_buf_addc(&root, '/');
	abs.data[abs.len = 0] = 0;
	root.data[root.len = 0] = 0;
	add_components(&root, cwd ? cwd : "/");
	if (name[0] != '/')
		add_components(&abs, cwd ? cwd : "/");
	add_components(&abs, name);
	*below = abs.len > root.len + 1 && !strncmp(abs.data, root.data, root.len) &&
	         abs.data[root.len] == '/';
	char *r = hc_xstrdup(*below ? abs.data + root.len + 1 : abs.len ? abs.data : "/");
	hc_buf_release(&abs);
	hc_buf_release(&root);
	return r;
}

char *hc_report_cwd(void)
{
	char *b = hc_xcalloc(4097, 1);
	if (!getcwd(b, 4096)) {
		free(b);
		return NULL;
	}
	return b;
}

/* "uri": a path below the working directory as a relative reference (with
 * uriBaseId %SRCROOT%), any other as an absolute file:// URI; what a URI
 * cannot hold as is, percent-encoded. */
static void uri(FILE *f, const char *name, const char *cwd)
{
	bool below;
	char *p = hc_report_place(name, cwd, &below);
	fputs(below ? "\"uri\": \"" : "\"uri\": \"file://", f);
	for (const unsigned char *c = (const unsigned char *)p; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~/", *c))
			fputc(*c, f);
		else
			fprintf(f, "%%%02X", *c);
	}
	fputs(below ? "\", \"uriBaseId\": \"%SRCROOT%\"" : "\"", f);
	free(p);
}

static void result(FILE *f, bool *first, size_t idx, const char *id, enum hc_severity sev,
                   const char *msg, const char *file, const char *cwd, int line, int col)
{
	fprintf(f, "%s\n        {\"ruleId\": ", *first ? "" : ",");
	*first = false;
	jstr(f, id);
	fprintf(f, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ", idx,
	        hc_severity_name(sev));
	jstr(f, msg);
	fputs("},\n         \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {", f);
	uri(f, file, cwd);
	fputc('}', f);
	if (line > 0)
		fprintf(f, ", \"region\": {\"startLine\": %d, \"startColumn\": %d}", line,
		        col > 0 ? col : 1);
	fputs("}}]}", f);
}

void hc_report_sarif(FILE *f, const struct hc_outcome *o, size_t n, const char *version)
{
	struct sid *ids = hc_xcalloc(hc_nrules + hc_ntransforms + 8, sizeof(*ids));
	bool pin = false;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < o[i].nrecs; k++)
			pin |= !strcmp(o[i].recs[k].id, "image-lock");
	size_t nids = sarif_ids(ids, pin);
	char *cwd = hc_report_cwd();
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {\n"
	      "      \"name\": \"hardcompose\",\n      \"version\": ",
	      f);
	jstr(f, version);
	fputs(",\n      \"semanticVersion\": ", f);
	jstr(f, version);
	fputs(",\n      \"informationUri\": \"https://github.com/hardcompose/hardcompose\",\n"
	      "      \"rules\": [",
	      f);
	for (size_t i = 0; i < nids; i++) {
		fprintf(f, "%s\n        {\"id\": ", i ? "," : "");
		jstr(f, ids[i].id);
		fputs(", \"shortDescription\": {\"text\": ", f);
		jstr(f, ids[i].summary);
		fputs("}, \"fullDescription\": {\"text\": ", f);
		jstr(f, ids[i].summary);
		fputs("},\n         \"help\": {\"text\": ", f);
		jstr(f, ids[i].help);
		fprintf(
		    f,
		    "}, \"helpUri\": \"%s%s#%s\", \"defaultConfiguration\": {\"level\": \"%s\"}}",
		    HC_DOCS, ids[i].page, ids[i].id, hc_severity_name(ids[i].sev));
	}
	fputs("\n      ]}},\n    \"invocations\": [{\"executionSuccessful\": true}],\n"
	      "    \"results\": [",
	      f);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (o[i].emsg)
			result(f, &first, nids - 1, "invalid-input", HC_ERROR, o[i].emsg, o[i].name,
			       cwd, o[i].eline, o[i].ecol);
		for (size_t k = 0; k < o[i].nrecs; k++) {
			const struct hc_rec *r = &o[i].recs[k];
			size_t idx = 0;
			while (idx < nids && strcmp(ids[idx].id, r->id))
				idx++;
			if (idx == nids)
				idx = nids - 2; /* engine */
			result(f, &first, idx, ids[idx].id, r->sev, r->msg, o[i].name, cwd, r->line,
			       r->col);
		}
	}
	fputs(first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n", f);
	free(ids);
	free(cwd);
}

/* GitLab's severities for ours (info, minor, major, critical, blocker). */
static const char *cc_severity(enum hc_severity s)
{
	return s == HC_ERROR ? "major" : s == HC_WARNING ? "minor" : "info";
}

/* A fingerprint that does not move with the line: the file, the id, the
 * message, and how many identical ones came before it in the file. */
static void cc_fingerprint(char out[33], const char *path, const char *id, const char *msg,
                           struct hc_strset *seen)
{
	for (unsigned k = 0;; k++) {
		XXH3_state_t *st = XXH3_createState();
		XXH3_128bits_reset(st);
		XXH3_128bits_update(st, path, strlen(path) + 1);
		XXH3_128bits_update(st, id, strlen(id) + 1);
		XXH3_128bits_update(st, msg, strlen(msg) + 1);
		XXH3_128bits_update(st, &k, sizeof(k));
		XXH128_hash_t h = XXH3_128bits_digest(st);
		XXH3_freeState(st);
		snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
		         (unsigned long long)h.low64);
		if (!hc_strset_has(seen, out, 32)) {
			hc_strset_add(seen, out, 32);
			return;
		}
	}
}

static void cc_issue(FILE *f, bool *first, const char *id, enum hc_severity sev, const char *cc_sev,
                     const char *msg, bool fix, const char *path, int line, struct hc_strset *seen)
{
	char fp[33];
	cc_fingerprint(fp, path, id, msg, seen);
	fprintf(f, "%s\n  {\"type\": \"issue\", \"engine_name\": \"hardcompose\", \"check_name\": ",
	        *first ? "" : ",");
	*first = false;
	jstr(f, id);
	fputs(", \"description\": ", f);
	struct hc_buf d = HC_BUF_INIT;
	hc_buf_addf(&d, "[%s] %s%s", id, msg, fix ? " (fixable with hardcompose -w)" : "");
	jstr(f, d.data);
	hc_buf_release(&d);
	fprintf(f,
	        ", \"categories\": [\"Security\"], \"severity\": \"%s\", \"fingerprint\": \"%s\",\n"
	        "   \"location\": {\"path\": ",
	        cc_sev ? cc_sev : cc_severity(sev), fp);
	jstr(f, path);
	fprintf(f, ", \"lines\": {\"begin\": %d}}}", line > 0 ? line : 1);
}

void hc_report_codeclimate(FILE *f, const struct hc_outcome *o, size_t n)
{
	char *cwd = hc_report_cwd();
	struct hc_strset seen = {0};
	bool first = true;
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		bool below;
		char *path = hc_report_place(o[i].name, cwd, &below);
		if (o[i].emsg)
			cc_issue(f, &first, "invalid-input", HC_ERROR, "blocker", o[i].emsg, false,
			         path, o[i].eline, &seen);
		for (size_t k = 0; k < o[i].nrecs; k++) {
			const struct hc_rec *r = &o[i].recs[k];
			cc_issue(f, &first, r->id, r->sev, NULL, r->msg, r->fix, path, r->line,
			         &seen);
		}
		free(path);
	}
	fputs(first ? "]\n" : "\n]\n", f);
	hc_strset_release(&seen);
	free(cwd);
}

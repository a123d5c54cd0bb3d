/*
 * projrun.c: what a run on one file of a project asks of the others
 * (run.h's hc_service_lookup and hc_service_other, project.h's
 * hc_project_elsewhere). Read-only: the project is shared by the jobs.
 */
#include "engine/project.h"
#include "engine/run.h"
#include "engine/step.h"

#include <stdlib.h>
#include <string.h>

/* The project of s's run and the file's index, or NULL. */
static const struct hc_project *project_of(const struct hc_service *s, size_t *self)
{
	if (!s->ctx || !s->ctx->project)
		return NULL;
	*self = s->ctx->project_self;
	return s->ctx->project;
}

struct hc_node *hc_service_lookup(const struct hc_service *s, const char *key)
{
	size_t self;
	const struct hc_project *p = project_of(s, &self);
	int last = p ? hc_project_last(p, s->name, key) : -1;
	if (last < 0 || (size_t)last == self)
		return hc_deref(hc_map_lookup(s->value, key, NULL));
	/* a later file's value wins; an earlier one counts when this file
	 * has none of its own */
	if ((size_t)last < self && hc_map_lookup(s->value, key, NULL))
		return hc_deref(hc_map_lookup(s->value, key, NULL));
	return hc_project_get(p, (size_t)last, s->name, key);
}

struct hc_node *hc_service_other(const struct hc_service *s, const char *key, size_t *it)
{
	size_t self;
	const struct hc_project *p = project_of(s, &self);
	for (; p && *it < p->n; (*it)++) {
		if (*it == self)
			continue;
		struct hc_node *n = hc_project_get(p, *it, s->name, key);
		if (n) {
			(*it)++;
			return n;
		}
	}
	return NULL;
}

/* The service s extends, as the project merges it (its `extends:`): the
 * name, or NULL. */
static const struct hc_node *extended(const struct hc_service *s)
{
	struct hc_node *e = hc_service_lookup(s, "extends");
	if (e && e->type == HC_MAP)
		e = hc_deref(hc_map_lookup(e, "service", NULL));
	return e && e->type == HC_SCALAR && e->len ? e : NULL;
}

bool hc_project_elsewhere(const struct hc_run *r, const struct hc_service *s, struct hc_buf *why)
{
	size_t self;
	const struct hc_project *p = project_of(s, &self);
	if (!p || !r->first_key[0] || r->in_base_too)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		if (i != self && hc_project_ignores(p, i, s->name, r->tid)) {
			hc_buf_addf(why,
			            "service \"%s\": %s ignores %s for it (a `# hardcompose: "
			            "ignore` comment); nothing added here",
			            s->name, p->v[i].path, r->tid);
			return true;
		}
	}
	const struct hc_node *ext = extended(s);
	if (ext) {
		hc_buf_addf(
		    why,
		    "service \"%s\" extends service \"%.*s\" and is hardened where that one "
		    "is defined (%s); nothing added here",
		    s->name, (int)(ext->len > 80 ? 80 : ext->len), ext->text, r->tid);
		return true;
	}
	/* the file whose value Compose keeps: of the key, else of the
	 * nearest mapping above it ("healthcheck" for its start_period), else
	 * the last file that defines the service */
	char key[sizeof(r->first_key)];
	memcpy(key, r->first_key, sizeof(key));
	for (;;) {
		int last = hc_project_last(p, s->name, key);
		if (last >= 0)
			return (size_t)last != self;
		char *slash = strrchr(key, '/');
		if (!slash)
			break;
		*slash = 0;
	}
	int last = hc_project_last(p, s->name, NULL);
	return last >= 0 && (size_t)last != self;
}

/* The service whose key starts at pos, or NULL. */
static const struct hc_node *service_at(const struct hc_node *services, size_t pos)
{
	for (size_t i = 0; services && i + 1 < services->nkids; i += 2)
		if (services->kids[i]->start == pos)
			return services->kids[i];
	return NULL;
}

void hc_project_rules_once(const struct hc_ctx *ctx, const struct hc_node *services,
                           struct hc_findings *f, size_t f0)
{
	size_t k = f0;
	for (size_t i = f0; i < f->n; i++) {
		const struct hc_node *key = service_at(services, f->v[i].pos);
		int last = key && key->type == HC_SCALAR
		               ? hc_project_last(ctx->project, key->text, NULL)
		               : -1;
		if (last >= 0 && (size_t)last != ctx->project_self) {
			free(f->v[i].rule);
			free(f->v[i].msg);
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
}

/* Takes back the findings from n on. */
static void findings_truncate(struct hc_findings *f, size_t n)
{
	for (size_t i = n; i < f->n; i++) {
		free(f->v[i].rule);
		free(f->v[i].msg);
	}
	if (n < f->n)
		f->n = n;
}

void hc_project_service(struct hc_run *r, const struct hc_transform *t, const struct hc_service *s,
                        const void *opts)
{
	struct hc_run_mark m = hc_run_mark(r);
	size_t f0 = r->findings->n, c0 = r->changes;
	r->first_key[0] = 0;
	t->service(r, s, opts);
	struct hc_buf why = HC_BUF_INIT;
	if (hc_project_elsewhere(r, s, &why)) {
		hc_run_rollback(r, m);
		findings_truncate(r->findings, f0);
		r->changes = c0;
		if (why.len)
			hc_findings_add(r->findings, hc_pieces_map_back(r->pieces, s->key->start),
			                HC_NOTE, r->tid, why.data);
	}
	hc_buf_release(&why);
}

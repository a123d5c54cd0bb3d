/*
 * project.c: a project's files and the read-only queries on them (project.h).
 */
#include "engine/project.h"

#include <stdlib.h>
#include <string.h>

size_t hc_project_add(struct hc_project *p, const char *path, const char *real, struct hc_buf *text)
{
	p->v = hc_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	struct hc_project_file *f = &p->v[p->n];
	memset(f, 0, sizeof(*f));
	f->path = hc_xstrdup(path);
	f->real = real ? hc_xstrdup(real) : NULL;
	f->text = *text;
	*text = (struct hc_buf)HC_BUF_INIT;
	f->parsed =
	    hc_doc_parse(&f->doc, f->text.data ? f->text.data : "", f->text.len, &f->err) == 0;
	if (f->parsed) {
		struct hc_findings unused = {0}; /* the file's own run reports them */
		hc_supps_parse(&f->doc, &f->sup, &unused, NULL);
		hc_findings_release(&unused);
	}
	return p->n++;
}

void hc_project_release(struct hc_project *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].parsed)
			hc_doc_release(&p->v[i].doc);
		hc_supps_release(&p->v[i].sup);
		hc_buf_release(&p->v[i].text);
		free(p->v[i].path);
		free(p->v[i].real);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int hc_project_find(const struct hc_project *p, const char *real)
{
	for (size_t i = 0; real && i < p->n; i++)
		if (p->v[i].real && !strcmp(p->v[i].real, real))
			return (int)i;
	return -1;
}

/* The mapping node of service `name` in file i: its value when defined
 * (*defined, its key in *keyp when keyp is not NULL), NULL when not. */
static struct hc_node *service_key_in(const struct hc_project *p, size_t i, const char *name,
                                      bool *defined, struct hc_node **keyp)
{
	*defined = false;
	const struct hc_doc *d = &p->v[i].doc;
	if (!p->v[i].parsed || !d->root || d->root->type != HC_MAP)
		return NULL;
	struct hc_node *svcs = hc_deref(hc_map_get(d->root, "services", NULL));
	if (!svcs || svcs->type != HC_MAP)
		return NULL;
	struct hc_node *v = hc_map_get(svcs, name, keyp);
	*defined = v != NULL;
	return hc_deref(v);
}

static struct hc_node *service_in(const struct hc_project *p, size_t i, const char *name,
                                  bool *defined)
{
	return service_key_in(p, i, name, defined, NULL);
}

bool hc_project_ignores(const struct hc_project *p, size_t i, const char *service, const char *id)
{
	bool defined;
	struct hc_node *key = NULL;
	service_key_in(p, i, service, &defined, &key);
	return defined && key &&
	       (hc_supps_file(&p->v[i].sup, id) || hc_supps_hit(&p->v[i].sup, id, key->start));
}

struct hc_node *hc_project_get(const struct hc_project *p, size_t i, const char *service,
                               const char *path)
{
	bool defined;
	struct hc_node *n = service_in(p, i, service, &defined);
	if (!path)
		return defined ? n : NULL;
	char key[128];
	for (const char *k = path; n && *k;) {
		size_t len = strcspn(k, "/");
		if (len >= sizeof(key) || n->type != HC_MAP)
			return NULL;
		memcpy(key, k, len);
		key[len] = 0;
		n = hc_deref(hc_map_lookup(n, key, NULL));
		k += len + (k[len] == '/');
	}
	return n;
}

int hc_project_last(const struct hc_project *p, const char *service, const char *path)
{
	for (size_t i = p->n; i-- > 0;) {
		bool defined;
		service_in(p, i, service, &defined);
		if (defined && (!path || hc_project_get(p, i, service, path)))
			return (int)i;
	}
	return -1;
}

/*
 * secrets_shared.c: secrets that services read through anchors.
 *
 * A value in an `x-` block or an anchored `environment:` that services
 * share (`environment: *env`, `<<: *env`, a service's `<<: *common`), or
 * an anchored value read through aliases (`KEY: &pw value`, `OTHER: *pw`),
 * is one value for every service that reads it. It moves once, where it is
 * written, to .env: `${NAME:?is not set}` takes its place (the anchor
 * stays), so every reader reads the same .env variable, and the
 * environment of each reader is declared changed (the engine verifies the
 * rest). It is never moved to a secret file: the readers' images may
 * differ, and a renamed key would rename it for all of them.
 *
 * Every service's environment is walked as Compose resolves it (explicit
 * keys first, then merge sources in order), noting the aliases followed.
 * A shared value is moved only when every alias that reaches it (or a
 * collection around it) is one of those: an alias used elsewhere (a label,
 * a command, a service that is itself an alias), or a reader that is
 * skipped or excepts the variable, leaves it in place with a warning.
 */
#include "transforms/secrets_int.h"
#include "base/text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One shared scalar (a mapping's value, or a KEY=value item). */
struct shared_val {
	struct hc_node *def;       /* as written */
	char *var;                 /* the name its first secret reader gives it */
	struct hc_strlist users;   /* services that read it, in file order */
	struct hc_node *skey, *sv; /* its first reader's key and mapping */
	bool secret;               /* read under a secret's name by some service */
	bool bad;                  /* a reader is skipped or excepts it */
};

struct secrets_shared {
	struct shared_val *v;
	size_t n, cap;
	const struct hc_node **walked; /* aliases the walks followed */
	size_t nwalked, capwalked;
	struct hc_node **shadows; /* copies of anchored values without the anchor */
	size_t nshadows, capshadows;
};

bool secrets_shared_node(const struct hc_node *n)
{
	for (; n; n = n->parent)
		if (n->anchor)
			return true;
	return false;
}

static void push_ptr(const struct hc_node ***v, size_t *n, size_t *cap, const struct hc_node *p)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = hc_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = p;
}

static void walked(struct secrets_shared *sh, const struct hc_node *alias)
{
	push_ptr(&sh->walked, &sh->nwalked, &sh->capwalked, alias);
}

/* ---- walking each service's environment ---------------------------------- */

struct walk {
	struct secrets_state *st;
	const char *svc;
	struct hc_node *skey, *sv;
	bool skip;                  /* the service is skipped */
	struct hc_strlist seen;     /* variables set so far (explicit keys win) */
	const struct hc_node **vis; /* collections walked already (a second walk adds
	                             * nothing: merges of merges stay linear) */
	size_t nvis, capvis;
};

/* The service mapping m's environment: its own, or one it merges (the
 * aliases followed to find it are noted). */
static struct hc_node *env_of(struct secrets_shared *sh, struct hc_node *m, int depth)
{
	if (!m || m->type != HC_MAP || depth > 16)
		return NULL;
	struct hc_node *e = hc_map_get(m, "environment", NULL);
	if (e)
		return e;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		if (!hc_scalar_is(m->kids[i], "<<"))
			continue;
		struct hc_node *v = m->kids[i + 1];
		size_t n = v->type == HC_SEQ ? v->nkids : 1;
		for (size_t k = 0; k < n; k++) {
			struct hc_node *a = v->type == HC_SEQ ? v->kids[k] : v;
			struct hc_node *r =
			    a->type == HC_ALIAS ? env_of(sh, hc_deref(a), depth + 1) : NULL;
			if (r) {
				walked(sh, a);
				return r;
			}
		}
	}
	return NULL;
}

static struct shared_val *find_val(struct secrets_shared *sh, const struct hc_node *def)
{
	for (size_t i = 0; i < sh->n; i++)
		if (sh->v[i].def == def)
			return &sh->v[i];
	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? sh->cap * 2 : 8;
		sh->v = hc_xrealloc(sh->v, sh->cap * sizeof(*sh->v));
	}
	sh->v[sh->n] = (struct shared_val){.def = (struct hc_node *)def};
	return &sh->v[sh->n++];
}

/* Variable var (nlen bytes) of the walked service is def, whose value
 * Compose reads as val; shared says it is reached through an anchor. */
static void entry(struct walk *w, const char *var, size_t nlen, struct hc_node *def, bool shared,
                  const char *val, size_t vlen)
{
	char *name = hc_xstrndup(var, nlen);
	bool seen = hc_strlist_has(&w->seen, name);
	hc_strlist_push(&w->seen, name, nlen);
	if (seen || !shared || hc_is_null(def)) {
		free(name);
		return;
	}
	struct secrets_state *st = w->st;
	struct shared_val *sv = find_val(st->shared, def);
	if (!hc_strlist_has(&sv->users, w->svc))
		hc_strlist_push(&sv->users, w->svc, strlen(w->svc));
	if (!sv->skey) {
		sv->skey = w->skey;
		sv->sv = w->sv;
	}
	sv->bad |= w->skip;
	if (hc_is_plaintext_secret(&st->o->words, name, val, vlen)) {
		sv->bad |= secrets_excepted(st->o, w->svc, name);
		if (!sv->secret) {
			sv->secret = true;
			sv->var = name;
			name = NULL;
		}
	}
	free(name);
}

/* An item of an environment list (an alias followed, or not). */
static void list_item(struct walk *w, struct hc_node *it, bool via)
{
	if (it->type == HC_ALIAS) {
		walked(w->st->shared, it);
		via = true;
	}
	struct hc_node *t = hc_deref(it);
	size_t nlen, vlen;
	const char *val;
	if (t && t->type == HC_SCALAR && hc_env_item(t, &nlen, &val, &vlen))
		entry(w, t->text, nlen, t, via || secrets_shared_node(t), val, vlen);
	else if (t && t->type == HC_SCALAR && t->len)
		hc_strlist_push(&w->seen, t->text, t->len);
}

static void walk_coll(struct walk *w, struct hc_node *n, bool via, int depth)
{
	if (!n || depth > 16)
		return;
	if (n->type == HC_ALIAS) {
		walked(w->st->shared, n);
		walk_coll(w, hc_deref(n), true, depth + 1);
		return;
	}
	if (n->type != HC_SEQ && n->type != HC_MAP)
		return;
	for (size_t i = 0; i < w->nvis; i++)
		if (w->vis[i] == n)
			return;
	push_ptr(&w->vis, &w->nvis, &w->capvis, n);
	if (n->type == HC_SEQ) {
		for (size_t i = 0; i < n->nkids; i++)
			list_item(w, n->kids[i], via);
		return;
	}
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		struct hc_node *k = n->kids[i], *v = n->kids[i + 1];
		if (k->type != HC_SCALAR || !strcmp(k->text, "<<"))
			continue;
		bool alias = v->type == HC_ALIAS;
		if (alias)
			walked(w->st->shared, v);
		struct hc_node *t = hc_deref(v);
		if (t && t->type == HC_SCALAR)
			entry(w, k->text, strlen(k->text), t,
			      via || alias || secrets_shared_node(t), t->text, t->len);
		else
			hc_strlist_push(&w->seen, k->text, strlen(k->text));
	}
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		if (!hc_scalar_is(n->kids[i], "<<"))
			continue;
		struct hc_node *v = n->kids[i + 1];
		if (v->type == HC_SEQ)
			for (size_t k = 0; k < v->nkids; k++)
				walk_coll(w, v->kids[k], true, depth + 1);
		else
			walk_coll(w, v, true, depth + 1);
	}
}

/* ---- is every alias that reaches a value one the walks followed? -------- */

static void all_aliases(struct hc_node *n, const struct hc_node ***v, size_t *cnt, size_t *cap,
                        int depth)
{
	if (!n || depth > 600)
		return;
	if (n->type == HC_ALIAS) {
		push_ptr(v, cnt, cap, n);
		return;
	}
	for (size_t i = 0; i < n->nkids; i++)
		all_aliases(n->kids[i], v, cnt, cap, depth + 1);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return (x > y) - (x < y);
}

static bool in_set(const struct hc_node *const *v, size_t n, const struct hc_node *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/* Adds the anchored nodes from n up to the root to the set. */
static void add_anchored(const struct hc_node ***set, size_t *n, size_t *cap,
                         const struct hc_node *from)
{
	for (const struct hc_node *p = from; p; p = p->parent)
		if (p->anchor && !in_set(*set, *n, p))
			push_ptr(set, n, cap, p);
}

/* Is alias x a service's merge (`<<: *common`, or an item of `<<: [...]`)
 * whose target holds def under its `environment:`? A service that merges
 * it either reads that environment (its walk followed x) or has its own,
 * which hides it: either way only environments change. */
static bool service_merge_env(const struct hc_node *x, const struct hc_node *def,
                              const struct hc_node *services)
{
	const struct hc_node *p = x->parent;
	if (p && p->type == HC_SEQ)
		p = p->parent;
	if (!p || p->type != HC_MAP || p->parent != services)
		return false;
	struct hc_node *e = hc_map_get(x->target, "environment", NULL);
	for (const struct hc_node *d = def; e && d; d = d->parent)
		if (d == e)
			return true;
	return false;
}

/* Can def change without changing anything the walks did not see? */
static bool reach_followed(const struct secrets_shared *sh, const struct hc_node *def,
                           const struct hc_node *const *aliases, size_t nal,
                           const struct hc_node *services)
{
	const struct hc_node **set = NULL;
	size_t n = 0, cap = 0, done = 0;
	bool ok = true;
	add_anchored(&set, &n, &cap, def);
	while (ok && done < n) {
		size_t upto = n;
		for (size_t i = 0; i < nal && ok; i++) {
			if (!in_set(set + done, upto - done, aliases[i]->target))
				continue;
			ok = (sh->nwalked && bsearch(&aliases[i], sh->walked, sh->nwalked,
			                             sizeof(*sh->walked), cmp_ptr)) ||
			     service_merge_env(aliases[i], def, services);
			add_anchored(&set, &n, &cap, aliases[i]->parent);
		}
		done = upto;
	}
	free(set);
	return ok;
}

void secrets_shared_collect(struct secrets_state *st, struct hc_node *root,
                            struct hc_node *services)
{
	struct secrets_shared *sh = st->shared = hc_xcalloc(1, sizeof(*st->shared));
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *k = services->kids[i], *v = services->kids[i + 1];
		if (v->type != HC_MAP || k->type != HC_SCALAR)
			continue;
		struct walk w = {.st = st, .svc = k->text, .skey = k, .sv = v};
		w.skip = hc_run_skips(st->r, k->text, k);
		walk_coll(&w, env_of(sh, v, 0), false, 0);
		hc_strlist_release(&w.seen);
		free(w.vis);
	}
	if (sh->nwalked)
		qsort(sh->walked, sh->nwalked, sizeof(*sh->walked), cmp_ptr);
	const struct hc_node **al = NULL;
	size_t nal = 0, capal = 0;
	bool any = false;
	for (size_t i = 0; i < sh->n; i++)
		any |= sh->v[i].secret;
	if (any)
		all_aliases(root, &al, &nal, &capal, 0);
	for (size_t i = 0; i < sh->n; i++) {
		struct shared_val *sv = &sh->v[i];
		if (!sv->secret || (!sv->bad && reach_followed(sh, sv->def, al, nal, services)))
			continue;
		hc_report(
		    st->r, sv->def->start, HC_WARNING,
		    "service \"%s\": %s is a plaintext secret shared through an anchor that is "
		    "also used where hardcompose does not follow it (or by a service it "
		    "skips); move it by hand",
		    sv->users.v[0], sv->var);
		hc_side_mask(st->r, sv->def->start, sv->def->end);
		st->r->changes++;
		sv->secret = false;
	}
	free(al);
}

/* ---- the candidates ------------------------------------------------------ */

/* A copy of def whose range starts after its anchor (`&pw value`), so that
 * rewriting the value keeps the anchor; NULL when the text is not in that
 * order. */
static struct hc_node *shadow_of(struct secrets_state *st, struct hc_node *def)
{
	const char *t = st->r->doc->text;
	size_t p = def->start;
	if (t[p] != '&')
		return NULL;
	while (p < def->end && !isspace((unsigned char)t[p]))
		p++;
	while (p < def->end && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (p >= def->end || t[p] == '\n' || t[p] == '\r' || t[p] == '#')
		return NULL;
	struct hc_node *s = hc_xcalloc(1, sizeof(*s));
	*s = *def;
	s->anchor = NULL;
	s->start = p;
	struct secrets_shared *sh = st->shared;
	push_ptr((const struct hc_node ***)&sh->shadows, &sh->nshadows, &sh->capshadows, s);
	return s;
}

/* Does the image of every service in users read var from a file? */
static bool all_read_files(struct secrets_state *st, const struct hc_strlist *users,
                           const char *var)
{
	struct hc_node *services = hc_deref(hc_map_get(st->root, "services", NULL));
	for (size_t u = 0; u < users->n; u++) {
		struct hc_node *sv = hc_deref(hc_map_get(services, users->v[u], NULL));
		struct hc_node *img = sv ? hc_deref(hc_map_lookup(sv, "image", NULL)) : NULL;
		const struct hc_file_secrets *fs =
		    img && img->type == HC_SCALAR && img->len
		        ? hc_file_secrets(st->r->classes, img->text, img->len)
		        : NULL;
		if (!fs || !hc_file_secrets_reads(fs, var))
			return false;
	}
	return true;
}

/* The candidate of shared value sv, for its first reader. */
static void push_one(struct secrets_state *st, struct shared_val *sv)
{
	struct hc_node *def = sv->def, *env = def->parent, *vnode = def;
	if (def->anchor && !(vnode = shadow_of(st, def))) {
		hc_report(st->r, def->start, HC_WARNING,
		          "service \"%s\": %s is a plaintext secret with a tag before its anchor; "
		          "move it by hand",
		          sv->users.v[0], sv->var);
		hc_side_mask(st->r, def->start, def->end);
		st->r->changes++;
		return;
	}
	struct hc_node *img = hc_deref(hc_map_lookup(sv->sv, "image", NULL));
	struct secret_cand c = {.svc = sv->users.v[0],
	                        .skey = sv->skey,
	                        .svalue = sv->sv,
	                        .env = env,
	                        .vnode = vnode,
	                        .var = sv->var};
	if (img && img->type == HC_SCALAR && img->len) {
		c.image = img->text;
		c.image_len = img->len;
	}
	const char *val = def->text;
	size_t vlen = def->len;
	char *prefix = NULL;
	if (env->type == HC_SEQ) {
		size_t nlen;
		hc_env_item(def, &nlen, &val, &vlen);
		prefix = hc_xstrndup(def->text, nlen + 1);
		c.list = true;
		c.prefix = prefix;
		for (size_t i = 0; i < env->nkids; i++)
			if (env->kids[i] == def)
				c.idx = i;
	} else {
		for (size_t i = 0; i + 1 < env->nkids; i += 2)
			if (env->kids[i + 1] == def) {
				c.idx = i / 2;
				c.knode = env->kids[i];
			}
	}
	size_t before = st->nc;
	secrets_consider(st, &c, val, vlen, env);
	free(prefix);
	if (st->nc == before)
		return;
	struct secret_cand *nc = &st->c[st->nc - 1];
	nc->orig = vnode != def ? def : NULL;
	nc->file_ok = all_read_files(st, &sv->users, nc->var);
	for (size_t u = 1; u < sv->users.n; u++)
		hc_strlist_push(&nc->users, sv->users.v[u], strlen(sv->users.v[u]));
	struct hc_buf who = HC_BUF_INIT;
	hc_join(&who, &sv->users);
	hc_report(st->r, vnode->start, HC_NOTE,
	          "service \"%s\": %s is written once for services %s (an anchor): it moves "
	          "there, once, to .env, and each of them reads it from there",
	          nc->svc, nc->var, who.data);
	hc_buf_release(&who);
}

void secrets_shared_push(struct secrets_state *st, const char *svc)
{
	struct secrets_shared *sh = st->shared;
	for (size_t i = 0; sh && i < sh->n; i++)
		if (sh->v[i].secret && !strcmp(sh->v[i].users.v[0], svc))
			push_one(st, &sh->v[i]);
}

void secrets_shared_declare(struct secrets_state *st)
{
	for (size_t k = 0; k < st->nc; k++) {
		const struct secret_cand *c = &st->c[k];
		for (size_t u = 0; !c->failed && u < c->users.n; u++) {
			struct hc_buf p = HC_BUF_INIT;
			hc_buf_adds(&p, "/services");
			hc_ptr_add(&p, c->users.v[u], strlen(c->users.v[u]));
			hc_ptr_add(&p, "environment", 11);
			hc_declare(st->r, p.data, HC_CHANGE_ANY);
			hc_buf_release(&p);
		}
	}
}

void secrets_shared_release(struct secrets_state *st)
{
	struct secrets_shared *sh = st->shared;
	if (!sh)
		return;
	for (size_t i = 0; i < sh->n; i++) {
		free(sh->v[i].var);
		hc_strlist_release(&sh->v[i].users);
	}
	free(sh->v);
	free(sh->walked);
	for (size_t i = 0; i < sh->nshadows; i++)
		free(sh->shadows[i]);
	free(sh->shadows);
	free(sh);
	st->shared = NULL;
}

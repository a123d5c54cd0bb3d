/*
 * secrets_collect.c: finding the plaintext secrets this transform moves.
 *
 * Each service's own `environment:` (a mapping or a KEY=value list) is
 * read entry by entry; rules/secret_detect.c says which values are
 * secrets. Values under an anchor, aliases and merges are left to
 * secrets_shared.c. A secret written in a way this transform does not move
 * (a block scalar, a tag on it, a NUL byte, a YAML number or date) is
 * reported and masked, and so are other places that hold a value being
 * moved. The rest become candidates (struct secret_cand) with their route:
 * a secret file when the image reads the variable from one, else .env.
 * The existing .env is read here too, to reuse or avoid its names.
 */
#include "transforms/secrets_int.h"
#include "base/dotenv.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The value the container sees: Compose reads `$$` as `$`. */
static char *runtime(const char *s, size_t n)
{
	struct hc_buf b = HC_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		hc_buf_addc(&b, s[i]);
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '$')
			i++;
	}
	size_t len;
	return hc_buf_detach(&b, &len);
}

/* ---- the existing .env ------------------------------------------------- */

void secrets_read_dotenv(struct secrets_state *st, const char *t, size_t n)
{
	hc_dotenv_parse(t, n, &st->envnames, &st->envvals, &st->envexp);
	for (size_t i = 0; i < st->envnames.n; i++)
		hc_strmap_put(&st->envidx, st->envnames.v[i], i);
}

int secrets_dotenv_has(const struct secrets_state *st, const char *name, const char *value)
{
	size_t i = hc_strmap_get(&st->envidx, name);
	if (i == HC_STRMAP_NONE)
		return -1;
	return !strcmp(st->envvals.v[i], value) && st->envexp.v[i][0] == '0';
}

/* ---- collecting -------------------------------------------------------- */

/* Is variable var of service svc one the `exceptions` option leaves
 * alone (NAME, or SERVICE.NAME)? */
bool secrets_excepted(const struct secrets_opts *o, const char *svc, const char *var)
{
	for (size_t i = 0; i < o->exceptions.n; i++) {
		const char *e = o->exceptions.v[i], *dot = strchr(e, '.');
		if (!dot ? !strcmp(e, var)
		         : (!strncmp(e, svc, (size_t)(dot - e)) && !svc[dot - e] &&
		            !strcmp(dot + 1, var)))
			return true;
	}
	return false;
}

/* Appends a copy of c to the candidates (which then own its strings). */
static void push_cand(struct secrets_state *st, const struct secret_cand *c)
{
	if (st->nc == st->capc) {
		st->capc = st->capc ? st->capc * 2 : 16;
		st->c = hc_xrealloc(st->c, st->capc * sizeof(*st->c));
	}
	st->c[st->nc++] = *c;
}

/* Does env (a mapping, or a list of KEY=value) set the variable var? */
static bool env_has_var(struct hc_node *env, const char *var)
{
	size_t n = strlen(var);
	if (env->type == HC_MAP) {
		for (size_t i = 0; i + 1 < env->nkids; i += 2)
			if (env->kids[i]->type == HC_SCALAR && !strcmp(env->kids[i]->text, var))
				return true;
		return false;
	}
	for (size_t i = 0; i < env->nkids; i++) {
		struct hc_node *it = env->kids[i];
		if (it->type == HC_SCALAR && it->len >= n && !strncmp(it->text, var, n) &&
		    (it->len == n || it->text[n] == '='))
			return true;
	}
	return false;
}

/* Are the n bytes of s all in set, and at least one? */
static bool re_digits(const char *s, size_t n, const char *set)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

/*
 * Would Compose (Go's yaml.v3) read the plain scalar s as a number or a
 * date, and so hand the container its own rendering (0777 -> 511, 1e3 ->
 * 1000, 2001-12-14 -> "2001-12-14 00:00:00 +0000 UTC") rather than the
 * text? A canonical decimal integer (0, 12, -5, at most 18 digits) reads
 * back as written. Errs towards yes: a yes leaves the value in place.
 */
static bool yaml_value_changes(const char *s, size_t n)
{
	char b[128];
	size_t m = 0;
	if (!n || n >= sizeof(b))
		return false; /* long values are not numbers */
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			b[m++] = s[i];
	b[m] = '\0';
	const char *p = b;
	bool sign = *p == '+' || *p == '-';
	if (sign)
		p++;
	size_t k = strlen(p);
	/* a date or a time stamp: yyyy-m-d... */
	if (n >= 8 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
	    isdigit((unsigned char)s[5]))
		return true;
	if (!strcasecmp(p, ".inf") || !strcasecmp(p, ".nan"))
		return true;
	bool num = false;
	if (k > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		num = re_digits(p + 2, k - 2, "0123456789abcdefABCDEF");
	else if (k > 2 && p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		num = re_digits(p + 2, k - 2, "01234567");
	else if (k > 2 && p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		num = re_digits(p + 2, k - 2, "01");
	else {
		/* [0-9]+(.[0-9]*)?([eE][-+]?[0-9]+)? or .[0-9]+(...) */
		size_t i = 0, d = 0;
		while (i < k && isdigit((unsigned char)p[i]))
			i++, d++;
		if (i < k && p[i] == '.') {
			i++;
			while (i < k && isdigit((unsigned char)p[i]))
				i++, d++;
		}
		if (d && i < k && (p[i] == 'e' || p[i] == 'E')) {
			size_t e0 = ++i;
			if (i < k && (p[i] == '+' || p[i] == '-'))
				i++, e0++;
			while (i < k && isdigit((unsigned char)p[i]))
				i++;
			if (i == e0)
				d = 0;
		}
		num = d && i == k;
	}
	if (!num)
		return false;
	/* canonical decimal integers read back as written */
	bool canonical = m == n && (s[0] == '-' || isdigit((unsigned char)s[0])) &&
	                 re_digits(p, k, "0123456789") && k <= 18 &&
	                 (p[0] != '0' || (k == 1 && !sign));
	return !canonical;
}

/* Candidate c goes to a file the image reads through VAR<suffix>: is that
 * variable set in env as well? Then neither is moved: said and masked. (An
 * image that reads the file /run/secrets/VAR has no such variable.) */
static bool set_twice(struct secrets_state *st, const struct secret_cand *c, struct hc_node *env)
{
	if (c->fs->form == HC_FORM_FILE)
		return false;
	struct hc_buf fv = HC_BUF_INIT;
	hc_buf_adds(&fv, c->var);
	hc_buf_adds(&fv, c->fs->suffix);
	bool both = env_has_var(env, fv.data);
	hc_buf_release(&fv);
	if (both) {
		hc_report(st->r, c->vnode->start, HC_WARNING,
		          "service \"%s\": %s is a plaintext secret and %s%s is set as well; "
		          "remove one of them",
		          c->svc, c->var, c->var, c->fs->suffix);
		hc_side_mask(st->r, c->vnode->start, c->vnode->end);
	}
	return both;
}

/* A secret reported, not moved: masked wherever output shows it. */
static void leave(struct secrets_state *st, const struct secret_cand *c, const char *why,
                  const char *todo)
{
	hc_report(st->r, c->vnode->start, HC_WARNING,
	          "service \"%s\": %s is a plaintext secret %s; %s", c->svc, c->var, why,
	          todo ? todo : "move it by hand");
	hc_side_mask(st->r, c->vnode->start, c->vnode->end);
	st->r->changes++;
}

/* Does another file of the project give service c->svc the variable
 * c->var in its environment (mapping or list)? Compose keeps the last
 * file's value: moving one would leave the service with both VAR and
 * VAR_FILE, or a value in clear. */
static bool set_in_other_file(const struct secrets_state *st, const struct secret_cand *c)
{
	struct hc_service s = {
	    .name = c->svc, .key = c->skey, .value = c->svalue, .ctx = st->r->ctx};
	size_t it = 0, n = strlen(c->var);
	for (struct hc_node *env; (env = hc_service_other(&s, "environment", &it));) {
		if (env->type == HC_MAP && hc_map_get(env, c->var, NULL))
			return true;
		for (size_t i = 0; env->type == HC_SEQ && i < env->nkids; i++) {
			const struct hc_node *x = hc_deref(env->kids[i]);
			if (x && x->type == HC_SCALAR && x->len >= n &&
			    !strncmp(x->text, c->var, n) && (x->len == n || x->text[n] == '='))
				return true;
		}
	}
	return false;
}

/*
 * Candidate c (its service, node, variable and prefix set; c->var and
 * c->prefix not owned) whose value Compose reads as val (vlen bytes), in
 * env: becomes a candidate when it is a plaintext secret this transform
 * moves; a secret it does not move is reported and masked.
 */
void secrets_consider(struct secrets_state *st, struct secret_cand *c, const char *val, size_t vlen,
                      struct hc_node *env)
{
	const struct secrets_opts *o = st->o;
	struct hc_run *r = st->r;
	if (secrets_excepted(o, c->svc, c->var))
		return;
	bool whole = hc_secret_whole(&o->words, c->var, val, vlen);
	size_t ps = 0, pe = vlen;
	if (!whole && !(o->words.urls && hc_url_password(val, vlen, &ps, &pe)))
		return;
	if (set_in_other_file(st, c)) {
		leave(st, c, "that another file of the project sets too",
		      "move it by hand in every file that sets it (Compose keeps the last file's "
		      "value)");
		return;
	}
	if (c->vnode->style == HC_LITERAL || c->vnode->style == HC_FOLDED) {
		hc_report(r, c->vnode->start, HC_NOTE,
		          "service \"%s\": %s is a plaintext secret in a block scalar; move it by "
		          "hand",
		          c->svc, c->var);
		hc_side_mask(r, c->vnode->start, c->vnode->end);
		return;
	}
	if (c->vnode->anchor) {
		leave(st, c, "with an anchor (&) that aliases may use elsewhere", NULL);
		return;
	}
	if (c->vnode->tag && strcmp(c->vnode->tag, "!!str") &&
	    strcmp(c->vnode->tag, "tag:yaml.org,2002:str")) {
		leave(st, c, "with a YAML tag other than !!str", NULL);
		return;
	}
	if (memchr(val, '\0', vlen)) {
		leave(st, c, "holding a NUL byte, which no environment variable can hold", NULL);
		return;
	}
	if (!c->list && c->vnode->style == HC_PLAIN && !c->vnode->tag &&
	    yaml_value_changes(val, vlen)) {
		leave(st, c,
		      "written as a YAML number or date: Compose hands the container its own "
		      "rendering (0777 becomes 511), so moved as written it would change",
		      "quote it as the container should see it and run again, or move it by hand");
		return;
	}
	c->url = !whole;
	c->cstr = hc_xstrndup(val, vlen);
	c->ss = ps;
	c->se = pe;
	c->secret = runtime(val + ps, pe - ps);
	c->route = c->fs && hc_file_secrets_reads(c->fs, c->var) ? R_FILE : R_ENV;
	if (c->route == R_FILE && st->env_only) {
		c->route = R_ENV;
		st->rerouted++;
	}
	if (c->route == R_FILE && set_twice(st, c, env)) {
		free(c->cstr);
		free(c->secret);
		return;
	}
	if (c->url) {
		/* the whole URL is the file's content when the image reads a file */
		if (c->route == R_FILE) {
			free(c->secret);
			c->secret = runtime(val, vlen);
			c->ss = 0;
			c->se = vlen;
		}
	}
	c->var = hc_xstrdup(c->var);
	c->prefix = hc_xstrdup(c->prefix ? c->prefix : "");
	push_cand(st, c);
}

/* Candidates of an environment mapping (`KEY: value`); base holds what
 * they share (their service, its environment and image). */
static void collect_map(struct secrets_state *st, const struct secret_cand *base)
{
	struct hc_node *env = base->env;
	for (size_t i = 0; i + 1 < env->nkids; i += 2) {
		struct hc_node *k = env->kids[i], *v = env->kids[i + 1];
		/* merges, aliases and anchored values: secrets_shared.c */
		if (k->type != HC_SCALAR || v->type != HC_SCALAR || hc_is_null(v) ||
		    !strcmp(k->text, "<<") || secrets_shared_node(v))
			continue;
		struct secret_cand c = *base;
		c.list = false;
		c.idx = i / 2;
		c.knode = k;
		c.vnode = v;
		c.var = (char *)k->text;
		c.prefix = NULL;
		secrets_consider(st, &c, v->text, v->len, env);
	}
}

/* Candidates of an environment list (`- KEY=value`), as collect_map(). */
static void collect_list(struct secrets_state *st, const struct secret_cand *base)
{
	struct hc_node *env = base->env;
	for (size_t i = 0; i < env->nkids; i++) {
		struct hc_node *it = env->kids[i];
		if (it->type != HC_SCALAR || secrets_shared_node(it))
			continue; /* aliases and anchored items: secrets_shared.c */
		const char *eq = memchr(it->text, '=', it->len);
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - it->text);
		char *var = hc_xstrndup(it->text, kl);
		char *prefix = hc_xstrndup(it->text, kl + 1);
		struct secret_cand c = *base;
		c.list = true;
		c.idx = i;
		c.knode = NULL;
		c.vnode = it;
		c.var = var;
		c.prefix = prefix;
		secrets_consider(st, &c, eq + 1, it->len - kl - 1, env);
		free(var);
		free(prefix);
	}
}

void secrets_collect_service(struct secrets_state *st, const char *svc, struct hc_node *skey,
                             struct hc_node *svalue)
{
	struct hc_service s = {.name = svc, .key = skey, .value = svalue};
	struct hc_node *envkey = NULL;
	struct hc_node *env = hc_own_value(&s, "environment", &envkey);
	if (!env || hc_is_null(env) || (env->type != HC_MAP && env->type != HC_SEQ) || env->bare) {
		/* environment: *env, or through a merge of the service */
		secrets_shared_push(st, svc);
		return;
	}
	/* the image the project gives the service (its own when read alone) */
	struct hc_service ps = {.name = svc, .key = skey, .value = svalue, .ctx = st->r->ctx};
	struct hc_node *img = hc_service_lookup(&ps, "image");
	const char *image = img && img->type == HC_SCALAR && img->len ? img->text : NULL;
	const struct hc_file_secrets *fs =
	    image ? hc_file_secrets(st->r->classes, image, img->len) : NULL;
	struct secret_cand base = {.svc = svc,
	                           .skey = skey,
	                           .svalue = svalue,
	                           .env = env,
	                           .envkey = envkey,
	                           .fs = fs,
	                           .image = image,
	                           .image_len = image ? img->len : 0};
	if (env->type == HC_MAP)
		collect_map(st, &base);
	else
		collect_list(st, &base);
	secrets_shared_push(st, svc);
}

/* ---- other places that hold a moved value -------------------------------- */

/* Orders pointers, for qsort() and bsearch(). */
static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return (x > y) - (x < y);
}

/* A search of the tree for the values being moved. */
struct scan {
	struct secrets_state *st;
	const struct hc_node **own; /* the candidates' nodes, sorted */
	size_t nown;
	struct hc_strmap byval; /* secrets worth looking for -> their group */
	size_t nvals;
	bool substr; /* few secrets: look inside every value too */
};

/* A value worth finding inside other values: six bytes or more and not a
 * plain lowercase word ("postgres" is also the image's name; "S3cret!" is
 * not anything else). */
static bool inside_ok(const char *v)
{
	if (strlen(v) < 6)
		return false;
	for (const char *p = v; *p; p++)
		if (!islower((unsigned char)*p))
			return true;
	return false;
}

/* The group whose value scalar n holds (all of it, or inside it when the
 * search looks inside values), or NULL. */
static const struct secret_group *scan_hit(const struct scan *sc, const struct hc_node *n)
{
	if (sc->substr) {
		for (size_t g = 0; g < sc->st->ng; g++) {
			const char *v = sc->st->g[g].secret;
			size_t vl = strlen(v);
			if (vl >= 4 && n->len >= vl &&
			    (n->len == vl ? !memcmp(n->text, v, vl)
			                  : inside_ok(v) && strstr(n->text, v)))
				return &sc->st->g[g];
		}
		return NULL;
	}
	if (n->len < 4 || memchr(n->text, '\0', n->len))
		return NULL;
	size_t g = hc_strmap_get(&sc->byval, n->text);
	return g == HC_STRMAP_NONE ? NULL : &sc->st->g[g];
}

/* Reports and masks the scalars under n, other than the candidates' own,
 * that hold a value being moved. */
static void scan_node(struct scan *sc, const struct hc_node *n, int depth)
{
	if (!n || depth > 600 || n->type == HC_ALIAS)
		return;
	if (n->type != HC_SCALAR) {
		for (size_t i = 0; i < n->nkids; i++)
			scan_node(sc, n->kids[i], depth + 1);
		return;
	}
	if (bsearch(&n, sc->own, sc->nown, sizeof(*sc->own), cmp_ptr))
		return;
	const struct secret_group *g = scan_hit(sc, n);
	if (!g)
		return;
	struct hc_run *r = sc->st->r;
	hc_report(r, n->start, HC_WARNING,
	          "this value holds the plaintext secret that the secrets transform moves as "
	          "'%s'; it stays here in clear: replace it by hand",
	          g->name);
	hc_side_mask(r, n->start, n->end);
	r->changes++;
}

/* Other places that hold a value being moved (a healthcheck's -pVALUE, a
 * label): reported and masked, never rewritten. Inside a longer value only
 * values of six bytes or more that are not lowercase words are looked for,
 * and with more than 64 values only values equal to one are found (the
 * substring search is quadratic). */
void secrets_other_occurrences(struct secrets_state *st, struct hc_node *root)
{
	if (!st->nc)
		return;
	struct scan sc = {.st = st, .substr = st->ng <= 64};
	sc.own = hc_xcalloc(2 * st->nc + 1, sizeof(*sc.own));
	for (size_t i = 0; i < st->nc; i++) {
		sc.own[sc.nown++] = st->c[i].vnode;
		if (st->c[i].orig)
			sc.own[sc.nown++] = st->c[i].orig;
	}
	qsort(sc.own, sc.nown, sizeof(*sc.own), cmp_ptr);
	for (size_t g = 0; g < st->ng; g++)
		if (strlen(st->g[g].secret) >= 4) {
			hc_strmap_put(&sc.byval, st->g[g].secret, g);
			sc.nvals++;
		}
	if (sc.nvals)
		scan_node(&sc, root, 0);
	free(sc.own);
	hc_strmap_release(&sc.byval);
}

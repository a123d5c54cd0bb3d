/*
 * secrets.c: plaintext secrets in `environment:` leave the compose file.
 *
 * A variable whose name looks like a secret (PASSWORD, TOKEN, API_KEY, ...)
 * with a literal value, or a URL with a password in it, is a plaintext
 * secret (rules/secret_detect.c decides, for the plaintext-secret rule
 * too). Where the service's image reads that variable from a file (the
 * profile's `file-secrets:` table), the value goes into a secret file:
 * `KEY: value` becomes `KEY_FILE: /run/secrets/<name>` in the image's own
 * spelling, the service lists the secret, and a top-level `secrets:` stanza
 * points at `./secrets/<name>`. Where it does not (or the image is not
 * known), the value moves to the `.env` file beside the compose file and
 * the compose file keeps `${NAME:?is not set}`.
 *
 * One value, one name: the same password in two services is one secret.
 * Names are the first variable's name, lowercased; a name taken by another
 * value gets the service's name in front, then a number.
 *
 * The transform only rewrites when the caller will write the files
 * (ctx->side_effects, i.e. --write); otherwise it reports, so no output ever
 * points at a file that does not exist. Values never appear in findings;
 * their ranges are handed back to be masked wherever output shows input.
 */
#include "transforms/secrets.h"
#include "transforms/transform.h"
#include "base/dotenv.h"
#include "rules/secret_detect.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

struct secrets_opts {
	struct hc_secret_words words; /* patterns, ignore, urls */
	struct hc_strlist exceptions;
	char *dir;
};

static const struct hc_option secrets_options[] = {
    {"patterns", HC_OPT_LIST, offsetof(struct secrets_opts, words.patterns),
     "PASSWORD,PASSWD,PASS,SECRET,TOKEN,API_KEY,APIKEY,PRIVATE_KEY,ACCESS_KEY,SECRET_KEY,"
     "CREDENTIAL,CREDENTIALS,AUTH_KEY,ENCRYPTION_KEY,MASTER_KEY,SIGNING_KEY,SALT,ERLANG_COOKIE",
     "words of variable names that hold secrets (whole words of the name, split at _ . - and "
     "case changes)"},
    {"ignore", HC_OPT_LIST, offsetof(struct secrets_opts, words.ignore),
     "FILE,PATH,DIR,ALLOW,RANDOM,EMPTY,ENABLE,ENABLED,DISABLE,DISABLED,REQUIRE,REQUIRED,LENGTH,"
     "MIN,MAX,TTL,EXPIRY,EXPIRE,EXPIRES,EXPIRATION,TIMEOUT,LIFETIME,ALGORITHM,TYPE,METHOD,"
     "POLICY,HOST,PORT,URL,URI,ENDPOINT,NAME,ID,HEADER,FORMAT,MODE,ROTATION,RESET",
     "words that make a variable not a secret (PASSWORD_FILE, TOKEN_TTL, ALLOW_EMPTY_PASSWORD)"},
    {"exceptions", HC_OPT_LIST, offsetof(struct secrets_opts, exceptions), "",
     "variables left alone: NAME, or SERVICE.NAME"},
    {"dir", HC_OPT_STR, offsetof(struct secrets_opts, dir), "secrets",
     "folder of the secret files, relative to the compose file"},
    {"urls", HC_OPT_BOOL, offsetof(struct secrets_opts, words.urls), "true",
     "also move passwords written in URLs (postgres://user:pass@db/app)"},
};

/* A hash map from strings (not owned) to indexes: lookups stay O(1) with
 * 100,000 secrets (name collisions, .env names, the existing stanza). */
struct strmap {
	const char **keys;
	size_t *vals;
	size_t n, cap; /* cap: a power of two, over twice n */
};

static size_t str_hash(const char *s)
{
	return (size_t)XXH3_64bits(s, strlen(s));
}

static void strmap_put(struct strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct strmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = hc_xcalloc(m->cap, sizeof(*m->keys));
		m->vals = hc_xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				strmap_put(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	size_t h = str_hash(key) & (m->cap - 1);
	while (m->keys[h] && strcmp(m->keys[h], key))
		h = (h + 1) & (m->cap - 1);
	if (!m->keys[h])
		m->n++;
	m->keys[h] = key;
	m->vals[h] = val;
}

/* The value of key, or (size_t)-1. */
static size_t strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return (size_t)-1;
	for (size_t h = str_hash(key) & (m->cap - 1); m->keys[h]; h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->keys[h], key))
			return m->vals[h];
	return (size_t)-1;
}

static void strmap_release(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
}

enum route { R_FILE, R_ENV };

struct cand {
	const char *svc;
	struct hc_node *skey, *svalue, *env, *envkey;
	bool list;
	size_t idx;            /* pair index (map) or item index (list) */
	struct hc_node *knode; /* map: the key; list: NULL */
	struct hc_node *vnode; /* map: the value; list: the item */
	char *var;             /* variable name */
	char *prefix;          /* list: "KEY=" as written; map: "" */
	char *cstr;            /* the value as Compose reads it (before interpolation) */
	size_t ss, se;         /* the secret's bytes in cstr */
	bool url;              /* a password inside a URL */
	bool failed;           /* its service could not be rewritten */
	const struct hc_file_secrets *fs;
	enum route route;
	char *secret;      /* the value the container sees ($$ -> $) */
	size_t group;      /* index of its value group */
	const char *image; /* NULL: built here */
	size_t image_len;
};

struct group {
	char *secret;
	char *name;
	bool file, env;
	size_t first; /* its first candidate */
};

struct state {
	struct hc_run *r;
	const struct secrets_opts *o;
	struct cand *c;
	size_t nc, capc;
	struct group *g;
	size_t ng;
	struct hc_node *root, *tsec, *tseckey; /* top-level secrets */
	struct hc_strlist envnames, envvals;   /* the existing .env */
	struct hc_strlist envexp;              /* "1": Compose expands that value */
	struct strmap envidx;                  /* .env name -> its last index */
	struct strmap stanza;                  /* top-level secret name -> its key's index */
	struct strmap taken;                   /* names given to groups */
};

/* ---- names and values ---------------------------------------------------- */

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

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

/* Lowercase [a-z0-9_], no doubled or edge underscores, not starting with a digit. */
static char *sanitize(const char *s)
{
	struct hc_buf b = HC_BUF_INIT;
	for (const char *p = s; *p; p++) {
		char c = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
		if (c == '_' && (!b.len || b.data[b.len - 1] == '_'))
			continue;
		hc_buf_addc(&b, c);
	}
	while (b.len && b.data[b.len - 1] == '_')
		b.data[--b.len] = '\0';
	if (!b.len)
		hc_buf_adds(&b, "secret");
	if (isdigit((unsigned char)b.data[0])) {
		struct hc_buf t = HC_BUF_INIT;
		hc_buf_adds(&t, "s_");
		hc_buf_adds(&t, b.data);
		hc_buf_release(&b);
		b = t;
	}
	size_t len;
	return hc_buf_detach(&b, &len);
}

static char *upper(const char *s)
{
	char *u = hc_xstrdup(s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* ---- the existing .env ------------------------------------------------- */

static void parse_dotenv(struct state *st, const char *t, size_t n)
{
	hc_dotenv_parse(t, n, &st->envnames, &st->envvals, &st->envexp);
	for (size_t i = 0; i < st->envnames.n; i++)
		strmap_put(&st->envidx, st->envnames.v[i], i);
}

/* -1: NAME is not in .env; 1: it holds `value`; 0: something else. */
static int dotenv_has(const struct state *st, const char *name, const char *value)
{
	size_t i = strmap_get(&st->envidx, name);
	if (i == (size_t)-1)
		return -1;
	return !strcmp(st->envvals.v[i], value) && st->envexp.v[i][0] == '0';
}

/* ---- collecting -------------------------------------------------------- */

static bool excepted(const struct secrets_opts *o, const char *svc, const char *var)
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

static void push_cand(struct state *st, const struct cand *c)
{
	if (st->nc == st->capc) {
		st->capc = st->capc ? st->capc * 2 : 16;
		st->c = hc_xrealloc(st->c, st->capc * sizeof(*st->c));
	}
	st->c[st->nc++] = *c;
}

/* Is `var<suffix>` (or var itself for form file) already set here? */
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

/* A secret reported, not moved: masked wherever output shows it. */
static void leave(struct state *st, const struct cand *c, const char *why, const char *todo)
{
	hc_report(st->r, c->vnode->start, HC_WARNING,
	          "service \"%s\": %s is a plaintext secret %s; %s", c->svc, c->var, why,
	          todo ? todo : "move it by hand");
	hc_side_mask(st->r, c->vnode->start, c->vnode->end);
	st->r->changes++;
}

static void consider(struct state *st, struct cand *c, const char *val, size_t vlen,
                     struct hc_node *env)
{
	const struct secrets_opts *o = st->o;
	struct hc_run *r = st->r;
	if (excepted(o, c->svc, c->var))
		return;
	bool whole = hc_is_secret_name(&o->words, c->var) && hc_secret_literal(val, vlen);
	size_t ps = 0, pe = vlen;
	if (!whole && !(o->words.urls && hc_url_password(val, vlen, &ps, &pe)))
		return;
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
	if (c->route == R_FILE) {
		struct hc_buf fv = HC_BUF_INIT;
		hc_buf_adds(&fv, c->var);
		if (c->fs->form != HC_FORM_FILE)
			hc_buf_adds(&fv, c->fs->suffix);
		bool both = c->fs->form != HC_FORM_FILE && env_has_var(env, fv.data);
		hc_buf_release(&fv);
		if (both) {
			hc_report(
			    r, c->vnode->start, HC_WARNING,
			    "service \"%s\": %s is a plaintext secret and %s%s is set as well; "
			    "remove one of them",
			    c->svc, c->var, c->var, c->fs->suffix);
			hc_side_mask(r, c->vnode->start, c->vnode->end);
			free(c->cstr);
			free(c->secret);
			return;
		}
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

/* A secret a service reads through an alias (`KEY: *pw`): said, not moved. */
static void alias_secret(struct state *st, const char *svc, const char *var, struct hc_node *alias,
                         struct hc_node *target)
{
	hc_report(st->r, alias->start, HC_WARNING,
	          "service \"%s\": %s is a plaintext secret given through the alias *%s; move it "
	          "by hand",
	          svc, var, alias->text);
	hc_side_mask(st->r, target->start, target->end);
	st->r->changes++;
}

/* Secrets a service gets from an anchor (`environment: *env`, `<<: *env`):
 * said and masked, not moved (the anchor may serve other services). */
static void inherited(struct state *st, const char *svc, struct hc_node *n, int depth)
{
	struct hc_node *m = hc_deref(n);
	if (!m || depth > 16)
		return;
	if (m->type == HC_SEQ && n->type != HC_ALIAS) {
		for (size_t i = 0; i < m->nkids; i++)
			inherited(st, svc, m->kids[i], depth + 1);
		return;
	}
	if (m->type == HC_SEQ) {
		for (size_t i = 0; i < m->nkids; i++) {
			struct hc_node *it = hc_deref(m->kids[i]);
			const char *eq =
			    it && it->type == HC_SCALAR ? memchr(it->text, '=', it->len) : NULL;
			if (!eq)
				continue;
			char *var = hc_xstrndup(it->text, (size_t)(eq - it->text));
			if (hc_is_plaintext_secret(&st->o->words, var, eq + 1,
			                           it->len - (size_t)(eq - it->text) - 1) &&
			    !excepted(st->o, svc, var)) {
				hc_report(st->r, it->start, HC_WARNING,
				          "service \"%s\": %s is a plaintext secret it gets from "
				          "an anchor; "
				          "move it by hand",
				          svc, var);
				hc_side_mask(st->r, it->start, it->end);
				st->r->changes++;
			}
			free(var);
		}
		return;
	}
	if (m->type != HC_MAP)
		return;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct hc_node *k = m->kids[i], *v = m->kids[i + 1];
		if (k->type != HC_SCALAR)
			continue;
		if (!strcmp(k->text, "<<")) {
			inherited(st, svc, v, depth + 1);
			continue;
		}
		struct hc_node *t = hc_deref(v);
		if (t && t->type == HC_SCALAR && !hc_is_null(t) &&
		    hc_is_plaintext_secret(&st->o->words, k->text, t->text, t->len) &&
		    !excepted(st->o, svc, k->text)) {
			hc_report(
			    st->r, t->start, HC_WARNING,
			    "service \"%s\": %s is a plaintext secret it gets from an anchor; "
			    "move it by hand",
			    svc, k->text);
			hc_side_mask(st->r, t->start, t->end);
			st->r->changes++;
		}
	}
}

static void collect_service(struct state *st, const char *svc, struct hc_node *skey,
                            struct hc_node *svalue)
{
	struct hc_service s = {.name = svc, .key = skey, .value = svalue};
	struct hc_node *envkey = NULL;
	struct hc_node *env = hc_own_value(&s, "environment", &envkey);
	if (!env) {
		/* environment: *env, or through a merge of the service */
		struct hc_node *ie = hc_map_lookup(svalue, "environment", NULL);
		if (ie)
			inherited(st, svc, ie, 0);
		return;
	}
	if (hc_is_null(env) || (env->type != HC_MAP && env->type != HC_SEQ) || env->bare)
		return;
	struct hc_node *img = hc_deref(hc_map_lookup(svalue, "image", NULL));
	const char *image = img && img->type == HC_SCALAR && img->len ? img->text : NULL;
	const struct hc_file_secrets *fs =
	    image ? hc_file_secrets(st->r->classes, image, img->len) : NULL;
	struct cand base = {.svc = svc,
	                    .skey = skey,
	                    .svalue = svalue,
	                    .env = env,
	                    .envkey = envkey,
	                    .fs = fs,
	                    .image = image,
	                    .image_len = image ? img->len : 0};
	if (env->type == HC_MAP) {
		for (size_t i = 0; i + 1 < env->nkids; i += 2) {
			struct hc_node *k = env->kids[i], *v = env->kids[i + 1];
			if (k->type == HC_SCALAR && v->type == HC_ALIAS && !strcmp(k->text, "<<")) {
				inherited(st, svc, v, 0);
				continue;
			}
			if (k->type == HC_SCALAR && v->type == HC_ALIAS) {
				struct hc_node *t = hc_deref(v);
				if (t && t->type == HC_SCALAR &&
				    hc_is_plaintext_secret(&st->o->words, k->text, t->text,
				                           t->len) &&
				    !excepted(st->o, svc, k->text))
					alias_secret(st, svc, k->text, v, t);
				continue;
			}
			if (k->type != HC_SCALAR || v->type != HC_SCALAR || hc_is_null(v) ||
			    !strcmp(k->text, "<<"))
				continue;
			struct cand c = base;
			c.list = false;
			c.idx = i / 2;
			c.knode = k;
			c.vnode = v;
			c.var = (char *)k->text;
			c.prefix = NULL;
			consider(st, &c, v->text, v->len, env);
		}
	} else {
		for (size_t i = 0; i < env->nkids; i++) {
			struct hc_node *it = env->kids[i];
			if (it->type == HC_ALIAS) {
				struct hc_node *t = hc_deref(it);
				const char *eq =
				    t && t->type == HC_SCALAR ? memchr(t->text, '=', t->len) : NULL;
				if (eq) {
					char *var = hc_xstrndup(t->text, (size_t)(eq - t->text));
					if (hc_is_plaintext_secret(&st->o->words, var, eq + 1,
					                           t->len - (size_t)(eq - t->text) -
					                               1) &&
					    !excepted(st->o, svc, var))
						alias_secret(st, svc, var, it, t);
					free(var);
				}
				continue;
			}
			if (it->type != HC_SCALAR)
				continue;
			const char *eq = memchr(it->text, '=', it->len);
			if (!eq)
				continue;
			size_t kl = (size_t)(eq - it->text);
			char *var = hc_xstrndup(it->text, kl);
			char *prefix = hc_xstrndup(it->text, kl + 1);
			struct cand c = base;
			c.list = true;
			c.idx = i;
			c.knode = NULL;
			c.vnode = it;
			c.var = var;
			c.prefix = prefix;
			consider(st, &c, eq + 1, it->len - kl - 1, env);
			free(var);
			free(prefix);
		}
	}
}

/* ---- naming -------------------------------------------------------------- */

/* Where the top-level stanza `name` points, when it is `file: X`. */
static const char *stanza_file(const struct state *st, const char *name, bool *present)
{
	*present = false;
	struct hc_node *m = hc_deref(st->tsec);
	if (!m || m->type != HC_MAP)
		return NULL;
	size_t k = strmap_get(&st->stanza, name);
	if (k == (size_t)-1)
		return NULL;
	struct hc_node *e = m->kids[k + 1];
	*present = true;
	struct hc_node *f = hc_deref(hc_map_get(hc_deref(e), "file", NULL));
	return f && f->type == HC_SCALAR ? f->text : NULL;
}

static void file_path(struct hc_buf *b, const struct secrets_opts *o, const char *name)
{
	if (o->dir[0] != '/' && strncmp(o->dir, "./", 2) && strncmp(o->dir, "../", 3))
		hc_buf_adds(b, "./");
	hc_buf_adds(b, o->dir);
	if (o->dir[0] && o->dir[strlen(o->dir) - 1] != '/')
		hc_buf_addc(b, '/');
	hc_buf_adds(b, name);
}

static bool name_free(const struct state *st, size_t gi, const char *name)
{
	const struct group *g = &st->g[gi];
	if (strmap_get(&st->taken, name) != (size_t)-1)
		return false;
	if (g->file) {
		bool present;
		const char *f = stanza_file(st, name, &present);
		if (present) {
			struct hc_buf want = HC_BUF_INIT;
			file_path(&want, st->o, name);
			bool same = f && (!strcmp(f, want.data) || !strcmp(f, want.data + 2));
			hc_buf_release(&want);
			if (!same)
				return false;
		}
	}
	if (g->file && st->r->ctx->secret_file && st->r->ctx->folder &&
	    st->r->ctx->secret_file(st->r->ctx->folder, st->o->dir, name, g->secret,
	                            strlen(g->secret)) == 0)
		return false; /* a secret file of another value (another compose file's) */
	if (g->env) {
		char *u = upper(name);
		int has = dotenv_has(st, u, g->secret);
		free(u);
		if (has == 0)
			return false;
	}
	return true;
}

static void name_groups(struct state *st)
{
	struct strmap bysecret = {0};
	size_t capg = 0;
	for (size_t i = 0; i < st->nc; i++) {
		struct cand *c = &st->c[i];
		size_t gi = strmap_get(&bysecret, c->secret);
		if (gi == (size_t)-1) {
			gi = st->ng;
			if (st->ng == capg) {
				capg = capg ? capg * 2 : 16;
				st->g = hc_xrealloc(st->g, capg * sizeof(*st->g));
			}
			st->g[st->ng++] = (struct group){.secret = c->secret, .first = i};
			strmap_put(&bysecret, c->secret, gi);
		}
		c->group = gi;
		if (c->route == R_FILE)
			st->g[gi].file = true;
		else
			st->g[gi].env = true;
	}
	strmap_release(&bysecret);
	for (size_t gi = 0; gi < st->ng; gi++) {
		const struct cand *first = &st->c[st->g[gi].first];
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_adds(&b, first->var);
		if (first->url && first->route == R_ENV) {
			/* DATABASE_URL -> database_password */
			static const char *const sufs[] = {"_URL", "_URI", "_DSN", "_url",
			                                   "_uri", "_dsn", NULL};
			for (size_t k = 0; sufs[k]; k++)
				if (ends_with(b.data, sufs[k])) {
					b.len -= 4;
					b.data[b.len] = '\0';
					break;
				}
			hc_buf_adds(&b, "_password");
		}
		char *base = sanitize(b.data);
		hc_buf_release(&b);
		char *name = hc_xstrdup(base);
		if (!name_free(st, gi, name)) {
			free(name);
			char *svc = sanitize(first->svc);
			struct hc_buf t = HC_BUF_INIT;
			hc_buf_addf(&t, "%s_%s", svc, base);
			free(svc);
			name = hc_buf_detach(&t, &(size_t){0});
			for (int k = 2; !name_free(st, gi, name); k++) {
				free(name);
				struct hc_buf u = HC_BUF_INIT;
				hc_buf_addf(&u, "%s_%d", base, k);
				name = hc_buf_detach(&u, &(size_t){0});
			}
		}
		free(base);
		st->g[gi].name = name;
		strmap_put(&st->taken, name, gi);
	}
}

/* ---- rewriting --------------------------------------------------------- */

static bool plain_ok(const char *s, bool flow)
{
	if (hc_needs_quotes(s))
		return false;
	if (flow && strpbrk(s, ",[]{}"))
		return false;
	return true;
}

/* s written as a scalar in the style of node n. */
static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return true;
	return false;
}

/* s written as a scalar in the style of node n; a line break or another
 * control character is written escaped in double quotes (a single-quoted
 * or plain line break would read back as a space). */
static void render_like(struct hc_buf *b, const struct hc_node *n, const char *s, bool flow)
{
	bool ctl = has_control(s);
	if (n->style == HC_SINGLE && !ctl) {
		hc_buf_addc(b, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				hc_buf_addc(b, '\'');
			hc_buf_addc(b, *p);
		}
		hc_buf_addc(b, '\'');
		return;
	}
	if (n->style == HC_PLAIN && !ctl && plain_ok(s, flow)) {
		hc_buf_adds(b, s);
		return;
	}
	hc_buf_addc(b, '"');
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n')
			hc_buf_adds(b, "\\n");
		else if (c == '\r')
			hc_buf_adds(b, "\\r");
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			hc_buf_addf(b, "\\x%02X", c);
		else {
			if (c == '"' || c == '\\')
				hc_buf_addc(b, '\\');
			hc_buf_addc(b, *p);
		}
	}
	hc_buf_addc(b, '"');
}

static void replace_node(struct hc_run *r, const struct hc_node *n, const char *s, bool flow)
{
	struct hc_buf b = HC_BUF_INIT;
	if (n->tag) { /* !!str stays, as written */
		const char *t = r->doc->text + n->start, *e = t;
		while (e < r->doc->text + n->end && *e != ' ' && *e != '\t' && *e != '\n')
			e++;
		hc_buf_add(&b, t, (size_t)(e - t));
		hc_buf_addc(&b, ' ');
	}
	render_like(&b, n, s, flow);
	hc_edits_add(&r->edits, n->start, n->end, b.data, b.len);
	hc_buf_release(&b);
}

/* Deletes a block sequence item that has its line to itself. */
static int delete_item(struct hc_run *r, const struct hc_node *seq, const struct hc_node *it)
{
	const struct hc_doc *d = r->doc;
	if (seq->flow)
		return -1;
	size_t ls = hc_line_start(d->text, it->start), p = ls;
	while (p < it->start && d->text[p] == ' ')
		p++;
	if (p >= it->start || d->text[p] != '-')
		return -1;
	for (p++; p < it->start; p++)
		if (d->text[p] != ' ')
			return -1;
	size_t e = it->end;
	while (e < d->len && d->text[e] != '\n')
		e++;
	if (e >= d->len)
		return -1;
	for (size_t q = it->end; q < e; q++)
		if (d->text[q] == '#')
			break;
		else if (d->text[q] != ' ' && d->text[q] != '\r')
			return -1;
	hc_edits_add(&r->edits, ls, e + 1, "", 0);
	return 0;
}

static void path_seg(struct hc_buf *b, const char *seg)
{
	hc_buf_addc(b, '/');
	for (const char *p = seg; *p; p++) {
		if (*p == '~')
			hc_buf_adds(b, "~0");
		else if (*p == '/')
			hc_buf_adds(b, "~1");
		else
			hc_buf_addc(b, *p);
	}
}

static void declare(struct hc_run *r, const char *svc, const char *key, enum hc_change kind)
{
	struct hc_buf p = HC_BUF_INIT;
	hc_buf_adds(&p, "/services");
	path_seg(&p, svc);
	path_seg(&p, key);
	hc_declare(r, p.data, kind);
	hc_buf_release(&p);
}

/* Does the service's `secrets:` already list `name`? */
static bool lists_secret(struct hc_node *list, const char *name)
{
	list = hc_deref(list);
	if (!list || list->type != HC_SEQ)
		return false;
	for (size_t i = 0; i < list->nkids; i++) {
		struct hc_node *it = hc_deref(list->kids[i]);
		if (hc_scalar_is(it, name))
			return true;
		if (it && it->type == HC_MAP &&
		    hc_scalar_is(hc_deref(hc_map_get(it, "source", NULL)), name))
			return true;
	}
	return false;
}

/* Adds the secrets the service now reads to its `secrets:` list. */
static int add_service_secrets(struct state *st, size_t first, size_t end)
{
	struct hc_run *r = st->r;
	const struct cand *c0 = &st->c[first];
	struct hc_node *list = hc_map_lookup(c0->svalue, "secrets", NULL);
	bool explicit = false;
	hc_map_lookup(c0->svalue, "secrets", &explicit);
	struct hc_val *items = hc_val_seq();
	size_t n = 0;
	for (size_t i = first; i < end; i++) {
		const struct cand *c = &st->c[i];
		if (c->route != R_FILE || c->failed || c->svalue != c0->svalue)
			continue;
		const char *name = st->g[c->group].name;
		bool dup = lists_secret(list, name);
		for (size_t k = 0; k < items->n && !dup; k++)
			dup = items->kids[k]->type == HC_VAL_SCALAR
			          ? !strcmp(items->kids[k]->text, name)
			          : !strcmp(items->kids[k]->kids[0]->text, name);
		if (dup)
			continue;
		if (c->fs->form == HC_FORM_FILE) {
			struct hc_val *m = hc_val_map();
			hc_val_put(m, "source", hc_val_str(name));
			hc_val_put(m, "target", hc_val_str(c->var));
			hc_val_push(items, m);
		} else {
			hc_val_push(items, hc_val_str(name));
		}
		n++;
	}
	int rc = 0;
	if (!n) {
		hc_val_free(items);
		return 0;
	}
	if (explicit) {
		struct hc_node *owner = NULL;
		hc_map_get(c0->svalue, "secrets", &owner);
		for (size_t k = 0; k < items->n && rc == 0; k++)
			rc = hc_seq_append(r, owner, hc_deref(list), items->kids[k]);
	} else if (list) {
		rc = -1; /* inherited through a merge: left to the user */
	} else {
		rc = hc_add_pair(r, c0->skey, c0->svalue, "secrets", items);
	}
	hc_val_free(items);
	if (rc == 0)
		declare(r, c0->svc, "secrets", HC_CHANGE_EXTEND);
	return rc;
}

/* Do volumes, networks or configs come before services at the top level? */
static bool resources_first(const struct hc_node *root, const struct hc_node *skey)
{
	for (size_t i = 0; i + 1 < root->nkids && root->kids[i] != skey; i += 2)
		if (hc_scalar_is(root->kids[i], "volumes") ||
		    hc_scalar_is(root->kids[i], "networks") ||
		    hc_scalar_is(root->kids[i], "configs"))
			return true;
	return false;
}

/* The top-level stanza for every file secret it lacks. */
static int add_stanza(struct state *st)
{
	struct hc_run *r = st->r;
	struct hc_val *m = hc_val_map();
	for (size_t gi = 0; gi < st->ng; gi++) {
		const struct group *g = &st->g[gi];
		bool present;
		stanza_file(st, g->name, &present);
		if (!g->file || present)
			continue;
		struct hc_buf p = HC_BUF_INIT;
		file_path(&p, st->o, g->name);
		struct hc_val *e = hc_val_map();
		hc_val_put(e, "file", hc_val_str(p.data));
		hc_val_put(m, g->name, e);
		hc_buf_release(&p);
	}
	int rc = 0;
	if (!m->n) {
		hc_val_free(m);
		return 0;
	}
	struct hc_node *skey = NULL;
	hc_map_get(st->root, "services", &skey);
	if (st->tseckey) {
		for (size_t k = 0; k < m->n && rc == 0; k++)
			rc = hc_add_pair(r, st->tseckey, st->tsec, m->keys[k], m->kids[k]);
	} else if (skey && resources_first(st->root, skey) && !st->root->flow) {
		/* the file keeps volumes and networks above services: so secrets */
		const struct hc_doc *d = r->doc;
		size_t at = hc_before_services(d, skey);
		struct hc_buf b = HC_BUF_INIT;
		hc_buf_adds(&b, "secrets:");
		hc_buf_adds(&b, d->style.eol);
		hc_render_children(&b, &d->style, m, hc_col(d->text, skey->start));
		if (at >= 2 && d->text[at - 1] == '\n' &&
		    (d->text[at - 2] == '\n' ||
		     (at >= 3 && d->text[at - 2] == '\r' && d->text[at - 3] == '\n')))
			hc_buf_adds(&b, d->style.eol);
		hc_edits_add_lines(&r->edits, at, b.data, b.len, 0);
		hc_buf_release(&b);
	} else {
		rc = hc_add_pair(r, NULL, st->root, "secrets", m);
	}
	hc_val_free(m);
	if (rc == 0)
		hc_declare(r, "/secrets", HC_CHANGE_EXTEND);
	return rc;
}

/* Proposes the edits of one candidate. 0, or -1 when its shape is not one
 * this transform edits. */
static int rewrite(struct state *st, const struct cand *c)
{
	struct hc_run *r = st->r;
	const char *name = st->g[c->group].name;
	bool flow = c->env->flow;
	struct hc_buf val = HC_BUF_INIT, var = HC_BUF_INIT;
	int rc = 0;
	if (c->route == R_FILE && c->fs->form == HC_FORM_FILE) {
		/* the variable goes; the file /run/secrets/VAR replaces it */
		size_t left = c->env->type == HC_MAP ? c->env->nkids / 2 : c->env->nkids;
		if (left <= 1)
			rc = -1;
		else if (c->list)
			rc = delete_item(r, c->env, c->vnode);
		else
			rc = hc_delete_pair(r, c->env, c->idx);
		return rc;
	}
	if (c->route == R_FILE) {
		hc_buf_adds(&var, c->var);
		hc_buf_adds(&var, c->fs->suffix);
		if (c->fs->form == HC_FORM_PATH)
			hc_buf_adds(&val, "/run/secrets/");
		hc_buf_adds(&val, name);
	} else {
		hc_buf_adds(&var, c->var);
		char *u = upper(name);
		hc_buf_add(&val, c->cstr, c->ss);
		hc_buf_addf(&val, "${%s:?is not set}", u);
		hc_buf_adds(&val, c->cstr + c->se);
		free(u);
	}
	if (c->list) {
		struct hc_buf item = HC_BUF_INIT;
		hc_buf_adds(&item, c->route == R_FILE ? var.data : c->prefix);
		if (c->route == R_FILE)
			hc_buf_addc(&item, '=');
		hc_buf_adds(&item, val.data);
		replace_node(r, c->vnode, item.data, flow);
		hc_buf_release(&item);
	} else {
		if (c->route == R_FILE)
			replace_node(r, c->knode, var.data, flow);
		replace_node(r, c->vnode, val.data, flow);
	}
	hc_buf_release(&val);
	hc_buf_release(&var);
	return rc;
}

static void report(struct state *st, const struct cand *c, bool done)
{
	struct hc_run *r = st->r;
	const char *name = st->g[c->group].name;
	const char *what = c->url ? "holds a password in a URL" : "is a plaintext secret";
	const char *verb = done ? "moved" : "--write moves it";
	struct hc_buf where = HC_BUF_INIT;
	if (c->route == R_FILE) {
		file_path(&where, st->o, name);
		if (c->fs->form == HC_FORM_FILE)
			hc_report(r, c->vnode->start, HC_WARNING,
			          "service \"%s\": %s %s; %s to the secret file %s, mounted as "
			          "/run/secrets/%s",
			          c->svc, c->var, what, verb, where.data, c->var);
		else
			hc_report(r, c->vnode->start, HC_WARNING,
			          "service \"%s\": %s %s; %s to the secret file %s (%s%s)", c->svc,
			          c->var, what, verb, where.data, c->var, c->fs->suffix);
		if (c->fs->uid >= 0)
			hc_report(
			    r, c->vnode->start, HC_NOTE,
			    "service \"%s\": the image reads %s as uid %d: %s must be readable "
			    "by that uid (hardcompose -w run as root gives it to that uid; "
			    "otherwise: chown %d %s)",
			    c->svc, where.data, c->fs->uid, where.data, c->fs->uid, where.data);
	} else {
		char *u = upper(name);
		char img[120];
		if (c->image)
			snprintf(img, sizeof(img), "image '%.*s'",
			         (int)(c->image_len > 80 ? 80 : c->image_len), c->image);
		else
			snprintf(img, sizeof(img), "its image (built here)");
		if (c->fs && c->fs->form == HC_FORM_NONE)
			hc_report(
			    r, c->vnode->start, HC_WARNING,
			    "service \"%s\": %s %s and %s cannot take it from a file (%s); %s "
			    "to .env as ${%s}",
			    c->svc, c->var, what, img, c->fs->why ? c->fs->why : "no _FILE support",
			    verb, u);
		else
			hc_report(
			    r, c->vnode->start, HC_WARNING,
			    "service \"%s\": %s %s and %s is not known to read it from a file; %s "
			    "to .env as ${%s}",
			    c->svc, c->var, what, img, verb, u);
		free(u);
	}
	hc_buf_release(&where);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return (x > y) - (x < y);
}

struct scan {
	struct state *st;
	const struct hc_node **own; /* the candidates' nodes, sorted */
	size_t nown;
	struct strmap byval; /* secrets worth looking for -> their group */
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

static const struct group *scan_hit(const struct scan *sc, const struct hc_node *n)
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
	size_t g = strmap_get(&sc->byval, n->text);
	return g == (size_t)-1 ? NULL : &sc->st->g[g];
}

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
	const struct group *g = scan_hit(sc, n);
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
 * and with more than 64 values
 * only values equal to one are found (the substring search is quadratic). */
static void other_occurrences(struct state *st, struct hc_node *root)
{
	if (!st->nc)
		return;
	struct scan sc = {.st = st, .substr = st->ng <= 64};
	sc.own = hc_xcalloc(st->nc + 1, sizeof(*sc.own));
	for (size_t i = 0; i < st->nc; i++)
		sc.own[sc.nown++] = st->c[i].vnode;
	qsort(sc.own, sc.nown, sizeof(*sc.own), cmp_ptr);
	for (size_t g = 0; g < st->ng; g++)
		if (strlen(st->g[g].secret) >= 4) {
			strmap_put(&sc.byval, st->g[g].secret, g);
			sc.nvals++;
		}
	if (sc.nvals)
		scan_node(&sc, root, 0);
	free(sc.own);
	strmap_release(&sc.byval);
}

static void secrets_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	struct state st = {.r = r, .o = opts, .root = root};
	struct hc_node *services = hc_deref(hc_map_get(root, "services", NULL));
	if (!services || services->type != HC_MAP)
		return;
	st.tsec = hc_map_get(root, "secrets", &st.tseckey);
	struct hc_node *tm = hc_deref(st.tsec);
	for (size_t i = 0; tm && tm->type == HC_MAP && i + 1 < tm->nkids; i += 2)
		if (tm->kids[i]->type == HC_SCALAR &&
		    strmap_get(&st.stanza, tm->kids[i]->text) == (size_t)-1)
			strmap_put(&st.stanza, tm->kids[i]->text, i);
	if (r->ctx->dotenv)
		parse_dotenv(&st, r->ctx->dotenv, r->ctx->dotenv_len);
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *k = services->kids[i], *v = services->kids[i + 1];
		if (v->type == HC_ALIAS || v->type != HC_MAP || hc_run_skips(r, k->text, k))
			continue;
		collect_service(&st, k->text, k, v);
	}
	name_groups(&st);
	other_occurrences(&st, root);
	bool write = r->ctx->side_effects;
	size_t mark0 = r->edits.n, files0 = r->side->nfiles, env0 = r->side->nenv;
	bool stanza_ok = true;
	if (write && st.tsec && !(hc_deref(st.tsec)->type == HC_MAP || hc_is_null(st.tsec)))
		stanza_ok = false;
	if (write && stanza_ok) {
		/* can the stanza be written at all? (a dry run, taken back) */
		size_t n0 = r->edits.n;
		stanza_ok = add_stanza(&st) == 0;
		while (r->edits.n > n0) {
			r->edits.n--;
			free(r->edits.v[r->edits.n].text);
		}
	}
	/* without a stanza, values that would go to secret files stay where
	 * they are (said so); values that go to .env still move */
	for (size_t k = 0; write && !stanza_ok && k < st.nc; k++) {
		if (st.c[k].route != R_FILE)
			continue;
		st.c[k].failed = true;
		hc_report(
		    r, st.c[k].vnode->start, HC_WARNING,
		    "service \"%s\": %s is a plaintext secret, but the top-level secrets: has "
		    "a shape hardcompose does not extend; move it by hand",
		    st.c[k].svc, st.c[k].var);
		hc_side_mask(r, st.c[k].vnode->start, st.c[k].vnode->end);
		r->changes++;
	}
	/* one service at a time: rewrite its entries, then list its secrets */
	for (size_t i = 0; i < st.nc;) {
		size_t j = i;
		while (j < st.nc && st.c[j].svalue == st.c[i].svalue)
			j++;
		size_t mark = r->edits.n;
		int rc = 0;
		bool any_file = false;
		for (size_t k = i; k < j && rc == 0 && write; k++) {
			if (st.c[k].failed)
				continue;
			rc = rewrite(&st, &st.c[k]);
			any_file |= st.c[k].route == R_FILE;
		}
		if (write && rc == 0 && any_file)
			rc = add_service_secrets(&st, i, j);
		if (rc < 0) {
			/* leave the whole service as it was */
			while (r->edits.n > mark) {
				r->edits.n--;
				free(r->edits.v[r->edits.n].text);
			}
			hc_report(
			    r, st.c[i].vnode->start, HC_WARNING,
			    "service \"%s\": plaintext secrets in a shape hardcompose does not "
			    "rewrite; move them by hand",
			    st.c[i].svc);
			for (size_t k = i; k < j; k++) {
				hc_side_mask(r, st.c[k].vnode->start, st.c[k].vnode->end);
				st.c[k].failed = true;
			}
			r->changes++;
			i = j;
			continue;
		}
		for (size_t k = i; k < j; k++) {
			const struct cand *c = &st.c[k];
			if (c->failed)
				continue;
			report(&st, c, write);
			hc_side_mask(r, c->vnode->start, c->vnode->end);
			r->changes++;
			if (!write)
				continue;
			declare(r, c->svc, "environment", HC_CHANGE_ANY);
			const struct group *g = &st.g[c->group];
			if (c->route == R_FILE) {
				hc_side_file(r, g->name, g->secret, strlen(g->secret), c->fs->uid);
			} else {
				char *u = upper(g->name);
				if (dotenv_has(&st, u, g->secret) != 1)
					hc_side_env(r, u, g->secret);
				free(u);
			}
		}
		i = j;
	}
	if (write) {
		/* groups whose every user failed need no stanza */
		for (size_t gi = 0; gi < st.ng; gi++)
			st.g[gi].file = false;
		for (size_t k = 0; k < st.nc; k++)
			if (st.c[k].route == R_FILE && !st.c[k].failed)
				st.g[st.c[k].group].file = true;
		if (add_stanza(&st) < 0) {
			/* services would name secrets nobody defines: take it all back */
			while (r->edits.n > mark0) {
				r->edits.n--;
				free(r->edits.v[r->edits.n].text);
			}
			for (size_t i = files0; i < r->side->nfiles; i++) {
				free(r->side->files[i].name);
				free(r->side->files[i].value);
			}
			r->side->nfiles = files0;
			for (size_t i = env0; i < r->side->nenv; i++) {
				free(r->side->env[i].name);
				free(r->side->env[i].value);
			}
			r->side->nenv = env0;
			hc_report(r, root->start, HC_WARNING,
			          "the top-level secrets: has a shape hardcompose does not extend; "
			          "plaintext secrets left in place");
		}
	}
	if (write && !r->side->dir)
		r->side->dir = hc_xstrdup(st.o->dir);
	for (size_t i = 0; i < st.nc; i++) {
		free(st.c[i].var);
		free(st.c[i].prefix);
		free(st.c[i].cstr);
		free(st.c[i].secret);
	}
	free(st.c);
	for (size_t i = 0; i < st.ng; i++)
		free(st.g[i].name);
	free(st.g);
	hc_strlist_release(&st.envnames);
	hc_strlist_release(&st.envvals);
	hc_strlist_release(&st.envexp);
	strmap_release(&st.envidx);
	strmap_release(&st.stanza);
	strmap_release(&st.taken);
}

const char *hc_secrets_opts_dir(const void *opts)
{
	return ((const struct secrets_opts *)opts)->dir;
}

const struct hc_secret_words *hc_secrets_opts_words(const void *opts)
{
	return &((const struct secrets_opts *)opts)->words;
}

const struct hc_transform hc_t_secrets = {
    .id = "secrets",
    .summary = "move plaintext secrets in environment: to secret files (*_FILE) or to .env",
    .options = secrets_options,
    .nopts = sizeof(secrets_options) / sizeof(secrets_options[0]),
    .opts_size = sizeof(struct secrets_opts),
    .document = secrets_document,
    .batch = true,
    .in_base_too = true, /* plaintext secrets of an override file are its own */
};

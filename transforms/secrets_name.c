/*
 * secrets_name.c: the names of the secrets this transform moves.
 *
 * One variable, one value, one name: candidates of the same variable name
 * holding the same value (in several services) form a group, named after
 * the variable, lowercased (a password in a
 * URL moving to .env: DATABASE_URL -> database_password). A name is free
 * when no other group has it, the top-level stanza does not define it for
 * another file, no secret file of that name holds another value, and .env
 * does not set it (upper case) to another value. A name that is not free
 * gets the service's name in front, then a number.
 */
#include "transforms/secrets_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

char *secrets_upper(const char *s)
{
	char *u = hc_xstrdup(s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* ---- naming -------------------------------------------------------------- */

const char *secrets_stanza_file(const struct secrets_state *st, const char *name, bool *present)
{
	*present = false;
	struct hc_node *m = hc_deref(st->tsec);
	if (!m || m->type != HC_MAP)
		return NULL;
	size_t k = hc_strmap_get(&st->stanza, name);
	if (k == HC_STRMAP_NONE)
		return NULL;
	struct hc_node *e = m->kids[k + 1];
	*present = true;
	struct hc_node *f = hc_deref(hc_map_get(hc_deref(e), "file", NULL));
	return f && f->type == HC_SCALAR ? f->text : NULL;
}

void secrets_file_path(struct hc_buf *b, const struct secrets_opts *o, const char *name)
{
	if (o->dir[0] != '/' && strncmp(o->dir, "./", 2) && strncmp(o->dir, "../", 3))
		hc_buf_adds(b, "./");
	hc_buf_adds(b, o->dir);
	if (o->dir[0] && o->dir[strlen(o->dir) - 1] != '/')
		hc_buf_addc(b, '/');
	hc_buf_adds(b, name);
}

/* Can group gi take `name`? */
static bool name_free(const struct secrets_state *st, size_t gi, const char *name)
{
	const struct secret_group *g = &st->g[gi];
	if (hc_strmap_get(&st->taken, name) != HC_STRMAP_NONE)
		return false;
	if (g->file) {
		bool present;
		const char *f = secrets_stanza_file(st, name, &present);
		if (present) {
			struct hc_buf want = HC_BUF_INIT;
			secrets_file_path(&want, st->o, name);
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
		char *u = secrets_upper(name);
		int has = secrets_dotenv_has(st, u, g->secret);
		free(u);
		if (has == 0)
			return false;
	}
	return true;
}

/* The name a group would like: its first candidate's variable, sanitized
 * (free it). */
static char *base_name(const struct secret_cand *first)
{
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
	return base;
}

/* Groups the candidates by name and value: st->g, and each candidate's
 * group. One secret is one variable name (as base_name() makes it) holding
 * one value, in every service that sets it; two variables that happen to
 * hold the same value are two secrets (an access key id is not the secret
 * key, a user is not a password). */
static void group_by_name_value(struct secrets_state *st)
{
	struct hc_strmap bykey = {0};
	char **keys = hc_xcalloc(st->nc + 1, sizeof(*keys)); /* the map's keys */
	size_t capg = 0;
	for (size_t i = 0; i < st->nc; i++) {
		struct secret_cand *c = &st->c[i];
		struct hc_buf key = HC_BUF_INIT;
		char *bn = base_name(c);
		hc_buf_adds(&key, bn);
		hc_buf_addc(&key, '=');
		hc_buf_adds(&key, c->secret);
		free(bn);
		size_t gi = hc_strmap_get(&bykey, key.data);
		if (gi == HC_STRMAP_NONE) {
			gi = st->ng;
			if (st->ng == capg) {
				capg = capg ? capg * 2 : 16;
				st->g = hc_xrealloc(st->g, capg * sizeof(*st->g));
			}
			st->g[st->ng++] = (struct secret_group){.secret = c->secret, .first = i};
			keys[i] = hc_buf_detach(&key, &(size_t){0});
			hc_strmap_put(&bykey, keys[i], gi);
		}
		hc_buf_release(&key);
		c->group = gi;
		if (c->route == R_FILE)
			st->g[gi].file = true;
		else
			st->g[gi].env = true;
	}
	hc_strmap_release(&bykey);
	for (size_t i = 0; i < st->nc; i++)
		free(keys[i]);
	free(keys);
}

void secrets_name_groups(struct secrets_state *st)
{
	group_by_name_value(st);
	for (size_t gi = 0; gi < st->ng; gi++) {
		const struct secret_cand *first = &st->c[st->g[gi].first];
		char *base = base_name(first);
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
		hc_strmap_put(&st->taken, name, gi);
	}
}

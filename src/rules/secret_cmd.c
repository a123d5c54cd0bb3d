/*
 * secret_cmd.c: plaintext secrets on command lines and in build.args, and
 * the environment walk of the plaintext-secret rule. See secret_cmd.h.
 */
#include "rules/secret_cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the environment, merges followed ------------------------------------ */

struct env_walk {
	const struct hc_secret_words *w;
	hc_secret_found found;
	void *ctx;
	struct hc_strlist seen;     /* variables already set (explicit keys win) */
	const struct hc_node **vis; /* collections walked already (merges of merges
	                             * stay linear) */
	size_t nvis, capvis;
};

/* Has the walk been through m already? Notes it otherwise. */
static bool visited(struct env_walk *ew, const struct hc_node *m)
{
	for (size_t i = 0; i < ew->nvis; i++)
		if (ew->vis[i] == m)
			return true;
	if (ew->nvis == ew->capvis) {
		ew->capvis = ew->capvis ? ew->capvis * 2 : 16;
		ew->vis = hc_xrealloc(ew->vis, ew->capvis * sizeof(*ew->vis));
	}
	ew->vis[ew->nvis++] = m;
	return false;
}

static void walk_env(struct env_walk *ew, struct hc_node *n, int depth)
{
	struct hc_node *m = hc_deref(n);
	if (!m || depth > 16 || visited(ew, m))
		return;
	if (m->type == HC_SEQ) {
		for (size_t i = 0; i < m->nkids; i++) {
			size_t nlen, vlen;
			const char *val;
			if (!hc_env_item(m->kids[i], &nlen, &val, &vlen))
				continue;
			char *var = hc_xstrndup(hc_deref(m->kids[i])->text, nlen);
			if (!hc_strlist_has(&ew->seen, var) &&
			    hc_is_plaintext_secret(ew->w, var, val, vlen))
				ew->found(ew->ctx, m->kids[i], var);
			hc_strlist_push(&ew->seen, var, nlen);
			free(var);
		}
		return;
	}
	if (m->type != HC_MAP)
		return;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct hc_node *k = m->kids[i], *v = hc_deref(m->kids[i + 1]);
		if (k->type != HC_SCALAR || !strcmp(k->text, "<<") ||
		    hc_strlist_has(&ew->seen, k->text))
			continue;
		if (v && v->type == HC_SCALAR && !hc_is_null(v) &&
		    hc_is_plaintext_secret(ew->w, k->text, v->text, v->len))
			ew->found(ew->ctx, m->kids[i + 1], k->text);
		hc_strlist_push(&ew->seen, k->text, strlen(k->text));
	}
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		if (!hc_scalar_is(m->kids[i], "<<"))
			continue;
		struct hc_node *src = hc_deref(m->kids[i + 1]);
		if (src && src->type == HC_SEQ && m->kids[i + 1]->type != HC_ALIAS)
			for (size_t k = 0; k < src->nkids; k++)
				walk_env(ew, src->kids[k], depth + 1);
		else
			walk_env(ew, m->kids[i + 1], depth + 1);
	}
}

void hc_env_secrets(const struct hc_secret_words *w, struct hc_node *svc, hc_secret_found found,
                    void *ctx)
{
	struct env_walk ew = {.w = w, .found = found, .ctx = ctx};
	walk_env(&ew, hc_map_lookup(svc, "environment", NULL), 0);
	hc_strlist_release(&ew.seen);
	free(ew.vis);
}

/* ---- command lines ---------------------------------------------------------- */

/* Could v be a password written on a command line: a literal (no $: a
 * shell or Compose variable, no $( ) or backquote) that can be a secret? */
static bool cmd_value(const char *v)
{
	size_t n = strlen(v);
	return n >= 3 && !strpbrk(v, "$`") && v[0] != '-' && hc_secret_value_ok(v, n);
}

/* Is one of the words a program whose name starts with one of progs? */
static bool has_prog(const char *const *argv, size_t argc, const char *const *progs)
{
	for (size_t i = 0; i < argc; i++) {
		const char *b = strrchr(argv[i], '/');
		b = b ? b + 1 : argv[i];
		for (size_t k = 0; progs[k]; k++)
			if (!strncmp(b, progs[k], strlen(progs[k])))
				return true;
	}
	return false;
}

/* --name=VALUE or --name VALUE, name a secret's (--password, --requirepass,
 * --db-password, --masterauth). */
static bool long_option(const struct hc_secret_words *w, const char *const *argv, size_t argc,
                        size_t i, char *what, size_t wsz)
{
	const char *a = argv[i];
	if (strncmp(a, "--", 2) || !a[2])
		return false;
	const char *eq = strchr(a, '=');
	size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
	char name[64];
	if (nl >= sizeof(name))
		return false;
	memcpy(name, a + 2, nl);
	name[nl] = '\0';
	bool secret = !strcasecmp(name, "requirepass") || !strcasecmp(name, "masterauth") ||
	              hc_is_secret_name(w, name);
	const char *v = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : "";
	if (!secret || !cmd_value(v))
		return false;
	snprintf(what, wsz, "--%s", name);
	return true;
}

/* Short options of known clients: mysql -pVALUE, sqlcmd -P VALUE,
 * redis-cli -a VALUE, curl -u user:VALUE. */
static bool short_option(const char *const *argv, size_t argc, size_t i, char *what, size_t wsz)
{
	static const char *const mysql[] = {"mysql", "mariadb", NULL};
	static const char *const sqlcmd[] = {"sqlcmd", NULL};
	static const char *const redis[] = {"redis-cli", "valkey-cli", NULL};
	static const char *const curl[] = {"curl", "wget", NULL};
	const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : "";
	const char *v = NULL;
	if (!strncmp(a, "-p", 2) && a[2] && has_prog(argv, argc, mysql))
		v = a + 2;
	else if (!strcmp(a, "-P") && has_prog(argv, argc, sqlcmd))
		v = next;
	else if (!strcmp(a, "-a") && has_prog(argv, argc, redis))
		v = next;
	else if ((!strcmp(a, "-u") || !strcmp(a, "--user")) && strchr(next, ':') &&
	         has_prog(argv, argc, curl))
		v = strchr(next, ':') + 1;
	if (!v || !cmd_value(v))
		return false;
	snprintf(what, wsz, "%.*s", a[1] == 'p' ? 2 : (int)strlen(a), a);
	return true;
}

/* mc alias set NAME URL ACCESS SECRET, mc config host add NAME URL ACCESS SECRET. */
static bool minio_client(const char *const *argv, size_t argc, size_t i, char *what, size_t wsz)
{
	const char *b = strrchr(argv[i], '/');
	b = b ? b + 1 : argv[i];
	if (strcmp(b, "mc"))
		return false;
	size_t s = 0;
	if (i + 2 < argc && !strcmp(argv[i + 1], "alias") && !strcmp(argv[i + 2], "set"))
		s = i + 3;
	else if (i + 3 < argc && !strcmp(argv[i + 1], "config") && !strcmp(argv[i + 2], "host") &&
	         !strcmp(argv[i + 3], "add"))
		s = i + 4;
	if (!s || s + 3 >= argc || !cmd_value(argv[s + 3]))
		return false;
	snprintf(what, wsz, "mc %s", argv[i + 1]);
	return true;
}

bool hc_cmdline_secret(const struct hc_secret_words *w, const char *const *argv, size_t argc,
                       char *what, size_t wsz)
{
	for (size_t i = 0; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t n = strlen(a), ps, pe;
		if (long_option(w, argv, argc, i, what, wsz) ||
		    short_option(argv, argc, i, what, wsz) ||
		    minio_client(argv, argc, i, what, wsz))
			return true;
		const char *tok = strpbrk(a, "$`") ? NULL : hc_secret_token(a, n);
		if (tok) {
			snprintf(what, wsz, "%s", tok);
			return true;
		}
		if (w->urls && hc_url_password(a, n, &ps, &pe) && !memchr(a + ps, '$', pe - ps)) {
			snprintf(what, wsz, "a password in a URL");
			return true;
		}
		/* PGPASSWORD=value psql ... */
		if (eq && eq > a && a[0] != '-') {
			char var[64];
			size_t vl = (size_t)(eq - a);
			if (vl < sizeof(var)) {
				memcpy(var, a, vl);
				var[vl] = '\0';
				if (hc_is_secret_name(w, var) && cmd_value(eq + 1)) {
					snprintf(what, wsz, "%s=", var);
					return true;
				}
			}
		}
	}
	return false;
}

/* Splits s into words at blanks and ';', dropping quotes: a rough shell
 * split that also opens `sh -c "..."` scripts (a command line is only
 * read, never rewritten). */
static void split_words(const char *s, struct hc_strlist *out)
{
	struct hc_buf b = HC_BUF_INIT;
	for (const char *p = s;; p++) {
		if (*p && !isspace((unsigned char)*p) && *p != ';') {
			if (*p != '"' && *p != '\'')
				hc_buf_addc(&b, *p);
			continue;
		}
		if (b.len) {
			hc_strlist_push(out, b.data, b.len);
			b.len = 0;
		}
		if (!*p)
			break;
	}
	hc_buf_release(&b);
}

bool hc_cmdline_text_secret(const struct hc_secret_words *w, const char *text, char *what,
                            size_t wsz)
{
	struct hc_strlist words = {0};
	split_words(text, &words);
	bool hit =
	    words.n && hc_cmdline_secret(w, (const char *const *)words.v, words.n, what, wsz);
	hc_strlist_release(&words);
	return hit;
}

/* The words of a command (a string, or a list of strings). */
static void command_words(struct hc_node *n, struct hc_strlist *out)
{
	n = hc_deref(n);
	if (!n)
		return;
	if (n->type == HC_SCALAR && !hc_is_null(n)) {
		split_words(n->text, out);
	} else if (n->type == HC_SEQ) {
		for (size_t i = 0; i < n->nkids; i++) {
			struct hc_node *it = hc_deref(n->kids[i]);
			if (it && it->type == HC_SCALAR)
				split_words(it->text, out);
		}
	}
}

static void check_command(const struct hc_secret_words *w, struct hc_node *n, const char *key,
                          hc_secret_found found, void *ctx)
{
	struct hc_strlist words = {0};
	command_words(n, &words);
	char what[96], msg[160];
	if (words.n &&
	    hc_cmdline_secret(w, (const char *const *)words.v, words.n, what, sizeof(what))) {
		snprintf(msg, sizeof(msg), "%s (%s)", key, what);
		found(ctx, n, msg);
	}
	hc_strlist_release(&words);
}

void hc_cmd_secrets(const struct hc_secret_words *w, struct hc_node *svc, hc_secret_found found,
                    void *ctx)
{
	struct hc_node *c = hc_map_lookup(svc, "command", NULL);
	struct hc_node *e = hc_map_lookup(svc, "entrypoint", NULL);
	struct hc_node *hc = hc_deref(hc_map_lookup(svc, "healthcheck", NULL));
	struct hc_node *t = hc && hc->type == HC_MAP ? hc_map_lookup(hc, "test", NULL) : NULL;
	if (c)
		check_command(w, c, "command", found, ctx);
	if (e)
		check_command(w, e, "entrypoint", found, ctx);
	if (t)
		check_command(w, t, "healthcheck test", found, ctx);
}

/* ---- build.args ------------------------------------------------------------- */

void hc_build_arg_secrets(const struct hc_secret_words *w, struct hc_node *svc,
                          hc_secret_found found, void *ctx)
{
	struct hc_node *b = hc_deref(hc_map_lookup(svc, "build", NULL));
	struct hc_node *args =
	    b && b->type == HC_MAP ? hc_deref(hc_map_lookup(b, "args", NULL)) : NULL;
	if (!args)
		return;
	struct env_walk ew = {.w = w, .found = found, .ctx = ctx};
	walk_env(&ew, args, 0);
	hc_strlist_release(&ew.seen);
	free(ew.vis);
}

/*
 * secret_detect.c: the plaintext-secret test shared by the rule and the
 * secrets transform. See secret_detect.h.
 */
#include "rules/secret_detect.h"
#include "yaml/tree.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Upper-cased words of a variable name: split at non-alphanumerics and at a
 * lower-to-upper change (dbPassword -> DB PASSWORD). */
static void words(const char *s, struct hc_strlist *out)
{
	char w[128];
	size_t n = 0;
	for (const char *p = s;; p++) {
		bool alnum = *p && isalnum((unsigned char)*p);
		bool split =
		    !alnum || (n && islower((unsigned char)p[-1]) && isupper((unsigned char)*p));
		if (split && n) {
			hc_strlist_push(out, w, n);
			n = 0;
		}
		if (!*p)
			break;
		if (alnum && n < sizeof(w) - 1)
			w[n++] = (char)toupper((unsigned char)*p);
	}
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

bool hc_is_secret_name(const struct hc_secret_words *o, const char *var)
{
	struct hc_strlist kw = {0};
	words(var, &kw);
	bool hit = false;
	for (size_t i = 0; i < kw.n && !hit; i++)
		hit = hc_strlist_has(&o->ignore, kw.v[i]);
	if (hit) {
		hc_strlist_release(&kw);
		return false;
	}
	for (size_t p = 0; p < o->patterns.n && !hit; p++) {
		struct hc_strlist pw = {0};
		words(o->patterns.v[p], &pw);
		for (size_t i = 0; pw.n && i + pw.n <= kw.n && !hit; i++) {
			size_t k = 0;
			while (k < pw.n && !strcmp(kw.v[i + k], pw.v[k]))
				k++;
			hit = k == pw.n;
		}
		/* DBPASSWORD, ROOTPASSWORD: a long word at the end of a word */
		for (size_t i = 0; pw.n == 1 && strlen(pw.v[0]) >= 6 && i < kw.n && !hit; i++)
			hit = ends_with(kw.v[i], pw.v[0]);
		hc_strlist_release(&pw);
	}
	hc_strlist_release(&kw);
	return hit;
}

/* Does Compose interpolate anything in s? ($$ is a literal $.) */
static bool interpolates(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '$')
			continue;
		if (s[i + 1] == '$') {
			i++;
			continue;
		}
		if (s[i + 1] == '{' || s[i + 1] == '_' || isalpha((unsigned char)s[i + 1]))
			return true;
	}
	return false;
}

static bool boolish(const char *s)
{
	static const char *const w[] = {"true", "false", "yes", "no", "on", "off", "y", "n", NULL};
	for (size_t i = 0; w[i]; i++)
		if (!strcasecmp(s, w[i]))
			return true;
	return false;
}

bool hc_secret_literal(const char *s, size_t n)
{
	if (!n || interpolates(s, n) || !strncmp(s, "/run/secrets/", 13))
		return false;
	char tmp[8];
	if (n < sizeof(tmp)) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		if (boolish(tmp))
			return false;
	}
	return true;
}

bool hc_url_password(const char *s, size_t n, size_t *ps, size_t *pe)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
			sep = s + i + 3;
			break;
		}
	if (!sep)
		return false;
	const char *end = s + n, *auth_end = sep;
	while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
		auth_end++;
	const char *at = NULL;
	for (const char *p = sep; p < auth_end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return false;
	const char *colon = memchr(sep, ':', (size_t)(at - sep));
	if (!colon || colon + 1 >= at)
		return false;
	*ps = (size_t)(colon + 1 - s);
	*pe = (size_t)(at - s);
	return hc_secret_literal(s + *ps, *pe - *ps);
}

bool hc_is_plaintext_secret(const struct hc_secret_words *o, const char *var, const char *val,
                            size_t vlen)
{
	size_t ps, pe;
	if (hc_is_secret_name(o, var) && hc_secret_literal(val, vlen))
		return true;
	return o->urls && hc_url_password(val, vlen, &ps, &pe);
}

bool hc_env_item(const struct hc_node *it, size_t *nlen, const char **val, size_t *vlen)
{
	it = hc_deref((struct hc_node *)it);
	const char *eq = it && it->type == HC_SCALAR ? memchr(it->text, '=', it->len) : NULL;
	if (!eq)
		return false;
	*nlen = (size_t)(eq - it->text);
	*val = eq + 1;
	*vlen = it->len - *nlen - 1;
	return true;
}

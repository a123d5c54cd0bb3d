/*
 * secret_detect.c: the plaintext-secret test shared by the rule and the
 * secrets transform. See secret_detect.h.
 */
#include "rules/secret_detect.h"
#include "base/buf.h"
#include "yaml/tree.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The upper-cased words of a name: w[i] is a NUL-terminated word in buf,
 * each cut at 127 letters. On the stack for names of up to 255 bytes (all
 * real ones), on the heap for longer ones (wordv_release frees them). */
struct wordv {
	char sbuf[512];
	const char *sw[256];
	char *buf;
	const char **w;
	size_t n;
};

static void wordv_release(struct wordv *v)
{
	if (v->buf != v->sbuf) {
		free(v->buf);
		free(v->w);
	}
}

/* Upper-cased words of a variable name: split at non-alphanumerics and at a
 * lower-to-upper change (dbPassword -> DB PASSWORD). */
static void words(const char *s, struct wordv *out)
{
	size_t len = strlen(s), used = 0, n = 0;
	out->buf = out->sbuf, out->w = out->sw, out->n = 0;
	if (len > 255) { /* every byte a word at worst: len words, 2 len bytes */
		out->buf = hc_xmalloc(2 * len + 2);
		out->w = hc_xmalloc((len + 1) * sizeof(*out->w));
	}
	for (const char *p = s;; p++) {
		bool alnum = *p && isalnum((unsigned char)*p);
		bool split =
		    !alnum || (n && islower((unsigned char)p[-1]) && isupper((unsigned char)*p));
		if (split && n) {
			out->buf[used + n] = '\0';
			out->w[out->n++] = out->buf + used;
			used += n + 1;
			n = 0;
		}
		if (!*p)
			break;
		if (alnum && n < 127)
			out->buf[used + n++] = (char)toupper((unsigned char)*p);
	}
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

/* Words from `ignore` that make a name not a secret wherever they stand
 * (ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD); the other ignore
 * words (FILE, HOST, ID, ...) only when they come after the secret word:
 * PASSWORD_FILE and AWS_ACCESS_KEY_ID are not secrets, DB_HOST_PASSWORD is. */
static const char *const switch_words[] = {
    "ALLOW",    "RANDOM", "EMPTY", "ENABLE", "ENABLED",  "DISABLE", "DISABLED", "REQUIRE",
    "REQUIRED", "MIN",    "MAX",   "SKIP",   "GENERATE", "NO",      "USE",      NULL};

/* English words that end like a secret word (BYPASS, COMPASS, BASALT). */
static const char *const not_secret_words[] = {"BYPASS",    "COMPASS",   "SURPASS",
                                               "OVERPASS",  "UNDERPASS", "TRESPASS",
                                               "ENCOMPASS", "BASALT",    NULL};

static bool in_list(const char *const *l, const char *s)
{
	for (size_t i = 0; l[i]; i++)
		if (!strcmp(l[i], s))
			return true;
	return false;
}

/* Does word w hold pattern pw at its end (DBPASSWORD, PAPERLESS_DBPASS,
 * ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY)? pw's words are joined; four letters
 * or more. */
static bool word_ends_with(const char *w, const struct wordv *pw)
{
	char joined[128] = "";
	size_t n = 0;
	for (size_t i = 0; i < pw->n; i++) {
		size_t l = strlen(pw->w[i]);
		if (n + l >= sizeof(joined))
			return false;
		memcpy(joined + n, pw->w[i], l + 1);
		n += l;
	}
	return n >= 4 && ends_with(w, joined) && !in_list(not_secret_words, w);
}

/* Upper-cased letter or digit of c, or 0 for any other byte. */
static char letter(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
		return c;
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return (unsigned char)c >= 0x80 && isalnum((unsigned char)c)
	           ? (char)toupper((unsigned char)c)
	           : 0;
}

/* Are the letters of pattern pat (upper-cased, others skipped) in a row in
 * all (upper-cased letters)? True for a pattern of no letters or of more
 * than 127 (words() cuts words there: no shortcut then). */
static bool has_letters(const char *all, const char *pat)
{
	const char *p = pat;
	while (*p && !letter(*p))
		p++;
	if (!*p || strlen(p) > 127)
		return true;
	char first = letter(*p);
	for (const char *a = strchr(all, first); a; a = strchr(a + 1, first)) {
		const char *x = a, *q = p;
		for (;;) {
			while (*q && !letter(*q))
				q++;
			if (!*q)
				return true;
			if (*x != letter(*q))
				break;
			x++, q++;
		}
	}
	return false;
}

/* The index one past the last word of kw that a pattern of o matches, or 0
 * when none does. */
static size_t secret_words_end(const struct hc_secret_words *o, const struct wordv *kw)
{
	size_t last = 0;
	struct wordv pw;
	char all[512]; /* the name's letters */
	size_t na = 0;
	for (size_t i = 0; i < kw->n && na < sizeof(all); i++)
		for (const char *c = kw->w[i]; *c && na < sizeof(all); c++)
			all[na++] = *c;
	bool filter = na < sizeof(all); /* a longer name: no shortcut */
	if (filter)
		all[na] = '\0';
	for (size_t p = 0; p < o->patterns.n; p++) {
		/* a match (words in a row, or a word's end) has the pattern's
		 * letters in a row among the name's: most patterns stop here */
		if (filter && !has_letters(all, o->patterns.v[p]))
			continue;
		words(o->patterns.v[p], &pw);
		for (size_t i = 0; pw.n && i < kw->n; i++) {
			size_t k = 0;
			while (k < pw.n && i + k < kw->n && !strcmp(kw->w[i + k], pw.w[k]))
				k++;
			size_t end = k == pw.n ? i + k : word_ends_with(kw->w[i], &pw) ? i + 1 : 0;
			last = end > last ? end : last;
		}
		wordv_release(&pw);
	}
	return last;
}

/* Is word w in the ignore list l (hc_strlist_has, first letters first)? */
static bool ignored(const struct hc_strlist *l, const char *w)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i][0] == w[0] && !strcmp(l->v[i], w))
			return true;
	return false;
}

bool hc_is_secret_name(const struct hc_secret_words *o, const char *var)
{
	struct wordv kw;
	words(var, &kw);
	size_t last = secret_words_end(o, &kw);
	bool hit = last > 0;
	for (size_t i = 0; i < kw.n && hit; i++)
		if (ignored(&o->ignore, kw.w[i]) && (i >= last || in_list(switch_words, kw.w[i])))
			hit = false;
	wordv_release(&kw);
	return hit;
}

bool hc_interpolates(const char *s, size_t n)
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
	static const char *const w[] = {"true", "false", "yes",  "no",       "on",      "off", "y",
	                                "n",    "none",  "null", "disabled", "enabled", NULL};
	for (size_t i = 0; w[i]; i++)
		if (!strcasecmp(s, w[i]))
			return true;
	return false;
}

bool hc_secret_literal(const char *s, size_t n)
{
	if (!n || hc_interpolates(s, n) || !strncmp(s, "/run/secrets/", 13))
		return false;
	char tmp[16];
	if (n < sizeof(tmp)) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		if (boolish(tmp))
			return false;
	}
	return true;
}

/* Is byte pos of s inside a ${...} that Compose interpolates (a default
 * such as ${DATABASE_URL:-postgres://app:pw@db/app})? */
static bool in_interpolation(const char *s, size_t n, size_t pos)
{
	int depth = 0;
	for (size_t i = 0; i < n && i < pos; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '$')
			i++;
		else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{')
			depth++, i++;
		else if (s[i] == '}' && depth)
			depth--;
	}
	return depth > 0;
}

bool hc_url_password(const char *s, size_t n, size_t *ps, size_t *pe)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
			if (in_interpolation(s, n, i))
				return false;
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

/* ---- values that are not secrets, values that are ------------------------ */

static bool has_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return true;
	return false;
}

/* A file path: /a/b/c (two slashes or more, no + or =, which base64 keys
 * have), ./x, ../x, ~/x, or a name ending in a key or config file's
 * extension (server.key, certs/ca.crt). */
static bool path_like(const char *s, size_t n)
{
	static const char *const ext[] = {".pem", ".key",  ".crt",  ".cer",        ".cert", ".p12",
	                                  ".pfx", ".jks",  ".der",  ".pub",        ".json", ".txt",
	                                  ".yml", ".yaml", ".conf", ".properties", NULL};
	if (!n || has_space(s, n))
		return false;
	if (!strncmp(s, "./", 2) || !strncmp(s, "../", 3) || !strncmp(s, "~/", 2))
		return true;
	size_t slashes = 0;
	bool b64 = false;
	for (size_t i = 0; i < n; i++) {
		slashes += s[i] == '/';
		b64 |= s[i] == '+' || s[i] == '=';
	}
	if (s[0] == '/' && slashes >= 2 && !b64)
		return true;
	for (size_t i = 0; ext[i]; i++) {
		size_t l = strlen(ext[i]);
		if (n > l && !strncasecmp(s + n - l, ext[i], l))
			return true;
	}
	return false;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A class name: a.b.ClassName (two dots or more, a capital last part), or
 * a PHP one: App\Hashing\Argon2. */
static bool class_like(const char *s, size_t n)
{
	size_t seps = 0, last = 0;
	char sep = 0;
	for (size_t i = 0; i < n; i++) {
		if (ident_char(s[i]))
			continue;
		if ((s[i] != '.' && s[i] != '\\') || (sep && s[i] != sep) || i == last ||
		    i + 1 == n)
			return false;
		sep = s[i];
		seps++;
		last = i + 1;
	}
	if (sep == '\\')
		return seps >= 1 && isupper((unsigned char)s[0]);
	return seps >= 2 && isupper((unsigned char)s[last]) && islower((unsigned char)s[0]);
}

/* A list of host names: a.example.com,b.example.com:9092 (two or more). */
static bool host_list(const char *s, size_t n)
{
	size_t items = 1, dots = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ',') {
			if (!dots || i + 1 == n)
				return false;
			items++;
			dots = 0;
		} else if (c == '.' || c == ':') {
			dots++;
		} else if (!isalnum((unsigned char)c) && c != '-' && c != ' ') {
			return false;
		}
	}
	return items >= 2 && dots;
}

bool hc_secret_value_ok(const char *s, size_t n)
{
	return hc_secret_literal(s, n) && !path_like(s, n) && !class_like(s, n) && !host_list(s, n);
}

/* Are s[0..n) all in the class: 'A' upper case and digits, 'a' letters and
 * digits, 'w' letters, digits, _ and -; at least min of them? */
static size_t run_of(const char *s, size_t n, char cls)
{
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = cls == 'A'   ? (isupper(c) || isdigit(c))
		          : cls == 'a' ? isalnum(c) != 0
		                       : (isalnum(c) || c == '_' || c == '-');
		if (!ok)
			break;
	}
	return i;
}

/* Does a token start at s[i] (not in the middle of a word)? */
static bool at_word(const char *s, size_t i)
{
	return !i || !isalnum((unsigned char)s[i - 1]);
}

/* A JSON web token at s: eyJ... . eyJ... . signature. */
static bool jwt_at(const char *s, size_t n)
{
	size_t a = run_of(s, n, 'w');
	if (a < 10 || a + 4 >= n || s[a] != '.' || strncmp(s + a + 1, "eyJ", 3))
		return false;
	size_t b = run_of(s + a + 1, n - a - 1, 'w');
	size_t c0 = a + 1 + b;
	return b >= 10 && c0 + 1 < n && s[c0] == '.' && run_of(s + c0 + 1, n - c0 - 1, 'w') >= 10;
}

const char *hc_secret_token(const char *s, size_t n)
{
	static const struct {
		const char *prefix;
		char cls;
		size_t min;
		const char *what;
	} shapes[] = {
	    {"sk_live_", 'a', 16, "a Stripe secret key"},
	    {"rk_live_", 'a', 16, "a Stripe restricted key"},
	    {"ghp_", 'a', 36, "a GitHub token"},
	    {"gho_", 'a', 36, "a GitHub token"},
	    {"ghu_", 'a', 36, "a GitHub token"},
	    {"ghs_", 'a', 36, "a GitHub token"},
	    {"ghr_", 'a', 36, "a GitHub token"},
	    {"github_pat_", 'w', 40, "a GitHub token"},
	    {"glpat-", 'w', 20, "a GitLab token"},
	    {"xoxb-", 'w', 10, "a Slack token"},
	    {"xoxp-", 'w', 10, "a Slack token"},
	    {"xoxa-", 'w', 10, "a Slack token"},
	    {"xoxr-", 'w', 10, "a Slack token"},
	    {"xoxs-", 'w', 10, "a Slack token"},
	    {"xoxe-", 'w', 10, "a Slack token"},
	    {"AKIA", 'A', 16, "an AWS access key id"},
	    {"ASIA", 'A', 16, "an AWS access key id"},
	    {"AIza", 'w', 35, "a Google API key"},
	    {"npm_", 'a', 36, "an npm token"},
	};
	for (size_t i = 0; i + 4 < n; i++) {
		if (!at_word(s, i))
			continue;
		if (!strncmp(s + i, "-----BEGIN ", 11)) {
			const char *e = memchr(s + i, '\n', n - i);
			size_t l = e ? (size_t)(e - s - i) : n - i;
			for (size_t k = i; k + 11 <= i + l; k++)
				if (!strncmp(s + k, "PRIVATE KEY", 11))
					return "a private key";
		}
		if (!strncmp(s + i, "eyJ", 3) && jwt_at(s + i, n - i))
			return "a JSON web token";
		for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
			size_t pl = strlen(shapes[k].prefix);
			if (i + pl <= n && !strncmp(s + i, shapes[k].prefix, pl)) {
				size_t r = run_of(s + i + pl, n - i - pl, shapes[k].cls);
				bool end =
				    i + pl + r == n || !isalnum((unsigned char)s[i + pl + r]);
				if (r >= shapes[k].min &&
				    (shapes[k].cls != 'A' || (r == 16 && end)))
					return shapes[k].what;
			}
		}
	}
	return NULL;
}

bool hc_secret_whole(const struct hc_secret_words *o, const char *var, const char *val, size_t vlen)
{
	if (hc_is_secret_name(o, var) && hc_secret_value_ok(val, vlen))
		return true;
	return !hc_interpolates(val, vlen) && hc_secret_token(val, vlen);
}

bool hc_is_plaintext_secret(const struct hc_secret_words *o, const char *var, const char *val,
                            size_t vlen)
{
	size_t ps, pe;
	if (hc_secret_whole(o, var, val, vlen))
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

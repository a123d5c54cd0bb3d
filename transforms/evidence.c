/*
 * evidence.c: what a service's own text says about how it runs (see
 * evidence.h). Nothing here edits; transforms decide with it.
 */
#include "transforms/evidence.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct hc_node *hc_service_image(const struct hc_service *s)
{
	struct hc_node *img = hc_service_lookup(s, "image");
	return img && img->type == HC_SCALAR && !hc_is_null(img) ? img : NULL;
}

const struct hc_image_fact *hc_service_fact(const struct hc_run *r, const struct hc_service *s)
{
	struct hc_node *img = hc_service_image(s);
	return img ? hc_image_fact(r->classes, img->text, img->len) : NULL;
}

void hc_image_desc(struct hc_buf *b, const struct hc_service *s)
{
	struct hc_node *img = hc_service_image(s);
	if (img)
		hc_buf_addf(b, "'%.*s'", (int)(img->len > 80 ? 80 : img->len), img->text);
	else if (hc_service_lookup(s, "build"))
		hc_buf_adds(b, "(built here)");
	else
		hc_buf_adds(b, "(no image)");
}

/*
 * Resolves the interpolations of a `user:` value into `out` by their
 * defaults: `$$` is a `$`, `${VAR:-x}` and `${VAR-x}` are x. Returns false
 * when something has no default (`$VAR`, `${VAR}`, `${VAR:?msg}`, a nested
 * `${...}` in a default); *used says whether a default was taken.
 */
static bool user_defaults(const char *t, size_t n, struct hc_buf *out, bool *used)
{
	*used = false;
	for (size_t i = 0; i < n; i++) {
		if (t[i] != '$') {
			hc_buf_addc(out, t[i]);
			continue;
		}
		if (i + 1 < n && t[i + 1] == '$') {
			hc_buf_adds(out, "$");
			i++;
			continue;
		}
		if (i + 1 >= n || t[i + 1] != '{')
			return false;
		size_t j = i + 2;
		while (j < n && (isalnum((unsigned char)t[j]) || t[j] == '_'))
			j++;
		size_t d = j < n && t[j] == ':' ? j + 1 : j;
		if (j == i + 2 || d >= n || t[d] != '-')
			return false;
		const char *end = memchr(t + d + 1, '}', n - d - 1);
		if (!end || memchr(t + d + 1, '$', (size_t)(end - t - d - 1)))
			return false;
		hc_buf_addf(out, "%.*s", (int)(end - t - d - 1), t + d + 1);
		*used = true;
		i = (size_t)(end - t);
	}
	return true;
}

enum hc_user hc_service_user(const struct hc_service *s, bool *by_default)
{
	if (by_default)
		*by_default = false;
	struct hc_node *u = hc_service_lookup(s, "user");
	if (!u || u->type != HC_SCALAR || hc_is_null(u) || !u->len)
		return HC_USER_UNSET;
	struct hc_buf v = HC_BUF_INIT;
	bool used = false;
	if (!user_defaults(u->text, u->len, &v, &used)) {
		hc_buf_release(&v);
		return HC_USER_VARIABLE;
	}
	if (by_default)
		*by_default = used;
	const char *t = v.data ? v.data : "";
	const char *colon = strchr(t, ':');
	size_t n = colon ? (size_t)(colon - t) : strlen(t);
	enum hc_user out = HC_USER_OTHER;
	if (!*t)
		out = HC_USER_UNSET;
	else if ((n == 4 && !memcmp(t, "root", 4)) || (n == 1 && t[0] == '0'))
		out = HC_USER_ROOT;
	hc_buf_release(&v);
	return out;
}

/* Known init programs by the entrypoint's first word (its last path
 * component, or the whole word for paths that only mean an init there). */
static const struct {
	const char *word; /* a whole path ("/init") or a basename ("tini") */
	const char *init;
} inits[] = {
    {"/init", "s6-overlay"},
    {"tini", "tini"},
    {"tini-static", "tini"},
    {"docker-init", "tini"},
    {"dumb-init", "dumb-init"},
    {"catatonit", "catatonit"},
    {"my_init", "my_init"},
    {"systemd", "systemd"},
    {"/sbin/init", "systemd"},
    {"/usr/sbin/init", "systemd"},
    {"/lib/systemd/systemd", "systemd"},
    {"/usr/lib/systemd/systemd", "systemd"},
};

static const char *init_of(const char *w, size_t n)
{
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (w[i] == '/')
			slash = w + i;
	const char *base = slash ? slash + 1 : w;
	size_t bn = n - (size_t)(base - w);
	for (size_t i = 0; i < sizeof(inits) / sizeof(inits[0]); i++) {
		size_t k = strlen(inits[i].word);
		if (inits[i].word[0] == '/' ? (k == n && !memcmp(w, inits[i].word, n))
		                            : (k == bn && !memcmp(base, inits[i].word, bn)))
			return inits[i].init;
	}
	return NULL;
}

const char *hc_entrypoint_init(const struct hc_service *s, bool *has_entrypoint)
{
	struct hc_node *e = hc_service_lookup(s, "entrypoint");
	*has_entrypoint = e && !(e->type == HC_SCALAR && hc_is_null(e) && e->style == HC_PLAIN);
	if (!*has_entrypoint)
		return NULL;
	const char *w = NULL;
	size_t n = 0;
	if (e->type == HC_SEQ && e->nkids) {
		struct hc_node *first = hc_deref(e->kids[0]);
		if (first && first->type == HC_SCALAR)
			w = first->text, n = first->len;
	} else if (e->type == HC_SCALAR) {
		/* shell form: the first word */
		size_t st = 0;
		while (st < e->len && isspace((unsigned char)e->text[st]))
			st++;
		w = e->text + st;
		while (st + n < e->len && !isspace((unsigned char)w[n]))
			n++;
	}
	return w && n ? init_of(w, n) : NULL;
}

const struct hc_node *hc_service_extends(const struct hc_service *s, bool *other_file)
{
	struct hc_node *e = hc_deref(hc_map_lookup(s->value, "extends", NULL));
	*other_file = false;
	if (e && e->type == HC_MAP) {
		*other_file = hc_map_lookup(e, "file", NULL) != NULL;
		e = hc_deref(hc_map_lookup(e, "service", NULL));
	}
	return e && e->type == HC_SCALAR && !hc_is_null(e) ? e : NULL;
}

bool hc_left_to_extended(struct hc_run *r, const struct hc_service *s, const char *what,
                         const char *twice)
{
	bool other_file;
	const struct hc_node *base = hc_service_extends(s, &other_file);
	if (!base)
		return false;
	hc_report(r, s->key->start, HC_NOTE,
	          "service \"%s\" extends service \"%.*s\"%s and gets %s from there; nothing added "
	          "here (Compose would see %s twice and refuse the file)",
	          s->name, (int)(base->len > 80 ? 80 : base->len), base->text,
	          other_file ? " of another file" : "", what, twice);
	return true;
}

void hc_format_size(struct hc_buf *b, int64_t bytes)
{
	static const char units[] = "KMGT";
	int u = -1;
	int64_t v = bytes;
	while (u < 3 && v && v % 1024 == 0)
		v /= 1024, u++;
	if (u < 0)
		hc_buf_addf(b, "%lld", (long long)bytes);
	else
		hc_buf_addf(b, "%lld%c", (long long)v, units[u]);
}

/*
 * dotenv.c: see dotenv.h. The rules were measured against Docker Compose
 * v2 (tests/values.sh checks what it gives the container).
 */
#include "base/dotenv.h"

#include <ctype.h>
#include <string.h>

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Does Compose expand something at t[i] == '$'? */
static bool expands_at(const char *t, size_t i, size_t end)
{
	return i + 1 < end && (t[i + 1] == '{' || name_char(t[i + 1]));
}

/* A quoted value from t[*i] (the quote) into v; *i ends at the line's
 * end. Whether Compose would expand something in it. */
static bool quoted(const char *t, size_t n, size_t *ip, struct hc_buf *v)
{
	size_t i = *ip;
	bool expands = false;
	char q = t[i++];
	for (; i < n && t[i] != q; i++) {
		if (t[i] == '\\' && i + 1 < n) {
			char c = t[i + 1];
			if (q == '\'' && c == '\'') {
				hc_buf_addc(v, '\'');
				i++;
				continue;
			}
			if (q == '"') {
				const char *from = "\\\"$nrt", *to = "\\\"$\n\r\t";
				const char *k = strchr(from, c);
				if (k && c) {
					hc_buf_addc(v, to[k - from]);
					i++;
					continue;
				}
			}
		}
		if (q == '"' && t[i] == '$' && expands_at(t, i, n))
			expands = true;
		hc_buf_addc(v, t[i]);
	}
	while (i < n && t[i] != '\n') /* the closing quote and the rest */
		i++;
	*ip = i;
	return expands;
}

/* An unquoted value from t[*i] into v: up to a " #" comment, trailing
 * blanks dropped; *i ends at the line's end. Whether it expands. */
static bool unquoted(const char *t, size_t n, size_t *ip, struct hc_buf *v)
{
	size_t vs = *ip, i = *ip;
	bool expands = false;
	while (i < n && t[i] != '\n')
		i++;
	size_t k = vs;
	while (k < i && !(t[k] == '#' && k > vs && (t[k - 1] == ' ' || t[k - 1] == '\t')))
		k++;
	while (k > vs && (t[k - 1] == ' ' || t[k - 1] == '\t' || t[k - 1] == '\r'))
		k--;
	for (size_t x = vs; x < k; x++)
		expands |= t[x] == '$' && expands_at(t, x, k);
	hc_buf_add(v, t + vs, k - vs);
	*ip = i;
	return expands;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

void hc_dotenv_parse(const char *t, size_t n, struct hc_strlist *names, struct hc_strlist *vals,
                     struct hc_strlist *exp)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (blank(t[i]) || t[i] == '\r' || t[i] == '\n'))
			i++;
		if (i >= n)
			break;
		if (t[i] == '#') {
			while (i < n && t[i] != '\n')
				i++;
			continue;
		}
		if (n - i > 7 && !strncmp(t + i, "export", 6) && blank(t[i + 6]))
			for (i += 6; i < n && blank(t[i]);)
				i++;
		size_t ks = i;
		while (i < n && t[i] != '=' && t[i] != ':' && t[i] != '\n' && !blank(t[i]))
			i++;
		size_t ke = i;
		while (i < n && blank(t[i]))
			i++;
		if (i >= n || (t[i] != '=' && t[i] != ':') || ke == ks) {
			while (i < n && t[i] != '\n')
				i++;
			continue;
		}
		i++;
		while (i < n && blank(t[i]))
			i++;
		struct hc_buf v = HC_BUF_INIT;
		bool expands = i < n && (t[i] == '\'' || t[i] == '"') ? quoted(t, n, &i, &v)
		                                                      : unquoted(t, n, &i, &v);
		hc_strlist_push(names, t + ks, ke - ks);
		hc_strlist_push(vals, v.data ? v.data : "", v.len);
		if (exp)
			hc_strlist_push(exp, expands ? "1" : "0", 1);
		hc_buf_release(&v);
	}
}

int hc_dotenv_line(struct hc_buf *b, const char *name, const char *value, size_t len,
                   const char *eol)
{
	if (memchr(value, '\0', len))
		return -1;
	/* in single quotes only \' is special: no ', no line break, no final \ */
	if (!strpbrk(value, "'\n\r") && !(len && value[len - 1] == '\\')) {
		hc_buf_addf(b, "%s='%s'%s", name, value, eol);
		return 0;
	}
	hc_buf_addf(b, "%s=\"", name);
	for (size_t i = 0; i < len; i++) {
		char c = value[i];
		if (c == '\n')
			hc_buf_adds(b, "\\n");
		else if (c == '\r')
			hc_buf_adds(b, "\\r");
		else {
			if (c == '\\' || c == '"' || c == '$')
				hc_buf_addc(b, '\\');
			hc_buf_addc(b, c);
		}
	}
	hc_buf_addf(b, "\"%s", eol);
	return 0;
}

/*
 * dotenv.c: see dotenv.h.
 */
#include "dotenv.h"

#include <string.h>

void hc_dotenv_parse(const char *t, size_t n, struct hc_strlist *names, struct hc_strlist *vals)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && t[e] != '\n')
			e++;
		size_t s = i, le = e;
		if (le > s && t[le - 1] == '\r')
			le--;
		while (s < le && (t[s] == ' ' || t[s] == '\t'))
			s++;
		if (le - s > 7 && !strncmp(t + s, "export ", 7))
			s += 7;
		const char *eq = s < le ? memchr(t + s, '=', le - s) : NULL;
		if (eq && t[s] != '#') {
			size_t ke = (size_t)(eq - t);
			while (ke > s && (t[ke - 1] == ' ' || t[ke - 1] == '\t'))
				ke--;
			size_t vs = (size_t)(eq - t) + 1, ve = le;
			while (vs < ve && (t[vs] == ' ' || t[vs] == '\t'))
				vs++;
			struct hc_buf v = HC_BUF_INIT;
			if (vs < ve && (t[vs] == '\'' || t[vs] == '"')) {
				char q = t[vs];
				for (size_t k = vs + 1; k < ve && t[k] != q; k++) {
					if (q == '"' && t[k] == '\\' && k + 1 < ve)
						k++;
					hc_buf_addc(&v, t[k]);
				}
			} else {
				size_t k = vs;
				while (k < ve && !(t[k] == '#' && k > vs &&
				                   (t[k - 1] == ' ' || t[k - 1] == '\t')))
					k++;
				while (k > vs && (t[k - 1] == ' ' || t[k - 1] == '\t'))
					k--;
				hc_buf_add(&v, t + vs, k - vs);
			}
			hc_strlist_push(names, t + s, ke - s);
			hc_strlist_push(vals, v.data ? v.data : "", v.len);
			hc_buf_release(&v);
		}
		i = e + 1;
	}
}

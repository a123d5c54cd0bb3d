/*
 * lsptext.c: the LSP server's text helpers (lsptext.h): message headers, line
 * starts, byte offsets <-> positions in UTF-16 code units, and the engine's
 * output as minimal edits of its input.
 */
#include "cli/lsptext.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

long hc_lsp_header_len(const char *hdr, size_t n)
{
	long len = -1;
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && hdr[e] != '\n')
			e++;
		static const char key[] = "content-length:";
		size_t kl = sizeof(key) - 1;
		if (e - i > kl && !strncasecmp(hdr + i, key, kl)) {
			size_t k = i + kl;
			while (k < e && (hdr[k] == ' ' || hdr[k] == '\t'))
				k++;
			long v = 0;
			size_t digits = 0;
			while (k < e && hdr[k] >= '0' && hdr[k] <= '9' && digits < 10) {
				v = v * 10 + (hdr[k++] - '0');
				digits++;
			}
			while (k < e && (hdr[k] == ' ' || hdr[k] == '\t' || hdr[k] == '\r'))
				k++;
			len = digits && k == e ? v : -1;
		}
		i = e + 1;
	}
	return len;
}

void hc_lsp_lines(struct hc_lsp_lines *l, const char *t, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	l->start = hc_xcalloc(n, sizeof(*l->start));
	l->n = 0;
	l->start[l->n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n')
			l->start[l->n++] = i + 1;
}

void hc_lsp_lines_release(struct hc_lsp_lines *l)
{
	free(l->start);
	l->start = NULL;
	l->n = 0;
}

/* The length of the UTF-8 sequence led by byte c (1 for a stray byte). */
static size_t seqlen(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

void hc_lsp_pos(const struct hc_lsp_lines *l, const char *t, size_t len, size_t off, long *line,
                long *ch)
{
	if (off > len)
		off = len;
	size_t lo = 0, hi = l->n; /* the last line start <= off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	long c = 0;
	for (size_t i = l->start[lo]; i < off;) {
		size_t s = seqlen((unsigned char)t[i]);
		c += s == 4 ? 2 : 1;
		i += s;
	}
	*line = (long)lo;
	*ch = c;
}

size_t hc_lsp_off(const struct hc_lsp_lines *l, const char *t, size_t len, long line, long ch)
{
	if (line < 0)
		return 0;
	if ((size_t)line >= l->n)
		return len;
	size_t i = l->start[line];
	long c = 0;
	while (i < len && t[i] != '\n' && c < ch) {
		size_t s = seqlen((unsigned char)t[i]);
		if (i + s > len)
			s = len - i;
		c += s == 4 ? 2 : 1;
		i += s;
	}
	/* a '\r' before the line's end belongs to the line break */
	return i;
}

/* Adds the edit [start, end) -> text, trimming what both sides share. */
static void add_trimmed(struct hc_edits *e, const char *in, size_t start, size_t end,
                        const char *text, size_t n)
{
	size_t end0 = end, start0 = start;
	while (start < end && n && in[start] == text[0]) {
		start++;
		text++;
		n--;
	}
	while (start > start0 && ((unsigned char)in[start] & 0xc0) == 0x80) {
		start--; /* never inside a character */
		text--;
		n++;
	}
	while (start < end && n && in[end - 1] == text[n - 1]) {
		end--;
		n--;
	}
	while (end < end0 && ((unsigned char)in[end] & 0xc0) == 0x80) {
		end++;
		n++;
	}
	if (start < end || n)
		hc_edits_add(e, start, end, text, n);
}

void hc_lsp_edits(const char *in, size_t inlen, const char *out, size_t outlen,
                  const struct hc_pieces *p, struct hc_edits *e)
{
	size_t ip = 0, op = 0, pend = 0; /* input cursor, output cursor, inserted so far */
	bool ordered = true;
	for (size_t i = 0; i < p->n && ordered; i++) {
		const struct hc_piece *x = &p->v[i];
		if (x->ins) {
			pend += x->len;
		} else if (x->src < ip || x->src + x->len > inlen) {
			ordered = false;
		} else {
			if (x->src > ip || pend)
				add_trimmed(e, in, ip, x->src, out + op - pend, pend);
			ip = x->src + x->len;
			pend = 0;
		}
		op += x->len;
	}
	if (ordered && op == outlen) {
		if (ip < inlen || pend)
			add_trimmed(e, in, ip, inlen, out + op - pend, pend);
		return;
	}
	/* pieces that do not say it plainly: one edit, the part that differs */
	hc_edits_clear(e);
	if (inlen != outlen || memcmp(in, out, inlen))
		add_trimmed(e, in, 0, inlen, out, outlen);
}

/*
 * fuzz_lsp.c: libFuzzer target over the LSP server's message handling
 * (src/cli/lsp.h). The input is a session: message bodies separated by NUL
 * bytes, each handled as `hardcompose lsp` would after its framing (the
 * first 200 bytes of each also go through the header parser); after each
 * message the server publishes the diagnostics of documents that changed.
 * Invariants: no crash, no sanitizer report, no leak. Replies go to
 * /dev/null. Build: cmake -DHC_FUZZ=ON with clang; fuzz/run.sh 60 lsp.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/lsp.h"
#include "cli/lspint.h"
#include "cli/lsptext.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hc_lsp *s; /* one server (its options built once), reset per input */
	if (!s) {
		char *argv[] = {"lsp", "--no-config", NULL};
		s = hc_lsp_new(2, argv, open("/dev/null", O_WRONLY | O_CLOEXEC));
	}
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		(void)hc_lsp_header_len(p, n < 200 ? n : 200);
		if (hc_lsp_message(s, p, n))
			break;
		hc_lsp_flush(s);
		p += n + 1;
	}
	for (size_t i = 0; i < s->ndocs; i++) {
		free(s->docs[i].uri);
		free(s->docs[i].path);
		hc_buf_release(&s->docs[i].text);
	}
	s->ndocs = 0;
	s->down = s->exited = false;
	return 0;
}

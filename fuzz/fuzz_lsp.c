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
#include "cli/lsptext.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int out = -1;
	if (out < 0)
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	char *argv[] = {"lsp", "--no-config", NULL};
	struct hc_lsp *s = hc_lsp_new(2, argv, out);
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
	hc_lsp_free(s);
	return 0;
}

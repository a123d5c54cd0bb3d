/*
 * fuzz_pipeline.c: libFuzzer target over the whole pipeline with the strict
 * profile (every transform). Invariants checked on every input:
 *   - no crash, no sanitizer report, no leak (ASan/LSan);
 *   - an accepted input yields output that is accepted again and unchanged
 *     by a second run (re-parses, idempotent);
 *   - a rejected input yields an error message and no output.
 * Runs as --write does (side effects on), so the secrets transform rewrites.
 * Build: cmake -DHC_FUZZ=ON with clang (see fuzz/README.md).
 */
#include "engine/engine.h"
#include "policy/profile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct hc_config cfg;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		struct hc_buf err = HC_BUF_INIT;
		hc_config_init(&cfg);
		if (hc_config_load_profile(&cfg, "strict", &err) < 0)
			abort();
		hc_buf_release(&err);
		ready = 1;
	}
	static const struct hc_ctx ctx = {.side_effects = true, .rules = true};
	struct hc_result a;
	hc_config_process(&cfg, &ctx, "fuzz", (const char *)data, size, &a);
	if (a.code != HC_EXIT_OK) {
		if (!a.err.msg || !a.err.msg[0])
			abort(); /* a refusal must say why */
		hc_result_release(&a);
		return 0;
	}
	struct hc_result b;
	hc_config_process(&cfg, &ctx, "fuzz", a.out.data, a.out.len, &b);
	if (b.code != HC_EXIT_OK)
		abort(); /* our own output must be accepted */
	if (b.out.len != a.out.len || memcmp(b.out.data, a.out.data, a.out.len))
		abort(); /* and unchanged by a second run */
	hc_result_release(&b);
	hc_result_release(&a);
	return 0;
}

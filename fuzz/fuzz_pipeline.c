/*
 * fuzz_pipeline.c: libFuzzer target over the whole pipeline with the strict
 * profile (every transform). Invariants checked on every input:
 *   - no crash, no sanitizer report, no leak (ASan/LSan);
 *   - an accepted input yields output that is accepted again and unchanged
 *     by a second run (re-parses, idempotent);
 *   - a rejected input yields an error message and no output;
 *   - a text parsed in parts (the split parse of large files) gives the
 *     tree a whole parse gives (checked on every parse, any size).
 * Runs as --write does (side effects on), so the secrets transform rewrites.
 * Build: cmake -DHC_FUZZ=ON with clang (see fuzz/README.md).
 */
#include "engine/engine.h"
#include "policy/profile.h"
#include "yaml/tree.h"

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
		/* every text parses in parts too, checked against a whole parse:
		 * a difference aborts (yaml/parse.c split_build) */
		hc_doc_parse_split(0, true);
		ready = 1;
	}
	/* half the inputs as files known to be compose files (by name), half
	 * as stdin without a name, where the shape decides */
	static const struct hc_ctx known = {
	    .side_effects = true, .rules = true, .compose_known = true};
	static const struct hc_ctx shape = {.side_effects = true, .rules = true};
	const struct hc_ctx ctx = size % 2 ? known : shape;
	struct hc_result a;
	hc_config_process(&cfg, &ctx, "fuzz", (const char *)data, size, &a);
	if (a.code == HC_EXIT_OK && a.skipped[0] &&
	    (a.out.len != size || (size && memcmp(a.out.data, data, size))))
		abort(); /* what is not a compose file passes through unchanged */
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

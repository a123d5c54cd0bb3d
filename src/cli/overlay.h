/*
 * overlay.h: --overlay FILE, the hardening written as a separate Compose
 * file (docs/overlays.md) instead of edits to the base file.
 *
 * The normal pipeline runs in memory; the overlay is the difference
 * between the meaning of the base (parsed, anchors followed, merge keys
 * resolved) and the meaning of the hardened text, per key, written so that
 * `docker compose -f BASE -f OVERLAY config` equals the hardened file's
 * config under Compose's merge rules:
 *   - mappings merge key by key: only the keys that differ are written;
 *   - lists that the hardening only extends get the new items alone
 *     (Compose appends them, or merges them by their key);
 *   - command, entrypoint and healthcheck.test replace: written whole;
 *   - a list whose items change, or a mapping of environment-like keys that
 *     loses one, is written whole under `!override`; a key the hardening
 *     removes becomes `KEY: !reset null` (each with a comment saying why).
 * An existing overlay is extended in place: keys missing from it are
 * added, everything in it (values, comments) stays; a key the user set
 * there wins over the hardening's.
 *
 * Ownership: every struct hc_ov is owned by its parent; hc_ov_free frees a
 * whole tree.
 */
#ifndef HC_OVERLAY_H
#define HC_OVERLAY_H

#include "base/buf.h"
#include "cli/options.h"
#include "cli/report.h"
#include "engine/engine.h"
#include "yaml/tree.h"

#define HC_OV_MAX_VALUES 2000000

enum hc_ov_type { HC_OV_SCALAR, HC_OV_MAP, HC_OV_SEQ };

/* A value of the overlay, ready to be written. */
struct hc_ov {
	enum hc_ov_type type;
	char *text;  /* scalar as written (quoted when needed); "" for a null written as nothing */
	char *tag;   /* "!override", "!reset", the node's own tag, or NULL */
	char *note;  /* comment written above the pair holding this value, or NULL */
	char **keys; /* map keys as written */
	struct hc_ov **kids;
	size_t n, cap;
};

void hc_ov_free(struct hc_ov *v);

/* The meaning of node n (aliases followed, merge keys resolved) as an
 * overlay value; key is the key that owns it ("" for the root). */
struct hc_ov *hc_ov_from_node(struct hc_node *n, const char *key);

/*
 * What an overlay must say so that base merged with it means hard (both
 * roots of compose documents): a mapping of top-level keys (empty when
 * they mean the same); NULL when the two, aliases expanded, hold more than
 * HC_OV_MAX_VALUES values. Top-level `version` is left out;
 * `x-` keys the hardening adds are written resolved (Compose keeps them
 * in its model).
 */
struct hc_ov *hc_ov_diff(struct hc_node *base, struct hc_node *hard);

/*
 * The plaintext secrets of the base removed, for -w --overlay: every
 * scalar of base (parsed from its text) overlapping one of the masked
 * ranges (the secret values the run moved) is given the hardened text's
 * value at the same place (`${VAR}`, a URL with `${VAR}`), or loses its
 * entry where the hardened text has none. *out gets the new base text;
 * returns how many values were removed or replaced.
 */
size_t hc_ov_base_secrets(const struct hc_doc *base, const struct hc_doc *hard,
                          const struct hc_side *side, struct hc_buf *out, struct hc_pieces *pieces);

/* The header comment of a new overlay (no date: re-runs give the same). */
void hc_ov_header(struct hc_buf *b, const char *eol, const char *profile, const char *base_name,
                  const char *overlay_name);

/*
 * The overlay text: old (the existing overlay, olen bytes; NULL when there
 * is none) extended with what want holds and it lacks, in the style st
 * (line end and indent of the base). header is written first when old is
 * NULL or empty. pieces (initialised by the caller for olen bytes) maps
 * the result to old, for --diff. 0, or -1 with err set (old is not a
 * mapping that can be extended).
 */
int hc_ov_merge(const char *old, size_t olen, const struct hc_ov *want, const struct hc_style *st,
                const char *header, struct hc_buf *out, struct hc_pieces *pieces,
                struct hc_diag *err, const char *name);

struct hc_stamp;
/* After the engine ran on the base with --overlay: the overlay written,
 * diffed, checked or printed, as the mode says. The exit code. */
int hc_overlay_finish(struct hc_outcome *o, const struct hc_cli *cli, const struct hc_buf *in,
                      const struct hc_stamp *stamp, struct hc_result *res);

#endif

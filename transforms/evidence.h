/*
 * evidence.h: what a service's own text says about how it runs, for the
 * transforms that act only on evidence (init, cap-drop, resource-limits,
 * read-only): its image and the image table's facts, its user, the first
 * word of its entrypoint, sizes written in its environment and command.
 * Values are read through merges (hc_map_lookup) and aliases.
 */
#ifndef HC_EVIDENCE_H
#define HC_EVIDENCE_H

#include "rules/heap.h"
#include "transforms/transform.h"

#include <stdint.h>

/* The service's image scalar, or NULL (built here, or not a scalar). */
struct hc_node *hc_service_image(const struct hc_service *s);
/* The image table's entry for the service's image, or NULL. */
const struct hc_image_fact *hc_service_fact(const struct hc_run *r, const struct hc_service *s);
/* Appends the image for a message: 'name' (at most 80 bytes), or
 * "(built here)" / "(no image)". */
void hc_image_desc(struct hc_buf *b, const struct hc_service *s);

enum hc_user { HC_USER_UNSET, HC_USER_ROOT, HC_USER_OTHER, HC_USER_VARIABLE };
/* `user:` unset, root (root, 0, with any group), another user, or written
 * with a variable that has no default (not known until Compose interpolates
 * it). A variable with a default (`${UID:-1000}`, `${UID-0}:0`) is read as
 * its default, and *by_default (may be NULL) is set: the file's .env or the
 * host's environment may say otherwise, which the caller should note. */
enum hc_user hc_service_user(const struct hc_service *s, bool *by_default);

/*
 * The init an entrypoint starts, by the first word of the service's own
 * `entrypoint:` (string or list): "s6-overlay" for /init, "tini",
 * "dumb-init", "systemd" (/sbin/init, systemd), "catatonit"; NULL when it is
 * something else. *has_entrypoint says whether the service sets one at all
 * (then the image's own entrypoint does not run).
 */
const char *hc_entrypoint_init(const struct hc_service *s, bool *has_entrypoint);

/* The service this one `extends` (`extends: web` or `extends: {service:
 * web}`), or NULL; *other_file says whether it lives in another file
 * (`file:`). Compose appends the extended service's lists to this one's. */
const struct hc_node *hc_service_extends(const struct hc_service *s, bool *other_file);
/* When s extends another service: reports that it gets `what` from there
 * (a note; `twice` says what Compose would see twice) and returns true, so
 * the transform adds nothing to s. */
bool hc_left_to_extended(struct hc_run *r, const struct hc_service *s, const char *what,
                         const char *twice);

/* hc_parse_size lives in rules/heap.h (the rules read sizes too). */
/* Writes bytes as the largest exact unit: "2G", "1152M", "64K". */
void hc_format_size(struct hc_buf *b, int64_t bytes);

#endif

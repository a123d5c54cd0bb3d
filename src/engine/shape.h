/*
 * shape.h: whether a YAML document has a compose file's shape, for texts
 * not known to be compose files by their name (stdin, a FILE named
 * values.yaml): those of another shape (a Helm values file, a Kubernetes
 * manifest, a GitHub workflow) pass through unchanged with a note.
 */
#ifndef HC_SHAPE_H
#define HC_SHAPE_H

#include "yaml/node.h"

#include <stdbool.h>
#include <stddef.h>

/* "a mapping", "a sequence", "an alias" or "a scalar". */
const char *hc_type_name(const struct hc_node *n);

/* True when doc is not a compose file by its shape: the top level is not a
 * mapping, a top-level key is neither one of Compose's nor x- (nor a merge),
 * or services is not a mapping of mappings. why gets the reason, *pos the
 * byte offset of the node that tells. */
bool hc_not_compose(const struct hc_doc *doc, char *why, size_t size, size_t *pos);

#endif

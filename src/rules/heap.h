/*
 * heap.h: the memory a service tells its own process to use, read from its
 * text: -Xmx/-Xms in its environment, command or entrypoint; NODE_OPTIONS
 * --max-old-space-size; redis --maxmemory; MAX_HEAP_SIZE; neo4j's heap
 * settings. The resource-limits transform sizes a limit from it; the
 * limit-below-heap rule checks a written limit against it.
 */
#ifndef HC_RULES_HEAP_H
#define HC_RULES_HEAP_H

#include "yaml/tree.h"

#include <stdint.h>

struct hc_heap {
	int64_t heap;      /* the largest heap found, bytes; 0: none */
	char heap_src[48]; /* where it was found: a variable, "command", ... */
	char unknown[48];  /* a heap written with a variable: where; "": none */
};

/* Reads a service mapping's environment, command and entrypoint. */
void hc_heap_read(struct hc_heap *h, struct hc_node *service);

/* A size as Compose and Docker write it (512m, 1g, 1.5G, 1gb, 1048576):
 * bytes, or -1 when it is not one (interpolated, malformed). */
int64_t hc_parse_size(const char *s, size_t n);

#endif

/*
 * ports.c: published ports (short and long syntax), and the
 * duplicate-host-port rule. See cross.h and docs/rules.md.
 */
#include "rules/cross.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void copyn(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

bool hc_port_of(struct hc_node *item, struct hc_port *p)
{
	struct hc_node *it = hc_deref(item);
	memset(p, 0, sizeof(*p));
	p->at = item;
	strcpy(p->proto, "tcp");
	if (it && it->type == HC_SCALAR && it->len) {
		char s[160];
		copyn(s, sizeof(s), it->text, it->len);
		char *slash = strrchr(s, '/');
		if (slash) {
			copyn(p->proto, sizeof(p->proto), slash + 1, strlen(slash + 1));
			*slash = '\0';
		}
		char *rest = s;
		if (s[0] == '[') {
			char *close = strchr(s, ']');
			if (!close || close[1] != ':')
				return false;
			copyn(p->ip, sizeof(p->ip), s + 1, (size_t)(close - s - 1));
			rest = close + 2;
		}
		char *last = strrchr(rest, ':');
		if (!last) {
			copyn(p->target, sizeof(p->target), rest, strlen(rest));
			return true;
		}
		copyn(p->target, sizeof(p->target), last + 1, strlen(last + 1));
		*last = '\0';
		char *hostc = strrchr(rest, ':');
		if (!hostc) {
			copyn(p->host, sizeof(p->host), rest, strlen(rest));
		} else {
			copyn(p->host, sizeof(p->host), hostc + 1, strlen(hostc + 1));
			*hostc = '\0';
			if (!p->ip[0])
				copyn(p->ip, sizeof(p->ip), rest, strlen(rest));
		}
		return true;
	}
	if (it && it->type == HC_MAP) {
		const struct hc_node *t = hc_rule_scalar(hc_map_get(it, "target", NULL));
		const struct hc_node *pub = hc_rule_scalar(hc_map_get(it, "published", NULL));
		const struct hc_node *ip = hc_rule_scalar(hc_map_get(it, "host_ip", NULL));
		const struct hc_node *pr = hc_rule_scalar(hc_map_get(it, "protocol", NULL));
		if (t)
			copyn(p->target, sizeof(p->target), t->text, t->len);
		if (pub)
			copyn(p->host, sizeof(p->host), pub->text, pub->len);
		if (ip)
			copyn(p->ip, sizeof(p->ip), ip->text, ip->len);
		if (pr)
			copyn(p->proto, sizeof(p->proto), pr->text, pr->len);
		return true;
	}
	return false;
}

bool hc_all_interfaces(const char *ip)
{
	return !ip[0] || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::");
}

/* A host port or range (8000-8010) as numbers; false when it is neither
 * (empty, interpolated). */
static bool host_range(const char *h, long *lo, long *hi)
{
	char *end;
	if (!isdigit((unsigned char)h[0]))
		return false;
	*lo = *hi = strtol(h, &end, 10);
	if (*end == '-' && isdigit((unsigned char)end[1]))
		*hi = strtol(end + 1, &end, 10);
	return !*end && *lo <= *hi;
}

struct seen_port {
	struct hc_port p;
	long lo, hi;
	const char *svc;
};

static bool same_socket(const struct seen_port *a, const struct hc_port *p, long lo, long hi)
{
	return lo <= a->hi && a->lo <= hi && !strcasecmp(a->p.proto, p->proto) &&
	       (!strcmp(a->p.ip, p->ip) || hc_all_interfaces(a->p.ip) || hc_all_interfaces(p->ip));
}

void hc_rule_duplicate_host_port(struct hc_rctx *x, struct hc_node *svcs)
{
	struct seen_port *seen = NULL;
	size_t n = 0;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *ports =
		    hc_deref(hc_map_lookup(hc_deref(svcs->kids[i + 1]), "ports", NULL));
		for (size_t k = 0; ports && ports->type == HC_SEQ && k < ports->nkids; k++) {
			struct hc_port p;
			long lo, hi;
			if (!hc_port_of(ports->kids[k], &p) || !host_range(p.host, &lo, &hi))
				continue;
			for (size_t m = 0; m < n; m++) {
				if (!same_socket(&seen[m], &p, lo, hi))
					continue;
				if (lo == hi && seen[m].lo == seen[m].hi)
					hc_rule_report(
					    x, ports->kids[k],
					    "service \"%s\": host port %s/%s is also published by "
					    "service \"%s\"; only one of them can start",
					    svcs->kids[i]->text, p.host, p.proto, seen[m].svc);
				else
					hc_rule_report(
					    x, ports->kids[k],
					    "service \"%s\": host port%s %s/%s overlap%s service "
					    "\"%s\"'s %s; only one of them can bind the ports in "
					    "both",
					    svcs->kids[i]->text, lo != hi ? "s" : "", p.host,
					    p.proto, lo != hi ? "" : "s", seen[m].svc,
					    seen[m].p.host);
				break;
			}
			seen = hc_xrealloc(seen, (n + 1) * sizeof(*seen));
			seen[n] = (struct seen_port){
			    .p = p, .lo = lo, .hi = hi, .svc = svcs->kids[i]->text};
			n++;
		}
	}
	free(seen);
}

/*
 * bind_localhost.c: published ports of databases, caches and queues that
 * name no host address are bound to 127.0.0.1, so the data stores are not
 * reachable from the network the host sits on (seed 001: databases published
 * on 0.0.0.0). Docker's iptables rules bypass host firewalls such as ufw, so
 * a published port is open to the world unless bound to an address.
 *
 * Short syntax: "5432:5432" -> "127.0.0.1:5432:5432", "5432" ->
 * "127.0.0.1::5432", keeping the item's quoting. Long syntax: `host_ip` is
 * added. An explicit address (including 0.0.0.0) is the user's choice and
 * stays; specs whose shape depends on interpolation are left alone.
 */
#include "transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct bind_opts {
	char *address;
	struct hc_strlist classes;
};

static const struct hc_option bind_options[] = {
    {"address", HC_OPT_STR, offsetof(struct bind_opts, address), "127.0.0.1",
     "the host address to bind to"},
    {"classes", HC_OPT_LIST, offsetof(struct bind_opts, classes), "database,cache,queue,search",
     "service classes whose ports are bound"},
};

/* Colons of a short port spec outside ${...}; -1 when it cannot be read. */
static int spec_colons(const char *s, size_t n)
{
	int colons = 0, depth = 0;
	if (n && s[0] == '[')
		return -1; /* IPv6 host address: explicit */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{')
			depth++, i++;
		else if (s[i] == '}' && depth)
			depth--;
		else if (s[i] == ':' && !depth)
			colons++;
	}
	/* the container port must be literal: digits, ranges, /protocol */
	const char *c = s + n;
	while (c > s && c[-1] != ':')
		c--;
	size_t cl = n - (size_t)(c - s);
	if (!cl || strspn(c, "0123456789-/tcpudsx") < cl)
		return -1;
	return colons;
}

static void bind_item(struct hc_run *r, struct hc_node *it, const char *addr, int *changed)
{
	if (it->type != HC_SCALAR || it->style > HC_DOUBLE || it->tag)
		return;
	int colons = spec_colons(it->text, it->len);
	if (colons < 0 || colons > 1)
		return;
	struct hc_buf v = HC_BUF_INIT;
	hc_buf_adds(&v, addr);
	hc_buf_adds(&v, colons == 0 ? "::" : ":");
	hc_buf_add(&v, it->text, it->len);
	struct hc_buf text = HC_BUF_INIT;
	if (it->style == HC_SINGLE) {
		hc_buf_addc(&text, '\'');
		hc_buf_add(&text, v.data, v.len);
		hc_buf_addc(&text, '\'');
	} else if (it->style == HC_DOUBLE || hc_needs_quotes(v.data) || colons == 0) {
		/* a bare number was an int: the new value is a string, say so */
		hc_buf_addc(&text, '"');
		hc_buf_add(&text, v.data, v.len);
		hc_buf_addc(&text, '"');
	} else {
		hc_buf_add(&text, v.data, v.len);
	}
	hc_edits_add(&r->edits, it->start, it->end, text.data, text.len);
	(*changed)++;
	hc_buf_release(&v);
	hc_buf_release(&text);
}

static void bind_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct bind_opts *o = opts;
	if (!hc_strlist_has(&o->classes, hc_class_names[hc_service_class(r, s)]))
		return;
	bool explicit;
	struct hc_node *ports = hc_map_lookup(s->value, "ports", &explicit);
	if (!ports || !explicit || ports->type != HC_SEQ)
		return;
	int changed = 0;
	for (size_t i = 0; i < ports->nkids; i++) {
		struct hc_node *it = ports->kids[i];
		if (it->type == HC_MAP) {
			if (hc_map_lookup(it, "host_ip", NULL) || hc_map_get(it, "<<", NULL))
				continue;
			struct hc_val *v = hc_val_str(o->address);
			if (hc_add_pair(r, NULL, it, "host_ip", v) == 0)
				changed++;
			hc_val_free(v);
		} else {
			bind_item(r, it, o->address, &changed);
		}
	}
	if (changed)
		hc_service_rewrite(r, s, "ports",
		                   "service \"%s\" (%s): bind %d published port%s to %s", s->name,
		                   hc_class_names[hc_service_class(r, s)], changed,
		                   changed == 1 ? "" : "s", o->address);
}

const struct hc_transform hc_t_bind_localhost = {
    .id = "bind-localhost",
    .summary = "bind published ports of databases, caches and queues to 127.0.0.1",
    .options = bind_options,
    .nopts = sizeof(bind_options) / sizeof(bind_options[0]),
    .opts_size = sizeof(struct bind_opts),
    .service = bind_service,
};

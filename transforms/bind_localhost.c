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
 * stays. Interpolations are read as Compose reads them (port_parts()): a
 * host part that is a variable which may hold an address
 * ("${PORT:-127.0.0.1:5432}:5432" would become "too many colons"), a
 * variable address, and a spec that is one variable are left alone with a
 * note; a port-only variable ("${WEB_PORT}:80", "${DB_PORT:-5432}:5432")
 * and a variable container port are bound.
 *
 * A file that keeps `version: "3.x"` is also a swarm file (swarm.c): swarm
 * drops the host address of a short spec (the routing mesh publishes the
 * port on every interface of every node), so the rewrite, which still
 * serves `docker compose`, comes with a note; and no 3.x schema has
 * `host_ip`, so long-syntax ports are left alone there, with a note.
 */
#include "transforms/transform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/*
 * A short port spec read as Compose reads it after interpolation: up to
 * three parts between the colons outside ${...}. Each part records whether
 * it holds an interpolation ($VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?err}, ${VAR:+alt}; $$ is a literal $), and, when it is exactly one
 * variable, its name and default.
 */
struct port_part {
	const char *s;
	size_t n;
	int vars;         /* interpolations in the part */
	bool literal;     /* bytes outside them */
	const char *name; /* when vars == 1 and !literal: the variable */
	size_t name_len;
	const char *dflt; /* its default or alternative value, or NULL */
	size_t dflt_len;
};

#define PORT_PARTS 3

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Splits s into parts; their count, or -1 when it cannot be read
 * (unterminated ${, more than three parts). */
static int port_parts(const char *s, size_t n, struct port_part *p)
{
	int np = 0;
	memset(p, 0, sizeof *p * PORT_PARTS);
	p[0].s = s;
	for (size_t i = 0; i < n;) {
		struct port_part *cur = &p[np];
		if (s[i] == ':') {
			cur->n = (size_t)(s + i - cur->s);
			if (++np == PORT_PARTS)
				return -1;
			p[np].s = s + i + 1;
			i++;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '$') {
			cur->literal = true, i += 2;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			size_t j = i + 2, depth = 1;
			const char *name = s + j;
			while (j < n && name_char(s[j], j == i + 2))
				j++;
			size_t name_len = (size_t)(s + j - name);
			const char *dflt = NULL;
			if (j < n && (s[j] == '-' || s[j] == '+'))
				dflt = s + j + 1;
			else if (j + 1 < n && s[j] == ':' && (s[j + 1] == '-' || s[j + 1] == '+'))
				dflt = s + j + 2;
			for (; j < n && depth; j++) {
				if (s[j] == '$' && j + 1 < n && s[j + 1] == '{')
					depth++, j++;
				else if (s[j] == '}')
					depth--;
			}
			if (depth)
				return -1;
			cur->vars++;
			cur->name = name, cur->name_len = name_len;
			cur->dflt = dflt, cur->dflt_len = dflt ? (size_t)(s + j - 1 - dflt) : 0;
			i = j;
		} else if (s[i] == '$' && i + 1 < n && name_char(s[i + 1], true)) {
			size_t j = i + 1;
			while (j < n && name_char(s[j], false))
				j++;
			cur->vars++;
			cur->name = s + i + 1, cur->name_len = j - i - 1;
			cur->dflt = NULL, cur->dflt_len = 0;
			i = j;
		} else {
			cur->literal = true, i++;
		}
	}
	p[np].n = (size_t)(s + n - p[np].s);
	return np + 1;
}

/* Does a part that is one variable stand for a port number: its default
 * is digits (a range: digits-digits), or, without one, its name ends in
 * PORT (WEB_PORT, POSTGRES_HOST_PORT)? */
static bool port_variable(const struct port_part *p)
{
	if (p->vars != 1 || p->literal)
		return false;
	if (p->dflt)
		return p->dflt_len && strspn(p->dflt, "0123456789-") >= p->dflt_len;
	if (p->name_len < 4)
		return false;
	const char *t = p->name + p->name_len - 4;
	return strncasecmp(t, "port", 4) == 0;
}

/* A literal container port: digits, ranges, /protocol. */
static bool literal_port(const struct port_part *p)
{
	return p->n && strspn(p->s, "0123456789-/tcpudsx") >= p->n;
}

/* Does s hold an interpolation ($$ is a literal $)? */
static bool spec_has_var(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '$' && s[i + 1] == '$')
			i++;
		else if (s[i] == '$' && (s[i + 1] == '{' || name_char(s[i + 1], true)))
			return true;
	}
	return false;
}

static void bind_note(struct hc_run *r, const struct hc_service *s, const struct hc_node *it,
                      const char *why, bool long_syntax)
{
	hc_report(r, it->start, HC_NOTE,
	          "service \"%s\": %s \"%.*s\" not bound to an address: %s. To bind it, %s; "
	          "`# hardcompose: ignore[bind-localhost]` silences this",
	          s->name, long_syntax ? "host_ip" : "port", (int)(it->len > 80 ? 80 : it->len),
	          it->text, why,
	          long_syntax ? "write host_ip: 127.0.0.1"
	                      : "write the address in the value before a port-only variable "
	                        "(\"127.0.0.1:${DB_PORT:-5432}:5432\"), or use the long syntax "
	                        "with host_ip");
}

/*
 * How many colons the spec gets before it: 1 ("addr:"), 2 ("addr::" for
 * a bare container port), 0 to leave it as it is (an explicit address),
 * -1 to leave it with a note (why in *why).
 */
static int spec_prefix(const char *s, size_t n, const char **why)
{
	struct port_part p[PORT_PARTS];
	if (n && s[0] == '[')
		return 0; /* IPv6 host address: explicit */
	int np = port_parts(s, n, p);
	if (np < 0) {
		*why = "it is not a port spec hardcompose can read";
		return -1;
	}
	struct port_part *c = &p[np - 1];
	if (!c->vars && !literal_port(c)) {
		*why = "it is not a port spec hardcompose can read";
		return -1;
	}
	if (np == 1) {
		if (c->vars) {
			*why =
			    "the whole spec comes from a variable, which may hold a host address";
			return -1;
		}
		return 2;
	}
	if (np == 3) {
		if (p[0].vars) {
			*why = "its host address comes from a variable";
			return -1;
		}
		return 0; /* an explicit address */
	}
	if (!p[0].vars && strspn(p[0].s, "0123456789-") < p[0].n) {
		*why = "it is not a port spec hardcompose can read";
		return -1;
	}
	if (p[0].vars && !port_variable(&p[0])) {
		*why = "its host part comes from a variable that may hold an address (a default "
		       "that is not a port number, or a name not ending in PORT)";
		return -1;
	}
	return 1;
}

static void bind_item(struct hc_run *r, const struct hc_service *s, struct hc_node *it,
                      const char *addr, int *changed)
{
	if (it->type != HC_SCALAR || it->style > HC_DOUBLE || it->tag)
		return;
	const char *why = NULL;
	int colons = spec_prefix(it->text, it->len, &why);
	if (colons < 0)
		bind_note(r, s, it, why, false);
	if (colons <= 0)
		return;
	struct hc_buf v = HC_BUF_INIT;
	hc_buf_adds(&v, addr);
	hc_buf_adds(&v, colons == 2 ? "::" : ":");
	hc_buf_add(&v, it->text, it->len);
	struct hc_buf text = HC_BUF_INIT;
	if (it->style == HC_SINGLE) {
		hc_buf_addc(&text, '\'');
		hc_buf_add(&text, v.data, v.len);
		hc_buf_addc(&text, '\'');
	} else if (it->style == HC_DOUBLE || hc_needs_quotes(v.data) || colons == 2) {
		/* a bare number was an int: the new value is a string, say so */
		hc_buf_addc(&text, '"');
		hc_buf_add(&text, v.data, v.len);
		hc_buf_addc(&text, '"');
	} else {
		hc_buf_add(&text, v.data, v.len);
	}
	hc_replace_node(r, it, text.data, text.len);
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
	bool swarm = hc_swarm_minor(r->doc) >= 0;
	for (size_t i = 0; i < ports->nkids; i++) {
		struct hc_node *it = ports->kids[i];
		if (it->type == HC_MAP) {
			struct hc_node *ip = hc_deref(hc_map_lookup(it, "host_ip", NULL));
			if (ip && ip->type == HC_SCALAR && spec_has_var(ip->text, ip->len))
				bind_note(r, s, ip,
				          "it comes from a variable, whatever it holds when the "
				          "stack is deployed",
				          true);
			if (ip || hc_map_get(it, "<<", NULL))
				continue;
			if (swarm) {
				hc_report(
				    r, it->start, HC_NOTE,
				    "service \"%s\": host_ip not added: this file keeps "
				    "a 3.x version key, and no 3.x schema has host_ip (`docker "
				    "stack deploy` "
				    "refuses it). Publish no port (reach it over a network), or "
				    "drop the version key (--enable drop-version) for compose",
				    s->name);
				continue;
			}
			struct hc_val *v = hc_val_str(o->address);
			if (hc_add_pair(r, NULL, it, "host_ip", v) == 0)
				changed++;
			hc_val_free(v);
		} else {
			bind_item(r, s, it, o->address, &changed);
		}
	}
	if (changed && swarm)
		hc_report(
		    r, s->key->start, HC_NOTE,
		    "service \"%s\": this file keeps a 3.x version key, and `docker stack "
		    "deploy` ignores the address in short port syntax: under swarm the port "
		    "is still published on every interface (routing mesh). The binding serves "
		    "`docker compose`; for swarm, publish no port, or use the long syntax with "
		    "mode: host (the node running the task only)",
		    s->name);
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
    .batch = true, /* reads no key init, no-new-privileges or cap-drop write */
};

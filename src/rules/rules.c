/*
 * rules.c: the findings rules. See rules.h and docs/rules.md.
 */
#include "rules/rules.h"
#include "rules/cross.h"
#include "rules/secret_cmd.h"
#include "rules/schema.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void hc_rule_vreport(struct hc_rctx *x, const struct hc_node *at, const char *fmt, va_list ap)
{
	if (x->skip && x->skip(x->skip_ctx, x->rule->id, at->start))
		return;
	char msg[600];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	hc_findings_add(x->out, at->start, x->sev, x->rule->id, msg);
}

void hc_rule_emit(struct hc_rctx *x, size_t pos, const char *service, const char *msg)
{
	if ((service && hc_strlist_has(x->exclude, service)) ||
	    (x->skip && x->skip(x->skip_ctx, x->rule->id, pos)))
		return;
	hc_findings_add(x->out, pos, x->sev, x->rule->id, msg);
}

void hc_rule_report(struct hc_rctx *x, const struct hc_node *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hc_rule_vreport(x, at, fmt, ap);
	va_end(ap);
}

/* ---- helpers ------------------------------------------------------------ */

static struct hc_node *get(const struct hc_service *s, const char *key)
{
	return hc_map_lookup(s->value, key, NULL);
}

const struct hc_node *hc_rule_scalar(struct hc_node *n)
{
	n = hc_deref(n);
	return n && n->type == HC_SCALAR && !hc_is_null(n) ? n : NULL;
}

static bool eq(const struct hc_node *n, const char *s)
{
	return n && n->type == HC_SCALAR && n->len == strlen(s) && !strncasecmp(n->text, s, n->len);
}

/* A short text (at most 79 bytes) of a scalar, for messages. */
static const char *brief(const struct hc_node *n, char *buf, size_t size)
{
	size_t len = n->len < size - 1 ? n->len : size - 1;
	memcpy(buf, n->text, len);
	buf[len] = '\0';
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return buf;
}

/* A volume entry's host source (bind mounts and named volumes). */
struct vol {
	struct hc_node *at; /* the entry */
	char src[512];
	bool bind; /* a host path, not a named volume */
};

static bool vol_of(struct hc_node *item, struct vol *v)
{
	struct hc_node *it = hc_deref(item);
	v->at = item;
	v->src[0] = '\0';
	if (it && it->type == HC_SCALAR) {
		const char *colon = memchr(it->text, ':', it->len);
		if (!colon)
			return false; /* an anonymous volume */
		size_t n = (size_t)(colon - it->text);
		if (n >= sizeof(v->src))
			n = sizeof(v->src) - 1;
		memcpy(v->src, it->text, n);
		v->src[n] = '\0';
		v->bind = strchr("./~$", v->src[0]) != NULL;
		return n > 0;
	}
	if (it && it->type == HC_MAP) {
		const struct hc_node *type = hc_rule_scalar(hc_map_get(it, "type", NULL));
		const struct hc_node *src = hc_rule_scalar(hc_map_get(it, "source", NULL));
		if (!src)
			return false;
		snprintf(v->src, sizeof(v->src), "%.*s", (int)src->len, src->text);
		v->bind = eq(type, "bind") || (!type && strchr("./~", v->src[0]));
		return eq(type, "bind") || eq(type, "volume") || !type;
	}
	return false;
}

/* ---- per-service rules --------------------------------------------------- */

static void image_latest(struct hc_rctx *x, const struct hc_service *s)
{
	const struct hc_node *img = hc_rule_scalar(get(s, "image"));
	if (!img || memchr(img->text, '$', img->len) || memchr(img->text, '@', img->len))
		return;
	const char *slash = NULL;
	for (size_t i = 0; i < img->len; i++)
		if (img->text[i] == '/')
			slash = img->text + i;
	const char *from = slash ? slash : img->text;
	const char *colon = memchr(from, ':', img->len - (size_t)(from - img->text));
	char b[80];
	if (!colon)
		hc_rule_report(x, img, "service \"%s\": image '%s' has no tag, so it means :latest",
		               s->name, brief(img, b, sizeof(b)));
	else if ((size_t)(img->text + img->len - colon) == 7 && !strncmp(colon, ":latest", 7))
		hc_rule_report(x, img, "service \"%s\": image '%s' follows :latest", s->name,
		               brief(img, b, sizeof(b)));
}

static void image_digest(struct hc_rctx *x, const struct hc_service *s)
{
	const struct hc_node *img = hc_rule_scalar(get(s, "image"));
	if (!img || memchr(img->text, '$', img->len))
		return;
	for (size_t i = 0; i + 8 <= img->len; i++)
		if (!strncmp(img->text + i, "@sha256:", 8))
			return;
	char b[80];
	hc_rule_report(x, img, "service \"%s\": image '%s' is not pinned to a digest (@sha256:...)",
	               s->name, brief(img, b, sizeof(b)));
}

static void privileged(struct hc_rctx *x, const struct hc_service *s)
{
	struct hc_node *v = hc_deref(get(s, "privileged"));
	if (eq(v, "true") || eq(v, "yes"))
		hc_rule_report(
		    x, v,
		    "service \"%s\": privileged: true gives the container every capability and "
		    "the host's devices",
		    s->name);
}

static void docker_socket(struct hc_rctx *x, const struct hc_service *s)
{
	struct hc_node *vols = hc_deref(get(s, "volumes"));
	for (size_t i = 0; vols && vols->type == HC_SEQ && i < vols->nkids; i++) {
		struct vol v;
		if (vol_of(vols->kids[i], &v) &&
		    (!strcmp(v.src, "/var/run/docker.sock") || !strcmp(v.src, "/run/docker.sock")))
			hc_rule_report(
			    x, v.at,
			    "service \"%s\": mounts the Docker socket %s: the container controls "
			    "the host's Docker, which is root on the host",
			    s->name, v.src);
	}
}

static void host_namespace(struct hc_rctx *x, const struct hc_service *s)
{
	static const char *const keys[] = {"network_mode", "pid", "ipc",
	                                   "userns_mode",  "uts", NULL};
	for (size_t k = 0; keys[k]; k++) {
		struct hc_node *v = hc_deref(get(s, keys[k]));
		if (eq(v, "host"))
			hc_rule_report(x, v,
			               "service \"%s\": %s: host shares the host's %s namespace",
			               s->name, keys[k],
			               !strcmp(keys[k], "network_mode")  ? "network"
			               : !strcmp(keys[k], "userns_mode") ? "user"
			                                                 : keys[k]);
	}
}

static void sensitive_host_mount(struct hc_rctx *x, const struct hc_service *s)
{
	static const char *const exact[] = {"/",    "/etc", "/root", "/var/run", "/run", "/boot",
	                                    "/dev", "/usr", "/lib",  "/home",    "/var", NULL};
	static const char *const under[] = {"/proc",           "/sys",     "/boot", "/root",
	                                    "/var/lib/docker", "/etc/ssh", NULL};
	struct hc_node *vols = hc_deref(get(s, "volumes"));
	for (size_t i = 0; vols && vols->type == HC_SEQ && i < vols->nkids; i++) {
		struct vol v;
		if (!vol_of(vols->kids[i], &v) || v.src[0] != '/')
			continue;
		char p[512];
		snprintf(p, sizeof(p), "%s", v.src);
		size_t n = strlen(p);
		while (n > 1 && p[n - 1] == '/')
			p[--n] = '\0';
		bool hit = false;
		for (size_t k = 0; exact[k] && !hit; k++)
			hit = !strcmp(p, exact[k]);
		for (size_t k = 0; under[k] && !hit; k++) {
			size_t m = strlen(under[k]);
			hit = !strncmp(p, under[k], m) && (p[m] == '\0' || p[m] == '/');
		}
		if (hit)
			hc_rule_report(x, v.at, "service \"%s\": mounts the host's %s", s->name, p);
	}
}

static bool opt_is(const struct hc_node *it, const char *key, const char *val)
{
	size_t k = strlen(key), v = strlen(val);
	return it && it->type == HC_SCALAR && it->len == k + 1 + v &&
	       !strncasecmp(it->text, key, k) && (it->text[k] == ':' || it->text[k] == '=') &&
	       !strncasecmp(it->text + k + 1, val, v);
}

static void security_opt_rule(struct hc_rctx *x, const struct hc_service *s, const char *key,
                              const char *val, const char *what)
{
	struct hc_node *so = hc_deref(get(s, "security_opt"));
	for (size_t i = 0; so && so->type == HC_SEQ && i < so->nkids; i++)
		if (opt_is(hc_deref(so->kids[i]), key, val))
			hc_rule_report(x, so->kids[i], "service \"%s\": %s:%s turns off %s",
			               s->name, key, val, what);
}

static void seccomp_unconfined(struct hc_rctx *x, const struct hc_service *s)
{
	security_opt_rule(x, s, "seccomp", "unconfined", "the default seccomp filter");
}

static void apparmor_unconfined(struct hc_rctx *x, const struct hc_service *s)
{
	security_opt_rule(x, s, "apparmor", "unconfined", "the AppArmor profile");
}

static void selinux_disabled(struct hc_rctx *x, const struct hc_service *s)
{
	security_opt_rule(x, s, "label", "disable", "SELinux separation");
}

static void cap_add_dangerous(struct hc_rctx *x, const struct hc_service *s)
{
	static const char *const caps[] = {"ALL",        "SYS_ADMIN",    "NET_ADMIN", "SYS_PTRACE",
	                                   "SYS_MODULE", "SYS_RAWIO",    "SYS_BOOT",  "SYS_TIME",
	                                   "MAC_ADMIN",  "MAC_OVERRIDE", "BPF",       "PERFMON",
	                                   NULL};
	struct hc_node *ca = hc_deref(get(s, "cap_add"));
	for (size_t i = 0; ca && ca->type == HC_SEQ && i < ca->nkids; i++) {
		const struct hc_node *it = hc_rule_scalar(ca->kids[i]);
		if (!it)
			continue;
		const char *c = it->text;
		size_t n = it->len;
		if (n > 4 && !strncasecmp(c, "CAP_", 4))
			c += 4, n -= 4;
		for (size_t k = 0; caps[k]; k++)
			if (n == strlen(caps[k]) && !strncasecmp(c, caps[k], n))
				hc_rule_report(x, ca->kids[i],
				               "service \"%s\": cap_add %s gives the container a "
				               "capability close "
				               "to root on the host",
				               s->name, caps[k]);
	}
}

static void ports_all_interfaces(struct hc_rctx *x, const struct hc_service *s)
{
	struct hc_node *ports = hc_deref(get(s, "ports"));
	for (size_t i = 0; ports && ports->type == HC_SEQ && i < ports->nkids; i++) {
		struct hc_port p;
		if (hc_port_of(ports->kids[i], &p) && hc_all_interfaces(p.ip))
			hc_rule_report(
			    x, ports->kids[i],
			    "service \"%s\": port %s%s%s is published on every interface of the "
			    "host; "
			    "bind it to an address (127.0.0.1:...) unless it must be reachable",
			    s->name, p.host[0] ? p.host : "(any)",
			    p.host[0] || p.target[0] ? "->" : "", p.target);
	}
}

static void privileged_port(struct hc_rctx *x, const struct hc_service *s)
{
	/* low ports belong to the reverse proxy (the rule's rationale): not a finding there */
	const struct hc_node *img = hc_rule_scalar(get(s, "image"));
	if (img && x->classes && hc_image_class(x->classes, img->text, img->len) == HC_CLASS_PROXY)
		return;
	struct hc_node *ports = hc_deref(get(s, "ports"));
	for (size_t i = 0; ports && ports->type == HC_SEQ && i < ports->nkids; i++) {
		struct hc_port p;
		if (!hc_port_of(ports->kids[i], &p) || !p.host[0] ||
		    !isdigit((unsigned char)p.host[0]))
			continue;
		long lo = strtol(p.host, NULL, 10);
		if (lo > 0 && lo < 1024)
			hc_rule_report(x, ports->kids[i],
			               "service \"%s\": host port %ld is a privileged port",
			               s->name, lo);
	}
}

static void no_healthcheck(struct hc_rctx *x, const struct hc_service *s)
{
	if (get(s, "healthcheck"))
		return;
	if (!get(s, "image") && !get(s, "build"))
		return;
	hc_rule_report(
	    x, s->key,
	    "service \"%s\": no healthcheck: Compose cannot tell when it is ready or has hung "
	    "(unless its image declares a HEALTHCHECK)",
	    s->name);
}

/* Secrets found by secret_cmd.c, reported for one service. */
struct secret_report {
	struct hc_rctx *x;
	const char *svc;
	int kind; /* 0 environment, 1 command line, 2 build.args */
};

static void secret_found(void *ctx, const struct hc_node *at, const char *what)
{
	struct secret_report *sr = ctx;
	static const char *const fix[] = {
	    "read it from a secret file (the secrets transform does that with --write)",
	    "anyone who can run docker inspect or ps sees it: read it from a file or a variable "
	    "set "
	    "from .env",
	    "build arguments stay in the image's history (docker history): use a build secret "
	    "(build: secrets:)"};
	hc_rule_report(sr->x, at, "service \"%s\": %s holds a plaintext secret; %s", sr->svc, what,
	               fix[sr->kind]);
}

static void plaintext_secret(struct hc_rctx *x, const struct hc_service *s)
{
	struct secret_report sr = {x, s->name, 0};
	if (x->words)
		hc_env_secrets(x->words, s->value, secret_found, &sr);
}

static void secret_in_command(struct hc_rctx *x, const struct hc_service *s)
{
	struct secret_report sr = {x, s->name, 1};
	if (x->words)
		hc_cmd_secrets(x->words, s->value, secret_found, &sr);
}

static void secret_in_build_args(struct hc_rctx *x, const struct hc_service *s)
{
	struct secret_report sr = {x, s->name, 2};
	if (x->words)
		hc_build_arg_secrets(x->words, s->value, secret_found, &sr);
}

static void missing_limits(struct hc_rctx *x, const struct hc_service *s)
{
	struct hc_node *deploy = hc_deref(get(s, "deploy"));
	struct hc_node *res = hc_deref(hc_map_lookup(deploy, "resources", NULL));
	struct hc_node *lim = hc_deref(hc_map_lookup(res, "limits", NULL));
	const char *missing[3];
	size_t n = 0;
	if (!get(s, "mem_limit") && !hc_map_lookup(lim, "memory", NULL))
		missing[n++] = "memory";
	if (!get(s, "cpus") && !get(s, "cpu_quota") && !hc_map_lookup(lim, "cpus", NULL))
		missing[n++] = "CPU";
	if (!get(s, "pids_limit") && !hc_map_lookup(lim, "pids", NULL))
		missing[n++] = "process-count";
	if (!n)
		return;
	char what[64] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s%s",
		         i == 0       ? ""
		         : i + 1 == n ? " or "
		                      : ", ",
		         missing[i]);
	hc_rule_report(x, s->key, "service \"%s\": no %s limit: one container can starve the host",
	               s->name, what);
}

static void build_and_image(struct hc_rctx *x, const struct hc_service *s)
{
	struct hc_node *img = get(s, "image");
	if (img && get(s, "build"))
		hc_rule_report(
		    x, hc_deref(img),
		    "service \"%s\": has both build and image: `docker compose pull` and `up` may "
		    "run a pulled image instead of the one built here",
		    s->name);
}

static void runs_as_root(struct hc_rctx *x, const struct hc_service *s)
{
	const struct hc_node *u = hc_rule_scalar(get(s, "user"));
	if (!u)
		return;
	size_t n = u->len;
	const char *c = memchr(u->text, ':', n);
	size_t un = c ? (size_t)(c - u->text) : n;
	if ((un == 4 && !strncmp(u->text, "root", 4)) || (un == 1 && u->text[0] == '0'))
		hc_rule_report(x, u, "service \"%s\": user: %.*s runs the container as root",
		               s->name, (int)u->len, u->text);
}

static void default_network(struct hc_rctx *x, const struct hc_service *s)
{
	if (get(s, "networks") || get(s, "network_mode"))
		return;
	hc_rule_report(x, s->key,
	               "service \"%s\": on the project's default network, it can reach every other "
	               "service; list the networks it needs",
	               s->name);
}

static void cgroup_parent(struct hc_rctx *x, const struct hc_service *s)
{
	const struct hc_node *c = hc_rule_scalar(get(s, "cgroup_parent"));
	if (c)
		hc_rule_report(x, c,
		               "service \"%s\": cgroup_parent moves the container out of Docker's "
		               "cgroup, and its limits",
		               s->name);
}

/* ---- rules over all services --------------------------------------------- */

static void duplicate_container_name(struct hc_rctx *x, struct hc_node *svcs)
{
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		const struct hc_node *a = hc_rule_scalar(
		    hc_map_lookup(hc_deref(svcs->kids[i + 1]), "container_name", NULL));
		if (!a)
			continue;
		for (size_t j = 0; j < i; j += 2) {
			const struct hc_node *b = hc_rule_scalar(
			    hc_map_lookup(hc_deref(svcs->kids[j + 1]), "container_name", NULL));
			if (b && a->len == b->len && !memcmp(a->text, b->text, a->len)) {
				char buf[80];
				hc_rule_report(
				    x, a,
				    "service \"%s\": container_name '%s' is also service "
				    "\"%s\"'s; the "
				    "second container cannot start",
				    svcs->kids[i]->text, brief(a, buf, sizeof(buf)),
				    svcs->kids[j]->text);
				break;
			}
		}
	}
}

static void shared_volume(struct hc_rctx *x, struct hc_node *svcs)
{
	struct seen {
		char src[512];
		const char *svc;
	} *seen = NULL;
	size_t n = 0;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *vols =
		    hc_deref(hc_map_lookup(hc_deref(svcs->kids[i + 1]), "volumes", NULL));
		for (size_t k = 0; vols && vols->type == HC_SEQ && k < vols->nkids; k++) {
			struct vol v;
			if (!vol_of(vols->kids[k], &v) || !strcmp(v.src, "/var/run/docker.sock") ||
			    !strcmp(v.src, "/etc/localtime") || !strcmp(v.src, "/etc/timezone"))
				continue;
			bool dup = false;
			for (size_t m = 0; m < n && !dup; m++)
				if (!strcmp(seen[m].src, v.src) &&
				    strcmp(seen[m].svc, svcs->kids[i]->text)) {
					hc_rule_report(
					    x, v.at,
					    "service \"%s\": %s %s is also mounted by service "
					    "\"%s\"; one "
					    "compromised container can change the other's data",
					    svcs->kids[i]->text, v.bind ? "host path" : "volume",
					    v.src, seen[m].svc);
					dup = true;
				}
			seen = hc_xrealloc(seen, (n + 1) * sizeof(*seen));
			snprintf(seen[n].src, sizeof(seen[n].src), "%s", v.src);
			seen[n++].svc = svcs->kids[i]->text;
		}
	}
	free(seen);
}

/* ---- the table ------------------------------------------------------------ */

/* clang-format off */
const struct hc_rule hc_rules[] = {
	{"image-latest", HC_WARNING, "image without a tag, or :latest",
	 "pin a version tag (postgres:16.4), so a pull cannot change what runs", NULL, image_latest, NULL},
	{"image-digest", HC_WARNING, "image not pinned to a digest",
	 "pin image@sha256:... (with the tag for readers), so the image cannot change under the tag", NULL, image_digest, NULL},
	{"privileged", HC_ERROR, "privileged: true",
	 "remove privileged; add the one capability or device the service needs", NULL, privileged, NULL},
	{"docker-socket", HC_ERROR, "the Docker socket is mounted",
	 "do not mount /var/run/docker.sock; use a socket proxy with a read-only API allow-list if it is needed", NULL, docker_socket, NULL},
	{"host-namespace", HC_ERROR, "a host namespace is shared (network_mode, pid, ipc, userns_mode, uts: host)",
	 "remove the host namespace; publish ports instead of network_mode: host", NULL, host_namespace, NULL},
	{"sensitive-host-mount", HC_WARNING, "a sensitive host folder is mounted",
	 "mount only the files the service needs, read-only", NULL, sensitive_host_mount, NULL},
	{"seccomp-unconfined", HC_ERROR, "seccomp:unconfined",
	 "remove it, or give a custom seccomp profile that allows the missing system call", NULL, seccomp_unconfined, NULL},
	{"apparmor-unconfined", HC_ERROR, "apparmor:unconfined",
	 "remove it, or give an AppArmor profile of its own", NULL, apparmor_unconfined, NULL},
	{"selinux-disabled", HC_ERROR, "label:disable",
	 "remove it; relabel volumes with :z or :Z instead", NULL, selinux_disabled, NULL},
	{"cap-add-dangerous", HC_ERROR, "cap_add grants a capability close to root",
	 "drop it; grant a narrower capability, or move the task out of the container", NULL, cap_add_dangerous, NULL},
	{"ports-all-interfaces", HC_WARNING, "a port is published on every host interface",
	 "publish on one address (127.0.0.1:8080:80) unless the port must be reachable from outside", NULL, ports_all_interfaces, NULL},
	{"privileged-port", HC_NOTE, "a host port below 1024 is published",
	 "publish on a port above 1023 and let a proxy take the low port", NULL, privileged_port, NULL},
	{"no-healthcheck", HC_NOTE, "no healthcheck",
	 "add a healthcheck, so depends_on: condition: service_healthy and restarts work", NULL, no_healthcheck, NULL},
	{"plaintext-secret", HC_ERROR, "a plaintext secret in environment",
	 "read it from a secret file (*_FILE) or .env; the secrets transform does that", "secrets", plaintext_secret, NULL},
	{"missing-limits", HC_WARNING, "no memory, CPU or process-count limit",
	 "set deploy.resources.limits (memory, cpus, pids); the resource-limits transform does that", "resource-limits", missing_limits, NULL},
	{"build-and-image", HC_NOTE, "both build and image",
	 "keep image only to name the built image, and build with --build or pull_policy: build", NULL, build_and_image, NULL},
	{"duplicate-container-name", HC_ERROR, "two services share a container_name",
	 "give each service its own container_name, or none", NULL, NULL, duplicate_container_name},
	{"duplicate-host-port", HC_ERROR, "two services publish the same host port",
	 "publish each host port once", NULL, NULL, hc_rule_duplicate_host_port},
	{"runs-as-root", HC_WARNING, "user: root",
	 "run as an unprivileged user (user: \"1000:1000\")", NULL, runs_as_root, NULL},
	{"shared-volume", HC_NOTE, "a volume or host path is mounted by several services",
	 "give each service its own volume, or mount the shared one read-only where it is only read", NULL, NULL, shared_volume},
	{"default-network", HC_NOTE, "a service on the default network",
	 "put services on networks that only the services that talk share", NULL, default_network, NULL},
	{"cgroup-parent", HC_WARNING, "cgroup_parent is set",
	 "remove cgroup_parent unless a host cgroup manages this container's limits", NULL, cgroup_parent, NULL},
	/* cross-field checks (cross.c, names.c) */
	{"depends-on-missing", HC_WARNING, "depends_on names a service the file does not define",
	 "fix the name, or define the service", NULL, NULL, hc_rule_depends_on_missing},
	{"depends-on-healthcheck", HC_WARNING, "depends_on a service with a healthcheck, without condition: service_healthy",
	 "write depends_on: {db: {condition: service_healthy}}", NULL, NULL, hc_rule_depends_on_healthcheck},
	{"container-name-replicas", HC_ERROR, "container_name with deploy.replicas or scale above 1",
	 "remove container_name, or run one replica", NULL, hc_rule_container_name_replicas, NULL},
	{"undeclared-name", HC_ERROR, "a named volume, network, secret or config is used but not declared",
	 "declare it under the top-level key (external: true if it exists already)", NULL, NULL, hc_rule_undeclared_name},
	{"unused-declaration", HC_NOTE, "a top-level volume, network, secret or config no service uses",
	 "remove the declaration, or use it", NULL, NULL, hc_rule_unused_declaration},
	{"limit-below-heap", HC_ERROR, "a memory limit not above the heap or maxmemory the service sets",
	 "raise the memory limit above the heap (heap + 50%, at least +256M), or lower the heap", NULL, hc_rule_limit_below_heap, NULL},
	{"limit-below-reservation", HC_ERROR, "a memory limit below the memory reservation",
	 "make the reservation at most the limit", NULL, hc_rule_limit_below_reservation, NULL},
	{"restart-one-shot", HC_WARNING, "restart on a one-shot job others wait for with service_completed_successfully",
	 "set restart: \"no\" on the job", NULL, NULL, hc_rule_restart_one_shot},
	{"secret-in-command", HC_ERROR, "a password on a command line (command, entrypoint, healthcheck)",
	 "read it from a file or a variable set from .env; docker inspect and ps show command lines", NULL, secret_in_command, NULL},
	{"secret-in-build-args", HC_ERROR, "a plaintext secret in build.args",
	 "use a build secret (build: secrets:); build arguments stay in the image's history", NULL, secret_in_build_args, NULL},
	{"schema", HC_ERROR, "not valid against the Compose specification (unknown key, wrong type or value)",
	 "fix the key or value the message names (docs/rules.md#schema)", NULL, NULL, hc_schema_rule},
};
/* clang-format on */

const size_t hc_nrules = sizeof(hc_rules) / sizeof(hc_rules[0]);

int hc_rule_find(const char *id)
{
	for (size_t i = 0; i < hc_nrules; i++)
		if (!strcmp(hc_rules[i].id, id))
			return (int)i;
	return -1;
}

int hc_severity_parse(const char *s)
{
	if (!strcmp(s, "error"))
		return HC_ERROR;
	if (!strcmp(s, "warning"))
		return HC_WARNING;
	if (!strcmp(s, "note"))
		return HC_NOTE;
	return -1;
}

const char *hc_severity_name(enum hc_severity s)
{
	return s == HC_ERROR ? "error" : s == HC_WARNING ? "warning" : "note";
}

void hc_rules_run(const struct hc_rconf *rc, const bool *covered, const struct hc_doc *doc,
                  struct hc_node *services, const struct hc_secret_words *words,
                  const struct hc_classes *classes, struct hc_findings *out,
                  bool (*skip)(void *ctx, const char *id, size_t pos), void *skip_ctx)
{
	struct hc_rctx x = {.doc = doc,
	                    .words = words,
	                    .classes = classes,
	                    .out = out,
	                    .skip = skip,
	                    .skip_ctx = skip_ctx};
	for (size_t r = 0; r < hc_nrules; r++) {
		if (!rc[r].enabled || (covered && covered[r]))
			continue;
		x.rule = &hc_rules[r];
		x.sev = rc[r].sev;
		x.exclude = &rc[r].exclude;
		if (hc_rules[r].document)
			hc_rules[r].document(&x, services);
		if (!hc_rules[r].service)
			continue;
		for (size_t i = 0; i + 1 < services->nkids; i += 2) {
			struct hc_node *k = services->kids[i], *v = hc_deref(services->kids[i + 1]);
			if (!v || v->type != HC_MAP || hc_strlist_has(&rc[r].exclude, k->text))
				continue;
			struct hc_service s = {.name = k->text, .key = k, .value = v, .path = NULL};
			hc_rules[r].service(&x, &s);
		}
	}
}

/*
 * secrets_int.h: what the files of the secrets transform share (private to
 * transforms/secrets*.c).
 *
 * One run goes through a struct secrets_state in four steps, one file each:
 *   secrets_collect.c  finds the candidates (plaintext secrets a service
 *                      writes itself) in the services' environments, and
 *                      reports those it leaves: block scalars, tags, YAML
 *                      numbers, and other places a moved value is in; it
 *                      also reads the existing .env;
 *   secrets_shared.c   finds the values services share through anchors,
 *                      aliases and merges, and makes each one candidate,
 *                      moved once at its anchor to .env;
 *   secrets_name.c     groups the candidates by name and value, gives each group
 *                      its name, away from names that are taken;
 *   secrets_write.c    rewrites each service's entries and its `secrets:`
 *                      list, adds the top-level stanza, and reports;
 *   secrets.c          the transform: options, and the steps in order.
 */
#ifndef HC_SECRETS_INT_H
#define HC_SECRETS_INT_H

#include "transforms/transform.h"
#include "base/strmap.h"
#include "rules/secret_detect.h"

#include <stdbool.h>
#include <stddef.h>

struct secrets_opts {
	struct hc_secret_words words; /* patterns, ignore, urls */
	struct hc_strlist exceptions;
	char *dir;
	char *target; /* "file": secret files and .env; "external": external: true */
};

/* Where a value goes: a secret file the image reads, or the .env file. */
enum secret_route { R_FILE, R_ENV };

/* A plaintext secret this transform moves: one variable of one service. */
struct secret_cand {
	const char *svc;
	struct hc_node *skey, *svalue, *env, *envkey;
	bool list;
	size_t idx;            /* pair index (map) or item index (list) */
	struct hc_node *knode; /* map: the key; list: NULL */
	struct hc_node *vnode; /* map: the value; list: the item */
	char *var;             /* variable name */
	char *prefix;          /* list: "KEY=" as written; map: "" */
	char *cstr;            /* the value as Compose reads it (before interpolation) */
	size_t ss, se;         /* the secret's bytes in cstr */
	bool url;              /* a password inside a URL */
	bool failed;           /* its service could not be rewritten */
	const struct hc_file_secrets *fs;
	enum secret_route route;
	char *secret;      /* the value the container sees ($$ -> $) */
	size_t group;      /* index of its value group */
	const char *image; /* NULL: built here */
	size_t image_len;
	struct hc_node *orig;    /* a shared value with an anchor: the node; vnode is
	                          * a copy of it without the anchor (secrets_shared.c) */
	struct hc_strlist users; /* a shared value: the other services that read it */
	bool file_ok;            /* a shared value every reader's image reads from a file */
};

/* The candidates that hold one value: one secret, one name. */
struct secret_group {
	char *secret; /* its first candidate's (not owned) */
	char *name;
	bool file, env; /* some candidate goes to a secret file, to .env */
	size_t first;   /* its first candidate */
};

struct secrets_state {
	struct hc_run *r;
	const struct secrets_opts *o;
	struct secret_cand *c; /* in service order */
	size_t nc, capc;
	struct secret_group *g;
	size_t ng;
	struct hc_node *root, *tsec, *tseckey; /* top-level secrets */
	struct hc_strlist envnames, envvals;   /* the existing .env */
	struct hc_strlist envexp;              /* "1": Compose expands that value */
	struct hc_strmap envidx;               /* .env name -> its last index */
	struct hc_strmap stanza;               /* top-level secret name -> its key's index */
	struct hc_strmap taken;                /* names given to groups */
	bool env_only;   /* version: "3.0" kept: no secrets (3.1 adds them), .env only */
	size_t rerouted; /* file secrets sent to .env for that */
	struct secrets_shared *shared; /* values shared through anchors (secrets_shared.c) */
	bool rewrite;                  /* edit the text: --write, or --diff showing what it does */
	bool external;                 /* secrets.target=external: no value is written anywhere */
};

/* secrets_collect.c */

/* Reads the existing .env (n bytes of t) into st. */
void secrets_read_dotenv(struct secrets_state *st, const char *t, size_t n);
/* -1: NAME is not in .env; 1: it holds `value`; 0: something else. */
int secrets_dotenv_has(const struct secrets_state *st, const char *name, const char *value);
/* Adds the candidates of service svc (key skey, mapping svalue) to st->c;
 * reports the secrets it holds that this transform leaves. */
void secrets_collect_service(struct secrets_state *st, const char *svc, struct hc_node *skey,
                             struct hc_node *svalue);
/* Reports and masks the other places under root that hold a value being
 * moved (a healthcheck's -pVALUE, a label). */
void secrets_other_occurrences(struct secrets_state *st, struct hc_node *root);
/* Is variable var of service svc one the `exceptions` option leaves alone? */
bool secrets_excepted(const struct secrets_opts *o, const char *svc, const char *var);
/* Candidate c (its service, nodes, variable and prefix set; not owned)
 * whose value Compose reads as val (vlen bytes), in env: becomes a
 * candidate when it is a plaintext secret this transform moves. */
void secrets_consider(struct secrets_state *st, struct secret_cand *c, const char *val, size_t vlen,
                      struct hc_node *env);

/* secrets_shared.c: values several services read through anchors,
 * aliases and merges (x- blocks, `environment: *env`, `<<: *env`,
 * `KEY: *pw`); each moves once, at its anchor, to .env. */

/* Is n shared: it or a collection around it has an anchor? */
bool secrets_shared_node(const struct hc_node *n);
/* Finds the shared values that hold secrets, over every service; reports
 * those it cannot move (used where it does not follow them). */
void secrets_shared_collect(struct secrets_state *st, struct hc_node *root,
                            struct hc_node *services);
/* Adds the candidates of the shared values whose first reader is svc. */
void secrets_shared_push(struct secrets_state *st, const char *svc);
/* With --write: declares the environment of every other reader changed. */
void secrets_shared_declare(struct secrets_state *st);
void secrets_shared_release(struct secrets_state *st);

/* secrets_name.c */

/* s in upper case, as a .env name (free it). */
char *secrets_upper(const char *s);
/* Appends the path of secret file `name` as the stanza writes it:
 * ./secrets/name. */
void secrets_file_path(struct hc_buf *b, const struct secrets_opts *o, const char *name);
/* Where the top-level stanza `name` points, when it is `file: X`; *present
 * says whether the stanza defines name at all. */
const char *secrets_stanza_file(const struct secrets_state *st, const char *name, bool *present);
/* Groups the candidates by value (st->g) and names each group. */
void secrets_name_groups(struct secrets_state *st);

/* secrets_write.c */

/* Proposes the top-level stanza for every file secret it lacks. 0, or -1
 * when the stanza has a shape this transform does not extend. */
int secrets_add_stanza(struct secrets_state *st);
/* Candidates [first, end), one service's: with write, rewrites them and
 * lists the secrets the service now reads, or leaves the whole service as
 * it was (said so); reports each and hands out its secret file or .env
 * variable. */
void secrets_service(struct secrets_state *st, size_t first, size_t end, bool write);

#endif

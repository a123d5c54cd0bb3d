/*
 * secrets.c: plaintext secrets in `environment:` leave the compose file.
 *
 * A variable whose name looks like a secret (PASSWORD, TOKEN, API_KEY, ...)
 * with a literal value, or a URL with a password in it, is a plaintext
 * secret (rules/secret_detect.c decides, for the plaintext-secret rule
 * too). Where the service's image reads that variable from a file (the
 * profile's `file-secrets:` table), the value goes into a secret file:
 * `KEY: value` becomes `KEY_FILE: /run/secrets/<name>` in the image's own
 * spelling, the service lists the secret, and a top-level `secrets:` stanza
 * points at `./secrets/<name>`. Where it does not (or the image is not
 * known), the value moves to the `.env` file beside the compose file and
 * the compose file keeps `${NAME:?is not set}`. A file that keeps
 * `version: "3.0"` has no secrets (swarm.c: 3.1 adds them): every value
 * goes to .env, with a note.
 *
 * One variable, one value, one name: the same variable holding the same
 * password in two services is one secret; two variables that happen to
 * hold one value are two. Names are the variable's name, lowercased; a
 * name taken by another value gets the service's name in front, then a
 * number. A value several services share through an anchor moves once, at
 * the anchor, to .env (secrets_shared.c).
 *
 * The transform only rewrites when the caller will write the files
 * (ctx->side_effects, i.e. --write) or shows what --write does
 * (ctx->preview, --diff); otherwise it reports, so no output ever points at
 * a file that does not exist. With secrets.target=external the stanza
 * says `external: true` and no value is written anywhere: the secrets and
 * the .env names must be provided by swarm, a vault agent, the shell. Values never appear in
 * findings; their ranges are handed back to be masked wherever output shows input.
 *
 * This file holds the transform: its options and the steps of a run in
 * order. The steps live in secrets_collect.c (finding the secrets),
 * secrets_name.c (naming them) and secrets_write.c (the edits and the
 * findings); secrets_int.h is what they share.
 */
#include "transforms/secrets.h"
#include "transforms/secrets_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct hc_option secrets_options[] = {
    {"patterns", HC_OPT_LIST, offsetof(struct secrets_opts, words.patterns),
     "PASSWORD,PASSWD,PASS,SECRET,TOKEN,API_KEY,APIKEY,PRIVATE_KEY,ACCESS_KEY,SECRET_KEY,"
     "CREDENTIAL,CREDENTIALS,AUTH_KEY,ENCRYPTION_KEY,MASTER_KEY,SIGNING_KEY,SALT,ERLANG_COOKIE,"
     "PASSPHRASE,ENC_KEY,FERNET_KEY,APP_KEY,APPLICATION_KEY,CONSUMER_KEY,SESSION_KEY,HMAC_KEY,"
     "LICENSE_KEY",
     "words of variable names that hold secrets (whole words of the name, split at _ . - and "
     "case changes)"},
    {"ignore", HC_OPT_LIST, offsetof(struct secrets_opts, words.ignore),
     "FILE,PATH,DIR,ALLOW,RANDOM,EMPTY,ENABLE,ENABLED,DISABLE,DISABLED,REQUIRE,REQUIRED,LENGTH,"
     "MIN,MAX,TTL,EXPIRY,EXPIRE,EXPIRES,EXPIRATION,TIMEOUT,LIFETIME,ALGORITHM,TYPE,METHOD,"
     "POLICY,HOST,PORT,URL,URI,ENDPOINT,NAME,ID,HEADER,FORMAT,MODE,ROTATION,RESET,SKIP,GENERATE,"
     "FILEPATH,FILENAME,FILES,PATHS,DIRECTORY,FOLDER,HOSTS,USER,USERNAME,PROVIDER,PROVIDERS,"
     "BACKEND,BACKENDS,DRIVER,ENGINE,STRATEGY,CLASS,HANDLER,ADAPTER,HASHER,HASHERS,SCHEME,"
     "STORAGE,STORE,MANAGER,LOCATION,SOURCE,PREFIX,LIMIT,COUNT,SIZE,INTERVAL,RETRIES,VERSION,"
     "FIELD,PARAM,LABEL,LEVEL,STRENGTH,COMPLEXITY,HINT",
     "words that make a variable not a secret after its secret word (PASSWORD_FILE, TOKEN_TTL), "
     "or anywhere for ALLOW, RANDOM, EMPTY, ENABLE(D), DISABLE(D), REQUIRE(D), MIN, MAX, SKIP, "
     "GENERATE (ALLOW_EMPTY_PASSWORD)"},
    {"exceptions", HC_OPT_LIST, offsetof(struct secrets_opts, exceptions), "",
     "variables left alone: NAME, or SERVICE.NAME"},
    {"dir", HC_OPT_STR, offsetof(struct secrets_opts, dir), "secrets",
     "folder of the secret files, relative to the compose file"},
    {"urls", HC_OPT_BOOL, offsetof(struct secrets_opts, words.urls), "true",
     "also move passwords written in URLs (postgres://user:pass@db/app)"},
    {"target", HC_OPT_STR, offsetof(struct secrets_opts, target), "file",
     "where values go: file (secret files, or .env) or external (external: true secrets and "
     "variables set elsewhere; no value written)"},
};

/* Indexes the top-level secret names (st->stanza): each to the index of
 * its first key in that mapping. */
static void index_stanza(struct secrets_state *st)
{
	struct hc_node *tm = hc_deref(st->tsec);
	for (size_t i = 0; tm && tm->type == HC_MAP && i + 1 < tm->nkids; i += 2)
		if (tm->kids[i]->type == HC_SCALAR &&
		    hc_strmap_get(&st->stanza, tm->kids[i]->text) == HC_STRMAP_NONE)
			hc_strmap_put(&st->stanza, tm->kids[i]->text, i);
}

/* Can the top-level stanza take the file secrets? It must be a mapping or
 * null, and its edits possible (a dry run, taken back). */
static bool stanza_writable(struct secrets_state *st)
{
	if (st->tsec && !(hc_deref(st->tsec)->type == HC_MAP || hc_is_null(st->tsec)))
		return false;
	struct hc_run_mark m = hc_run_mark(st->r);
	bool ok = secrets_add_stanza(st) == 0;
	hc_run_rollback(st->r, m);
	return ok;
}

/* Without a stanza, values that would go to secret files stay where they
 * are (said so), and so do shared values whose readers all read them from
 * files (as they stayed before a profile hoisted them into an anchor);
 * values that go to .env still move. */
static void keep_file_secrets(struct secrets_state *st)
{
	struct hc_run *r = st->r;
	for (size_t k = 0; k < st->nc; k++) {
		struct secret_cand *c = &st->c[k];
		if (c->route != R_FILE && !c->file_ok)
			continue;
		c->failed = true;
		hc_report(
		    r, c->vnode->start, HC_WARNING,
		    "service \"%s\": %s is a plaintext secret, but the top-level secrets: has "
		    "a shape hardcompose does not extend; move it by hand",
		    c->svc, c->var);
		hc_side_mask(r, c->vnode->start, c->vnode->end);
		r->changes++;
	}
}

/* The stanza for the file secrets that moved. When it cannot be written,
 * services would name secrets nobody defines: everything proposed since
 * mark0 is taken back. */
static void finish_stanza(struct secrets_state *st, struct hc_run_mark mark0)
{
	struct hc_run *r = st->r;
	/* groups whose every user failed need no stanza */
	for (size_t gi = 0; gi < st->ng; gi++)
		st->g[gi].file = false;
	for (size_t k = 0; k < st->nc; k++)
		if (st->c[k].route == R_FILE && !st->c[k].failed)
			st->g[st->c[k].group].file = true;
	if (secrets_add_stanza(st) < 0) {
		hc_run_rollback(r, mark0);
		hc_report(r, st->root->start, HC_WARNING,
		          "the top-level secrets: has a shape hardcompose does not extend; "
		          "plaintext secrets left in place");
	}
}

static void state_release(struct secrets_state *st)
{
	for (size_t i = 0; i < st->nc; i++) {
		hc_strlist_release(&st->c[i].users);
		free(st->c[i].var);
		free(st->c[i].prefix);
		free(st->c[i].cstr);
		free(st->c[i].secret);
	}
	free(st->c);
	for (size_t i = 0; i < st->ng; i++)
		free(st->g[i].name);
	free(st->g);
	hc_strlist_release(&st->envnames);
	hc_strlist_release(&st->envvals);
	hc_strlist_release(&st->envexp);
	hc_strmap_release(&st->envidx);
	hc_strmap_release(&st->stanza);
	hc_strmap_release(&st->taken);
	secrets_shared_release(st);
}

static void secrets_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	struct secrets_state st = {.r = r, .o = opts, .root = root};
	struct hc_node *services = hc_deref(hc_map_get(root, "services", NULL));
	if (!services || services->type != HC_MAP)
		return;
	st.tsec = hc_map_get(root, "secrets", &st.tseckey);
	st.env_only = hc_swarm_minor(r->doc) == 0;
	st.external = st.o->target && !strcmp(st.o->target, "external");
	st.rewrite = r->ctx->side_effects || r->ctx->preview;
	index_stanza(&st);
	if (r->ctx->dotenv)
		secrets_read_dotenv(&st, r->ctx->dotenv, r->ctx->dotenv_len);
	secrets_shared_collect(&st, root, services);
	for (size_t i = 0; i + 1 < services->nkids; i += 2) {
		struct hc_node *k = services->kids[i], *v = services->kids[i + 1];
		if (v->type == HC_ALIAS || v->type != HC_MAP || hc_run_skips(r, k->text, k))
			continue;
		secrets_collect_service(&st, k->text, k, v);
	}
	if (st.rerouted) {
		struct hc_node *vkey = NULL;
		hc_map_get(root, "version", &vkey);
		hc_swarm_lacks(r, vkey ? vkey->start : root->start,
		               "values the image reads from a file go to .env", "secrets", 1);
	}
	secrets_name_groups(&st);
	secrets_other_occurrences(&st, root);
	bool write = st.rewrite;
	struct hc_run_mark mark0 = hc_run_mark(r);
	/* shared values all readers read from files count as file secrets here */
	for (size_t k = 0; k < st.nc; k++)
		st.g[st.c[k].group].file |= st.c[k].file_ok;
	if (write && !stanza_writable(&st))
		keep_file_secrets(&st);
	/* one service at a time: rewrite its entries, then list its secrets */
	for (size_t i = 0; i < st.nc;) {
		size_t j = i;
		while (j < st.nc && st.c[j].svalue == st.c[i].svalue)
			j++;
		secrets_service(&st, i, j, write);
		i = j;
	}
	if (write) {
		secrets_shared_declare(&st);
		finish_stanza(&st, mark0);
	}
	if (write && !r->side->dir)
		r->side->dir = hc_xstrdup(st.o->dir);
	state_release(&st);
}

const char *hc_secrets_opts_dir(const void *opts)
{
	return ((const struct secrets_opts *)opts)->dir;
}

const struct hc_secret_words *hc_secrets_opts_words(const void *opts)
{
	return &((const struct secrets_opts *)opts)->words;
}

const struct hc_transform hc_t_secrets = {
    .id = "secrets",
    .summary = "move plaintext secrets in environment: to secret files (*_FILE) or to .env",
    .options = secrets_options,
    .nopts = sizeof(secrets_options) / sizeof(secrets_options[0]),
    .opts_size = sizeof(struct secrets_opts),
    .document = secrets_document,
    .batch = true,
    .in_base_too = true, /* plaintext secrets of an override file are its own */
};

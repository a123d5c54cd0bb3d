/*
 * restart_policy.c: `restart: unless-stopped` on services with no restart
 * policy (neither `restart` nor `deploy.restart_policy`, own or merged), so a
 * crashed or rebooted host brings the stack back.
 *
 * One-shot jobs are left alone, with a note: unless-stopped starts them
 * again after every exit, so a migration or a bucket setup runs forever.
 * The evidence, from the file itself (docs/transforms.md has the rule):
 *   - another service waits for it with `condition:
 *     service_completed_successfully`;
 *   - the last command of its entrypoint + command (after the last `&&`,
 *     `;`, `|`, line end) is a job: a word such as migrate, seed, setup,
 *     init, bootstrap, a script named after one (migrate.sh, init-db.py,
 *     run-migrations.sh), a rails/sequelize task (db:migrate), `db
 *     upgrade`, `alembic upgrade`. Options (`--init-file`), KEY=value
 *     words, paths ending in a bare `init` (s6-overlay's /init,
 *     /sbin/init), dumb-init and docker-bootstrap.sh are not;
 *   - unless that last command never exits (sleep infinity, tail -f): its
 *     name is a job word or ends in -<word> / _<word> (db-init,
 *     app_migrate, createbuckets).
 *   A name with a long-running role (worker, server, daemon, scheduler,
 *   consumer, listener, watcher, queue) is never a job by name or word.
 */
#include "transforms/transform.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

struct restart_opts {
	char *value;
	bool skip_jobs;
};

static const struct hc_option restart_options[] = {
    {"value", HC_OPT_STR, offsetof(struct restart_opts, value), "unless-stopped",
     "the restart policy to set (no, always, on-failure, unless-stopped)"},
    {"skip-jobs", HC_OPT_BOOL, offsetof(struct restart_opts, skip_jobs), "true",
     "leave one-shot jobs (migrations, setup, init) without a restart policy"},
};

/* Words that name a one-shot job. */
static const char *const job_words[] = {
    "migrate", "migration", "migrations", "seed", "setup", "init", "bootstrap", "createbuckets",
};
/* Rails/sequelize tasks after `db:`. */
static const char *const db_tasks[] = {"migrate", "seed", "setup", "prepare", "create"};

static bool in_list(const char *const *l, size_t n, const char *w, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(l[i]) == len && !memcmp(l[i], w, len))
			return true;
	return false;
}

#define JOB_WORD(w, n) in_list(job_words, sizeof(job_words) / sizeof(*job_words), w, n)

/* A name that says the service keeps running, whatever job it serves
 * (appwrite's worker-migrations handles migrations as they come). */
static bool long_running_name(const char *name)
{
	static const char *const roles[] = {"worker",   "server",   "daemon",  "scheduler",
	                                    "consumer", "listener", "watcher", "queue"};
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
		if (strstr(name, roles[i]))
			return true;
	return false;
}

/*
 * Is w (lowercased, NUL-terminated, len bytes) the name of a job: a job
 * word, or one joined to others by - or _ in front (init-db, seed_data)?
 * Behind (db-init, run-migrations) counts for every job word in a service
 * name, but in a command only for migrate/migration(s)/seed: dumb-init is
 * an init and docker-bootstrap.sh or docker-setup.sh wrap servers. Names
 * with a long-running role (worker, server, ...) are never jobs.
 */
static bool job_name(const char *w, size_t len, bool service_name)
{
	if (long_running_name(w))
		return false;
	if (JOB_WORD(w, len))
		return true;
	for (size_t i = 1; i + 1 < len; i++) {
		if (w[i] != '-' && w[i] != '_')
			continue;
		if (JOB_WORD(w, i))
			return true;
		const char *t = w + i + 1;
		if (JOB_WORD(t, len - i - 1) &&
		    (service_name || !strncmp(t, "migrat", 6) || !strcmp(t, "seed")))
			return true;
	}
	return false;
}

/* One word of a command: the job it names, or NULL. prev is the word
 * before it in its command (basename, lowercased), "" at the start. */
static bool job_word(const char *word, size_t n, const char *prev)
{
	if (!n || word[0] == '-' || memchr(word, '=', n) || memchr(word, '$', n))
		return false;
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (word[i] == '/')
			slash = word + i;
	const char *b = slash ? slash + 1 : word;
	char w[64];
	size_t len = n - (size_t)(b - word);
	if (len == 0 || len >= sizeof w)
		return false;
	for (size_t i = 0; i < len; i++)
		w[i] = (char)tolower((unsigned char)b[i]);
	w[len] = 0;
	static const char *const exts[] = {".sh", ".bash", ".py", ".js", ".mjs", ".ts", ".rb"};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		size_t el = strlen(exts[i]);
		if (len > el && !strcmp(w + len - el, exts[i])) {
			len -= el;
			w[len] = 0;
			break;
		}
	}
	if (slash && !strcmp(w, "init") && len == n - (size_t)(b - word))
		return false; /* /init, /sbin/init: an init system, not a job */
	char *colon = strchr(w, ':');
	if (colon) {
		size_t a = (size_t)(colon - w);
		if (a == 2 && !memcmp(w, "db", 2))
			return in_list(db_tasks, sizeof db_tasks / sizeof *db_tasks, colon + 1,
			               strlen(colon + 1));
		return JOB_WORD(w, a); /* migrate:latest, migration:run */
	}
	if (!strcmp(w, "upgrade"))
		return !strcmp(prev, "db") || !strcmp(prev, "alembic");
	return job_name(w, len, false);
}

/* Appends the words of a command (string or list) to b, space-separated. */
static void add_words(struct hc_buf *b, struct hc_node *n)
{
	n = hc_deref(n);
	if (!n)
		return;
	if (n->type == HC_SCALAR) {
		hc_buf_add(b, n->text, n->len);
		hc_buf_addc(b, ' ');
	} else if (n->type == HC_SEQ) {
		for (size_t i = 0; i < n->nkids; i++)
			add_words(b, n->kids[i]);
	}
}

/*
 * Whether the last command of the service's entrypoint + command runs a
 * job; its word in *word (a pointer into b, *wlen bytes). Trailing
 * commands that only end the script (exit, true, empty) are skipped.
 * *forever: that last command is `sleep infinity` or `tail -f`, which
 * never exit.
 */
static bool job_command(const struct hc_buf *b, const char **word, size_t *wlen, bool *forever)
{
	bool seg_forever = false;
	*forever = false;
	const char *s = b->data, *e = b->data + b->len;
	const char *seg_word = NULL, *last_word = NULL;
	size_t seg_len = 0, last_len = 0;
	bool seg_trivial = true, seg_end = false, last_job = false;
	char prev[64] = "";
	const char *prev_w = NULL;
	size_t nwords = 0;
	while (s <= e) {
		if (s == e || strchr(";&|\n", *s)) {
			if (!seg_trivial) {
				last_job = seg_word != NULL;
				last_word = seg_word, last_len = seg_len;
				*forever = seg_forever;
			}
			seg_forever = false;
			seg_word = NULL, seg_trivial = true, seg_end = false, prev[0] = 0,
			prev_w = NULL, nwords = 0;
			if (s == e)
				break;
			s++;
			continue;
		}
		if (isspace((unsigned char)*s) || strchr("'\"()`", *s)) {
			s++;
			continue;
		}
		const char *w = s;
		while (s < e && !isspace((unsigned char)*s) && !strchr(";&|\n'\"()`", *s))
			s++;
		size_t n = (size_t)(s - w);
		if (nwords++ == 0 && n == 4 && (!memcmp(w, "exit", 4) || !memcmp(w, "true", 4)))
			seg_end = true;
		if (seg_end)
			continue;
		seg_trivial = false;
		if ((!strcmp(prev, "sleep") && n == 8 && !memcmp(w, "infinity", 8)) ||
		    (!strcmp(prev, "tail") && n == 2 &&
		     (!memcmp(w, "-f", 2) || !memcmp(w, "-F", 2))))
			seg_forever = true;
		if (!seg_word && job_word(w, n, prev)) {
			seg_word = w, seg_len = n;
			if (prev_w && n == 7 && !memcmp(w, "upgrade", 7))
				seg_word = prev_w, seg_len = (size_t)(w + n - prev_w);
		}
		prev_w = w;
		const char *base = w;
		for (size_t i = 0; i < n; i++)
			if (w[i] == '/')
				base = w + i + 1;
		size_t bl = n - (size_t)(base - w);
		if (bl >= sizeof prev)
			bl = 0;
		for (size_t i = 0; i < bl; i++)
			prev[i] = (char)tolower((unsigned char)base[i]);
		prev[bl] = 0;
	}
	*word = last_word, *wlen = last_len;
	return last_job;
}

/*
 * Who waits for whom with service_completed_successfully, gathered once per
 * document by restart_document(), which the engine calls right before the
 * services, on the same thread: up to AWAITED pairs, else `overflow` (then
 * each service scans the file: only a file with that many such conditions
 * pays for it). Thread-local, since files may run on several threads.
 */
#define AWAITED 32
static _Thread_local struct {
	const struct hc_doc *doc;
	size_t n;
	bool overflow;
	const char *job[AWAITED], *waiter[AWAITED];
} awaits;

/* Calls fn for every (job, waiter) pair of the document; stops when it
 * returns true. */
static bool each_await(const struct hc_doc *d, bool (*fn)(const char *, const char *, void *),
                       void *arg)
{
	struct hc_node *svcs = hc_deref(hc_map_get(d->root, "services", NULL));
	if (!svcs || svcs->type != HC_MAP)
		return false;
	for (size_t i = 0; i + 1 < svcs->nkids; i += 2) {
		struct hc_node *dep =
		    hc_deref(hc_map_lookup(hc_deref(svcs->kids[i + 1]), "depends_on", NULL));
		if (!dep || dep->type != HC_MAP)
			continue;
		for (size_t j = 0; j + 1 < dep->nkids; j += 2) {
			struct hc_node *k = hc_deref(dep->kids[j]);
			struct hc_node *c =
			    hc_deref(hc_map_lookup(hc_deref(dep->kids[j + 1]), "condition", NULL));
			if (k && k->type == HC_SCALAR &&
			    hc_scalar_is(c, "service_completed_successfully") &&
			    fn(k->text, svcs->kids[i]->text, arg))
				return true;
		}
	}
	return false;
}

static bool remember(const char *job, const char *waiter, void *arg)
{
	(void)arg;
	if (awaits.n == AWAITED) {
		awaits.overflow = true;
		return true;
	}
	awaits.job[awaits.n] = job, awaits.waiter[awaits.n++] = waiter;
	return false;
}

struct find_job {
	const char *name, *waiter;
};

static bool is_job(const char *job, const char *waiter, void *arg)
{
	struct find_job *f = arg;
	if (strcmp(job, f->name))
		return false;
	f->waiter = waiter;
	return true;
}

static void restart_document(struct hc_run *r, struct hc_node *root, const void *opts)
{
	(void)root, (void)opts;
	awaits.doc = r->doc, awaits.n = 0, awaits.overflow = false;
	each_await(r->doc, remember, NULL);
}

/* Does another service wait for s with service_completed_successfully?
 * Its name in *waiter. */
static bool awaited(const struct hc_run *r, const struct hc_service *s, const char **waiter)
{
	if (awaits.doc == r->doc && !awaits.overflow) {
		for (size_t i = 0; i < awaits.n; i++)
			if (!strcmp(awaits.job[i], s->name)) {
				*waiter = awaits.waiter[i];
				return true;
			}
		return false;
	}
	struct find_job f = {s->name, NULL};
	if (!each_await(r->doc, is_job, &f))
		return false;
	*waiter = f.waiter;
	return true;
}

/* Why s looks like a one-shot job, appended to why; false when it does not. */
static bool one_shot(const struct hc_run *r, const struct hc_service *s, struct hc_buf *why)
{
	const char *waiter;
	if (awaited(r, s, &waiter)) {
		hc_buf_addf(why,
		            "service \"%.80s\" waits for it to complete (condition: "
		            "service_completed_successfully)",
		            waiter);
		return true;
	}
	struct hc_buf cmd = HC_BUF_INIT;
	add_words(&cmd, hc_service_lookup(s, "entrypoint"));
	add_words(&cmd, hc_service_lookup(s, "command"));
	const char *w = NULL;
	size_t wl = 0;
	bool forever = false;
	bool job = cmd.len && job_command(&cmd, &w, &wl, &forever);
	if (job)
		hc_buf_addf(why, "its command runs '%.*s'", (int)(wl > 60 ? 60 : wl), w);
	hc_buf_release(&cmd);
	if (job || forever)
		return job;
	char name[64];
	size_t nl = strlen(s->name);
	if (nl < sizeof name) {
		for (size_t i = 0; i <= nl; i++)
			name[i] = (char)tolower((unsigned char)s->name[i]);
		if (job_name(name, nl, true)) {
			hc_buf_adds(why, "its name says it is a job");
			return true;
		}
	}
	return false;
}

static void restart_service(struct hc_run *r, const struct hc_service *s, const void *opts)
{
	const struct restart_opts *o = opts;
	if (hc_map_lookup(s->value, "restart", NULL))
		return;
	struct hc_node *deploy = hc_deref(hc_map_lookup(s->value, "deploy", NULL));
	if (hc_map_lookup(deploy, "restart_policy", NULL))
		return;
	struct hc_buf why = HC_BUF_INIT;
	if (o->skip_jobs && one_shot(r, s, &why)) {
		hc_report(
		    r, s->key->start, HC_NOTE,
		    "service \"%s\" looks like a one-shot job (%s): restart: %s would start it "
		    "again after every exit; restart not added. Write `restart: \"no\"` to "
		    "say so, or to add it anyway write the policy yourself or --set "
		    "restart-policy.skip-jobs=false; `# hardcompose: ignore[restart-policy]` "
		    "silences this",
		    s->name, why.data, o->value);
		hc_buf_release(&why);
		return;
	}
	hc_buf_release(&why);
	struct hc_val *v = hc_val_str(o->value);
	if (hc_add_pair(r, s->key, s->value, "restart", v) == 0)
		hc_service_change(r, s, "restart", "service \"%s\": add restart: %s", s->name,
		                  o->value);
	hc_val_free(v);
}

const struct hc_transform hc_t_restart_policy = {
    .id = "restart-policy",
    .summary = "restart services after a crash or reboot (restart: unless-stopped)",
    .options = restart_options,
    .nopts = sizeof(restart_options) / sizeof(restart_options[0]),
    .opts_size = sizeof(struct restart_opts),
    .service = restart_service,
    .batch = true, /* reads restart, deploy.restart_policy, command, entrypoint,
                      depends_on: no transform before it writes them */
    .document = restart_document,
};

/*
 * side.c: secret files, .env and .gitignore. See side.h.
 */
#define _XOPEN_SOURCE 700
#include "cli/side.h"
#include "base/dotenv.h"
#include "base/io.h"
#include "cli/fail.h"
#include "cli/gitside.h"
#include "engine/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *dir, const char *name)
{
	struct hc_buf b = HC_BUF_INIT;
	if (name[0] == '/') {
		hc_buf_adds(&b, name);
	} else {
		hc_buf_adds(&b, dir);
		if (strcmp(dir, "/"))
			hc_buf_addc(&b, '/');
		while (!strncmp(name, "./", 2))
			name += 2;
		hc_buf_adds(&b, name);
	}
	size_t len;
	return hc_buf_detach(&b, &len);
}

int hc_side_secret_state(const char *folder, const char *dir, const char *name, const char *value,
                         size_t len)
{
	char *sdir = join(folder, dir);
	char *p = join(sdir, name);
	struct stat st;
	int rc = -1;
	if (lstat(p, &st) == 0) {
		struct hc_buf t = HC_BUF_INIT;
		struct hc_diag e = HC_DIAG_INIT;
		rc = S_ISREG(st.st_mode) && hc_read_file(p, &t, &e) == 0 && t.len == len &&
		     (!len || !memcmp(t.data, value, len));
		hc_buf_release(&t);
		hc_diag_release(&e);
	} else if (errno != ENOENT) {
		rc = 0;
	}
	free(p);
	free(sdir);
	return rc;
}

/* Creates path (which must not exist) with data: a temporary file in the
 * same folder, mode set, fsynced, then linked into place. */
static int write_new(const char *path, const char *data, size_t len, mode_t mode, int uid,
                     bool *chowned, struct hc_diag *err, const char *what)
{
	const char *step;
	int rc = hc_create_new(path, data, len, mode, geteuid() == 0 ? uid : -1, chowned, &step);
	if (rc < 0)
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot %s (%s): %s", step, what,
		            strerror(errno));
	return rc;
}

/* mkdir -p with mode for the parts it creates. */
static int make_dirs(const char *path, mode_t mode)
{
	char *p = hc_xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

static bool has_line(const struct hc_buf *t, const char *const *alts)
{
	size_t i = 0;
	while (t->data && i < t->len) {
		size_t e = i;
		while (e < t->len && t->data[e] != '\n')
			e++;
		size_t s = i, le = e;
		while (le > s && (t->data[le - 1] == '\r' || t->data[le - 1] == ' '))
			le--;
		for (size_t k = 0; alts[k]; k++)
			if (strlen(alts[k]) == le - s && !memcmp(t->data + s, alts[k], le - s))
				return true;
		i = e + 1;
	}
	return false;
}

/* The line end a text uses (CRLF when its first line ends so). */
static const char *eol_of(const struct hc_buf *t)
{
	const char *nl = t->data ? memchr(t->data, '\n', t->len) : NULL;
	return nl && nl > t->data && nl[-1] == '\r' ? "\r\n" : "\n";
}

static int file_exists(const char *path, struct stat *st)
{
	if (lstat(path, st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* Is path, when it is a symlink, one that stays inside the folder real
 * (resolved)? A dangling link, or one leading out, is not. */
static bool link_inside(const char *path, const char *real, char **target)
{
	struct stat st;
	*target = NULL;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return true;
	char *t = realpath(path, NULL);
	size_t n = real ? strlen(real) : 0;
	bool in = t && real && !strncmp(t, real, n) && (t[n] == '/' || (n == 1 && real[0] == '/'));
	if (!in)
		*target = t ? t : hc_xstrdup("nowhere: a dangling link");
	else
		free(t);
	return in;
}

/* Did hardcompose write this .env (it holds our comment)? */
static bool env_is_ours(const char *envp)
{
	struct hc_buf t = HC_BUF_INIT;
	struct hc_diag e = HC_DIAG_INIT;
	bool ours =
	    hc_read_file(envp, &t, &e) == 0 && t.data && strstr(t.data, "by hardcompose") != NULL;
	hc_buf_release(&t);
	hc_diag_release(&e);
	return ours;
}

/* The paths a side write touches, and what it found. */
struct sw {
	const char *compose; /* the compose file */
	const struct hc_side *side;
	char *dir, *sdir, *envp, *gip; /* its folder, secrets/, .env, .gitignore */
	char *sgip, *exp;              /* secrets/.gitignore, .env.example */
	bool *todo;                    /* secret files to create */
	bool *widen;                   /* secret files of ours left 0600 by an older run */
	struct hc_buf env, gi, ex;     /* .env, .gitignore, .env.example as they are */
	int env_ex, gi_ex, ex_ex;      /* do they exist (-1: cannot tell) */
	bool env_fixup;                /* only: ignore a .env of ours */
	size_t nvals;                  /* .env lines to append (entries with a value) */
	enum hc_git_state git;         /* what git says about .env */
	struct hc_diag *err;
	struct hc_buf *notes;
};

/* Reads path (err: about path) into b. */
static int read_side(struct sw *w, const char *path, struct hc_buf *b)
{
	return hc_read_file(path, b, w->err);
}

/* Nothing to write: is there a .env of ours that a failed run left
 * un-ignored, to be ignored now? */
static bool env_fixup_needed(const char *dir)
{
	struct hc_buf p = HC_BUF_INIT, q = HC_BUF_INIT;
	hc_buf_addf(&p, "%s/.env", dir);
	hc_buf_addf(&q, "%s/.gitignore", dir);
	struct stat st0;
	bool fix = lstat(q.data, &st0) == 0 && S_ISREG(st0.st_mode) && lstat(p.data, &st0) == 0 &&
	           S_ISREG(st0.st_mode) && env_is_ours(p.data);
	hc_buf_release(&p);
	hc_buf_release(&q);
	return fix;
}

/* 0. .env, .gitignore and the secrets folder stay in the project: a
 * symlink leading out of the compose file's folder is refused (a
 * secrets.dir given on the command line may point anywhere) */
static int check_links(struct sw *w)
{
	int rc = 0;
	char *realdir = realpath(w->dir, NULL);
	const char *sd = w->side->dir ? w->side->dir : "secrets";
	const char *const sides[] = {w->envp, w->gip, w->exp, hc_path_escapes(sd) ? NULL : w->sdir};
	for (size_t i = 0; i < 4 && rc == 0; i++) {
		char *target;
		if (sides[i] && !link_inside(sides[i], realdir, &target)) {
			hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0,
			            "%s is a symlink leading out of the project folder (%s); "
			            "nothing written",
			            sides[i], target);
			free(target);
			rc = -1;
		}
	}
	free(realdir);
	return rc;
}

/* 1. check: nothing is written when any secret file conflicts */
static int check_secret(struct sw *w, size_t i, struct hc_buf *tmp)
{
	struct stat st;
	char *p = join(w->sdir, w->side->files[i].name);
	int ex = file_exists(p, &st), rc = 0;
	if (ex < 0) {
		hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0,
		            "cannot check the secret file %s: %s", p, strerror(errno));
		rc = -1;
	} else if (ex && !S_ISREG(st.st_mode)) {
		hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0,
		            "the secret file %s exists and is not a regular file; nothing written",
		            p);
		rc = -1;
	} else if (ex) {
		tmp->len = 0;
		if (read_side(w, p, tmp) < 0) {
			rc = -1;
		} else if (tmp->len != w->side->files[i].len ||
		           (tmp->len && memcmp(tmp->data, w->side->files[i].value, tmp->len))) {
			hc_diag_set(
			    w->err, HC_EXIT_IO, w->compose, 0, 0,
			    "the secret file %s exists with other content; not overwritten, "
			    "nothing written (remove it, or rename the secret)",
			    p);
			rc = -1;
		} else {
			w->widen[i] = st.st_uid == geteuid() && (st.st_mode & 0777) == 0600 &&
			              !(w->side->files[i].uid >= 0 && geteuid() == 0);
		}
	} else {
		w->todo[i] = true;
	}
	free(p);
	return rc;
}

/* 1. git, when the folder is in a repository: a tracked .env takes no
 * secrets (the next commit would publish them); whether .env is ignored
 * decides the .gitignore line */
static int check_git(struct sw *w)
{
	w->git = hc_git_state(w->dir, ".env");
	if (w->git != HC_GIT_TRACKED || !w->nvals)
		return 0;
	hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0,
	            "%s is tracked by git: secrets are not appended to it (the next commit would "
	            "publish them); nothing written. Untrack it (git rm --cached .env), ignore it "
	            "(/.env in .gitignore), and run again",
	            w->envp);
	return -1;
}

/* 1. check, then read .env and .gitignore */
static int check_all(struct sw *w)
{
	struct stat st;
	struct hc_buf tmp = HC_BUF_INIT;
	int rc = check_links(w);
	for (size_t i = 0; i < w->side->nfiles && rc == 0; i++)
		rc = check_secret(w, i, &tmp);
	hc_buf_release(&tmp);
	w->env_ex = rc == 0 ? file_exists(w->envp, &st) : 0;
	if (rc == 0 && w->env_ex < 0) {
		hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0, "cannot check %s: %s", w->envp,
		            strerror(errno));
		rc = -1;
	}
	if (rc == 0 && w->env_ex && w->side->nenv && read_side(w, w->envp, &w->env) < 0)
		rc = -1;
	w->gi_ex = rc == 0 ? file_exists(w->gip, &st) : 0;
	if (rc == 0 && w->gi_ex > 0 && read_side(w, w->gip, &w->gi) < 0)
		rc = -1;
	w->ex_ex = rc == 0 && w->side->nenv ? file_exists(w->exp, &st) : 0;
	if (rc == 0 && w->ex_ex > 0 && read_side(w, w->exp, &w->ex) < 0)
		rc = -1;
	if (rc == 0 && (w->nvals || w->env_fixup))
		rc = check_git(w);
	return rc;
}

/* Replaces the existing file path with data (err: about path). */
static int replace(struct sw *w, const char *path, const struct hc_buf *data)
{
	return hc_write_atomic(path, data->data, data->len, w->err);
}

/* 2. the secrets folder: made 0700 when new; one of ours that is wider is
 * made 0700 (the files in it are 0444: the folder keeps other users out) */
static int secrets_folder(struct sw *w, bool any_new)
{
	struct stat st;
	if (any_new && file_exists(w->sdir, &st) == 0) {
		if (make_dirs(w->sdir, 0700) == 0)
			return 0;
		hc_diag_set(w->err, HC_EXIT_IO, w->compose, 0, 0, "cannot create the folder %s: %s",
		            w->sdir, strerror(errno));
		return -1;
	}
	if (stat(w->sdir, &st) < 0 || !(st.st_mode & 077))
		return 0;
	if (st.st_uid == geteuid() && chmod(w->sdir, 0700) == 0)
		hc_buf_addf(w->notes,
		            "%s: note: the secrets folder %s had mode %04o; made 0700 to keep "
		            "other users out of the secret files\n",
		            w->compose, w->sdir, (unsigned)(st.st_mode & 07777));
	else
		hc_buf_addf(w->notes,
		            "%s: warning: the secrets folder %s has mode %04o and is not yours: "
		            "other users can read the secret files; run: chmod 700 %s\n",
		            w->compose, w->sdir, (unsigned)(st.st_mode & 07777), w->sdir);
	return 0;
}

/* 2. secrets/.gitignore holds `*`: nothing in the folder is ever committed,
 * wherever the folder is and whatever the repository ignores */
static int secrets_gitignore(struct sw *w)
{
	static const char *const star[] = {"*", "/*", NULL};
	struct hc_buf t = HC_BUF_INIT;
	struct stat st;
	int ex = file_exists(w->sgip, &st), rc = 0;
	if (ex > 0)
		rc = read_side(w, w->sgip, &t);
	if (rc == 0 && !(ex > 0 && has_line(&t, star))) {
		const char *eol = eol_of(&t);
		if (t.len && t.data[t.len - 1] != '\n')
			hc_buf_adds(&t, eol);
		hc_buf_addf(&t, "# secret files written by hardcompose: never committed%s*%s", eol,
		            eol);
		bool chowned;
		rc = ex > 0 ? replace(w, w->sgip, &t)
		            : write_new(w->sgip, t.data, t.len, 0644, -1, &chowned, w->err,
		                        "the secrets folder's .gitignore");
	}
	hc_buf_release(&t);
	return rc;
}

/* 2. one secret file: 0444 (the service reads it whatever its uid and
 * capabilities; the 0700 folder keeps other users out); run as root for
 * an image that reads it as a known uid, that uid's own, 0400 */
static int write_secret(struct sw *w, const struct hc_secret_file *f)
{
	char *p = join(w->sdir, f->name);
	bool give = f->uid >= 0 && geteuid() == 0, chowned = false;
	int rc = write_new(p, f->value, f->len, give ? 0400 : 0444, f->uid, &chowned, w->err,
	                   "the secret file");
	if (rc == 0 && give && !chowned)
		chmod(p, 0444);
	if (rc == 0 && f->uid >= 0 && !chowned && (uid_t)f->uid != geteuid())
		hc_buf_addf(w->notes,
		            "%s: note: the image reads %s as uid %d and may want it to be its own "
		            "(elasticsearch does); run: sudo chown %d %s && sudo chmod 400 %s\n",
		            w->compose, p, f->uid, f->uid, p, p);
	free(p);
	return rc;
}

/* 2. secret files, in a folder made when needed */
static int write_secrets(struct sw *w)
{
	struct stat st;
	bool any_new = false;
	for (size_t i = 0; i < w->side->nfiles; i++)
		any_new |= w->todo[i];
	int rc = w->side->nfiles ? secrets_folder(w, any_new) : 0;
	if (rc == 0 && w->side->nfiles)
		rc = secrets_gitignore(w);
	for (size_t i = 0; i < w->side->nfiles && rc == 0; i++)
		if (w->todo[i])
			rc = write_secret(w, &w->side->files[i]);
	bool closed = rc == 0 && stat(w->sdir, &st) == 0 && !(st.st_mode & 077);
	for (size_t i = 0; i < w->side->nfiles && closed; i++) {
		char *p = join(w->sdir, w->side->files[i].name);
		if (w->widen[i] && chmod(p, 0444) == 0)
			hc_buf_addf(
			    w->notes,
			    "%s: note: the secret file %s had mode 0600, which a service of "
			    "another uid cannot read: made 0444 (its folder is 0700)\n",
			    w->compose, p);
		free(p);
	}
	return rc;
}

/* 3. .env: the lines appended, a new one made 0600 */
static int append_env(struct sw *w)
{
	const char *eol = eol_of(&w->env);
	struct hc_buf out = HC_BUF_INIT;
	hc_buf_add(&out, w->env.data ? w->env.data : "", w->env.len);
	if (out.len && out.data[out.len - 1] != '\n')
		hc_buf_adds(&out, eol);
	const char *base = strrchr(w->compose, '/');
	hc_buf_addf(&out, "# moved out of %s by hardcompose%s", base ? base + 1 : w->compose, eol);
	for (size_t i = 0; i < w->side->nenv; i++)
		if (w->side->env[i].value)
			hc_dotenv_line(&out, w->side->env[i].name, w->side->env[i].value,
			               strlen(w->side->env[i].value), eol);
	bool chowned;
	struct stat est;
	bool wide = w->env_ex && stat(w->envp, &est) == 0 && (est.st_mode & 077);
	int rc = w->env_ex
	             ? replace(w, w->envp, &out)
	             : write_new(w->envp, out.data, out.len, 0600, -1, &chowned, w->err, ".env");
	hc_buf_release(&out);
	if (rc == 0 && wide && est.st_uid == geteuid() && chmod(w->envp, 0600) == 0)
		hc_buf_addf(w->notes,
		            "%s: note: %s had mode %04o, readable by other users; it holds "
		            "secrets now: made 0600\n",
		            w->compose, w->envp, (unsigned)(est.st_mode & 07777));
	else if (rc == 0 && wide)
		hc_buf_addf(w->notes,
		            "%s: warning: %s has mode %04o and is not yours: other users can "
		            "read the secrets appended to it; run: chmod 600 %s\n",
		            w->compose, w->envp, (unsigned)(est.st_mode & 07777), w->envp);
	return rc;
}

/* Does the .env-style text t set name (`NAME=`, `export NAME=`, `NAME:`,
 * or a bare `NAME`)? */
static bool sets_name(const struct hc_buf *t, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; t->data && i < t->len;) {
		size_t e = i;
		while (e < t->len && t->data[e] != '\n')
			e++;
		const char *s = t->data + i;
		while (s < t->data + e && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(t->data + e - s) > 7 && !strncmp(s, "export ", 7))
			s += 7;
		if ((size_t)(t->data + e - s) >= n && !strncmp(s, name, n) &&
		    (s + n == t->data + e || strchr("=: \t\r", s[n])))
			return true;
		i = e + 1;
	}
	return false;
}

/* 3. .env.example beside .env: the names moved there, without values,
 * after the lines already there */
static int update_example(struct sw *w)
{
	const char *eol = eol_of(w->ex_ex > 0 ? &w->ex : &w->env);
	struct hc_buf add = HC_BUF_INIT;
	for (size_t i = 0; i < w->side->nenv; i++)
		if (!sets_name(&w->ex, w->side->env[i].name) &&
		    !sets_name(&add, w->side->env[i].name))
			hc_buf_addf(&add, "%s=%s", w->side->env[i].name, eol);
	int rc = 0;
	if (add.len) {
		struct hc_buf out = HC_BUF_INIT;
		hc_buf_add(&out, w->ex.data ? w->ex.data : "", w->ex.len);
		if (out.len && out.data[out.len - 1] != '\n')
			hc_buf_adds(&out, eol);
		const char *base = strrchr(w->compose, '/');
		hc_buf_addf(&out,
		            "# secrets %s reads from .env or the environment (no values here)%s",
		            base ? base + 1 : w->compose, eol);
		hc_buf_add(&out, add.data, add.len);
		bool chowned;
		rc = w->ex_ex > 0 ? replace(w, w->exp, &out)
		                  : write_new(w->exp, out.data, out.len, 0644, -1, &chowned, w->err,
		                              ".env.example");
		hc_buf_release(&out);
	}
	hc_buf_release(&add);
	return rc;
}

/* 4. .gitignore: /secrets/ and /.env added when there is one; in a git
 * repository, /.env added (to a .gitignore made when needed) exactly when
 * git does not ignore .env yet */
static int update_gitignore(struct sw *w)
{
	static const char *const sec_alts[] = {"secrets",   "secrets/",   "/secrets", "/secrets/",
	                                       "secrets/*", "/secrets/*", NULL};
	static const char *const env_alts[] = {".env", "/.env", "*.env", ".env*", NULL};
	const char *sname = w->side->dir ? w->side->dir : "secrets";
	while (!strncmp(sname, "./", 2))
		sname += 2;
	const char *eol = eol_of(&w->gi);
	struct hc_buf add = HC_BUF_INIT;
	bool default_dir = !strcmp(sname, "secrets") || !strcmp(sname, "secrets/");
	if (w->gi_ex > 0 && w->side->nfiles && sname[0] != '/' && strncmp(sname, "../", 3) &&
	    !(default_dir && has_line(&w->gi, sec_alts))) {
		char *alt[3] = {NULL, NULL, NULL};
		struct hc_buf a = HC_BUF_INIT;
		hc_buf_addf(&a, "/%s%s", sname, sname[strlen(sname) - 1] == '/' ? "" : "/");
		alt[0] = a.data;
		if (!has_line(&w->gi, (const char *const *)alt))
			hc_buf_addf(&add, "%s%s", a.data, eol);
		hc_buf_release(&a);
	}
	bool env_line =
	    w->git == HC_GIT_NONE ? !has_line(&w->gi, env_alts) : w->git == HC_GIT_UNIGNORED;
	if ((w->nvals || w->env_fixup) && env_line)
		hc_buf_addf(&add, "/.env%s", eol);
	int rc = 0;
	if (add.len) {
		struct hc_buf out = HC_BUF_INIT;
		hc_buf_add(&out, w->gi.data ? w->gi.data : "", w->gi.len);
		if (out.len && out.data[out.len - 1] != '\n')
			hc_buf_adds(&out, eol);
		hc_buf_add(&out, add.data, add.len);
		bool chowned;
		rc = w->gi_ex > 0 ? replace(w, w->gip, &out)
		                  : write_new(w->gip, out.data, out.len, 0644, -1, &chowned, w->err,
		                              ".gitignore");
		hc_buf_release(&out);
	}
	hc_buf_release(&add);
	return rc;
}

int hc_side_write(const char *compose_path, const struct hc_side *side, struct hc_diag *err,
                  struct hc_buf *notes)
{
	struct sw w = {.compose = compose_path, .side = side, .err = err, .notes = notes};
	w.dir = hc_dirname(compose_path);
	if (!side->nfiles && !side->nenv) {
		w.env_fixup = env_fixup_needed(w.dir);
		if (!w.env_fixup) {
			free(w.dir);
			return 0;
		}
	}
	w.sdir = join(w.dir, side->dir ? side->dir : "secrets");
	w.envp = join(w.dir, ".env");
	w.gip = join(w.dir, ".gitignore");
	w.sgip = join(w.sdir, ".gitignore");
	w.exp = join(w.dir, ".env.example");
	w.todo = hc_xcalloc(side->nfiles + 1, sizeof(*w.todo));
	w.widen = hc_xcalloc(side->nfiles + 1, sizeof(*w.widen));
	w.env = (struct hc_buf)HC_BUF_INIT;
	w.gi = (struct hc_buf)HC_BUF_INIT;
	w.ex = (struct hc_buf)HC_BUF_INIT;
	for (size_t i = 0; i < side->nenv; i++)
		w.nvals += side->env[i].value != NULL;
	int rc = check_all(&w);
	if (rc == 0)
		rc = write_secrets(&w);
	if (rc == 0 && w.nvals)
		rc = append_env(&w);
	if (rc == 0 && side->nenv)
		rc = update_example(&w);
	if (rc == 0 && (w.gi_ex > 0 || w.git == HC_GIT_UNIGNORED))
		rc = update_gitignore(&w);
	free(w.todo);
	free(w.widen);
	free(w.dir);
	free(w.sdir);
	free(w.envp);
	free(w.gip);
	free(w.sgip);
	free(w.exp);
	hc_buf_release(&w.env);
	hc_buf_release(&w.gi);
	hc_buf_release(&w.ex);
	return rc;
}

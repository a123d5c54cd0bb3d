/*
 * side.c: secret files, .env and .gitignore. See side.h.
 */
#define _XOPEN_SOURCE 700
#include "cli/side.h"
#include "base/dotenv.h"
#include "base/io.h"

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
		struct hc_buf t = HC_BUF_INIT, e = HC_BUF_INIT;
		rc = S_ISREG(st.st_mode) && hc_read_file(p, &t, &e) == 0 && t.len == len &&
		     (!len || !memcmp(t.data, value, len));
		hc_buf_release(&t);
		hc_buf_release(&e);
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
                     bool *chowned, struct hc_buf *err, const char *what)
{
	char *dir = hc_dirname(path);
	struct hc_buf tmp = HC_BUF_INIT;
	hc_buf_addf(&tmp, "%s/.hardcompose-XXXXXX", dir);
	const char *step;
	int rc =
	    hc_write_temp(&tmp, data, len, mode, geteuid() == 0 ? uid : -1, -1, chowned, &step);
	if (rc == 0) {
		step = "link into place";
		rc = link(tmp.data, path);
		int e = errno;
		unlink(tmp.data);
		errno = e;
	}
	if (rc < 0)
		hc_buf_addf(err, "%s: error: cannot %s (%s): %s", path, step, what,
		            strerror(errno));
	else
		hc_fsync_dir(dir);
	free(dir);
	hc_buf_release(&tmp);
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
	struct hc_buf t = HC_BUF_INIT, e = HC_BUF_INIT;
	bool ours =
	    hc_read_file(envp, &t, &e) == 0 && t.data && strstr(t.data, "by hardcompose") != NULL;
	hc_buf_release(&t);
	hc_buf_release(&e);
	return ours;
}

int hc_side_write(const char *compose_path, const struct hc_side *side, struct hc_buf *err,
                  struct hc_buf *notes)
{
	char *dir = hc_dirname(compose_path);
	/* a .env of ours that a failed run left un-ignored is ignored now */
	bool env_fixup = false;
	if (!side->nfiles && !side->nenv) {
		struct hc_buf p = HC_BUF_INIT, q = HC_BUF_INIT;
		hc_buf_addf(&p, "%s/.env", dir);
		hc_buf_addf(&q, "%s/.gitignore", dir);
		struct stat st0;
		env_fixup = lstat(q.data, &st0) == 0 && S_ISREG(st0.st_mode) &&
		            lstat(p.data, &st0) == 0 && S_ISREG(st0.st_mode) && env_is_ours(p.data);
		hc_buf_release(&p);
		hc_buf_release(&q);
		if (!env_fixup) {
			free(dir);
			return 0;
		}
	}
	char *sdir = join(dir, side->dir ? side->dir : "secrets");
	char *envp = join(dir, ".env");
	char *gip = join(dir, ".gitignore");
	bool *todo = hc_xcalloc(side->nfiles + 1, sizeof(*todo));
	struct hc_buf env = HC_BUF_INIT, gi = HC_BUF_INIT, tmp = HC_BUF_INIT;
	int rc = 0;
	struct stat st;

	/* 0. .env, .gitignore and the secrets folder stay in the project: a
	 * symlink leading out of the compose file's folder is refused (a
	 * secrets.dir given on the command line may point anywhere) */
	char *realdir = realpath(dir, NULL);
	const char *const sides[] = {
	    envp, gip, hc_path_escapes(side->dir ? side->dir : "secrets") ? NULL : sdir};
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		char *target;
		if (sides[i] && !link_inside(sides[i], realdir, &target)) {
			hc_buf_addf(
			    err,
			    "%s: error: %s is a symlink leading out of the project folder (%s); "
			    "nothing written",
			    compose_path, sides[i], target);
			free(target);
			rc = -1;
		}
	}
	free(realdir);

	/* 1. check: nothing is written when anything conflicts */
	for (size_t i = 0; i < side->nfiles && rc == 0; i++) {
		char *p = join(sdir, side->files[i].name);
		int ex = file_exists(p, &st);
		if (ex < 0) {
			hc_buf_addf(err, "%s: error: cannot check the secret file %s: %s",
			            compose_path, p, strerror(errno));
			rc = -1;
		} else if (ex && !S_ISREG(st.st_mode)) {
			hc_buf_addf(
			    err,
			    "%s: error: the secret file %s exists and is not a regular file; "
			    "nothing written",
			    compose_path, p);
			rc = -1;
		} else if (ex) {
			tmp.len = 0;
			if (hc_read_file(p, &tmp, err) < 0) {
				rc = -1;
			} else if (tmp.len != side->files[i].len ||
			           (tmp.len && memcmp(tmp.data, side->files[i].value, tmp.len))) {
				hc_buf_addf(
				    err,
				    "%s: error: the secret file %s exists with other content; "
				    "not overwritten, nothing written (remove it, or rename the "
				    "secret)",
				    compose_path, p);
				rc = -1;
			}
		} else {
			todo[i] = true;
		}
		free(p);
	}
	int env_ex = rc == 0 ? file_exists(envp, &st) : 0;
	if (rc == 0 && env_ex < 0) {
		hc_buf_addf(err, "%s: error: cannot check %s: %s", compose_path, envp,
		            strerror(errno));
		rc = -1;
	}
	if (rc == 0 && env_ex && side->nenv && hc_read_file(envp, &env, err) < 0)
		rc = -1;
	int gi_ex = rc == 0 ? file_exists(gip, &st) : 0;
	if (rc == 0 && gi_ex > 0 && hc_read_file(gip, &gi, err) < 0)
		rc = -1;

	/* 2. secret files */
	bool any_new = false;
	for (size_t i = 0; i < side->nfiles && rc == 0; i++)
		any_new |= todo[i];
	if (rc == 0 && any_new) {
		if (file_exists(sdir, &st) == 0) {
			if (make_dirs(sdir, 0700) < 0) {
				hc_buf_addf(err, "%s: error: cannot create the folder %s: %s",
				            compose_path, sdir, strerror(errno));
				rc = -1;
			}
		} else if (stat(sdir, &st) == 0 && (st.st_mode & 077)) {
			hc_buf_addf(notes,
			            "%s: note: the secrets folder %s has mode %04o; 0700 keeps "
			            "other users out\n",
			            compose_path, sdir, (unsigned)(st.st_mode & 07777));
		}
	}
	for (size_t i = 0; i < side->nfiles && rc == 0; i++) {
		if (!todo[i])
			continue;
		const struct hc_secret_file *f = &side->files[i];
		char *p = join(sdir, f->name);
		bool chowned;
		rc = write_new(p, f->value, f->len, 0600, f->uid, &chowned, err, "the secret file");
		if (rc == 0 && f->uid >= 0 && !chowned && (uid_t)f->uid != geteuid())
			hc_buf_addf(
			    notes,
			    "%s: note: the image reads %s as uid %d; run: sudo chown %d %s\n",
			    compose_path, p, f->uid, f->uid, p);
		free(p);
	}

	/* 3. .env */
	if (rc == 0 && side->nenv) {
		const char *eol = eol_of(&env);
		struct hc_buf out = HC_BUF_INIT;
		hc_buf_add(&out, env.data ? env.data : "", env.len);
		if (out.len && out.data[out.len - 1] != '\n')
			hc_buf_adds(&out, eol);
		char *base = strrchr(compose_path, '/');
		hc_buf_addf(&out, "# moved out of %s by hardcompose%s",
		            base ? base + 1 : compose_path, eol);
		for (size_t i = 0; i < side->nenv; i++)
			hc_dotenv_line(&out, side->env[i].name, side->env[i].value,
			               strlen(side->env[i].value), eol);
		bool chowned;
		struct stat est;
		bool wide = env_ex && stat(envp, &est) == 0 && (est.st_mode & 077);
		rc = env_ex ? hc_write_atomic(envp, out.data, out.len, err)
		            : write_new(envp, out.data, out.len, 0600, -1, &chowned, err, ".env");
		hc_buf_release(&out);
		if (rc == 0 && wide && est.st_uid == geteuid() && chmod(envp, 0600) == 0)
			hc_buf_addf(notes,
			            "%s: note: %s had mode %04o, readable by other users; it holds "
			            "secrets now: made 0600\n",
			            compose_path, envp, (unsigned)(est.st_mode & 07777));
		else if (rc == 0 && wide)
			hc_buf_addf(
			    notes,
			    "%s: warning: %s has mode %04o and is not yours: other users can "
			    "read the secrets appended to it; run: chmod 600 %s\n",
			    compose_path, envp, (unsigned)(est.st_mode & 07777), envp);
	}

	/* 4. .gitignore, when there is one */
	if (rc == 0 && gi_ex > 0) {
		static const char *const sec_alts[] = {"secrets",   "secrets/",  "/secrets",
		                                       "/secrets/", "secrets/*", "/secrets/*",
		                                       NULL};
		static const char *const env_alts[] = {".env", "/.env", "*.env", ".env*", NULL};
		const char *sname = side->dir ? side->dir : "secrets";
		while (!strncmp(sname, "./", 2))
			sname += 2;
		const char *eol = eol_of(&gi);
		struct hc_buf add = HC_BUF_INIT;
		bool default_dir = !strcmp(sname, "secrets") || !strcmp(sname, "secrets/");
		if (side->nfiles && sname[0] != '/' && strncmp(sname, "../", 3) &&
		    !(default_dir && has_line(&gi, sec_alts))) {
			char *alt[3] = {NULL, NULL, NULL};
			struct hc_buf a = HC_BUF_INIT;
			hc_buf_addf(&a, "/%s%s", sname, sname[strlen(sname) - 1] == '/' ? "" : "/");
			alt[0] = a.data;
			if (!has_line(&gi, (const char *const *)alt))
				hc_buf_addf(&add, "%s%s", a.data, eol);
			hc_buf_release(&a);
		}
		if ((side->nenv || env_fixup) && !has_line(&gi, env_alts))
			hc_buf_addf(&add, "/.env%s", eol);
		if (add.len) {
			struct hc_buf out = HC_BUF_INIT;
			hc_buf_add(&out, gi.data ? gi.data : "", gi.len);
			if (out.len && out.data[out.len - 1] != '\n')
				hc_buf_adds(&out, eol);
			hc_buf_add(&out, add.data, add.len);
			rc = hc_write_atomic(gip, out.data, out.len, err);
			hc_buf_release(&out);
		}
		hc_buf_release(&add);
	}
	free(todo);
	free(dir);
	free(sdir);
	free(envp);
	free(gip);
	hc_buf_release(&env);
	hc_buf_release(&gi);
	hc_buf_release(&tmp);
	return rc;
}

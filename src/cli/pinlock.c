/*
 * pinlock.c: `hardcompose pin --from-docker`: the lock from the local
 * engine (pin.h). For each `name:tag` image of the compose file it runs
 * `docker image inspect` (the docker CLI on PATH, with the environment as
 * is: DOCKER_HOST, DOCKER_CONTEXT and DOCKER_CONFIG apply) and takes the
 * RepoDigest of the image's own repository. The lock keeps its comments,
 * its order and the lines of images the file does not use; a changed
 * digest is replaced where it is, a new image is appended. Nothing is
 * written unless every image has a digest.
 */
#define _GNU_SOURCE
#include "cli/pin.h"
#include "base/io.h"
#include "cli/fail.h"
#include "cli/textout.h"
#include "engine/edit.h"
#include "rules/imglock.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs argv with stdin from /dev/null, its stdout and stderr into out.
 * Its exit status, or -1 (errno set) when it could not be started. */
static int run_capture(char *const argv[], struct hc_buf *out)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (rc) {
		close(fd[0]);
		errno = rc;
		return -1;
	}
	char b[4096];
	ssize_t k;
	while ((k = read(fd[0], b, sizeof(b))) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		if (out->len < ((size_t)1 << 20))
			hc_buf_add(out, b, (size_t)k);
	}
	close(fd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The first line of s, for a message (control bytes are escaped later). */
static char *first_line(const char *s)
{
	s = s ? s : "";
	return hc_xstrndup(s, strcspn(s, "\r\n"));
}

/*
 * The digest the engine has for ref: the RepoDigest of ref's repository.
 * NULL with *why (malloc'd) and *code set when there is none.
 */
static char *engine_digest(const char *ref, char **why, int *code)
{
	char *argv[] = {"docker",
	                "image",
	                "inspect",
	                "--format",
	                "{{range .RepoDigests}}{{println .}}{{end}}",
	                "--",
	                (char *)ref,
	                NULL};
	struct hc_buf out = HC_BUF_INIT;
	int rc = run_capture(argv, &out);
	char *found = NULL, msg[600];
	*code = HC_EXIT_INVALID;
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "cannot run docker: %s", strerror(errno));
		*code = HC_EXIT_IO;
	} else if (rc != 0) {
		char *l = first_line(out.data);
		snprintf(msg, sizeof(msg),
		         "image '%s' is not in the local engine (docker image inspect: %s)", ref,
		         l);
		free(l);
	} else {
		char *repo = hc_image_repo(ref);
		for (char *s = out.data; s && *s && !found;) {
			size_t n = strcspn(s, "\r\n");
			char *at = memchr(s, '@', n);
			if (at && hc_digest_valid(at + 1, n - (size_t)(at + 1 - s))) {
				char *r = hc_xstrndup(s, (size_t)(at - s)), *rr = hc_image_repo(r);
				if (!strcmp(rr, repo))
					found = hc_xstrndup(at + 1, n - (size_t)(at + 1 - s));
				free(r);
				free(rr);
			}
			s += n;
			s += strspn(s, "\r\n");
		}
		snprintf(msg, sizeof(msg),
		         "image '%s' has no RepoDigest for %s in the local engine (it was never "
		         "pushed to or pulled from that registry): push or pull it, then run again",
		         ref, repo);
		free(repo);
	}
	hc_buf_release(&out);
	*why = found ? NULL : hc_xstrdup(msg);
	return found;
}

/* Writes a lock that did not exist: a new file in its folder, linked into
 * place (never over a file that appeared meanwhile). */
static int create_lock(const char *path, const char *data, size_t len, struct hc_diag *err)
{
	mode_t um = umask(0);
	umask(um);
	const char *step;
	int rc = hc_create_new(path, data, len, 0666 & ~um, -1, NULL, &step);
	if (rc < 0)
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot %s: %s", step, strerror(errno));
	return rc;
}

struct refresh {
	struct hc_buf text; /* the lock as it was ("" when new) */
	struct hc_lock lock;
	struct hc_edits edits;
	struct hc_buf tail;     /* lines to append */
	struct hc_strlist done; /* refs handled */
	const char *eol;
	size_t added, updated, same;
	bool exists;
};

/* Records the digest d of ref in the lock being refreshed. */
static void refresh_one(struct refresh *r, const char *ref, const char *d)
{
	const struct hc_lock_entry *e = hc_lock_find(&r->lock, ref);
	if (e && !strcmp(e->digest, d)) {
		r->same++;
	} else if (e) {
		hc_edits_add(&r->edits, e->dstart, e->dend, d, strlen(d));
		r->updated++;
	} else {
		hc_buf_addf(&r->tail, "%s %s%s", ref, d, r->eol);
		r->added++;
	}
}

/* Reads and parses the lock at path (absent: empty). */
static int refresh_read(struct refresh *r, const char *path, struct hc_outcome *o)
{
	struct hc_diag err = HC_DIAG_INIT;
	struct stat st;
	r->exists = stat(path, &st) == 0;
	if (r->exists && hc_read_file(path, &r->text, &err) < 0) {
		hc_outcome_fail(o, &err);
		hc_diag_release(&err);
		return -1;
	}
	if (hc_lock_parse(&r->lock, path, r->text.data ? r->text.data : "", r->text.len, &err) <
	    0) {
		hc_outcome_fail(o, &err);
		hc_diag_release(&err);
		return -1;
	}
	r->eol = r->text.data && strstr(r->text.data, "\r\n") ? "\r\n" : "\n";
	return 0;
}

/* Asks the engine for every image of doc. false when one has none (said
 * in o->err at the image). */
static bool refresh_ask(struct refresh *r, const struct hc_doc *doc, struct hc_outcome *o)
{
	struct hc_images im;
	hc_images_collect(&im, doc);
	struct hc_findings bad = {0};
	for (size_t i = 0; i < im.n; i++) {
		const struct hc_image *x = &im.v[i];
		if (x->state == HC_IMG_VARIABLE || hc_strlist_has(&r->done, x->ref))
			continue;
		char msg[600], *why = NULL, *d = NULL;
		int code = HC_EXIT_INVALID;
		if (x->state == HC_IMG_LATEST || x->state == HC_IMG_UNTAGGED) {
			snprintf(msg, sizeof(msg),
			         "image '%s' %s: the lock names version tags only", x->ref,
			         x->state == HC_IMG_LATEST ? "is tagged latest" : "has no tag");
			why = hc_xstrdup(msg);
		} else if (x->state == HC_IMG_OK) {
			d = engine_digest(x->ref, &why, &code);
		} else {
			continue; /* bad digest, escapes: the pin run says so */
		}
		if (d)
			refresh_one(r, x->ref, d);
		else
			hc_findings_add(&bad, x->pos, HC_ERROR, HC_IMAGE_LOCK, why);
		if (!d && code > o->code)
			o->code = code;
		hc_strlist_push(&r->done, x->ref, strlen(x->ref));
		free(d);
		free(why);
	}
	hc_images_release(&im);
	bool ok = bad.n == 0;
	if (!ok) {
		struct hc_result res = {0};
		res.findings = bad;
		struct hc_buf in = {(char *)doc->text, doc->len, 0};
		hc_collect(o, &in, &res);
		hc_add_findings(&o->err, o, false, false);
	}
	hc_findings_release(&bad);
	return ok;
}

static int refresh_write(struct refresh *r, const char *path, struct hc_outcome *o)
{
	struct hc_buf out = HC_BUF_INIT;
	struct hc_pieces pieces;
	size_t bad;
	hc_pieces_init(&pieces, r->text.len);
	hc_edits_apply(&r->edits, r->text.data ? r->text.data : "", r->text.len, &out, &pieces,
	               &bad);
	hc_pieces_release(&pieces);
	if (!r->exists)
		hc_buf_addf(&out,
		            "# images.lock: one image per line, `name:tag sha256:<digest>`; "
		            "written by hardcompose pin --from-docker%s",
		            r->eol);
	if (r->tail.len && out.len && out.data[out.len - 1] != '\n')
		hc_buf_adds(&out, r->eol);
	hc_buf_add(&out, r->tail.data ? r->tail.data : "", r->tail.len);
	struct hc_diag err = HC_DIAG_INIT;
	int rc = 0;
	if (!r->exists)
		rc = create_lock(path, out.data, out.len, &err);
	else if (r->added || r->updated)
		rc = hc_write_atomic(path, out.data, out.len, &err);
	if (rc < 0)
		hc_outcome_fail(o, &err);
	hc_diag_release(&err);
	hc_buf_release(&out);
	return rc;
}

int hc_pin_refresh(const char *lockpath, const struct hc_doc *doc, struct hc_outcome *o)
{
	struct refresh r = {0};
	int rc = refresh_read(&r, lockpath, o);
	if (rc == 0 && !refresh_ask(&r, doc, o))
		rc = -1;
	if (rc == 0)
		rc = refresh_write(&r, lockpath, o);
	if (rc == 0) {
		struct hc_buf m = HC_BUF_INIT;
		hc_buf_addf(&m, "hardcompose: %s: %zu added, %zu updated, %zu unchanged", lockpath,
		            r.added, r.updated, r.same);
		hc_add_line(&o->err, m.data);
		hc_buf_release(&m);
	}
	hc_buf_release(&r.text);
	hc_lock_release(&r.lock);
	hc_edits_clear(&r.edits);
	hc_buf_release(&r.tail);
	hc_strlist_release(&r.done);
	return rc;
}

/*
 * io.c: whole-file reads and atomic replacement (temp file + fsync + rename,
 * in the manner of git's lockfile).
 */
#define _XOPEN_SOURCE 700
#include "base/io.h"
#include "base/exit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(int fd, struct hc_buf *buf, size_t max)
{
	for (;;) {
		hc_buf_grow(buf, 65536);
		size_t room = buf->cap - buf->len - 1;
		ssize_t n = read(fd, buf->data + buf->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		buf->len += (size_t)n;
		if (buf->len > max) {
			errno = EFBIG;
			return -1;
		}
	}
	buf->data[buf->len] = '\0';
	return 0;
}

static size_t max_size(void)
{
	/* a test hook lowers the limit; never raises it */
	const char *e = getenv("HARDCOMPOSE_TEST_MAX_FILE");
	if (e && *e) {
		unsigned long long v = strtoull(e, NULL, 10);
		if (v && v < HC_MAX_FILE)
			return (size_t)v;
	}
	return HC_MAX_FILE;
}

static int too_big(const char *path, struct hc_diag *err)
{
	hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "larger than %zu MiB; not read",
	            (size_t)(max_size() >> 20));
	return -1;
}

int hc_read_file_ex(const char *path, struct hc_buf *buf, struct hc_diag *err, bool any,
                    struct hc_stamp *stamp)
{
	size_t max = max_size();
	if (stamp)
		memset(stamp, 0, sizeof(*stamp));
	if (!strcmp(path, "-")) {
		if (read_fd(0, buf, max) < 0) {
			if (errno == EFBIG)
				return too_big("<stdin>", err);
			hc_diag_set(err, HC_EXIT_IO, "<stdin>", 0, 0, "cannot read: %s",
			            strerror(errno));
			return -1;
		}
		return 0;
	}
	/* O_NONBLOCK: opening a FIFO without a writer does not wait */
	int fd = open(path, O_RDONLY | O_NOCTTY | (any ? 0 : O_NONBLOCK));
	if (fd < 0) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot stat: %s", strerror(e));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "is a folder");
		return -1;
	}
	if (!any && !S_ISREG(st.st_mode)) {
		close(fd);
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "not a regular file (%s); not read",
		            S_ISFIFO(st.st_mode)   ? "a FIFO"
		            : S_ISCHR(st.st_mode)  ? "a character device"
		            : S_ISBLK(st.st_mode)  ? "a block device"
		            : S_ISSOCK(st.st_mode) ? "a socket"
		                                   : "a special file");
		return -1;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		close(fd);
		return too_big(path, err);
	}
	if (!any) {
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	int rc = read_fd(fd, buf, max);
	int e = errno;
	if (stamp && rc == 0) {
		stamp->valid = S_ISREG(st.st_mode);
		stamp->dev = st.st_dev;
		stamp->ino = st.st_ino;
		stamp->size = st.st_size;
		stamp->mtime = st.st_mtim;
		stamp->nlink = st.st_nlink;
	}
	close(fd);
	if (rc < 0) {
		if (e == EFBIG)
			return too_big(path, err);
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot read: %s", strerror(e));
		return -1;
	}
	return 0;
}

int hc_read_file(const char *path, struct hc_buf *buf, struct hc_diag *err)
{
	return hc_read_file_ex(path, buf, err, false, NULL);
}

int hc_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int hc_write_temp(struct hc_buf *tmpl, const char *data, size_t len, mode_t mode, int uid, int gid,
                  bool *chowned, const char **step)
{
	if (chowned)
		*chowned = false;
	*step = "create a temporary file beside it";
	int fd = mkstemp(tmpl->data);
	if (fd < 0)
		return -1;
	*step = "write the temporary file";
	if (hc_write_all(fd, data, len) < 0)
		goto fail;
	*step = "give the temporary file its mode";
	if (fchmod(fd, mode) < 0)
		goto fail;
	if (uid >= 0 || gid >= 0) {
		/* not allowed for other owners: keep ours */
		bool ok = fchown(fd, (uid_t)uid, (gid_t)gid) == 0;
		if (chowned)
			*chowned = ok;
	}
	*step = "fsync the temporary file";
	if (fsync(fd) < 0)
		goto fail;
	*step = "close the temporary file";
	int rc = close(fd);
	fd = -1;
	if (rc < 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmpl->data);
	errno = e;
	return -1;
}

void hc_fsync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

int hc_create_new(const char *path, const char *data, size_t len, mode_t mode, int uid,
                  bool *chowned, const char **step)
{
	char *dir = hc_dirname(path);
	struct hc_buf tmp = HC_BUF_INIT;
	hc_buf_addf(&tmp, "%s/.hardcompose-XXXXXX", dir);
	int rc = hc_write_temp(&tmp, data, len, mode, uid, -1, chowned, step);
	if (rc == 0) {
		*step = "link into place";
		rc = link(tmp.data, path);
		int e = errno;
		unlink(tmp.data);
		errno = e;
	}
	if (rc == 0)
		hc_fsync_dir(dir);
	free(dir);
	hc_buf_release(&tmp);
	return rc;
}

static bool same_stamp(const struct stat *st, const struct hc_stamp *w)
{
	return st->st_dev == w->dev && st->st_ino == w->ino && st->st_size == w->size &&
	       st->st_mtim.tv_sec == w->mtime.tv_sec && st->st_mtim.tv_nsec == w->mtime.tv_nsec;
}

/* Is the file at real still the one read (was, with content orig)? 0, or
 * -1 with errno ESTALE. The last look before the rename. */
static int changed_since(const char *real, const struct hc_stamp *was, const char *orig,
                         size_t olen)
{
	if (!was || !was->valid)
		return 0;
	struct stat st;
	if (stat(real, &st) < 0 || !same_stamp(&st, was) || st.st_nlink > 1)
		goto stale;
	if (orig) {
		struct hc_buf now = HC_BUF_INIT;
		struct hc_diag e = HC_DIAG_INIT;
		int rc = hc_read_file(real, &now, &e);
		bool same = rc == 0 && now.len == olen && (!olen || !memcmp(now.data, orig, olen));
		hc_buf_release(&now);
		hc_diag_release(&e);
		if (!same)
			goto stale;
	}
	return 0;
stale:
	errno = ESTALE;
	return -1;
}

/* The real path of path (caller frees) and what stat says of it; NULL
 * with err set when either fails. */
static char *resolve(const char *path, struct stat *st, struct hc_diag *err)
{
	char *real = realpath(path, NULL);
	if (!real) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot resolve path: %s",
		            strerror(errno));
		return NULL;
	}
	if (stat(real, st) < 0) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot stat: %s", strerror(errno));
		free(real);
		return NULL;
	}
	return real;
}

int hc_write_check(const char *path, const struct hc_stamp *was, struct hc_diag *err)
{
	struct stat st;
	char *real = resolve(path, &st, err);
	if (!real)
		return -1;
	int rc = -1;
	if (!S_ISREG(st.st_mode)) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "not a regular file; not rewritten");
	} else if (st.st_nlink > 1) {
		/* a rename would give this name a new file and leave the old text
		 * under the other names */
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0,
		            "the file has %lu hard links; rewriting it would split them "
		            "(the other names would keep the old text); nothing written (break the "
		            "link, or run on a copy)",
		            (unsigned long)st.st_nlink);
	} else if (access(real, W_OK) < 0) {
		/* a rename would replace it anyway: respect the permission */
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "not writable: %s; nothing written",
		            strerror(errno));
	} else if (was && was->valid && !same_stamp(&st, was)) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0,
		            "the file changed while hardcompose ran; not overwritten, "
		            "nothing written (run again)");
	} else {
		char *dir = hc_dirname(real);
		if (access(dir, W_OK | X_OK) < 0)
			hc_diag_set(err, HC_EXIT_IO, path, 0, 0,
			            "cannot write its folder: %s; nothing written",
			            strerror(errno));
		else
			rc = 0;
		free(dir);
	}
	free(real);
	return rc;
}

int hc_write_atomic(const char *path, const char *data, size_t len, struct hc_diag *err)
{
	return hc_write_atomic_ex(path, data, len, NULL, NULL, 0, err);
}

int hc_write_atomic_ex(const char *path, const char *data, size_t len, const struct hc_stamp *was,
                       const char *orig, size_t olen, struct hc_diag *err)
{
	struct stat st;
	char *real = resolve(path, &st, err);
	if (!real)
		return -1;
	if (access(real, W_OK) < 0) {
		/* a rename would replace it anyway: respect the permission */
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "not writable: %s", strerror(errno));
		free(real);
		return -1;
	}
	const char *slash = strrchr(real, '/');
	size_t dirlen = slash ? (size_t)(slash - real) : 0;
	struct hc_buf tmp = HC_BUF_INIT;
	hc_buf_add(&tmp, real, dirlen);
	hc_buf_addf(&tmp, "/.%s.hardcompose-XXXXXX", slash ? slash + 1 : real);
	const char *step;
	int rc = hc_write_temp(&tmp, data, len, st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid,
	                       NULL, &step);
	if (rc == 0) {
		step = "rename the temporary file over it";
		rc = changed_since(real, was, orig, olen);
		if (rc == 0)
			rc = rename(tmp.data, real);
		if (rc < 0) {
			int e = errno;
			unlink(tmp.data);
			errno = e;
		}
	}
	if (rc < 0 && errno == ESTALE) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0,
		            "the file changed while hardcompose ran; not overwritten "
		            "(run again)");
	} else if (rc < 0) {
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot %s: %s", step, strerror(errno));
	} else {
		char *dir = hc_xstrndup(real, dirlen ? dirlen : 1);
		hc_fsync_dir(dir);
		free(dir);
	}
	hc_buf_release(&tmp);
	free(real);
	return rc;
}

char *hc_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return hc_xstrdup(".");
	if (slash == path)
		return hc_xstrdup("/");
	return hc_xstrndup(path, (size_t)(slash - path));
}

bool hc_path_escapes(const char *p)
{
	if (p[0] == '/')
		return true;
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return true;
		s += n;
		while (*s == '/')
			s++;
	}
	return false;
}

/*
 * io.c: whole-file reads and atomic replacement (temp file + fsync + rename,
 * in the manner of git's lockfile).
 */
#define _XOPEN_SOURCE 700
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(int fd, struct hc_buf *buf)
{
	for (;;) {
		hc_buf_grow(buf, 65536);
		ssize_t n = read(fd, buf->data + buf->len, buf->cap - buf->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		buf->len += (size_t)n;
	}
	buf->data[buf->len] = '\0';
	return 0;
}

int hc_read_file(const char *path, struct hc_buf *buf, struct hc_buf *err)
{
	if (!strcmp(path, "-")) {
		if (read_fd(0, buf) < 0) {
			hc_buf_addf(err, "<stdin>: error: cannot read: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		hc_buf_addf(err, "%s: error: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		hc_buf_addf(err, "%s: error: is a folder", path);
		return -1;
	}
	int rc = read_fd(fd, buf);
	int e = errno;
	close(fd);
	if (rc < 0) {
		hc_buf_addf(err, "%s: error: cannot read: %s", path, strerror(e));
		return -1;
	}
	return 0;
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

int hc_write_atomic(const char *path, const char *data, size_t len, struct hc_buf *err)
{
	char *real = realpath(path, NULL);
	if (!real) {
		hc_buf_addf(err, "%s: error: cannot resolve path: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(real, &st) < 0) {
		hc_buf_addf(err, "%s: error: cannot stat: %s", path, strerror(errno));
		free(real);
		return -1;
	}
	if (access(real, W_OK) < 0) {
		/* a rename would replace it anyway: respect the permission */
		hc_buf_addf(err, "%s: error: not writable: %s", path, strerror(errno));
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
		rc = rename(tmp.data, real);
		if (rc < 0) {
			int e = errno;
			unlink(tmp.data);
			errno = e;
		}
	}
	if (rc < 0) {
		hc_buf_addf(err, "%s: error: cannot %s: %s", path, step, strerror(errno));
	} else {
		char *dir = hc_xstrndup(real, dirlen ? dirlen : 1);
		hc_fsync_dir(dir);
		free(dir);
	}
	hc_buf_release(&tmp);
	free(real);
	return rc;
}

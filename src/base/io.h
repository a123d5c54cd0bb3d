/*
 * io.h: reading inputs and writing results without ever leaving a partial
 * file behind.
 */
#ifndef HC_IO_H
#define HC_IO_H

#include "base/buf.h"
#include "base/diag.h"

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

/* The largest file read (compose files, includes, .env, configurations):
 * anything larger is refused with an error, before it is read. */
#define HC_MAX_FILE ((size_t)128 << 20)

/* What a file was when it was read: compared before it is replaced. */
struct hc_stamp {
	bool valid; /* a regular file */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	nlink_t nlink;
};

/* Reads a whole regular file ("-" is stdin) into buf: a FIFO, a device or
 * a file over HC_MAX_FILE is refused at once. -1 with a message in err. */
int hc_read_file(const char *path, struct hc_buf *buf, struct hc_diag *err);
/* The same; any: also a FIFO or a device (a file named on the command
 * line, read up to HC_MAX_FILE); stamp (may be NULL) gets what it was. */
int hc_read_file_ex(const char *path, struct hc_buf *buf, struct hc_diag *err, bool any,
                    struct hc_stamp *stamp);

/*
 * Replaces the file at path with data: writes a temporary file in the same
 * folder, fsyncs it, gives it the original's mode (and owner when allowed),
 * renames it over the original and fsyncs the folder. A symlink is followed:
 * its target is replaced, the link stays. On failure the original is intact,
 * the temporary file is removed, and err says why.
 */
int hc_write_atomic(const char *path, const char *data, size_t len, struct hc_diag *err);
/* The same for a file read with stamp was and content orig (olen bytes):
 * refused when the file is no longer that one (another inode, size, mtime
 * or content) or has several hard links. Either may be NULL. */
int hc_write_atomic_ex(const char *path, const char *data, size_t len, const struct hc_stamp *was,
                       const char *orig, size_t olen, struct hc_diag *err);
/* Can path be replaced now: a regular file with one link, writable, in a
 * writable folder, and still what was says (NULL: not compared)? Checked
 * before anything else is written. 0, or -1 with a message in err. */
int hc_write_check(const char *path, const struct hc_stamp *was, struct hc_diag *err);

/* Writes all n bytes to fd (retrying short writes and EINTR). 0 or -1. */
int hc_write_all(int fd, const char *p, size_t n);

/*
 * Writes data to a new temporary file made from the mkstemp template tmpl
 * (in the target's folder), gives it mode (and uid/gid when not -1),
 * fsyncs and closes it. 0, or -1 with errno and *step (what failed) set and
 * the temporary file removed. *chowned (may be NULL) says whether the
 * owner was given.
 */
int hc_write_temp(struct hc_buf *tmpl, const char *data, size_t len, mode_t mode, int uid, int gid,
                  bool *chowned, const char **step);
/* fsyncs a folder (after a rename or link into it); errors ignored. */
void hc_fsync_dir(const char *dir);
/*
 * Creates path, which must not exist, holding data: a temporary file in the
 * same folder (mode, owner uid unless -1, fsynced), linked to its name and
 * the folder fsynced, so it never replaces a file that appeared meanwhile.
 * -1 with errno set and *step naming what failed.
 */
int hc_create_new(const char *path, const char *data, size_t len, mode_t mode, int uid,
                  bool *chowned, const char **step);

/* The folder of path ("." when it has none). Caller frees. */
char *hc_dirname(const char *path);
/* Does a relative path leave its folder (absolute, or a ".." part)? */
bool hc_path_escapes(const char *p);

#endif

/*
 * io.h: reading inputs and writing results without ever leaving a partial
 * file behind.
 */
#ifndef HC_IO_H
#define HC_IO_H

#include "buf.h"

#include <stdbool.h>
#include <sys/types.h>

/* Reads a whole file ("-" is stdin) into buf. -1 with a message in err. */
int hc_read_file(const char *path, struct hc_buf *buf, struct hc_buf *err);

/*
 * Replaces the file at path with data: writes a temporary file in the same
 * folder, fsyncs it, gives it the original's mode (and owner when allowed),
 * renames it over the original and fsyncs the folder. A symlink is followed:
 * its target is replaced, the link stays. On failure the original is intact,
 * the temporary file is removed, and err says why.
 */
int hc_write_atomic(const char *path, const char *data, size_t len, struct hc_buf *err);

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

#endif

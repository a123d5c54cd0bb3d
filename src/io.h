/*
 * io.h: reading inputs and writing results without ever leaving a partial
 * file behind.
 */
#ifndef HC_IO_H
#define HC_IO_H

#include "buf.h"

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

#endif

/*
 * faultshim.c: an LD_PRELOAD library that makes one I/O call fail, to prove
 * that a failed write leaves the original file intact and no temporary file
 * behind. HC_FAIL names the call (write, fsync, rename, mkstemp, fchmod, open,
 * link, mkdir) and
 * HC_ERRNO the error (ENOSPC, EIO, EACCES; default EIO). write() fails only
 * for descriptors above 2, so diagnostics still reach stderr.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int want(const char *call)
{
	const char *f = getenv("HC_FAIL");
	if (!f || strcmp(f, call))
		return 0;
	const char *e = getenv("HC_ERRNO");
	errno = !e ? EIO : !strcmp(e, "ENOSPC") ? ENOSPC : !strcmp(e, "EACCES") ? EACCES : EIO;
	return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (fd > 2 && want("write"))
		return -1;
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return real(fd, buf, n);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (want("fsync"))
		return -1;
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int rename(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);
	if (want("rename"))
		return -1;
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	return real(a, b);
}

int mkstemp(char *tmpl)
{
	static int (*real)(char *);
	if (want("mkstemp"))
		return -1;
	if (!real)
		real = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
	return real(tmpl);
}

int fchmod(int fd, mode_t mode)
{
	static int (*real)(int, mode_t);
	if (want("fchmod"))
		return -1;
	if (!real)
		real = (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
	return real(fd, mode);
}

/* open() of the input for reading (HC_FAIL=open): only read-only opens, so
 * the dynamic loader and writes are left alone */
int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_DIRECTORY) && want("open") &&
	    strstr(path, ".y"))
		return -1;
	if (!real)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return real(path, flags, mode);
}

/* link() puts a new secret file in place */
int link(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);
	if (want("link"))
		return -1;
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");
	return real(a, b);
}

/* mkdir() makes the secrets folder */
int mkdir(const char *p, mode_t m)
{
	static int (*real)(const char *, mode_t);
	if (want("mkdir"))
		return -1;
	if (!real)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	return real(p, m);
}

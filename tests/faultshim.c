/*
 * faultshim.c: an LD_PRELOAD library that makes one I/O call fail, to prove
 * that a failed write leaves the original file intact and no temporary file
 * behind. HC_FAIL names the call (write, fsync, rename, mkstemp, fchmod) and
 * HC_ERRNO the error (ENOSPC, EIO, EACCES; default EIO). write() fails only
 * for descriptors above 2, so diagnostics still reach stderr.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
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

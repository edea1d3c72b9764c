/*
 * A fault for the build, by LD_PRELOAD: counts the calls that change the
 * file system (rename, link, unlink, mkdir, rmdir, creating open, write,
 * fsync) and, at the Nth, kills the process or fails the call.
 *
 *   BAOKU_FAULT=N:kill      SIGKILL at the Nth call, before it is made
 *   BAOKU_FAULT=N:ENOSPC    the Nth call fails with ENOSPC (also EACCES,
 *                           EIO, EROFS), as do all after it when N:ENOSPC+
 *   BAOKU_FAULT_COUNT=FILE  the number of calls made, written at exit
 *
 * Writes to standard input, output and error are not counted: they are
 * what the build says, not what it makes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_long S_calls;
static long S_at = -1;
static int S_errno, S_sticky;

__attribute__((constructor)) static void
S_setup(void)
{
	const char *spec = getenv("BAOKU_FAULT");
	if (!spec)
		return;
	char *end;
	S_at = strtol(spec, &end, 10);
	if (*end++ != ':')
		return;
	S_sticky = end[strlen(end) - 1] == '+';
	if (!strncmp(end, "kill", 4))
		S_errno = 0;
	else if (!strncmp(end, "ENOSPC", 6))
		S_errno = ENOSPC;
	else if (!strncmp(end, "EACCES", 6))
		S_errno = EACCES;
	else if (!strncmp(end, "EIO", 3))
		S_errno = EIO;
	else if (!strncmp(end, "EROFS", 5))
		S_errno = EROFS;
}

__attribute__((destructor)) static void
S_report(void)
{
	const char *path = getenv("BAOKU_FAULT_COUNT");
	FILE *f = path ? fopen(path, "w") : NULL;
	if (f) {
		fprintf(f, "%ld\n", (long)atomic_load(&S_calls));
		fclose(f);
	}
}

/* Counts a call: nonzero (errno set) when it is to fail. */
static int
S_fault(void)
{
	long n = atomic_fetch_add(&S_calls, 1) + 1;
	if (S_at <= 0 || (n != S_at && !(S_sticky && n > S_at)))
		return 0;
	if (!S_errno) {
		raise(SIGKILL);
		return 0;
	}
	errno = S_errno;
	return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int
rename(const char *a, const char *b)
{
	return S_fault() ? -1 : REAL(rename)(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	return S_fault() ? -1 : REAL(renameat)(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	return S_fault() ? -1 : REAL(renameat2)(da, a, db, b, flags);
}

int
link(const char *a, const char *b)
{
	return S_fault() ? -1 : REAL(link)(a, b);
}

int
linkat(int da, const char *a, int db, const char *b, int flags)
{
	return S_fault() ? -1 : REAL(linkat)(da, a, db, b, flags);
}

int
unlink(const char *path)
{
	return S_fault() ? -1 : REAL(unlink)(path);
}

int
unlinkat(int dir, const char *path, int flags)
{
	return S_fault() ? -1 : REAL(unlinkat)(dir, path, flags);
}

int
rmdir(const char *path)
{
	return S_fault() ? -1 : REAL(rmdir)(path);
}

int
mkdir(const char *path, mode_t mode)
{
	return S_fault() ? -1 : REAL(mkdir)(path, mode);
}

/* The open calls: counted when they create a file. */
#define OPEN_MODE(flags, mode)                                                                    \
	do {                                                                                      \
		if (flags & O_CREAT) {                                                            \
			va_list ap;                                                               \
			va_start(ap, flags);                                                      \
			mode = (mode_t)va_arg(ap, int);                                           \
			va_end(ap);                                                               \
		}                                                                                 \
	} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return (flags & O_CREAT) && S_fault() ? -1 : REAL(open)(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return (flags & O_CREAT) && S_fault() ? -1 : REAL(open64)(path, flags, mode);
}

int
openat(int dir, const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return (flags & O_CREAT) && S_fault() ? -1 : REAL(openat)(dir, path, flags, mode);
}

ssize_t
write(int fd, const void *data, size_t len)
{
	return fd > 2 && S_fault() ? -1 : REAL(write)(fd, data, len);
}

ssize_t
pwrite(int fd, const void *data, size_t len, off_t off)
{
	return fd > 2 && S_fault() ? -1 : REAL(pwrite)(fd, data, len, off);
}

ssize_t
pwrite64(int fd, const void *data, size_t len, off_t off)
{
	return fd > 2 && S_fault() ? -1 : REAL(pwrite64)(fd, data, len, off);
}

int
fsync(int fd)
{
	return S_fault() ? -1 : REAL(fsync)(fd);
}

int
fdatasync(int fd)
{
	return S_fault() ? -1 : REAL(fdatasync)(fd);
}

int
syncfs(int fd)
{
	return S_fault() ? -1 : REAL(syncfs)(fd);
}

#define _XOPEN_SOURCE 700
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#endif
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "heap.h"
#include "xalloc.h"

int
util_read_file(const char *path, struct buf *out, int report)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int gone = errno == ENOENT;
		if (report > 0 || (report == 0 && !gone))
			diag_error(path, 0, 0, "cannot open: %s", strerror(errno));
		return gone ? 0 : -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (report >= 0)
			diag_error(path, 0, 0, "is a directory, not a file");
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		buf_grow(out, (size_t)st.st_size);
	for (;;) {
		buf_grow(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (report >= 0)
				diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	close(fd);
	return 1;
}

int
util_replace_file(const char *path, const void *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	buf_printf(&tmp, "%s.tmp", path);
	FILE *f = fopen(tmp.data, "w");
	int ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	ok = ok && rename(tmp.data, path) == 0;
	if (!ok) {
		unlink(tmp.data);
		unlink(path);
	}
	buf_release(&tmp);
	return ok ? 0 : -1;
}

void *
util_map_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *p = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
		else
			*len = (size_t)st.st_size;
	}
	close(fd);
	return p;
}

void
util_unmap(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

char *
util_cut_line(char **p)
{
	if (!**p)
		return NULL;
	char *line = *p, *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

int
util_safe_name(const char *name)
{
	if (!name[0] || name[0] == '/')
		return 0;
	const char *seg = name;
	for (const char *p = name;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '/' || c == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (c == '\0')
				return 1;
			seg = p + 1;
		} else if (c < 0x20 || c == 0x7f || c == '\\') {
			return 0;
		}
	}
}

/* Makes each folder of b from its first, up to the end. */
static int
S_mkdirs_down(struct buf *b)
{
	for (char *p = b->data + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		int rc = mkdir(b->data, 0755) < 0 && errno != EEXIST ? -1 : 0;
		*p = saved;
		if (rc < 0 || !saved)
			return rc;
	}
}

int
util_mkdirs(const char *path)
{
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	/* most often only the last folder is missing: one call */
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	struct buf b = BUF_INIT;
	buf_adds(&b, path);
	int rc = S_mkdirs_down(&b);
	buf_release(&b);
	return rc;
}

static int
S_remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int r = type == FTW_DP ? rmdir(path) : unlink(path);
	if (r < 0 && errno != ENOENT) {
		diag_error(path, 0, 0, "cannot remove: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
util_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, S_remove_one, 32, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

static int
S_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
util_list_dir(const char *path, int hidden, size_t *n)
{
	DIR *d = opendir(path);
	if (!d) {
		diag_error(path, 0, 0, "cannot open directory: %s", strerror(errno));
		return NULL;
	}
	char **names = util_read_dir(d, hidden, n);
	closedir(d);
	return names;
}

char **
util_read_dir(DIR *d, int hidden, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (!strcmp(s, ".") || !strcmp(s, "..") || (s[0] == '.' && !hidden))
			continue;
		names = xgrow(names, &cap, *n, sizeof *names, 32);
		names[(*n)++] = xstrdup(s);
	}
	util_sort_names(names, *n);
	return names ? names : xcalloc(1, sizeof *names);
}

void
util_sort_names(char **names, size_t n)
{
	if (n > 1)
		qsort(names, n, sizeof *names, S_cmp_name);
}

size_t
util_name_lower_bound(char *const *names, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(names[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
util_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void
util_root_of(const char *relpath, struct buf *out)
{
	for (const char *p = relpath; *p; p++)
		if (*p == '/')
			buf_adds(out, "../");
}

int
util_find_template(const char *const *dirs, size_t ndirs, const char *name, struct buf *text,
                   char **path)
{
	if (!util_safe_name(name))
		return 0;
	for (size_t i = 0; i < ndirs; i++) {
		struct buf p = BUF_INIT;
		buf_printf(&p, "%s/%s.mustache", dirs[i], name);
		int r = util_read_file(p.data, text, 0);
		if (r > 0 || (r == 0 && i == ndirs - 1)) {
			free(*path);
			*path = buf_detach(&p, NULL);
		}
		buf_release(&p);
		if (r != 0)
			return r;
	}
	return 0;
}

uint64_t
util_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t
util_mix_u64(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ h >> 32;
}

/* Words util_mix takes at a time, each in a lane of its own, once the
   data is that long: a word's multiplications then need not wait for the
   last word's, and a page cache's texts hash about three times as fast. */
#define MIX_LANES 8

uint64_t
util_mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i = 0;
	if (len >= MIX_LANES * 8) {
		uint64_t lane[MIX_LANES];
		for (size_t k = 0; k < MIX_LANES; k++)
			lane[k] = h + k + 1;
		for (; i + sizeof lane <= len; i += sizeof lane)
			for (size_t k = 0; k < MIX_LANES; k++) {
				uint64_t w;
				memcpy(&w, p + i + 8 * k, sizeof w);
				lane[k] = util_mix_u64(lane[k], w);
			}
		for (size_t k = 0; k < MIX_LANES; k++)
			h = util_mix_u64(h, lane[k]);
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, sizeof w);
		h = util_mix_u64(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, p + i, len - i);
	/* the length ends it, so that "a" and "a\0" differ */
	return util_mix_u64(util_mix_u64(h, w), (uint64_t)len);
}

int
util_number(const char **p, unsigned base, char end, uint64_t *v)
{
	const char *s = *p;
	size_t n = 0;
	*v = 0;
	for (; *s != end; s++, n++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0') : 16;
		if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		if (d >= base || n == 16)
			return -1;
		*v = *v * base + d;
	}
	if (!n)
		return -1;
	*p = end ? s + 1 : s;
	return 0;
}

double
util_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The memory the process holds now, in MiB (0 where unknown). */
static size_t
S_rss_mib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0, resident = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	return (size_t)(resident * (unsigned long)sysconf(_SC_PAGESIZE) >> 20);
}

/* The most memory the process has held, in MiB (0 where unknown). */
static size_t
S_peak_mib(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? (size_t)ru.ru_maxrss >> 10 : 0;
}

static atomic_int S_keep_memory;

void
util_step_keeps_memory(int keep)
{
	atomic_store(&S_keep_memory, keep);
}

void
util_step(int verbose, const char *what, struct util_clock *since)
{
	if (!atomic_load(&S_keep_memory))
		heap_release();
	struct util_clock now = util_clock();
	if (verbose)
		fprintf(stderr, "baoku: %s %.2f s (%.2f s CPU), %zu MiB (heap %zu, peak %zu MiB)\n",
		        what, now.wall - since->wall, now.cpu - since->cpu, S_rss_mib(), heap_mib(),
		        S_peak_mib());
	*since = now;
}

struct util_clock
util_clock(void)
{
	struct timespec ts;
	double cpu = 0;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
		cpu = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	return (struct util_clock){util_now(), cpu};
}

ssize_t
util_pread(int fd, void *data, size_t len, size_t off)
{
	ssize_t k;
	do
		k = pread(fd, data, len, (off_t)off);
	while (k < 0 && errno == EINTR);
	return k;
}

/* Writes made with util_pwrite_all (or forgotten reads), counted once
   each is done: a block util_pread_small read before the last one may be
   stale. */
static atomic_uint_fast64_t S_writes;

int
util_pwrite_all(int fd, const void *data, size_t len, size_t off)
{
	const char *p = data;
	int rc = 0;
	while (len > 0) {
		ssize_t k = pwrite(fd, p, len, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = -1;
			break;
		}
		p += k;
		len -= (size_t)k;
		off += (size_t)k;
	}
	atomic_fetch_add_explicit(&S_writes, 1, memory_order_release);
	return rc;
}

/* util_pread_small's blocks, on each thread: a few aligned blocks of the
   files read, each as it was after a count of writes. */
#define SMALL_BLOCK  4096
#define SMALL_BLOCKS 16
struct small_block {
	int fd;
	size_t at, len; /* its offset in the file, and the bytes read there */
	uint_fast64_t writes;
	char data[SMALL_BLOCK];
};
static _Thread_local struct small_block S_blocks[SMALL_BLOCKS];

int
util_pread_small(int fd, void *data, size_t len, size_t off)
{
	size_t at = off - off % SMALL_BLOCK;
	if (off - at + len > SMALL_BLOCK) /* across two blocks */
		return util_pread_all(fd, data, len, off);
	struct small_block *b = &S_blocks[(at / SMALL_BLOCK + (size_t)fd * 7) % SMALL_BLOCKS];
	uint_fast64_t writes = atomic_load_explicit(&S_writes, memory_order_acquire);
	if (b->len == 0 || b->fd != fd || b->at != at || b->writes != writes ||
	    off + len > at + b->len) {
		b->len = 0;
		ssize_t k = util_pread(fd, b->data, SMALL_BLOCK, at);
		if (k <= 0 || off + len > at + (size_t)k)
			return util_pread_all(fd, data, len, off); /* says why */
		b->fd = fd;
		b->at = at;
		b->len = (size_t)k;
		b->writes = writes;
	}
	memcpy(data, b->data + (off - at), len);
	return 0;
}

void
util_pread_small_forget(void)
{
	atomic_fetch_add_explicit(&S_writes, 1, memory_order_release);
}

int
util_sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

int
util_pread_all(int fd, void *data, size_t len, size_t off)
{
	char *p = data;
	while (len > 0) {
		ssize_t k = util_pread(fd, p, len, off);
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		p += k;
		len -= (size_t)k;
		off += (size_t)k;
	}
	return 0;
}

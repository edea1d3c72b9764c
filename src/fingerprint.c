#include "fingerprint.h"

#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "output.h"
#include "project.h"
#include "util.h"

#ifndef BAOKU_VERSION
#define BAOKU_VERSION "dev"
#endif

void
fp_begin(struct fingerprint *fp, int lenient, size_t max_size)
{
	buf_reset(&fp->text);
	fp->files = 0;
	fp->nfiles = 0;
	buf_printf(&fp->text, "baoku %s\nlenient %d max-size %zu\n", BAOKU_VERSION, lenient,
	           max_size);
	fp_file(fp, "program", "/proc/self/exe", "/proc/self/exe");
}

void
fp_free(struct fingerprint *fp)
{
	buf_release(&fp->text);
	fp->files = 0;
	fp->nfiles = 0;
}

/* Appends u in decimal, at least width digits (zeros before). */
static void
S_put_dec(struct buf *b, unsigned long long u, int width)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n < width);
	while (n)
		buf_addc(b, d[--n]);
}

/* Appends v in decimal, with its sign. */
static void
S_put_int(struct buf *b, long long v)
{
	if (v < 0)
		buf_addc(b, '-');
	S_put_dec(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, 1);
}

/* Whether a line of kind is hashed into the files' line, not kept. */
static int
S_folded(const char *kind)
{
	return !strcmp(kind, "page") || !strcmp(kind, "scan");
}

/* A page's or a scan's stamp: a hash of its kind, its name and what
   its line would say, taken as they are in memory (a scan makes one for
   every page: the line's numbers in decimal took a tenth of a no-op's
   time at 100,000 page files). */
static uint64_t
S_stamp(const char *kind, const char *name, const struct stat *st)
{
	const int64_t said[] = {(int64_t)st->st_size,         (int64_t)st->st_mtim.tv_sec,
	                        (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
	                        (int64_t)st->st_ctim.tv_nsec, (int64_t)st->st_ino};
	uint64_t h = out_key(0, kind, strlen(kind) + 1);
	h = out_key(h, name, strlen(name) + 1);
	return out_key(h, said, sizeof said);
}

/* A line "KIND NAME SIZE MTIME CTIME INODE", the times to the
   nanosecond; a page's or a scan's is its stamp alone. */
uint64_t
fp_stat(struct fingerprint *fp, const char *kind, const char *name, const struct stat *st)
{
	if (S_folded(kind)) {
		uint64_t h = S_stamp(kind, name, st);
		fp->files = out_key(fp->files, &h, sizeof h);
		fp->nfiles++;
		return h;
	}
	struct buf *b = &fp->text;
	size_t before = b->len;
	buf_adds(b, kind);
	buf_addc(b, ' ');
	buf_adds(b, name);
	buf_addc(b, ' ');
	S_put_int(b, (long long)st->st_size);
	const struct timespec *t[] = {&st->st_mtim, &st->st_ctim};
	for (size_t i = 0; i < 2; i++) {
		buf_addc(b, ' ');
		S_put_int(b, (long long)t[i]->tv_sec);
		buf_addc(b, '.');
		S_put_dec(b, (unsigned long long)t[i]->tv_nsec, 9); /* 0 to 999,999,999 */
	}
	buf_addc(b, ' ');
	S_put_dec(b, (unsigned long long)st->st_ino, 1);
	buf_addc(b, '\n');
	return out_key(0, b->data + before, b->len - before);
}

void
fp_file(struct fingerprint *fp, const char *kind, const char *path, const char *name)
{
	struct stat st;
	if (stat(path, &st) == 0)
		fp_stat(fp, kind, name, &st);
	else
		fp_absent(fp, kind, name);
}

void
fp_absent(struct fingerprint *fp, const char *kind, const char *name)
{
	buf_printf(&fp->text, "%s %s absent\n", kind, name);
}

/* path as the fingerprint names it: from the project's directory when it
   is under it, else whole. */
static const char *
S_name(const struct project *p, const char *path)
{
	size_t n = strlen(p->dir);
	return !strncmp(path, p->dir, n) && path[n] == '/' ? path + n + 1 : path;
}

/* Adds every file under dir, in name order, each named as S_name names
   it: 0, or -1 after reporting a directory that cannot be read. */
static int
S_tree(struct fingerprint *fp, const struct project *p, const char *kind, const char *dir,
       int depth)
{
	struct stat st;
	size_t n;
	char **names = NULL;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || depth >= 16) {
		fp_absent(fp, kind, S_name(p, dir));
		return 0;
	}
	if (!(names = util_list_dir(dir, 1, &n))) {
		fp_absent(fp, kind, S_name(p, dir));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", dir, names[i]);
		if (stat(path.data, &st) < 0)
			; /* gone since it was listed */
		else if (S_ISDIR(st.st_mode))
			rc |= S_tree(fp, p, kind, path.data, depth + 1);
		else
			fp_stat(fp, kind, S_name(p, path.data), &st);
		buf_release(&path);
	}
	util_free_names(names, n);
	return rc;
}

int
fp_end(struct fingerprint *fp, const struct project *p)
{
	buf_printf(&fp->text, "files %zu %016llx\n", fp->nfiles, (unsigned long long)fp->files);
	fp_file(fp, "config", p->config, S_name(p, p->config));
	int rc = S_tree(fp, p, "template", p->templates, 0);
	rc |= S_tree(fp, p, "template", p->shipped, 0);
	rc |= S_tree(fp, p, "static", p->statics, 0);
	rc |= S_tree(fp, p, "data", p->data, 0);
	return rc;
}

/* Whether the line (n bytes) says a folder has no _meta.yml. Such a
   folder's pages have their parent's metadata, which the salt holds:
   a new folder (a new issue's, say) changes no page's records, where
   its line in the salt had every page read again. One appearing, or
   going, is a meta line of a file, which the salt holds. */
static int
S_no_meta(const char *line, size_t n)
{
	return n > 12 && !strncmp(line, "meta ", 5) && !memcmp(line + n - 7, " absent", 7);
}

void
fp_salts(const char *fp, size_t len, uint64_t *records, uint64_t *render)
{
	uint64_t a = 0, b = 0;
	for (const char *line = fp, *stop = fp + len; line < stop;) {
		const char *end = memchr(line, '\n', (size_t)(stop - line));
		size_t n = end ? (size_t)(end - line) : (size_t)(stop - line);
		if (!strncmp(line, "template ", 9) || !strncmp(line, "config ", 7))
			b = out_key(b, line, n);
		else if (strncmp(line, "files ", 6) && strncmp(line, "static ", 7) &&
		         strncmp(line, "asset ", 6) && !S_no_meta(line, n))
			a = out_key(a, line, n);
		line = end ? end + 1 : stop;
	}
	*records = a;
	*render = out_key(b, &a, sizeof a);
}

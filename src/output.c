#define _GNU_SOURCE
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "output_int.h"
#include "pool.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------- */

/* Appends the paths of the entry name under rel to sub (relative to the
   tree at base) and full (whole). Without printf: a walk of a large build
   does this for every file. */
static void
S_entry_paths(const char *base, const char *rel, const char *name, struct buf *sub,
              struct buf *full)
{
	buf_adds(sub, rel);
	if (*rel)
		buf_addc(sub, '/');
	buf_adds(sub, name);
	buf_adds(full, base);
	buf_addc(full, '/');
	buf_add(full, sub->data, sub->len);
}

int
out_entry_is(const struct dirent *e, const char *full, int dir)
{
	if (e->d_type != DT_UNKNOWN)
		return dir ? e->d_type == DT_DIR : e->d_type == DT_REG;
	struct stat st;
	if (lstat(full, &st) < 0)
		return 0;
	return dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* Removes the directory a walk found empty: 0, or -1 after reporting
   (a tree with a directory it should not have is not the build's). */
static int
S_remove_dir(struct output *o, const char *path)
{
	if (rmdir(path) == 0)
		return 0;
	if (!atomic_exchange(&o->walk_failed, 1))
		diag_error(path, 0, 0, "cannot delete an empty directory: %s", strerror(errno));
	return -1;
}

int
out_dir_each(const char *base, const char *rel, int depth, entry_fn fn, void *ctx)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", base, *rel ? "/" : "", rel);
	DIR *d = depth < OUT_WALK_DEPTH ? opendir(dir.data) : NULL;
	buf_release(&dir);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct buf sub = BUF_INIT, full = BUF_INIT;
		S_entry_paths(base, rel, e->d_name, &sub, &full);
		fn(ctx, sub.data, full.data, e, out_entry_is(e, full.data, 1));
		buf_release(&sub);
		buf_release(&full);
	}
	closedir(d);
	return 0;
}

/* A walk of one folder (out_walk): whether it is left empty so far. */
struct walk {
	struct output *o;
	const char *base;
	int depth, prune, empty;
	walk_fn fn;
};

static void
S_walk_entry(void *ctx, const char *sub, const char *full, const struct dirent *e, int dir)
{
	struct walk *w = ctx;
	if (dir) {
		if (!(out_walk(w->o, w->base, sub, w->depth + 1, w->prune, w->fn) && w->prune &&
		      S_remove_dir(w->o, full) == 0))
			w->empty = 0;
	} else if (!w->fn(w->o, sub, full, e)) {
		w->empty = 0;
	}
}

int
out_walk(struct output *o, const char *base, const char *rel, int depth, int prune, walk_fn fn)
{
	struct walk w = {o, base, depth, prune, 1, fn};
	if (out_dir_each(base, rel, depth, S_walk_entry, &w) < 0)
		w.empty = 0;
	return w.empty;
}

int
out_dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = d != NULL;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* Nonzero when dir is missing, empty, or holds the marker of a build. */
static int
S_replaceable(const char *root)
{
	struct stat st;
	if (lstat(root, &st) < 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode))
		return 0;
	struct buf m = BUF_INIT;
	buf_printf(&m, "%s/%s", root, OUT_MARKER);
	int ok = access(m.data, F_OK) == 0;
	buf_release(&m);
	return ok || out_dir_is_empty(root);
}

static void
S_free(struct output *o)
{
	out_memo_found(&o->old); /* the listing of next on its thread reads o */
	out_tree_list_end(o);
	if (o->lockfd >= 0)
		close(o->lockfd);
	pthread_mutex_destroy(&o->lock);
	free(o->root);
	free(o->side);
	free(o->next);
	free(o->cache);
	free(o->state);
	free(o->state_name);
	pathset_free(&o->seen);
	out_memo_free(&o->old);
	pathdirs_free(&o->dirs); /* theirs */
	free(o->now);
	free(o->claimed);
	strlist_free(&o->cached);
	strlist_free(&o->changed);
	free(o);
}

/* The paths beside root: side (.NAME.baoku) and its next tree. */
static void
S_side_paths(struct output *o)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(o->root, '/');
	if (slash)
		buf_printf(&b, "%.*s/.%s.baoku", (int)(slash - o->root), o->root, slash + 1);
	else
		buf_printf(&b, ".%s.baoku", o->root);
	o->side = buf_detach(&b, NULL);
	buf_printf(&b, "%s/next", o->side);
	o->next = buf_detach(&b, NULL);
}

struct output *
out_open(const char *root, const char *cache)
{
	if (!S_replaceable(root)) {
		diag_error(root, 0, 0,
		           "exists and is not a baoku build (no %s file in it); remove it or "
		           "choose another output directory with -o",
		           OUT_MARKER);
		return NULL;
	}
	struct output *o = xcalloc(1, sizeof *o);
	o->lockfd = -1;
	o->seen.dirs = o->old.paths.dirs = &o->dirs;
	o->root = xstrdup(root);
	for (size_t n = strlen(o->root); n > 1 && o->root[n - 1] == '/'; n--)
		o->root[n - 1] = '\0';
	pool_mutex_init(&o->lock);
	S_side_paths(o);
	o->cache = xstrdup(cache);
	out_state_paths(o);
	if (out_tree_lock(o) < 0)
		goto fail;
	out_tree_recover(o);
	o->live = out_tree_id(o->root);
	o->update = o->live != 0;
	if ((o->update ? out_tree_match(o) : out_tree_clear(o)) < 0)
		goto fail;
	return o;
fail:
	S_free(o);
	return NULL;
}

void
out_set_inputs(struct output *o, const char *fingerprint, size_t len)
{
	o->inputs = fingerprint;
	o->inputs_len = len;
}

static int
S_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Whether the previous build has relpath with exactly these bytes. */
static int
S_same_as_before(const struct output *o, const char *relpath, const void *data, size_t len)
{
	struct buf old = BUF_INIT;
	buf_printf(&old, "%s/%s", o->root, relpath);
	struct stat st;
	int same = 0;
	if (lstat(old.data, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
		int fd = open(old.data, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			char chunk[65536];
			size_t off = 0;
			same = 1;
			while (same && off < len) {
				ssize_t n = read(fd, chunk, sizeof chunk);
				if (n <= 0 || (size_t)n > len - off ||
				    memcmp(chunk, (const char *)data + off, (size_t)n))
					same = 0;
				else
					off += (size_t)n;
			}
			close(fd);
		}
	}
	buf_release(&old);
	return same;
}

/* Creates the directory a file at path goes in, and those above it: 0, or
   -1 after reporting. Files are made first and their directories only
   when that fails, so most files cost no mkdir at all. */
static int
S_make_parent(const char *path)
{
	struct buf dir = BUF_INIT;
	buf_adds(&dir, path);
	*strrchr(dir.data, '/') = '\0';
	int rc = util_mkdirs(dir.data);
	if (rc < 0)
		diag_error(dir.data, 0, 0, "cannot create directory: %s", strerror(errno));
	buf_release(&dir);
	return rc;
}

/* Creates the file at path for writing, and its directories. When
   updating, path may hold a link to the live tree's file, which must not
   be written through: it goes first. */
static int
S_create(const struct output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && o->update && unlink(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && S_make_parent(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	return fd;
}

/* The number of relpath in the old memo, or -1. The memo is not changed
   once loaded: safe from several threads without the output's lock. */
static long
S_old_index(const struct output *o, const char *relpath)
{
	return o->old.paths.n ? pathset_find(&o->old.paths, relpath) : -1;
}

/* Adds relpath to the files this build made or kept, with the key it
   was made from (0: none) for the next build's memo: 1, or 0 when it was
   there already (its first key stays). A path the last build made too
   (old, its number in the old memo; nearly all of them in a rebuild)
   shares how the old memo holds it, which lasts as long as this build's
   (2.65 million files at a million page files). Under the output's
   lock. */
static int
S_add_made(struct output *o, const char *relpath, uint64_t key, long old)
{
	if (!pathset_add_shared(&o->seen, relpath, &o->old.paths, old))
		return 0;
	if (old >= 0) {
		if (!o->claimed)
			o->claimed = xcalloc_written(o->old.paths.n, 1);
		o->claimed[old] = 1;
	}
	size_t len = strlen(relpath);
	if (len > 5 && !memcmp(relpath + len - 5, ".html", 5)) {
		o->html_hash += util_mix(0, relpath, len);
		o->html_n++;
	}
	size_t i = o->seen.n - 1;
	if (i >= o->now_cap) {
		size_t had = o->now_cap, cap = had ? had + had / 2 : 4096; /* as seen's */
		o->now = xreallocarray(o->now, cap, sizeof *o->now);
		memset(o->now + had, 0, (cap - had) * sizeof *o->now);
		o->now_cap = cap;
	}
	o->now[i] = key;
	return 1;
}

/* Claims relpath (old: its number in the old memo, or -1) for this
   build, written or kept as it was (counted unchanged): 0, or -1 after
   reporting that it was made already. */
static int
S_claim(struct output *o, const char *relpath, int written, uint64_t key, long old)
{
	pthread_mutex_lock(&o->lock);
	int fresh = S_add_made(o, relpath, key, old);
	if (fresh && written)
		strlist_add(&o->changed, relpath, strlen(relpath));
	else if (fresh)
		o->unchanged++;
	pthread_mutex_unlock(&o->lock);
	if (!fresh)
		diag_error(relpath, 0, 0,
		           "written twice in one build: two pages map to the same output file");
	return fresh ? 0 : -1;
}

/* Keeps the previous build's relpath (old: its number in the old memo,
   or -1) in this one, counted unchanged: when updating, next has it
   already, as a link to the live file. */
static int
S_keep_old(struct output *o, const char *relpath, uint64_t key, long old)
{
	if (!o->update) {
		errno = ENOENT;
		return -1;
	}
	/* the memo's files were looked for once, when it was loaded */
	out_memo_found(&o->old);
	int there;
	if (old >= 0 && o->old.present) {
		there = o->old.present[old];
	} else {
		struct buf kept = BUF_INIT;
		buf_printf(&kept, "%s/%s", o->next, relpath);
		struct stat st;
		there = lstat(kept.data, &st) == 0 && S_ISREG(st.st_mode);
		buf_release(&kept);
	}
	if (!there) {
		errno = ENOENT;
		return -1;
	}
	if (S_claim(o, relpath, 0, key, old) < 0) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

/* Whether errno e is the file system's own refusal (full, read-only,
   failing), which every later file would meet alike. */
static int
S_refusal(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EROFS || e == EIO;
}

/* Reports that path cannot be written (what: what was tried) for errno
   e: once for all when the file system itself refuses, and then the
   build writes no more. */
static void
S_refused(struct output *o, const char *path, const char *what, int e)
{
	if (!S_refusal(e)) {
		diag_error(path, 0, 0, "cannot %s: %s", what, strerror(e));
		return;
	}
	pthread_mutex_lock(&o->lock);
	int first = !o->stopped;
	o->stopped = e;
	pthread_mutex_unlock(&o->lock);
	if (first)
		diag_error(path, 0, 0,
		           "cannot %s: %s; the build writes no more files, and %s is left as it "
		           "was",
		           what, strerror(e), o->root);
}

/* S_refused for the output file relpath (what: create or write). */
static void
S_write_failed(struct output *o, const char *relpath, const char *what)
{
	int e = errno;
	struct buf path = BUF_INIT;
	if (S_refusal(e)) /* said once, where it failed */
		buf_printf(&path, "%s/%s", o->next, relpath);
	else
		buf_adds(&path, relpath);
	S_refused(o, path.data, what, e);
	buf_release(&path);
}

void
out_scratch_failed(struct output *o, int err)
{
	S_refused(o, o->cache, "write the build's scratch file in the cache directory", err);
}

static int
S_write_keyed(struct output *o, const char *relpath, uint64_t key, const void *data, size_t len)
{
	if (o->stopped)
		return -1;
	if (!util_safe_name(relpath)) {
		diag_error(relpath, 0, 0, "refusing to write outside the output directory");
		return -1;
	}
	int rc = -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->next, relpath);
	long old = S_old_index(o, relpath); /* looked for outside the lock */
	/* the same bytes as in the previous build: keep that file instead of
	   writing a new one, so it keeps its identity and time */
	if (o->update && S_same_as_before(o, relpath, data, len)) {
		if (S_keep_old(o, relpath, key, old) == 0) {
			rc = 0;
			goto out;
		}
		if (errno == EEXIST)
			goto out;
	}
	if (o->update && S_claim(o, relpath, 1, key, old) < 0)
		goto out;
	if (!o->update) { /* O_EXCL finds a file written twice; seen lists it */
		pthread_mutex_lock(&o->lock);
		S_add_made(o, relpath, key, old);
		pthread_mutex_unlock(&o->lock);
	}
	int fd = S_create(o, path.data);
	if (fd < 0) {
		if (errno == EEXIST)
			diag_error(
			    relpath, 0, 0,
			    "written twice in one build: two pages map to the same output file");
		else
			S_write_failed(o, relpath, "create");
		goto out;
	}
	int bad = S_write_all(fd, data, len) < 0, e = errno;
	if (close(fd) < 0 && !bad)
		bad = 1, e = errno;
	if (bad) {
		errno = e;
		S_write_failed(o, relpath, "write");
		goto out;
	}
	pthread_mutex_lock(&o->lock);
	o->files++;
	o->bytes += len;
	pthread_mutex_unlock(&o->lock);
	rc = 0;
out:
	buf_release(&path);
	return rc;
}

int
out_write(struct output *o, const char *relpath, const void *data, size_t len)
{
	return S_write_keyed(o, relpath, 0, data, len);
}

int
out_reuse(struct output *o, const char *relpath, uint64_t key)
{
	return out_reuse_unsalted(o, relpath, out_key(key, &o->salt, sizeof o->salt));
}

int
out_reuse_unsalted(struct output *o, const char *relpath, uint64_t key)
{
	if (!util_safe_name(relpath))
		return 0;
	long old = S_old_index(o, relpath);
	if (out_memo_key(&o->old, old) != key)
		return 0;
	if (S_keep_old(o, relpath, key, old) < 0)
		return errno == EEXIST ? -1 : 0;
	return 1;
}

int
out_write_memo(struct output *o, const char *relpath, uint64_t key, const void *data, size_t len)
{
	return S_write_keyed(o, relpath, out_key(key, &o->salt, sizeof o->salt), data, len);
}

int
out_write_unsalted(struct output *o, const char *relpath, uint64_t key, const void *data,
                   size_t len)
{
	return S_write_keyed(o, relpath, key, data, len);
}

int
out_was_made(const struct output *o, const char *relpath, uint64_t key)
{
	return util_safe_name(relpath) &&
	       out_memo_get(&o->old, relpath) == out_key(key, &o->salt, sizeof o->salt);
}

size_t
out_old_size(const struct output *o, const char *relpath)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->root, relpath);
	struct stat st;
	size_t n = lstat(path.data, &st) == 0 ? (size_t)st.st_size : 0;
	buf_release(&path);
	return n;
}

int
out_old_read(const struct output *o, const char *relpath, struct buf *b)
{
	if (!util_safe_name(relpath))
		return 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->root, relpath);
	int rc = util_read_file(path.data, b, -1);
	buf_release(&path);
	return rc == 1;
}

static int
S_copy_dir(struct output *o, const char *src, const char *rel, int depth)
{
	if (depth > 32) {
		diag_error(src, 0, 0, "directories nested too deep");
		return -1;
	}
	struct stat st;
	if (stat(src, &st) < 0 && errno == ENOENT)
		return 0;
	size_t n;
	char **names = util_list_dir(src, 0, &n);
	if (!names)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct buf sp = BUF_INIT, rp = BUF_INIT, data = BUF_INIT;
		buf_printf(&sp, "%s/%s", src, names[i]);
		buf_printf(&rp, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (lstat(sp.data, &st) < 0) {
			diag_error(sp.data, 0, 0, "cannot stat: %s", strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= S_copy_dir(o, sp.data, rp.data, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			if (util_read_file(sp.data, &data, 1) <= 0 ||
			    out_write(o, rp.data, data.data, data.len) < 0)
				rc = -1;
		} else {
			diag_warning(sp.data, 0, 0, "not a regular file; not copied");
		}
		buf_release(&sp);
		buf_release(&rp);
		buf_release(&data);
	}
	util_free_names(names, n);
	return rc;
}

int
out_copy_dir(struct output *o, const char *src, const char *reldir)
{
	if (!util_safe_name(reldir)) {
		diag_error(reldir, 0, 0, "refusing to write outside the output directory");
		return -1;
	}
	return S_copy_dir(o, src, reldir, 0);
}

size_t
out_files(const struct output *o)
{
	return o->files;
}

size_t
out_bytes(const struct output *o)
{
	return o->bytes;
}

size_t
out_unchanged(const struct output *o)
{
	return o->unchanged;
}

/* The id of the tree this build makes: from its inputs and the salt, so
   that the same inputs give the same tree, marker included. Never 0. */
static uint64_t
S_new_id(const struct output *o)
{
	uint64_t id = out_key(o->salt ? o->salt : 1, o->inputs ? o->inputs : "", o->inputs_len);
	return id ? id : 1;
}

/* Writes the marker, with the tree's id, into next: its last file, and
   never kept from the live tree, whose marker next must not share. */
static int
S_write_marker(struct output *o, uint64_t id)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", o->next, OUT_MARKER);
	buf_printf(&text,
	           "This directory was generated by baoku; a build replaces it.\nbuild %016llx\n",
	           (unsigned long long)id);
	int rc = -1;
	int fd = S_create(o, path.data);
	if (fd >= 0 && S_write_all(fd, text.data, text.len) == 0 && close(fd) == 0)
		rc = 0;
	else if (fd >= 0)
		close(fd);
	if (rc < 0)
		diag_error(path.data, 0, 0, "cannot write: %s", strerror(errno));
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* Brings next back level with root after a build that is not swapped in:
   when updating, where this build changed it, so that it stays a known
   copy; else it is emptied. */
static void
S_restore_next(struct output *o)
{
	if (!o->update) {
		out_tree_clear(o);
		return;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < o->changed.n; i++)
		if (out_tree_sync(o, o->changed.v[i]) < 0)
			rc = -1;
	/* the marker last: next is known again only once it is whole */
	if (rc == 0 && out_tree_sync(o, OUT_MARKER) == 0)
		out_spare_same(o);
}

/* After a build from nothing, next becomes the spare: a copy of root by
   hard links, so that the next build need not make one. Made from empty,
   a link a file (comparing each file with one already there took five
   calls a file: 47 s of a million articles' full build). */
static void
S_make_spare(struct output *o)
{
	if (out_tree_clear(o) == 0 && out_tree_fill(o) == 0 && out_tree_sync(o, OUT_MARKER) == 0)
		out_spare_same(o);
}

void
out_set_jobs(struct output *o, int jobs)
{
	o->jobs = jobs;
}

const char *
out_made_path(const struct output *o, size_t i, struct buf *out)
{
	return pathset_path(&o->seen, i, out);
}

int
out_made_cmp(const struct output *o, size_t i, size_t j)
{
	return pathset_cmp(&o->seen, i, j);
}

long
out_made_index(const struct output *o, const char *relpath)
{
	return pathset_find(&o->seen, relpath);
}

size_t
out_made_count(const struct output *o)
{
	return o->seen.n;
}

void
out_made_html(const struct output *o, uint64_t *hash, size_t *n)
{
	*hash = o->html_hash;
	*n = o->html_n;
}

uint64_t
out_salt(const struct output *o)
{
	return o->salt;
}

void
out_prepare_prune(struct output *o)
{
	if (o->update && !o->lister_running && !o->listed)
		out_tree_list_start(o);
}

int
out_commit(struct output *o)
{
	uint64_t id = S_new_id(o);
	int rc = o->update ? out_tree_prune(o) : 0;
	if (rc == 0)
		rc = S_write_marker(o, id);
	if (rc == 0) {
		out_state_write(o, id);
		rc = out_tree_swap(o);
	}
	if (rc < 0) {
		out_cache_drop(o);
		S_restore_next(o);
		S_free(o);
		return -1;
	}
	out_cache_commit(o);
	o->live = id;
	if (!o->update)
		S_make_spare(o);
	S_free(o);
	return 0;
}

void
out_abort(struct output *o)
{
	out_cache_drop(o);
	S_restore_next(o);
	S_free(o);
}

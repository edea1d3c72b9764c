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
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Sets of paths
 * ------------------------------------------------------------------- */

static uint64_t
S_path_hash(const char *path)
{
	return util_mix(0, path, strlen(path));
}

/* A path looked for in a set. */
struct path_key {
	const struct pathset *ps;
	const char *path;
};

static int
S_is_path(const void *ctx, size_t i)
{
	const struct path_key *k = ctx;
	return !strcmp(k->ps->v[i], k->path);
}

long
out_paths_find(const struct pathset *ps, const char *path)
{
	struct path_key key = {ps, path};
	size_t i = hmap_find(&ps->index, S_path_hash(path), S_is_path, &key);
	return i == HMAP_NONE ? -1 : (long)i;
}

int
out_paths_add(struct pathset *ps, const char *path)
{
	struct path_key key = {ps, path};
	uint64_t h = S_path_hash(path);
	hmap_reserve(&ps->index, 1);
	size_t slot = hmap_probe(&ps->index, h, S_is_path, &key);
	if (hmap_entry(&ps->index, slot) != HMAP_NONE)
		return 0;
	ps->v = xgrow(ps->v, &ps->cap, ps->n, sizeof *ps->v, 2048);
	ps->v[ps->n] = xstrdup(path);
	hmap_fill(&ps->index, slot, h, ps->n++);
	return 1;
}

void
out_paths_free(struct pathset *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	hmap_free(&ps->index);
	memset(ps, 0, sizeof *ps);
}

/* The paths of the entry name under rel: relative to root, and whole.
   (Without printf: a walk of a large build does this for every file.) */
static void
S_entry_paths(const struct output *o, const char *rel, const char *name, struct buf *sub,
              struct buf *full)
{
	buf_adds(sub, rel);
	if (*rel)
		buf_addc(sub, '/');
	buf_adds(sub, name);
	buf_adds(full, o->root);
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

int
out_walk(struct output *o, const char *rel, int depth, int prune, walk_fn fn)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", o->root, *rel ? "/" : "", rel);
	DIR *d = depth < 64 ? opendir(dir.data) : NULL;
	int empty = 1;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct buf sub = BUF_INIT, full = BUF_INIT;
		S_entry_paths(o, rel, e->d_name, &sub, &full);
		if (out_entry_is(e, full.data, 1)) {
			if (!(out_walk(o, sub.data, depth + 1, prune, fn) && prune &&
			      rmdir(full.data) == 0))
				empty = 0;
		} else if (!fn(o, sub.data, full.data, e)) {
			empty = 0;
		}
		buf_release(&sub);
		buf_release(&full);
	}
	if (d)
		closedir(d);
	else
		empty = 0;
	buf_release(&dir);
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
	if (ok)
		return 1;
	DIR *d = opendir(root);
	if (!d)
		return 0;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/*
 * Removes what builds that were killed left beside root: their staging
 * directories (.NAME.staging-PID, and .NAME.staging-PID.old), when no
 * process PID runs any more. A build still running keeps its own.
 */
static void
S_remove_dead_stagings(const char *root)
{
	const char *slash = strrchr(root, '/');
	struct buf dir = BUF_INIT, prefix = BUF_INIT;
	if (slash)
		buf_add(&dir, root, (size_t)(slash - root));
	else
		buf_adds(&dir, ".");
	buf_printf(&prefix, ".%s.staging-", slash ? slash + 1 : root);
	size_t n;
	char **names = util_list_dir(dir.data, 1, &n);
	for (size_t i = 0; names && i < n; i++) {
		if (strncmp(names[i], prefix.data, prefix.len))
			continue;
		char *end;
		long pid = strtol(names[i] + prefix.len, &end, 10);
		if (end == names[i] + prefix.len || (*end && strcmp(end, ".old")) || pid <= 0 ||
		    pid == (long)getpid() || !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", dir.data, names[i]);
		util_remove_tree(path.data);
		buf_release(&path);
	}
	if (names)
		util_free_names(names, n);
	buf_release(&dir);
	buf_release(&prefix);
}

struct output *
out_open(const char *root)
{
	if (!S_replaceable(root)) {
		diag_error(root, 0, 0,
		           "exists and is not a baoku build (no %s file in it); remove it or "
		           "choose another output directory with -o",
		           OUT_MARKER);
		return NULL;
	}
	struct output *o = xcalloc(1, sizeof *o);
	o->root = xstrdup(root);
	pthread_mutex_init(&o->lock, NULL);
	/* beside the root, so the final rename stays on one file system */
	struct buf s = BUF_INIT;
	const char *slash = strrchr(root, '/');
	if (slash)
		buf_printf(&s, "%.*s/.%s.staging-%ld", (int)(slash - root), root, slash + 1,
		           (long)getpid());
	else
		buf_printf(&s, ".%s.staging-%ld", root, (long)getpid());
	o->staging = buf_detach(&s, NULL);
	if (slash)
		buf_printf(&s, "%.*s/.%s.cache", (int)(slash - root), root, slash + 1);
	else
		buf_printf(&s, ".%s.cache", root);
	o->cache = buf_detach(&s, NULL);
	buf_printf(&s, "%s/%s", root, OUT_MARKER);
	o->update = access(s.data, F_OK) == 0;
	buf_release(&s);
	S_remove_dead_stagings(root);
	util_remove_tree(o->staging);
	if (util_mkdirs(o->staging) < 0) {
		diag_error(o->staging, 0, 0, "cannot create the staging directory: %s",
		           strerror(errno));
		out_abort(o);
		return NULL;
	}
	static const char marker[] =
	    "This directory was generated by baoku; a build replaces it.\n";
	if (out_write(o, OUT_MARKER, marker, sizeof marker - 1) < 0) {
		out_abort(o);
		return NULL;
	}
	return o;
}

int
out_is_current(const char *root, const char *fingerprint, size_t len)
{
	struct buf path = BUF_INIT, old = BUF_INIT;
	buf_printf(&path, "%s/%s", root, OUT_MARKER);
	int current = access(path.data, F_OK) == 0;
	buf_reset(&path);
	buf_printf(&path, "%s/%s", root, OUT_INPUTS);
	int r = current ? util_read_file(path.data, &old, 0) : 0;
	current = current && r >= 0 && old.len == len && !memcmp(old.data, fingerprint, len);
	buf_release(&path);
	buf_release(&old);
	return r < 0 ? -1 : current;
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

/* Creates the file at path for writing, and its directories. */
static int
S_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && S_make_parent(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	return fd;
}

/* Links the previous build's relpath into the staging directory. */
static int
S_link_old(struct output *o, const char *relpath, const char *path)
{
	struct buf old = BUF_INIT;
	buf_printf(&old, "%s/%s", o->root, relpath);
	int rc = link(old.data, path);
	if (rc < 0 && errno == ENOENT && S_make_parent(path) == 0)
		rc = link(old.data, path);
	buf_release(&old);
	if (rc < 0 && errno == EEXIST)
		diag_error(relpath, 0, 0,
		           "written twice in one build: two pages map to the same output file");
	return rc;
}

/* Claims relpath for this build: 0, or -1 after reporting that it was
   made already. */
static int
S_claim(struct output *o, const char *relpath, int written)
{
	pthread_mutex_lock(&o->lock);
	int fresh = out_paths_add(&o->seen, relpath);
	if (fresh && written)
		strlist_add(&o->written, relpath, strlen(relpath));
	pthread_mutex_unlock(&o->lock);
	if (!fresh)
		diag_error(relpath, 0, 0,
		           "written twice in one build: two pages map to the same output file");
	return fresh ? 0 : -1;
}

/* Keeps the previous build's relpath in this one: linked into the
   staging directory, or left where it is when updating in place. */
static int
S_keep_old(struct output *o, const char *relpath, const char *path)
{
	if (!o->update)
		return S_link_old(o, relpath, path);
	/* the memo's files were looked for once, when it was loaded */
	long k = o->old.present ? out_paths_find(&o->old.paths, relpath) : -1;
	int there;
	if (k >= 0) {
		there = o->old.present[k];
	} else {
		struct buf old = BUF_INIT;
		buf_printf(&old, "%s/%s", o->root, relpath);
		struct stat st;
		there = lstat(old.data, &st) == 0 && S_ISREG(st.st_mode);
		buf_release(&old);
	}
	if (!there) {
		errno = ENOENT;
		return -1;
	}
	if (S_claim(o, relpath, 0) < 0) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

static void
S_remember(struct output *o, const char *relpath, uint64_t key)
{
	if (!key)
		return;
	pthread_mutex_lock(&o->lock);
	out_memo_add(&o->now, relpath, key);
	pthread_mutex_unlock(&o->lock);
}

static int
S_write_keyed(struct output *o, const char *relpath, uint64_t key, const void *data, size_t len)
{
	if (!util_safe_name(relpath)) {
		diag_error(relpath, 0, 0, "refusing to write outside the output directory");
		return -1;
	}
	int rc = -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->staging, relpath);
	if (!strcmp(relpath, OUT_INPUTS))
		o->inputs = out_key(0, data, len);
	/* the same bytes as in the previous build: link that file instead of
	   writing a new one, so it keeps its identity and time (without a
	   previous build, the root is absent or empty) */
	if (o->update && S_same_as_before(o, relpath, data, len)) {
		if (S_keep_old(o, relpath, path.data) == 0) {
			pthread_mutex_lock(&o->lock);
			o->unchanged++;
			pthread_mutex_unlock(&o->lock);
			S_remember(o, relpath, key);
			rc = 0;
			goto out;
		}
		if (errno == EEXIST)
			goto out;
	}
	if (o->update && S_claim(o, relpath, 1) < 0)
		goto out;
	int fd = S_create(path.data);
	if (fd < 0) {
		diag_error(relpath, 0, 0,
		           errno == EEXIST ? "written twice in one build: two pages "
		                             "map to the same output file"
		                           : "cannot create: %s",
		           strerror(errno));
		goto out;
	}
	if (S_write_all(fd, data, len) < 0 || close(fd) < 0) {
		diag_error(relpath, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	pthread_mutex_lock(&o->lock);
	o->files++;
	o->bytes += len;
	pthread_mutex_unlock(&o->lock);
	S_remember(o, relpath, key);
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
	key = out_key(key, &o->salt, sizeof o->salt);
	if (!util_safe_name(relpath) || out_memo_get(&o->old, relpath) != key)
		return 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->staging, relpath);
	int rc = S_keep_old(o, relpath, path.data);
	buf_release(&path);
	if (rc < 0)
		return errno == EEXIST ? -1 : 0;
	pthread_mutex_lock(&o->lock);
	o->unchanged++;
	pthread_mutex_unlock(&o->lock);
	S_remember(o, relpath, key);
	return 1;
}

int
out_write_memo(struct output *o, const char *relpath, uint64_t key, const void *data, size_t len)
{
	return S_write_keyed(o, relpath, out_key(key, &o->salt, sizeof o->salt), data, len);
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

static void
S_free(struct output *o)
{
	pthread_mutex_destroy(&o->lock);
	free(o->root);
	free(o->staging);
	free(o->cache);
	out_memo_free(&o->old);
	out_memo_free(&o->now);
	strlist_free(&o->cached);
	out_paths_free(&o->seen);
	strlist_free(&o->written);
	free(o);
}

/* Moves the file at relpath from the staging directory into root. */
static int
S_move_in(struct output *o, const char *relpath)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	buf_printf(&from, "%s/%s", o->staging, relpath);
	buf_printf(&to, "%s/%s", o->root, relpath);
	int rc = rename(from.data, to.data);
	if (rc < 0 && errno == ENOENT && S_make_parent(to.data) == 0)
		rc = rename(from.data, to.data);
	if (rc < 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)) {
		/* a directory where the file goes now */
		util_remove_tree(to.data);
		rc = rename(from.data, to.data);
	}
	if (rc < 0)
		diag_error(to.data, 0, 0, "cannot move the new file in place: %s", strerror(errno));
	buf_release(&from);
	buf_release(&to);
	return rc;
}

/* Deletes a file this build did not make. */
static int
S_prune(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	(void)e;
	return out_paths_find(&o->seen, rel) < 0 && unlink(full) == 0;
}

/* Updates root in place: the new and changed files move in, one rename
   each, then what this build did not make is deleted. */
static int
S_commit_update(struct output *o)
{
	int rc = 0;
	for (size_t i = 0; i < o->written.n; i++)
		if (S_move_in(o, o->written.v[i]) < 0)
			rc = -1;
	if (rc < 0) {
		diag_error(o->root, 0, 0,
		           "the build could not be moved in completely; build again with "
		           "--force");
		return -1;
	}
	out_walk(o, "", 0, 1, S_prune);
	return util_remove_tree(o->staging);
}

int
out_commit(struct output *o)
{
	int rc = -1;
	struct stat st;
	if (o->update && lstat(o->root, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = S_commit_update(o);
	} else if (lstat(o->root, &st) < 0 && errno == ENOENT) {
		if (rename(o->staging, o->root) == 0)
			rc = 0;
		else
			diag_error(o->root, 0, 0, "cannot move the new build in place: %s",
			           strerror(errno));
	} else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->root, RENAME_EXCHANGE) == 0) {
		/* the staging path now holds the previous build */
		rc = util_remove_tree(o->staging);
	} else {
		/* no atomic exchange on this file system: two renames */
		struct buf old = BUF_INIT;
		buf_printf(&old, "%s.old", o->staging);
		if (rename(o->root, old.data) == 0 && rename(o->staging, o->root) == 0) {
			rc = util_remove_tree(old.data);
		} else {
			diag_error(o->root, 0, 0, "cannot swap the new build in: %s",
			           strerror(errno));
			rename(old.data, o->root);
		}
		buf_release(&old);
	}
	if (rc < 0) {
		util_remove_tree(o->staging);
		out_cache_drop(o);
	} else {
		out_cache_commit(o);
	}
	S_free(o);
	return rc;
}

void
out_abort(struct output *o)
{
	util_remove_tree(o->staging);
	out_cache_drop(o);
	S_free(o);
}

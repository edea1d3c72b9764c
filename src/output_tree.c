/*
 * The two trees of an output: the live one in root, and the next one in
 * side/next, where a build assembles what it makes. Between builds next
 * is kept as the previous build's tree (a spare), so that the following
 * build need only bring it level with root where the two differ, by hard
 * links, before it writes: a one-page rebuild costs the files it changes,
 * not the size of the archive. The swap exchanges the two directories in
 * one rename, so root is always one whole build.
 *
 * What a tree is comes from its marker (OUT_MARKER), written last, whose
 * id names the build: a next tree without one is in an unknown state and
 * is matched to root by walking both.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "output_int.h"
#include "pool.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * The lock and the leftovers of a swap
 * ------------------------------------------------------------------- */

int
out_tree_lock(struct output *o)
{
	struct buf path = BUF_INIT;
	int rc = -1;
	if (util_mkdirs(o->next) < 0) {
		diag_error(o->side, 0, 0, "cannot create the directory of the next build: %s",
		           strerror(errno));
		goto out;
	}
	buf_printf(&path, "%s/lock", o->side);
	o->lockfd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lockfd < 0) {
		diag_error(path.data, 0, 0, "cannot create the lock of the build: %s",
		           strerror(errno));
		goto out;
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "baoku: waiting for the build of %s that runs now\n", o->root);
		while (flock(o->lockfd, LOCK_EX) < 0)
			if (errno != EINTR) {
				diag_error(path.data, 0, 0, "cannot lock: %s", strerror(errno));
				goto out;
			}
	}
	rc = 0;
out:
	buf_release(&path);
	return rc;
}

/* A swap without the atomic exchange is three renames, through side/old:
   root to old, next to root, old to next. Whichever of them a killed
   build did not make, this finishes or undoes. */
void
out_tree_recover(struct output *o)
{
	struct buf old = BUF_INIT;
	buf_printf(&old, "%s/old", o->side);
	struct stat st;
	if (lstat(old.data, &st) == 0) {
		if (lstat(o->root, &st) < 0 && errno == ENOENT)
			rename(old.data, o->root);
		else if (lstat(o->next, &st) < 0 && errno == ENOENT)
			rename(old.data, o->next);
		else
			util_remove_tree(old.data);
	}
	buf_release(&old);
}

uint64_t
out_tree_id(const char *dir)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, OUT_MARKER);
	uint64_t id = 0;
	if (util_read_file(path.data, &text, 0) > 0) {
		const char *p = strstr(text.data, "\nbuild ");
		if (p)
			id = strtoull(p + 7, NULL, 16);
	}
	buf_release(&path);
	buf_release(&text);
	return id;
}

/* ---------------------------------------------------------------------
 * Matching next to root
 * ------------------------------------------------------------------- */

/* Removes the directories above next/rel that are left empty: 0, or -1
   with errno set. */
static int
S_drop_empty_parents(struct output *o, const char *rel)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s/%s", o->next, rel);
	size_t base = strlen(o->next);
	int rc = 0;
	for (char *slash; (slash = strrchr(dir.data, '/')) && (size_t)(slash - dir.data) > base;) {
		*slash = '\0';
		if (rmdir(dir.data) < 0) {
			if (errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT)
				rc = -1;
			break;
		}
	}
	buf_release(&dir);
	return rc;
}

/* Links to at from, making to's folder when it has none: 0, or -1 with
   errno set. */
static int
S_link(const char *from, char *to)
{
	int rc = link(from, to);
	if (rc < 0 && errno == ENOENT) {
		char *slash = strrchr(to, '/');
		*slash = '\0';
		rc = util_mkdirs(to);
		*slash = '/';
		if (rc == 0)
			rc = link(from, to);
	}
	return rc;
}

int
out_tree_sync(struct output *o, const char *rel)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	buf_printf(&from, "%s/%s", o->root, rel);
	buf_printf(&to, "%s/%s", o->next, rel);
	int rc = 0;
	if (unlink(to.data) < 0 && errno != ENOENT && errno != ENOTDIR &&
	    (errno != EISDIR || util_remove_tree(to.data) < 0))
		rc = -1;
	struct stat st;
	if (rc == 0 && lstat(from.data, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = S_link(from.data, to.data);
	} else if (rc == 0) {
		rc = S_drop_empty_parents(o, rel);
	}
	if (rc < 0)
		diag_error(to.data, 0, 0, "cannot bring the next build level with the last: %s",
		           strerror(errno));
	buf_release(&from);
	buf_release(&to);
	return rc;
}

/* The walk of next: deletes each file that root does not have as a file. */
static int
S_drop_foreign(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	(void)e;
	struct buf there = BUF_INIT;
	buf_printf(&there, "%s/%s", o->root, rel);
	struct stat st;
	int gone = 0;
	if (!(lstat(there.data, &st) == 0 && S_ISREG(st.st_mode)) || !strcmp(rel, OUT_MARKER))
		gone = unlink(full) == 0;
	buf_release(&there);
	return gone;
}

/* The walk of root: links each file next lacks, or has as another file. */
static int
S_link_missing(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	(void)e;
	if (!strcmp(rel, OUT_MARKER))
		return 0;
	struct buf there = BUF_INIT;
	buf_printf(&there, "%s/%s", o->next, rel);
	struct stat a, b;
	if (lstat(full, &a) == 0 &&
	    !(lstat(there.data, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) &&
	    out_tree_sync(o, rel) < 0)
		o->walk_failed = 1;
	buf_release(&there);
	return 0;
}

/* The walk of root into an empty next: links each file, making its
   folder when it is the first there. */
static int
S_link_into_empty(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	if (!strcmp(rel, OUT_MARKER) || !out_entry_is(e, full, 0))
		return 0;
	struct buf to = BUF_INIT;
	buf_printf(&to, "%s/%s", o->next, rel);
	if (S_link(full, to.data) < 0 && !atomic_exchange(&o->walk_failed, 1))
		diag_error(to.data, 0, 0, "cannot link the last build's file beside it: %s",
		           strerror(errno));
	buf_release(&to);
	return 0;
}

/* The fill's parts, each linked by one thread: the files of root and of
   its folders, and each folder below those whole. A million articles'
   tree holds 1.6 million files, 14-15 s of link calls on one thread. */
struct fill_part {
	char *rel;
	int depth; /* the walk's; FILES_ALONE: the folder's files, not its folders */
};
#define FILES_ALONE (OUT_WALK_DEPTH - 1)
struct fill {
	struct output *o;
	struct fill_part *v;
	size_t n, cap;
};

static void
S_fill_part_add(struct fill *f, const char *rel, int depth)
{
	f->v = xgrow(f->v, &f->cap, f->n, sizeof *f->v, 64);
	f->v[f->n++] = (struct fill_part){xstrdup(rel), depth};
}

/* Adding the parts of a folder of root, depth folders down (S_fill_parts). */
struct fill_walk {
	struct fill *f;
	int depth;
};

static void S_fill_parts(struct fill *f, const char *rel, int depth);

static void
S_fill_entry(void *ctx, const char *sub, const char *full, const struct dirent *e, int dir)
{
	(void)full;
	(void)e;
	const struct fill_walk *w = ctx;
	if (dir && w->depth == 0)
		S_fill_parts(w->f, sub, 1);
	else if (dir)
		S_fill_part_add(w->f, sub, w->depth + 1);
}

/* Adds root/rel's files as a part, and its folders: whole below depth 0,
   else as parts of their own. */
static void
S_fill_parts(struct fill *f, const char *rel, int depth)
{
	S_fill_part_add(f, rel, FILES_ALONE);
	struct fill_walk w = {f, depth};
	if (out_dir_each(f->o->root, rel, depth, S_fill_entry, &w) == 0 ||
	    atomic_exchange(&f->o->walk_failed, 1))
		return;
	int err = errno;
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", f->o->root, *rel ? "/" : "", rel);
	diag_error(dir.data, 0, 0, "cannot read the folder of the last build: %s", strerror(err));
	buf_release(&dir);
}

static int
S_fill_part(void *ctx, void *state, size_t i)
{
	(void)state;
	struct fill *f = ctx;
	/* at FILES_ALONE the walk opens no folder below */
	out_walk(f->o, f->o->root, f->v[i].rel, f->v[i].depth, 0, S_link_into_empty);
	return 0;
}

int
out_tree_fill(struct output *o)
{
	o->walk_failed = 0;
	struct fill f = {.o = o};
	S_fill_parts(&f, "", 0);
	struct pool_task t = {.n = f.n, .run = S_fill_part, .ctx = &f};
	pool_run(&t, o->jobs);
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i].rel);
	free(f.v);
	return o->walk_failed ? -1 : 0;
}

/* Walks both trees: next loses what root lacks and gains what it has. */
static int
S_match_by_walking(struct output *o)
{
	o->walk_failed = 0;
	out_walk(o, o->next, "", 0, 1, S_drop_foreign);
	out_walk(o, o->root, "", 0, 0, S_link_missing);
	return o->walk_failed ? -1 : 0;
}

int
out_tree_match(struct output *o)
{
	uint64_t spare, live;
	struct strlist paths = {0};
	int known = out_spare_read(o, &spare, &live, &paths) == 0 && live == o->live &&
	            spare == out_tree_id(o->next);
	/* from here on next is unknown until its marker is written */
	struct buf marker = BUF_INIT;
	buf_printf(&marker, "%s/%s", o->next, OUT_MARKER);
	int rc = unlink(marker.data) < 0 && errno != ENOENT ? -1 : 0;
	buf_release(&marker);
	for (size_t i = 0; rc == 0 && known && i < paths.n; i++)
		if (strcmp(paths.v[i], OUT_MARKER) && util_safe_name(paths.v[i]) &&
		    out_tree_sync(o, paths.v[i]) < 0)
			known = 0;
	strlist_free(&paths);
	if (rc == 0 && !known)
		rc = S_match_by_walking(o);
	if (rc < 0)
		diag_error(o->next, 0, 0,
		           "cannot prepare the next build beside %s; remove %s and build again",
		           o->root, o->side);
	return rc;
}

int
out_tree_clear(struct output *o)
{
	if (util_remove_tree(o->next) < 0 || util_mkdirs(o->next) < 0) {
		diag_error(o->next, 0, 0, "cannot empty the directory of the next build: %s",
		           strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Pruning and the swap
 * ------------------------------------------------------------------- */

/*
 * The listing of next, made on a thread of its own while the build runs
 * (out_tree_list_start), so that the prune need not walk the tree at the
 * end: each entry a kind and a path relative to next, NUL-ended. A folder
 * is LIST_OPEN and its path, what it holds, LIST_CLOSE (the path its
 * LIST_OPEN's); LIST_UNREAD stands for what a folder that could not be
 * read holds. A file of the old memo is marked present there instead of
 * listed (nearly every file of a rebuild: 2.65 million paths at a million
 * page files), and its folder says it holds some (LIST_HELD, no path):
 * the prune finds those by the memo. Files the build writes after the
 * listing are its own, and so kept; a folder the listing found empty may
 * have gained some.
 */
#define LIST_FILE   'f'
#define LIST_OPEN   'D'
#define LIST_CLOSE  'd'
#define LIST_UNREAD 'u'
#define LIST_HELD   'h'

static void
S_list_add(struct buf *out, char kind, const char *rel)
{
	buf_addc(out, kind);
	buf_add(out, rel, strlen(rel) + 1);
}

/* Marks next/rel (full, its entry e) present when it is a file of the
   old memo: 1 then, 0 when it is not one. */
static int
S_mark_present(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	long k = o->old.present && out_entry_is(e, full, 0) ? pathset_find(&o->old.paths, rel) : -1;
	if (k < 0)
		return 0;
	o->old.present[k] = 1;
	return 1;
}

/* Listing one folder of next (S_list): whether a file of it is held. */
struct list_walk {
	struct output *o;
	int depth, held;
};

static void S_list(struct output *o, const char *rel, int depth);

static void
S_list_entry(void *ctx, const char *sub, const char *full, const struct dirent *e, int dir)
{
	struct list_walk *w = ctx;
	struct buf *out = &w->o->listing;
	if (dir) {
		S_list_add(out, LIST_OPEN, sub);
		S_list(w->o, sub, w->depth + 1);
		S_list_add(out, LIST_CLOSE, "");
	} else if (S_mark_present(w->o, sub, full, e)) {
		w->held = 1;
	} else {
		S_list_add(out, LIST_FILE, sub);
	}
}

static void
S_list(struct output *o, const char *rel, int depth)
{
	struct list_walk w = {o, depth, 0};
	if (out_dir_each(o->next, rel, depth, S_list_entry, &w) < 0)
		S_list_add(&o->listing, LIST_UNREAD, rel);
	if (w.held)
		S_list_add(&o->listing, LIST_HELD, "");
}

void
out_tree_list(struct output *o)
{
	S_list(o, "", 0);
}

void *
out_tree_list_thread(void *arg)
{
	out_tree_list(arg);
	return NULL;
}

void
out_tree_list_start(struct output *o)
{
	o->listing = (struct buf)BUF_INIT;
	o->lister_running = pthread_create(&o->lister, NULL, out_tree_list_thread, o) == 0;
}

/* The listing of next, once it is made (here when no thread made it). */
static void
S_listing(struct output *o)
{
	if (o->lister_running)
		pthread_join(o->lister, NULL);
	else if (o->listed)
		out_memo_found(&o->old);
	else if (!o->listing.len)
		out_tree_list(o);
	o->lister_running = 0;
}

void
out_tree_list_end(struct output *o)
{
	if (o->lister_running)
		pthread_join(o->lister, NULL);
	o->lister_running = 0;
	buf_release(&o->listing);
}

/* Deletes next/rel, a file this build did not make: 0 when it is gone
   (or was already), -1 after reporting the first that stays. */
static int
S_prune_file(struct output *o, const char *rel)
{
	struct buf full = BUF_INIT;
	buf_printf(&full, "%s/%s", o->next, rel);
	int rc = 0;
	if (unlink(full.data) == 0) {
		strlist_add(&o->changed, rel, strlen(rel));
	} else if (errno != ENOENT) {
		if (!o->walk_failed)
			diag_error(full.data, 0, 0, "cannot delete a file the build no longer makes: %s",
			           strerror(errno));
		o->walk_failed = 1;
		rc = -1;
	}
	buf_release(&full);
	return rc;
}

/* Removes next/rel, a folder the prune may have left empty: 0 when it is
   gone, 1 when it stays: it holds something (a file written since it was
   listed, one the prune has yet to delete, one the build keeps), or,
   after reporting, it could not be removed. */
static int
S_prune_dir(struct output *o, const char *rel)
{
	struct buf full = BUF_INIT;
	buf_printf(&full, "%s/%s", o->next, rel);
	int rc = 0;
	if (rmdir(full.data) < 0) {
		rc = 1;
		/* the system may refuse before it looks inside (a folder above
		   it not writable, a mount point): only an empty one is an
		   error */
		int err = errno;
		if (err != ENOTEMPTY && err != EEXIST && !o->walk_failed &&
		    out_dir_is_empty(full.data)) {
			diag_error(full.data, 0, 0, "cannot delete an empty directory: %s",
			           strerror(err));
			o->walk_failed = 1;
		}
	}
	buf_release(&full);
	return rc;
}

/* Whether next/rel, a file of the listing, stays: the build made it, or
   it cannot be deleted. */
static int
S_file_stays(struct output *o, const char *rel)
{
	return pathset_find(&o->seen, rel) >= 0 || S_prune_file(o, rel) < 0;
}

/* Removes the folders of the file rel that it left empty, from the
   deepest up; rel is cut at each. */
static void
S_prune_parents(struct output *o, char *rel)
{
	for (char *slash; (slash = strrchr(rel, '/'));) {
		*slash = '\0';
		if (S_prune_dir(o, rel) != 0)
			return;
	}
}

/* Deletes the files of the old memo that next has (not listed: held)
   and this build did not make (nor claimed: those are not looked for),
   then each folder that leaves empty. */
static void
S_prune_held(struct output *o)
{
	if (!o->old.present)
		return;
	struct buf rel = BUF_INIT;
	for (size_t k = 0; k < o->old.paths.n; k++) {
		if (!o->old.present[k] || (o->claimed && o->claimed[k]))
			continue;
		pathset_path(&o->old.paths, k, &rel);
		if (!S_file_stays(o, rel.data))
			S_prune_parents(o, rel.data);
	}
	buf_release(&rel);
}

int
out_tree_prune(struct output *o)
{
	S_listing(o);
	o->walk_failed = 0;
	/* for each folder open in the listing, whether something stays in it:
	   a folder that holds files of the old memo stays until they are
	   pruned (S_prune_held), which removes it when it is left empty */
	unsigned char stays[OUT_WALK_DEPTH + 2] = {0};
	const char *opened[OUT_WALK_DEPTH + 2] = {0}; /* each one's path */
	int depth = 0;
	for (const char *p = o->listing.data, *end = p + o->listing.len; p && p < end;
	     p += strlen(p) + 1) {
		char kind = *p++;
		if (kind == LIST_OPEN && depth <= OUT_WALK_DEPTH) {
			stays[++depth] = 0;
			opened[depth] = p;
		} else if (kind == LIST_CLOSE && depth > 0) {
			int kept = stays[depth] || S_prune_dir(o, opened[depth]) != 0;
			depth--;
			stays[depth] |= (unsigned char)kept;
		} else if (kind == LIST_UNREAD || kind == LIST_HELD ||
		           (kind == LIST_FILE && S_file_stays(o, p))) {
			stays[depth] = 1;
		}
	}
	buf_release(&o->listing);
	S_prune_held(o);
	return o->walk_failed ? -1 : 0;
}

int
out_tree_swap(struct output *o)
{
	struct stat st;
	if (lstat(o->root, &st) < 0 && errno == ENOENT) {
		if (rename(o->next, o->root) == 0)
			return 0;
	} else if (renameat2(AT_FDCWD, o->next, AT_FDCWD, o->root, RENAME_EXCHANGE) == 0) {
		return 0;
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* no atomic exchange on this file system: three renames, which
		   out_tree_recover finishes when a build stops between them */
		struct buf old = BUF_INIT;
		buf_printf(&old, "%s/old", o->side);
		int rc = -1;
		if (rename(o->root, old.data) == 0) {
			if (rename(o->next, o->root) == 0) {
				rc = 0;
				if (rename(old.data, o->next) < 0)
					util_remove_tree(old.data);
			} else {
				rename(old.data, o->root);
			}
		}
		buf_release(&old);
		if (rc == 0)
			return 0;
	}
	diag_error(o->root, 0, 0, "cannot swap the new build in: %s", strerror(errno));
	return -1;
}

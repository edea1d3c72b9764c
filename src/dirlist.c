#define _GNU_SOURCE /* getdents64 */
#include "dirlist.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "xalloc.h"

/* Listings made ahead and not yet taken, at most: what a walk that has
   fallen behind holds for it. Once the window is full, the threads wait
   until the walk has taken half of it, to list the next half in one go
   rather than wake for each folder taken. */
#define WINDOW 128

/* Entries read at a time: a folder of a few hundred names in one call. */
#define DENTS_BYTES 32768

/* The names in the folder open as fd, without the hidden ones (nor . and
   ..), sorted by bytes: 0, or the errno of reading it. Read with
   getdents64 rather than readdir, which would stat the folder once more
   when it opens it (a scan lists every folder of content/). */
static int
S_read_names(int fd, struct dir_listing *d)
{
	static_assert(DENTS_BYTES % 8 == 0, "getdents64 aligns its records to 8 bytes");
	uint64_t buf[DENTS_BYTES / 8];
	size_t cap = 0;
	for (;;) {
		ssize_t got = getdents64(fd, buf, sizeof buf);
		if (got < 0)
			return errno ? errno : EIO;
		if (got == 0)
			break;
		for (size_t at = 0; at < (size_t)got;) {
			const struct dirent64 *e = (const struct dirent64 *)((char *)buf + at);
			at += e->d_reclen;
			if (e->d_name[0] == '.')
				continue;
			d->names = xgrow(d->names, &cap, d->n, sizeof *d->names, 32);
			d->names[d->n++] = xstrdup(e->d_name);
		}
	}
	util_sort_names(d->names, d->n);
	return 0;
}

/* Each of d's entries' lstat, in the folder open as fd. */
static void
S_stat_names(int fd, struct dir_listing *d)
{
	d->st = xcalloc(d->n ? d->n : 1, sizeof *d->st);
	d->err = xcalloc(d->n ? d->n : 1, sizeof *d->err);
	for (size_t i = 0; i < d->n; i++)
		if (fstatat(fd, d->names[i], &d->st[i], AT_SYMLINK_NOFOLLOW) < 0)
			d->err[i] = errno ? errno : EIO;
}

void
dir_list(int at, const char *path, struct dir_listing *d)
{
	memset(d, 0, sizeof *d);
	int fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->err_open = fd < 0 ? (errno ? errno : EIO) : S_read_names(fd, d);
	if (d->err_open) { /* no names, not even those read before it failed */
		util_free_names(d->names, d->n);
		d->names = NULL;
		d->n = 0;
	}
	if (!d->names)
		d->names = xcalloc(1, sizeof *d->names);
	if (!d->err_open)
		S_stat_names(fd, d);
	if (fd >= 0)
		close(fd);
}

void
dir_listing_free(struct dir_listing *d)
{
	util_free_names(d->names, d->n);
	free(d->st);
	free(d->err);
	memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------------
 * Listing ahead
 * ------------------------------------------------------------------- */

enum item_state {
	QUEUED, /* named, not begun */
	BUSY,   /* being listed by a thread */
	DONE,   /* listed, waiting to be taken */
	GONE    /* taken or dropped (or being listed by the walk itself) */
};

struct item {
	char *path;
	enum item_state state;
	struct dir_listing d;
};

struct dirlist {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a folder named, a listing taken, or stop */
	pthread_cond_t done; /* a listing made */
	struct item **v;     /* every folder named, in order (the pointers stay) */
	size_t n, cap;
	size_t next;  /* the first that a thread may not have looked at */
	size_t ready; /* DONE items */
	int stop;
	int at; /* the folder the paths named are relative to */
	pthread_t *threads;
	int nthreads;
};

/* Waits for a folder to list, within the window: the item (BUSY from
   now), or NULL when the lister stops. Called with the lock held. */
static struct item *
S_next(struct dirlist *l)
{
	for (;;) {
		while (!l->stop && (l->next == l->n || l->ready >= WINDOW))
			pthread_cond_wait(&l->work, &l->lock);
		if (l->stop)
			return NULL;
		struct item *it = l->v[l->next++];
		if (it->state == QUEUED) {
			it->state = BUSY;
			return it;
		}
	}
}

static void *
S_thread(void *arg)
{
	struct dirlist *l = arg;
	pthread_mutex_lock(&l->lock);
	struct item *it;
	while ((it = S_next(l))) {
		pthread_mutex_unlock(&l->lock);
		dir_list(l->at, it->path, &it->d);
		pthread_mutex_lock(&l->lock);
		it->state = DONE;
		l->ready++;
		pthread_cond_broadcast(&l->done);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct dirlist *
dirlist_new(int threads, int at)
{
	struct dirlist *l = xcalloc(1, sizeof *l);
	l->at = at;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->work, NULL);
	pthread_cond_init(&l->done, NULL);
	if (threads > 0)
		l->threads = xcalloc((size_t)threads, sizeof *l->threads);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&l->threads[l->nthreads], NULL, S_thread, l) == 0)
			l->nthreads++; /* fewer threads list less ahead; no more */
	return l;
}

size_t
dirlist_ahead(struct dirlist *l, const char *path)
{
	struct item *it = xcalloc(1, sizeof *it);
	it->path = xstrdup(path);
	pthread_mutex_lock(&l->lock);
	l->v = xgrow(l->v, &l->cap, l->n, sizeof *l->v, 64);
	l->v[l->n] = it;
	size_t h = l->n++;
	if (l->ready < WINDOW)
		pthread_cond_signal(&l->work);
	pthread_mutex_unlock(&l->lock);
	return h;
}

void
dirlist_take(struct dirlist *l, size_t h, struct dir_listing *d)
{
	pthread_mutex_lock(&l->lock);
	struct item *it = l->v[h];
	enum item_state was = it->state;
	while (it->state == BUSY)
		pthread_cond_wait(&l->done, &l->lock);
	if (it->state == DONE) {
		*d = it->d;
		if (--l->ready == WINDOW / 2)
			pthread_cond_broadcast(&l->work); /* the window half empty */
	}
	it->state = GONE;
	pthread_mutex_unlock(&l->lock);
	if (was == QUEUED)
		dir_list(l->at, it->path, d);
	free(it->path);
	it->path = NULL;
}

void
dirlist_drop(struct dirlist *l, size_t h)
{
	struct dir_listing d;
	pthread_mutex_lock(&l->lock);
	struct item *it = l->v[h];
	int queued = it->state == QUEUED;
	if (queued) {
		it->state = GONE;
		free(it->path);
		it->path = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	if (queued)
		return;
	dirlist_take(l, h, &d);
	dir_listing_free(&d);
}

void
dirlist_free(struct dirlist *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stop = 1;
	pthread_cond_broadcast(&l->work);
	pthread_mutex_unlock(&l->lock);
	for (int i = 0; i < l->nthreads; i++)
		pthread_join(l->threads[i], NULL);
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i]->state == DONE)
			dir_listing_free(&l->v[i]->d);
		free(l->v[i]->path);
		free(l->v[i]);
	}
	free(l->v);
	free(l->threads);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->work);
	pthread_cond_destroy(&l->done);
	free(l);
}

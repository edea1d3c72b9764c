/*
 * The twin: in a build from nothing, a copy of next by hard links, made
 * while the build writes, which becomes the spare after the swap in one
 * rename. Without it the spare was made after the swap by linking every
 * file of the new tree on one thread: 36 s of a million articles' full
 * build of 270 s.
 *
 * Each file written and closed is queued (out_twin_add); a thread that
 * runs only when a core would otherwise be idle (SCHED_IDLE) links it
 * into side/twin. At the commit, before the swap, the main thread helps
 * link what is left (out_twin_finish). A twin with any link missing is
 * not used: the commit then makes the spare as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output_int.h"
#include "util.h"
#include "xalloc.h"

/* How many queued files a thread takes at a time: small enough that the
   main thread finds some to share at the end. */
#define TWIN_BATCH 256

struct twin {
	char *dir;           /* side/twin */
	pthread_t thread;
	int running;         /* started and not yet joined */
	pthread_cond_t more; /* with the output's lock: a batch queued, or the end */
	const char **queue;  /* written paths, relative to next (seen's copies) */
	size_t n, cap;
	int ending;          /* no more files come: drain and stop */
	int failed;          /* the errno of the first link that failed, else 0 */
};

static void
S_twin_path(const struct output *o, struct buf *b)
{
	buf_printf(b, "%s/twin", o->side);
}

void
out_twin_remove_leftover(const struct output *o)
{
	struct buf dir = BUF_INIT;
	S_twin_path(o, &dir);
	util_remove_tree_quietly(dir.data);
	buf_release(&dir);
}

/* Links next/rel as twin/rel, making its folder when it is the first
   there: 0, or the errno. */
static int
S_link_one(const struct output *o, const struct twin *t, const char *rel, struct buf *from,
           struct buf *to)
{
	buf_reset(from);
	buf_reset(to);
	buf_printf(from, "%s/%s", o->next, rel);
	buf_printf(to, "%s/%s", t->dir, rel);
	return out_tree_link(from->data, to->data) < 0 ? errno : 0;
}

/* Links queued files, a batch at a time, until the queue is empty; with
   wait, waits for more until the end is called. */
static void
S_drain(struct output *o, int wait)
{
	struct twin *t = o->twin;
	const char *batch[TWIN_BATCH];
	struct buf from = BUF_INIT, to = BUF_INIT;
	for (;;) {
		pthread_mutex_lock(&o->lock);
		while (wait && t->n < TWIN_BATCH && !t->ending)
			pthread_cond_wait(&t->more, &o->lock);
		size_t k = t->n < TWIN_BATCH ? t->n : TWIN_BATCH;
		t->n -= k;
		memcpy(batch, t->queue + t->n, k * sizeof *batch);
		int stop = t->failed != 0;
		pthread_mutex_unlock(&o->lock);
		if (k == 0)
			break;
		for (size_t i = 0; i < k && !stop; i++) {
			int e = S_link_one(o, t, batch[i], &from, &to);
			if (e) {
				pthread_mutex_lock(&o->lock);
				if (!t->failed)
					t->failed = e;
				pthread_mutex_unlock(&o->lock);
				stop = 1;
			}
		}
	}
	buf_release(&from);
	buf_release(&to);
}

static void *
S_twin_thread(void *arg)
{
	struct sched_param idle = {0};
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
	S_drain(arg, 1);
	return NULL;
}

void
out_twin_start(struct output *o)
{
	struct twin *t = xcalloc(1, sizeof *t);
	struct buf dir = BUF_INIT;
	S_twin_path(o, &dir);
	t->dir = buf_detach(&dir, NULL);
	pthread_cond_init(&t->more, NULL);
	o->twin = t;
	if (mkdir(t->dir, 0755) < 0 || pthread_create(&t->thread, NULL, S_twin_thread, o) != 0) {
		/* no twin: the commit makes the spare by itself */
		out_twin_end(o);
		return;
	}
	t->running = 1;
}

void
out_twin_add(struct output *o, const char *rel)
{
	struct twin *t = o->twin;
	if (!t || t->failed)
		return;
	t->queue = xgrow(t->queue, &t->cap, t->n, sizeof *t->queue, 4096);
	t->queue[t->n++] = rel;
	if (t->n == TWIN_BATCH) /* a wake a batch, not a file */
		pthread_cond_signal(&t->more);
}

/* Says the end to the thread and joins it. */
static void
S_stop(struct output *o, int help)
{
	struct twin *t = o->twin;
	if (!t->running)
		return;
	pthread_mutex_lock(&o->lock);
	t->ending = 1;
	if (!help)
		t->failed = t->failed ? t->failed : ECANCELED;
	pthread_cond_broadcast(&t->more);
	pthread_mutex_unlock(&o->lock);
	if (help)
		S_drain(o, 0);
	pthread_join(t->thread, NULL);
	t->running = 0;
}

int
out_twin_finish(struct output *o)
{
	if (!o->twin)
		return -1;
	S_stop(o, 1);
	return o->twin->failed ? -1 : 0;
}

int
out_twin_to_next(struct output *o)
{
	struct twin *t = o->twin;
	if (!t || t->running || t->failed)
		return -1;
	if (util_remove_tree(o->next) < 0)
		return -1;
	if (rename(t->dir, o->next) < 0) {
		diag_error(o->next, 0, 0, "cannot keep the copy of the new build beside it: %s",
		           strerror(errno));
		return -1;
	}
	return 0;
}

void
out_twin_end(struct output *o)
{
	struct twin *t = o->twin;
	if (!t)
		return;
	S_stop(o, 0);
	util_remove_tree_quietly(t->dir);
	pthread_cond_destroy(&t->more);
	free(t->queue);
	free(t->dir);
	free(t);
	o->twin = NULL;
}

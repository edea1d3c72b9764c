#define _GNU_SOURCE /* qsort_r */
#include "pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* A run under way: what its threads share. */
struct run {
	const struct pool_task *t;
	atomic_size_t next; /* the next item to take */
	atomic_size_t done; /* items finished */
	atomic_int failed;  /* an item's run returned -1 */
};

static void *
S_thread(void *arg)
{
	struct run *r = arg;
	const struct pool_task *t = r->t;
	void *state = t->state_size ? xcalloc(1, t->state_size) : NULL;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= t->n)
			break;
		if (t->run(t->ctx, state, i) < 0)
			atomic_store(&r->failed, 1);
		size_t finished = atomic_fetch_add(&r->done, 1) + 1;
		if (t->done)
			t->done(t->ctx, finished, t->n);
	}
	if (state && t->state_free)
		t->state_free(state);
	free(state);
	return NULL;
}

int
pool_threads(int jobs, int max)
{
	if (jobs > 0)
		return jobs;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = n > 0 ? (int)n : 1;
	return max > 0 && threads > max ? max : threads;
}

int
pool_run(const struct pool_task *t, int jobs)
{
	struct run r = {.t = t};
	atomic_init(&r.next, 0);
	atomic_init(&r.done, 0);
	atomic_init(&r.failed, 0);
	int threads = pool_threads(jobs, 0);
	if ((size_t)threads > t->n)
		threads = t->n > 0 ? (int)t->n : 1;
	pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
	int started = 0;
	for (int i = 1; i < threads; i++)
		if (pthread_create(&tids[started], NULL, S_thread, &r) == 0)
			started++;
	S_thread(&r);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	return atomic_load(&r.failed) ? -1 : 0;
}

static void *
S_side(void *arg)
{
	struct pool_side *s = arg;
	s->rc = pool_run(s->task, s->jobs);
	return NULL;
}

void
pool_start(struct pool_side *s, const struct pool_task *t, int jobs)
{
	memset(s, 0, sizeof *s);
	s->task = t;
	s->jobs = jobs;
	s->started = pthread_create(&s->tid, NULL, S_side, s) == 0;
	if (!s->started)
		s->rc = pool_run(t, jobs); /* then here and now */
}

int
pool_wait(struct pool_side *s)
{
	if (s->started)
		pthread_join(s->tid, NULL);
	s->started = 0;
	return s->rc;
}

/* pool_sort's halves. */
struct halves {
	char *v;
	size_t n, half, size;
	int (*cmp)(const void *, const void *, void *);
	void *ctx;
};

static int
S_sort_half(void *ctx, void *state, size_t i)
{
	(void)state;
	struct halves *h = ctx;
	size_t n = i ? h->n - h->half : h->half;
	if (n > 1)
		qsort_r(h->v + (i ? h->half * h->size : 0), n, h->size, h->cmp, h->ctx);
	return 0;
}

/* Merges h's sorted halves in place, the first copied aside: what is
   written never passes what is still to read of the second. */
static void
S_merge(const struct halves *h)
{
	size_t size = h->size, first = h->half * size;
	char *aside = xreallocarray(NULL, h->half, size);
	memcpy(aside, h->v, first);
	const char *i = aside, *mid = aside + first, *j = h->v + first, *end = h->v + h->n * size;
	char *at = h->v;
	while (i < mid && j < end) {
		const char **from = h->cmp(j, i, h->ctx) < 0 ? &j : &i;
		memcpy(at, *from, size);
		*from += size;
		at += size;
	}
	memcpy(at, i, (size_t)(mid - i)); /* what is left of the second is in place */
	free(aside);
}

void
pool_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *ctx,
          int jobs)
{
	if (n < 2)
		return;
	struct halves h = {v, n, n / 2, size, cmp, ctx};
	struct pool_task t = {.n = 2, .run = S_sort_half, .ctx = &h};
	pool_run(&t, jobs);
	S_merge(&h);
}

void
pool_mutex_init(pthread_mutex_t *m)
{
#ifdef __GLIBC__ /* the spinning is glibc's: elsewhere a plain lock */
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	if (pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP) == 0 &&
	    pthread_mutex_init(m, &attr) == 0) {
		pthread_mutexattr_destroy(&attr);
		return;
	}
	pthread_mutexattr_destroy(&attr);
#endif
	pthread_mutex_init(m, NULL);
}

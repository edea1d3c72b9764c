/*
 * pool: a task's items worked on by threads, each item once, taken in
 * order by whichever thread is free. The calling thread works too; a run
 * can also go on beside it (pool_start) while it does something else.
 *
 *   struct pool_task t = {.n = n, .run = S_one, .ctx = &shared};
 *   if (pool_run(&t, threads) < 0) ...an item failed...
 */
#ifndef BAOKU_POOL_H
#define BAOKU_POOL_H

#include <pthread.h>
#include <stddef.h>

struct pool_task {
	size_t n; /* the items: 0 to n - 1 */
	/* Works on item i with ctx and the thread's own state: 0, or -1
	   after reporting. Called from several threads at once. */
	int (*run)(void *ctx, void *state, size_t i);
	void *ctx;
	/* Each thread's state: state_size bytes, zeroed when it starts,
	   given to state_free (when not NULL) when it ends. */
	size_t state_size;
	void (*state_free)(void *state);
	/* Called when an item is finished, with the number finished so far
	   (NULL: not called), from the thread that finished it. */
	void (*done)(void *ctx, size_t finished, size_t n);
};

/* The threads to use: jobs when it is over 0, else one per core, at most
   max (0: no limit). */
int pool_threads(int jobs, int max);

/* Works on every item of t on pool_threads(jobs, 0) threads (never more
   than there are items), the calling one among them. Returns 0, or -1
   when an item failed (every other item is still worked on). */
int pool_run(const struct pool_task *t, int jobs);

/* A run beside the calling thread. */
struct pool_side {
	const struct pool_task *task;
	int jobs;
	pthread_t tid;
	int started;
	int rc; /* pool_run's */
};

/* Starts pool_run(t, jobs) on a thread of its own (t must stay as it is
   until pool_wait); when no thread can be made, runs it here and now. */
void pool_start(struct pool_side *s, const struct pool_task *t, int jobs);

/* Waits for the run s: pool_run's result, 0 when nothing was started. */
int pool_wait(struct pool_side *s);

/* Sorts v (n items of size bytes) as qsort_r does by cmp, given ctx, in
   two halves, one a thread, then merged: a million items and more take a
   second to sort on one thread. Items cmp finds equal may come in either
   order. Beside v it takes at most n items' bytes (the halves' sorts),
   then half of that (the merge). */
void pool_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
               void *ctx, int jobs);

/* Makes m a lock that the pool's threads each take for a moment, item
   after item: one that spins a little before it sleeps, since waking a
   thread costs more than the wait. */
void pool_mutex_init(pthread_mutex_t *m);

#endif

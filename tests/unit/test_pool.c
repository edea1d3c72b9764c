/* Unit tests for pool: items worked on by threads, the sort in two
   halves, and the locks its workers take. */
#define _GNU_SOURCE /* qsort_r */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "tap.h"

/* Items of 12 bytes, an odd size for the merge's copies: sorted by key,
   then by tag, the other way round when the sort's context says so. */
struct item {
	uint32_t key, tag, pad;
};

static int
S_by_key_tag(const void *x, const void *y, void *ctx)
{
	const struct item *a = x, *b = y;
	int c =
	    a->key != b->key ? (a->key < b->key ? -1 : 1) : (a->tag > b->tag) - (a->tag < b->tag);
	return *(const int *)ctx ? -c : c;
}

/* n items with keys from a fixed sequence, few distinct (many equal
   keys), sorted by pool_sort on jobs threads, against qsort_r, in
   descending order when reverse. */
static int
S_sorts_as_qsort(size_t n, int jobs, int reverse)
{
	struct item *v = calloc(n ? n : 1, sizeof *v), *w = calloc(n ? n : 1, sizeof *w);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = (struct item){(x >> 16) % 97, (uint32_t)i, 0};
	}
	memcpy(w, v, n * sizeof *v);
	pool_sort(v, n, sizeof *v, S_by_key_tag, &reverse, jobs);
	if (n > 1)
		qsort_r(w, n, sizeof *w, S_by_key_tag, &reverse);
	int same = !memcmp(v, w, n * sizeof *v);
	free(v);
	free(w);
	return same;
}

static int
S_count(void *ctx, void *state, size_t i)
{
	(void)state;
	atomic_size_t *sum = ctx;
	atomic_fetch_add(sum, i + 1);
	return i == 7 ? -1 : 0;
}

/* A count, not atomic, that items add to under a pool_mutex_init lock. */
struct locked_count {
	pthread_mutex_t lock;
	size_t n;
};

static int
S_count_locked(void *ctx, void *state, size_t i)
{
	(void)state;
	(void)i;
	struct locked_count *c = ctx;
	for (int k = 0; k < 1000; k++) {
		pthread_mutex_lock(&c->lock);
		volatile size_t *n = &c->n; /* read, then written: each a step */
		size_t was = *n;
		*n = was + 1;
		pthread_mutex_unlock(&c->lock);
	}
	return 0;
}

int
main(void)
{
	atomic_size_t sum;
	atomic_init(&sum, 0);
	struct pool_task t = {.n = 100, .run = S_count, .ctx = &sum};
	ok(pool_run(&t, 2) == -1 && atomic_load(&sum) == 5050,
	   "every item is worked on once, and an item that failed fails the run");
	ok(S_sorts_as_qsort(100001, 2, 0), "a sort on two threads is qsort's order");
	ok(S_sorts_as_qsort(100001, 1, 0), "and on one");
	ok(S_sorts_as_qsort(100001, 2, 1), "and the order its context asks for");
	ok(S_sorts_as_qsort(100000, 2, 0) && S_sorts_as_qsort(100000, 2, 1),
	   "and with as many items in each half");
	ok(S_sorts_as_qsort(3, 2, 0) && S_sorts_as_qsort(2, 2, 0) && S_sorts_as_qsort(1, 2, 0) &&
	       S_sorts_as_qsort(0, 2, 0),
	   "and with three items, two, one, none");
	struct locked_count c = {.n = 0};
	pool_mutex_init(&c.lock);
	struct pool_task locked = {.n = 400, .run = S_count_locked, .ctx = &c};
	ok(pool_run(&locked, 2) == 0 && c.n == 400000,
	   "a pool_mutex_init lock keeps two threads out of each other's count");
	pthread_mutex_destroy(&c.lock);
	return tap_done();
}

/* Unit tests for sets of paths held as folder and name (pathset.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pathset.h"
#include "tap.h"

/* Paths whose folders and names are prefixes of each other's, empty
   parts, a leading and a trailing '/', and more parts than a spelling
   holds. */
static const char *const S_paths[] = {
    "a",
    "a/b",
    "a/b/c.html",
    "a/b-x/c",
    "a/b/",
    "a//b",
    "/x",
    "/",
    "",
    "x/",
    "articles/b1/b16fe7ae6b263aa7.html",
    "articles/b1/b16fe7ae6b263aa8.html",
    "articles/b10/b.html",
    "pages/~e6~9d~a8/2034-03-18/02.html",
    "pages/~e6~9d~a8/2034-03-18/index.html",
    "p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/deep.html",
    "p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/deeper.html",
};
#define NPATHS (sizeof S_paths / sizeof *S_paths)

static int
S_sign(int c)
{
	return (c > 0) - (c < 0);
}

/* Random paths over a few letters, '-' and '/': many share folders,
   and many differ only in where a '/' falls. */
static void
S_random_path(char *out, size_t size, unsigned *seed)
{
	static const char alphabet[] = "ab-/";
	size_t n = 1 + (size_t)rand_r(seed) % (size - 2);
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rand_r(seed) % 4];
	out[n] = '\0';
}

int
main(void)
{
	struct pathdirs dirs = PATHDIRS_INIT;
	struct pathset ps = PATHSET_INIT(&dirs);
	struct buf b = BUF_INIT;

	int added = 1, again = 0;
	for (size_t i = 0; i < NPATHS; i++)
		added &= pathset_add(&ps, S_paths[i]) == 1;
	for (size_t i = 0; i < NPATHS; i++)
		again |= pathset_add(&ps, S_paths[i]);
	ok(added && !again && ps.n == NPATHS, "each path added once, numbered as it came");
	for (size_t i = 0; i < NPATHS; i++) {
		ok(pathset_find(&ps, S_paths[i]) == (long)i, "'%s' is found as %zu", S_paths[i], i);
		is_str(pathset_path(&ps, i, &b), S_paths[i], "'%s' spelt again", S_paths[i]);
	}
	static const char *const absent[] = {
	    "b",   "a/",    "a/b/c",       "a/b-x",        "x",
	    "//x", "a/b//", "articles/b1", "articles/b1/", "pages/~e6~9d~a8/2034-03-18"};
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		ok(pathset_find(&ps, absent[i]) == -1, "'%s' is not in the set", absent[i]);

	int agree = 1;
	for (size_t i = 0; i < NPATHS; i++)
		for (size_t j = 0; j < NPATHS; j++)
			if (S_sign(pathset_cmp(&ps, i, j)) !=
			    S_sign(strcmp(S_paths[i], S_paths[j]))) {
				agree = 0;
				printf("# '%s' against '%s'\n", S_paths[i], S_paths[j]);
			}
	ok(agree, "paths compare as strcmp compares them spelt out");

	/* a second set of the same folders shares how the first holds a path */
	struct pathset other = PATHSET_INIT(&dirs);
	size_t folders = dirs.n;
	ok(pathset_add_shared(&other, S_paths[2], &ps, 2) == 1 && other.v[0] == ps.v[2],
	   "a path shared from a set of the same folders is not held again");
	ok(pathset_add_shared(&other, "a/b/d.html", &ps, -1) == 1 && dirs.n == folders,
	   "a new name in a known folder makes no folder");
	ok(pathset_find(&other, "a/b/d.html") == 1 && pathset_find(&ps, "a/b/d.html") == -1,
	   "each set has its own paths");
	ok(pathset_add_shared(&other, S_paths[2], &ps, 2) == 0, "a shared path is there once");
	pathset_free(&other);

	/* a set reserved for one path, as a rebuild after a build of one
	   file reserves, grows past it */
	struct pathset small = PATHSET_INIT(&dirs);
	pathset_reserve(&small, 1);
	int grew = 1;
	for (size_t i = 0; i < NPATHS; i++)
		grew &= pathset_add(&small, S_paths[i]) == 1 && small.cap >= small.n;
	ok(grew && small.n == NPATHS && pathset_find(&small, S_paths[NPATHS - 1]) == NPATHS - 1,
	   "a set reserved for one path grows past it");
	pathset_free(&small);

	/* many random paths, against the strings themselves */
	struct pathset big = PATHSET_INIT(&dirs);
	enum { N = 20000, LEN = 24 };
	static char paths[N][LEN];
	long *number = malloc(N * sizeof *number);
	unsigned seed = 7;
	size_t distinct = 0;
	for (size_t i = 0; i < N; i++) {
		S_random_path(paths[i], LEN, &seed);
		long had = pathset_find(&big, paths[i]);
		int fresh = pathset_add(&big, paths[i]);
		number[i] = fresh ? (long)distinct++ : had;
		if (fresh == (had >= 0))
			break;
	}
	ok(big.n == distinct, "random paths: %zu distinct of %d, each added once", distinct, N);
	int found = 1, spelt = 1, order = 1;
	for (size_t i = 0; i < N; i++) {
		found &= pathset_find(&big, paths[i]) == number[i];
		spelt &= !strcmp(pathset_path(&big, (size_t)number[i], &b), paths[i]);
		size_t j = (size_t)rand_r(&seed) % N;
		order &= S_sign(pathset_cmp(&big, (size_t)number[i], (size_t)number[j])) ==
		         S_sign(strcmp(paths[i], paths[j]));
	}
	ok(found, "random paths: each found as its number");
	ok(spelt, "random paths: each spelt again");
	ok(order, "random paths: compared as strcmp compares them");
	free(number);

	pathset_free(&big);
	pathset_free(&ps);
	ok(ps.n == 0 && pathset_find(&ps, "a") == -1, "a freed set is empty");
	pathdirs_free(&dirs);
	buf_release(&b);
	return tap_done();
}

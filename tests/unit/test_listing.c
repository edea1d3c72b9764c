/* Unit tests for how a listing is cut into views (archive_int.h): a
   front page of the newest, then slices counted from the oldest, which
   stay as they are when newer articles come. */
#include <stdint.h>

#include "archive_int.h"
#include "tap.h"

/* Whether view v of n articles, size a view, is [from, to). */
static int
S_is(size_t n, size_t size, size_t v, size_t from, size_t to)
{
	size_t f, t;
	archive_view_range(n, size, v, &f, &t);
	return f == from && t == to;
}

/* Whether the slices of n articles hold each one once, in order. */
static int
S_cover(size_t n, size_t size)
{
	size_t m = archive_slices(n, size), at = n;
	if (m == 0) /* the front page holds them all */
		return S_is(n, size, 0, 0, n);
	for (size_t v = 1; v <= m; v++) { /* from the oldest: the list's end */
		size_t f, t;
		archive_view_range(n, size, v, &f, &t);
		if (t != at || f >= t || t - f > size)
			return 0;
		at = f;
	}
	return at == 0;
}

int
main(void)
{
	ok(archive_slices(0, 3) == 0 && archive_slices(3, 3) == 0 && S_is(3, 3, 0, 0, 3) &&
	       S_is(0, 3, 0, 0, 0),
	   "a listing of a view or less is its front page alone");
	ok(archive_slices(14, 3) == 5, "14 articles, 3 a view: five slices");
	ok(S_is(14, 3, 0, 0, 3), "the front page: the newest three");
	ok(S_is(14, 3, 1, 11, 14) && S_is(14, 3, 4, 2, 5),
	   "slice 1 the oldest three, slice 4 the 10th to 12th oldest");
	ok(S_is(14, 3, 5, 0, 2), "the newest slice: what is left");
	int covered = 1;
	for (size_t n = 0; n < 60; n++)
		for (size_t size = 1; size < 8; size++)
			covered &= S_cover(n, size);
	ok(covered, "the slices hold every article once, in order (up to 60, views of 1 to 7)");

	/* an article more: each slice but the newest holds the same ones,
	   counted from the oldest (one further down the newest-first list) */
	int same = 1;
	for (size_t n = 1; n < 60; n++)
		for (size_t size = 1; size < 8; size++)
			for (size_t v = 1; v < archive_slices(n, size); v++) {
				size_t f0, t0, f1, t1;
				archive_view_range(n, size, v, &f0, &t0);
				archive_view_range(n + 1, size, v, &f1, &t1);
				same &= f1 == f0 + 1 && t1 == t0 + 1;
			}
	ok(same, "an article added leaves every full slice's articles where they were");

	/* what a view's pager shows: the front page's changes with each
	   article, a slice's only while its pager reaches the newest */
	ok(archive_view_key(14, 3, 0, 7) != archive_view_key(15, 3, 0, 7),
	   "the front page's key changes with the count");
	ok(archive_view_key(30, 3, 7, 7) == archive_view_key(31, 3, 7, 7),
	   "slice 7 of 10 (then 11) keeps its key: its pager shows the same");
	ok(archive_view_key(30, 3, 8, 7) != archive_view_key(31, 3, 8, 7),
	   "slice 8 of 10, whose pager reached the newest without a gap, does not");
	ok(archive_view_key(30, 3, 6, 7) != archive_view_key(30, 3, 5, 7) &&
	       archive_view_key(30, 3, 6, 7) != archive_view_key(30, 3, 6, 8),
	   "each slice has its own, from what it is mixed into");
	return tap_done();
}

/* Unit tests for spill: bytes put aside a region at a time, by writers
   that share a file, read back where each put said. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spill.h"
#include "tap.h"
#include "util.h"

/* Whether the file fd holds want (len bytes) at off. */
static int
S_holds(int fd, size_t off, const char *want, size_t len)
{
	char *got = malloc(len ? len : 1);
	int same = util_pread_all(fd, got, len, off) == 0 && !memcmp(got, want, len);
	free(got);
	return same;
}

int
main(void)
{
	char path[] = "/tmp/baoku-spill-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	unlink(path);
	atomic_size_t end;
	atomic_init(&end, 10); /* what the file held before */
	struct spill a, b;
	spill_init(&a, fd, &end);
	spill_init(&b, fd, &end);

	size_t at1, at2, at3;
	ok(spill_put(&a, "first", 5, &at1) == 0 && spill_put(&b, "second", 6, &at2) == 0 &&
	       spill_put(&a, "third", 5, &at3) == 0,
	   "two writers put their bytes");
	ok(at1 == 10 && at3 == 15 && at2 == 10 + SPILL_REGION,
	   "each in a region of its own, after what the file held");
	struct stat st;
	ok(fstat(fd, &st) == 0 && st.st_size == 0, "nothing is written before a flush");
	ok(spill_flush(&a) == 0 && spill_flush(&b) == 0 && S_holds(fd, at1, "first", 5) &&
	       S_holds(fd, at2, "second", 6) && S_holds(fd, at3, "third", 5),
	   "flushed, each is read back where its put said");
	ok(spill_put(&a, "fourth", 6, &at1) == 0 && at1 == 2 * SPILL_REGION + 10,
	   "after a flush a writer takes a new region");

	/* more than a region: a region its size, written when the next is taken */
	size_t big = SPILL_REGION + 100;
	char *text = malloc(big);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 23);
	ok(spill_put(&b, text, big, &at2) == 0 && spill_put(&b, "after", 5, &at3) == 0 &&
	       at3 == at2 + big && S_holds(fd, at2, text, 100),
	   "a put longer than a region has one of its own, written when the next is taken");
	ok(spill_end(&a) == 0 && spill_end(&b) == 0 && S_holds(fd, at2, text, big) &&
	       S_holds(fd, at3, "after", 5) && S_holds(fd, at1, "fourth", 6),
	   "ended, every writer's bytes are there");
	free(text);

	/* a write that fails: the writer says so from then on */
	struct spill c;
	spill_init(&c, fd, &end);
	ok(spill_put(&c, "lost", 4, &at1) == 0, "a put to a file about to close");
	close(fd);
	errno = 0;
	ok(spill_flush(&c) < 0 && errno != 0, "the flush that cannot write fails, errno set");
	ok(spill_put(&c, "more", 4, &at1) < 0 && spill_end(&c) < 0,
	   "and every put and flush after it");

	struct spill none;
	spill_init(&none, -1, &end);
	ok(spill_put(&none, "x", 1, &at1) < 0 && spill_end(&none) == 0,
	   "without a file nothing is put, and there is nothing to write");
	return tap_done();
}

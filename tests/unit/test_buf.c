/* Unit tests for buf: the invariants its header promises. */
#include <stdlib.h>

#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	ok(b.data != NULL && b.data[0] == '\0' && b.len == 0, "BUF_INIT is an empty string");

	buf_adds(&b, "报库");
	buf_addc(&b, '!');
	buf_printf(&b, " %d-%s", 42, "x");
	is_str(b.data, "报库! 42-x", "add, addc and printf append");
	ok(b.len == strlen(b.data), "len counts the bytes");

	struct buf big = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&big, "%05d", i);
	ok(big.len == 50000 && big.data[big.len] == '\0', "grows past many doublings");
	ok(!memcmp(big.data + 49995, "09999", 5), "keeps what was added");

	buf_truncate(&b, 6);
	is_str(b.data, "报库", "truncate cuts and terminates");
	buf_truncate(&b, 100);
	ok(b.len == 6, "truncate never lengthens");

	size_t cap = b.cap;
	buf_reset(&b);
	ok(b.len == 0 && b.cap == cap && b.data[0] == '\0', "reset keeps the memory");

	buf_adds(&b, "keep");
	size_t n;
	char *s = buf_detach(&b, &n);
	is_str(s, "keep", "detach hands over the contents");
	ok(n == 4 && b.len == 0 && b.cap == 0 && b.data[0] == '\0', "detach leaves b empty");
	free(s);

	s = buf_detach(&b, NULL);
	ok(s != NULL && s[0] == '\0', "detaching an empty buffer gives a freeable empty string");
	free(s);

	buf_add(&b, "a\0b", 3);
	ok(b.len == 3 && buf_equals(&b, "a\0b", 3), "holds NUL bytes");
	buf_release(&b);
	ok(b.len == 0 && b.cap == 0 && b.data[0] == '\0', "release leaves b empty and reusable");
	buf_adds(&b, "again");
	is_str(b.data, "again", "usable after release");
	buf_release(&b);
	buf_release(&big);
	return tap_done();
}

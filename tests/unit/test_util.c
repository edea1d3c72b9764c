/* Unit tests for util: small reads through each thread's blocks, folders
   made in one call or from the top, trees removed, the hashes. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "tap.h"
#include "util.h"

static int S_fd;

/* Reads len bytes at off with util_pread_small: whether they are want. */
static int
S_reads(size_t off, const char *want, size_t len)
{
	char got[8192];
	return util_pread_small(S_fd, got, len, off) == 0 && !memcmp(got, want, len);
}

/* A thread that reads what the main thread wrote, block by block. */
static void *
S_reader(void *arg)
{
	const char *text = arg;
	int good = 1;
	for (size_t off = 0; off + 100 <= 3 * 4096; off += 97)
		good &= S_reads(off, text + off, 100);
	return good ? arg : NULL;
}

/* util_mix as it is a word at a time, in one lane: what it must give for
   data shorter than its lanes. */
static uint64_t
S_mix_one_lane(uint64_t h, const unsigned char *p, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, sizeof w);
		h = util_mix_u64(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, p + i, len - i);
	return util_mix_u64(util_mix_u64(h, w), (uint64_t)len);
}

/* Whether changing any one byte of the len at p changes util_mix. */
static int
S_mix_sees_each_byte(unsigned char *p, size_t len)
{
	uint64_t h = util_mix(0, p, len);
	for (size_t i = 0; i < len; i++) {
		p[i] ^= 0x20;
		uint64_t changed = util_mix(0, p, len);
		p[i] ^= 0x20;
		if (changed == h)
			return 0;
	}
	return 1;
}

static void
S_hashes(void)
{
	unsigned char data[300];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	int same = 1;
	for (size_t len = 0; len < 64; len++)
		same &= util_mix(5, data, len) == S_mix_one_lane(5, data, len);
	ok(same, "util_mix of less than 64 bytes is a word at a time");
	ok(util_mix(0, data, 64) != S_mix_one_lane(0, data, 64) &&
	       util_mix(0, data, 300) != util_mix(1, data, 300),
	   "from 64 on it is its lanes', and still its seed's");
	ok(S_mix_sees_each_byte(data, 64) && S_mix_sees_each_byte(data, 200) &&
	       S_mix_sees_each_byte(data, 300),
	   "a change to any byte changes it: in a lane, between lanes, after them");
	unsigned char a[128] = {0}, b[128] = {0};
	a[0] = 1, b[8] = 1;
	ok(util_mix(0, a, sizeof a) != util_mix(0, b, sizeof b),
	   "a word moved to the next lane changes it");
	ok(util_mix(0, a, 127) != util_mix(0, a, 128) && util_mix(0, a, 64) != util_mix(0, a, 72),
	   "so does a length that pads the same bytes with zeros");
	ok(util_fnv(UTIL_FNV_START, "a", 1) == 0xaf63dc4c8601ec8cULL,
	   "util_fnv is FNV-1a (published.tsv's fingerprints and ids are made of it)");
}

static void
S_numbers(void)
{
	const char *p = "12:ff0a:0\0";
	uint64_t a, b, c;
	ok(util_number(&p, 10, ':', &a) == 0 && util_number(&p, 16, ':', &b) == 0 &&
	       util_number(&p, 16, '\0', &c) == 0 && a == 12 && b == 0xff0a && c == 0 && !*p,
	   "util_number reads numbers up to their ends, in base 10 and 16");
	const char *q = "ffffffffffffffff ";
	ok(util_number(&q, 16, ' ', &a) == 0 && a == UINT64_MAX && !*q, "and 16 hex digits");
	const char *bad[] = {"1fffffffffffffffff ", " ", "1F ", "1a ", "x "};
	unsigned base[] = {16, 16, 16, 10, 16};
	int refused = 1;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *r = bad[i];
		refused &= util_number(&r, base[i], ' ', &a) < 0 && r == bad[i];
	}
	ok(refused, "and refuses more than 16 digits, none, upper case, a digit of another base, "
	            "and any other byte, leaving where it was");
}

int
main(void)
{
	char dir[] = "/tmp/baoku-util-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[256];
	snprintf(path, sizeof path, "%s/scratch", dir);
	S_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	/* three blocks of text, 23 letters over and over, so that no block
	   starts as the one before */
	static char text[3 * 4096];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = (char)('a' + i % 23);
	ok(util_pwrite_all(S_fd, text, 5000, 0) == 0, "a file is written");
	ok(S_reads(10, text + 10, 300) && S_reads(400, text + 400, 300),
	   "small reads give its bytes, the second from the block the first read");
	ok(S_reads(4000, text + 4000, 200), "a read across two blocks gives its bytes");
	char got[300];
	ok(util_pread_small(S_fd, got, 200, 4900) < 0, "a read past the end fails");

	/* the block read holds the end of the file: what is written after
	   it is read, not the old end */
	ok(util_pwrite_all(S_fd, text + 5000, sizeof text - 5000, 5000) == 0 &&
	       S_reads(4900, text + 4900, 200),
	   "a read after the file grew gives the new bytes");
	memset(text + 20, 'Z', 50);
	ok(util_pwrite_all(S_fd, text + 20, 50, 20) == 0 && S_reads(10, text + 10, 300),
	   "a read after a write in its block gives the written bytes");

	pthread_t t;
	void *back = NULL;
	ok(pthread_create(&t, NULL, S_reader, text) == 0 && pthread_join(t, &back) == 0 &&
	       back == text,
	   "another thread reads the same bytes through blocks of its own");

	/* a file closed and another opened under the same number */
	util_pread_small_forget();
	close(S_fd);
	snprintf(path, sizeof path, "%s/other", dir);
	S_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	static char other[4096];
	memset(other, 'q', sizeof other);
	ok(pwrite(S_fd, other, sizeof other, 0) == (ssize_t)sizeof other &&
	       S_reads(10, other + 10, 300),
	   "once forgotten, the blocks of a closed file are not read for another");
	close(S_fd);

	/* folders */
	snprintf(path, sizeof path, "%s/a/b/c", dir);
	ok(util_mkdirs(path) == 0 && util_mkdirs(path) == 0, "folders are made from the top");
	snprintf(path, sizeof path, "%s/a/b/d", dir);
	struct stat st;
	ok(util_mkdirs(path) == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode),
	   "and the last one alone");
	ok(util_mkdirs("") < 0, "an empty path is refused");
	snprintf(path, sizeof path, "%s/a", dir);
	ok(util_remove_tree(path) == 0 && stat(path, &st) < 0, "a tree is removed");

	/* a file of the cache replaced whole, and read back quietly */
	snprintf(path, sizeof path, "%s/memo", dir);
	struct buf b = BUF_INIT;
	ok(util_replace_file(path, "one", 3) == 0 && util_replace_file(path, "two!", 4) == 0 &&
	       util_read_file(path, &b, -1) == 1 && b.len == 4 && !memcmp(b.data, "two!", 4),
	   "a file is replaced whole");
	char tmp[300];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	ok(access(tmp, F_OK) < 0, "and nothing is left beside it");
	buf_release(&b);
	ok(util_read_file(dir, &b, -1) == -1 && util_read_file(tmp, &b, -1) == 0,
	   "a folder, or no file, read quietly: -1 and 0");
	snprintf(path, sizeof path, "%s/no/such/memo", dir);
	ok(util_replace_file(path, "x", 1) < 0, "a file that cannot be written: -1");
	buf_release(&b);

	util_remove_tree(dir);
	S_hashes();
	S_numbers();
	return tap_done();
}

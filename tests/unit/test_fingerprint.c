/*
 * The fingerprint of the inputs: a line for each file, compared with the
 * last build's to find that nothing changed. Its numbers are written by
 * hand (fp_stat), and must read as printf's would, so that a tree built
 * before is still found up to date.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fingerprint.h"
#include "output.h"
#include "tap.h"

struct stat_case {
	long long size, msec, mnsec, csec, cnsec;
	unsigned long long ino;
};

static const struct stat_case S_cases[] = {
    {0, 0, 0, 0, 0, 0},
    {5067, 1764762000, 123456789, 1764762001, 5, 1234567},
    {1, 1, 999999999, 2, 100000000, 18446744073709551615ULL},
    {9223372036854775807LL, -1, 0, -86400, 7, 42}, /* a time before 1970 */
};

int
main(void)
{
	for (size_t i = 0; i < sizeof S_cases / sizeof S_cases[0]; i++) {
		const struct stat_case *c = &S_cases[i];
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_size = (off_t)c->size;
		st.st_mtim.tv_sec = (time_t)c->msec;
		st.st_mtim.tv_nsec = (long)c->mnsec;
		st.st_ctim.tv_sec = (time_t)c->csec;
		st.st_ctim.tv_nsec = (long)c->cnsec;
		st.st_ino = (ino_t)c->ino;
		struct buf fp = BUF_INIT;
		buf_adds(&fp, "before\n");
		uint64_t h = fp_stat(&fp, "page", "松江报/2024-03-12/01.txt", &st);
		char want[256];
		snprintf(want, sizeof want, "before\npage %s %lld %lld.%09ld %lld.%09ld %llu\n",
		         "松江报/2024-03-12/01.txt", (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
		         (unsigned long long)st.st_ino);
		is_str(fp.data, want, "fp_stat %zu: the line printf would write", i);
		const char *line = want + strlen("before\n");
		ok(h == out_key(0, line, strlen(line)), "fp_stat %zu: the hash of its own line", i);
		buf_release(&fp);
	}
	struct buf fp = BUF_INIT;
	fp_absent(&fp, "meta", "a/_meta.yml");
	is_str(fp.data, "meta a/_meta.yml absent\n", "fp_absent: the file is named absent");
	buf_release(&fp);
	return tap_done();
}

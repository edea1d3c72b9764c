/*
 * heap: the memory allocator's settings and figures (heap.h), for
 * jemalloc when the program is linked with it, else for glibc's malloc.
 */
#include "heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pool.h"
#include "xalloc.h"

/* The settings before a build are glibc's alone (below): jemalloc's are
   made when it starts (malloc_conf). */
#if defined(BAOKU_JEMALLOC) || !defined(__GLIBC__)
void
heap_tune_exec(char **argv)
{
	(void)argv;
}

void
heap_tune_threads(int jobs)
{
	(void)jobs;
}
#endif

#ifdef BAOKU_JEMALLOC
#include <jemalloc/jemalloc.h>

/*
 * jemalloc's settings, read when it starts (MALLOC_CONF's win over
 * them). A rebuild reads the page cache into memory new to the process,
 * and each 4 KiB page of it costs a fault when first touched: the heap
 * on transparent huge pages (thp) saves nearly all of them. Huge pages
 * leave room unused in each arena, so there is one arena (each thread
 * keeps its own cache of small pieces in front of it). Measured with
 * each setting in turn, six runs each, one page changed:
 *
 *                         defaults      one arena     these
 *   100,000 articles on pages of 3-8 (on disk)
 *     time                1.86-2.14 s   -             1.58-1.85 s
 *     faults              43,500-44,600 -             3,400-4,200
 *   100,000 page files of one article (in memory, tmpfs)
 *     time (median)       3.97 s        4.23 s        3.66 s
 *     faults              77,000-81,000 72,000-73,000 4,500-6,200
 *     peak                196-201 MiB   192-198 MiB   213-220 MiB
 *     full build's peak   174-177 MiB   168-170 MiB   182-185 MiB
 *
 * The full builds took the same time (21 s, three each). Huge pages in
 * the default arenas were as fast and peaked 30-36 MiB higher in a full build.
 */
const char *malloc_conf = "thp:always,narenas:1";

size_t
heap_mib(void)
{
	uint64_t epoch = 1; /* the statistics are refreshed by writing it */
	size_t allocated = 0, len = sizeof epoch;
	mallctl("epoch", &epoch, &len, &epoch, len);
	len = sizeof allocated;
	return mallctl("stats.allocated", &allocated, &len, NULL, 0) == 0 ? allocated >> 20 : 0;
}

#define S_STR(x)  #x
#define S_XSTR(x) S_STR(x)
void
heap_release(void)
{
	mallctl("arena." S_XSTR(MALLCTL_ARENAS_ALL) ".purge", NULL, NULL, NULL, 0);
}

#elif defined(__GLIBC__)
#include <malloc.h>

/*
 * A build holds a record for every article, hundreds of megabytes in
 * small pieces, and each 4 KiB page of it costs a fault the first time
 * it is touched, unless glibc's allocator is told before the program
 * starts (GLIBC_TUNABLES) to ask the kernel for transparent huge pages
 * for its heap (a one-page rebuild at 109,488 articles: some 23,000
 * faults instead of 42,000). So a build runs itself once more with that
 * tunable, unless the environment names it already
 * (GLIBC_TUNABLES=glibc.malloc.hugetlb=0 keeps the small pages) or the
 * program cannot be run again, when it goes on as it is.
 */
void
heap_tune_exec(char **argv)
{
	const char *have = getenv("GLIBC_TUNABLES");
	if (have && strstr(have, "glibc.malloc.hugetlb"))
		return;
	char *was = have ? xstrdup(have) : NULL;
	struct buf t = BUF_INIT;
	buf_printf(&t, "%s%sglibc.malloc.hugetlb=1", was ? was : "", was && *was ? ":" : "");
	if (setenv("GLIBC_TUNABLES", t.data, 1) == 0)
		execv("/proc/self/exe", argv);
	if (was) /* not run again */
		setenv("GLIBC_TUNABLES", was, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(was);
	buf_release(&t);
}

/*
 * glibc gives each thread that allocates a malloc arena of its own, up to
 * eight a core, and what a thread frees stays in its arena for it alone.
 * The search index's threads fill a segment's posting lists while the
 * main thread makes the dates, each in its own arena, and the peak moved
 * with how far they had got when the dates were made (100,000 articles
 * on pages of 3-8: 138, 158 and 152 MiB in three builds). With as many
 * arenas as worker threads, they reuse what the others freed: 133 to
 * 135 MiB in three, in the same CPU time at 10,000 articles. A user who
 * sets glibc.malloc.arena_max in GLIBC_TUNABLES keeps that setting.
 */
void
heap_tune_threads(int jobs)
{
	const char *tunables = getenv("GLIBC_TUNABLES");
	if (!tunables || !strstr(tunables, "glibc.malloc.arena_max"))
		mallopt(M_ARENA_MAX, pool_threads(jobs, 0));
}

size_t
heap_mib(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (mi.uordblks + mi.hblkhd) >> 20;
}

void
heap_release(void)
{
	malloc_trim(0);
}

#else

size_t
heap_mib(void)
{
	return 0;
}

void
heap_release(void)
{
}

#endif

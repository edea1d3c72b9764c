/*
 * heap: the memory allocator's settings and figures (heap.h), for
 * jemalloc when the program is linked with it, else for glibc's malloc.
 */
#include "heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/* The settings before a build are glibc's alone (below): jemalloc's are
   made when it starts (malloc_conf). */
#if defined(BAOKU_JEMALLOC) || !defined(__GLIBC__)
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
 * them): one arena (each thread keeps its own cache of small pieces in
 * front of it), on the system's small pages. Memory new to the process
 * costs a fault a page when first touched, and on a virtual machine the
 * first touch after the host took the memory back costs most: a heap on
 * transparent huge pages ("thp:always") clears 2 MiB at each such fault,
 * touched or not. A one-page rebuild after 10 s idle, four runs each,
 * 100,000 page files of one article (tmpfs):
 *
 *                    thp:always    small pages (these)   default arenas
 *   time             2.69-2.81 s   1.84-2.05 s           1.89-1.98 s
 *   system time      2.23-2.37 s   0.99-1.22 s           0.97-1.07 s
 *   peak             172-178 MiB   150-154 MiB           152-156 MiB
 *
 * and at 10,000 (on disk, after 40 s idle, six each) 0.26-0.44 s against
 * 0.20-0.24 s. Full builds take the same time either way (100,000: 14.1-
 * 15.0 s) and peak lower on small pages (141-147 MiB against 162).
 * At a million articles huge pages do save CPU in a full build, the
 * steps over the whole archive missing the TLB less (one pair by hand,
 * pages of 3-8: 209.62 s and 312 s of CPU against 223.78 s and 345 s,
 * for 53 MiB more at the peak); these settings favour the rebuild, what
 * an archive runs every day.
 */
const char *malloc_conf = "narenas:1";

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

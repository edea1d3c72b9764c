/*
 * Benchmark for the districts stage: gazetteer load time, and articles
 * segmented and classified per second over the pages given.
 * Usage: bench_district DATA-DIR PAGE.txt...
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "district.h"
#include "gazetteer.h"
#include "segment.h"
#include "util.h"

int
main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	double best = 1e9;
	struct gazetteer *gz = NULL;
	for (int i = 0; i < 5; i++) {
		double t = util_now();
		gz_free(gz);
		gz = gz_load(argv[1]);
		if (!gz)
			return 1;
		t = util_now() - t;
		if (t < best)
			best = t;
	}
	printf("gazetteer: %zu units loaded in %.1f ms (best of 5)\n", gz_count(gz), best * 1e3);

	struct seg_page *pages = calloc((size_t)argc, sizeof *pages);
	for (int i = 2; i < argc; i++) {
		struct buf t = BUF_INIT;
		util_read_file(argv[i], &t, 1);
		seg_segment(t.data, 1, argv[i], &pages[i]);
		buf_release(&t);
	}
	size_t articles = 0;
	double start = util_now(), elapsed;
	do {
		for (int i = 2; i < argc; i++) {
			struct dist_place pl[64];
			size_t n = pages[i].n < 64 ? pages[i].n : 64;
			struct seg_page p = pages[i];
			p.n = n;
			dist_classify_page(gz, &p, NULL, pl);
			for (size_t k = 0; k < n; k++)
				dist_place_free(&pl[k]);
			articles += n;
		}
		elapsed = util_now() - start;
	} while (elapsed < 2.0);
	printf("districts: %.0f articles classified per second\n", (double)articles / elapsed);
	for (int i = 2; i < argc; i++)
		seg_page_free(&pages[i]);
	free(pages);
	gz_free(gz);
	return 0;
}

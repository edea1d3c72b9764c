/*
 * fuzz_out.h: the output a fuzz target that reads the cache directory
 * works in: one for the whole run, in a folder of its own under /tmp,
 * closed and removed when the run ends.
 */
#ifndef BAOKU_FUZZ_OUT_H
#define BAOKU_FUZZ_OUT_H

#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "util.h"

static struct output *fuzz_out_;
static char fuzz_out_dir_[64];

/* At the end of the run: the output closed, its folder removed. */
static void
fuzz_out_end(void)
{
	if (fuzz_out_)
		out_abort(fuzz_out_);
	fuzz_out_ = NULL;
	util_remove_tree(fuzz_out_dir_);
}

/* The run's output, made on the first call in /tmp/baoku-fuzz-NAME-XXXXXX:
   its cache directory (made too) written into cache, size bytes. */
static inline struct output *
fuzz_output(const char *name, char *cache, size_t size)
{
	if (!fuzz_out_) {
		snprintf(fuzz_out_dir_, sizeof fuzz_out_dir_, "/tmp/baoku-fuzz-%s-XXXXXX", name);
		if (!mkdtemp(fuzz_out_dir_))
			abort();
		atexit(fuzz_out_end);
		char root[96];
		snprintf(root, sizeof root, "%s/build", fuzz_out_dir_);
		snprintf(cache, size, "%s/cache", fuzz_out_dir_);
		fuzz_out_ = out_open(root, cache);
		if (!fuzz_out_)
			abort();
		util_mkdirs(cache);
	}
	snprintf(cache, size, "%s/cache", fuzz_out_dir_);
	return fuzz_out_;
}

#endif

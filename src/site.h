/*
 * site: the build. Finds the pages in content/, reads them (or takes what
 * the last build read of those unchanged), gives each output file a page
 * model and renders it through templates/ into the output directory; what
 * is new or changed is moved in only when the build succeeds (output.h).
 */
#ifndef BAOKU_SITE_H
#define BAOKU_SITE_H

#include <stddef.h>

struct site_options {
	const char *project; /* holds content/, templates/, static/ */
	const char *output;  /* NULL: project/build */
	int jobs;            /* worker threads; 0: one per core */
	int verbosity;       /* 0 quiet, 1 normal, 2 verbose */
	int lenient;         /* invalid byte sequences become U+FFFD */
	size_t max_size;     /* larger page files are refused; 0: the default */
	int force;           /* build even when no input changed */
	int exiting;         /* the caller exits next: the archive's records are
	                        left to the system instead of freed one by one */
};

/*
 * Builds the archive. Returns 0 on success, -1 when the build failed; every
 * problem has been reported through diag, and on failure the previous
 * output directory is left untouched.
 */
int site_build(const struct site_options *o);

#endif

/*
 * fingerprint: what a build was made from, as text, a line per input file
 * with what stat says of it (size, times, inode), written to the output as
 * .baoku-inputs. A build whose fingerprint equals the last one's has
 * nothing to do. In the order the build meets them:
 *
 *   baoku VERSION                          the program's version,
 *   lenient N max-size N                   the options that change output,
 *   program /proc/self/exe SIZE ...        the program itself
 *   meta REL/_meta.yml SIZE ... | absent   each folder's metadata  } as scanning
 *   asset REL SIZE ... | absent            each file Markdown links to (mdsite.h)
 *   files N HASH                           the pages and their scans (below)
 *   config site.yml SIZE ... | absent
 *   template|static|data PATH SIZE ...     every file of those directories
 *                                          (the project's templates, then the
 *                                          shipped ones)
 *
 * A file of the project is named from the project's directory (REL: from
 * content/), so that one project has one fingerprint however it is named
 * (-C . or its whole path): the fingerprint also keys the page cache and
 * every file's reuse. The shipped templates and the data are named by
 * their path.
 *
 * A page (.txt or .md) and its scan (scans.h) are not lines of the
 * text: a million pages' would be 100 MB, held to the end of the build.
 * Each has a stamp instead, a hash of its kind, its name and the numbers
 * its line would have, and the stamps are hashed in the order scanning
 * finds them into the one line "files N HASH" (N files).
 */
#ifndef BAOKU_FINGERPRINT_H
#define BAOKU_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct project;
struct stat;

/* A fingerprint being made. */
struct fingerprint {
	struct buf text; /* its lines, but the pages' and scans' */
	uint64_t files;  /* ... whose stamps are hashed here, in order */
	size_t nfiles;   /* ... and counted */
};

#define FP_INIT                                                                                    \
	{                                                                                          \
		BUF_INIT, 0, 0                                                                     \
	}

/* Starts a fingerprint in fp (emptied): the version, the options and the
   program. */
void fp_begin(struct fingerprint *fp, int lenient, size_t max_size);

/* Adds the file name, of the given kind, as st describes it; returns a
   hash of what it says (a page's stamp: it changes when the file does).
   A page's or a scan's is hashed into the files' line, not kept. */
uint64_t fp_stat(struct fingerprint *fp, const char *kind, const char *name, const struct stat *st);

/* Adds the file at path as name, or that it is absent. */
void fp_file(struct fingerprint *fp, const char *kind, const char *path, const char *name);

/* Adds that the file name of kind is not there. */
void fp_absent(struct fingerprint *fp, const char *kind, const char *name);

/* Ends a fingerprint with the files' line and what comes after the
   pages: the project's site.yml and every file of its templates, static
   and data directories. The text is then whole. Returns 0, or -1 after
   reporting a directory that cannot be read (it is then written as
   absent). */
int fp_end(struct fingerprint *fp, const struct project *p);

/* Frees what fp holds, and leaves it as FP_INIT. */
void fp_free(struct fingerprint *fp);

/* The two hashes of the fingerprint (len bytes at fp, what fp_begin to
   fp_end made) that the build's reuse is keyed by: what the
   articles' records depend on (the program, the options, the data, the
   folders' metadata: every line but the files', linked files, static
   files, templates and site.yml), and what rendering adds to that
   (templates, site.yml). */
void fp_salts(const char *fp, size_t len, uint64_t *records, uint64_t *render);

#endif

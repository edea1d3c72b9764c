/*
 * scan: the pages of content/ and the metadata of their folders.
 *
 * Every .txt file under content/ is a page, found in byte order of its
 * path (whatever order readdir gives); hidden files and folders are
 * skipped, and so are other files (noted with verbose). A folder is a
 * folder whatever its name; symbolic links are followed only to a place
 * inside content/, a directory reached twice is skipped, and folders
 * nest 32 deep at most. Each folder's _meta.yml applies to the pages in
 * it and below, over its parent's. A page file (.txt) may have its scan
 * beside it, an image or PDF with its stem (scans.h).
 */
#ifndef BAOKU_SCAN_H
#define BAOKU_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct fingerprint;
struct meta;

/* The scan of a printed page: the image or PDF beside its file. */
struct scan_image {
	char *rel;      /* its path under content/ */
	char *path;     /* the path to read it from */
	uint64_t stamp; /* a hash of its line in the fingerprint */
};

/* A page file found. A build holds one for every page file, to its end:
   32 bytes, its folder and scan numbers into the scan's tables
   (scan_folder, scan_image) rather than pointers. */
struct scan_page {
	char *rel;                /* its path under content/, as found */
	char *path;               /* the path to read it from (in the scan's
	                             arena) */
	uint64_t stamp;           /* a hash of its line in the fingerprint */
	uint32_t folder : 30;     /* its folder's metadata (scan_folder) */
	uint32_t aside : 1;       /* a Markdown page or intro (mdsite.h): not
	                             one of the build's pages */
	uint32_t rel_in_path : 1; /* rel is the end of path, not a string of
	                             its own */
	uint32_t image;           /* its scan, sc->images[image - 1]; 0: none */
};

struct scan {
	const char *content; /* the directory scanned (the caller's string) */
	struct scan_page *v; /* the pages, in byte order of their paths */
	size_t n, cap;
	struct arena paths;    /* their paths: a million are held to the end */
	struct meta **folders; /* the metadata of the root and of each folder with
	                          a _meta.yml (the others share their parent's) */
	size_t nfolders, capfolders;
	struct scan_image *images; /* the pages' scans, those that have one */
	size_t nimages, capimages;
};

/* Page p's folder's metadata, with its parents' under it. */
const struct meta *scan_folder(const struct scan *sc, const struct scan_page *p);
/* Page p's scan, or NULL. */
const struct scan_image *scan_image(const struct scan *sc, const struct scan_page *p);

/*
 * Finds the pages (.txt) and Markdown files (.md) under the directory content into sc (zero it
 * first), with each page's scan, and adds each folder's _meta.yml, each page and each scan to the
 * fingerprint fp (see fingerprint.h).
 * With verbose, notes each file that is not a page. Returns 0, or -1 after reporting (what could be
 * read is in sc). Free sc with scan_free.
 */
int scan_content(const char *content, int verbose, struct fingerprint *fp, struct scan *sc);

/* The number of sc's pages that are the build's (not set aside). */
size_t scan_pages(const struct scan *sc);

void scan_free(struct scan *sc);

#endif

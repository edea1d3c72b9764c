/*
 * check: verifies a built archive's internal links.
 *
 * Every href and src in every .html file under a directory must point at
 * a file inside that directory: relative, not root-relative (which breaks
 * on file://), and never at a bare directory (file:// serves no index).
 * Broken links are reported as FILE:LINE:COL: error: ...
 */
#ifndef BAOKU_CHECK_H
#define BAOKU_CHECK_H

#include <stddef.h>

struct check_result {
	size_t files;  /* HTML files read */
	size_t links;  /* internal links checked */
	size_t broken; /* of those, how many do not resolve */
};

/*
 * Checks the archive under dir and fills *r. With pretty, a link to a
 * directory is good when the directory has an index.html (a web host
 * serves it; file:// does not). Returns 0 when it could be read (broken
 * links are counted, not failures), -1 after reporting an error reading it.
 */
int check_links(const char *dir, int pretty, struct check_result *r);

/*
 * Checks one link found in the file at relpath (relative to root): sets
 * *why to a reason and returns -1 when it does not resolve, 0 when it
 * does, 1 when it is external (a scheme, //host, or a fragment alone).
 */
int check_link(const char *root, const char *relpath, const char *href, size_t len, int pretty,
               const char **why);

#endif

/*
 * scans: the image or PDF of a printed page, beside its page file with the
 * same stem (01.txt with 01.jpg, 01.jpeg, 01.png, 01.webp or 01.pdf), and
 * what the archive publishes of it:
 *
 *   scans/SLUG.EXT        the scan as it is (EXT its own, in lower case)
 *   scans/SLUG.900.webp   a preview the page view shows, 900 pixels wide
 *   scans/SLUG.240.webp   a thumbnail an issue's page shows, 240 wide
 *
 * SLUG is the page's (views.h: it never holds a '.', so no name here is
 * another page's). Preview and thumbnail are made by libvips (a PDF's
 * first page through poppler), never wider than the scan, and are keyed by
 * the scan's stamp and their own settings alone: a rebuild keeps them
 * unless the scan changed, whatever else did. A scan libvips cannot read
 * (truncated, not an image) is a warning; it is published without them.
 * This is the only module that calls libvips.
 */
#ifndef BAOKU_SCANS_H
#define BAOKU_SCANS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct output;

#define SCANS_PREVIEW_WIDTH 900
#define SCANS_THUMB_WIDTH   240

/* Whether name ends in one of a scan's extensions (in any case). */
int scans_is_scan(const char *name);

/*
 * The scan of the page file named page among the n names of its folder,
 * sorted bytewise (util_list_dir): the index of the name with page's stem
 * and a scan's extension, the first of .jpg, .jpeg, .png, .webp, .pdf
 * (in any case) when there are several; -1 when there is none.
 */
long scans_pick(char *const *names, size_t n, const char *page);

/* Whether the n sorted names hold a page file (.txt) with the stem of the
   scan named scan. */
int scans_has_page(char *const *names, size_t n, const char *scan);

/* A page's scan to publish: its file, its path under content/ as shown,
   and its stamp (a hash of its line in the fingerprint). */
struct scans_file {
	const char *path, *rel;
	uint64_t stamp;
};

/*
 * Publishes the scan s of the page whose output name is slug under out:
 * the scan, its preview and its thumbnail, each kept from the last build
 * when made from the same. Safe to call from several threads. Sets *entry
 * to what the page's entry shows of it (the caller owns it): {file,
 * preview, thumb, pdf, source}, preview and thumb null when libvips could
 * not read the scan (after a warning), or NULL when the scan could not be
 * read at all (after a warning: the page is published without it).
 * Returns 0, or -1 after reporting a file of the output that could not
 * be written.
 */
int scans_publish(struct output *out, const char *slug, const struct scans_file *s, json_t **entry);

/*
 * Stops libvips if a scan started it, so that its threads have ended
 * before the program does (a leak checker that stops every thread at
 * exit may otherwise meet one half torn down). For the program's end
 * only: no scan can be published after it.
 */
void scans_end(void);

#endif

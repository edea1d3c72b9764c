/*
 * published: the manifest of every URL an archive has published, so that
 * a later build knows what links may be out there and leaves a redirect
 * where one no longer leads to a page (redirects.h).
 *
 * It is PROJECT/published.tsv, committed with the content: it outlives
 * the output directory, the cache and the machine that built it. One
 * line a URL, nine fields separated by tabs:
 *
 *   path  kind  to  id  paper  date  page  fingerprint  title
 *
 * path: the file under the output (articles/ab/abcd….html); kind:
 * article, page (a page view), redirect or html (any other page); to: a
 * redirect's target, else empty; for an article, its id, paper, date,
 * page key (ids.h), a fingerprint of its body's opening (8 hex digits)
 * and its title; for a page view, its paper, date and page; empty fields
 * where unknown. Tabs and line ends in values are written as spaces.
 * Lines starting with '#' are comments. The lines are sorted by path (then
 * by their other fields: a path named twice is taken the first time), so
 * the file diffs well and the same build writes the same bytes.
 */
#ifndef BAOKU_PUBLISHED_H
#define BAOKU_PUBLISHED_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct buf;

#define PUB_FILE "published.tsv"
#define PUB_MEMO "published" /* in the cache: pub_memo_get */

struct pub_row {
	char *path, *kind, *to, *id, *paper, *date, *page, *fp, *title; /* never NULL */
}; /* in a list, its strings in the list's arena (pub_add) */

/* Rows, their strings in the list's own arena. Zero it to start;
   pub_free frees it. */
struct pub_list {
	struct pub_row *v;
	size_t n, cap;
	struct arena strings; /* the rows' fields */
	/* when set, a row whose path keep refuses is not added (a reader
	   that needs only some of a large manifest's rows holds only those) */
	int (*keep)(const char *path, void *arg);
	void *keep_arg;
};

/*
 * Reads the manifest text (len bytes, from file, for the diagnostics)
 * into l (zero it first). A damaged line is a warning at its
 * FILE:LINE:COL; its URL is kept when its path can be read (kind guessed
 * from the path, see pub_guess_kind), so that no published URL is lost.
 */
void pub_parse(const char *file, const char *text, size_t len, struct pub_list *l);

/* Reads the manifest at file into l, a line at a time (as pub_parse):
   1, 0 when there is none (reported when report is nonzero), or -1 after
   reporting a file that is there but cannot be read. */
int pub_read(const char *file, int report, struct pub_list *l);

/*
 * Adds every .html file under the output directory root (hidden ones
 * and static/ aside) to l as a row of the kind its path suggests: what a
 * build without a manifest knows was published. Returns 0, or -1 after
 * reporting a folder that cannot be read (the rest is still added).
 */
int pub_from_tree(const char *root, struct pub_list *l);

/* The kind a path suggests: article under articles/, page under pages/
   (but its listings, index*.html), else html. A static string. */
const char *pub_guess_kind(const char *path);

/* Adds a row, its fields copied (NULL for empty), tabs and line ends
   becoming spaces. */
void pub_add(struct pub_list *l, const struct pub_row *r);

/* A running sum of a manifest's bytes, as they are written or read: the
   FNV hash its fingerprint line gives, and util_mix_u64's steps over them
   a word at a time with their length (in one lane, so that it can be
   made a piece at a time), which together tell a changed manifest from
   the same one without keeping either's text. */
struct pub_sum {
	uint64_t fnv, mix;
	unsigned char word[8]; /* the bytes of the word being summed */
	size_t len;
};
void pub_sum_start(struct pub_sum *s);
void pub_sum_add(struct pub_sum *s, const void *data, size_t len);
int pub_sum_same(const struct pub_sum *a, const struct pub_sum *b);

/* Sorts l by path (then by its other fields). */
void pub_sort(struct pub_list *l);

/* Appends row r's line to out, tabs and line ends in a field as spaces.
   Safe from several threads. */
void pub_format_row(const struct pub_row *r, struct buf *out);

/* Sorts l and appends the manifest's text to out (what pub_stage writes). */
void pub_format(struct pub_list *l, struct buf *out);

/* The first row of path among l's first n, which are sorted; NULL. */
const struct pub_row *pub_find(const struct pub_list *l, size_t n, const char *path);

/*
 * Sorts l and writes it as the manifest's text to FILE.tmp, summed into
 * sum (the whole text's, even when it cannot be written): 0, or -1 after
 * a warning. pub_install then makes it durable and renames it over file
 * (0, or -1 after a warning: the manifest is then the old one), or
 * pub_unstage drops it (a manifest the same as the last: then no sync).
 */
int pub_stage(const char *file, struct pub_list *l, struct pub_sum *sum);

/* The same a row at a time, for rows held elsewhere: pub_stage_start
   opens FILE.tmp and starts sum, pub_stage_row writes and sums each row,
   given sorted by path (pub_stage_text: rows' lines formatted already),
   and pub_stage_end closes it: 0, or -1 after a warning (FILE.tmp is then
   gone; sum is still the whole text's). */
struct pub_stager;
struct pub_stager *pub_stage_start(const char *file, struct pub_sum *sum);
void pub_stage_row(struct pub_stager *s, const struct pub_row *r);
void pub_stage_text(struct pub_stager *s, const char *text, size_t len);
int pub_stage_end(struct pub_stager *s);
int pub_install(const char *file);
void pub_unstage(const char *file);

/* Appends the manifest's line of the inputs' fingerprint (fingerprint.h)
   to fp: "published HASH" of its sum's bytes, or "published absent" for
   NULL. Its own line, out of the salts reuse is keyed by: a manifest
   changed makes a build, not the pages rendered again. */
void pub_fingerprint(const struct pub_sum *sum, struct buf *fp);

/* The set of a manifest's paths, whatever their order: how many, and a
   sum of their hashes. Two manifests whose sets are the same name the
   same pages (but for a chance of 2^-64). */
struct pub_set {
	uint64_t hash;
	size_t n;
};
void pub_set_add(struct pub_set *set, const char *path);
int pub_set_same(const struct pub_set *a, const struct pub_set *b);

/* The memo, a file of the cache, of a manifest by its file's status
   (device, inode, size, times): its sum and path set, so that a build
   with nothing to do need not read the manifest, and one that publishes
   the same pages need not read it for the pages gone; and what its rows
   were made from (rows, the redirects' digest of the build that wrote
   or confirmed it, 0 for unknown) with how many of them are redirects
   and a hash of their list (redirects.c keeps it beside the memo), so
   that a build whose rows are made from the same need not write it
   again. pub_memo_get gives 1 and m when the memo is of file as it is
   now, else 0; pub_memo_put records m (a memo that cannot be written
   only costs the next build a read). */
struct pub_memo {
	struct pub_sum sum;
	struct pub_set set;
	uint64_t rows;
	size_t redirects;
	uint64_t moved; /* a hash of the redirects' list the memo's owner keeps */
};
int pub_memo_get(const char *memo, const char *file, struct pub_memo *m);
void pub_memo_put(const char *memo, const char *file, const struct pub_memo *m);

void pub_free(struct pub_list *l);

#endif

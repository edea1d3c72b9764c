/*
 * ids: the names articles and page views are published under, made to
 * outlast the edits an archive sees.
 *
 * An article's identity is its place in the paper, not its file: the
 * paper, the date, the page number and the article's position
 * on the page. A corrected headline, an edited body and a page file
 * renamed (01.txt, A01.txt, 01版.txt are one page) keep its id. A page
 * whose paper, date or page number is unknown falls back to its path and
 * the printed title (or the position, for a derived title), as ids were
 * made before; a Markdown article, one a file, to its path alone.
 *
 * Page numbers are compared as the page key: letters and number, an "A"
 * section (the only section of many papers) the same as none, zeros
 * before the number dropped and two digits written: "01", "A01", "1" and
 * "A1" are "01", "B3" is "B03"; a form without a number is kept as it is.
 */
#ifndef BAOKU_IDS_H
#define BAOKU_IDS_H

#include <stddef.h>

struct buf;
struct meta;
struct pagelist;
struct seg_page;

#define IDS_LEN 17 /* 16 hex digits and the NUL */

/* Appends page's key (see above) to out; nothing for NULL or "". */
void ids_page_key(const char *page, struct buf *out);

/* Appends the identity of a printed page, "PAPER\tDATE\tKEY", to out
   and returns 1, or returns 0 (out unchanged) when the metadata m lacks
   the paper, the date or the page. */
int ids_page_identity(const struct meta *m, struct buf *out);

/* The id of the article at position index (from 1) on the page whose
   identity is ident, into id. */
void ids_article(const char *ident, size_t index, char id[IDS_LEN]);

/* The id of a Markdown article: from its path under content/. */
void ids_markdown(const char *rel, char id[IDS_LEN]);

/*
 * The articles of sp (read from rel, with metadata m) get their ids:
 * from the page's identity when it has one, else as seg_segment named
 * them (path and title). Each article's former name, path and title,
 * stays in its legacy field, which is what the URL was before these ids.
 */
void ids_assign(struct seg_page *sp, const char *rel, const struct meta *m, int markdown);

/* Appends the path of the view of the printed page that paper, date and
   page name: pages/PAPER/DATE/KEY.html (KEY ids_page_key's), each byte
   outside A-Z a-z 0-9 - _ written ~xx. 1, or 0 with nothing appended
   when one of them is NULL or empty: the page's view is then named by
   its path (view_slug). */
int ids_view_path(const char *paper, const char *date, const char *page, struct buf *out);

/* The same path into the size bytes at out, with a NUL: its length, or 0
   when they name none or it does not fit. */
size_t ids_view_path_in(const char *paper, const char *date, const char *page, char *out,
                        size_t size);

/*
 * Two page files that are one printed page (01.txt and A01.txt in one
 * issue's folder) would publish under one name: every page after the
 * first, in the order of pl (the byte order of their paths), is warned
 * about and published under its path instead (its view at view_slug, its
 * articles at their former ids), in its entry, its records and their
 * briefs. Deterministic whatever order pages were read in.
 */
void ids_settle(struct pagelist *pl);

#endif

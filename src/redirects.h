/*
 * redirects: no URL the archive ever published breaks. The build reads
 * the manifest of what was published before (published.h; without one,
 * the live output's pages), learns what this build publishes, and at
 * each URL of the manifest that it no longer publishes writes a redirect
 * page (redirect.mustache: a meta refresh, a canonical link, a visible
 * link, noindex) to its successor:
 *
 *   - the same article or page view under its former name (an id or a
 *     page view's name of before ids.h: the upgrade moves each once);
 *   - for an article, the new article on the same printed page with the
 *     same fingerprint of its opening, else the most similar title (half
 *     its characters or more in common); else, for an article or a page
 *     view, the view of its printed page, its issue, its month
 *     (dates/YYYY-MM.html), the home page;
 *   - a listing's page-N.html its index.N.html (the names before);
 *   - any other page its folder's index.html, else the home page.
 *
 * A redirect stays in the manifest for good, and chains collapse: one
 * whose target is itself a redirect now leads to where that one leads.
 * Redirect pages are in no listing, feed, sitemap or search index: they
 * are written after all of those. A redirect page unchanged since the
 * last build is kept, not rendered again.
 */
#ifndef BAOKU_REDIRECTS_H
#define BAOKU_REDIRECTS_H

#include <jansson.h>

struct archive;
struct buf;
struct mu_env;
struct output;

struct redirects;

/* The manifest file, summed for redir_fingerprint (from the memo, a file
   of the cache, when the manifest has not changed since it was written:
   see pub_memo_get), to be read once needed; root is the live output
   (NULL for none). Free with redir_free. */
struct redirects *redir_open(const char *file, const char *memo, const char *root);

/* Without a manifest, what was published before: the pages of the live
   output, read now, before the build changes it. Never fails: what cannot
   be read is warned about and left out. */
void redir_load(struct redirects *r);

/* Learns this build's articles (records) and page views (index_pages),
   held until redir_free, each view's issue from the archive arc, which
   must still be whole, and a digest of what the manifest's rows are
   made from (the records' hashes arc keeps, the views' fields). */
void redir_learn(struct redirects *r, json_t *records, json_t *index_pages,
                 const struct archive *arc);

/*
 * Once everything else is written to out: the redirect pages, through
 * env's "redirect" template with site (base_url, when not "", makes the
 * canonical links absolute), and the new manifest, staged beside the
 * old one until redir_commit. The manifest is read here, after the
 * archive has freed what it held, unless it names the pages made and its
 * rows were made from what this build's are (redir_learn's digest, kept
 * in its memo): then it is neither read nor written (redir_as_before).
 * The manifest's lines are made on threads threads. Returns 0, or -1
 * after reporting.
 */
int redir_write(struct redirects *r, struct output *out, struct mu_env *env, const json_t *site,
                const char *base_url, int threads);

/* Appends the manifest's line of the inputs' fingerprint
   (pub_fingerprint): the new manifest's once redir_write made it, else
   the one read. */
void redir_fingerprint(const struct redirects *r, struct buf *fp);

/* Whether redir_write found the manifest to be the one it would write
   (its rows made from what this build's are, the same pages and the
   same redirects), and so neither read nor wrote it. */
int redir_as_before(const struct redirects *r);

/* After the build is swapped in: puts the new manifest in place, unless
   it is what the file holds already, and its sum in the memo. */
void redir_commit(struct redirects *r);

void redir_free(struct redirects *r);

#endif

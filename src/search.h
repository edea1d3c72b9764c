/*
 * search: the full-text index the static search page loads, built here.
 *
 * Tokens: every Chinese character alone and every pair of neighbours (so
 * any run of two or more characters matches inside words, and a single
 * character still does), and Latin words and numbers whole; traditional
 * characters fold to simplified, full-width forms to ASCII, Latin to lower
 * case. The search page tokenizes queries the same way (static/search.js).
 *
 * Each posting says how often a token occurs in an article's title and
 * with what weight elsewhere (kicker 6, byline 4, body 1), so the page can
 * put title hits first.
 *
 * Files, all JavaScript that registers itself when loaded by a <script>
 * element, which works from file:// and http:// alike:
 *   search/meta.js      shard count, document count
 *   search/docs.js      title, link, date, district, year, opening text, reporters
 *   search/fold.js      traditional -> simplified, for queries
 *   search/shard-N.js   postings of the tokens whose first character's
 *                       code point is N modulo the shard count, the count
 *                       chosen so that each shard stays near 200 KB
 */
#ifndef BAOKU_SEARCH_H
#define BAOKU_SEARCH_H

#include <jansson.h>
#include <stddef.h>

#include "gazetteer.h"
#include "output.h"

struct buf;

/* Shards aim at this many bytes. */
#define SEARCH_SHARD_BYTES 200000

struct search_stats {
	size_t docs, tokens, shards, bytes;
};

/*
 * Indexes the article records (the archive's, newest first: a document's
 * number is its position) and writes the search files. Returns 0 or -1
 * after reporting.
 */
int search_build(const struct gazetteer *gz, json_t **records, size_t n, struct output *out,
                 struct search_stats *stats);

/*
 * Appends the tokens of text to out, one per line (for tests): the
 * folding and splitting described above.
 */
void search_tokens(const struct gazetteer *gz, const char *text, struct buf *out);

#endif

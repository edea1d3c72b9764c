/*
 * pagecache: what reading each page gave (its index entry, its articles'
 * records and search tokens), kept beside the output (out_cache_create)
 * so that a page whose file has not changed is not read again.
 *
 * Binary, for this program only: a header with the hash of what records
 * depend on besides the page (program, data, options, folder metadata:
 * fp_salts), then per page its stamp, its JSON and its documents: each
 * one's tokens (their two lengths, then keys and words one after the
 * other, which is how the search reads them back: from this file,
 * without taking them into memory), its snippet, and a hash of all that,
 * checked when the file is read. The cache is a base file, "pages", and
 * "pages.delta", the pages read since the base was written.
 */
#ifndef BAOKU_PAGECACHE_H
#define BAOKU_PAGECACHE_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "pages.h"

struct output;

/*
 * Takes what the last build read of the pages of pl that have not changed
 * (found by their stamps), when it was made with the same salt: each such
 * page gets its documents, and its entry and records as packed text
 * (cache_text) for pcache_unpack; the delta first, as it is newer than
 * the base. The files read stay open in pl->cache while their documents'
 * tokens, left there, are needed. Returns the number of pages taken. A
 * damaged file or record is passed over, never an error.
 */
size_t pcache_read(struct output *out, struct pagelist *pl, uint64_t salt);

/* Parses what the cache gave page p into its entry, records and encoding
   (the text is freed): 0, or -1 when it does not fit (read the page). */
int pcache_unpack(struct page *p);

/* The first line of a cache file, which names its format. */
#define PCACHE_MAGIC "baoku-pages-7\n"

/* What the cache keeps of page p: its entry, records (their excerpts in
   them, view_records_portable) and encoding, packed (mujson_pack), then a
   hash of those bytes; appended to out. 0, or -1 (out as it was) when an
   excerpt cannot be read back from the scratch file. */
int pcache_pack(const struct page *p, struct buf *out);

/*
 * In a build that takes nothing from the cache, the page jobs write the
 * new base file themselves, each page's record at the next free offset as
 * soon as the page is read, and its documents' tokens then stay there
 * (not in memory) until the search index is built.
 */
struct pcache_direct {
	FILE *f;           /* the new "pages"; NULL when not written so */
	int fd;            /* a descriptor of it for pcache_put, or -1 */
	atomic_size_t end; /* the bytes in it */
	atomic_int failed; /* a record could not be written */
};

/* Starts the new base file (a warning when it cannot be made: then d->f
   is NULL and d->fd -1). */
void pcache_direct_open(struct pcache_direct *d, struct output *out, uint64_t salt);

/* Writes page p's record (when it has an entry) and puts its documents'
   tokens aside there; drops p's packed dump. 0, or -1 when the record is
   not in the file (the tokens are then where they were). Safe from
   several threads. */
int pcache_put(struct pcache_direct *d, struct page *p);

/* Closes d->fd, once the documents' tokens are no longer read. */
void pcache_direct_close(struct pcache_direct *d);

/*
 * Writes the new cache after the pages are read: when d->f is open, keeps
 * it as the base (or drops it, when a record failed) with an empty delta;
 * otherwise, while the pages not in the base are few (an eighth), only the
 * delta again, else the base (packed here for the pages that came from
 * the cache) and an empty delta. A cache that cannot be written is a
 * warning: it costs the next build time, not correctness.
 */
void pcache_write(struct output *out, struct pagelist *pl, uint64_t salt, struct pcache_direct *d);

#endif

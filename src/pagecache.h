/*
 * pagecache: what reading each page gave (its index entry, its articles'
 * records and search tokens), kept beside the output (out_cache_create)
 * so that a page whose file has not changed is not read again.
 *
 * Binary, for this program only, each file with a tokens file beside it
 * (NAME.tokens), the two paired by a number both headers hold. The file
 * has a header with the hash of what records depend on besides the page
 * (program, data, options, folder metadata: fp_salts), then per page its
 * stamp, its JSON, and a table of its documents (where each one's tokens
 * and snippet are in the tokens file, their lengths and their hash), the
 * table's own hash after it. The JSON and the tables are checked when the
 * file is read; the tokens file is not read then: its bytes are what a
 * search index made again needs (most of the cache's size), and a
 * document's are checked against its hash when they are read, which a
 * build that finds them damaged answers by building again from the page
 * files (site.h). The cache is a base file, "pages", and "pages.delta",
 * the pages read since the base was written.
 */
#ifndef BAOKU_PAGECACHE_H
#define BAOKU_PAGECACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "pages.h"

struct output;
struct spill;

/*
 * Takes what the last build read of the pages of pl that have not changed
 * (found by their stamps), when it was made with the same salt: each such
 * page gets its documents, and where its entry and records are, packed
 * (cache_at and cache_len in the cache file pl->texts[from_base], open
 * until pcache_texts_close), for pcache_unpack; the delta first, as it is
 * newer than the base. The tokens files stay open in pl->cache while
 * their documents' tokens, left there, are needed. Returns the number of
 * pages taken. A damaged file or record is passed over, never an error.
 *
 * The texts are read when unpacked, not mapped: a mapped file's pages
 * count in the build's memory once touched, 0.8 GB at a million page
 * files, held to the end of the pages.
 */
size_t pcache_read(struct output *out, struct pagelist *pl, uint64_t salt);

/* What one thread read of a cache file, ahead of the page it unpacks:
   the pages' texts lie one after another in page order, about a
   kilobyte each at one article a page, and one read of PCACHE_WINDOW
   bytes serves the pages that follow (a million reads of a million
   pages' texts would cost seconds of system time). */
#define PCACHE_WINDOW (64 * 1024)
struct pcache_window {
	int fd;         /* the file read, -1 for none */
	size_t at, len; /* where in it, and the bytes read */
	struct buf data;
};
#define PCACHE_WINDOW_INIT                                                                         \
	{                                                                                          \
		-1, 0, 0, BUF_INIT                                                                 \
	}
void pcache_window_free(struct pcache_window *w);

/* Reads what the cache gave page p of pl (through w, kept by the caller
   from page to page) and parses it into its entry and encoding, and its
   records, a new JSON array in *records: 0, or -1 when it cannot be
   read or does not fit (read the page). */
int pcache_unpack(const struct pagelist *pl, struct page *p, struct pcache_window *w,
                  json_t **records);
/* ... from the len bytes read at text, its hash after them. */
int pcache_unpack_text(struct page *p, const char *text, size_t len, json_t **records);

/* Closes the files of the texts pcache_read found, once they are
   unpacked (or not wanted). */
void pcache_texts_close(struct pagelist *pl);

/* The first line of a cache file and of a tokens file, which name their
   format. */
#define PCACHE_MAGIC        "baoku-pages-9\n"
#define PCACHE_TOKENS_MAGIC "baoku-tokens-1\n"

/* What the cache keeps of page p: its entry, records (their excerpts in
   them, view_records_portable, and their districts as the units' codes,
   which the pages resolve) and encoding, packed (mujson_pack), then a
   hash of those bytes; appended to out. 0, or -1 (out as it was) when an
   excerpt cannot be read back from the scratch file. */
int pcache_pack(const struct page *p, struct buf *out);

/*
 * The pages read afresh, each packed (pcache_pack) on the thread that
 * read it, while its records are at hand, until pcache_write keeps them:
 * packed later, their excerpts would be read back from the scratch file.
 * Held beside the pages, not in them: a build holds a million pages and
 * few are read afresh but in a build that writes the cache as it goes
 * (pcache_put), which takes each one at once.
 */
struct pcache_dump {
	size_t page; /* its place in the list of pages */
	char *text;
	size_t len;
};
struct pcache_dumps {
	struct pcache_dump *v;
	size_t n, cap;
	pthread_mutex_t lock;
};
void pcache_dumps_init(struct pcache_dumps *ds);
/* Keeps the packed text of page number `page` (taking packed's bytes: it
   is left empty). Safe from several threads. */
void pcache_keep(struct pcache_dumps *ds, size_t page, struct buf *packed);
void pcache_dumps_free(struct pcache_dumps *ds);

/*
 * In a build that takes nothing from the cache, the page jobs write the
 * new base file themselves, each page's record at the next free offset as
 * soon as the page is read, and its documents' tokens then stay there
 * (not in memory) until the search index is built.
 */
struct pcache_direct {
	FILE *f, *tf;       /* the new "pages" and its tokens; NULL when not written so */
	int fd, tfd;        /* descriptors of them for pcache_put, or -1 */
	atomic_size_t end;  /* the bytes in the one */
	atomic_size_t tend; /* ... and in the other */
	atomic_int failed;  /* a record could not be written */
};

/* Starts the new base file (a warning when it cannot be made: then d->f
   is NULL and d->fd -1). */
void pcache_direct_open(struct pcache_direct *d, struct output *out, uint64_t salt);

/* Writes page p's record (when it has an entry), from `packed` (p's
   text packed, or empty to pack it here), and puts its documents' tokens
   aside in the tokens file through `tokens`, a writer of d->tfd and
   d->tend of the calling thread's own (spill.h: the documents can be
   read once it is flushed). 0, or -1 when the record is not in the file
   (the tokens are then where they were). Safe from several threads, each
   with its writer. */
int pcache_put(struct pcache_direct *d, struct spill *tokens, struct page *p,
               const struct buf *packed);

/* Closes d->fd, once the documents' tokens are no longer read. */
void pcache_direct_close(struct pcache_direct *d);

/*
 * Writes the new cache after the pages are read: when d->f is open, keeps
 * it as the base (or drops it, when a record failed) with an empty delta;
 * otherwise, while the pages not in the base are few (an eighth), only the
 * delta again, else the base (packed here for the pages that came from
 * the cache; the others' texts are ds's, which it empties) and an empty
 * delta. A cache that cannot be written is a
 * warning: it costs the next build time, not correctness. Returns 0, or
 * SEARCH_DAMAGED when a document the last build's cache gave is not what
 * its hash says (the cache is damaged: the build is made again).
 */
int pcache_write(struct output *out, struct pagelist *pl, uint64_t salt, struct pcache_direct *d,
                 struct pcache_dumps *ds);

#endif

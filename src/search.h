/*
 * search: the full-text index the static search page loads, built here.
 *
 * Tokens: every Chinese character alone and every pair of neighbours (so
 * any run of two or more characters matches inside words, and a single
 * character still does), and Latin words and numbers whole; traditional
 * characters fold to simplified, full-width forms to ASCII, Latin to lower
 * case. The search page tokenizes queries the same way (static/search.js).
 *
 * Fields: besides its text, an article is found by the names of its
 * district at every level (group, sub-group, county, city, province; the
 * short forms are in the full names' pairs: 松江区 holds 松江), its paper,
 * its page's section (版名) and its reporters and photographers.
 *
 * A token's postings are its documents in order, each with two bits that
 * say where the token stands in the document (SEARCH_IN_TITLE,
 * SEARCH_IN_FIELD: neither is the text alone), so the page can rank title
 * hits first, then field hits; written as "(document - previous) << 2 |
 * where" in base 32: five bits a character, the last character of a
 * number from 0-9a-v and the others from A-Z()*+-. (compact, and no
 * escaping).
 *
 * The documents (the archive's articles, newest first) come in segments
 * of SEARCH_SEGMENT_MIN to SEARCH_SEGMENT_MAX, each indexed on its own,
 * so that a query loads a bounded number of bytes whatever the archive's
 * size: the newest segment's files first, older ones while it has found
 * too few results and when the reader asks for more. Where a segment
 * ends is chosen by its documents (search_segments), counted from the
 * oldest, and so are the segments' numbers: articles added, a new
 * issue's or a page's in the middle, change the segment they fall in (a
 * new issue's, the newest two at most) and leave the others, and their
 * files, as they were.
 *
 * Files, all JavaScript that registers itself when loaded by a <script>
 * element, which works from file:// and http:// alike:
 *   search/meta.js            the document count, the segments newest
 *                             first as [S, documents, shard count] (S:
 *                             its number, 0 the oldest), and the lists
 *                             of groups, years and papers (with the link
 *                             to their page)
 *   search/fold.js            traditional -> simplified, for queries
 *   search/seg-S/meta.js      each of segment S's documents' group, year
 *                             and paper, as indexes into those lists
 *                             (numbers + 1 as the postings write them)
 *   search/seg-S/shard-N.js   segment S's postings of the tokens whose
 *                             hash (h * 31 + each code point) is N modulo
 *                             its shard count, chosen so that each shard
 *                             stays near SEARCH_SHARD_BYTES; a list's
 *                             first document is counted from the
 *                             segment's first
 *   search/seg-S/docs-K.js    segment S's documents K*SEARCH_DOC_CHUNK
 *                             on, counted from its first: title, link,
 *                             date, group, opening text, reporters,
 *                             paper, page
 */
#ifndef BAOKU_SEARCH_H
#define BAOKU_SEARCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct chars;
struct output;

/* Documents come in segments of SEARCH_SEGMENT_MIN to SEARCH_SEGMENT_MAX
   (fewer when the archive has fewer; about 6,100 on average: a segment
   may end at one document in SEARCH_SEGMENT_CUT once it has its
   minimum), newest first, each with its own shards (aiming at
   SEARCH_SHARD_BYTES each) and its documents' facets; what a result
   shows comes SEARCH_DOC_CHUNK documents a file. */
#define SEARCH_SEGMENT_MIN 5120
#define SEARCH_SEGMENT_MAX 8192
#define SEARCH_SEGMENT_CUT 1024
#define SEARCH_SHARD_BYTES 16000
#define SEARCH_DOC_CHUNK   8

struct search_stats {
	size_t docs, shards, bytes;
	size_t tokens;       /* token lists: each segment's distinct tokens, summed */
	size_t segments;     /* of the index */
	size_t kept;         /* segments kept whole from the last build */
	size_t blocks_kept;  /* blocks of the segments made read back from it */
	size_t patched;      /* segments patched (search_patch.c), */
	size_t shards_made;  /* ... and the shards they made again */
	size_t unpatched;    /* segments changed and made whole, */
	const char *unpatched_why; /* ... why the first was not patched */
	int damaged;         /* a document's tokens were not what their hash says:
	                        the page cache is damaged (the index is not made) */
	double fill_seconds; /* the posting lists' time, from their start */
	double wait_seconds; /* of it, what search_build waited for them */
};

struct seg_article;
struct spill;

/* Where a token stands in a document: bits of its postings. */
#define SEARCH_IN_FIELD 1
#define SEARCH_IN_TITLE 2

/* The names an article is found by besides its text (see above): at
   most SEARCH_FIELDS, NULL-terminated. */
#define SEARCH_FIELDS 8

/* One article's tokens, gathered where it is parsed so that the index
   is built from these alone. */
struct search_doc {
	/* A million are held, so what is in memory and what is in a file
	   share a word: the one is only when the other is not (spilled). */
	union {
		unsigned char *blob; /* in memory: its keys, its words, its snippet's
		                        length (8 bytes) and its snippet, NUL-ended,
		                        one after another (search_doc_blob), NULL once
		                        let go (search_doc_forget) */
		size_t at;           /* spilled: where they are in the file fd */
	};
	uint64_t hash;          /* of its tokens and snippet (search_doc_hash): what the
	                           page cache checks it by and a segment of the index is
	                           kept by; 0 unknown */
	uint32_t len, wlen;     /* of keys (delta-coded, with a title bit) and of
	                           words (the text of its Latin tokens, in their
	                           keys' order, each ended by a NUL) */
	uint32_t slen : 30;     /* of the snippet, its opening text */
	uint32_t spilled : 1;   /* they are in the file, not in memory */
	uint32_t unchecked : 1; /* ... one this build did not write: checked
	                           against hash each time they are read */
	int fd;
};

/* What making documents one after another reuses (search_int.h), kept by
   each thread that makes them. */
struct search_set;

/* A new, empty set; free it with search_set_free (NULL is allowed). */
struct search_set *search_set_new(void);
void search_set_free(struct search_set *set);

/* Gathers the tokens of article a into d, with the names of fields (a
   NULL-terminated list, or NULL) as the article's fields, folding with
   the character tables ch; set is scratch space kept between calls. Free
   d with search_doc_free. */
void search_doc_make(const struct chars *ch, const struct seg_article *a, const char *const *fields,
                     struct search_set *set, struct search_doc *d);

/* Sets fields[0..SEARCH_FIELDS) to the names of an article's place (a
   district as `baoku parse --json` gives it: group, subgroup, county,
   city, province; none for 未分区), its paper and its page's section,
   any of which may be NULL, then NULLs. The strings stay district's,
   paper's and section's. */
struct json_t;
void search_fields_of(const struct json_t *district, const char *paper, const char *section,
                      const char *fields[SEARCH_FIELDS]);
void search_doc_free(struct search_doc *d);

/* Lets go of d's keys and words, once indexed, when they are in memory
   (its snippet is kept; len and wlen are then 0). */
void search_doc_forget_tokens(struct search_doc *d);
/* ... and of its snippet, once written: it then has none. */
void search_doc_forget(struct search_doc *d);

/* The hash of a document's keys (lens[0] bytes), words (lens[1]) and
   snippet: never 0. */
uint64_t search_doc_hash(const uint64_t lens[2], const unsigned char *keys, const char *words,
                         const char *snippet, size_t slen);

/* Moves d's keys, words and snippet to the file of sp (spill.h; read
   back once sp is flushed): 0, or -1 leaving d as it was. Their memory
   is then free for what comes later; a search index of a large archive
   would otherwise hold every token twice at its peak. */
int search_doc_spill(struct search_doc *d, struct spill *sp);

/* Records that d's keys, words and snippet are in the file fd at `at`,
   laid out as search_doc_spill writes them (written there by the
   caller; d's len and wlen say where the snippet is), and frees them
   from memory. */
void search_doc_put_aside(struct search_doc *d, int fd, size_t at);

/* Records that d's keys, words and snippet (len, wlen and slen bytes)
   are in the file fd at `at`, as search_doc_spill lays them out, written
   by an earlier build (the page cache): hash, what it says they are, is
   checked each time they are read. */
void search_doc_in_file(struct search_doc *d, int fd, size_t at, uint32_t len, uint32_t wlen,
                        uint32_t slen, uint64_t hash);

/* What reading a document's tokens back gives when they are not what its
   hash says (a damaged cache). */
#define SEARCH_DAMAGED (-2)

/* Appends d's keys, words, snippet's length (8 bytes) and snippet to
   out, as search_doc_spill lays them out, read back when they are in a
   file: 0, -1 when they cannot be read, or SEARCH_DAMAGED when what was
   read is not what an earlier build's document's hash says (out is then
   as it was). */
int search_doc_blob(const struct search_doc *d, struct buf *out);

/* Sets *keys and *words to d's, read back into buf when they are in a
   file: 0, -1 when they cannot be read, or SEARCH_DAMAGED when what was
   read is not what the document's hash says (a damaged cache). */
int search_doc_tokens(const struct search_doc *d, struct buf *buf, const unsigned char **keys,
                      const char **words);

/* Sets *snippet to d's, read back into buf when it is in a file: 0, -1
   when it cannot be read, or SEARCH_DAMAGED as search_doc_tokens (a
   document of the last build's cache is checked whole: its tokens may
   never be read, when its block of the index is read back). */
int search_doc_snippet(const struct search_doc *d, struct buf *buf, const char **snippet);

/* A document of the index: its tokens and what a result shows. */
struct search_entry {
	struct search_doc *doc; /* its tokens are freed once indexed */
	const char *title, *href, *date, *group, *group_slug, *reporters;
	const char *paper, *page_label; /* where it was printed; NULL: unknown */
	const char *paper_href;         /* its paper's page; NULL: none */
};

/*
 * The posting lists of the documents docs[0..n) (the archive's articles,
 * newest first: a document's number is its position) and the shards
 * made of them, written to out: segment after segment, so that one
 * segment's lists are held at a time, on a thread of their own (each
 * segment's lists on `threads` threads) while the caller goes on, as
 * soon as the order is known. Each document's tokens are freed once its
 * segment is written. The documents must stay until search_build has
 * joined the fill or search_fill_abandon has stopped it.
 */
struct search_fill;
struct search_fill *search_fill_start(struct search_doc *const *docs, size_t n, int threads,
                                      struct output *out);
void search_fill_abandon(struct search_fill *fill);

/*
 * The documents' entries, given one at a time, so that the index of a
 * million articles need not hold a million entries at once: get fills
 * *e with document i's (0 to n - 1), whose strings need last only until
 * the next call with the same scratch. It is called from several threads
 * at once, each with a scratch of its own: scratch_size bytes, zeroed
 * first, given to scratch_free (when not NULL) at the end.
 */
struct search_entries {
	size_t n;
	void (*get)(void *ctx, size_t i, struct search_entry *e, void *scratch);
	/* A hash of all that get gives of document i, its document's hash
	   included, without making the entry; 0 when it cannot tell (the
	   entry is then made and hashed). NULL: always 0. */
	uint64_t (*key)(void *ctx, size_t i);
	/* Fills only what the facets need of document i (group, group_slug,
	   date, paper, paper_href), for less than get costs; NULL: get. */
	void (*facets)(void *ctx, size_t i, struct search_entry *e, void *scratch);
	void *ctx;
	size_t scratch_size;
	void (*scratch_free)(void *scratch);
};

/* The entries of the array v of n (which must stay as it is). */
struct search_entries search_entries_of(const struct search_entry *v, size_t n);

/*
 * Indexes the documents, in the same order, and writes the search files
 * (fold.js from ch): with the posting lists of fill (NULL: made here, on
 * `threads` threads).
 * The documents' tokens and snippets are freed as soon as they are
 * written. Returns 0 or -1 after reporting.
 */
int search_build(const struct chars *ch, const struct search_entries *docs, struct output *out,
                 struct search_fill *fill, int threads, struct search_stats *stats);

/*
 * Appends the tokens of text to out, one per line (for tests): the
 * folding and splitting described above.
 */
void search_tokens(const struct chars *ch, const char *text, struct buf *out);

#endif

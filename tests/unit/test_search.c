/* Unit tests for the search tokenizer and index writer. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "gazetteer.h"
#include "output.h"
#include "search.h"
#include "search_int.h"
#include "segment.h"
#include "spill.h"
#include "tap.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

static struct gazetteer *S_gz;

/* the tokens of text, space-separated */
static const char *
S_tok(const char *text)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	search_tokens(gz_chars(S_gz), text, &b);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n')
			b.data[i] = ' ';
	if (b.len)
		buf_truncate(&b, b.len - 1);
	return b.data;
}

/* A segment as search_segments cuts it: its first document's hash and
   its size. */
struct cut {
	uint64_t first;
	size_t size;
};

/* The segments of documents whose hashes are h[0..n), newest first. */
static size_t
S_cuts(const uint64_t *h, size_t n, struct cut **out)
{
	struct search_doc *d = xcalloc(n + 1, sizeof *d);
	struct search_doc **p = xcalloc(n + 1, sizeof *p);
	for (size_t i = 0; i < n; i++) {
		d[i].hash = h[i];
		p[i] = &d[i];
	}
	size_t *from;
	size_t nseg = search_segments(p, n, &from);
	*out = xcalloc(nseg + 1, sizeof **out);
	for (size_t s = 0; s < nseg; s++)
		(*out)[s] = (struct cut){h[from[s]], from[s + 1] - from[s]};
	free(from);
	free(p);
	free(d);
	return nseg;
}

/* How many of the segments a[0..na) are not among b[0..nb). */
static size_t
S_changed(const struct cut *a, size_t na, const struct cut *b, size_t nb)
{
	size_t changed = 0;
	for (size_t i = 0; i < na; i++) {
		int found = 0;
		for (size_t j = 0; j < nb && !found; j++)
			found = a[i].first == b[j].first && a[i].size == b[j].size;
		changed += !found;
	}
	return changed;
}

static void
S_segment_tests(void)
{
	enum { N = 200000, NEW = 500 };
	uint64_t *h = xcalloc(N + NEW + 1, sizeof *h);
	for (size_t i = 0; i < N + NEW + 1; i++)
		h[i] = util_mix_u64(12345, i) | 1;
	struct cut *a, *b, *c;
	size_t na = S_cuts(h + NEW + 1, N, &a), total = 0, wrong = 0;
	for (size_t s = 0; s < na; s++) {
		total += a[s].size;
		/* the newest may be smaller, when it could not join the next */
		wrong +=
		    (s > 0 && a[s].size < SEARCH_SEGMENT_MIN) || a[s].size > SEARCH_SEGMENT_MAX;
	}
	ok(total == N && wrong == 0 && N / na > 5500 && N / na < 6700,
	   "segments: each document once, from %d to %d in each, %zu on average",
	   SEARCH_SEGMENT_MIN, SEARCH_SEGMENT_MAX, N / na);
	/* a document added in the middle */
	memmove(h + NEW, h + NEW + 1, N / 2 * sizeof *h);
	h[NEW + N / 2] = util_mix_u64(54321, 0) | 1;
	size_t nb = S_cuts(h + NEW, N + 1, &b);
	ok(nb == na && S_changed(b, nb, a, na) == 1,
	   "a document added in the middle changes the segment it falls in, and no other");
	memmove(h + NEW + 1, h + NEW, N / 2 * sizeof *h);
	h[NEW] = util_mix_u64(12345, NEW) | 1;
	/* a new issue's documents, the newest */
	size_t nc = S_cuts(h, N + NEW + 1, &c);
	ok(S_changed(c, nc, a, na) <= 2 && S_changed(c + 2, nc - 2, a, na) == 0,
	   "documents added as the newest change the newest two segments at most, and no other");
	free(a);
	free(b);
	free(c);
	ok(S_cuts(h, 0, &a) == 0, "no documents, no segment");
	free(a);
	ok(S_cuts(h, 10, &a) == 1 && a[0].size == 10, "a few documents, one segment");
	free(a);
	free(h);
}

/* Entries that give a key of their own (S_kept_tests): titles and keys
   by document. */
struct keyed {
	struct search_doc *doc;
	const char *title[24];
	uint64_t key[24];
};

static void
S_keyed_get(void *ctx, size_t i, struct search_entry *e, void *scratch)
{
	(void)scratch;
	const struct keyed *k = ctx;
	*e = (struct search_entry){
	    k->doc,      k->title[i], "articles/x.html", "2024-02-23",  "松江",
	    "songjiang", "",          "松江报",          "第01版 要闻", NULL};
}

static uint64_t
S_keyed_key(void *ctx, size_t i)
{
	return ((const struct keyed *)ctx)->key[i];
}

/* A build of the index of k's 24 documents into dir (out, cache);
   whether docs file `chunk` of it holds `title`, or -1 when it failed. */
static size_t S_keyed_bytes; /* the last build's index's, as it counts them */

static int
S_keyed_build(const char *dir, struct keyed *k, int chunk, const char *title)
{
	struct seg_page sp;
	seg_segment("### 别的新闻\n\n正文。\n", 1, "u.txt", &sp);
	struct search_doc doc = {0};
	struct search_set *set = search_set_new();
	search_doc_make(gz_chars(S_gz), &sp.v[0], NULL, set, &doc);
	search_set_free(set);
	seg_page_free(&sp);
	k->doc = &doc;
	char out_dir[64], cache_dir[64], path[96];
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	snprintf(cache_dir, sizeof cache_dir, "%s/cache", dir);
	struct output *out = out_open(out_dir, cache_dir);
	struct search_entries entries = {.n = 24, .get = S_keyed_get, .key = S_keyed_key, .ctx = k};
	struct search_stats st;
	int rc = out && out_set_salt(out, 5) == 0 &&
	                 search_build(gz_chars(S_gz), &entries, out, NULL, 1, &st) == 0 &&
	                 out_commit(out) == 0
	             ? 0
	             : -1;
	search_doc_free(&doc);
	if (rc < 0)
		return -1;
	S_keyed_bytes = st.bytes;
	snprintf(path, sizeof path, "%s/search/seg-0/docs-%d.js", out_dir, chunk);
	FILE *f = fopen(path, "r");
	char text[4096];
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	text[n] = '\0';
	if (f)
		fclose(f);
	return strstr(text, title) != NULL;
}

/* A docs file is kept by the keys its entries give, and made again when
   one of them changes. */
static void
S_kept_tests(void)
{
	char dir[] = "/tmp/baoku-search-XXXXXX";
	if (!mkdtemp(dir))
		return;
	struct keyed k;
	for (size_t i = 0; i < 24; i++) {
		k.title[i] = "旧标题";
		k.key[i] = i + 1;
	}
	ok(S_keyed_build(dir, &k, 2, "旧标题") == 1, "an index whose entries give their keys");
	size_t written = S_keyed_bytes;
	for (size_t i = 0; i < 24; i++)
		k.title[i] = "新标题";
	ok(S_keyed_build(dir, &k, 2, "旧标题") == 1,
	   "its documents' files are kept while the keys are the same");
	ok(written > 0 && S_keyed_bytes == written,
	   "and counted in the index's bytes as when they were written (%zu, %zu)", written,
	   S_keyed_bytes);
	k.key[17] = 99;
	ok(S_keyed_build(dir, &k, 2, "新标题") == 1 && S_keyed_build(dir, &k, 1, "旧标题") == 1,
	   "a key changed makes its document's file again (documents 16-23), and no other");
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "%s", cmd);
}

/* The shards of an index of n documents made on `threads` threads into
   the folder dir/out-NAME, its cache dir/cache-NAME (kept from a build
   before, if any): their text, one after the other (the caller frees
   it), or NULL when the build failed; its figures in *st. */
static char *
S_shards_made(const char *dir, const char *name, struct search_entry *e, size_t n, int threads,
              struct search_stats *st)
{
	char out_dir[96], cache_dir[96], path[160];
	snprintf(out_dir, sizeof out_dir, "%s/out-%s", dir, name);
	snprintf(cache_dir, sizeof cache_dir, "%s/cache-%s", dir, name);
	struct output *out = out_open(out_dir, cache_dir);
	struct search_entries entries = search_entries_of(e, n);
	if (!out)
		return NULL;
	if (out_set_salt(out, 5) < 0 ||
	    search_build(gz_chars(S_gz), &entries, out, NULL, threads, st) < 0) {
		out_abort(out);
		return NULL;
	}
	if (out_commit(out) < 0)
		return NULL;
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < st->shards; i++) {
		snprintf(path, sizeof path, "%s/search/seg-0/shard-%zu.js", out_dir, i);
		FILE *f = fopen(path, "r");
		char chunk[4096];
		size_t got;
		while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&all, chunk, got);
		if (f)
			fclose(f);
	}
	return buf_detach(&all, NULL);
}

/* A token of a document of a table of S_join_tests: its document,
   counted from the table's first, its key and where it stands. */
struct given {
	uint32_t doc;
	uint64_t key;
	uint32_t where;
};

/* Fills tb, documents [from, to), with the n tokens v (in document
   order) as the fill does, and packs it. */
static void
S_given_table(struct table *tb, size_t from, size_t to, const struct given *v, size_t n)
{
	*tb = (struct table){.from = from, .to = to};
	tb->fill = calloc(n, sizeof *tb->fill);
	tb->occ = calloc(1, sizeof *tb->occ);
	tb->occ[0] = calloc(OCC_CHUNK, sizeof **tb->occ);
	tb->nchunks = 1;
	tb->docat = calloc(to - from + 1, sizeof *tb->docat);
	for (size_t i = 0, d = 0; i <= n; i++) {
		for (; d < to - from && (i == n || d <= v[i].doc); d++)
			tb->docat[d] = (uint32_t)i;
		if (i == n)
			break;
		size_t k = 0;
		while (k < tb->n && tb->fill[k].key != v[i].key)
			k++;
		if (k == tb->n)
			tb->fill[tb->n++].key = v[i].key;
		tb->occ[0][i] = (uint32_t)k << 2 | v[i].where;
		search_fill_measure(&tb->fill[k], v[i].doc + 1, v[i].where);
	}
	tb->docat[to - from] = (uint32_t)n;
	tb->nocc = n;
	search_block_pack(tb);
}

/* The parts' lists joined in a segment whose first document is not 0:
   each part's first posting counted again from the one before. */
static void
S_join_tests(void)
{
	char dir[] = "/tmp/baoku-search-XXXXXX";
	if (!mkdtemp(dir))
		return;
	char out_dir[64], cache_dir[64], path[96];
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	snprintf(cache_dir, sizeof cache_dir, "%s/cache", dir);
	/* 松 in documents 100 and 102 of the first part, 104 (in the title)
	   of the second; 江 in 103 (a field) of the second alone */
	const struct given g0[] = {{0, 0x677E, 0}, {2, 0x677E, 0}},
	                   g1[] = {{0, 0x6C5F, SEARCH_IN_FIELD}, {1, 0x677E, SEARCH_IN_TITLE}};
	struct table tb[2];
	S_given_table(&tb[0], 100, 103, g0, 2);
	S_given_table(&tb[1], 103, 106, g1, 2);
	struct output *out = out_open(out_dir, cache_dir);
	struct seg_memo memo = {0};
	struct search_stats st = {0};
	int rc = out && out_set_salt(out, 5) == 0 &&
	                 search_write_segment(tb, 2, 0, 100, out, &memo, NULL, 0, 1, &st) == 0
	             ? 0
	             : -1;
	if (out)
		rc = rc == 0 ? out_commit(out) : (out_abort(out), -1);
	free(memo.shard);
	for (int i = 0; i < 2; i++)
		free(tb[i].blob);
	snprintf(path, sizeof path, "%s/search/seg-0/shard-0.js", out_dir);
	FILE *f = rc == 0 ? fopen(path, "r") : NULL;
	char text[512];
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	text[n] = '\0';
	if (f)
		fclose(f);
	/* 松: 100 is the segment's first (1 << 2: 4), 102 two on (8), 104 two
	   on in the title (2 << 2 | 2: a); 江: 103, the fourth (4 << 2 | 1: h) */
	ok(rc == 0 && strstr(text, "\"松\":\"48a\"") && strstr(text, "\"江\":\"h\""),
	   "the parts of a segment from document 100 joined");
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "%s", cmd);
}

/* Document i of the block tests' index into d: tokens every document
   has, some that a few have, and some that one in eleven has; edit, when
   not 0, makes another text of it. */
enum { EDIT_LONG = 4, EDIT_TITLE = 5, EDIT_CHAR = 6 };
static void
S_block_doc(size_t i, int edit, struct search_set *set, struct search_doc *d)
{
	static const char *const words[] = {"松江", "九亭", "泗泾", "佘山", "车墩", "新浜", "叶榭"};
	static const char *const edits[] = {"", "改过的一段", "又改了一次", "再改第三次"};
	struct buf text = BUF_INIT;
	/* EDIT_TITLE: a title of other words, with a Latin word, and a
	   number and a word in the text */
	buf_printf(&text, "### %s%s新闻%zu\n\n%s镇的正文%s，第%zu条。%s",
	           edit == EDIT_TITLE ? "Zebra 改题" : "", words[i % 7], i, words[(i * i) % 7],
	           i % 11 ? "" : "稀有词", i * 37,
	           edit < EDIT_LONG     ? edits[edit]
	           : edit == EDIT_TITLE ? "Nautilus 2024 号"
	           : edit == EDIT_CHAR  ? "改" /* a few tokens: a shard or two changed */
	                                : "");
	/* EDIT_LONG: 3,000 characters no other document has, and their
	   pairs, which the shards measure some 60 KB more by */
	for (uint32_t c = 0x4E00 + 3000; edit == EDIT_LONG && c < 0x4E00 + 6000; c++)
		txt_put(&text, c);
	buf_addc(&text, '\n');
	struct seg_page sp;
	seg_segment(text.data, 1, "p.txt", &sp);
	buf_release(&text);
	memset(d, 0, sizeof *d);
	search_doc_make(gz_chars(S_gz), &sp.v[0], NULL, set, d);
	seg_page_free(&sp);
}

/* The block tests' documents: BLOCK_N of them, 2 blocks and 52
   documents, the newest first; `added` more (2 at most) in front of them (the
   newest, documents 100,000 on); document i (of the BLOCK_N) made with
   edit[i] when edit is not NULL. */
enum { BLOCK_N = 2 * SEARCH_BLOCK + 52 };
/* The first document of the middle block and of the last (the oldest):
   the blocks count from the oldest document. */
enum { MID = 52, LAST = 52 + SEARCH_BLOCK };
struct block_docs {
	struct search_doc doc[BLOCK_N + 2];
	struct search_entry e[BLOCK_N + 2];
	struct search_doc *all[BLOCK_N + 2];
	size_t n;
};

static void
S_block_docs(struct block_docs *b, size_t added, const int *edit)
{
	/* a build frees its documents' tokens: made again for each */
	struct search_set *set = search_set_new();
	b->n = BLOCK_N + added;
	for (size_t k = 0; k < b->n; k++) {
		size_t i = k < added ? 100000 + k : k - added;
		S_block_doc(i, edit && k >= added ? edit[i] : 0, set, &b->doc[k]);
		b->e[k] = (struct search_entry){
		    &b->doc[k],  "标题", "articles/x.html", "2024-02-23",  "松江",
		    "songjiang", "",     "松江报",          "第01版 要闻", NULL};
		b->all[k] = &b->doc[k];
	}
	search_set_free(set);
}

static void
S_block_docs_free(struct block_docs *b)
{
	for (size_t k = 0; k < b->n; k++)
		search_doc_free(&b->doc[k]);
}

/* A segment's documents come in blocks of SEARCH_BLOCK, each a table of
   its own filled on one of the threads, its lists counted from its
   first document (its first posting the document + 1): the shards are
   the same however many threads fill them. */
static void
S_parts_tests(const char *dir, struct block_docs *b)
{
	static const int threads[] = {1, 2, 3, 7};
	char *one = NULL, name[32];
	struct buf want =
	    BUF_INIT; /* 稀有 in 0, 11, 22, ...: 0 (4: 0 + 1 << 2), then 11 on (44: Bc) */
	buf_adds(&want, "\"稀有\":\"4");
	for (size_t i = 11; i < BLOCK_N; i += 11)
		buf_adds(&want, "Bc");
	buf_adds(&want, "\"");
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
		S_block_docs(b, 0, NULL);
		struct search_stats st;
		snprintf(name, sizeof name, "threads-%d", threads[t]);
		char *made = S_shards_made(dir, name, b->e, b->n, threads[t], &st);
		if (t == 0)
			ok((one = made) && strstr(one, want.data) && strstr(one, "\"新闻\":\""),
			   "an index of %d documents (3 blocks) on one thread", BLOCK_N);
		else
			ok(one && made && !strcmp(one, made), "the same shards on %d threads",
			   threads[t]);
		if (t)
			free(made);
		S_block_docs_free(b);
	}
	free(one);
	buf_release(&want);
}

/* The number of files in the folder path. */
static size_t
S_files_in(const char *path)
{
	DIR *d = opendir(path);
	size_t n = 0;
	for (struct dirent *f; d && (f = readdir(d));)
		n += f->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The file of block k of b's documents (one segment) in the folder dir. */
static void
S_block_file_of(const char *dir, const struct block_docs *b, size_t k, char path[160])
{
	size_t bounds[2];
	search_block_bounds(0, b->n, k, bounds);
	snprintf(path, 160, "%s/%016" PRIx64, dir, search_block_key(b->all, bounds[0], bounds[1]));
}

/* Flips the byte `at` bytes from the end of the file at path: 0, or -1. */
static int
S_flip(const char *path, long at)
{
	FILE *f = fopen(path, "r+b");
	int rc = -1;
	if (f && fseek(f, -at, SEEK_END) == 0) {
		long pos = ftell(f);
		int c = fgetc(f);
		rc = c != EOF && fseek(f, pos, SEEK_SET) == 0 && fputc(c ^ 0x55, f) != EOF ? 0 : -1;
	}
	if (f && fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Zeroes the tokens of the block file at path, as a build writes it (its
   head's last number, 48 bytes in, says how many bytes they take after
   the head's 56), and writes its sum again, so that only what its tokens
   say is wrong: 0, or -1. */
static int
S_zero_tokens(const char *path)
{
	FILE *f = fopen(path, "r+b");
	char data[1 << 16];
	size_t n = f ? fread(data, 1, sizeof data, f) : 0;
	uint64_t tokbytes = 0, sum;
	if (n > 64 && n < sizeof data)
		memcpy(&tokbytes, data + 48, sizeof tokbytes);
	int rc = tokbytes && tokbytes < n - 64 ? 0 : -1;
	if (rc == 0) {
		memset(data + 56, 0, tokbytes);
		sum = util_mix(0, data, n - sizeof sum);
		memcpy(data + n - sizeof sum, &sum, sizeof sum);
		rc = fseek(f, 0, SEEK_SET) == 0 && fwrite(data, 1, n, f) == n ? 0 : -1;
	}
	if (f && fclose(f) != 0)
		rc = -1;
	return rc;
}

/* The file of block k of the documents S_block_docs(added, edit) makes
   (one segment), in the folder dir. */
static void
S_block_file(const char *dir, struct block_docs *b, size_t added, const int *edit, size_t k,
             char path[160])
{
	S_block_docs(b, added, edit);
	S_block_file_of(dir, b, k, path);
	S_block_docs_free(b);
}

/* How a step of S_blocks_tests made its segment: blocks read back,
   kept whole, patched, shards made again and shards. */
struct step {
	size_t kept, whole, patched, made, shards;
};

/* One step of S_blocks_tests: the index of the documents S_block_docs
   (added, edit) makes, built again in dir/out-kept (its blocks in
   dir/cache-kept/blocks), and built from nothing: whether their shards
   are the same; how the segment was made, in *sp. */
static int
S_block_step(const char *dir, struct block_docs *b, size_t added, const int *edit, struct step *sp)
{
	struct search_stats st, fresh_st;
	char cmd[256];
	S_block_docs(b, added, edit);
	char *again = S_shards_made(dir, "kept", b->e, b->n, 2, &st);
	S_block_docs_free(b);
	S_block_docs(b, added, edit);
	char *fresh = S_shards_made(dir, "fresh", b->e, b->n, 2, &fresh_st);
	S_block_docs_free(b);
	int same = again && fresh && !strcmp(again, fresh) && fresh_st.blocks_kept == 0 &&
	           st.shards == fresh_st.shards && st.tokens == fresh_st.tokens &&
	           st.bytes == fresh_st.bytes;
	*sp = (struct step){st.blocks_kept, st.kept, st.patched, st.shards_made, st.shards};
	free(again);
	free(fresh);
	snprintf(cmd, sizeof cmd, "rm -rf %s/out-fresh %s/cache-fresh", dir, dir);
	return system(cmd) == 0 && same;
}

/* A block's table is kept in the cache: a build with one document
   changed fills that document's block alone and patches the segment's
   shards: the last build's shards of the tokens whose lists changed are
   made again, the others kept, and they are what a build from nothing
   makes; a segment with more changed, or whose count of shards moves, is
   made whole, its unchanged blocks read back; blocks count from the
   oldest document, so an article added as the newest changes the newest
   block alone; a damaged, cut or misnamed block is filled again; the
   blocks the last build did not have are deleted when the next starts.
   The documents' blocks: 0 is [0, MID), 1 [MID, LAST), 2 [LAST, BLOCK_N). */
static void
S_blocks_tests(const char *dir, struct block_docs *b)
{
	static int edit[BLOCK_N];
	char blocks[128], path[160], other[160], cmd[400];
	struct step sp;
	snprintf(blocks, sizeof blocks, "%s/cache-kept/blocks", dir);

	int same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.kept == 0 && S_files_in(blocks) == 3,
	   "from nothing: 3 blocks filled and kept (%zu)", S_files_in(blocks));
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.whole == 1 && S_files_in(blocks) == 3,
	   "nothing changed: the segment kept whole, its blocks stay");

	/* the last document of the middle block, then the first of the last */
	edit[LAST - 1] = EDIT_CHAR;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1 && sp.kept == 0 && sp.made > 0 && sp.made < sp.shards &&
	       S_files_in(blocks) == 4,
	   "document %d changed: its block filled, the segment patched, %zu of %zu shards "
	   "made again, no other block read; 4 files (%zu)",
	   LAST - 1, sp.made, sp.shards, S_files_in(blocks));
	edit[LAST] = 2;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1 && sp.kept == 0 && S_files_in(blocks) == 4,
	   "document %d changed: patched (%zu shards made again); the first edit's old block "
	   "deleted (%zu files)",
	   LAST, sp.made, S_files_in(blocks));
	/* tokens of LAST's in a document of the block before it: postings
	   put in before those kept */
	edit[100] = 2;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1, "document 100 given %d's words: patched", LAST);
	edit[LAST] = 0; /* a token's list as it was two builds ago */
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1, "document %d changed back: patched", LAST);
	/* where the tokens stand, and Latin words and numbers */
	edit[LAST + 400] = EDIT_TITLE;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1, "document %d given a title and Latin words: patched",
	   LAST + 400);
	edit[LAST + 400] = 0;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 1, "... and without them again: patched");

	/* a shard of the last build gone, the last one, then the first: made
	   whole all the same */
	size_t shards = sp.shards, gone[] = {shards - 1, 0};
	for (size_t g = 0; g < 2; g++) {
		snprintf(path, sizeof path, "%s/out-kept/search/seg-0/shard-%zu.js", dir, gone[g]);
		int removed = unlink(path) == 0;
		edit[LAST + 401 + g] = 1;
		same = S_block_step(dir, b, 0, edit, &sp);
		ok(shards > 2 && removed && same && sp.patched == 0 && sp.shards == shards,
		   "shard-%zu of %zu of the last build gone: the segment made whole", gone[g],
		   shards);
	}

	/* two blocks of three */
	edit[MID + 250] = edit[LAST + 450] = 3;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 0 && sp.kept == 1,
	   "two blocks of three changed: the segment made whole, 1 block read back (%zu)", sp.kept);

	/* a change whose tokens move the count of shards */
	edit[MID + 350] = EDIT_LONG;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 0 && sp.kept == 2,
	   "a change that adds a shard: the segment made whole, 2 blocks read back (%zu)", sp.kept);
	edit[MID + 350] = 0;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && sp.patched == 0, "... and takes it away again: made whole");

	/* the last build's table of the block that changed, damaged: its
	   sum is the last 8 bytes */
	S_block_file(blocks, b, 0, edit, 1, path);
	edit[MID + 351] = 1;
	int flipped = S_flip(path, 9) == 0;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(flipped && same && sp.patched == 0 && sp.kept == 2,
	   "the changed block's last table damaged: the segment made whole (%zu read back)",
	   sp.kept);

	/* a block read back damaged, with two others changed */
	S_block_file(blocks, b, 0, edit, 0, path);
	edit[MID + 251] = edit[LAST + 451] = 1;
	flipped = S_flip(path, 9) == 0;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(flipped && same && sp.kept == 0, "a damaged block filled again: none read back (%zu)",
	   sp.kept);

	/* its tokens zeroed (lists of no bytes), with its sum right */
	S_block_file(blocks, b, 0, edit, 0, path);
	edit[MID + 252] = edit[LAST + 452] = 1;
	int zeroed = S_zero_tokens(path) == 0;
	same = S_block_step(dir, b, 0, edit, &sp);
	ok(zeroed && same && sp.kept == 0,
	   "a block whose tokens are not what a block's may be filled again: none read back "
	   "(%zu)",
	   sp.kept);

	/* the last block's file in the middle one's name, the last one cut;
	   an article added as the newest changes the first alone */
	S_block_file(blocks, b, 0, edit, 1, path);
	S_block_file(blocks, b, 0, edit, 2, other);
	snprintf(cmd, sizeof cmd, "cp %s %s", other, path);
	int copied = system(cmd) == 0;
	int cut = truncate(other, 100) == 0;
	same = S_block_step(dir, b, 1, edit, &sp);
	ok(copied && cut && same && sp.kept == 0,
	   "a block under another's name and a cut one filled again (%zu read back)", sp.kept);

	/* an article added as the newest */
	same = S_block_step(dir, b, 2, edit, &sp);
	ok(same && sp.kept == 2, "a document added as the newest: 2 of 3 blocks read back (%zu)",
	   sp.kept);
}

/* A block a dead build left half written is deleted when the next build
   starts; one a running build writes stays, and so does a file of
   another name. */
static void
S_writers_tests(const char *dir, struct block_docs *b)
{
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	int status;
	waitpid(child, &status, 0);
	char dead[200], alive[200], other[200];
	snprintf(dead, sizeof dead, "%s/cache-kept/blocks/00000000000000aa.new-%ld", dir,
	         (long)child);
	snprintf(alive, sizeof alive, "%s/cache-kept/blocks/00000000000000bb.new-%ld", dir,
	         (long)getppid());
	snprintf(other, sizeof other, "%s/cache-kept/blocks/00000000000000cc.new-x", dir);
	FILE *f;
	if ((f = fopen(dead, "w")))
		fclose(f);
	if ((f = fopen(alive, "w")))
		fclose(f);
	if ((f = fopen(other, "w")))
		fclose(f);
	struct step sp;
	static int edit[BLOCK_N];
	int same = S_block_step(dir, b, 0, edit, &sp);
	ok(same && access(dead, F_OK) != 0 && access(alive, F_OK) == 0 && access(other, F_OK) == 0,
	   "a dead writer's block deleted, a live one's and a stranger's kept");
	unlink(alive);
	unlink(other);
}

/* S_parts_tests, S_blocks_tests and S_writers_tests, in a folder of their
   own. */
static void
S_block_suite(void)
{
	char dir[] = "/tmp/baoku-search-XXXXXX";
	struct block_docs *b = xcalloc(1, sizeof *b);
	if (mkdtemp(dir)) {
		S_parts_tests(dir, b);
		S_blocks_tests(dir, b);
		S_writers_tests(dir, b);
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			ok(0, "%s", cmd);
	}
	free(b);
}

/* Documents of an earlier build (the page cache), one with a byte of its
   opening text changed (flip), built again with a title changed so that
   its docs file is written again while its segment is kept: with flip,
   the build fails and says the cache is damaged (st.damaged, which makes
   the build again without it); without, it succeeds. */
static void
S_snippet_tests(void)
{
	for (int flip = 0; flip <= 1; flip++) {
		char dir[] = "/tmp/baoku-search-XXXXXX";
		if (!mkdtemp(dir))
			return;
		struct block_docs *b = xcalloc(1, sizeof *b);
		struct search_stats st;
		S_block_docs(b, 0, NULL);
		char *first = S_shards_made(dir, "r", b->e, b->n, 2, &st);
		S_block_docs_free(b);
		S_block_docs(b, 0, NULL);
		char path[96];
		snprintf(path, sizeof path, "%s/tokens", dir);
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		size_t at = 8;
		for (size_t k = 0; k < b->n; k++) {
			struct search_doc *d = &b->doc[k];
			struct buf blob = BUF_INIT;
			search_doc_blob(d, &blob);
			uint32_t len = d->len, wlen = d->wlen, slen = d->slen;
			uint64_t hash = d->hash;
			if (flip && k == 5)
				blob.data[blob.len - 2] ^= 0x01;
			if (pwrite(fd, blob.data, blob.len, (off_t)at) != (ssize_t)blob.len)
				ok(0, "pwrite");
			search_doc_in_file(d, fd, at, len, wlen, slen, hash);
			at += blob.len;
			buf_release(&blob);
		}
		b->e[5].title = "新标题";
		char *again = S_shards_made(dir, "r", b->e, b->n, 2, &st);
		if (flip)
			ok(!again && st.damaged == 1,
			   "a damaged opening text of a page-cache document: the build fails "
			   "(%s) and says damaged (%d)",
			   again ? "no" : "yes", st.damaged);
		else
			ok(again && first && !strcmp(again, first) && st.kept == 1,
			   "an intact page cache: the segment kept, the docs file written");
		free(first);
		free(again);
		S_block_docs_free(b);
		free(b);
		close(fd);
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			ok(0, "%s", cmd);
	}
}

int
main(void)
{
	S_gz = gz_load("data");
	if (!ok(S_gz != NULL, "the gazetteer (with its folding table) loads"))
		return tap_done();
	is_str(S_tok("九亭镇"), "九 亭 九亭 镇 亭镇", "characters and neighbouring pairs");
	is_str(S_tok("楊浦區"), "杨 浦 杨浦 区 浦区", "traditional folds to simplified");
	is_str(S_tok("G60 科创走廊 2024年"), "g60 科 创 科创 走 创走 廊 走廊 2024 年",
	       "Latin words and numbers whole, lower case; other characters break runs");
	is_str(S_tok("ＡＢＣ１２３，松江"), "abc123 松 江 松江", "full width folds to ASCII");
	is_str(S_tok("“，。——"), "", "punctuation gives no tokens");

	/* one document's tokens */
	struct seg_page sp;
	seg_segment("### 九亭镇新闻\n\n■记者 陈涛\n\n正文在松江，G60 走廊。\n", 1, "t.txt", &sp);
	struct search_doc d1 = {0}, d2 = {0};
	struct search_set *set = search_set_new();
	ok(sp.n == 1, "the test page is one article");
	json_t *district =
	    json_pack("{s:s,s:n,s:s,s:n,s:s,s:s}", "group", "松江", "subgroup", "county", "松江区",
	              "city", "province", "上海市", "code", "310117000000");
	const char *fields[SEARCH_FIELDS];
	search_fields_of(district, "松江报", "要闻", fields);
	ok(!strcmp(fields[0], "松江") && !strcmp(fields[1], "松江区") &&
	       !strcmp(fields[2], "上海市") && !strcmp(fields[3], "松江报") &&
	       !strcmp(fields[4], "要闻") && !fields[5],
	   "an article's fields: its place's names at every level, its paper, its section");
	json_t *unplaced = json_pack("{s:s,s:n}", "group", "未分区", "code");
	const char *none[SEARCH_FIELDS];
	search_fields_of(unplaced, NULL, NULL, none);
	ok(!none[0], "未分区 is no place to be found by");
	json_decref(unplaced);
	search_doc_make(gz_chars(S_gz), &sp.v[0], fields, set, &d1);
	json_decref(district);
	struct buf scratch = BUF_INIT;
	const unsigned char *k1;
	const char *w1, *s1;
	ok(d1.len > 10 && search_doc_tokens(&d1, &scratch, &k1, &w1) == 0 && !strcmp(w1, "g60") &&
	       search_doc_snippet(&d1, &scratch, &s1) == 0 &&
	       !strcmp(s1, "正文在松江，G60 走廊。") && d1.slen == strlen(s1),
	   "a document keeps its tokens, its Latin words and its opening text");
	buf_release(&scratch);
	seg_page_free(&sp);
	seg_segment("### 别的新闻\n\n正文。\n", 1, "u.txt", &sp);
	search_doc_make(gz_chars(S_gz), &sp.v[0], NULL, set, &d2);
	seg_page_free(&sp);

	/* indexed, a document in memory lets go of its tokens; written, of
	   its snippet */
	struct search_doc d3 = {0};
	seg_segment("### 第三篇\n\n第三篇的正文在嘉兴，G60 走廊。\n", 1, "v.txt", &sp);
	search_doc_make(gz_chars(S_gz), &sp.v[0], NULL, set, &d3);
	seg_page_free(&sp);
	struct buf b3 = BUF_INIT, whole = BUF_INIT;
	const char *s3;
	search_doc_snippet(&d3, &b3, &s3);
	char *kept = strdup(s3);
	uint32_t slen3 = d3.slen;
	search_doc_forget_tokens(&d3);
	ok(d3.len == 0 && d3.wlen == 0 && slen3 > 0 && d3.slen == slen3 &&
	       search_doc_snippet(&d3, &b3, &s3) == 0 && !strcmp(s3, kept) &&
	       search_doc_blob(&d3, &whole) == 0 && whole.len == 8 + slen3 &&
	       !memcmp(whole.data + 8, kept, slen3),
	   "indexed, a document in memory lets go of its tokens and keeps its snippet");
	search_doc_forget(&d3);
	buf_reset(&whole);
	ok(d3.slen == 0 && search_doc_snippet(&d3, &b3, &s3) == 0 && !*s3 &&
	       search_doc_blob(&d3, &whole) == 0 && whole.len == 8,
	   "written, its snippet too");
	search_doc_free(&d3);
	free(kept);
	buf_release(&b3);
	buf_release(&whole);
	search_set_free(set);

	/* the index files: 41 documents, the first and the last d1 */
	char dir[] = "/tmp/baoku-search-XXXXXX";
	if (!mkdtemp(dir))
		return tap_done();
	char out_dir[64];
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	char cache_dir[64];
	snprintf(cache_dir, sizeof cache_dir, "%s/cache", dir);
	struct output *out = out_open(out_dir, cache_dir);
	struct search_entry e[41];
	for (size_t i = 0; i < 41; i++)
		e[i] = (struct search_entry){i == 0 || i == 40 ? &d1 : &d2,
		                             "标题",
		                             "articles/x.html",
		                             "2024-02-23",
		                             "松江",
		                             "songjiang",
		                             "陈涛",
		                             "松江报",
		                             "第01版 要闻",
		                             "papers/song-jiang-bao/index.html"};
	/* d2's tokens put aside in a file, and read back */
	char spill_path[64];
	snprintf(spill_path, sizeof spill_path, "%s/spill", dir);
	int spill = open(spill_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	atomic_size_t spill_size;
	atomic_init(&spill_size, 3); /* not at 0: offsets are kept */
	struct buf want = BUF_INIT, got = BUF_INIT, snippet = BUF_INIT;
	const unsigned char *k2;
	const char *w2, *s2;
	search_doc_tokens(&d2, &got, &k2, &w2);
	buf_add(&want, k2, d2.len);
	buf_add(&want, w2, d2.wlen);
	search_doc_snippet(&d2, &got, &s2);
	buf_adds(&snippet, s2);
	struct spill writer;
	spill_init(&writer, spill, &spill_size);
	struct stat file;
	ok(search_doc_spill(&d2, &writer) == 0 && d2.spilled && d2.at == 3 &&
	       spill_end(&writer) == 0 && fstat(spill, &file) == 0 &&
	       (size_t)file.st_size == 3 + want.len + 8 + snippet.len,
	   "a document's tokens and snippet are put aside in a file");
	const unsigned char *keys;
	const char *words;
	ok(search_doc_tokens(&d2, &got, &keys, &words) == 0 && !memcmp(keys, want.data, d2.len) &&
	       !memcmp(words, want.data + d2.len, d2.wlen),
	   "and read back as they were");
	const char *snip;
	ok(search_doc_snippet(&d2, &got, &snip) == 0 && snippet.len > 0 &&
	       !strcmp(snip, snippet.data),
	   "its snippet too");
	/* the same bytes as an earlier build's, checked by their hash */
	uint64_t lens[2] = {d2.len, d2.wlen};
	uint64_t hash = search_doc_hash(lens, (const unsigned char *)want.data, want.data + d2.len,
	                                snippet.data, snippet.len);
	struct search_doc old = {0}, wrong = {0};
	search_doc_in_file(&old, spill, 3, d2.len, d2.wlen, (uint32_t)snippet.len, hash);
	search_doc_in_file(&wrong, spill, 3, d2.len, d2.wlen, (uint32_t)snippet.len, hash ^ 1);
	ok(search_doc_tokens(&old, &got, &keys, &words) == 0 && !memcmp(keys, want.data, d2.len) &&
	       !memcmp(words, want.data + d2.len, d2.wlen),
	   "a document an earlier build put aside reads back when its hash says so");
	ok(search_doc_tokens(&wrong, &got, &keys, &words) == SEARCH_DAMAGED,
	   "and is damaged when it does not");
	char was, other;
	ok(pread(spill, &was, 1, 4) == 1 && (other = (char)(was ^ 0x20), 1) &&
	       pwrite(spill, &other, 1, 4) == 1 &&
	       search_doc_tokens(&old, &got, &keys, &words) == SEARCH_DAMAGED &&
	       pwrite(spill, &was, 1, 4) == 1,
	   "as when a byte of it changed");
	ok(search_doc_tokens(&d2, &got, &keys, &words) == 0,
	   "while one this build put aside is read without its hash");
	buf_release(&want);
	buf_release(&got);
	buf_release(&snippet);

	struct search_stats st;
	struct search_entries entries = search_entries_of(e, 41);
	ok(search_build(gz_chars(S_gz), &entries, out, NULL, 2, &st) == 0, "the index is written");
	ok(st.docs == 41 && st.shards == 1 && st.tokens > 10 && st.bytes > 0,
	   "with its figures (%zu tokens, %zu bytes)", st.tokens, st.bytes);
	out_commit(out);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/search/seg-0/shard-0.js", out_dir);
	FILE *f = fopen(path.data, "r");
	char line[65536];
	size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	line[n] = '\0';
	if (f)
		fclose(f);
	ok(!strncmp(line, "baokuSearch.shard(0,0,{", 23), "a shard registers itself when loaded");
	ok(strstr(line, "\"九亭\":\"6F2\"") != NULL,
	   "postings: document 0 with the title bit (1 << 2 | 2: 6), then 40 on (162: F 2)");
	ok(strstr(line, "\"走廊\":\"4F0\"") != NULL, "a token of the text alone has neither bit");
	ok(strstr(line, "\"要闻\":\"5F1\"") != NULL && strstr(line, "\"陈涛\":\"5F1\"") != NULL &&
	       strstr(line, "\"上海\":\"5F1\"") != NULL,
	   "the section, a reporter and the province have the field bit");
	ok(strstr(line, "\"新闻\":\"6666") != NULL, "a token of every title");
	ok(strstr(line, "\"g60\":\"4F0\"") != NULL, "Latin words are tokens by their text");
	buf_reset(&path);
	buf_printf(&path, "%s/search/meta.js", out_dir);
	f = fopen(path.data, "r");
	n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	line[n] = '\0';
	if (f)
		fclose(f);
	ok(strstr(line, "\"groups\":[[\"songjiang\",\"松江\"]]") &&
	       strstr(line, "\"years\":[\"2024\"]"),
	   "meta.js lists the groups and years");
	ok(strstr(line, "\"papers\":[[\"松江报\",\"papers/song-jiang-bao/index.html\"]]") &&
	       strstr(line, "\"segs\":[[0,41,1]]"),
	   "and the papers, with their pages, and the segments: number, documents, shards");
	buf_reset(&path);
	buf_printf(&path, "%s/search/seg-0/meta.js", out_dir);
	f = fopen(path.data, "r");
	n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	line[n] = '\0';
	if (f)
		fclose(f);
	ok(!strcmp(line,
	           "baokuSearch.segmeta(0,{\"g\":\"11111111111111111111111111111111111111111\","
	           "\"y\":\"11111111111111111111111111111111111111111\","
	           "\"p\":\"11111111111111111111111111111111111111111\"});\n"),
	   "a segment's facets: each document's group, year and paper, + 1");
	buf_reset(&path);
	buf_printf(&path, "%s/search/seg-0/docs-2.js", out_dir);
	f = fopen(path.data, "r");
	n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	line[n] = '\0';
	if (f)
		fclose(f);
	ok(!strncmp(line, "baokuSearch.docs(0,2,[[", 23),
	   "documents come %d a file, counted from their segment's first", SEARCH_DOC_CHUNK);
	buf_release(&path);
	search_doc_free(&d1);
	search_doc_free(&d2);
	close(spill);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	S_segment_tests();
	S_kept_tests();
	S_join_tests();
	S_block_suite();
	S_snippet_tests();
	gz_free(S_gz);
	return tap_done();
}

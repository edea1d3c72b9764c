/*
 * gazetteer_image: the gazetteer as gz_load builds it, kept in the cache
 * directory as "gazetteer", so that the next build reads one file instead
 * of parsing four and building the trie again (12 ms warm, 25-40 ms in a
 * fresh process, in every rebuild).
 *
 * The file holds, each part from a multiple of 8 bytes (zeros between):
 *
 *   struct image_head: IMAGE_MAGIC, then the size of each part;
 *   the stamp: what the image was made from, as text (S_stamp);
 *   the units as struct image_unit, their names as offsets into
 *   the units' strings, each ended by a NUL (the first is "");
 *   the trie's nodes, root steps, edges, edge bits and patterns, each
 *   unit's units_of and ancestors, as the gazetteer holds them;
 *   the character tables: t2s, then each character's pinyin as an
 *   offset into the pinyin strings (IMAGE_NONE for none), and those;
 *   a sum of all that comes before (util_mix, 64 bits).
 *
 * Numbers are as this machine writes them: the cache is the machine's
 * own. An image whose sum, sizes or stamp are not right is as none: the
 * gazetteer is loaded from the TSV files again, and a new image written.
 */
#include "gazetteer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "chars.h"
#include "fingerprint.h"
#include "output.h"
#include "util.h"
#include "xalloc.h"

#define IMAGE_NAME  "gazetteer"
#define IMAGE_MAGIC "baokuGZ1"
/* a change to what the image holds, or how, is a change of this */
#define IMAGE_VERSION 1
#define IMAGE_NONE    UINT32_MAX
/* an image is a few megabytes; a file far larger is no image */
#define IMAGE_MAX ((size_t)1 << 30)

struct image_head {
	char magic[8];
	uint64_t stamp;    /* bytes of the stamp */
	uint64_t units;    /* units, and so their ancestors */
	uint64_t strings;  /* bytes of the units' strings */
	uint64_t nodes;    /* of the trie */
	uint64_t edges;    /* slots of the edges' hash */
	uint64_t pats;     /* patterns */
	uint64_t units_of; /* the patterns' units */
	uint64_t pinyin;   /* bytes of the pinyin strings */
};

struct image_unit {
	uint64_t code;
	int32_t parent;
	uint8_t level, slug_taken, pad[2];
	uint32_t name, shortname, slug; /* offsets into the strings */
};

/* The files gz_load reads: chars_load's two, then its own. */
static const char *const S_files[] = {"t2s.tsv", "pinyin.tsv", "gazetteer.tsv", "names.tsv"};

/* ---------------------------------------------------------------------
 * The stamp
 * ------------------------------------------------------------------- */

/* A hash of the sizes of what the image holds as this program lays it
   out: another compiler's or version's layout is another image. */
static uint64_t
S_layout(void)
{
	const uint64_t sizes[] = {sizeof(struct image_head),
	                          sizeof(struct image_unit),
	                          sizeof(struct node),
	                          sizeof(struct step),
	                          sizeof(struct pattern),
	                          sizeof(int32_t[4]),
	                          NHAN,
	                          EDGE_BITS};
	return util_mix(0, sizes, sizeof sizes);
}

/*
 * What an image of the gazetteer in dir must have been made from, as
 * text: the program and the data files as the build's fingerprint gives
 * them (fp_begin: the version and the program's size, times and inode;
 * fp_file: each file's), the image's version and its layout. Taken
 * before the files are read, so that a file changed meanwhile makes the
 * image the next build does not trust.
 */
static void
S_stamp(const char *dir, struct buf *out)
{
	struct fingerprint fp = FP_INIT;
	struct buf path = BUF_INIT;
	fp_begin(&fp, 0, 0); /* the options change nothing of the gazetteer */
	for (size_t i = 0; i < sizeof S_files / sizeof *S_files; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, S_files[i]);
		fp_file(&fp, "data", path.data, path.data);
	}
	buf_printf(&fp.text, "image %d layout %016llx\n", IMAGE_VERSION,
	           (unsigned long long)S_layout());
	buf_add(out, fp.text.data, fp.text.len);
	buf_release(&path);
	fp_free(&fp);
}

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------- */

/* Appends len bytes at p, then zeros up to a multiple of 8. */
static void
S_part(struct buf *b, const void *p, size_t len)
{
	buf_add(b, p, len);
	while (b->len % 8)
		buf_addc(b, 0);
}

/* The offset of s among strings, added there (the empty string is the
   first, at 0). */
static uint32_t
S_string(struct buf *strings, const char *s)
{
	size_t at = strings->len;
	if (!*s)
		return 0;
	buf_add(strings, s, strlen(s) + 1);
	return (uint32_t)at;
}

/* The units as the image holds them, into units, their strings into
   strings. */
static void
S_put_units(const struct gazetteer *gz, struct buf *units, struct buf *strings)
{
	buf_addc(strings, 0);
	for (size_t i = 0; i < gz->n; i++) {
		const struct gz_unit *u = &gz->u[i];
		struct image_unit iu;
		memset(&iu, 0, sizeof iu); /* the padding too: one gazetteer, one image */
		iu.code = u->code;
		iu.parent = u->parent;
		iu.level = u->level;
		iu.slug_taken = u->slug_taken;
		iu.name = S_string(strings, u->name);
		iu.shortname = S_string(strings, u->shortname);
		iu.slug = S_string(strings, u->slug);
		buf_add(units, &iu, sizeof iu);
	}
}

/* Each character's pinyin as an offset into strings, into offsets. */
static void
S_put_pinyin(const struct chars *c, struct buf *offsets, struct buf *strings)
{
	buf_addc(strings, 0);
	for (uint32_t cp = HAN_FIRST; cp <= HAN_LAST; cp++) {
		const char *py = chars_pinyin(c, cp);
		uint32_t at = py ? S_string(strings, py) : IMAGE_NONE;
		buf_add(offsets, &at, sizeof at);
	}
}

/* The image of gz, made from what stamp says, into b. */
static void
S_image(const struct gazetteer *gz, const struct buf *stamp, struct buf *b)
{
	struct buf units = BUF_INIT, strings = BUF_INIT, pinyin = BUF_INIT,
	           pinyin_strings = BUF_INIT;
	S_put_units(gz, &units, &strings);
	S_put_pinyin(gz->chars, &pinyin, &pinyin_strings);
	struct image_head h = {.stamp = stamp->len,
	                       .units = gz->n,
	                       .strings = strings.len,
	                       .nodes = gz->nnodes,
	                       .edges = gz->nedges,
	                       .pats = gz->npats,
	                       .units_of = gz->nunits_of,
	                       .pinyin = pinyin_strings.len};
	memcpy(h.magic, IMAGE_MAGIC, sizeof h.magic);
	/* room for it all at once: the image is megabytes */
	const size_t parts[] = {sizeof h,
	                        stamp->len,
	                        units.len,
	                        strings.len,
	                        gz->nnodes * sizeof *gz->nodes,
	                        NHAN * sizeof *gz->root,
	                        gz->nedges * sizeof *gz->edges,
	                        EDGE_BITS / 64 * sizeof *gz->edge_bits,
	                        gz->npats * sizeof *gz->pats,
	                        gz->nunits_of * sizeof *gz->units_of,
	                        gz->n * sizeof *gz->up,
	                        NHAN * sizeof *gz->t2s,
	                        pinyin.len,
	                        pinyin_strings.len,
	                        sizeof(uint64_t)};
	size_t total = 0;
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		total += (parts[i] + 7) / 8 * 8;
	buf_grow(b, total);
	S_part(b, &h, sizeof h);
	S_part(b, stamp->data, stamp->len);
	S_part(b, units.data, units.len);
	S_part(b, strings.data, strings.len);
	S_part(b, gz->nodes, gz->nnodes * sizeof *gz->nodes);
	S_part(b, gz->root, NHAN * sizeof *gz->root);
	S_part(b, gz->edges, gz->nedges * sizeof *gz->edges);
	S_part(b, gz->edge_bits, EDGE_BITS / 64 * sizeof *gz->edge_bits);
	S_part(b, gz->pats, gz->npats * sizeof *gz->pats);
	S_part(b, gz->units_of, gz->nunits_of * sizeof *gz->units_of);
	S_part(b, gz->up, gz->n * sizeof *gz->up);
	S_part(b, gz->t2s, NHAN * sizeof *gz->t2s);
	S_part(b, pinyin.data, pinyin.len);
	S_part(b, pinyin_strings.data, pinyin_strings.len);
	uint64_t sum = util_mix(0, b->data, b->len);
	buf_add(b, &sum, sizeof sum);
	buf_release(&units);
	buf_release(&strings);
	buf_release(&pinyin);
	buf_release(&pinyin_strings);
}

/* Writes the image of gz for the next build (a warning when it cannot
   be: the next build then parses the TSV files again). */
static void
S_save(const struct gazetteer *gz, struct output *out, const struct buf *stamp)
{
	struct buf b = BUF_INIT;
	FILE *f = out_cache_create(out, IMAGE_NAME);
	if (!f)
		return;
	S_image(gz, stamp, &b);
	/* a short write leaves the file's error set, which out_cache_done
	   reports */
	(void)!fwrite(b.data, 1, b.len, f);
	out_cache_done(out, IMAGE_NAME, f);
	buf_release(&b);
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */

/* The parts of an image, taken in turn: each is count things of size
   bytes, and must fit in what is left before the sum. */
struct parts {
	char *b;
	size_t at, end;
	int bad; /* a part did not fit */
};

/* The next part, or NULL (and bad set) when it does not fit. */
static void *
S_take(struct parts *p, uint64_t count, size_t size)
{
	if (p->bad || count > (p->end - p->at) / size) {
		p->bad = 1;
		return NULL;
	}
	void *at = p->b + p->at;
	p->at += (size_t)count * size;
	p->at += (8 - p->at % 8) % 8;
	p->bad = p->at > p->end;
	return at;
}

/* Whether the n bytes at s are strings ended by a NUL, the last too. */
static int
S_strings_end(const char *s, uint64_t n)
{
	return n > 0 && s[n - 1] == '\0';
}

/* Whether the image's counts are those of a gazetteer gz_load could
   have built: a matcher whose edges' hash has room (a probe ends at an
   empty slot) and whose nodes fit an edge. */
static int
S_counts_fit(const struct image_head *h)
{
	return h->units <= INT32_MAX && h->nodes >= 1 && h->nodes <= EDGE_CHILD && h->edges >= 16 &&
	       !(h->edges & (h->edges - 1)) && h->edges >= 2 * h->nodes && h->pats <= INT32_MAX &&
	       h->units_of <= INT32_MAX && h->strings <= UINT32_MAX && h->pinyin <= UINT32_MAX;
}

/* The units from their image, their names made pointers into strings:
   0, or -1 when an offset or a parent is out of bounds. */
static int
S_get_units(struct gazetteer *gz, const struct image_unit *iu, const char *strings,
            uint64_t nstrings)
{
	gz->u = xmalloc((gz->n ? gz->n : 1) * sizeof *gz->u);
	for (size_t i = 0; i < gz->n; i++) {
		const struct image_unit *s = &iu[i];
		if (s->name >= nstrings || s->shortname >= nstrings || s->slug >= nstrings ||
		    s->parent < -1 || s->parent >= (int64_t)gz->n)
			return -1;
		gz->u[i] = (struct gz_unit){.code = s->code,
		                            .parent = s->parent,
		                            .level = s->level,
		                            .slug_taken = s->slug_taken,
		                            .name = strings + s->name,
		                            .shortname = strings + s->shortname,
		                            .slug = strings + s->slug};
	}
	return 0;
}

/* The pinyin table from its image's offsets into strings: 0, or -1
   when one is out of bounds. */
static int
S_get_pinyin(struct gazetteer *gz, const uint32_t *offsets, const char *strings, uint64_t nstrings)
{
	gz->pinyin = xmalloc(NHAN * sizeof *gz->pinyin);
	for (size_t i = 0; i < NHAN; i++) {
		if (offsets[i] != IMAGE_NONE && offsets[i] >= nstrings)
			return -1;
		gz->pinyin[i] = offsets[i] == IMAGE_NONE ? NULL : strings + offsets[i];
	}
	return 0;
}

/* Whether every index the matcher follows stays in its array: each
   node's children, pattern and each root step's, each edge's child, at
   least one empty edge slot (a probe ends there), each pattern's units
   and each unit's ancestors. One pass, well under a millisecond: an
   image whose sum is right is this program's own, but a cache is no
   reason to crash. */
static int
S_trie_fits(const struct gazetteer *gz)
{
	size_t nn = gz->nnodes, np = gz->npats, nu = gz->n;
	for (size_t i = 0; i < nn; i++) {
		const struct node *n = &gz->nodes[i];
		if ((n->nchild && (n->first < 1 || (size_t)n->first + n->nchild > nn)) ||
		    n->pat < -1 || (n->pat >= 0 && (size_t)n->pat >= np))
			return 0;
	}
	for (size_t i = 0; i < NHAN; i++) {
		const struct step *st = &gz->root[i];
		if (st->child < -1 || (st->child >= 0 && (size_t)st->child >= nn) || st->pat < -1 ||
		    (st->pat >= 0 && (size_t)st->pat >= np))
			return 0;
	}
	size_t empty = 0;
	for (size_t i = 0; i < gz->nedges; i++) {
		uint64_t e = gz->edges[i];
		if (!e)
			empty++;
		else if ((e & EDGE_CHILD) >= nn || (e >> 42) >= nn)
			return 0;
	}
	if (!empty)
		return 0;
	for (size_t i = 0; i < np; i++) {
		const struct pattern *p = &gz->pats[i];
		if (p->first < 0 || p->count < 0 ||
		    (size_t)p->first + (size_t)p->count > gz->nunits_of)
			return 0;
	}
	for (size_t i = 0; i < gz->nunits_of; i++)
		if (gz->units_of[i] < 0 || (size_t)gz->units_of[i] >= nu)
			return 0;
	for (size_t i = 0; i < nu; i++)
		for (int l = 0; l < 4; l++)
			if (gz->up[i][l] < -1 || (gz->up[i][l] >= 0 && (size_t)gz->up[i][l] >= nu))
				return 0;
	return 1;
}

/*
 * The gazetteer in the image of len bytes mapped at b (which it takes:
 * unmapped with it, or here when it is no image of what stamp
 * describes), or NULL. Nothing of the image is trusted before its sum,
 * its stamp and the sizes of its parts are checked.
 */
static struct gazetteer *
S_open(char *b, size_t len, const struct buf *stamp)
{
	struct gazetteer *gz = xcalloc(1, sizeof *gz);
	struct image_head h;
	uint64_t sum;
	gz->image = b;
	gz->image_len = len;
	memcpy(&sum, b + len - sizeof sum, sizeof sum);
	memcpy(&h, b, sizeof h);
	if (util_mix(0, b, len - sizeof sum) != sum ||
	    memcmp(h.magic, IMAGE_MAGIC, sizeof h.magic) || !S_counts_fit(&h))
		goto bad;
	struct parts p = {.b = b, .end = len - sizeof sum};
	S_take(&p, 1, sizeof h);
	const char *stamp_of = S_take(&p, h.stamp, 1);
	if (p.bad || h.stamp != stamp->len || memcmp(stamp_of, stamp->data, stamp->len))
		goto bad;
	const struct image_unit *units = S_take(&p, h.units, sizeof *units);
	const char *strings = S_take(&p, h.strings, 1);
	gz->nodes = S_take(&p, h.nodes, sizeof *gz->nodes);
	gz->root = S_take(&p, NHAN, sizeof *gz->root);
	gz->edges = S_take(&p, h.edges, sizeof *gz->edges);
	gz->edge_bits = S_take(&p, EDGE_BITS / 64, sizeof *gz->edge_bits);
	gz->pats = S_take(&p, h.pats, sizeof *gz->pats);
	gz->units_of = S_take(&p, h.units_of, sizeof *gz->units_of);
	gz->up = S_take(&p, h.units, sizeof *gz->up);
	uint32_t *t2s = S_take(&p, NHAN, sizeof *t2s);
	const uint32_t *pinyin = S_take(&p, NHAN, sizeof *pinyin);
	const char *pinyin_strings = S_take(&p, h.pinyin, 1);
	if (p.bad || p.at != p.end || !S_strings_end(strings, h.strings) ||
	    !S_strings_end(pinyin_strings, h.pinyin))
		goto bad;
	gz->n = (size_t)h.units;
	gz->nnodes = (size_t)h.nodes;
	gz->nedges = (size_t)h.edges;
	gz->npats = (size_t)h.pats;
	gz->nunits_of = (size_t)h.units_of;
	if (S_get_units(gz, units, strings, h.strings) < 0 ||
	    S_get_pinyin(gz, pinyin, pinyin_strings, h.pinyin) < 0 || !S_trie_fits(gz))
		goto bad;
	gz->chars = chars_borrow(t2s, gz->pinyin);
	gz->t2s = t2s;
	return gz;
bad:
	gz_free(gz);
	return NULL;
}

/* The gazetteer from the image the last build left, or NULL when there
   is none fit to use. */
static struct gazetteer *
S_load(struct output *out, const struct buf *stamp)
{
	size_t len = 0;
	char *b = out_cache_map(out, IMAGE_NAME, IMAGE_MAX, &len);
	if (b && (len < sizeof(struct image_head) + sizeof(uint64_t) || len % 8)) {
		util_unmap(b, len); /* no image by its size */
		b = NULL;
	}
	return b ? S_open(b, len, stamp) : NULL;
}

struct gazetteer *
gz_load_cached(const char *dir, struct output *out, int fresh)
{
	/* without the program's own file, an image could be another
	   program's: none is read or written */
	struct stat self;
	if (stat("/proc/self/exe", &self) < 0)
		return gz_load(dir);
	struct buf stamp = BUF_INIT;
	S_stamp(dir, &stamp);
	struct gazetteer *gz = fresh ? NULL : S_load(out, &stamp);
	if (!gz && (gz = gz_load(dir)))
		S_save(gz, out, &stamp);
	buf_release(&stamp);
	return gz;
}

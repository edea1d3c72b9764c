/*
 * gazetteer_int: what the two parts of the gazetteer module share:
 *
 *   gazetteer.c        loading the TSV files, building the trie, matching
 *   gazetteer_image.c  the gazetteer as built, kept in the cache
 *                      directory and loaded from there by the next build
 */
#ifndef BAOKU_GAZETTEER_INT_H
#define BAOKU_GAZETTEER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "chars.h"
#include "gazetteer.h"

#define HAN_FIRST CHARS_FIRST
#define HAN_LAST  CHARS_LAST
#define NHAN      (HAN_LAST - HAN_FIRST + 1)

/* A node's number, and so an edge's child, fits in 21 bits. */
#define EDGE_CHILD ((1UL << 21) - 1)

/* The bits of struct gazetteer's edge_bits. */
#define EDGE_BITS ((size_t)1 << 21)

struct node {
	uint32_t cp;   /* the code point leading here */
	int32_t first; /* first child; the children are contiguous, by cp */
	uint32_t nchild;
	int32_t pat;   /* pattern ending here, or -1 */
	uint64_t kids; /* bit S_kid_bit(cp) set for each child's cp: most
	                  characters after a name's first have no edge, and
	                  this says so without a probe of the edges' hash */
};

/* A step from the root: the child, and what matching next needs of it
   (its pattern and its children's mask), in one place. */
struct step {
	int32_t child; /* or -1 */
	int32_t pat;
	uint64_t kids;
};

struct pattern {
	int32_t first, count; /* in units_of */
	int is_short;         /* every unit of it is named by a short form */
};

/*
 * Loaded from the TSV files, every array is an allocation of its own;
 * loaded from an image (gazetteer_image.c), image holds the file and the
 * arrays from nodes to up point into it, while u and pinyin are made
 * apart (their pointers are the image's offsets made whole).
 */
struct gazetteer {
	char *data;  /* gazetteer.tsv, its fields NUL-terminated in place */
	char *names; /* names.tsv, likewise */
	struct gz_unit *u;
	size_t n;
	struct chars *chars;
	const uint32_t *t2s; /* chars_t2s(chars), folded inline in the matcher */
	struct node *nodes;
	size_t nnodes, capnodes;
	/* the first step from the root for each of U+4E00..U+9FFF, folded
	   (see struct step): most positions of a text stop there */
	struct step *root;
	/* every other edge, hashed: (parent << 21 | cp) << 21 | child, one
	   word so that a probe touches one cache line (a character is never
	   0, so neither is an edge); 0 for an empty slot; nedges slots, a
	   power of 2 */
	uint64_t *edges;
	size_t nedges;
	/* a bit for each edge, by a hash of its key: most characters follow
	   no name's prefix, and this says so from 256 KB instead of the
	   edges' megabytes */
	uint64_t *edge_bits;
	struct pattern *pats;
	size_t npats, cappats;
	int32_t *units_of;   /* the units of every pattern, contiguous, */
	size_t nunits_of;    /* ... one for each row of names.tsv */
	int32_t (*up)[4];    /* each unit's ancestor at levels 1 to 4, or -1 */
	char *folded;        /* the names that fold to another form, folded */
	char *image;         /* the image it was loaded from, mapped, or NULL */
	size_t image_len;    /* ... its bytes */
	const char **pinyin; /* from an image: the pinyin table chars borrows */
};

#endif

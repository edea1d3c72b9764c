/*
 * gazetteer: China's administrative divisions, and finding their names in
 * text.
 *
 * data/gazetteer.tsv holds every province (level 1), prefecture-level city
 * (2), county-level unit (3) and township or street (4) with its code, its
 * parent, its name, the short form people say (松江 for 松江区, 嘉兴 for
 * 嘉兴市; none for common words such as 和平) and a pinyin slug.
 * Text and names are folded with the character tables (chars.h) first,
 * so 嘉興市 and 楊浦 match too.
 *
 * All names are found in one pass over the text with a trie over code
 * points; where names overlap the leftmost longest wins (中山街道, not
 * 中山).
 */
#ifndef BAOKU_GAZETTEER_H
#define BAOKU_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

struct gz_unit {
	uint64_t code;
	int32_t parent;                      /* index of the parent unit, -1 for a province */
	uint8_t level;                       /* 1 province, 2 city, 3 county, 4 township */
	uint8_t slug_taken;                  /* a group whose slug a lower code's group has */
	const char *name, *shortname, *slug; /* "" when none */
};

/* Whether a province code is one of the four municipalities (北京, 天津,
   上海, 重庆), whose districts are browsed like other provinces' cities. */
int gz_municipality(uint64_t province_code);

struct gazetteer;
struct chars;

/* One name found in a text. */
struct gz_hit {
	size_t start, end;    /* byte offsets in the text */
	const int32_t *units; /* the units the name may mean */
	size_t nunits;
	int is_short; /* a short form (松江), not the full name */
};

/*
 * Loads dir/gazetteer.tsv and dir/names.tsv, and the character tables
 * from dir (chars_load), and builds the matcher. Returns NULL after
 * reporting a missing or malformed file. Free with gz_free.
 */
struct gazetteer *gz_load(const char *dir);

struct output;

/*
 * The same, for a build: from the image of the gazetteer the last build
 * kept in the cache directory of out (gazetteer_image.c), when it was
 * made from these files by this program and is whole; else with gz_load,
 * keeping its image for the next build (a warning when it cannot be
 * written); with fresh (--force), from the files whatever the cache
 * holds. Without /proc/self/exe, which names the program the image must
 * have been made by, no image is read or written. Returns NULL after
 * reporting, as gz_load. Free with gz_free.
 */
struct gazetteer *gz_load_cached(const char *dir, struct output *out, int fresh);

void gz_free(struct gazetteer *gz);

/* The units, gz_count of them. */
const struct gz_unit *gz_units(const struct gazetteer *gz);
size_t gz_count(const struct gazetteer *gz);

/*
 * Finds the gazetteer names in text (len bytes of UTF-8): appends them to
 * *hits (realloc'd; *n and *cap updated), leftmost-longest and never
 * overlapping. Returns the number found.
 */
size_t gz_match(const struct gazetteer *gz, const char *text, size_t len, struct gz_hit **hits,
                size_t *n, size_t *cap);

/* The unit whose full or short name is exactly name (the most senior one
   when several are), or -1. */
int32_t gz_lookup(const struct gazetteer *gz, const char *name);

/* The unit whose code is code, or -1: a look at every unit, for the few
   a build asks after (each district's object is made once). */
int32_t gz_unit_of_code(const struct gazetteer *gz, uint64_t code);

/* The character tables the gazetteer folds names with, loaded from its
   directory; owned by gz. */
const struct chars *gz_chars(const struct gazetteer *gz);

/* The ancestor of unit u at level (or u itself), or -1. */
int32_t gz_ancestor(const struct gazetteer *gz, int32_t u, int level);

#endif

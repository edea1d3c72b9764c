/*
 * meta: a page's metadata. It comes from three places, the first that
 * sets a field winning:
 *
 *   1. front matter, a YAML block at the top of the page between two
 *      "---" lines;
 *   2. folder metadata, content/<dir>/_meta.yml, for every page in that
 *      folder and below it (the nearest folder first);
 *   3. the path convention content/<paper>/<YYYY-MM-DD>/<page>.txt.
 *
 * Keys: title, date (YYYY-MM-DD), paper, page (版次), section (版名),
 * district, reporters (a list), tags (a list), encoding; for Markdown
 * files type (article, page, intro), weight and search. Values are text;
 * nothing here is ever used as a file path.
 */
#ifndef BAOKU_META_H
#define BAOKU_META_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

struct meta {
	char *title, *date, *paper, *page, *section, *district, *encoding;
	char *type, *weight, *search; /* Markdown files': see markdown.h */
	struct strlist reporters, tags;
	struct strlist sections; /* 版名 by page: "1\t要闻" (from _meta.yml) */
};

/* Frees every field; m is empty afterwards. */
void meta_free(struct meta *m);

/* Sets each field of dst that is unset to a copy of src's. */
void meta_fill(struct meta *dst, const struct meta *src);

/*
 * Parses YAML text (len bytes, from file path, whose first line is line
 * `first_line` of that file) into m: a mapping of the keys above. Invalid
 * YAML, a value of the wrong shape, an invalid date or an unknown
 * encoding is an error; an unknown key is a warning. Returns 0 or -1
 * after reporting.
 */
int meta_parse(const char *path, const char *text, size_t len, size_t first_line, struct meta *m);

/*
 * Splits front matter off a page's text. When text starts with a "---"
 * line, parses the block up to the next "---" (or "...") line into m and
 * sets *body to the offset where the page's text begins and *body_line to
 * that line's number; otherwise *body is 0 and *body_line 1. Front matter
 * that is never closed is an error. Returns 0 or -1 after reporting.
 */
int meta_front_matter(const char *path, const char *text, struct meta *m, size_t *body,
                      size_t *body_line);

/*
 * Finds `encoding:` in the front matter of raw bytes of an ASCII-based
 * encoding, before they are decoded. Copies the value to out (size
 * outsz) and returns out, or returns NULL when there is none.
 */
const char *meta_sniff_encoding(const char *bytes, size_t len, char *out, size_t outsz);

/* The name of a folder's metadata file. */
#define META_FOLDER_FILE "_meta.yml"

/* Reads dir/_meta.yml into m when it exists. Returns 0 (also when it does
   not exist) or -1 after reporting. */
int meta_read_folder(const char *dir, struct meta *m);

/*
 * The folder metadata that applies to the page file at path: when path is
 * under the directory content, every _meta.yml from path's folder up to
 * content (the nearest first), and *rel is set to path relative to
 * content (pointing into path); otherwise only path's own folder's, with
 * *rel NULL. Returns 0 or -1 after reporting.
 */
int meta_for_file(const char *content, const char *path, struct meta *m, const char **rel);

/*
 * Fills what m lacks from a path under content/ in the shapes exports
 * use: <paper>/<YYYY-MM-DD or YYYYMMDD>/<page>.txt, <paper>/YYYY/MM/DD/
 * <page>.txt, <paper>/<YYYY-MM-DD>_<page>.txt; the page is the file's
 * stem as printed (A01; 01 from 01版 or 第01版). Returns -1 when a folder
 * or name is shaped like a date that is none (2024-02-30, 2024-4-9), so
 * the caller can say so instead of leaving the page silently undated;
 * otherwise 0.
 */
int meta_from_path(const char *rel, struct meta *m);

/* The 版名 `sections:` in m gives the page `page` (01 and 1 alike), or
   NULL. */
const char *meta_section_of(const struct meta *m, const char *page);

/* Nonzero when s is a weight: a whole number, such as 10 or -2. */
int meta_weight_ok(const char *s);

/* Nonzero when s is a real calendar date written YYYY-MM-DD. */
int meta_valid_date(const char *s);

/* m as a JSON object; unset fields are null, lists are arrays. */
json_t *meta_to_json(const struct meta *m);

#endif

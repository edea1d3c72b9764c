/*
 * mujson: jansson values as Mustache data.
 *
 * Lets the engine render any json_t tree: the data of `baoku render`, and
 * the page models the site builds (which are jansson trees too).
 */
#ifndef BAOKU_MUJSON_H
#define BAOKU_MUJSON_H

#include <jansson.h>
#include <stdint.h>

#include "mustache.h"

/*
 * The mu_data for jansson values. Numbers print as integers or in the
 * shortest form that reads back as the same double. No value is a lambda;
 * a caller that wants lambdas copies this struct and sets type and call.
 */
extern const struct mu_data mujson_data;

struct strlist;

/* A JSON string of s, or null when s is NULL. s must be valid UTF-8, as
   all text is once it is read (page_read checks it); it is not checked
   again. */
json_t *mujson_str(const char *s);

/* A JSON array of the strings of l (valid UTF-8, as for mujson_str). */
json_t *mujson_strlist(const struct strlist *l);

/* Appends s[0..len) to out as a JSON string, quoted and escaped as
   json_dumps does without flags: '"', '\\' and control characters only.
   In a script element's text "</script" would end the element and
   "<!--<script" keep it from ending; with in_script set, every <, > and &
   is written \u003C, \u003E, \u0026, so no markup can appear in it. */
struct buf;
void mujson_put_string(struct buf *out, const char *s, size_t len, int in_script);

/* The type of a json_t, as mujson_data.type gives it. */
enum mu_type mujson_type(void *ud, const void *v);

/* Folds a value into the hash h (util_mix's; 0 to start): its type, its
   keys in order and its contents, so that values that render alike hash
   alike. */
uint64_t mujson_hash(const json_t *v, uint64_t h);

/* Appends v to out as bytes mujson_unpack reads back: for the page
   cache, several times faster to read than JSON text. */
void mujson_pack(const json_t *v, struct buf *out);

/* The value packed in the len bytes at data, or NULL when they are not
   exactly one packed value. Strings are taken as they are (the cache is
   checked by its hash before). */
json_t *mujson_unpack(const char *data, size_t len);

#endif

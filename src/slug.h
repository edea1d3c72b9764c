/*
 * slug: ASCII names for URLs made from names people read: a person's
 * (陈涛 → chen-tao) or a paper's (松江报 → song-jiang-bao). Each Han
 * character is its toneless pinyin (chars.h), a run of ASCII letters and
 * digits stays as it is in lower case, and any other character is its
 * UTF-8 bytes in hex; the parts are joined by '-'. Two names may give one
 * slug: the caller tells them apart (see archive_people).
 */
#ifndef BAOKU_SLUG_H
#define BAOKU_SLUG_H

struct buf;
struct chars;

/* Appends the slug of name to out (nothing for an empty name). */
void slug_name(const struct chars *ch, const char *name, struct buf *out);

#endif

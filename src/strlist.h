/*
 * strlist: a list of strings, each malloc'd.
 */
#ifndef BAOKU_STRLIST_H
#define BAOKU_STRLIST_H

#include <stddef.h>

/* {NULL, 0} is the empty list. */
struct strlist {
	char **v;
	size_t n;
};

/* Appends a copy of the len bytes at s. */
void strlist_add(struct strlist *l, const char *s, size_t len);

/* Appends a copy unless the list already holds the same string. */
void strlist_add_unique(struct strlist *l, const char *s, size_t len);

/* Frees the strings and the list; l is empty afterwards. */
void strlist_free(struct strlist *l);

#endif

/*
 * dirlist: folders listed ahead of a walk that takes them in its own
 * order. A listing is a folder's names, sorted, each with its lstat.
 *
 * A walk of a large tree spends its time in the kernel: reading each
 * folder and stat-ing each entry, and when the tree is not in memory,
 * waiting for the disk, one read at a time. Here threads list the
 * folders the walk has named as coming (dirlist_ahead) while it works on
 * the ones before, so several reads are in flight and the walk's own
 * thread finds most listings made. The walk stays in order and alone in
 * everything else (what it reports, what it adds up); only the listing
 * is done ahead, a bounded number of folders at most.
 *
 *   struct dirlist *l = dirlist_new(threads, AT_FDCWD);
 *   size_t h = dirlist_ahead(l, "content/a");   (for each folder to come)
 *   struct dir_listing d;
 *   dirlist_take(l, h, &d);                     (or dirlist_drop(l, h))
 *   ... d.names[i], d.st[i] ...
 *   dir_listing_free(&d);
 *   dirlist_free(l);
 */
#ifndef BAOKU_DIRLIST_H
#define BAOKU_DIRLIST_H

#include <stddef.h>
#include <sys/stat.h>

/* A folder's entries. */
struct dir_listing {
	char **names;    /* sorted by bytes; hidden ones (.name) left out */
	struct stat *st; /* each one's lstat, */
	int *err;        /* ... or the errno of that lstat (0 when it succeeded) */
	size_t n;
	int err_open; /* the errno of opening the folder (then n is 0), or 0 */
};

/* Lists the folder path (relative to the folder open as at, or to the
   working directory with AT_FDCWD, when it is not absolute) here and now
   into d. */
void dir_list(int at, const char *path, struct dir_listing *d);

void dir_listing_free(struct dir_listing *d);

struct dirlist;

/* A handle that names no folder: one listed when it is wanted. */
#define DIRLIST_HERE ((size_t)-1)

/* A lister with up to threads threads of its own (none: every folder is
   listed when it is taken), of folders named by paths relative to the
   folder open as at (as dir_list takes them), which must stay open until
   dirlist_free. */
struct dirlist *dirlist_new(int threads, int at);

/* Names the folder at path as coming: a handle for dirlist_take or
   dirlist_drop, one of which each handle must be given once. Folders
   are listed in the order they are named. */
size_t dirlist_ahead(struct dirlist *l, const char *path);

/* The listing of handle h, waiting for it when it is being made and
   making it here when no thread has begun it. */
void dirlist_take(struct dirlist *l, size_t h, struct dir_listing *d);

/* Handle h's folder is not wanted after all. */
void dirlist_drop(struct dirlist *l, size_t h);

/* Stops the threads and frees l with what it holds. */
void dirlist_free(struct dirlist *l);

#endif

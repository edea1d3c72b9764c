/*
 * util: small file-system helpers shared by the stages.
 */
#ifndef BAOKU_UTIL_H
#define BAOKU_UTIL_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* struct strlist, which many of the stages' headers take from here */
#include "strlist.h"

struct buf;

/*
 * Appends the contents of the file at path to out. Returns 1 on success,
 * 0 when the file does not exist (reported only when report is positive),
 * -1 on any other error (reported, naming the file, unless report is
 * negative: a file of the cache, whose failing costs only a read).
 */
int util_read_file(const char *path, struct buf *out, int report);

/* Replaces the file at path with len bytes of data, written to PATH.tmp
   and renamed over it, quietly (for files of the cache, whose failing
   costs only a read): 0, or -1 with neither file left. */
int util_replace_file(const char *path, const void *data, size_t len);

/* The file at path mapped read-only, *len bytes, for what is used where
   it lies: its pages are the page cache's, neither copied nor new memory
   (on a virtual machine the first touch of new memory costs most: 8.5
   MB read in 5.6-7.5 ms, mapped in 0.4-0.7). NULL when there is none, it
   is empty or over max bytes, or cannot be mapped. A file replaced by
   renaming another over it leaves a mapping as it was. Unmapped with
   util_unmap (which takes NULL). */
void *util_map_file(const char *path, size_t max, size_t *len);
void util_unmap(void *p, size_t len);

/* The next line of a NUL-terminated text, cut in place (its \n becomes a
   NUL); NULL at the end. *p moves past it. */
char *util_cut_line(char **p);

/* Writes or reads all len bytes at offset off of the file fd, retrying
   short transfers: 0, or -1 with errno set (a read past the end fails). */
int util_pwrite_all(int fd, const void *data, size_t len, size_t off);
int util_pread_all(int fd, void *data, size_t len, size_t off);
/* One pread of at most len bytes, again when a signal cut it off: the
   bytes read (fewer at the end of the file), or -1 with errno set. */
ssize_t util_pread(int fd, void *data, size_t len, size_t off);
/* Makes the file at path durable (fsync): 0, or -1 with errno set. */
int util_sync_file(const char *path);
/* util_pread_all for many small reads near each other in a file written
   only with util_pwrite_all: each thread keeps the last few 4 KiB blocks
   it read, until the next write (a system call costs more than reading
   a block). Thread-safe. util_pread_small_forget drops every thread's
   blocks, before a file read so is closed. */
int util_pread_small(int fd, void *data, size_t len, size_t off);
void util_pread_small_forget(void);

/*
 * Nonzero when name is a safe relative path for a template or output file:
 * not empty, not absolute, no empty, "." or ".." component, no backslash
 * or control character. Such a path cannot leave the directory it is
 * joined to.
 */
int util_safe_name(const char *name);

/* Creates directory path and its missing parents (mode 0755). Returns 0 or
   -1 with errno set. */
int util_mkdirs(const char *path);

/*
 * Removes the tree at path: files, and directories depth first, never
 * following symbolic links. Returns 0, or -1 after reporting the error.
 */
int util_remove_tree(const char *path);

/*
 * The names in directory path, sorted bytewise so that nothing depends on
 * the order readdir gives, without "." and ".." and, unless `hidden` is
 * nonzero, without names starting with '.'. Sets *n to their number.
 * Returns NULL after reporting when the directory cannot be read. Free
 * with util_free_names.
 */
char **util_list_dir(const char *path, int hidden, size_t *n);

/* The same, of the directory d, left open (never NULL). */
char **util_read_dir(DIR *d, int hidden, size_t *n);

/* Frees what util_list_dir returned. */
void util_free_names(char **names, size_t n);

/* Sorts n names by bytes, as util_list_dir gives them. */
void util_sort_names(char **names, size_t n);

/* The first of the n sorted names (as util_list_dir gives them) that is
   not before key in byte order: n when none is. */
size_t util_name_lower_bound(char *const *names, size_t n, const char *key);

/* Appends the way from a file at relpath back to the root it is
   relative to: "" for "index.html", "../" for "pages/x.html", ... */
void util_root_of(const char *relpath, struct buf *out);

/*
 * Finds the template `name` as DIR/NAME.mustache in the first of dirs
 * (ndirs of them) that has it, for {{>name}} and {{<name}}: appends its
 * text to text and sets *path (malloc'd) to the file; when no directory
 * has it, to where the last one would. Names that could leave the
 * directories are never found. Returns 1, 0 when no directory has it, -1
 * after reporting a file that cannot be read.
 */
int util_find_template(const char *const *dirs, size_t ndirs, const char *name, struct buf *text,
                       char **path);

/* Monotonic time in seconds, for progress and summaries. */
double util_now(void);

/* FNV-1a: folds len bytes at data into the hash h (start with
   UTIL_FNV_START). For hash tables and keys, not for security. */
#define UTIL_FNV_START 0xcbf29ce484222325ULL
uint64_t util_fnv(uint64_t h, const void *data, size_t len);

/* Continues hash h (0 to start) with len bytes, eight at a time, and
   from 64 bytes on in eight lanes: many times faster than util_fnv on
   long data, for keys and sums that live no longer than the program that
   made them (the output memo's, the caches'). Ids and slugs, which must
   not change, stay with util_fnv. */
uint64_t util_mix(uint64_t h, const void *data, size_t len);

/* Reads the number at *p, in base 10 or 16 (lower case), up to the byte
   end, and moves *p past end (to it when end is NUL): 0, or -1 when there
   is none, or a byte that is no digit, or more than 16 digits. For the
   numbers the build packs into its own text and reads back many times a
   build (a spooled excerpt's place, an entry's first record, a memo's
   keys), too often for sscanf or strtoull. */
int util_number(const char **p, unsigned base, char end, uint64_t *v);

/* Continues util_mix's hash h with the number v. */
uint64_t util_mix_u64(uint64_t h, uint64_t v);

/* A moment, by the wall clock and by the process's CPU time (all its
   threads), in seconds. */
struct util_clock {
	double wall, cpu;
};

struct util_clock util_clock(void);

/* Ends a stage: gives the memory it freed back to the system, unless
   util_step_keeps_memory said not to (the C library would keep it for
   later allocations, and the stages after allocate differently), with
   verbose prints "baoku: WHAT S s (C s CPU), M MiB": the wall and CPU
   seconds since *since and the memory held now; then sets *since to now. */
void util_step(int verbose, const char *what, struct util_clock *since);

/* Whether the steps from now on keep the memory they free for the next
   ones (1) or give it back (0, the default): giving it back keeps a
   build from nothing at its lowest peak, while a rebuild, whose memory
   is mostly what it holds to the end, would only take it again, a page
   fault a page. */
void util_step_keeps_memory(int keep);

#endif

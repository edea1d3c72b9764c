/*
 * Folders listed ahead (src/dirlist.c): a listing taken from the threads
 * is the one made here and now, whatever order the folders are taken in
 * and however many more than the window are named; a folder that cannot
 * be opened says why; handles dropped or never taken are freed; a
 * folder of more names than one read of the kernel's gives is listed
 * whole; paths may be relative to a folder held open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirlist.h"
#include "tap.h"

#define FOLDERS 300 /* more than the window */

static char S_dir[64];

static void
S_path(char *out, size_t size, int folder, const char *name)
{
	if (name)
		snprintf(out, size, "%s/f%03d/%s", S_dir, folder, name);
	else
		snprintf(out, size, "%s/f%03d", S_dir, folder);
}

/* Folder i holds i % 5 files, a hidden one and, every third, a folder. */
static int
S_make_tree(void)
{
	char path[256];
	for (int i = 0; i < FOLDERS; i++) {
		S_path(path, sizeof path, i, NULL);
		if (mkdir(path, 0755) < 0)
			return -1;
		for (int k = 0; k < i % 5 + 1; k++) {
			char name[32];
			if (k)
				snprintf(name, sizeof name, "p%02d.txt", 9 - k);
			else
				snprintf(name, sizeof name, ".hidden");
			S_path(path, sizeof path, i, name);
			FILE *f = fopen(path, "w");
			if (!f)
				return -1;
			fprintf(f, "%d\n", k);
			fclose(f);
		}
		if (i % 3 == 0) {
			S_path(path, sizeof path, i, "sub");
			if (mkdir(path, 0755) < 0)
				return -1;
		}
	}
	return 0;
}

/* Whether two listings name the same entries, with the same kinds. */
static int
S_same(const struct dir_listing *a, const struct dir_listing *b)
{
	if (a->n != b->n || a->err_open != b->err_open)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) || a->err[i] != b->err[i] ||
		    a->st[i].st_mode != b->st[i].st_mode || a->st[i].st_ino != b->st[i].st_ino)
			return 0;
	return 1;
}

#define BIG 3000 /* names of 40 bytes and more: several reads of the kernel's */

/* A folder of BIG files, made in reverse order: 1 when it is listed whole
   and sorted. */
static int
S_big_folder(void)
{
	char path[256];
	S_path(path, sizeof path, FOLDERS + 2, NULL);
	if (mkdir(path, 0755) < 0)
		return 0;
	for (int i = BIG - 1; i >= 0; i--) {
		char name[64];
		snprintf(name, sizeof name, "page-of-a-long-name-to-fill-the-read-%05d.txt", i);
		S_path(path, sizeof path, FOLDERS + 2, name);
		FILE *f = fopen(path, "w");
		if (!f)
			return 0;
		fclose(f);
	}
	struct dir_listing d;
	S_path(path, sizeof path, FOLDERS + 2, NULL);
	dir_list(AT_FDCWD, path, &d);
	int whole = d.err_open == 0 && d.n == BIG;
	for (size_t i = 0; whole && i < d.n; i++) {
		char want[64];
		snprintf(want, sizeof want, "page-of-a-long-name-to-fill-the-read-%05zu.txt", i);
		whole = !strcmp(d.names[i], want) && S_ISREG(d.st[i].st_mode);
	}
	dir_listing_free(&d);
	return whole;
}

/* Whether d is the listing of folder i made here and now. */
static int
S_is_folder(const struct dir_listing *d, int i)
{
	char path[256];
	struct dir_listing want;
	S_path(path, sizeof path, i, NULL);
	dir_list(AT_FDCWD, path, &want);
	int same = S_same(d, &want);
	dir_listing_free(&want);
	return same;
}

/* Whether handle h taken from l is the listing of folder i made here. */
static int
S_taken_is(struct dirlist *l, size_t h, int i)
{
	struct dir_listing got;
	dirlist_take(l, h, &got);
	int same = S_is_folder(&got, i);
	dir_listing_free(&got);
	return same;
}

/* Names every folder, takes them in reverse and checks each against a
   listing made here; 1 when all agree. */
static int
S_all_reversed(int threads)
{
	struct dirlist *l = dirlist_new(threads, AT_FDCWD);
	size_t h[FOLDERS];
	char path[256];
	for (int i = 0; i < FOLDERS; i++) {
		S_path(path, sizeof path, i, NULL);
		h[i] = dirlist_ahead(l, path);
	}
	int same = 1;
	for (int i = FOLDERS - 1; i >= 0; i--)
		same &= S_taken_is(l, h[i], i);
	dirlist_free(l);
	return same;
}

int
main(void)
{
	snprintf(S_dir, sizeof S_dir, "/tmp/baoku-dirlist-XXXXXX");
	if (!mkdtemp(S_dir) || S_make_tree() < 0) {
		printf("Bail out! cannot make a tree in /tmp\n");
		return 1;
	}

	struct dir_listing d;
	char path[256];
	S_path(path, sizeof path, 4, NULL);
	dir_list(AT_FDCWD, path, &d);
	ok(d.err_open == 0 && d.n == 4, "a folder's entries are listed, the hidden one left out");
	ok(d.n == 4 && !strcmp(d.names[0], "p05.txt") && !strcmp(d.names[3], "p08.txt"),
	   "in byte order");
	ok(d.n == 4 && S_ISREG(d.st[0].st_mode) && !d.err[0], "each with its lstat");
	dir_listing_free(&d);
	S_path(path, sizeof path, 3, NULL);
	dir_list(AT_FDCWD, path, &d);
	ok(d.n == 4 && !strcmp(d.names[3], "sub") && S_ISDIR(d.st[3].st_mode),
	   "a folder in a folder is listed as one");
	dir_listing_free(&d);

	S_path(path, sizeof path, FOLDERS, NULL);
	dir_list(AT_FDCWD, path, &d);
	ok(d.err_open == ENOENT && d.n == 0, "a folder that is not there says why");
	dir_listing_free(&d);

	ok(S_all_reversed(4), "taken in reverse from 4 threads, %d folders agree with listings made here",
	   FOLDERS);
	ok(S_all_reversed(0), "without threads too");

	struct dirlist *l = dirlist_new(2, AT_FDCWD);
	size_t h[FOLDERS];
	for (int i = 0; i < FOLDERS; i++) {
		S_path(path, sizeof path, i, NULL);
		h[i] = dirlist_ahead(l, path);
	}
	ok(S_taken_is(l, h[7], 7), "one folder taken from the middle");
	for (int i = 0; i < FOLDERS; i += 2)
		if (i != 7)
			dirlist_drop(l, h[i]);
	S_path(path, sizeof path, FOLDERS + 1, NULL);
	size_t missing = dirlist_ahead(l, path);
	struct dir_listing got;
	dirlist_take(l, missing, &got);
	ok(got.err_open == ENOENT, "a folder named ahead that is not there says why when taken");
	dir_listing_free(&got);
	dirlist_free(l); /* half dropped, the rest never taken: ASan says if any leaks */

	ok(S_big_folder(), "a folder of %d names is listed whole, in order", BIG);

	int at = open(S_dir, O_RDONLY | O_DIRECTORY);
	dir_list(at, "f004", &d);
	ok(at >= 0 && S_is_folder(&d, 4), "a path relative to a folder held open");
	dir_listing_free(&d);
	l = dirlist_new(2, at);
	h[0] = dirlist_ahead(l, "f003");
	ok(S_taken_is(l, h[0], 3), "and listed ahead");
	dirlist_free(l);
	if (at >= 0)
		close(at);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", S_dir);
	return tap_done();
}

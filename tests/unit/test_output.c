/* Unit tests for the output directory: the next tree and the swap,
   updates, the memo of what each file was made from, and the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "output.h"
#include "tap.h"
#include "util.h"

static char S_dir[64], S_root[64], S_cache[64];

/* root/rel's inode, 0 when it is missing. */
static ino_t
S_ino(const char *rel)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", S_root, rel);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* The next tree's rel's inode, 0 when it is missing. */
static ino_t
S_next_ino(const char *rel)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof path, "%s/.build.baoku/next/%s", S_dir, rel);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* The i-th of files one, two and three folders deep. */
static void
S_nested(int i, char *name, size_t size)
{
	if (i % 3 == 0)
		snprintf(name, size, "f%d/%d.html", i % 7, i);
	else if (i % 3 == 1)
		snprintf(name, size, "f%d/s%d/%d.html", i % 7, i % 5, i);
	else
		snprintf(name, size, "f%d/s%d/t/%d.html", i % 7, i % 5, i);
}

static int
S_has_in(const char *root, const char *rel, const char *text)
{
	char path[256];
	struct buf b = BUF_INIT;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	int same = util_read_file(path, &b, 0) >= 0 && b.len == strlen(text) &&
	           !memcmp(b.data, text, b.len);
	buf_release(&b);
	return same;
}

static int
S_has(const char *rel, const char *text)
{
	return S_has_in(S_root, rel, text);
}

/* Puts an empty file at base/rel by hand, and its folders. */
static void
S_touch(const char *base, const char *rel)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s", base, rel);
	*strrchr(path, '/') = '\0';
	util_mkdirs(path);
	snprintf(path, sizeof path, "%s/%s", base, rel);
	fclose(fopen(path, "w"));
}

/* A build that writes the inputs' fingerprint, as site.c does. */
static struct output *
S_open(uint64_t salt)
{
	struct output *o = out_open(S_root, S_cache);
	if (o) {
		out_set_inputs(o, "inputs\n", 7);
		out_set_salt(o, salt);
	}
	return o;
}

int
main(void)
{
	char dir[] = "/tmp/baoku-output-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	snprintf(S_dir, sizeof S_dir, "%s", dir);
	snprintf(S_root, sizeof S_root, "%s/build", dir);
	snprintf(S_cache, sizeof S_cache, "%s/cache", dir);
	diag_set_sink(capture_sink, NULL);

	/* the first build: staged, then renamed in */
	struct output *o = S_open(7);
	ok(o && out_write_memo(o, "a.html", 1, "A", 1) == 0 &&
	       out_write_memo(o, "d/b.html", 2, "B", 1) == 0 && out_write(o, "c.html", "C", 1) == 0,
	   "the first build writes its files");
	FILE *f = o ? out_cache_create(o, "x") : NULL;
	if (f)
		fputs("cached", f);
	ok(f && out_cache_done(o, "x", f) == 0, "and a cache file");
	uint64_t html = 0, want = 0;
	size_t nhtml = 0;
	if (o)
		out_made_html(o, &html, &nhtml);
	want = util_mix(0, "a.html", 6) + util_mix(0, "d/b.html", 8) + util_mix(0, "c.html", 6);
	ok(nhtml == 3 && html == want, "the html files made, as a set of their paths");
	if (o)
		out_write(o, "d/data.js", "D", 1);
	if (o)
		out_made_html(o, &html, &nhtml);
	ok(nhtml == 3 && html == want, "which no other file is in");
	ok(o && out_commit(o) == 0 && S_has("a.html", "A") && S_has("d/b.html", "B"),
	   "and moves them in");
	ino_t a = S_ino("a.html"), c = S_ino("c.html");
	ok(a && S_next_ino("a.html") == a && S_next_ino("c.html") == c &&
	       S_next_ino("d/b.html") == S_ino("d/b.html"),
	   "the tree beside is its copy by hard links");

	/* the second: kept, rewritten, new, gone */
	S_touch(S_root, "stray.html");
	o = S_open(7);
	f = o ? out_cache_read(o, "x") : NULL;
	char line[16] = "";
	ok(f && fgets(line, sizeof line, f) && !strcmp(line, "cached"),
	   "the next build reads the cache the last one left");
	if (f)
		fclose(f);
	size_t mlen = 0, none = 7;
	char *map = o ? out_cache_map(o, "x", 64, &mlen) : NULL;
	ok(map && mlen == 6 && !memcmp(map, "cached", 6), "and maps it, as it is");
	util_unmap(map, mlen);
	ok(o && !out_cache_map(o, "x", 5, &none) && !out_cache_map(o, "nothing", 64, &none) &&
	       none == 7,
	   "but not a file over the bytes asked for, nor one that is not there");
	struct buf was = BUF_INIT;
	ok(o && out_old_read(o, "d/b.html", &was) == 1 && was.len == 1 && was.data[0] == 'B' &&
	       out_old_read(o, "none.html", &was) == 0 &&
	       out_old_read(o, "../cache/x", &was) == 0 && out_old_read(o, "d", &was) == 0 &&
	       was.len == 1,
	   "the last build's file is read, and none that is not one of it or is no file");
	buf_release(&was);
	ok(o && out_reuse(o, "a.html", 1) == 1, "a file made from the same key is reused");
	ok(o && out_reuse(o, "d/b.html", 3) == 0, "one made from another key is not");
	ok(o && out_write_memo(o, "d/b.html", 3, "B2", 2) == 0, "so it is written again");
	int wrote = o && out_write(o, "c.html", "C", 1) == 0;
	size_t same = o ? out_unchanged(o) : 0;
	ok(wrote && same == 2, "a.html and c.html are unchanged (%zu)", same);
	ok(o && out_write(o, "e.html", "E", 1) == 0, "a new file is written");
	ok(o && out_reuse(o, "a.html", 1) < 0 && strstr(capture_msgs.data, "written twice"),
	   "reusing a file twice is an error");
	buf_reset(&capture_msgs);
	ok(o && out_commit(o) == 0, "the update is committed");
	ok(S_ino("a.html") == a && S_ino("c.html") == c, "kept files keep their identity");
	ok(S_has("d/b.html", "B2") && S_has("e.html", "E"), "new and changed files are in");
	ok(S_ino("stray.html") == 0, "a file the build did not make is gone");
	char spare[300];
	snprintf(spare, sizeof spare, "%s/.build.baoku/next", dir);
	ok(S_has_in(spare, "d/b.html", "B") && S_next_ino("a.html") == a && !S_next_ino("e.html"),
	   "the previous build stays beside, sharing the files that did not change");

	/* another salt (templates, settings): nothing is reused */
	o = S_open(8);
	ok(o && out_reuse(o, "a.html", 1) == 0, "a new salt reuses nothing");
	out_write(o, "a.html", "A3", 2);
	out_abort(o);
	ok(S_has("a.html", "A") && S_has("e.html", "E"),
	   "an aborted build leaves the root as it was");
	ok(S_next_ino("a.html") == S_ino("a.html") && S_next_ino("e.html") == S_ino("e.html") &&
	       S_has_in(spare, "d/b.html", "B2"),
	   "and the tree beside it a copy of it");

	/* a build that is committed after an abort starts from that copy */
	o = S_open(7);
	ok(o && out_write(o, "a.html", "A4", 2) == 0 && out_reuse(o, "d/b.html", 3) == 1 &&
	       out_write(o, "c.html", "C", 1) == 0 && out_write(o, "e.html", "E", 1) == 0 &&
	       out_commit(o) == 0 && S_has("a.html", "A4") && S_has("d/b.html", "B2") &&
	       S_ino("c.html") == c,
	   "a build after an abort makes its changes and keeps the rest");

	/* what a build reused it keeps the key of, past thousands of files */
	o = S_open(7);
	int made = o != NULL;
	for (int i = 0; made && i < 5000; i++) {
		char name[32];
		snprintf(name, sizeof name, "many/%d.html", i);
		made = out_write_memo(o, name, (uint64_t)i + 10, "M", 1) == 0;
	}
	ok(made && out_reuse(o, "d/b.html", 3) == 1 && out_commit(o) == 0,
	   "a build writes 5000 files and reuses one");
	o = S_open(7);
	ok(o && out_reuse(o, "d/b.html", 3) == 1 && out_reuse(o, "many/4999.html", 5009) == 1 &&
	       out_reuse(o, "many/0.html", 10) == 1 && out_reuse(o, "many/1.html", 12) == 0,
	   "the next knows the keys of what it wrote and of what it reused");
	out_abort(o);

	/* the prune works from a listing of next made while the build runs:
	   a file and folders put there by hand go; a folder the listing may
	   find empty and the build then writes into stays */
	S_touch(spare, "hand/deep/x.html");
	S_touch(spare, "junk.html");
	char empty[400];
	snprintf(empty, sizeof empty, "%s/empty", spare);
	util_mkdirs(empty);
	o = S_open(7);
	if (o)
		out_prepare_prune(o);
	made = o && out_reuse(o, "a.html", 1) >= 0 && out_reuse(o, "d/b.html", 3) == 1 &&
	       out_write(o, "empty/new.html", "N", 1) == 0 && out_write(o, "fresh/f.html", "F", 1) == 0;
	ok(made && out_commit(o) == 0, "a build with files put by hand in the tree beside");
	ok(!S_ino("junk.html") && !S_ino("hand") && !S_ino("c.html") && !S_ino("many/0.html") &&
	       !S_ino("many"),
	   "what it did not make is gone, and the folders left empty");
	ok(S_has("empty/new.html", "N") && S_has("fresh/f.html", "F") && S_has("d/b.html", "B2"),
	   "what it made and kept is there");

	/* the last build's files are not listed but marked: those not made
	   go, and each folder they leave empty, nested ones too, with what
	   was put by hand beside them; a folder where one stays stays */
	o = S_open(7);
	made = o && out_write_memo(o, "n/a/b/x.html", 21, "X", 1) == 0 &&
	       out_write_memo(o, "n/a/y.html", 22, "Y", 1) == 0 &&
	       out_write_memo(o, "mix/k.html", 23, "K", 1) == 0 &&
	       out_write_memo(o, "mix/gone.html", 24, "G", 1) == 0 &&
	       out_reuse(o, "d/b.html", 3) == 1;
	ok(made && out_commit(o) == 0, "a build writes files in nested folders");
	S_touch(spare, "n/a/b/stray.html");
	o = S_open(7);
	if (o)
		out_prepare_prune(o);
	made = o && out_reuse(o, "mix/k.html", 23) == 1 && out_reuse(o, "d/b.html", 3) == 1;
	ok(made && out_commit(o) == 0, "the next keeps one of them");
	ok(!S_ino("n") && !S_ino("mix/gone.html") && S_has("mix/k.html", "K") &&
	       S_has("d/b.html", "B2"),
	   "the others are gone, and their folders; the one kept and its folder stay");

	/* a damaged memo is ignored */
	char memo[300] = "";
	size_t n;
	char **names = util_list_dir(S_cache, 0, &n);
	for (size_t i = 0; names && i < n; i++)
		if (!strncmp(names[i], "out-", 4))
			snprintf(memo, sizeof memo, "%s/%s/memo", S_cache, names[i]);
	if (names)
		util_free_names(names, n);
	f = *memo ? fopen(memo, "w") : NULL;
	if (f) {
		fputs("0123456789abcdef\nfedcba9876543210 a.html\n", f);
		fclose(f);
	}
	o = S_open(7);
	ok(o && out_reuse(o, "a.html", 1) == 0, "a memo from another build is not trusted");
	if (o)
		out_abort(o);

	/* refuses a directory it did not make */
	char other[300];
	snprintf(other, sizeof other, "%s/other", dir);
	S_touch(other, "mine.txt");
	ok(out_open(other, S_cache) == NULL && strstr(capture_msgs.data, "is not a baoku build"),
	   "a directory baoku did not make is refused");

	/* a build from nothing that stops leaves nothing beside; the next
	   one's tree has its copy beside as the first's had */
	util_remove_tree(S_root);
	o = S_open(7);
	ok(o && out_write(o, "one.html", "1", 1) == 0, "a build from nothing writes a file");
	if (o)
		out_abort(o);
	ok(!S_next_ino("one.html") && !S_ino("one.html"), "and, stopped, leaves it nowhere");
	o = S_open(7);
	made = o != NULL && out_write(o, "top.html", "T", 1) == 0;
	/* at every depth the copy is made from: the root's files, its
	   folders' files, and folders below those linked whole */
	char name[48];
	for (int i = 0; made && i < 3000; i++) {
		S_nested(i, name, sizeof name);
		made = out_write(o, name, "F", 1) == 0;
	}
	made = made && out_commit(o) == 0 && S_ino("top.html") &&
	       S_next_ino("top.html") == S_ino("top.html");
	for (int i = 0; made && i < 3000; i++) {
		S_nested(i, name, sizeof name);
		made = S_ino(name) && S_next_ino(name) == S_ino(name);
	}
	ok(made, "3000 files from nothing have their copy beside too");

	util_remove_tree(dir);
	buf_release(&capture_msgs);
	return tap_done();
}

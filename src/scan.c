#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "dirlist.h"
#include "fingerprint.h"
#include "hmap.h"
#include "markdown.h"
#include "meta.h"
#include "scans.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

_Static_assert(sizeof(struct scan_page) <= 48,
               "a page file found is 48 bytes: a build holds one a page file");

/* A directory entered. */
struct walk_dir {
	dev_t dev;
	ino_t ino;
};

/* A scan under way. */
struct walk {
	const char *dir;       /* content/ */
	int root;              /* content/, open */
	char *real;            /* its real path, for symbolic links */
	struct walk_dir *seen; /* the directories entered, */
	size_t nseen, seen_cap;
	struct hmap seen_index; /* ... by their identity */
	int verbose;
	struct fingerprint *fp;
	struct scan *sc;
	struct dirlist *ahead; /* the folders to come, listed ahead */
};

/* Threads listing folders ahead of the scan: the kernel's work on a
   cold tree is mostly waiting for reads, which several threads keep in
   flight (a cold scan of 18,172 pages took 0.15-0.20 s with eight,
   0.18-0.21 s with four). */
#define SCAN_THREADS 8

/* Folders nested deeper than this are skipped, with an error. */
#define MAX_DEPTH 32
/* The root's parent. (A folder's number fits a page's 30 bits: a
   billion folders' metadata would not fit in memory.) */
#define NO_FOLDER ((size_t)-1)

/* A folder being scanned: its path under content/ and its entries,
   with their lstat. */
struct listing {
	const char *rel;
	char *const *names;
	size_t n;
	const struct dir_listing *d;
};

/* Appends dir/name to b, or name alone when dir is empty, and dir alone
   when name is (without printf: a scan joins two for every entry). */
static void
S_join(struct buf *b, const char *dir, const char *name)
{
	buf_adds(b, dir);
	if (*dir && *name)
		buf_addc(b, '/');
	buf_adds(b, name);
}

/* The paths of the entry name of folder rel: under content/ (sub) and
   to open it by (full). */
static void
S_entry_paths(const struct walk *w, const char *rel, const char *name, struct buf *sub,
              struct buf *full)
{
	S_join(sub, rel, name);
	S_join(full, w->dir, sub->data);
}

/* lstat of entry i of l. */
static int
S_lstat(const struct listing *l, size_t i, struct stat *st)
{
	if (l->d->err[i]) {
		errno = l->d->err[i];
		return -1;
	}
	*st = l->d->st[i];
	return 0;
}

/*
 * Where a symbolic link at full leads, when that is inside content/:
 * returns its real path (the caller frees it), or NULL after a warning.
 */
static char *
S_follow(struct walk *w, const char *full)
{
	char *real = realpath(full, NULL);
	size_t n = strlen(w->real);
	if (!real) {
		diag_warning(full, 0, 0, "symbolic link leads nowhere (%s); skipped",
		             strerror(errno));
		return NULL;
	}
	if (strncmp(real, w->real, n) || real[n] != '/') {
		diag_warning(full, 0, 0, "symbolic link leads outside content/ (to %s); skipped",
		             real);
		free(real);
		return NULL;
	}
	return real;
}

/* A directory's identity among those entered: seen[i] against key. */
struct dir_key {
	const struct walk_dir *seen;
	dev_t dev;
	ino_t ino;
};

static int
S_is_dir(const void *ctx, size_t i)
{
	const struct dir_key *k = ctx;
	return k->seen[i].dev == k->dev && k->seen[i].ino == k->ino;
}

/* Records a directory as entered (by its device and inode, which a link
   to it shares, as st gives them); 0 when it was already. */
static int
S_first_visit(struct walk *w, const struct stat *st)
{
	struct dir_key key = {w->seen, st->st_dev, st->st_ino};
	uint64_t h = (uint64_t)st->st_dev * 0x9E3779B97F4A7C15ULL ^ (uint64_t)st->st_ino;
	hmap_reserve(&w->seen_index, 1);
	size_t slot = hmap_probe(&w->seen_index, h, S_is_dir, &key);
	if (hmap_entry(&w->seen_index, slot) != HMAP_NONE)
		return 0;
	w->seen = xgrow(w->seen, &w->seen_cap, w->nseen, sizeof *w->seen, 256);
	w->seen[w->nseen] = (struct walk_dir){st->st_dev, st->st_ino};
	hmap_fill(&w->seen_index, slot, h, w->nseen++);
	return 1;
}

/* Whether b is UTF-8 throughout. */
static int
S_utf8(const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)b->data;
	size_t i = 0, k;
	while (i < b->len && (k = txt_utf8_len(s + i, b->len - i)))
		i += k;
	return i == b->len;
}

/* A page's path under content/ as the archive shows it: in UTF-8, as the
   pages and their JSON must be, each byte that is not replaced with
   U+FFFD and a warning, so that the page is still published (its file is
   still read by its own name). */
static char *
S_shown_name(struct buf *sub, const char *full)
{
	if (S_utf8(sub))
		return buf_detach(sub, NULL);
	const unsigned char *s = (const unsigned char *)sub->data;
	size_t k;
	struct buf shown = BUF_INIT;
	for (size_t i = 0; i < sub->len; i += k ? k : 1) {
		k = txt_utf8_len(s + i, sub->len - i);
		if (k)
			buf_add(&shown, s + i, k);
		else
			buf_adds(&shown, "\xEF\xBF\xBD");
	}
	diag_warning(full, 0, 0,
	             "the name is not UTF-8; the archive shows it as '%s'; rename the file in "
	             "UTF-8 (from GBK: convmv -f gbk -t utf-8 --notest -r content)",
	             shown.data);
	buf_release(sub);
	return buf_detach(&shown, NULL);
}

/* The scan of page p, whose file is named name in folder l, when it has
   one that is a file: found, and added to the fingerprint. */
static void
S_find_scan(struct walk *w, struct scan_page *p, const struct listing *l, const char *name)
{
	long k = md_is_markdown(name) ? -1 : scans_pick(l->names, l->n, name);
	if (k < 0)
		return;
	struct buf sub = BUF_INIT, full = BUF_INIT;
	S_join(&sub, l->rel, l->names[k]);
	S_join(&full, w->dir, sub.data);
	struct stat st;
	char *real = NULL;
	if (S_lstat(l, (size_t)k, &st) < 0) {
		diag_warning(full.data, 0, 0, "cannot stat: %s; the page is published without it",
		             strerror(errno));
	} else if (S_ISLNK(st.st_mode) &&
	           (!(real = S_follow(w, full.data)) || stat(real, &st) < 0)) {
		/* reported by S_follow */
	} else if (S_ISREG(st.st_mode)) {
		struct scan *sc = w->sc;
		sc->images = xgrow(sc->images, &sc->capimages, sc->nimages, sizeof *sc->images, 16);
		struct scan_image *image = &sc->images[sc->nimages++];
		image->stamp = fp_stat(w->fp, "scan", sub.data, &st);
		image->rel = S_shown_name(&sub, full.data);
		image->path = buf_detach(&full, NULL);
		p->image = (uint32_t)sc->nimages;
	}
	free(real);
	buf_release(&sub);
	buf_release(&full);
}

/* Adds the page file sub (full: its path), names[i] of folder l, as st
   describes it, with its scan; takes both buffers' text. Its name is
   the end of its path when that is UTF-8: one string, not two (a
   million pages' names are 50 MB). */
static void
S_add_page(struct walk *w, struct buf *sub, struct buf *full, size_t folder, const struct stat *st,
           const struct listing *l, size_t i)
{
	struct scan *sc = w->sc;
	sc->v = xgrow(sc->v, &sc->cap, sc->n, sizeof *sc->v, 64);
	struct scan_page *p = &sc->v[sc->n++];
	memset(p, 0, sizeof *p);
	p->stamp = fp_stat(w->fp, "page", sub->data, st);
	p->rel_in_path = S_utf8(sub) != 0;
	size_t k = sub->len;
	if (!p->rel_in_path)
		p->rel = S_shown_name(sub, full->data);
	buf_release(sub);
	size_t n = full->len;
	p->path = arena_strndup(&sc->paths, full->data, n);
	if (p->rel_in_path)
		p->rel = p->path + n - k;
	p->folder = (uint32_t)folder;
	S_find_scan(w, p, l, l->names[i]);
}

/* A folder's metadata, at path, listed in l: its _meta.yml (read and
   added to the fingerprint only when the folder has one) over its
   parent's, or its parent's own when it has none. */
static size_t
S_folder(struct walk *w, const char *path, const struct listing *l, size_t parent, int *rc)
{
	struct buf file = BUF_INIT, name = BUF_INIT; /* named from content/ */
	S_join(&file, path, META_FOLDER_FILE);
	S_join(&name, l->rel, META_FOLDER_FILE);
	size_t at = util_name_lower_bound(l->names, l->n, META_FOLDER_FILE);
	int has = at < l->n && !strcmp(l->names[at], META_FOLDER_FILE);
	struct stat st;
	if (has && stat(file.data, &st) == 0)
		fp_stat(w->fp, "meta", name.data, &st);
	else
		fp_absent(w->fp, "meta", name.data);
	buf_release(&file);
	buf_release(&name);
	*rc = 0;
	if (!has && parent != NO_FOLDER) /* a dated folder of a paper's: its parent's, shared */
		return parent;
	struct scan *sc = w->sc;
	struct meta *folder = xcalloc(1, sizeof *folder);
	sc->folders = xgrow(sc->folders, &sc->capfolders, sc->nfolders, sizeof *sc->folders, 16);
	sc->folders[sc->nfolders++] = folder;
	*rc = has ? meta_read_folder(path, folder) : 0;
	if (parent != NO_FOLDER)
		meta_fill(folder, sc->folders[parent]);
	return sc->nfolders - 1;
}

/* The handle of each folder among l's entries that S_scan will enter
   (DIRLIST_HERE for the others), named to be listed ahead. */
static size_t *
S_list_ahead(struct walk *w, const struct listing *l, int depth)
{
	size_t *ahead = xcalloc(l->n ? l->n : 1, sizeof *ahead);
	for (size_t i = 0; i < l->n; i++) {
		ahead[i] = DIRLIST_HERE;
		if (depth >= MAX_DEPTH || l->d->err[i] || !S_ISDIR(l->d->st[i].st_mode))
			continue;
		struct buf sub = BUF_INIT;
		S_join(&sub, l->rel, l->names[i]);
		ahead[i] = dirlist_ahead(w->ahead, sub.data);
		buf_release(&sub);
	}
	return ahead;
}

/* The listing of the folder rel: named ahead as h, or made here. */
static void
S_listing(struct walk *w, const char *rel, size_t h, struct dir_listing *d)
{
	if (h == DIRLIST_HERE)
		dir_list(w->root, *rel ? rel : ".", d);
	else
		dirlist_take(w->ahead, h, d);
}

/*
 * Collects the .txt files under content/rel (self: its stat; h: its
 * listing's handle, or DIRLIST_HERE) in byte order of their paths, so
 * the build does not depend on the order readdir happens to give, with
 * the metadata of each folder (its _meta.yml over its parent's).
 */
static int
S_scan(struct walk *w, const char *rel, const struct stat *self, size_t h, size_t parent, int depth)
{
	struct buf path = BUF_INIT;
	S_join(&path, w->dir, rel);
	if (!S_first_visit(w, self)) {
		diag_warning(path.data, 0, 0, "directory reached twice through links; skipped");
		if (h != DIRLIST_HERE)
			dirlist_drop(w->ahead, h);
		buf_release(&path);
		return 0;
	}
	struct dir_listing d;
	S_listing(w, rel, h, &d);
	if (d.err_open) {
		diag_error(path.data, 0, 0, "cannot open directory: %s", strerror(d.err_open));
		dir_listing_free(&d);
		buf_release(&path);
		return -1;
	}
	char **names = d.names;
	size_t n = d.n;
	struct listing l = {rel, names, n, &d};
	size_t *ahead = S_list_ahead(w, &l, depth);
	int rc;
	size_t folder = S_folder(w, path.data, &l, parent, &rc);
	buf_release(&path);

	for (size_t i = 0; i < n; i++) {
		struct buf sub = BUF_INIT, full = BUF_INIT;
		S_entry_paths(w, rel, names[i], &sub, &full);
		struct stat st;
		size_t len = strlen(names[i]);
		int is_txt =
		    (len > 4 && !strcmp(names[i] + len - 4, ".txt")) || md_is_markdown(names[i]);
		char *real = NULL;
		if (S_lstat(&l, i, &st) < 0) {
			diag_error(full.data, 0, 0, "cannot stat: %s", strerror(errno));
			rc = -1;
		} else if (S_ISLNK(st.st_mode) &&
		           (!(real = S_follow(w, full.data)) || stat(real, &st) < 0)) {
			/* reported by S_follow */
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= MAX_DEPTH) {
				diag_error(full.data, 0, 0,
				           "folders nested deeper than %d; skipped", MAX_DEPTH);
				rc = -1;
			} else if (S_scan(w, sub.data, &st, ahead[i], folder, depth + 1) < 0) {
				rc = -1;
			}
		} else if (scans_is_scan(names[i]) && scans_has_page(names, n, names[i])) {
			/* a page's scan: found with its page (S_find_scan) */
		} else if (!is_txt || !S_ISREG(st.st_mode)) {
			if (w->verbose && strcmp(names[i], "_meta.yml"))
				diag_note(full.data, 0, 0, "not a .txt page or .md file; ignored");
		} else {
			S_add_page(w, &sub, &full, folder, &st, &l, i);
		}
		free(real);
		buf_release(&sub);
		buf_release(&full);
	}
	free(ahead);
	dir_listing_free(&d);
	return rc;
}

int
scan_content(const char *content, int verbose, struct fingerprint *fp, struct scan *sc)
{
	struct walk w = {.dir = content,
	                 .root = open(content, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
	                 .real = realpath(content, NULL),
	                 .verbose = verbose,
	                 .fp = fp,
	                 .sc = sc};
	sc->content = content;
	struct stat st;
	int rc = -1;
	if (w.root < 0 || fstat(w.root, &st) < 0) {
		diag_error(content, 0, 0, "cannot open directory: %s", strerror(errno));
	} else {
		w.ahead = dirlist_new(SCAN_THREADS, w.root);
		rc = S_scan(&w, "", &st, DIRLIST_HERE, NO_FOLDER, 0);
		dirlist_free(w.ahead);
	}
	if (w.root >= 0)
		close(w.root);
	free(w.real);
	free(w.seen);
	hmap_free(&w.seen_index);
	return rc;
}

const struct meta *
scan_folder(const struct scan *sc, const struct scan_page *p)
{
	return sc->folders[p->folder];
}

const struct scan_image *
scan_image(const struct scan *sc, const struct scan_page *p)
{
	return p->image ? &sc->images[p->image - 1] : NULL;
}

size_t
scan_pages(const struct scan *sc)
{
	size_t n = 0;
	for (size_t i = 0; i < sc->n; i++)
		n += !sc->v[i].aside;
	return n;
}

void
scan_free(struct scan *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		if (!sc->v[i].rel_in_path)
			free(sc->v[i].rel);
	free(sc->v);
	for (size_t i = 0; i < sc->nimages; i++) {
		free(sc->images[i].rel);
		free(sc->images[i].path);
	}
	free(sc->images);
	arena_free(&sc->paths);
	for (size_t i = 0; i < sc->nfolders; i++) {
		meta_free(sc->folders[i]);
		free(sc->folders[i]);
	}
	free(sc->folders);
	memset(sc, 0, sizeof *sc);
}

/*
 * redirects: a redirect page wherever a published URL no longer leads to
 * a page (redirects.h).
 */
#include "redirects.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "diag.h"
#include "ids.h"
#include "mujson.h"
#include "output.h"
#include "pool.h"
#include "published.h"
#include "redirects_places.h"
#include "templates.h"
#include "text.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

#define CHAIN_MAX 32 /* redirects followed before giving up on a loop */

enum made_kind { MADE_ARTICLE, MADE_VIEW, MADE_HTML };

/* A page this build publishes, as the new manifest's row: the number of
   its file among those the output made (out_made_path), and its kind and
   where its fields are (its record's or page entry's, by its number in
   records or index_pages), made when the row is written. A large archive
   has two million and more, sorted by path: 8 bytes each, where a copy
   of the path and the fields' pointers would be 24, and the sort takes
   as much again. */
struct made_row {
	uint32_t file;
	uint32_t src; /* the kind in its top bits (SRC_KIND), then the number */
};
#define SRC_KIND 30
#define SRC_MAX  ((UINT32_C(1) << SRC_KIND) - 1)

struct redirects {
	char *file;               /* the manifest */
	char *memo;               /* its sum's memo (pub_memo_get) */
	int found;                /* the manifest was there */
	int memo_ok;              /* was is the memo of the file as it is */
	struct pub_memo was;      /* the manifest found: the sum of its bytes;
	                             when memo_ok, its path set, what its rows
	                             were made from (S_rows_digest; 0: unknown),
	                             its redirects and their list's hash
	                             (S_list_moved) */
	uint64_t rows;            /* what this build's rows are made from */
	size_t nmoved;            /* the new manifest's redirects */
	char *list;               /* where their list is kept, beside the memo */
	struct buf moved_list;    /* ... "PATH\tTO\tTITLE\n" each, in path order */
	int unlisted;             /* one has a tab or a line end: no list then */
	int list_ok;              /* the list there was read, and its hash is was.moved */
	struct pub_list old;      /* what was published before, by path (S_load_old) */
	const struct output *out; /* what this build publishes: its pages */
	size_t made;              /* ... the first of its files, those before the redirects */
	json_t *records;          /* this build's articles (archive.h) */
	json_t *index_pages;      /* ... and its printed pages' entries */
	json_t *issue_of;         /* "PAPER\tDATE": the issue's index.html */
	struct rplaces *places;   /* made only once a URL is gone (S_successor) */
	struct made_row *now; /* the new manifest's rows but the redirects, by path */
	size_t nnow;
	struct pub_list moved;           /* ... and its redirects */
	struct pub_set now_set, new_set; /* of now's paths, and of moved's too */
	struct pub_sum new_sum;
	int staged;    /* the new manifest is in FILE.tmp */
	int ready;     /* the redirects are written: new_sum is the manifest now */
	int as_before; /* the manifest was the one to write (S_as_before) */
	char *root;    /* the live output, read without a manifest */
};

static enum made_kind
S_kind(const struct made_row *m)
{
	return (enum made_kind)(m->src >> SRC_KIND);
}

/* The path of row m, spelt in out. */
static const char *
S_path(const struct redirects *r, const struct made_row *m, struct buf *out)
{
	return out_made_path(r->out, m->file, out);
}

/* The record or page entry of row m, NULL for any other page. */
static const json_t *
S_src(const struct redirects *r, const struct made_row *m)
{
	size_t i = m->src & SRC_MAX;
	switch (S_kind(m)) {
	case MADE_ARTICLE: return json_array_get(r->records, i);
	case MADE_VIEW: return json_array_get(r->index_pages, i);
	default: return NULL;
	}
}

static const char *
S_str(const json_t *o, const char *key)
{
	const char *s = view_record_str(o, key, NULL); /* a record's page's too */
	return s ? s : "";
}

/* The href of a record or a page's entry o, in h when made again. */
static const char *
S_href(const json_t *o, struct view_href *h)
{
	const char *s = view_record_href(o, h);
	return s ? s : "";
}

/* Sums the manifest's bytes, a block at a time: 0, or -1 when it cannot
   be read. */
static int
S_sum_old(struct redirects *r)
{
	pub_sum_start(&r->was.sum);
	FILE *f = fopen(r->file, "re");
	if (!f) {
		if (errno != ENOENT)
			diag_error(r->file, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	char block[65536];
	size_t n;
	while ((n = fread(block, 1, sizeof block, f)) > 0)
		pub_sum_add(&r->was.sum, block, n);
	int rc = ferror(f) ? -1 : 0;
	if (rc < 0)
		diag_error(r->file, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	return rc;
}

struct redirects *
redir_open(const char *file, const char *memo, const char *root)
{
	struct redirects *r = xcalloc(1, sizeof *r);
	r->file = xstrdup(file);
	r->memo = xstrdup(memo);
	struct buf list = BUF_INIT;
	buf_printf(&list, "%s.redirects", memo);
	r->list = buf_detach(&list, NULL);
	r->root = root ? xstrdup(root) : NULL;
	struct stat st;
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		r->memo_ok = pub_memo_get(memo, file, &r->was);
		r->found = r->memo_ok || S_sum_old(r) == 0;
	}
	r->issue_of = json_object();
	return r;
}

void
redir_load(struct redirects *r)
{
	if (!r->found && r->root) /* else the manifest is read once needed */
		pub_from_tree(r->root, &r->old);
}

/* A row of the old manifest and its place there. */
struct placed_row {
	struct pub_row row;
	size_t at;
};

static int
S_by_path_then_place(const void *x, const void *y)
{
	const struct placed_row *a = x, *b = y;
	int c = strcmp(a->row.path, b->row.path);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static int
S_is_html(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && !strcmp(path + n - 5, ".html");
}

/* Whether this build publishes the page at path (the redirects it
   writes aside). */
static int
S_is_made(const struct redirects *r, const char *path)
{
	if (!path || !*path || !S_is_html(path))
		return 0;
	long k = out_made_index(r->out, path);
	return k >= 0 && (size_t)k < r->made;
}

/* Whether a row of the old manifest is wanted: a URL this build does not
   publish, or one such a URL's redirect may lead through. */
static int
S_gone(const char *path, void *r)
{
	return !S_is_made(r, path);
}

/* What was published before and is no longer, from the manifest read a
   line at a time (a million-article archive's is hundreds of megabytes,
   nearly all of it published again), its rows sorted by path and, for a
   path named twice, by their place: the first is the one pub_find gives,
   the others are skipped. */
static void
S_load_old(struct redirects *r)
{
	r->old.keep = S_gone;
	r->old.keep_arg = r;
	if (r->found)
		pub_read(r->file, 1, &r->old);
	r->old.keep = NULL;
	size_t n = r->old.n;
	struct placed_row *v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct placed_row){r->old.v[i], i};
	if (n)
		qsort(v, n, sizeof *v, S_by_path_then_place);
	for (size_t i = 0; i < n; i++)
		r->old.v[i] = v[i].row;
	free(v);
}

/* Whether old row i names a path a row before it names. */
static int
S_named_before(const struct redirects *r, size_t i)
{
	return i > 0 && !strcmp(r->old.v[i].path, r->old.v[i - 1].path);
}

/* ---------------------------------------------------------------------
 * What this build publishes
 * ------------------------------------------------------------------- */

/* 8 hex digits of the opening of an article's text, from its hash (its
   util_fnv, without reading it when it is spooled): "" for none. */
static void
S_fingerprint_of(uint64_t excerpt, char fp[9])
{
	*fp = '\0';
	if (excerpt)
		snprintf(fp, 9, "%08llx", (unsigned long long)(excerpt >> 32));
}

static void
S_fingerprint(const json_t *rec, char fp[9])
{
	struct view_ident id;
	view_record_ident(rec, &id);
	S_fingerprint_of(id.excerpt, fp);
}

/* The file a link to a directory means. */
static void
S_file_of(const char *href, struct buf *out)
{
	buf_adds(out, href);
	if (!out->len || out->data[out->len - 1] == '/')
		buf_adds(out, "index.html");
}

/* The issue of the page view of entry e at href, while the archive still
   knows it. */
static void
S_learn_issue(struct redirects *r, const json_t *e, const char *href, const struct archive *arc)
{
	struct view_entry_place place;
	view_entry_place(e, &place);
	const char *paper = place.paper, *date = place.date;
	if (!*paper || !*date)
		return;
	struct buf at = BUF_INIT;
	buf_printf(&at, "%s\t%s", paper, date);
	json_t *issue_href =
	    json_object_get(r->issue_of, at.data) ? NULL : archive_page_issue_href(arc, href);
	const char *issue = issue_href ? json_string_value(issue_href) : "";
	if (*issue) {
		struct buf file = BUF_INIT;
		S_file_of(issue, &file);
		json_object_set_new(r->issue_of, at.data, json_stringn(file.data, file.len));
		buf_release(&file);
	}
	json_decref(issue_href);
	buf_release(&at);
}

/* What the manifest's row of page view e at href is made from, hashed:
   its href, paper, date and page. */
static uint64_t
S_view_digest(const json_t *e, const char *href)
{
	uint64_t d = util_mix(0, href, strlen(href) + 1);
	const char *keys[] = {"paper", "date", "page_no"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *s = json_string_value(view_entry_get(e, keys[i]));
		d = util_mix(d, s ? s : "", s ? strlen(s) + 1 : 0);
	}
	return d;
}

/* What the rows of the manifest are made from, as a sum whatever the
   order: the archive's hash of each record (every field of an article's
   row is one of the record's; records are given in the order of their
   serials), each page view's fields (S_view_digest, summed in views, nviews
   of them), and the salt (the program, which formats the rows). With the
   same pages published, the same digest makes the same rows, and so the
   same manifest (its rows sorted). 0 when a record has no hash. */
static uint64_t
S_rows_digest(const json_t *records, uint64_t views, size_t nviews, const struct archive *arc)
{
	uint64_t articles = 0;
	size_t n = json_array_size(records);
	for (size_t i = 0; i < n; i++) {
		uint64_t h = archive_serial_hash_at(arc, i);
		if (!h)
			return 0;
		articles += util_mix_u64(1, h);
	}
	uint64_t d = util_mix(0, "manifest rows 1", 15);
	uint64_t parts[] = {out_salt(arc->out), articles, n, views, nviews};
	for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
		d = util_mix_u64(d, parts[k]);
	return d ? d : 1;
}

void
redir_learn(struct redirects *r, json_t *records, json_t *index_pages, const struct archive *arc)
{
	r->records = json_incref(records);
	r->index_pages = json_incref(index_pages);
	uint64_t views = 0;
	size_t i, nviews = 0;
	json_t *v;
	json_array_foreach (index_pages, i, v) {
		struct view_href h; /* made once: S_learn_issue and S_view_digest take it */
		const char *href = view_record_href(v, &h);
		if (arc && href && rplaces_is_view_href(href)) {
			S_learn_issue(r, v, href, arc);
			views += util_mix_u64(2, S_view_digest(v, href));
			nviews++;
		}
	}
	r->rows = arc && arc->out ? S_rows_digest(records, views, nviews, arc) : 0;
}

/* ---------------------------------------------------------------------
 * Successors
 * ------------------------------------------------------------------- */

/* How much of title a is in title b: the share of a's characters that b
   holds, 0 to 1. */
static double
S_alike(const char *a, const char *b)
{
	size_t n = 0, in = 0, len;
	for (const char *p = a; *p; p += len) {
		len = txt_utf8_len((const unsigned char *)p, strlen(p));
		len = len ? len : 1;
		n++;
		for (const char *q = b; *q; q++)
			if (!strncmp(p, q, len)) {
				in++;
				break;
			}
	}
	return n ? (double)in / (double)n : 0;
}

/* The record of the article on the same printed page most like the
   row's. */
static const json_t *
S_best_article(const struct redirects *r, const struct pub_row *row, const char *ident)
{
	const json_t *best = NULL;
	double best_score = 0.5;
	for (long i = rplaces_first(r->places, ident); i >= 0; i = rplaces_next(r->places, i)) {
		const json_t *a = json_array_get(r->records, (size_t)i);
		char fp[9];
		S_fingerprint(a, fp);
		if (*row->fp && !strcmp(row->fp, fp))
			return a;
		double s = *row->title ? S_alike(row->title, S_str(a, "title")) : 0;
		double t = *row->title ? S_alike(S_str(a, "title"), row->title) : 0;
		s = s < t ? s : t;
		if (s >= best_score)
			best_score = s + 1e-9, best = a;
	}
	return best;
}

/* For an article or a page view, from its place: a like article, the
   view of its page, its issue, its month. */
static const char *
S_by_place(const struct redirects *r, const struct pub_row *row, struct buf *tmp)
{
	if (!*row->paper || !*row->date)
		return NULL;
	buf_reset(tmp);
	buf_printf(tmp, "%s\t%s\t%s", row->paper, row->date, row->page);
	const char *to = NULL;
	const json_t *like =
	    *row->page && !strcmp(row->kind, "article") ? S_best_article(r, row, tmp->data) : NULL;
	if (!like && *row->page) /* else the view of its page */
		like = rplaces_view(r->places, tmp->data);
	if (like) {
		struct view_href h;
		const char *href = S_href(like, &h);
		buf_reset(tmp);
		buf_adds(tmp, href);
		to = tmp->data;
	}
	if (!to) {
		buf_reset(tmp);
		buf_printf(tmp, "%s\t%s", row->paper, row->date);
		to = json_string_value(json_object_get(r->issue_of, tmp->data));
	}
	if (!to && strlen(row->date) >= 7) {
		buf_reset(tmp);
		buf_printf(tmp, "dates/%.7s.html", row->date);
		to = tmp->data;
	}
	return S_is_made(r, to) ? to : NULL;
}

/* A listing's page-N.html, named index.N.html since. */
static const char *
S_renamed_listing(const struct redirects *r, const char *path, struct buf *tmp)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t digits = strspn(base + 5, "0123456789");
	if (strncmp(base, "page-", 5) || !digits || strcmp(base + 5 + digits, ".html"))
		return NULL;
	buf_reset(tmp);
	buf_printf(tmp, "%.*sindex.%s", (int)(base - path), path, base + 5);
	return S_is_made(r, tmp->data) ? tmp->data : NULL;
}

/* The index.html of the path's folder, or of a folder above it. */
static const char *
S_folder_index(const struct redirects *r, const char *path, struct buf *tmp)
{
	const char *end = strrchr(path, '/');
	while (end) {
		buf_reset(tmp);
		buf_printf(tmp, "%.*s/index.html", (int)(end - path), path);
		if (strcmp(tmp->data, path) && S_is_made(r, tmp->data))
			return tmp->data;
		const char *up = end;
		while (up > path && up[-1] != '/')
			up--;
		end = up > path ? up - 1 : NULL;
	}
	return NULL;
}

/* Where the URL of row now leads: a page this build publishes. The
   result is in tmp, or the old manifest's row it was led to. */
static const char *
S_successor(struct redirects *r, const struct pub_row *row, struct buf *tmp)
{
	const struct pub_row *at = row;
	for (int hops = 0; hops < CHAIN_MAX && at && !strcmp(at->kind, "redirect"); hops++) {
		if (S_is_made(r, at->to))
			return at->to;
		at = pub_find(&r->old, r->old.n, at->to);
	}
	if (!r->places)
		r->places = rplaces_make(r->records, r->index_pages);
	struct view_href h;
	const char *to = rplaces_former(r->places, row->path, &h);
	if (S_is_made(r, to)) {
		buf_reset(tmp);
		buf_adds(tmp, to);
		return tmp->data;
	}
	if ((to = S_by_place(r, row, tmp)) || (to = S_renamed_listing(r, row->path, tmp)) ||
	    (to = S_folder_index(r, row->path, tmp)))
		return to;
	return S_is_made(r, "index.html") ? "index.html" : NULL;
}

/* ---------------------------------------------------------------------
 * The pages and the manifest
 * ------------------------------------------------------------------- */

/* Adds the row of the page made as file k, of kind from its record or
   page entry number src, unless it has one. */
static void
S_made(struct redirects *r, long k, enum made_kind kind, size_t src, unsigned char *known)
{
	if (k < 0 || (size_t)k >= r->made || known[k])
		return;
	known[k] = 1;
	if (src > SRC_MAX) { /* beyond any archive a build can hold: a row without fields */
		kind = MADE_HTML;
		src = 0;
	}
	r->now[r->nnow++] =
	    (struct made_row){(uint32_t)k, (uint32_t)kind << SRC_KIND | (uint32_t)src};
}

static int
S_by_made_path(const void *x, const void *y, void *arg)
{
	const struct redirects *r = arg;
	const struct made_row *a = x, *b = y;
	return out_made_cmp(r->out, a->file, b->file);
}

/* The new manifest's rows of what this build publishes, sorted: its
   articles, its page views, and every other page it made. */
static void
S_rows_now(struct redirects *r, int threads)
{
	unsigned char *known = xcalloc(r->made ? r->made : 1, 1);
	struct buf path = BUF_INIT;
	size_t i, html = 0;
	for (size_t k = 0; k < r->made; k++) /* a row each, at most */
		html += S_is_html(out_made_path(r->out, k, &path));
	r->now = xreallocarray(NULL, html ? html : 1, sizeof *r->now);
	json_t *v;
	struct view_href h;
	json_array_foreach (r->records, i, v)
		S_made(r, out_made_index(r->out, S_href(v, &h)), MADE_ARTICLE, i, known);
	json_array_foreach (r->index_pages, i, v) {
		const char *href = S_href(v, &h);
		if (rplaces_is_view_href(href))
			S_made(r, out_made_index(r->out, href), MADE_VIEW, i, known);
	}
	for (size_t k = 0; k < r->made; k++)
		if (!known[k] && S_is_html(out_made_path(r->out, k, &path)))
			S_made(r, (long)k, MADE_HTML, 0, known);
	free(known);
	pool_sort(r->now, r->nnow, sizeof *r->now, S_by_made_path, r, threads);
	for (size_t k = 0; k < r->nnow; k++)
		pub_set_add(&r->now_set, S_path(r, &r->now[k], &path));
	buf_release(&path);
}

/* Whether the manifest, as the last build wrote it, names the pages this
   one publishes and no other: then none is gone (and none was
   redirected, a redirect's path being no page's), and the manifest need
   not be read for them. */
static int
S_same_pages(const struct redirects *r)
{
	return r->found && r->memo_ok && pub_set_same(&r->was.set, &r->now_set);
}

/* The list of the manifest's redirects kept beside its memo, one line
   each, "PATH\tTO\tTITLE" (what its redirect page is made from), in path
   order: its text, and the fields cut out of it in place. */
struct moved_rows {
	struct buf text;
	char **field; /* PATH, TO and TITLE of each */
	size_t n;
};

static void
S_moved_free(struct moved_rows *m)
{
	buf_release(&m->text);
	free(m->field);
	memset(m, 0, sizeof *m);
}

/* The hash of a list's text (never 0: that is none). */
static uint64_t
S_list_hash(const char *text, size_t len)
{
	uint64_t h = util_mix(0, text, len);
	return h ? h : 1;
}

/* Adds a redirect to this build's list (S_write_one's path, to, title). */
static void
S_list_moved(struct redirects *r, const char *path, const char *to, const char *title)
{
	const char *f[] = {path, to, title};
	for (size_t i = 0; i < 3; i++) {
		if (strpbrk(f[i], "\t\n"))
			r->unlisted = 1;
		buf_adds(&r->moved_list, f[i]);
		buf_addc(&r->moved_list, i < 2 ? '\t' : '\n');
	}
}

/* Reads the list the memo names (its hash, was.moved) into m: 0, or -1
   when it is not there or not the one named. */
static int
S_read_list(const struct redirects *r, struct moved_rows *m)
{
	if (!r->was.moved || util_read_file(r->list, &m->text, -1) <= 0 ||
	    S_list_hash(m->text.data, m->text.len) != r->was.moved)
		return -1;
	size_t cap = 0;
	char *p = m->text.data, *end = p + m->text.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -1;
		*nl = '\0';
		m->field = xgrow(m->field, &cap, 3 * m->n, sizeof *m->field, 3 * 64);
		for (size_t i = 0; i < 3; i++) {
			m->field[3 * m->n + i] = p;
			char *tab = i < 2 ? strchr(p, '\t') : NULL;
			if (i < 2 && !tab)
				return -1;
			if (tab)
				*tab = '\0', p = tab + 1;
		}
		m->n++;
		p = nl + 1;
	}
	return 0;
}

/* Whether the manifest, as the last build wrote it, is the one this
   build would write: its rows were made from what this build's are
   (S_rows_digest), and it names the html files made so far (before the
   redirects) and its redirects (their list in moved, read from beside
   the memo), and no other. Then it is neither read nor written again:
   its redirects are as they were, each to a page published as before. */
static int
S_as_before(struct redirects *r, struct moved_rows *moved)
{
	if (!r->found || !r->memo_ok || !r->rows || r->rows != r->was.rows)
		return 0;
	struct pub_set made = {0};
	out_made_html(r->out, &made.hash, &made.n);
	if (r->was.redirects) {
		if (S_read_list(r, moved) < 0 || moved->n != r->was.redirects)
			return 0;
		r->list_ok = 1;
	}
	for (size_t i = 0; i < moved->n; i++)
		pub_set_add(&made, moved->field[3 * i]);
	return pub_set_same(&r->was.set, &made);
}

/* The row of the page this build made at path, or NULL. */
static const struct made_row *
S_made_find(const struct redirects *r, const char *path)
{
	struct buf at = BUF_INIT;
	size_t lo = 0, hi = r->nnow;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(S_path(r, &r->now[mid], &at), path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int found = lo < r->nnow && !strcmp(S_path(r, &r->now[lo], &at), path);
	buf_release(&at);
	return found ? &r->now[lo] : NULL;
}

/* The manifest's row of page m, its fields in path, page and fp. */
static void
S_fill(const struct redirects *r, const struct made_row *m, struct pub_row *row, struct buf *path,
       struct buf *page, char fp[9])
{
	static const char *const kinds[] = {"article", "page", "html"};
	enum made_kind kind = S_kind(m);
	*row = (struct pub_row){"", "", "", "", "", "", "", "", ""};
	row->path = (char *)S_path(r, m, path);
	row->kind = (char *)kinds[kind];
	if (kind == MADE_HTML)
		return;
	struct view_ident id;
	view_record_ident(S_src(r, m), &id);
	buf_reset(page);
	ids_page_key(id.page_no, page);
	row->paper = (char *)id.paper;
	row->date = (char *)id.date;
	row->page = page->data ? page->data : "";
	if (kind == MADE_ARTICLE) {
		S_fingerprint_of(id.excerpt, fp);
		row->id = (char *)id.id;
		row->fp = fp;
		row->title = (char *)id.title;
	}
}

/* The new manifest's rows in order, formatted on threads a window at a
   time: row k of the window is now[v] for v below nnow, else
   moved[v - nnow]. */
#define STAGE_CHUNK  4096 /* rows a thread formats at a time */
#define STAGE_CHUNKS 16   /* chunks a window */
struct stage_window {
	const struct redirects *r;
	const size_t *rows;
	size_t n;
	struct buf text[STAGE_CHUNKS];
};

static int
S_format_chunk(void *ctx, void *state, size_t c)
{
	(void)state;
	struct stage_window *w = ctx;
	struct buf path = BUF_INIT, page = BUF_INIT, *out = &w->text[c];
	char fp[9];
	buf_reset(out);
	for (size_t k = c * STAGE_CHUNK; k < w->n && k < (c + 1) * STAGE_CHUNK; k++) {
		size_t v = w->rows[k];
		struct pub_row row;
		if (v < w->r->nnow)
			S_fill(w->r, &w->r->now[v], &row, &path, &page, fp);
		else
			row = w->r->moved.v[v - w->r->nnow];
		pub_format_row(&row, out);
	}
	buf_release(&path);
	buf_release(&page);
	return 0;
}

/* Writes the new manifest to FILE.tmp: the pages made and the redirects,
   merged by path (they name none in common). */
static int
S_stage(struct redirects *r, int threads)
{
	pub_sort(&r->moved);
	r->new_set = r->now_set;
	for (size_t k = 0; k < r->moved.n; k++)
		pub_set_add(&r->new_set, r->moved.v[k].path);
	size_t m = r->nnow + r->moved.n, at = 0, i = 0, j = 0;
	size_t *rows = xreallocarray(NULL, m ? m : 1, sizeof *rows);
	struct buf path = BUF_INIT;
	while (i < r->nnow || j < r->moved.n) {
		int made_first =
		    j == r->moved.n ||
		    (i < r->nnow && strcmp(S_path(r, &r->now[i], &path), r->moved.v[j].path) < 0);
		rows[at++] = made_first ? i++ : r->nnow + j++;
	}
	buf_release(&path);
	struct pub_stager *s = pub_stage_start(r->file, &r->new_sum);
	struct stage_window w = {.r = r};
	for (size_t from = 0; from < m; from += STAGE_CHUNK * STAGE_CHUNKS) {
		w.rows = rows + from;
		w.n = m - from < STAGE_CHUNK * STAGE_CHUNKS ? m - from : STAGE_CHUNK * STAGE_CHUNKS;
		struct pool_task t = {
		    .n = (w.n + STAGE_CHUNK - 1) / STAGE_CHUNK, .run = S_format_chunk, .ctx = &w};
		pool_run(&t, threads);
		for (size_t c = 0; c < t.n; c++)
			pub_stage_text(s, w.text[c].data, w.text[c].len);
	}
	for (size_t c = 0; c < STAGE_CHUNKS; c++)
		buf_release(&w.text[c]);
	free(rows);
	return pub_stage_end(s);
}

/* The title a redirect to the page at to shows: its article's, else "". */
static const char *
S_target_title(const struct redirects *r, const char *to)
{
	const struct made_row *a = S_made_find(r, to);
	return a && S_kind(a) == MADE_ARTICLE ? S_str(S_src(r, a), "title") : "";
}

/* Writes the redirect page at path to the page at to, whose title is
   title (S_target_title's), or keeps the last build's. */
static int
S_write_one(struct output *out, struct mu_env *env, const struct mu_template *t, const json_t *site,
            const char *base_url, const char *path, const char *to, const char *title)
{
	struct buf root = BUF_INIT, link = BUF_INIT, canonical = BUF_INIT;
	util_root_of(path, &root);
	buf_printf(&link, "%s%s", root.data, to);
	if (*base_url)
		buf_printf(&canonical, "%s/%s", base_url, to);
	else
		buf_adds(&canonical, link.data);
	uint64_t key = out_key(0, "redirect", 8);
	key = out_key(key, canonical.data, canonical.len + 1);
	key = out_key(key, title, strlen(title) + 1);
	key = mujson_hash(site, key);
	int rc = out_reuse(out, path, key);
	if (rc == 0) {
		json_t *model = json_pack("{s:O,s:s,s:s,s:s,s:s,s:s}", "site", site, "root",
		                          root.data, "target", link.data, "canonical",
		                          canonical.data, "title", title, "path", to);
		rc = tpl_emit(out, env, t, &mujson_data, model, path, key);
		json_decref(model);
	}
	buf_release(&root);
	buf_release(&link);
	buf_release(&canonical);
	return rc < 0 ? -1 : 0;
}

/* The redirect pages of a manifest found as before (S_as_before), from
   their list. 0, or -1 after reporting. */
static int
S_write_listed(struct redirects *r, const struct moved_rows *m, struct output *out,
               struct mu_env *env, const json_t *site, const char *base_url)
{
	const struct mu_template *t = m->n ? mu_env_load(env, "redirect") : NULL;
	if (m->n && !t)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < m->n; i++) {
		char *const *f = &m->field[3 * i];
		if (S_write_one(out, env, t, site, base_url, f[0], f[1], f[2]) < 0)
			rc = -1;
	}
	r->nmoved = m->n;
	return rc;
}

int
redir_write(struct redirects *r, struct output *out, struct mu_env *env, const json_t *site,
            const char *base_url, int threads)
{
	r->out = out;
	r->made = out_made_count(out);
	struct moved_rows moved = {BUF_INIT, NULL, 0};
	int as_before = S_as_before(r, &moved);
	int written = as_before ? S_write_listed(r, &moved, out, env, site, base_url) : 0;
	S_moved_free(&moved);
	if (as_before) {
		r->new_sum = r->was.sum;
		r->new_set = r->was.set;
		r->ready = r->as_before = written == 0;
		pub_unstage(r->file); /* what a killed build left half written */
		return written;
	}
	S_rows_now(r, threads);
	if (!S_same_pages(r))
		S_load_old(r);
	const struct mu_template *t = NULL;
	struct buf tmp = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < r->old.n; i++) {
		const struct pub_row *row = &r->old.v[i];
		if (S_named_before(r, i) || S_is_made(r, row->path))
			continue; /* published, or a path the manifest names twice */
		const char *to = S_successor(r, row, &tmp);
		if (!to)
			continue; /* nothing published at all */
		if (!t && !(t = mu_env_load(env, "redirect"))) {
			rc = -1;
			break;
		}
		const char *title = S_target_title(r, to);
		if (S_write_one(out, env, t, site, base_url, row->path, to, title) < 0)
			rc = -1;
		S_list_moved(r, row->path, to, title);
		struct pub_row kept = *row;
		kept.kind = "redirect";
		kept.to = (char *)to;
		pub_add(&r->moved, &kept);
	}
	buf_release(&tmp);
	r->staged = S_stage(r, threads) == 0;
	r->nmoved = r->moved.n;
	free(r->now);
	r->now = NULL;
	pub_free(&r->moved);
	pub_free(&r->old);
	/* even unstaged, the fingerprint is the new manifest's, so that the
	   next build, finding the old one, tries again */
	r->ready = rc == 0;
	return rc;
}

int
redir_as_before(const struct redirects *r)
{
	return r->as_before;
}

void
redir_fingerprint(const struct redirects *r, struct buf *fp)
{
	pub_fingerprint(r->ready ? &r->new_sum : r->found ? &r->was.sum : NULL, fp);
}

/* Keeps this build's list of redirects beside the memo (for S_as_before):
   the hash of its text, or 0 when there is none (then no list is kept). */
static uint64_t
S_keep_list(const struct redirects *r)
{
	if (r->as_before)
		return r->was.moved; /* read whole, and kept as it is */
	if (!r->nmoved || r->unlisted) {
		unlink(r->list);
		return 0;
	}
	uint64_t h = S_list_hash(r->moved_list.data, r->moved_list.len);
	if (r->list_ok && h == r->was.moved)
		return h; /* the list there, read whole, is this one */
	return util_replace_file(r->list, r->moved_list.data, r->moved_list.len) == 0 ? h : 0;
}

void
redir_commit(struct redirects *r)
{
	if (!r->ready)
		return;
	struct pub_memo m = {r->new_sum, r->new_set, r->rows, r->nmoved, S_keep_list(r)};
	if (r->found && pub_sum_same(&r->new_sum, &r->was.sum)) {
		if (r->staged)
			pub_unstage(r->file); /* the same bytes: the file stays as it is */
		if (!r->memo_ok || r->was.rows != r->rows || r->was.redirects != r->nmoved ||
		    r->was.moved != m.moved)
			pub_memo_put(r->memo, r->file, &m);
	} else if (r->staged && pub_install(r->file) == 0) {
		pub_memo_put(r->memo, r->file, &m);
	}
	r->staged = 0;
}

void
redir_free(struct redirects *r)
{
	if (!r)
		return;
	if (r->staged) /* a build that failed after: the manifest stays */
		pub_unstage(r->file);
	free(r->file);
	free(r->memo);
	free(r->list);
	buf_release(&r->moved_list);
	free(r->root);
	pub_free(&r->old);
	free(r->now);
	pub_free(&r->moved);
	rplaces_free(r->places);
	json_t *maps[] = {r->records, r->index_pages, r->issue_of};
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
		json_decref(maps[i]);
	free(r);
}

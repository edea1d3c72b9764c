/*
 * redirects: a redirect page wherever a published URL no longer leads to
 * a page (redirects.h).
 */
#include "redirects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "buf.h"
#include "diag.h"
#include "ids.h"
#include "mujson.h"
#include "output.h"
#include "published.h"
#include "templates.h"
#include "text.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

#define CHAIN_MAX 32 /* redirects followed before giving up on a loop */

struct redirects {
	char *file;          /* the manifest */
	struct buf old_text; /* its bytes as read, until they are parsed */
	struct buf old_fp;   /* its line of the inputs' fingerprint */
	uint64_t old_hash;   /* a hash of its bytes, and their length */
	size_t old_len;
	struct pub_list old; /* what was published before */
	json_t *old_at;      /* path: its row's index in old */
	const struct output *out; /* what this build publishes: its pages */
	size_t made;              /* ... the first of its files, those before the redirects */
	json_t *article;     /* href: its record (archive.h) */
	json_t *view;        /* href: {paper, date, page} */
	json_t *former;      /* a former name: its href now */
	json_t *on_page;     /* "PAPER\tDATE\tKEY": [its records] */
	json_t *view_of;     /* "PAPER\tDATE\tKEY": the page view's href */
	json_t *issue_of;    /* "PAPER\tDATE": the issue's index.html */
	struct pub_list now; /* the new manifest */
	struct buf new_text;
	int ready;  /* new_text is made */
	int found;  /* the manifest was there */
	char *root; /* the live output, read without one */
};

static const char *
S_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(view_record_get(o, key)); /* a record's page's too */
	return s ? s : "";
}

struct redirects *
redir_open(const char *file, const char *root)
{
	struct redirects *r = xcalloc(1, sizeof *r);
	r->file = xstrdup(file);
	r->old_text = (struct buf)BUF_INIT;
	r->new_text = (struct buf)BUF_INIT;
	r->root = root ? xstrdup(root) : NULL;
	r->found = util_read_file(file, &r->old_text, 0) > 0;
	r->old_fp = (struct buf)BUF_INIT;
	pub_fingerprint(r->found ? r->old_text.data : NULL, r->old_text.len, &r->old_fp);
	r->old_len = r->old_text.len;
	r->old_hash = util_mix(0, r->old_text.data, r->old_text.len);
	r->old_at = json_object();
	r->article = json_object();
	r->view = json_object();
	r->former = json_object();
	r->on_page = json_object();
	r->view_of = json_object();
	r->issue_of = json_object();
	return r;
}

void
redir_load(struct redirects *r)
{
	if (r->found)
		pub_parse(r->file, r->old_text.data, r->old_text.len, &r->old);
	else if (r->root)
		pub_from_tree(r->root, &r->old);
	for (size_t i = 0; i < r->old.n; i++) /* a path named twice: the first */
		if (!json_object_get(r->old_at, r->old.v[i].path))
			json_object_set_new(r->old_at, r->old.v[i].path, json_integer((json_int_t)i));
	buf_release(&r->old_text); /* its rows, its hash and its line are kept */
}

/* ---------------------------------------------------------------------
 * What this build publishes
 * ------------------------------------------------------------------- */

/* "PAPER\tDATE\tKEY" of a record or an entry (page_no the page), or ""
   when one is unknown. */
static void
S_ident(const json_t *o, struct buf *out)
{
	const char *paper = S_str(o, "paper"), *date = S_str(o, "date"),
	           *page = S_str(o, "page_no");
	if (*paper && *date && *page) {
		buf_printf(out, "%s\t%s\t", paper, date);
		ids_page_key(page, out);
	}
}

/* 8 hex digits of the opening of an article's text. */
static void
S_fingerprint(const json_t *rec, char fp[9])
{
	const char *s = S_str(rec, "excerpt");
	if (!*s) {
		*fp = '\0';
		return;
	}
	snprintf(fp, 9, "%08llx",
	         (unsigned long long)(util_fnv(UTIL_FNV_START, s, strlen(s)) >> 32));
}

static void
S_learn_article(struct redirects *r, json_t *rec)
{
	json_object_set(r->article, S_str(rec, "href"), rec);
	const char *was = S_str(rec, "was");
	if (*was) {
		struct buf old = BUF_INIT;
		buf_printf(&old, "articles/%.2s/%s.html", was, was);
		json_object_set_new(r->former, old.data, json_string(S_str(rec, "href")));
		buf_release(&old);
	}
	struct buf ident = BUF_INIT;
	S_ident(rec, &ident);
	if (ident.len) {
		json_t *list = json_object_get(r->on_page, ident.data);
		if (!list)
			json_object_set_new(r->on_page, ident.data, list = json_array());
		json_array_append(list, rec);
	}
	buf_release(&ident);
}

/* The file a link to a directory means. */
static void
S_file_of(const char *href, struct buf *out)
{
	buf_adds(out, href);
	if (!out->len || out->data[out->len - 1] == '/')
		buf_adds(out, "index.html");
}

static void
S_learn_view(struct redirects *r, const json_t *e, const struct archive *arc)
{
	const char *href = S_str(e, "href");
	if (strncmp(href, "pages/", 6))
		return; /* a Markdown article's entry: its article page */
	struct buf ident = BUF_INIT, key = BUF_INIT, former = BUF_INIT;
	ids_page_key(S_str(e, "page_no"), &key);
	json_object_set_new(r->view, href,
	                    json_pack("{s:s,s:s,s:s}", "paper", S_str(e, "paper"), "date",
	                              S_str(e, "date"), "page", key.data));
	char *slug = view_slug(S_str(e, "source"));
	buf_printf(&former, "pages/%s.html", slug);
	free(slug);
	if (strcmp(former.data, href))
		json_object_set_new(r->former, former.data, json_string(href));
	S_ident(e, &ident);
	if (ident.len && !json_object_get(r->view_of, ident.data))
		json_object_set_new(r->view_of, ident.data, json_string(href));
	json_t *issue_href = arc ? archive_page_issue_href(arc, href) : NULL;
	const char *issue = issue_href ? json_string_value(issue_href) : "";
	if (*issue && *S_str(e, "paper") && *S_str(e, "date")) {
		struct buf at = BUF_INIT, file = BUF_INIT;
		buf_printf(&at, "%s\t%s", S_str(e, "paper"), S_str(e, "date"));
		S_file_of(issue, &file);
		json_object_set_new(r->issue_of, at.data, json_stringn(file.data, file.len));
		buf_release(&at);
		buf_release(&file);
	}
	json_decref(issue_href);
	buf_release(&ident);
	buf_release(&key);
	buf_release(&former);
}

void
redir_learn(struct redirects *r, const json_t *records, const json_t *index_pages,
            const struct archive *arc)
{
	size_t i;
	json_t *v;
	json_array_foreach (records, i, v)
		S_learn_article(r, v);
	json_array_foreach (index_pages, i, v)
		S_learn_view(r, v, arc);
}

/* ---------------------------------------------------------------------
 * Successors
 * ------------------------------------------------------------------- */

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

/* The article on the same printed page most like the row's. */
static const char *
S_best_article(const struct redirects *r, const struct pub_row *row, const char *ident)
{
	const json_t *list = json_object_get(r->on_page, ident);
	const char *best = NULL;
	double best_score = 0.5;
	size_t i;
	json_t *a;
	json_array_foreach (list, i, a) {
		char fp[9];
		S_fingerprint(a, fp);
		if (*row->fp && !strcmp(row->fp, fp))
			return S_str(a, "href");
		double s = *row->title ? S_alike(row->title, S_str(a, "title")) : 0;
		double t = *row->title ? S_alike(S_str(a, "title"), row->title) : 0;
		s = s < t ? s : t;
		if (s >= best_score)
			best_score = s + 1e-9, best = S_str(a, "href");
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
	if (*row->page && !strcmp(row->kind, "article"))
		to = S_best_article(r, row, tmp->data);
	if (!to && *row->page)
		to = json_string_value(json_object_get(r->view_of, tmp->data));
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
   result is in tmp or r's tables. */
static const char *
S_successor(const struct redirects *r, const struct pub_row *row, struct buf *tmp)
{
	const struct pub_row *at = row;
	for (int hops = 0; hops < CHAIN_MAX && !strcmp(at->kind, "redirect"); hops++) {
		if (S_is_made(r, at->to))
			return at->to;
		const json_t *next = json_object_get(r->old_at, at->to);
		if (!next)
			break;
		at = &r->old.v[json_integer_value(next)];
	}
	const char *to = json_string_value(json_object_get(r->former, row->path));
	if (S_is_made(r, to))
		return to;
	if ((to = S_by_place(r, row, tmp)) || (to = S_renamed_listing(r, row->path, tmp)) ||
	    (to = S_folder_index(r, row->path, tmp)))
		return to;
	return S_is_made(r, "index.html") ? "index.html" : NULL;
}

/* ---------------------------------------------------------------------
 * The pages and the manifest
 * ------------------------------------------------------------------- */

static int
S_write_one(struct redirects *r, struct output *out, struct mu_env *env,
            const struct mu_template *t, const json_t *site, const char *base_url,
            const struct pub_row *row, const char *to)
{
	struct buf root = BUF_INIT, link = BUF_INIT, canonical = BUF_INIT;
	util_root_of(row->path, &root);
	buf_printf(&link, "%s%s", root.data, to);
	if (*base_url)
		buf_printf(&canonical, "%s/%s", base_url, to);
	else
		buf_adds(&canonical, link.data);
	const json_t *a = json_object_get(r->article, to);
	const char *title = a ? S_str(a, "title") : "";
	uint64_t key = out_key(0, "redirect", 8);
	key = out_key(key, canonical.data, canonical.len + 1);
	key = out_key(key, title, strlen(title) + 1);
	key = mujson_hash(site, key);
	int rc = out_reuse(out, row->path, key);
	if (rc == 0) {
		json_t *model = json_pack("{s:O,s:s,s:s,s:s,s:s,s:s}", "site", site, "root",
		                          root.data, "target", link.data, "canonical",
		                          canonical.data, "title", title, "path", to);
		rc = tpl_emit(out, env, t, &mujson_data, model, row->path, key);
		json_decref(model);
	}
	buf_release(&root);
	buf_release(&link);
	buf_release(&canonical);
	return rc < 0 ? -1 : 0;
}

/* The manifest's line of a file this build publishes, if a page. */
static void
S_row_now(void *ctx, const char *path)
{
	struct redirects *r = ctx;
	if (!S_is_html(path))
		return;
	const json_t *a = json_object_get(r->article, path), *v = json_object_get(r->view, path);
	struct pub_row row = {.path = (char *)path, .kind = "html"};
	char fp[9];
	struct buf key = BUF_INIT;
	if (a) {
		S_fingerprint(a, fp);
		ids_page_key(S_str(a, "page_no"), &key);
		row = (struct pub_row){(char *)path,
		                       "article",
		                       NULL,
		                       (char *)S_str(a, "id"),
		                       (char *)S_str(a, "paper"),
		                       (char *)S_str(a, "date"),
		                       key.data,
		                       fp,
		                       (char *)S_str(a, "title")};
	} else if (v)
		row = (struct pub_row){.path = (char *)path,
		                       .kind = "page",
		                       .paper = (char *)S_str(v, "paper"),
		                       .date = (char *)S_str(v, "date"),
		                       .page = (char *)S_str(v, "page")};
	pub_add(&r->now, &row);
	buf_release(&key);
}

int
redir_write(struct redirects *r, struct output *out, struct mu_env *env, const json_t *site,
            const char *base_url)
{
	r->out = out;
	r->made = out_made_count(out);
	out_each_made(out, S_row_now, r);
	const struct mu_template *t = NULL;
	struct buf tmp = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < r->old.n; i++) {
		const struct pub_row *row = &r->old.v[i];
		if (S_is_made(r, row->path) ||
		    (size_t)json_integer_value(json_object_get(r->old_at, row->path)) != i)
			continue; /* published, or a path the manifest names twice */
		const char *to = S_successor(r, row, &tmp);
		if (!to)
			continue; /* nothing published at all */
		if (!t && !(t = mu_env_load(env, "redirect"))) {
			rc = -1;
			break;
		}
		if (S_write_one(r, out, env, t, site, base_url, row, to) < 0)
			rc = -1;
		struct pub_row kept = *row;
		kept.kind = "redirect";
		kept.to = (char *)to;
		pub_add(&r->now, &kept);
	}
	buf_release(&tmp);
	pub_format(&r->now, &r->new_text);
	pub_free(&r->now);
	r->ready = rc == 0;
	return rc;
}

void
redir_fingerprint(const struct redirects *r, struct buf *fp)
{
	if (r->ready)
		pub_fingerprint(r->new_text.data, r->new_text.len, fp);
	else
		buf_add(fp, r->old_fp.data, r->old_fp.len);
}

void
redir_commit(struct redirects *r)
{
	if (!r->ready ||
	    (r->found && r->new_text.len == r->old_len &&
	     util_mix(0, r->new_text.data, r->new_text.len) == r->old_hash))
		return;
	pub_write(r->file, r->new_text.data, r->new_text.len);
}

void
redir_free(struct redirects *r)
{
	if (!r)
		return;
	free(r->file);
	free(r->root);
	buf_release(&r->old_text);
	buf_release(&r->old_fp);
	buf_release(&r->new_text);
	pub_free(&r->old);
	pub_free(&r->now);
	json_t *maps[] = {r->old_at, r->article, r->view,   r->former,
	                  r->on_page, r->view_of, r->issue_of};
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
		json_decref(maps[i]);
	free(r);
}

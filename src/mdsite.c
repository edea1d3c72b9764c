#include "mdsite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "district.h"
#include "fingerprint.h"
#include "gazetteer.h"
#include "markdown.h"
#include "output.h"
#include "page.h"
#include "scan.h"
#include "search.h"
#include "segment.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

enum doc_kind { DOC_PAGE, DOC_INTRO };

/* A standalone page or an intro, as read. */
struct mdsite_doc {
	enum doc_kind kind;
	const char *rel, *path; /* the scan's */
	struct page_text text;  /* decoded, with its metadata */
	char *title;            /* a page's */
	char *href;             /* a page's output path */
	char *html;             /* a page's body, seen from href */
	long weight;
	struct seg_page text_of; /* a searchable page as an article, for its
	                            search document */
};

/* A linked file and the first link to it. */
struct mdsite_asset {
	char *rel;  /* under content/ */
	char *file; /* the Markdown file linking to it */
	size_t line, col;
};

/* The archive's own names at the output's top: no page may take them. */
static const char *const S_reserved[] = {
    "index.html", "404.html", "robots.txt", "sitemap.xml", "feed.xml", "articles", "districts",
    "dates",      "people",   "pages",      "search",      "static",   MD_MEDIA};

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */

/* The folder of rel, "" at content/'s top; the caller frees it. */
static char *
S_folder(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
}

static const char *
S_base(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? slash + 1 : rel;
}

/* Lists the files a rendered text links to, each once, in the fingerprint
   the first time. */
static void
S_note_assets(struct mdsite *ms, const struct md_doc *d, const char *file, const char *content,
              struct fingerprint *fp)
{
	for (size_t i = 0; i < d->nassets; i++) {
		const struct md_asset *a = &d->assets[i];
		size_t k = 0;
		while (k < ms->nassets && strcmp(ms->assets[k].rel, a->rel))
			k++;
		if (k < ms->nassets)
			continue;
		ms->assets = xgrow(ms->assets, &ms->capassets, ms->nassets, sizeof *ms->assets, 8);
		ms->assets[ms->nassets++] =
		    (struct mdsite_asset){xstrdup(a->rel), xstrdup(file), a->line, a->col};
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", content, a->rel);
		fp_file(fp, "asset", path.data, a->rel);
		buf_release(&path);
	}
}

/* Renders text of file (rel under content/) as shown from the output
   path shown_at, noting what it links to. */
static void
S_render(struct mdsite *ms, const struct page_text *t, const char *path, const char *rel,
         const char *shown_at, int quiet, struct md_doc *d, const char *content,
         struct fingerprint *fp)
{
	struct buf root = BUF_INIT;
	util_root_of(shown_at, &root);
	char *folder = S_folder(rel);
	struct md_options o = {.path = path,
	                       .first_line = t->body_line,
	                       .folder = folder,
	                       .root = root.data ? root.data : "",
	                       .take_title = !t->meta.title,
	                       .quiet = quiet};
	md_render(t->text, t->len, &o, d);
	S_note_assets(ms, d, path, content, fp);
	free(folder);
	buf_release(&root);
}

/* Whether a page may be written at href: not at one of the archive's own
   names, nor where another page is. */
static int
S_free_path(const struct mdsite *ms, const char *path, const char *href)
{
	size_t top = strcspn(href, "/");
	for (size_t i = 0; i < sizeof S_reserved / sizeof *S_reserved; i++)
		if (strlen(S_reserved[i]) == top && !strncmp(href, S_reserved[i], top)) {
			diag_error(path, 0, 0,
			           "a page here would be %s, which is the archive's own %.*s; move "
			           "or rename the file",
			           href, (int)top, href);
			return 0;
		}
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].href && !strcmp(ms->v[i].href, href)) {
			diag_error(path, 0, 0, "%s is also the page of %s; rename one", href,
			           ms->v[i].path);
			return 0;
		}
	return 1;
}

/* What the search index reads of a page: its title and blocks, as an
   article's (d's blocks are taken). */
static void
S_as_article(struct mdsite_doc *doc, struct md_doc *d)
{
	struct seg_page *sp = &doc->text_of;
	sp->v = xcalloc(1, sizeof *sp->v);
	sp->n = sp->cap = 1;
	struct seg_article *a = &sp->v[0];
	a->title = xstrdup(doc->title);
	a->blocks = xcalloc(d->nblocks ? d->nblocks : 1, sizeof *a->blocks);
	for (size_t i = 0; i < d->nblocks; i++) {
		a->blocks[i] = (struct seg_block){.type = d->blocks[i].heading ? SEG_H : SEG_P,
		                                  .text = d->blocks[i].text,
		                                  .line = d->blocks[i].line};
		d->blocks[i].text = NULL;
	}
	a->nblocks = a->capblocks = d->nblocks;
}

/* A standalone page: its path, title and body. */
static int
S_page(struct mdsite *ms, struct mdsite_doc *doc, const char *content, struct fingerprint *fp)
{
	char *slug = view_slug(doc->rel);
	struct buf href = BUF_INIT;
	buf_printf(&href, "%s.html", slug);
	free(slug);
	if (!S_free_path(ms, doc->path, href.data)) {
		buf_release(&href);
		return -1;
	}
	doc->href = buf_detach(&href, NULL);
	struct md_doc d;
	S_render(ms, &doc->text, doc->path, doc->rel, doc->href, 0, &d, content, fp);
	const struct meta *m = &doc->text.meta;
	doc->title = xstrdup(m->title ? m->title : d.title ? d.title : S_base(doc->rel));
	doc->html = d.html;
	d.html = NULL;
	doc->weight = m->weight ? strtol(m->weight, NULL, 10) : 0;
	if (m->search && !strcmp(m->search, "true"))
		S_as_article(doc, &d);
	md_doc_free(&d);
	return 0;
}

/* What a Markdown file is: an article (the page jobs read it), or a page
   or an intro, set aside here. */
static int
S_read_one(struct mdsite *ms, const struct scan *sc, struct scan_page *sp,
           const struct enc_options *eo, struct fingerprint *fp)
{
	struct page_text t;
	const char *content = sc->content;
	if (page_read(sp->path, sp->rel, scan_folder(sc, sp), eo, &t) < 0)
		return 0; /* the page jobs report it again, as for any page */
	const char *type = t.meta.type;
	int intro = !strcmp(S_base(sp->rel), "_index.md") || (type && !strcmp(type, "intro"));
	if (!intro && !(type && !strcmp(type, "page"))) {
		/* an article: only what it links to is wanted here */
		struct md_doc d;
		S_render(ms, &t, sp->path, sp->rel, "articles/xx/x.html", 1, &d, content, fp);
		md_doc_free(&d);
		page_text_free(&t);
		return 0;
	}
	if (intro) {
		/* its warnings and links now; it is rendered for its page later */
		struct md_doc d;
		S_render(ms, &t, sp->path, sp->rel, "districts/x/index.html", 0, &d, content, fp);
		md_doc_free(&d);
	}
	sp->aside = 1;
	ms->v = xgrow(ms->v, &ms->cap, ms->n, sizeof *ms->v, 8);
	struct mdsite_doc *doc = &ms->v[ms->n++];
	*doc = (struct mdsite_doc){
	    .kind = intro ? DOC_INTRO : DOC_PAGE, .rel = sp->rel, .path = sp->path, .text = t};
	return intro ? 0 : S_page(ms, doc, content, fp);
}

int
mdsite_read(struct mdsite *ms, struct scan *sc, const struct enc_options *eo,
            struct fingerprint *fp)
{
	memset(ms, 0, sizeof *ms);
	int rc = 0;
	for (size_t i = 0; i < sc->n; i++)
		if (md_is_markdown(sc->v[i].rel) && S_read_one(ms, sc, &sc->v[i], eo, fp) < 0)
			rc = -1;
	return rc;
}

/* ---------------------------------------------------------------------
 * What the archive is given
 * ------------------------------------------------------------------- */

static int
S_by_weight(const void *x, const void *y)
{
	const struct mdsite_doc *a = *(const struct mdsite_doc *const *)x;
	const struct mdsite_doc *b = *(const struct mdsite_doc *const *)y;
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	int c = strcmp(a->title, b->title);
	return c ? c : strcmp(a->href, b->href);
}

/* The pages by weight, then title; NULL when there are none. */
static const struct mdsite_doc **
S_ordered_pages(const struct mdsite *ms, size_t *n)
{
	*n = 0;
	const struct mdsite_doc **v = xcalloc(ms->n ? ms->n : 1, sizeof *v);
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].kind == DOC_PAGE && ms->v[i].href)
			v[(*n)++] = &ms->v[i];
	if (*n > 1)
		qsort(v, *n, sizeof *v, S_by_weight);
	if (!*n) {
		free(v);
		return NULL;
	}
	return v;
}

json_t *
mdsite_links(const struct mdsite *ms)
{
	size_t n;
	const struct mdsite_doc **v = S_ordered_pages(ms, &n);
	if (!v)
		return NULL;
	json_t *links = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    links, json_pack("{s:s,s:s}", "title", v[i]->title, "href", v[i]->href));
	free(v);
	return links;
}

json_t *
mdsite_pages(const struct mdsite *ms)
{
	size_t n;
	const struct mdsite_doc **v = S_ordered_pages(ms, &n);
	if (!v)
		return NULL;
	json_t *pages = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *search = v[i]->text.meta.search;
		json_array_append_new(pages, json_pack("{s:s,s:s,s:s,s:s,s:b}", "title",
		                                       v[i]->title, "href", v[i]->href, "html",
		                                       v[i]->html, "source", v[i]->rel, "search",
		                                       search && !strcmp(search, "true")));
	}
	free(v);
	return pages;
}

json_t *
mdsite_intros(const struct mdsite *ms, const struct gazetteer *gz)
{
	json_t *intros = NULL;
	for (size_t i = 0; i < ms->n; i++) {
		const struct mdsite_doc *doc = &ms->v[i];
		const struct meta *m = &doc->text.meta;
		if (doc->kind != DOC_INTRO)
			continue;
		if (!m->district && strcmp(S_base(doc->rel), "_index.md")) {
			diag_warning(
			    doc->path, 0, 0,
			    "an intro needs district: (or, for a paper, to be _index.md in "
			    "its folder); it is shown nowhere");
			continue;
		}
		struct buf at = BUF_INIT, key = BUF_INIT;
		json_t *d = NULL;
		if (!m->district) {
			/* a paper's: its name, else its folder's */
			buf_adds(&key, "paper:");
			if (m->paper) {
				buf_adds(&key, m->paper);
			} else {
				const char *end = strrchr(doc->rel, '/'), *start = end;
				while (start && start > doc->rel && start[-1] != '/')
					start--;
				if (end)
					buf_add(&key, start, (size_t)(end - start));
			}
			buf_adds(&at, "papers/paper/index.html");
		} else {
			struct dist_place pl = {.unit = gz_lookup(gz, m->district)};
			if (pl.unit < 0) {
				diag_warning(doc->path, 0, 0,
				             "unknown district '%s'; its intro is shown nowhere",
				             m->district);
				continue;
			}
			d = dist_json(gz, &pl);
			const char *slug = json_string_value(json_object_get(d, "slug"));
			buf_adds(&key, slug ? slug : "unplaced");
			buf_printf(&at, "districts/%s/index.html", slug ? slug : "unplaced");
		}
		struct md_doc md;
		struct mdsite scratch = {0}; /* its links were noted when it was read */
		struct fingerprint fp = FP_INIT;
		S_render(&scratch, &doc->text, doc->path, doc->rel, at.data, 1, &md, "", &fp);
		if (!intros)
			intros = json_object();
		json_object_set_new(intros, key.data, json_string(md.html));
		md_doc_free(&md);
		mdsite_free(&scratch);
		fp_free(&fp);
		buf_release(&at);
		buf_release(&key);
		json_decref(d);
	}
	return intros;
}

size_t
mdsite_search(const struct mdsite *ms, const struct chars *ch, struct search_entry **entries)
{
	size_t n = 0;
	*entries = NULL;
	struct search_set *set = search_set_new();
	for (size_t i = 0; i < ms->n; i++) {
		const struct mdsite_doc *doc = &ms->v[i];
		if (!doc->text_of.n)
			continue;
		*entries = xreallocarray(*entries, n + 1, sizeof **entries);
		struct search_doc *d = xcalloc(1, sizeof *d);
		search_doc_make(ch, &doc->text_of.v[0], NULL, set, d);
		(*entries)[n++] = (struct search_entry){.doc = d,
		                                        .title = doc->title,
		                                        .href = doc->href,
		                                        .date = "",
		                                        .group = "",
		                                        .group_slug = "",
		                                        .reporters = ""};
	}
	search_set_free(set);
	return n;
}

void
mdsite_search_free(struct search_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		search_doc_free(entries[i].doc);
		free(entries[i].doc);
	}
	free(entries);
}

/* ---------------------------------------------------------------------
 * Linked files
 * ------------------------------------------------------------------- */

/* Copies one linked file: 0, or -1 after reporting at its link. */
static int
S_copy(const struct mdsite_asset *a, const char *content, const char *real_content,
       struct output *out)
{
	struct buf path = BUF_INIT, data = BUF_INIT, to = BUF_INIT;
	int rc = -1;
	buf_printf(&path, "%s/%s", content, a->rel);
	char *real = realpath(path.data, NULL);
	size_t n = real_content ? strlen(real_content) : 0;
	struct stat st;
	if (!real || stat(real, &st) < 0) {
		diag_error(a->file, a->line, a->col, "links to %s, which is not there", path.data);
	} else if (!real_content || strncmp(real, real_content, n) || real[n] != '/') {
		diag_error(a->file, a->line, a->col,
		           "links to %s, which leads outside content/ through a link", path.data);
	} else if (!S_ISREG(st.st_mode)) {
		diag_error(a->file, a->line, a->col, "links to %s, which is not a file", path.data);
	} else if (!util_safe_name(a->rel)) {
		diag_error(a->file, a->line, a->col, "links to a file whose name cannot be copied");
	} else if (util_read_file(real, &data, 1) > 0 || st.st_size == 0) {
		buf_printf(&to, "%s/%s", MD_MEDIA, a->rel);
		rc = out_write(out, to.data, data.data ? data.data : "", data.len);
	}
	free(real);
	buf_release(&path);
	buf_release(&data);
	buf_release(&to);
	return rc;
}

int
mdsite_copy(const struct mdsite *ms, const char *content, struct output *out)
{
	char *real_content = realpath(content, NULL);
	int rc = 0;
	for (size_t i = 0; i < ms->nassets; i++)
		if (S_copy(&ms->assets[i], content, real_content, out) < 0)
			rc = -1;
	free(real_content);
	return rc;
}

void
mdsite_free(struct mdsite *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		page_text_free(&ms->v[i].text);
		free(ms->v[i].title);
		free(ms->v[i].href);
		free(ms->v[i].html);
		seg_page_free(&ms->v[i].text_of);
	}
	free(ms->v);
	for (size_t i = 0; i < ms->nassets; i++) {
		free(ms->assets[i].rel);
		free(ms->assets[i].file);
	}
	free(ms->assets);
	memset(ms, 0, sizeof *ms);
}

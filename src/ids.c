/*
 * ids: the names articles and page views are published under (ids.h).
 */
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "markdown.h"
#include "meta.h"
#include "pages.h"
#include "scan.h"
#include "segment.h"
#include "util.h"
#include "views.h"

static int
S_upper(char c)
{
	return c >= 'a' && c <= 'z' ? c - 0x20 : c;
}

static int
S_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Where a name is written: a buf, or else the size bytes at out (the
   name and a NUL when they fit); n counts every byte, as snprintf does,
   whether written or not. The reader makes names many times over, so
   one into an array takes no allocation. */
struct sink {
	struct buf *b;
	char *out;
	size_t size, n;
};

static void
S_put(struct sink *s, const char *p, size_t n)
{
	if (s->b)
		buf_add(s->b, p, n);
	else if (s->n + n < s->size)
		memcpy(s->out + s->n, p, n);
	s->n += n;
}

static void
S_putc(struct sink *s, char c)
{
	if (s->b)
		buf_addc(s->b, c);
	else if (s->n + 1 < s->size)
		s->out[s->n] = c;
	s->n++;
}

/* The page key of page (ids_page_key's) into s. */
static void
S_page_key(const char *page, struct sink *s)
{
	if (!page || !*page)
		return;
	size_t letters = 0;
	while (S_letter(page[letters]))
		letters++;
	const char *digits = page + letters;
	size_t ndigits = strspn(digits, "0123456789");
	/* a number after at most two letters, maybe followed by 版 */
	if (letters > 2 || !ndigits || (digits[ndigits] && strcmp(digits + ndigits, "版"))) {
		S_put(s, page, strlen(page));
		return;
	}
	if (!(letters == 1 && S_upper(page[0]) == 'A'))
		for (size_t i = 0; i < letters; i++)
			S_putc(s, (char)S_upper(page[i]));
	while (ndigits > 1 && *digits == '0')
		digits++, ndigits--;
	if (ndigits < 2)
		S_putc(s, '0');
	S_put(s, digits, ndigits);
}

void
ids_page_key(const char *page, struct buf *out)
{
	struct sink s = {.b = out};
	S_page_key(page, &s);
}

int
ids_page_identity(const struct meta *m, struct buf *out)
{
	if (!m->paper || !*m->paper || !m->date || !*m->date || !m->page || !*m->page)
		return 0;
	buf_printf(out, "%s\t%s\t", m->paper, m->date);
	ids_page_key(m->page, out);
	return 1;
}

/* The hash spread over all its bits (MurmurHash3's finaliser): ids of
   one page's articles, which differ in their last byte, land in
   different articles/XX/ folders. */
static void
S_hex(uint64_t h, char id[IDS_LEN])
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	snprintf(id, IDS_LEN, "%016llx", (unsigned long long)h);
}

void
ids_article(const char *ident, size_t index, char id[IDS_LEN])
{
	char pos[32];
	snprintf(pos, sizeof pos, "\t%zu", index);
	uint64_t h = util_fnv(UTIL_FNV_START, "page\t", 5);
	h = util_fnv(h, ident, strlen(ident));
	S_hex(util_fnv(h, pos, strlen(pos)), id);
}

void
ids_markdown(const char *rel, char id[IDS_LEN])
{
	uint64_t h = util_fnv(UTIL_FNV_START, "md\t", 3);
	S_hex(util_fnv(h, rel, strlen(rel)), id);
}

void
ids_assign(struct seg_page *sp, const char *rel, const struct meta *m, int markdown)
{
	struct buf ident = BUF_INIT;
	int placed = !markdown && ids_page_identity(m, &ident);
	for (size_t i = 0; i < sp->n; i++) {
		struct seg_article *a = &sp->v[i];
		memcpy(a->legacy, a->id, sizeof a->legacy);
		if (markdown)
			ids_markdown(rel, a->id);
		else if (placed)
			ids_article(ident.data, i + 1, a->id);
	}
	buf_release(&ident);
}

/* Whether c is written as itself in a name. */
static int
S_plain(unsigned char c)
{
	return S_letter((char)c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* s into out with every byte outside A-Z a-z 0-9 - _ written ~xx. */
static void
S_escape(const char *s, size_t len, struct sink *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < len;) {
		size_t plain = 0;
		while (i + plain < len && S_plain((unsigned char)s[i + plain]))
			plain++;
		S_put(out, s + i, plain);
		if ((i += plain) < len) {
			unsigned char c = (unsigned char)s[i++];
			S_putc(out, '~');
			S_putc(out, hex[c >> 4]);
			S_putc(out, hex[c & 15]);
		}
	}
}

/* The paper's name escaped into out. The last one this thread escaped
   is kept: a build names few papers, and an href is made again each
   time a page's entry is read (views_entry.c), a dozen times a page. */
#define PAPER_MEMO 64
static void
S_escape_paper(const char *paper, struct sink *out)
{
	static _Thread_local struct {
		char name[PAPER_MEMO], escaped[3 * PAPER_MEMO];
		size_t len, escaped_len;
	} last;
	size_t len = strlen(paper);
	if (len >= PAPER_MEMO) {
		S_escape(paper, len, out);
		return;
	}
	if (len != last.len || memcmp(paper, last.name, len)) {
		struct sink memo = {.out = last.escaped, .size = sizeof last.escaped};
		S_escape(paper, len, &memo);
		memcpy(last.name, paper, len);
		last.len = len;
		last.escaped_len = memo.n;
	}
	S_put(out, last.escaped, last.escaped_len);
}

/* The path of the view paper, date and page name into out: 1, or 0
   (nothing written) when one of them is NULL or empty. */
static int
S_view_path(const char *paper, const char *date, const char *page, struct sink *out)
{
	if (!paper || !*paper || !date || !*date || !page || !*page)
		return 0;
	char key[32];
	struct sink k = {.out = key, .size = sizeof key};
	struct buf long_key = BUF_INIT; /* a key that does not fit: a page name */
	S_page_key(page, &k);
	if (k.n >= sizeof key)
		ids_page_key(page, &long_key);
	S_put(out, "pages/", 6);
	S_escape_paper(paper, out);
	S_putc(out, '/');
	S_escape(date, strlen(date), out);
	S_putc(out, '/');
	S_escape(long_key.len ? long_key.data : key, long_key.len ? long_key.len : k.n, out);
	buf_release(&long_key);
	S_put(out, ".html", 5);
	return 1;
}

int
ids_view_path(const char *paper, const char *date, const char *page, struct buf *out)
{
	struct sink s = {.b = out};
	return S_view_path(paper, date, page, &s);
}

size_t
ids_view_path_in(const char *paper, const char *date, const char *page, char *out, size_t size)
{
	struct sink s = {.out = out, .size = size};
	if (!S_view_path(paper, date, page, &s) || s.n >= size)
		return 0;
	out[s.n] = '\0';
	return s.n;
}

/* ---------------------------------------------------------------------
 * Two files, one printed page
 * ------------------------------------------------------------------- */

/* The article page of record r named as before these ids (its "was"),
   in r (its page's briefs are made from it) and in the pages of the
   archive. */
static void
S_own_article_href(json_t *r)
{
	const char *was = view_record_str(r, "was", NULL);
	const char *name = was ? was : view_record_str(r, "id", NULL);
	struct buf href = BUF_INIT;
	buf_printf(&href, "articles/%.2s/%s.html", name, name);
	json_t *h = json_stringn(href.data, href.len);
	view_record_set(r, "href", h);
	buf_release(&href);
}

/* Publishes page p under its path (its view at view_slug, its articles at
   their former ids), as the same printed page as the page file first
   (named from content/), with a warning. */
static void
S_own_names(struct page *p, const char *first)
{
	diag_warning(p->src->path, 0, 0,
	             "the same paper, date and page as %s; this page's URLs are "
	             "made from its file's path (give one of them its own page number)",
	             first);
	char *slug = view_slug(p->src->rel);
	struct buf view = BUF_INIT;
	buf_printf(&view, "pages/%s.html", slug);
	json_t *v = json_stringn(view.data, view.len);
	view_entry_set(p->entry, "href", json_incref(v));
	for (size_t k = 0; k < p->nrecords; k++) {
		view_record_set(p->records[k], "page_href", json_incref(v));
		S_own_article_href(p->records[k]);
	}
	json_decref(v);
	buf_release(&view);
	free(slug);
}

/* A page view's path looked for among those of the pages of pl that
   keep theirs: the table's entries are their numbers in pl. */
struct view_key {
	const struct pagelist *pl;
	const char *href;
	struct view_href *scratch; /* for theirs */
};

static int
S_same_view(const void *ctx, size_t i)
{
	const struct view_key *k = ctx;
	return !strcmp(view_record_href(k->pl->v[i].entry, k->scratch), k->href);
}

void
ids_settle(struct pagelist *pl)
{
	/* the pages' numbers, their hrefs made again to compare (a copy of
	   each would cost a million pages' worth) */
	struct hmap kept = {0};
	struct view_href mine, theirs;
	hmap_reserve(&kept, pl->n);
	for (size_t i = 0; i < pl->n; i++) {
		struct page *p = &pl->v[i];
		if (!p->entry || md_is_markdown(p->src->rel))
			continue;
		struct view_key key = {pl, view_record_href(p->entry, &mine), &theirs};
		uint64_t h = util_mix(0, key.href, strlen(key.href));
		size_t slot = hmap_probe(&kept, h, S_same_view, &key);
		size_t first = hmap_entry(&kept, slot);
		if (first == HMAP_NONE)
			hmap_fill(&kept, slot, h, i);
		else
			S_own_names(p, pl->v[first].src->rel);
	}
	hmap_free(&kept);
}

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

void
ids_page_key(const char *page, struct buf *out)
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
		buf_adds(out, page);
		return;
	}
	if (!(letters == 1 && S_upper(page[0]) == 'A'))
		for (size_t i = 0; i < letters; i++)
			buf_addc(out, (char)S_upper(page[i]));
	while (ndigits > 1 && *digits == '0')
		digits++, ndigits--;
	if (ndigits < 2)
		buf_addc(out, '0');
	buf_add(out, digits, ndigits);
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

/* Appends s with every byte outside A-Z a-z 0-9 - _ written ~xx. */
static void
S_escape(const char *s, struct buf *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (S_letter((char)c) || (c >= '0' && c <= '9') || c == '-' || c == '_')
			buf_addc(out, (char)c);
		else
			buf_printf(out, "~%02x", c);
	}
}

char *
ids_page_slug(const char *rel, const struct meta *m)
{
	struct buf ident = BUF_INIT, slug = BUF_INIT;
	if (!ids_page_identity(m, &ident)) {
		buf_release(&ident);
		return view_slug(rel);
	}
	char *paper = ident.data, *date = strchr(paper, '\t') + 1, *key = strchr(date, '\t') + 1;
	date[-1] = key[-1] = '\0';
	S_escape(paper, &slug);
	buf_addc(&slug, '/');
	S_escape(date, &slug);
	buf_addc(&slug, '/');
	S_escape(key, &slug);
	buf_release(&ident);
	return buf_detach(&slug, NULL);
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
};

static int
S_same_view(const void *ctx, size_t i)
{
	const struct view_key *k = ctx;
	return !strcmp(view_entry_str(k->pl->v[i].entry, "href", NULL), k->href);
}

void
ids_settle(struct pagelist *pl)
{
	/* the pages' own strings, not a copy of each (a million pages') */
	struct hmap kept = {0};
	hmap_reserve(&kept, pl->n);
	for (size_t i = 0; i < pl->n; i++) {
		struct page *p = &pl->v[i];
		if (!p->entry || md_is_markdown(p->src->rel))
			continue;
		struct view_key key = {pl, view_entry_str(p->entry, "href", NULL)};
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

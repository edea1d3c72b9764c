#include "views.h"

#include <string.h>

#include <stdlib.h>

#include "buf.h"
#include "ids.h"
#include "issues.h"
#include "markdown.h"
#include "meta.h"
#include "mujson.h"
#include "reader.h"
#include "text.h"
#include "util.h"

#define TITLE_CHARS   40
#define EXCERPT_CHARS 90
#define LEAD_CHARS    120

char *
view_slug(const char *rel)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(rel);
	const char *dot = strrchr(rel, '.');
	if (dot && (!strcmp(dot, ".txt") || !strcmp(dot, ".md")))
		len = (size_t)(dot - rel);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)rel[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '/')
			buf_addc(&b, c);
		else
			buf_printf(&b, "~%02x", c);
	}
	return buf_detach(&b, NULL);
}

/* The first max characters of the n bytes at p, with "…" when cut. */
static json_t *
S_cut(const char *p, size_t n, size_t max)
{
	size_t chars = 0, i = 0;
	while (i < n && chars < max) {
		size_t k = txt_utf8_len((const unsigned char *)p + i, n - i);
		i += k ? k : 1;
		chars++;
	}
	if (i >= n)
		return json_stringn_nocheck(p, n);
	struct buf b = BUF_INIT;
	buf_add(&b, p, i < n ? i : n);
	buf_adds(&b, "…");
	json_t *j = json_stringn_nocheck(b.data, b.len);
	buf_release(&b);
	return j;
}

/* The first non-blank line, without Markdown heading marks and layout
   arrows, cut to TITLE_CHARS characters. */
static json_t *
S_title(const char *text, const char *fallback)
{
	const char *p = text;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '#' || *p == '\n')
			p++;
		if (!strncmp(p, "◀", strlen("◀"))) {
			p += strlen("◀");
			continue;
		}
		break;
	}
	size_t n = strcspn(p, "\n");
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0)
		return json_string(fallback);
	return S_cut(p, n, TITLE_CHARS);
}

struct model_map *
view_article(struct model *m, const struct seg_article *a, mval district, int with_original,
             mval over)
{
	struct model_list *blocks = model_list(m, a->nblocks);
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *b = &a->blocks[i];
		struct model_map *o = model_map(m, 7, NULL);
		model_set(m, o, "is_p", model_bool(b->type == SEG_P));
		model_set(m, o, "is_h", model_bool(b->type == SEG_H));
		model_set(m, o, "is_figure", model_bool(b->type == SEG_FIGURE));
		model_set(m, o, "text", model_str(m, b->text));
		model_set(m, o, "caption", model_str(m, b->caption));
		model_set(m, o, "credit", model_str(m, b->credit));
		model_set(m, o, "line", model_int(m, (long long)b->line));
		model_push(m, blocks, model_map_val(o));
	}
	struct model_map *v = model_map(m, 26, over);
	model_set(m, v, "id", model_str(m, a->id));
	model_set(m, v, "title", model_str(m, a->title));
	model_set(m, v, "title_derived", model_bool(a->title_derived));
	model_set(m, v, "notice", model_bool(a->kind == SEG_NOTICE));
	model_set(m, v, "kicker", model_str(m, a->kicker));
	model_set(m, v, "subtitle", model_str(m, a->subtitle));
	model_set(m, v, "dateline", model_str(m, a->dateline));
	model_set(m, v, "reporters", model_strlist(m, &a->reporters));
	model_set(m, v, "photographers", model_strlist(m, &a->photographers));
	model_set(m, v, "has_byline", model_bool(a->reporters.n + a->photographers.n > 0));
	model_set(m, v, "continued_from",
	          a->continued_from ? model_int(m, a->continued_from) : model_null());
	model_set(m, v, "continues_on",
	          a->continues_on ? model_int(m, a->continues_on) : model_null());
	model_set(m, v, "blocks", model_list_val(blocks));
	if (with_original && a->original)
		model_set(m, v, "original", model_str(m, a->original));
	if (a->html) {
		model_set(m, v, "html", model_str(m, a->html));
		model_set(m, v, "markdown", model_bool(1));
	}
	model_set(m, v, "line", model_int(m, (long long)a->first_line));
	model_set(m, v, "district", district);
	model_set(m, v, "has_reporters", model_bool(a->reporters.n > 0));
	model_set(m, v, "has_photographers", model_bool(a->photographers.n > 0));
	return v;
}

/* The first characters of an article's first paragraph, for listings. */
static json_t *
S_excerpt(const struct seg_article *a)
{
	for (size_t i = 0; i < a->nblocks; i++) {
		const char *t = a->blocks[i].text;
		if (a->blocks[i].type != SEG_P || !t)
			continue;
		return S_cut(t, strlen(t), EXCERPT_CHARS);
	}
	return json_null();
}

mval
view_lead(struct model *m, const struct seg_article *a)
{
	struct buf text = BUF_INIT;
	size_t chars = 0;
	for (size_t i = 0; i < a->nblocks && chars <= LEAD_CHARS; i++) {
		const struct seg_block *b = &a->blocks[i];
		const char *t = b->type == SEG_P ? b->text : NULL;
		if (!t)
			continue;
		buf_adds(&text, t);
		chars += txt_chars(t, strlen(t));
	}
	mval lead = model_null();
	if (!text.len) /* photo news: its caption */
		for (size_t i = 0; i < a->nblocks && !text.len; i++)
			if (a->blocks[i].type == SEG_FIGURE && a->blocks[i].caption)
				buf_adds(&text, a->blocks[i].caption);
	if (text.len) {
		json_t *cut = S_cut(text.data, text.len, LEAD_CHARS);
		lead = model_strcopy(m, json_string_value(cut), json_string_length(cut));
		json_decref(cut);
	}
	buf_release(&text);
	return lead;
}

/* The fields of a record that are its printed page's (view_record_link). */
static const char *const S_page_keys[] = {"source",     "date",      "paper", "page_no",
                                          "section",    "page_label", "page_href", "tags"};
#define PAGE_KEYS (sizeof S_page_keys / sizeof *S_page_keys)

/* A record's fields, by slot: those most records have first, so that
   most fit the array's first eight slots; then the archive's. */
static const char *const S_fields[] = {
    "id",     "title",          "district",       "href",
    "excerpt", VIEW_PAGE_KEY,   "was",            "reporters",
    "kicker", "photographers",  "continued_from", "continues_on",
    "continues_href", "continued_href", "first_half_reporters", "page_href"};
#define FIELDS (sizeof S_fields / sizeof *S_fields)
enum { PAGE_SLOT = 5 };

/* The fields every record has, which read as null when empty (as when a
   record was an object, its template lookups then resolving). */
static int
S_always(size_t slot)
{
	return slot < PAGE_SLOT || !strcmp(S_fields[slot], "kicker");
}

/* The place of key among the n names, or -1. */
static int
S_index(const char *const *names, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (*names[i] == *key && !strcmp(names[i], key))
			return (int)i;
	return -1;
}

/* The value in slot i of r, NULL for none. */
static const json_t *
S_at(const json_t *r, size_t i)
{
	const json_t *v = json_array_get(r, i);
	return json_is_null(v) ? NULL : v;
}

const json_t *
view_record_get(const json_t *r, const char *key)
{
	if (!json_is_array(r)) /* a page's fields, a district */
		return json_object_get(r, key);
	int i = S_index(S_fields, FIELDS, key);
	const json_t *v = i >= 0 ? S_at(r, (size_t)i) : NULL;
	if (v)
		return v;
	if (S_index(S_page_keys, PAGE_KEYS, key) >= 0) /* page_href: when it has none of its own */
		return json_object_get(S_at(r, PAGE_SLOT), key);
	return i >= 0 && S_always((size_t)i) ? json_null() : NULL;
}

int
view_record_set(json_t *r, const char *key, json_t *v)
{
	int i = S_index(S_fields, FIELDS, key);
	if (i < 0 || !json_is_array(r)) {
		json_decref(v);
		return -1;
	}
	if (!v)
		v = json_null();
	while (json_array_size(r) <= (size_t)i) {
		if (json_is_null(v))
			return 0; /* none already */
		json_array_append_new(r, json_null());
	}
	return json_array_set_new(r, (size_t)i, v);
}

int
view_record_valid(const json_t *r)
{
	return json_is_array(r) && json_array_size(r) <= FIELDS;
}

void
view_record_each(const json_t *r, void (*fn)(const char *key, const json_t *v, void *arg),
                 void *arg)
{
	size_t n = json_array_size(r);
	for (size_t i = 0; i < n && i < FIELDS; i++) {
		const json_t *v = S_at(r, i);
		if (v && i != PAGE_SLOT)
			fn(S_fields[i], v, arg);
	}
	const json_t *page = S_at(r, PAGE_SLOT);
	for (size_t i = 0; i < PAGE_KEYS; i++) {
		const json_t *v = json_object_get(page, S_page_keys[i]);
		if (v)
			fn(S_page_keys[i], v, arg);
	}
}

void
view_record_link(json_t *records, const json_t *entry)
{
	size_t k;
	json_t *r;
	json_array_foreach (records, k, r)
		view_record_set(r, VIEW_PAGE_KEY, json_incref((json_t *)entry));
}

mval
view_record_over(struct model *m, const json_t *r)
{
	if (!r)
		return NULL;
	struct model_map *v = model_map(m, FIELDS + PAGE_KEYS, NULL);
	size_t n = json_array_size(r);
	for (size_t i = 0; i < FIELDS; i++) {
		const json_t *f = i < n ? S_at(r, i) : NULL;
		if (f && i != PAGE_SLOT)
			model_set(m, v, S_fields[i], (mval)f);
		else if (S_always(i))
			model_set(m, v, S_fields[i], model_null());
	}
	const json_t *page = S_at(r, PAGE_SLOT);
	for (size_t i = 0; i < PAGE_KEYS; i++) {
		const json_t *f = json_object_get(page, S_page_keys[i]);
		if (f) /* a record's own page_href wins, being set first */
			model_set(m, v, S_page_keys[i], (mval)f);
	}
	return model_map_val(v);
}

json_t *
view_record(const struct seg_article *a, json_t *district)
{
	json_t *r = json_array();
	view_record_set(r, "id", json_string_nocheck(a->id));
	view_record_set(r, "title", mujson_str(a->title));
	view_record_set(r, "kicker", mujson_str(a->kicker));
	view_record_set(r, "district", json_incref(district));
	struct buf href = BUF_INIT;
	buf_printf(&href, "articles/%.2s/%s.html", a->id, a->id);
	view_record_set(r, "href", json_stringn(href.data, href.len));
	buf_release(&href);
	view_record_set(r, "excerpt", S_excerpt(a));
	/* what most articles lack is left out (a record is held for every
	   article of the archive): read as empty, and an article's page
	   has the article's own */
	if (a->reporters.n)
		view_record_set(r, "reporters", mujson_strlist(&a->reporters));
	if (*a->legacy && strcmp(a->legacy, a->id)) /* for the redirects (redirects.h) */
		view_record_set(r, "was", json_string_nocheck(a->legacy));
	if (a->photographers.n)
		view_record_set(r, "photographers", mujson_strlist(&a->photographers));
	if (a->continued_from)
		view_record_set(r, "continued_from", json_integer(a->continued_from));
	if (a->continues_on)
		view_record_set(r, "continues_on", json_integer(a->continues_on));
	return r;
}

json_t *
view_brief(const struct seg_article *a, int has_record)
{
	if (has_record)
		return json_true();
	json_t *b = json_object();
	json_object_set_new_nocheck(b, "id", json_string_nocheck(a->id));
	json_object_set_new_nocheck(b, "title", mujson_str(a->title));
	json_object_set_new_nocheck(b, "kicker", mujson_str(a->kicker));
	return b;
}

void
view_entry_link(json_t *entry, size_t first)
{
	json_object_set_new_nocheck(entry, VIEW_FIRST_KEY, json_integer((json_int_t)first));
}

/* What a brief shows of its article's record, and the key it shows it as. */
static const char *const S_brief_of[] = {"id", "title", "kicker", "href"};
static const char *const S_brief_keys[] = {"id", "title", "kicker", "article_href"};
#define BRIEF_KEYS (sizeof S_brief_keys / sizeof *S_brief_keys)

/* Calls fn with each brief of entry: a notice's own (b), or the record
   (r) of an article, in page order; records holds every page's. */
static void
S_each_brief(const json_t *entry, const json_t *records,
             void (*fn)(const json_t *b, const json_t *r, void *arg), void *arg)
{
	const json_t *first = json_object_get(entry, VIEW_FIRST_KEY);
	size_t i, k = (size_t)json_integer_value(first);
	json_t *b;
	json_array_foreach (json_object_get(entry, "articles"), i, b) {
		if (json_is_object(b))
			fn(b, NULL, arg);
		else if (first && k < json_array_size(records))
			fn(NULL, json_array_get(records, k++), arg);
	}
}

/* The value of a brief's key i, from its own (b) or its record (r). */
static const json_t *
S_brief_value(const json_t *b, const json_t *r, size_t i)
{
	return b ? json_object_get(b, S_brief_keys[i]) : view_record_get(r, S_brief_of[i]);
}

struct briefs_model {
	struct model *m;
	struct model_list *list;
};

static void
S_brief_model(const json_t *b, const json_t *r, void *arg)
{
	struct briefs_model *bm = arg;
	struct model_map *map = model_map(bm->m, BRIEF_KEYS, NULL);
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		const json_t *v = S_brief_value(b, r, i);
		if (v)
			model_set(bm->m, map, S_brief_keys[i], (mval)v);
	}
	model_push(bm->m, bm->list, model_map_val(map));
}

mval
view_briefs_model(struct model *m, const json_t *entry, const json_t *records)
{
	size_t n = json_array_size(json_object_get(entry, "articles"));
	struct briefs_model bm = {m, model_list(m, n)};
	S_each_brief(entry, records, S_brief_model, &bm);
	return model_list_val(bm.list);
}

static void
S_brief_json(const json_t *b, const json_t *r, void *arg)
{
	json_t *o = json_object();
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		const json_t *v = S_brief_value(b, r, i);
		if (v)
			json_object_set_nocheck(o, S_brief_keys[i], (json_t *)v);
	}
	json_array_append_new(arg, o);
}

json_t *
view_briefs(const json_t *entry, const json_t *records)
{
	json_t *list = json_array();
	S_each_brief(entry, records, S_brief_json, list);
	return list;
}

/* Whether key of an entry is one of its own fields, not its briefs
   nor its link to its records. */
static int
S_entry_field(const char *key)
{
	return *key != '@' && strcmp(key, "articles");
}

mval
view_entry_model(struct model *m, const json_t *entry, const json_t *records)
{
	struct model_map *map = model_map(m, json_object_size(entry), NULL);
	const char *key;
	json_t *v;
	json_object_foreach ((json_t *)entry, key, v)
		if (S_entry_field(key))
			model_set(m, map, key, v);
	model_set(m, map, "articles", view_briefs_model(m, entry, records));
	return model_map_val(map);
}

static void
S_brief_hash(const json_t *b, const json_t *r, void *arg)
{
	uint64_t *h = arg;
	for (size_t i = 0; i < BRIEF_KEYS; i++)
		*h = mujson_hash(S_brief_value(b, r, i), *h);
}

uint64_t
view_entry_hash(const json_t *entry, const json_t *records, uint64_t h)
{
	const char *key;
	json_t *v;
	json_object_foreach ((json_t *)entry, key, v) {
		if (S_entry_field(key))
			h = mujson_hash(v, util_mix(h, key, strlen(key) + 1));
	}
	S_each_brief(entry, records, S_brief_hash, &h);
	return h;
}

json_t *
view_record_shared(const char *source, const struct meta *m)
{
	struct buf label = BUF_INIT, href = BUF_INIT;
	json_t *shared = json_pack("{s:s,s:o,s:o,s:o,s:o}", "source", source, "date",
	                           mujson_str(m->date), "paper", mujson_str(m->paper), "page_no",
	                           mujson_str(m->page), "section", mujson_str(m->section));
	/* a printed page's label and view; a Markdown article has neither */
	if (!md_is_markdown(source)) {
		iss_page_label(m->page, m->section, &label);
		char *slug = ids_page_slug(source, m);
		buf_printf(&href, "pages/%s.html", slug);
		free(slug);
		json_object_set_new(shared, "page_label",
		                    label.len ? json_stringn(label.data, label.len) : json_null());
		json_object_set_new(shared, "page_href", json_stringn(href.data, href.len));
	}
	buf_release(&label);
	buf_release(&href);
	if (m->tags.n) /* only then: untagged records stay as they were */
		json_object_set_new(shared, "tags", mujson_strlist(&m->tags));
	return shared;
}

json_t *
view_page_title(const struct reader_page *rp, const char *source)
{
	const struct page_text *pt = &rp->text;
	return pt->meta.title ? json_string(pt->meta.title)
	       : rp->seg.n    ? json_string(rp->seg.v[0].title)
	                      : S_title(pt->text, source);
}

mval
view_page(struct model *m, mval site, const char *relpath, const struct page_view *pv)
{
	struct buf root = BUF_INIT;
	util_root_of(relpath, &root);
	const json_t *heading = json_object_get(pv->nav, "heading");
	struct model_map *page = model_map(m, 8, NULL);
	model_set(m, page, "title", pv->title);
	model_set(m, page, "heading", heading ? heading : pv->title);
	model_set(m, page, "source", model_str(m, pv->source));
	model_set(m, page, "encoding", model_str(m, pv->encoding));
	model_set(m, page, "nav", pv->nav ? (mval)pv->nav : model_null());
	model_set(m, page, "articles", model_list_val(pv->articles));
	model_set(m, page, "count", model_int(m, (long long)pv->count));
	model_set(m, page, "scan", pv->scan ? (mval)pv->scan : model_null());
	struct model_map *model = model_map(m, 3, NULL);
	model_set(m, model, "site", site);
	model_set(m, model, "root", model_strcopy(m, root.data, root.len));
	model_set(m, model, "page", model_map_val(page));
	buf_release(&root);
	return model_map_val(model);
}

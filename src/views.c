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
	struct buf b = BUF_INIT;
	txt_cut(p, n, max, &b);
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
		mval v = b ? json_object_get(b, S_brief_keys[i])
		           : view_record_val(bm->m, r, S_brief_of[i]);
		if (v)
			model_set(bm->m, map, S_brief_keys[i], v);
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
		json_t *v = b ? json_incref(json_object_get(b, S_brief_keys[i]))
		              : view_record_json(r, S_brief_of[i]);
		if (v)
			json_object_set_new_nocheck(o, S_brief_keys[i], v);
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
view_entry_model(struct model *m, const json_t *entry, const json_t *records, mval over)
{
	struct model_map *map = model_map(m, json_object_size(entry), over);
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
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		uint64_t text = b ? 0 : view_record_text_hash(r, S_brief_of[i]);
		*h = text ? util_mix_u64(*h, text)
		          : mujson_hash(b ? json_object_get(b, S_brief_keys[i]) : json_null(), *h);
	}
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

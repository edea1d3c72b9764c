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

#define TITLE_CHARS 40
#define LEAD_CHARS  120

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
	mval title = model_str(m, pv->title);
	model_set(m, page, "title", title);
	model_set(m, page, "heading", heading ? heading : title);
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

#include "archive_int.h"

#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "output.h"

/* Strings of a JSON-LD script: s, and v (or "" when v is not a
   string), "</" written "<\/" so the text cannot close the element. */
static void
S_put_json_str(struct buf *out, const char *s)
{
	mujson_put_string(out, s, strlen(s), 1);
}

static void
S_put_json(struct buf *out, const json_t *v)
{
	if (json_is_string(v))
		mujson_put_string(out, json_string_value(v), json_string_length(v), 1);
	else
		buf_adds(out, "\"\"");
}

/* Appends the JSON-LD of the article of record r to out: its schema.org
   NewsArticle, for a <script> element. */
static void
S_jsonld(const struct archive *a, const json_t *r, struct buf *out)
{
	/* written out directly: building a tree for json_dumps cost more
	   than the rest of an article's model */
	buf_adds(out,
	         "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":");
	S_put_json_str(out, archive_str(r, "title"));
	buf_adds(out, ",\"author\":[");
	json_t *name;
	size_t k;
	json_array_foreach ((json_t *)view_record_get(r, "reporters"), k, name) {
		buf_adds(out, k ? ",{\"@type\":\"Person\",\"name\":"
		                : "{\"@type\":\"Person\",\"name\":");
		S_put_json(out, name);
		buf_addc(out, '}');
	}
	const char *paper = archive_str(r, "paper");
	buf_adds(out, "],\"publisher\":{\"@type\":\"Organization\",\"name\":");
	S_put_json_str(out, *paper ? paper : archive_str(a->site, "title"));
	buf_adds(out, "},\"inLanguage\":");
	S_put_json_str(out, a->cfg->language);
	if (*archive_str(r, "date")) {
		buf_adds(out, ",\"datePublished\":");
		S_put_json(out, view_record_get(r, "date"));
	}
	const json_t *path = json_object_get(view_record_get(r, "district"), "path");
	if (json_array_size(path)) {
		buf_adds(out, ",\"contentLocation\":{\"@type\":\"Place\",\"name\":");
		S_put_json(out, json_array_get(path, json_array_size(path) - 1));
		buf_addc(out, '}');
	}
	if (*a->cfg->base_url) {
		struct buf url = BUF_INIT;
		struct view_href h;
		buf_printf(&url, "%s/%s", a->cfg->base_url, view_record_href(r, &h));
		buf_adds(out, ",\"url\":");
		mujson_put_string(out, url.data, url.len, 1);
		buf_release(&url);
	}
	buf_addc(out, '}');
}

/* Appends the citation of the article of record r to out, as GB/T
   7714-2015 cites a newspaper article: 作者. 题名[N]. 报纸名, 出版日期(版次).
   Up to three authors, then 等 (a second half's from its first half);
   [N/OL] and the URL when it has one. */
static void
S_citation(const struct archive *a, const json_t *r, const char *url, struct buf *out)
{
	const json_t *people = view_record_get(r, "reporters");
	if (!json_array_size(people)) /* a second half: its byline is the first's */
		people = view_record_get(r, "first_half_reporters");
	size_t n = json_array_size(people);
	for (size_t k = 0; k < n && k < 3; k++) {
		if (k)
			buf_adds(out, ", ");
		buf_adds(out, json_string_value(json_array_get(people, k)));
	}
	if (n > 3)
		buf_adds(out, ", 等");
	if (n)
		buf_adds(out, ". ");
	const char *paper = archive_str(r, "paper");
	buf_printf(out, "%s[%s]. %s", archive_str(r, "title"), *url ? "N/OL" : "N",
	           *paper ? paper : archive_str(a->site, "title"));
	if (*archive_str(r, "date"))
		buf_printf(out, ", %s", archive_str(r, "date"));
	if (*archive_str(r, "page_no"))
		buf_printf(out, "(%s)", archive_str(r, "page_no"));
	buf_addc(out, '.');
	if (*url)
		buf_printf(out, " %s.", url);
}

uint64_t
archive_article_key(const struct archive *a, json_t *r)
{
	size_t serial = archive_serial(a->state, r);
	if (serial >= a->state->n)
		return 1;
	/* the neighbours whole: more than their items show, but cheaper */
	const struct archive_state *st = a->state;
	uint32_t newer = st->newer[serial], older = st->older[serial];
	uint64_t h[3] = {st->rhash[serial], newer ? st->rhash[newer - 1] : 0,
	                 older ? st->rhash[older - 1] : 0};
	uint64_t key = out_key(0, h, sizeof h);
	return key ? key : 1;
}

/* The links to the article's group and sub-group (group_href,
   district_href), made here rather than held in every record. */
static void
S_district_links(const struct archive *a, const json_t *r, struct model *m,
                 struct model_map *model)
{
	const json_t *d = view_record_get(r, "district");
	struct buf dir = BUF_INIT, subdir = BUF_INIT, href = BUF_INIT;
	archive_district_dirs(d, &dir, &subdir);
	archive_dir_link(a, dir.data, &href);
	model_set(m, model, "group_href", model_strcopy(m, href.data, href.len));
	buf_reset(&href);
	archive_dir_link(a, subdir.data, &href);
	model_set(m, model, "district_href", model_strcopy(m, href.data, href.len));
	buf_release(&dir);
	buf_release(&subdir);
	buf_release(&href);
}

int
archive_article(const struct archive *a, json_t *r, struct model *m, mval article, uint64_t key)
{
	size_t serial = archive_serial(a->state, r);
	struct view_href h;
	const char *href = view_record_href(r, &h);
	struct buf url = BUF_INIT, ld = BUF_INIT, cite = BUF_INIT;
	if (*a->cfg->base_url)
		buf_printf(&url, "%s/%s", a->cfg->base_url, href);
	S_jsonld(a, r, &ld);
	S_citation(a, r, url.data, &cite);
	struct model_map *model = model_map(m, 12, NULL);
	model_set(m, model, "standalone", model_bool(1)); /* its title the page's <h1> */
	model_set(m, model, "jsonld", model_strn(m, ld.data, ld.len));
	model_set(m, model, "url", url.len ? model_strn(m, url.data, url.len) : model_null());
	model_set(m, model, "citation", model_strn(m, cite.data, cite.len));
	model_set(m, model, "article", article);
	S_district_links(a, r, m, model);
	const json_t *newer = archive_neighbour(a->state, serial, 0);
	const json_t *older = archive_neighbour(a->state, serial, 1);
	model_set(m, model, "newer", newer ? archive_item_model(m, newer) : model_null());
	model_set(m, model, "older", older ? archive_item_model(m, older) : model_null());
	archive_site_root(a, m, model, href);
	int rc =
	    archive_render_data(a, "article_page", &model_data, model_map_val(model), href, key);
	buf_release(&url);
	buf_release(&ld);
	buf_release(&cite);
	return rc;
}

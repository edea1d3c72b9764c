#include "archive_int.h"

#include <string.h>

#include "buf.h"

#define FEED_ENTRIES 50

/* An Atom feed of the newest dated articles of list, at relpath. */
static int
S_feed(const struct archive *a, json_t *list, const char *title, const char *relpath)
{
	const char *base = a->cfg->base_url;
	json_t *entries = json_array();
	const char *updated = NULL;
	size_t i;
	json_t *r;
	json_array_foreach (list, i, r) {
		const char *date = archive_str(r, "date");
		if (strlen(date) != 10 || json_array_size(entries) >= FEED_ENTRIES)
			continue; /* a feed needs dates; undated articles have none */
		if (!updated)
			updated = date;
		struct buf url = BUF_INIT;
		struct view_href h;
		buf_printf(&url, "%s/%s", base, view_record_href(r, &h));
		json_array_append_new(entries,
		                      json_pack("{s:o?,s:s%,s:O,s:o?,s:O?}", "title",
		                                view_record_json(r, "title"), "url", url.data,
		                                url.len, "date", view_record_get(r, "date"),
		                                "summary", view_record_json(r, "excerpt"),
		                                "authors", view_record_get(r, "reporters")));
		buf_release(&url);
	}
	struct buf self = BUF_INIT, home = BUF_INIT;
	buf_printf(&self, "%s/%s", base, relpath);
	buf_printf(&home, "%s/", base);
	json_t *model =
	    json_pack("{s:s,s:s,s:s,s:s,s:o}", "title", title, "self", self.data, "home", home.data,
	              "updated", updated ? updated : "1970-01-01", "entries", entries);
	int rc = archive_emit(a, "atom", model, relpath);
	json_decref(model);
	buf_release(&self);
	buf_release(&home);
	return rc;
}

/* Feeds for the archive and each group, and sitemap.xml of every page. */
int
archive_feeds(const struct archive *a, json_t **sorted, size_t n, json_t *groups)
{
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(all, sorted[i]);
	int rc = S_feed(a, all, archive_str(a->site, "title"), "feed.xml");
	json_decref(all);
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		if (rc < 0)
			break;
		struct buf path = BUF_INIT, title = BUF_INIT;
		buf_printf(&path, "%s/feed.xml", archive_str(g, "dir"));
		buf_printf(&title, "%s · %s", archive_str(g, "name"),
		           archive_str(a->site, "title"));
		rc = S_feed(a, json_object_get(g, "articles"), title.data, path.data);
		buf_release(&path);
		buf_release(&title);
	}
	if (rc == 0 && a->urls) {
		json_t *urls = json_array(), *u;
		size_t i;
		json_array_foreach (a->urls, i, u) {
			struct buf loc = BUF_INIT;
			/* a path, or an article's record or a page's entry */
			struct view_href h;
			const char *p =
			    json_is_array(u) ? view_record_href(u, &h) : json_string_value(u);
			size_t len = strlen(p);
			if (a->cfg->pretty_urls && len >= 10 && !strcmp(p + len - 10, "index.html"))
				len -= 10;
			buf_printf(&loc, "%s/%.*s", a->cfg->base_url, (int)len, p);
			json_array_append_new(urls, json_stringn(loc.data, loc.len));
			buf_release(&loc);
		}
		json_t *model = json_pack("{s:o}", "urls", urls);
		rc = archive_emit(a, "sitemap", model, "sitemap.xml");
		json_decref(model);
	}
	return rc;
}

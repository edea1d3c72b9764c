#include "archive_int.h"

#include <string.h>

#include "buf.h"

/* Headlines per group on the home page, and latest articles there. */
#define HOME_HEADLINES 3
#define HOME_LATEST    10

/* A group's entry in the district index and on the home page: its name,
   slug, link, count, sub-groups and first headlines. */
static json_t *
S_group_entry(const struct archive *a, json_t *g)
{
	json_t *list = json_object_get(g, "articles");
	json_t *subs = json_array();
	const char *skey;
	json_t *s;
	json_object_foreach (json_object_get(g, "subgroups"), skey, s) {
		json_array_append_new(
		    subs, json_pack("{s:O,s:o,s:I}", "name", json_object_get(s, "name"), "href",
		                    archive_dir_href(a, archive_str(s, "dir")), "count",
		                    (json_int_t)json_array_size(json_object_get(s, "articles"))));
	}
	json_t *latest = json_array();
	for (size_t i = 0; i < json_array_size(list) && i < HOME_HEADLINES; i++)
		json_array_append_new(latest, archive_item(json_array_get(list, i)));
	return json_pack("{s:O,s:O,s:o,s:I,s:o,s:o}", "name", json_object_get(g, "name"), "slug",
	                 json_object_get(g, "slug"), "href",
	                 archive_dir_href(a, archive_str(g, "dir")), "count",
	                 (json_int_t)json_array_size(list), "subgroups", subs, "latest", latest);
}

/* districts/index.html: every group by province (its first article's),
   provinces in name order, the unplaced last. Fills home_groups with the
   groups' entries. */
static int
S_district_index(const struct archive *a, json_t *groups, size_t n, json_t *home_groups)
{
	json_t *provinces = json_object();
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		json_t *first = json_array_get(json_object_get(g, "articles"), 0);
		json_t *path = json_object_get(view_record_get(first, "district"), "path");
		const char *prov = json_string_value(json_array_get(path, 0));
		if (!prov)
			prov = "";
		json_t *p = json_object_get(provinces, prov);
		if (!p) {
			p = json_pack("{s:s,s:[]}", "name", prov, "groups");
			json_object_set_new(provinces, prov, p);
		}
		json_t *entry = S_group_entry(a, g);
		json_array_append(json_object_get(p, "groups"), entry);
		json_array_append_new(home_groups, entry);
	}
	json_t *plist = json_array();
	json_t *p;
	json_object_foreach (provinces, key, p) {
		if (*key)
			json_array_append(plist, p);
	}
	if ((p = json_object_get(provinces, "")))
		json_array_append(plist, p); /* 未分区 last */
	json_t *model = json_pack("{s:o,s:I}", "provinces", plist, "count", (json_int_t)n);
	int rc = archive_emit(a, "districts", model, "districts/index.html");
	json_decref(model);
	json_decref(provinces);
	return rc;
}

/* Sorts the home page's groups by size, largest first, then by slug. */
static void
S_by_size(json_t *home_groups)
{
	size_t ng = json_array_size(home_groups);
	for (size_t i = 1; i < ng; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *x = json_array_get(home_groups, j - 1),
			       *y = json_array_get(home_groups, j);
			json_int_t cx = json_integer_value(json_object_get(x, "count"));
			json_int_t cy = json_integer_value(json_object_get(y, "count"));
			if (cx > cy || (cx == cy && strcmp(archive_str(x, "slug"),
			                                   archive_str(y, "slug")) <= 0))
				break;
			json_incref(x);
			json_array_set(home_groups, j - 1, y);
			json_array_set_new(home_groups, j, x);
		}
}

int
archive_home(const struct archive *a, json_t *groups, json_t **sorted, size_t n, size_t page_count)
{
	json_t *home_groups = json_array();
	if (S_district_index(a, groups, n, home_groups) < 0) {
		json_decref(home_groups);
		return -1;
	}
	/* home: groups by size, then the latest articles */
	S_by_size(home_groups);
	json_t *latest = json_array();
	for (size_t i = 0; i < n && i < HOME_LATEST; i++)
		json_array_append_new(latest, archive_item(sorted[i]));
	json_t *model = json_pack(
	    "{s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:o}", "groups", home_groups, "latest", latest, "count",
	    (json_int_t)n, "page_count", (json_int_t)page_count, "districts_href",
	    archive_dir_href(a, "districts"), "pages_href", archive_dir_href(a, "pages"), "papers",
	    archive_paper_list(a), "papers_href", archive_dir_href(a, "papers"));
	json_object_set_new(model, "has_papers",
	                    json_boolean(json_array_size(json_object_get(model, "papers")) > 0));
	int rc = archive_emit(a, "home", model, "index.html");
	json_decref(model);
	return rc;
}

int
archive_fixed_pages(const struct archive *a)
{
	/* a host serves 404.html for a missing URL at any depth, where links
	   relative to the root would miss: with base_url they are absolute */
	json_t *model = json_object();
	if (*a->cfg->base_url) {
		struct buf root = BUF_INIT;
		buf_printf(&root, "%s/", a->cfg->base_url);
		json_object_set_new(model, "root", json_stringn(root.data, root.len));
		buf_release(&root);
	}
	int rc = archive_emit(a, "404", model, "404.html");
	json_decref(model);
	if (rc == 0) {
		model = json_pack("{s:s}", "base_url", a->cfg->base_url);
		rc = archive_emit(a, "robots", model, "robots.txt");
		json_decref(model);
	}
	return rc;
}

/*
 * archive_tags: the tags of the metadata (tags: [...]) get pages as people
 * do: tags/SLUG/index.html (and index.N.html) with their articles, newest
 * first, and tags/index.html; each tag's link, for the pages of its
 * articles (archive_record_model). An archive whose metadata gives no tags gets no
 * tags/ at all.
 */
#include "archive_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "mujson.h"
#include "output.h"
#include "text.h"
#include "xalloc.h"

/* A tag's URL name: ASCII letters (lower case) and digits as they are,
   Chinese characters in pinyin, '-' between words (松江 G60 → song-jiang-g60). */
static void
S_tag_slug(const struct chars *ch, const char *tag, struct buf *out)
{
	size_t len = strlen(tag), i = 0, k;
	int ascii_run = 0;
	while (i < len) {
		uint32_t cp = txt_decode(tag + i, len - i, &k);
		int alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		            (cp >= '0' && cp <= '9');
		const char *py = alnum ? NULL : chars_pinyin(ch, cp);
		if (alnum) {
			if (out->len && !ascii_run)
				buf_addc(out, '-');
			buf_addc(out, cp >= 'A' && cp <= 'Z' ? (int)cp + 32 : (int)cp);
		} else if (py) {
			if (out->len)
				buf_addc(out, '-');
			buf_adds(out, py);
		} else if (cp > 0x7f) {
			if (out->len)
				buf_addc(out, '-');
			for (size_t b = 0; b < k; b++)
				buf_printf(out, "%02x", (unsigned char)tag[i + b]);
		}
		ascii_run = alnum;
		i += k ? k : 1;
	}
	if (!out->len)
		buf_adds(out, "tag");
}

/* Every tag of the records: an object by tag, each {name, articles}. */
static json_t *
S_gather(json_t **sorted, size_t n)
{
	json_t *tags = json_object();
	for (size_t i = 0; i < n; i++) {
		size_t k;
		json_t *name;
		json_array_foreach (view_record_get(sorted[i], "tags"), k, name) {
			const char *s = json_string_value(name);
			if (!s || !*s)
				continue;
			json_t *t = json_object_get(tags, s);
			if (!t) {
				t = json_pack("{s:s,s:[]}", "name", s, "articles");
				json_object_set_new(tags, s, t);
			}
			json_t *list = json_object_get(t, "articles");
			if (json_array_get(list, json_array_size(list) - 1) != sorted[i])
				json_array_append(list, sorted[i]);
		}
	}
	return tags;
}

/* What a tag's pages show of it, besides its articles. */
static const char *const S_tag_keys[] = {"name"};

int
archive_tags(const struct archive *a, json_t **sorted, size_t n, struct item_hashes *ihash)
{
	json_t *tags = S_gather(sorted, n);
	size_t nt, i;
	const char **names = archive_sorted_keys(tags, &nt);
	json_t *taken = json_object(), *index = json_array();
	int rc = 0;
	for (i = 0; i < nt && rc == 0; i++) {
		json_t *t = json_object_get(tags, names[i]);
		struct buf slug = BUF_INIT, href = BUF_INIT;
		S_tag_slug(a->chars, names[i], &slug);
		size_t base = slug.len;
		for (int dup = 2; json_object_get(taken, slug.data); dup++) {
			buf_truncate(&slug, base);
			buf_printf(&slug, "-%d", dup);
		}
		json_object_set_new(taken, slug.data, json_true());
		buf_printf(&href, "tags/%s", slug.data);
		json_object_set_new(t, "href", archive_dir_href(a, href.data));
		rc = archive_owner_pages(a, "tag", t, S_tag_keys, 1, href.data, ihash);
		json_array_append_new(
		    index, json_pack("{s:s,s:O,s:I}", "name", names[i], "href",
		                     json_object_get(t, "href"), "count",
		                     (json_int_t)json_array_size(json_object_get(t, "articles"))));
		buf_release(&slug);
		buf_release(&href);
	}
	json_decref(a->state->tag_links);
	a->state->tag_links = archive_links(tags);
	if (rc == 0 && nt) {
		json_t *model = json_pack("{s:O,s:I}", "tags", index, "count", (json_int_t)nt);
		rc = archive_emit(a, "tags", model, "tags/index.html");
		json_decref(model);
	}
	json_decref(index);
	free(names);
	json_decref(taken);
	json_decref(tags);
	return rc;
}

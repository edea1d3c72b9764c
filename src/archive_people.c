#include "archive_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "mujson.h"
#include "output.h"
#include "slug.h"
#include "xalloc.h"

static const char *const S_roles[] = {"reporters", "photographers"};

/* Every reporter and photographer of the records: an object by name, each
   {name, articles, as_reporter, as_photographer}. */
static json_t *
S_gather_people(json_t **sorted, size_t n)
{
	json_t *people = json_object();
	for (size_t i = 0; i < n; i++)
		for (int r = 0; r < 2; r++) {
			size_t k;
			json_t *name;
			json_array_foreach ((json_t *)view_record_get(sorted[i], S_roles[r]), k, name) {
				const char *s = json_string_value(name);
				json_t *p = json_object_get(people, s);
				if (!p) {
					p = json_pack("{s:s,s:[],s:I,s:I}", "name", s, "articles",
					              "as_reporter", (json_int_t)0,
					              "as_photographer", (json_int_t)0);
					json_object_set_new(people, s, p);
				}
				json_t *list = json_object_get(p, "articles");
				if (!json_array_size(list) ||
				    json_array_get(list, json_array_size(list) - 1) != sorted[i])
					json_array_append(list, sorted[i]);
				const char *count = r ? "as_photographer" : "as_reporter";
				json_object_set_new(
				    p, count,
				    json_integer(json_integer_value(json_object_get(p, count)) +
				                 1));
			}
		}
	return people;
}

/* What a person's pages show of them, besides their articles. */
static const char *const S_person_keys[] = {"name", "as_reporter", "as_photographer"};

/* A person's line in people/index.html, with the slug it is ordered by. */
struct index_line {
	char *slug;
	const char *name;
	json_t *entry;
};

/* Pinyin order: by slug (the names' pinyin, chen-tao before cheng-jia-jia),
   then by name, so that the order is the same for the same archive. */
static int
S_pinyin_order(const void *x, const void *y)
{
	const struct index_line *a = x, *b = y;
	int c = strcmp(a->slug, b->slug);
	return c ? c : strcmp(a->name, b->name);
}

/* The people's index, in pinyin order: lines are freed. */
static json_t *
S_index(struct index_line *lines, size_t n)
{
	if (n > 1)
		qsort(lines, n, sizeof *lines, S_pinyin_order);
	json_t *index = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(index, lines[i].entry);
		free(lines[i].slug);
	}
	return index;
}

/*
 * Gives every reporter and photographer pages: people/SLUG/index.html
 * (and index.N.html) with their articles, newest first, and
 * people/index.html, in pinyin order; and each name's link to those
 * pages (archive_record_model). Names are taken in byte order, so when
 * two share a pinyin the later one's slug ends in -2, -3: the same for the
 * same archive. Returns 0 or -1.
 */
int
archive_people(const struct archive *a, json_t **sorted, size_t n, struct item_hashes *ihash)
{
	json_t *people = S_gather_people(sorted, n);
	/* slugs, in name order */
	size_t np, i;
	const char **names = archive_sorted_keys(people, &np);
	json_t *taken = json_object();
	struct index_line *lines = xcalloc(np ? np : 1, sizeof *lines);
	size_t nlines = 0;
	int rc = 0;
	for (i = 0; i < np && rc == 0; i++) {
		json_t *p = json_object_get(people, names[i]);
		struct buf slug = BUF_INIT, href = BUF_INIT;
		slug_name(a->chars, names[i], &slug);
		size_t base = slug.len;
		for (int dup = 2; json_object_get(taken, slug.data); dup++) {
			buf_truncate(&slug, base);
			buf_printf(&slug, "-%d", dup);
		}
		json_object_set_new(taken, slug.data, json_true());
		buf_printf(&href, "people/%s", slug.data);
		json_object_set_new(p, "href", archive_dir_href(a, href.data));
		rc = archive_owner_pages(a, "person", p, S_person_keys,
		                         sizeof S_person_keys / sizeof *S_person_keys, href.data,
		                         ihash);
		lines[nlines++] = (struct index_line){
		    buf_detach(&slug, NULL), names[i],
		    json_pack("{s:s,s:O,s:I}", "name", names[i], "href", json_object_get(p, "href"),
		              "count", (json_int_t)json_array_size(json_object_get(p, "articles")))};
		buf_release(&href);
	}
	json_decref(a->state->person_links);
	a->state->person_links = archive_links(people);
	json_t *index = S_index(lines, nlines);
	free(lines);
	if (rc == 0) {
		json_t *model = json_pack("{s:o,s:I}", "people", index, "count", (json_int_t)np);
		rc = archive_emit(a, "people", model, "people/index.html");
		json_decref(model);
	} else {
		json_decref(index);
	}
	free(names);
	json_decref(taken);
	json_decref(people);
	return rc;
}

#include "archive_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "output.h"
#include "xalloc.h"

json_t *
archive_calendar(int y, int m, json_t *const links[32])
{
	json_t *weeks = json_array(), *week = json_array();
	for (int c = 0; c < cal_weekday(y, m, 1); c++)
		json_array_append_new(week, json_pack("{s:b}", "blank", 1));
	for (int d = 1; d <= cal_days_in(y, m); d++) {
		json_array_append_new(week, json_pack("{s:b,s:i,s:O?}", "blank", 0, "day", d, "href",
		                                      links[d]));
		if (json_array_size(week) == 7) {
			json_array_append_new(weeks, week);
			week = json_array();
		}
	}
	if (json_array_size(week))
		json_array_append_new(weeks, week);
	else
		json_decref(week);
	return weeks;
}

/* The month's calendar, whose days with articles (list, the month's
   records) link to their place on the page. */
static json_t *
S_calendar(int y, int m, json_t *list)
{
	json_t *links[32] = {0};
	size_t j;
	json_t *r;
	json_array_foreach (list, j, r) {
		int d = atoi(archive_str(r, "date") + 8);
		if (d >= 1 && d <= 31 && !links[d]) {
			char anchor[8];
			snprintf(anchor, sizeof anchor, "#d%d", d);
			links[d] = json_string(anchor);
		}
	}
	json_t *weeks = archive_calendar(y, m, links);
	for (int d = 0; d < 32; d++)
		json_decref(links[d]);
	return weeks;
}

/* The month's articles (list, its records) by day, newest first, in the
   arena m. */
static mval
S_days(struct model *m, json_t *list)
{
	struct model_list *days = model_list(m, 31), *items = NULL;
	const char *last = NULL;
	size_t j;
	json_t *r;
	json_array_foreach (list, j, r) {
		const char *date = archive_str(r, "date");
		if (!last || strcmp(last, date)) {
			struct model_map *day = model_map(m, 3, NULL);
			items = model_list(m, 16);
			model_set(m, day, "date", model_str(m, date));
			model_set(m, day, "day", model_int(m, atoi(date + 8)));
			model_set(m, day, "articles", model_list_val(items));
			model_push(m, days, model_map_val(day));
			last = date;
		}
		model_push(m, items, archive_item_model(m, r));
	}
	return model_list_val(days);
}

/* A neighbouring month with articles, for its link: {href, year, month}
   of the YYYY-MM key ym, or null for NULL. */
static json_t *
S_month_ref(const char *ym)
{
	if (!ym)
		return json_null();
	char href[32];
	snprintf(href, sizeof href, "%s.html", ym);
	return json_pack("{s:s,s:i,s:i}", "href", href, "year", atoi(ym), "month", atoi(ym + 5));
}

/* What the page href shows of the records of list, with links to the
   months before and after (or NULL), as the key it is kept by (never 0). */
static uint64_t
S_key(const struct archive *a, const char *href, json_t *list, const char *before,
      const char *after)
{
	size_t j;
	json_t *r;
	uint64_t key = out_key(0, href, strlen(href));
	key = out_key(key, before ? before : "", before ? strlen(before) + 1 : 1);
	key = out_key(key, after ? after : "", after ? strlen(after) + 1 : 1);
	json_array_foreach (list, j, r) {
		uint64_t h = archive_serial_hash(a, r);
		key = out_key(key, &h, sizeof h);
	}
	return key ? key : 1;
}

/* dates/YYYY-MM.html of month m of year y, from its records (list), with
   links to the months before and after it that have articles (YYYY-MM,
   or NULL): kept when the last build made it from the same. */
static int
S_month(const struct archive *a, int y, int m, const char *href, json_t *list, const char *before,
        const char *after)
{
	uint64_t mkey = S_key(a, href, list, before, after);
	if (archive_kept(a, href, mkey))
		return 0;
	/* in an arena: a month of a daily's archive shows thousands of items */
	struct model *am = xcalloc(1, sizeof *am);
	struct model_map *model = model_map(am, 7, NULL);
	model_set(am, model, "year", model_int(am, y));
	model_set(am, model, "month", model_int(am, m));
	model_set(am, model, "count", model_int(am, (long long)json_array_size(list)));
	model_set(am, model, "weeks", model_hold(am, S_calendar(y, m, list)));
	model_set(am, model, "days", S_days(am, list));
	model_set(am, model, "prev_month", model_hold(am, S_month_ref(before)));
	model_set(am, model, "next_month", model_hold(am, S_month_ref(after)));
	return archive_emit_model(a, "month", am, model, href, mkey);
}

/* dates/undated.html, of the records of list. */
static int
S_undated(const struct archive *a, json_t *list)
{
	const char *href = "dates/undated.html";
	uint64_t key = S_key(a, href, list, NULL, NULL);
	if (archive_kept(a, href, key))
		return 0;
	size_t n = json_array_size(list);
	struct model *m = xcalloc(1, sizeof *m);
	struct model_map *model = model_map(m, 2, NULL);
	model_set(m, model, "articles", model_list_val(archive_items_model(m, list, 0, n)));
	model_set(m, model, "count", model_int(m, (long long)n));
	return archive_emit_model(a, "undated", m, model, href, key);
}

/* The records sorted[0..n) by month (YYYY-MM, each newest first) into
   months, and the undated ones into undated. */
static void
S_by_month(json_t **sorted, size_t n, json_t *months, json_t *undated)
{
	for (size_t i = 0; i < n; i++) {
		const char *d = archive_str(sorted[i], "date");
		if (strlen(d) != 10) {
			json_array_append(undated, sorted[i]);
			continue;
		}
		char ym[8];
		memcpy(ym, d, 7);
		ym[7] = '\0';
		json_t *list = json_object_get(months, ym);
		if (!list) {
			list = json_array();
			json_object_set_new(months, ym, list);
		}
		json_array_append(list, sorted[i]);
	}
}

/*
 * The date archive: dates/index.html (every year and month with counts,
 * and the undated), dates/YYYY-MM.html (a month: its calendar, then its
 * articles by day), dates/undated.html when some are undated. sorted is
 * newest first.
 */
int
archive_dates(const struct archive *a, json_t **sorted, size_t n)
{
	json_t *months = json_object(), *undated = json_array();
	S_by_month(sorted, n, months, undated);
	/* months newest first (keys are YYYY-MM: byte order is date order) */
	size_t nm;
	const char **keys = archive_sorted_keys(months, &nm);
	json_t *years = json_array(), *year = NULL;
	int rc = 0;
	for (size_t k = nm; k-- > 0 && rc == 0;) {
		json_t *list = json_object_get(months, keys[k]);
		int y = atoi(keys[k]), m = atoi(keys[k] + 5);
		char href[32], yname[8];
		snprintf(href, sizeof href, "dates/%s.html", keys[k]);
		snprintf(yname, sizeof yname, "%d", y);
		if (!year || strcmp(archive_str(year, "year"), yname)) {
			year = json_pack("{s:s,s:[]}", "year", yname, "months");
			json_array_append_new(years, year);
		}
		json_array_append_new(json_object_get(year, "months"),
		                      json_pack("{s:i,s:s,s:I}", "month", m, "href", href, "count",
		                                (json_int_t)json_array_size(list)));
		rc = S_month(a, y, m, href, list, k > 0 ? keys[k - 1] : NULL,
		             k + 1 < nm ? keys[k + 1] : NULL);
	}
	if (rc == 0 && json_array_size(undated)) /* only when some are */
		rc = S_undated(a, undated);
	if (rc == 0) {
		json_t *model =
		    json_pack("{s:O,s:I,s:I}", "years", years, "undated",
		              (json_int_t)json_array_size(undated), "count", (json_int_t)n);
		rc = archive_emit(a, "dates", model, "dates/index.html");
		json_decref(model);
	}
	json_decref(years);
	json_decref(undated);
	json_decref(months);
	free(keys);
	return rc;
}

#include "district.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "xalloc.h"

/* Evidence below this score places nothing. */
#define THRESHOLD 1.0
/* What another article on the same page is worth. */
#define PAGE_WEIGHT 0.5

struct ev {
	struct dist_evidence e;
	int short_form;
};

static void
S_add(struct dist_place *pl, int32_t unit, const char *where, double w, const char *name,
      size_t len)
{
	pl->ev = xgrow(pl->ev, &pl->capev, pl->nev, sizeof *pl->ev, 16);
	struct dist_evidence *e = &pl->ev[pl->nev++];
	e->unit = unit;
	e->where = where;
	e->weight = w;
	if (len >= sizeof e->name)
		len = sizeof e->name - 1;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
}

/* Whether a township's name ending in 乡 is the start of 乡村 or 乡镇
   (发展乡村振兴 names no 发展乡). */
static int
S_word_goes_on(const char *text, const struct gz_hit *h)
{
	size_t end = h->end, n = strlen("乡");
	if (end - h->start < n || memcmp(text + end - n, "乡", n))
		return 0;
	return !strncmp(text + end, "村", strlen("村")) || !strncmp(text + end, "镇", strlen("镇"));
}

/* The names in one field of an article. */
static void
S_scan(const struct gazetteer *gz, const char *text, const char *where, double w,
       struct dist_place *pl, int8_t **short_flags, size_t *capflags)
{
	if (!text || !*text)
		return;
	struct gz_hit *hits = NULL;
	size_t n = 0, cap = 0;
	gz_match(gz, text, strlen(text), &hits, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		if (S_word_goes_on(text, &hits[i]))
			continue;
		for (size_t k = 0; k < hits[i].nunits; k++) {
			S_add(pl, hits[i].units[k], where, w / (double)hits[i].nunits,
			      text + hits[i].start, hits[i].end - hits[i].start);
			*short_flags = xgrow(*short_flags, capflags, pl->nev - 1, 1, 64);
			(*short_flags)[pl->nev - 1] = (int8_t)hits[i].is_short;
		}
	}
	free(hits);
}

/* How much evidence about unit e supports unit c (a county or a city). */
static double
S_relation(const struct gazetteer *gz, int32_t e, int32_t c)
{
	const struct gz_unit *u = gz_units(gz);
	if (e == c)
		return 1.0;
	if (u[e].level > u[c].level && gz_ancestor(gz, e, u[c].level) == c)
		return 1.0; /* a township of the county, a county of the city */
	if (u[e].level < u[c].level && gz_ancestor(gz, c, u[e].level) == e)
		return u[e].level == 1 ? 0.25 : 0.5; /* its province, its city */
	return 0.0;
}

/* Drops county short forms that nothing else in the same province backs. */
static void
S_corroborate(const struct gazetteer *gz, struct dist_place *pl, const int8_t *short_flags)
{
	const struct gz_unit *u = gz_units(gz);
	size_t w = 0;
	for (size_t i = 0; i < pl->nev; i++) {
		struct dist_evidence *e = &pl->ev[i];
		int keep = 1;
		if (short_flags && short_flags[i] && u[e->unit].level >= 3) {
			int32_t prov = gz_ancestor(gz, e->unit, 1);
			keep = 0;
			for (size_t j = 0; j < pl->nev && !keep; j++) {
				const struct dist_evidence *o = &pl->ev[j];
				if (strcmp(o->name, e->name) &&
				    gz_ancestor(gz, o->unit, 1) == prov &&
				    !(short_flags[j] && u[o->unit].level >= 3))
					keep = 1;
			}
		}
		if (keep)
			pl->ev[w++] = *e;
	}
	pl->nev = w;
}

/* What supports one candidate: the article's own evidence, the page's,
   and how many different names of its own. */
struct support {
	double own, page;
	int names;
};

static struct support
S_support(const struct gazetteer *gz, const struct dist_place *pl, int32_t c)
{
	struct support sp = {0, 0, 0};
	for (size_t j = 0; j < pl->nev; j++) {
		double r = pl->ev[j].weight * S_relation(gz, pl->ev[j].unit, c);
		if (r <= 0)
			continue;
		if (!strcmp(pl->ev[j].where, "page")) {
			sp.page += r;
			continue;
		}
		sp.own += r;
		size_t k = 0; /* the same name counts once */
		while (k < j && (strcmp(pl->ev[k].name, pl->ev[j].name) ||
		                 pl->ev[k].weight * S_relation(gz, pl->ev[k].unit, c) <= 0))
			k++;
		sp.names += k == j;
	}
	return sp;
}

/* Orders two candidates: the article's own evidence first, then the
   number of names that back it; the page's only when the article names
   no place of its own. 0 when they are as likely. */
static int
S_compare(struct support a, struct support b, int own)
{
	if (own) {
		if (a.own > b.own + 1e-9 || a.own < b.own - 1e-9)
			return a.own > b.own ? 1 : -1;
		return a.names - b.names;
	}
	if (a.page > b.page + 1e-9 || a.page < b.page - 1e-9)
		return a.page > b.page ? 1 : -1;
	return 0;
}

/*
 * The best unit at `level` the evidence points to, with its score (its own
 * and the page's evidence together). *tie is set when another is as
 * likely, which means the unit cannot be told. With own, only units the
 * article's own evidence backs are candidates.
 */
static int32_t
S_best(const struct gazetteer *gz, const struct dist_place *pl, int level, int own, double *score,
       int *tie)
{
	*tie = 0;
	const struct gz_unit *u = gz_units(gz);
	int32_t best = -1;
	struct support bs = {0, 0, 0};
	for (size_t i = 0; i < pl->nev; i++) {
		int32_t c = gz_ancestor(gz, pl->ev[i].unit, level);
		if (c < 0 || (level == 2 && !strcmp(u[c].name, "市辖区")))
			continue;
		/* each candidate once: an article names its place many times */
		size_t k = 0;
		while (k < i && gz_ancestor(gz, pl->ev[k].unit, level) != c)
			k++;
		if (k < i)
			continue;
		struct support sp = S_support(gz, pl, c);
		if (own && sp.own <= 0)
			continue;
		int cmp = best < 0 ? 1 : S_compare(sp, bs, own);
		if (cmp > 0) {
			best = c, bs = sp, *tie = 0;
		} else if (cmp == 0) {
			*tie = 1;
			if (u[c].code < u[best].code)
				best = c, bs = sp;
		}
	}
	*score = bs.own + bs.page;
	return best;
}

static void
S_decide(const struct gazetteer *gz, struct dist_place *pl)
{
	const struct gz_unit *u = gz_units(gz);
	double s;
	int tie;
	/* the article's own names decide; the page's only when it names
	   none and shows a place all the same (a photo, the second half of
	   an article whose first half named it) */
	int own = 0;
	for (size_t i = 0; i < pl->nev && !own; i++)
		own = strcmp(pl->ev[i].where, "page") != 0;
	if (!own && !pl->page_places) {
		pl->unit = -1;
		pl->score = 0;
		return;
	}
	/* two counties as likely as each other: the city is all that is known */
	int32_t c = S_best(gz, pl, 3, own, &s, &tie);
	if (c >= 0 && s >= THRESHOLD && !tie) {
		pl->unit = c;
		pl->score = s;
		return;
	}
	c = S_best(gz, pl, 2, own, &s, &tie);
	if (c >= 0 && s >= THRESHOLD) {
		pl->unit = c;
		pl->score = s;
		return;
	}
	/* a municipality named alone is its own group */
	c = S_best(gz, pl, 1, own, &s, &tie);
	if (c >= 0 && s >= THRESHOLD && gz_municipality(u[c].code)) {
		pl->unit = c;
		pl->score = s;
		return;
	}
	pl->unit = -1;
	pl->score = 0;
}

/* The evidence of one article. */
static void
S_evidence(const struct gazetteer *gz, const struct seg_article *a, struct dist_place *pl)
{
	int8_t *flags = NULL;
	size_t capflags = 0;
	S_scan(gz, a->kicker, "kicker", 4, pl, &flags, &capflags);
	S_scan(gz, a->title_derived ? NULL : a->title, "title", 3, pl, &flags, &capflags);
	S_scan(gz, a->subtitle, "subtitle", 2, pl, &flags, &capflags);
	int lead = 1;
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *b = &a->blocks[i];
		if ((b->type == SEG_P || (b->type == SEG_FIGURE && a->kind == SEG_PHOTO)) && lead) {
			S_scan(gz, b->type == SEG_P ? b->text : b->caption, "lead", 2, pl, &flags,
			       &capflags);
			lead = 0;
		} else {
			S_scan(gz, b->type == SEG_FIGURE ? b->caption : b->text, "body", 1, pl,
			       &flags, &capflags);
		}
	}
	S_corroborate(gz, pl, flags);
	free(flags);
}

/* Whether the page's places are an article's when it names none: photo
   news shows a place, and the second half of an article continued from
   another page had its place named in the first. An opinion piece or a
   page of advice that names no place is about none. */
static int
S_page_places(const struct seg_article *a)
{
	return a->kind == SEG_PHOTO || a->continued_from;
}

/* Whether unit lies in the city (or municipality) of one of the page's
   other articles' places. */
static int
S_in_context(const struct gazetteer *gz, int32_t unit, const int32_t *first, size_t n, size_t self)
{
	int32_t city = gz_ancestor(gz, unit, 2);
	for (size_t j = 0; j < n; j++)
		if (j != self && first[j] >= 0 && city >= 0 && gz_ancestor(gz, first[j], 2) == city)
			return 1;
	return 0;
}

/*
 * A name that several places bear (鼓楼区 is in four provinces) means the
 * one in the city the page's other articles are about, when exactly one
 * is: that one takes the name's whole weight.
 */
static void
S_disambiguate(const struct gazetteer *gz, struct dist_place *pl, const int32_t *first, size_t n,
               size_t self)
{
	for (size_t i = 0; i < pl->nev;) {
		size_t j = i + 1;
		while (j < pl->nev && !strcmp(pl->ev[j].name, pl->ev[i].name) &&
		       pl->ev[j].where == pl->ev[i].where && pl->ev[j].weight == pl->ev[i].weight &&
		       pl->ev[j].unit != pl->ev[i].unit)
			j++;
		size_t found = 0, at = i;
		for (size_t k = i; k < j && j - i > 1; k++)
			if (S_in_context(gz, pl->ev[k].unit, first, n, self))
				found++, at = k;
		if (found == 1) {
			double total = pl->ev[i].weight * (double)(j - i);
			for (size_t k = i; k < j; k++)
				pl->ev[k].weight = k == at ? total : 0;
		}
		i = j;
	}
}

void
dist_classify_page(const struct gazetteer *gz, const struct seg_page *p, const char *override,
                   struct dist_place *places)
{
	int32_t forced = override ? gz_lookup(gz, override) : -1;
	for (size_t i = 0; i < p->n; i++) {
		memset(&places[i], 0, sizeof places[i]);
		places[i].unit = -1;
		if (forced >= 0) {
			S_add(&places[i], forced, "metadata", 100, override, strlen(override));
			places[i].unit = forced;
			places[i].score = 100;
			continue;
		}
		if (p->v[i].kind == SEG_NOTICE)
			continue; /* notices belong to no place */
		S_evidence(gz, &p->v[i], &places[i]);
		places[i].page_places = S_page_places(&p->v[i]);
		S_decide(gz, &places[i]);
	}
	if (forced >= 0)
		return;
	/* the page's other articles: weaker evidence, then decide again */
	int32_t *first = xcalloc(p->n ? p->n : 1, sizeof *first);
	for (size_t i = 0; i < p->n; i++)
		first[i] = places[i].unit;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].kind == SEG_NOTICE)
			continue;
		S_disambiguate(gz, &places[i], first, p->n, i);
		for (size_t j = 0; j < p->n; j++)
			if (j != i && first[j] >= 0)
				S_add(&places[i], first[j], "page", PAGE_WEIGHT,
				      gz_units(gz)[first[j]].name,
				      strlen(gz_units(gz)[first[j]].name));
		S_decide(gz, &places[i]);
	}
	free(first);
}

void
dist_place_free(struct dist_place *pl)
{
	free(pl->ev);
	memset(pl, 0, sizeof *pl);
	pl->unit = -1;
}

/* ---------------------------------------------------------------------
 * Groups and slugs
 * ------------------------------------------------------------------- */

/* A group's name as a reader says it: its short form (松江, 嘉兴); a
   municipality's district that has none, because the short one is an
   ordinary word or another place's (朝阳区), without its 区 (朝阳). */
static const char *
S_say(const struct gz_unit *u, int municipal, struct buf *scratch)
{
	if (u->shortname[0])
		return u->shortname;
	/* without the word for what it is, when two characters stay:
	   朝阳区 → 朝阳, 大同市 → 大同 */
	const char *suffix = municipal && u->level == 3 ? "区" : u->level == 2 ? "市" : NULL;
	size_t len = strlen(u->name), n = suffix ? strlen(suffix) : 0;
	if (suffix && len >= 3 * n && !strcmp(u->name + len - n, suffix)) {
		buf_reset(scratch);
		buf_add(scratch, u->name, len - n);
		return scratch->data;
	}
	return u->name;
}

/*
 * The slug of a group unit: its pinyin, unless a group with a lower code
 * already has that slug, in which case its province's pinyin follows
 * (chaoyang is Beijing's district; the city in Liaoning is
 * chaoyang-liaoning). Stable as long as the gazetteer is.
 */
static void
S_group_slug(const struct gazetteer *gz, int32_t g, struct buf *out)
{
	const struct gz_unit *u = gz_units(gz);
	if (u[g].slug_taken)
		buf_printf(out, "%s-%s", u[g].slug, u[gz_ancestor(gz, g, 1)].slug);
	else
		buf_adds(out, u[g].slug);
}

/* A county's slug inside its city: its pinyin, with its code's last
   digits when a sibling with a lower code has the same pinyin. */
static void
S_sub_slug(const struct gazetteer *gz, int32_t c, struct buf *out)
{
	const struct gz_unit *u = gz_units(gz);
	for (int32_t i = c - 1; i >= 0 && u[i].level == 3; i--)
		if (u[i].parent == u[c].parent && !strcmp(u[i].slug, u[c].slug)) {
			buf_printf(out, "%s-%02u", u[c].slug, (unsigned)(u[c].code % 100));
			return;
		}
	buf_adds(out, u[c].slug);
}

json_t *
dist_json(const struct gazetteer *gz, const struct dist_place *pl)
{
	const struct gz_unit *u = gz_units(gz);
	/* the evidence for the place (all of it: --explain) */
	json_t *ev = json_array();
	for (size_t i = 0; i < pl->nev; i++) {
		if (pl->unit >= 0 && S_relation(gz, pl->ev[i].unit, pl->unit) == 0)
			continue;
		char code[24];
		snprintf(code, sizeof code, "%llu", (unsigned long long)u[pl->ev[i].unit].code);
		json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:f}", "name", pl->ev[i].name,
		                                    "where", pl->ev[i].where, "code", code,
		                                    "weight", pl->ev[i].weight));
	}
	if (pl->unit < 0)
		return json_pack("{s:s,s:s,s:n,s:n,s:n,s:n,s:n,s:[],s:o,s:f}", "group", "未分区",
		                 "slug", "unplaced", "subgroup", "county", "city", "province",
		                 "code", "path", "evidence", ev, "score", 0.0);
	int32_t prov = gz_ancestor(gz, pl->unit, 1);
	int32_t city = gz_ancestor(gz, pl->unit, 2);
	int32_t county = gz_ancestor(gz, pl->unit, 3);
	if (city >= 0 && !strcmp(u[city].name, "市辖区"))
		city = -1;
	/* a county-level city under its province (琼海市) is a group itself */
	int direct = city >= 0 && strstr(u[city].name, "直辖县级行政区划") != NULL;
	if (direct)
		city = -1;
	json_t *path = json_array();
	int32_t chain[3] = {prov, city, county};
	for (int k = 0; k < 3; k++)
		if (chain[k] >= 0)
			json_array_append_new(path, json_string(u[chain[k]].name));
	struct buf slug = BUF_INIT, said = BUF_INIT;
	const char *group, *subgroup = NULL;
	if (gz_municipality(u[prov].code) || (direct && county >= 0)) {
		int32_t g = county >= 0 ? county : prov;
		group = S_say(&u[g], 1, &said);
		S_group_slug(gz, g, &slug);
	} else {
		group = S_say(&u[city >= 0 ? city : prov], 0, &said);
		S_group_slug(gz, city >= 0 ? city : prov, &slug);
		if (county >= 0) {
			subgroup = u[county].name;
			buf_addc(&slug, '/');
			S_sub_slug(gz, county, &slug);
		}
	}
	char code[24];
	snprintf(code, sizeof code, "%llu", (unsigned long long)u[pl->unit].code);
	json_t *j = json_pack("{s:s,s:s%,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:f}", "group", group, "slug",
	                      slug.data, slug.len, "subgroup", mujson_str(subgroup), "county",
	                      mujson_str(county >= 0 ? u[county].name : NULL), "city",
	                      mujson_str(city >= 0 ? u[city].name : NULL), "province", u[prov].name,
	                      "code", code, "path", path, "evidence", ev, "score", pl->score);
	buf_release(&slug);
	buf_release(&said);
	return j;
}

void
dist_explain(const struct gazetteer *gz, const struct dist_place *pl, FILE *out)
{
	const struct gz_unit *u = gz_units(gz);
	for (size_t i = 0; i < pl->nev; i++) {
		const struct dist_evidence *e = &pl->ev[i];
		int32_t p = gz_ancestor(gz, e->unit, 1);
		fprintf(out, "      %-8s %-12s %.2f  -> %s%s%s (%llu)\n", e->where, e->name,
		        e->weight, p >= 0 && p != e->unit ? u[p].name : "",
		        p >= 0 && p != e->unit ? " " : "", u[e->unit].name,
		        (unsigned long long)u[e->unit].code);
	}
	/* the runners-up at county level */
	for (size_t i = 0, shown = 0; i < pl->nev && shown < 5; i++) {
		int32_t c = gz_ancestor(gz, pl->ev[i].unit, 3);
		if (c < 0)
			continue;
		int seen = 0;
		for (size_t k = 0; k < i; k++)
			seen |= gz_ancestor(gz, pl->ev[k].unit, 3) == c;
		if (seen)
			continue;
		double s = 0;
		for (size_t j = 0; j < pl->nev; j++)
			s += pl->ev[j].weight * S_relation(gz, pl->ev[j].unit, c);
		fprintf(out, "      candidate %s %s: %.2f\n", u[gz_ancestor(gz, c, 2)].name,
		        u[c].name, s);
		shown++;
	}
	fprintf(out, "      => %s (score %.2f)\n", pl->unit >= 0 ? u[pl->unit].name : "未分区",
	        pl->score);
}

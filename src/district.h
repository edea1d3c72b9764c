/*
 * district: which place an article belongs to, and the group a reader
 * browses it under.
 *
 * Evidence is every gazetteer name in the article, weighted by where it
 * occurs (kicker 4, title 3, subtitle and lead 2, body and captions 1) and
 * shared among the units an ambiguous name may mean (七星街道 is in four
 * counties). A county-level unit scores its own mentions, its townships',
 * and half its city's and a quarter of its province's, so 嘉兴 and 七星街道
 * together decide 南湖区. The short form of a county (杨浦, 萧山) counts
 * only when something else in the article names the same province, which
 * keeps 新平 in 创新平台 and 资源 in 整合资源 from placing anything. The
 * page's other articles are weaker evidence (0.5 each); `district:` in the
 * metadata overrides everything. No evidence: 未分区, never a guess.
 *
 * Groups: in the four municipalities (北京, 天津, 上海, 重庆) the district
 * (松江); elsewhere the prefecture-level city (嘉兴) with the county-level
 * unit as its sub-group (嘉兴 › 南湖区). Slugs are ASCII pinyin, stable,
 * with collisions resolved by code order (jiaxing, jiaxing/nanhu).
 */
#ifndef BAOKU_DISTRICT_H
#define BAOKU_DISTRICT_H

#include <jansson.h>
#include <stdio.h>

#include "gazetteer.h"
#include "segment.h"

struct dist_evidence {
	int32_t unit;
	const char *where; /* "kicker", "title", "subtitle", "lead", "body", "page", "metadata" */
	double weight;
	char name[48];
};

struct dist_place {
	int32_t unit; /* the county-level unit, or a city or province, or -1 */
	double score;
	struct dist_evidence *ev;
	size_t nev, capev;
	int page_places; /* naming none, it is where the page's articles are */
};

/* Places every article of a page. override is the metadata's district
   (NULL for none). places must hold p->n entries; free each with
   dist_place_free. */
void dist_classify_page(const struct gazetteer *gz, const struct seg_page *p, const char *override,
                        struct dist_place *places);

void dist_place_free(struct dist_place *pl);

/* The district object of `baoku parse --json` for a place. */
json_t *dist_json(const struct gazetteer *gz, const struct dist_place *pl);

/* Prints how an article's place was decided: names, where, weights, and
   the best-scoring candidates. */
void dist_explain(const struct gazetteer *gz, const struct dist_place *pl, FILE *out);

#endif

/*
 * Unit tests for the gazetteer and district classification: load, the
 * one-pass matcher, short forms and their guards, ambiguity, traditional
 * characters, unplaced articles, overrides, groups and slugs.
 */
#include <stdlib.h>

#include "buf.h"
#include "district.h"
#include "gazetteer.h"
#include "segment.h"
#include "tap.h"

static struct gazetteer *S_gz;

/* "group|subgroup|slug" of the first article of a page */
static const char *
S_place(const char *page, const char *override)
{
	static char out[256];
	struct seg_page p;
	seg_segment(page, 1, "t.txt", &p);
	struct dist_place *pl = calloc(p.n ? p.n : 1, sizeof *pl);
	dist_classify_page(S_gz, &p, override, pl);
	json_t *j = dist_json(S_gz, &pl[0]);
	const char *sub = json_string_value(json_object_get(j, "subgroup"));
	snprintf(out, sizeof out, "%s|%s|%s", json_string_value(json_object_get(j, "group")),
	         sub ? sub : "", json_string_value(json_object_get(j, "slug")));
	json_decref(j);
	for (size_t i = 0; i < p.n; i++)
		dist_place_free(&pl[i]);
	free(pl);
	seg_page_free(&p);
	return out;
}

/* the names found in text, space-separated */
static const char *
S_names(const char *text)
{
	static char out[512];
	struct gz_hit *h = NULL;
	size_t n = 0, cap = 0;
	gz_match(S_gz, text, strlen(text), &h, &n, &cap);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%.*s", i ? " " : "",
		         (int)(h[i].end - h[i].start), text + h[i].start);
	free(h);
	return out;
}

/* How many names of data/names.tsv gz_match does not find whole when
   the text is the name alone; *names counts them all. */
static size_t
S_missed_names(size_t *names)
{
	FILE *f = fopen("data/names.tsv", "r");
	char line[256];
	size_t missed = 0;
	*names = 0;
	while (f && fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		struct gz_hit *h = NULL;
		size_t n = 0, cap = 0, len = strlen(line);
		gz_match(S_gz, line, len, &h, &n, &cap);
		if (n != 1 || h[0].start != 0 || h[0].end != len)
			missed++;
		free(h);
		(*names)++;
	}
	if (f)
		fclose(f);
	return missed;
}

/* How many units' ancestors gz_ancestor gives otherwise than a walk up
   their parents, at levels 0 to 5. */
static size_t
S_wrong_ancestors(void)
{
	const struct gz_unit *u = gz_units(S_gz);
	size_t wrong = 0;
	for (size_t i = 0; i < gz_count(S_gz); i++)
		for (int level = 0; level <= 5; level++) {
			int32_t a = (int32_t)i;
			while (a >= 0 && u[a].level > level)
				a = u[a].parent;
			if (a >= 0 && u[a].level != level)
				a = -1;
			wrong += gz_ancestor(S_gz, (int32_t)i, level) != a;
		}
	return wrong + (gz_ancestor(S_gz, -1, 2) != -1);
}

/* The place of the third of three news items on one page: its unit's name,
   with its city after @ when it is a county (鼓楼区@福州市); "" unplaced. */
static const char *
S_page_place(const char *lead1, const char *lead2, const char *lead3)
{
	static struct buf out = BUF_INIT;
	struct buf text = BUF_INIT;
	buf_printf(&text,
	           "第一条新闻标题\n\n■记者 陈涛\n\n%s\n\n第二条新闻标题\n\n■记者 汤顺佳\n\n%s\n\n"
	           "第三条新闻标题\n\n■记者 成佳佳\n\n%s\n",
	           lead1, lead2, lead3);
	struct seg_page p;
	seg_segment(text.data, 1, "t.txt", &p);
	struct dist_place pl[8];
	dist_classify_page(S_gz, &p, NULL, pl);
	buf_reset(&out);
	if (p.n == 3 && pl[2].unit >= 0) {
		const struct gz_unit *u = gz_units(S_gz);
		buf_adds(&out, u[pl[2].unit].name);
		int32_t city = gz_ancestor(S_gz, pl[2].unit, 2);
		if (u[pl[2].unit].level == 3 && city >= 0 && strcmp(u[city].name, "市辖区"))
			buf_printf(&out, "@%s", u[city].name);
	}
	for (size_t i = 0; i < p.n && i < 8; i++)
		dist_place_free(&pl[i]);
	seg_page_free(&p);
	buf_release(&text);
	return out.data;
}

int
main(void)
{
	S_gz = gz_load("data");
	if (!ok(S_gz != NULL, "the gazetteer loads from data/"))
		return tap_done();
	ok(gz_count(S_gz) > 44000, "with every unit down to townships (%zu)", gz_count(S_gz));

	/* matching */
	is_str(S_names("松江区九亭镇和杨浦的中山街道"), "松江区 九亭镇 杨浦 中山街道",
	       "full names, short forms, leftmost longest");
	is_str(S_names("嘉興市南湖區的楊浦"), "嘉興市 南湖區 楊浦", "traditional characters match");
	is_str(S_names("整合资源推进创新平台建设"), "资源 新平",
	       "the matcher finds short forms inside words; the classifier must not trust them");
	is_str(S_names("和平发展,城关镇的街道"), "", "common words are no short forms");
	size_t names, missed = S_missed_names(&names);
	ok(names > 47000 && missed == 0, "each of the %zu names alone is found whole (%zu not)",
	   names, missed);
	ok(S_wrong_ancestors() == 0, "every unit's ancestors at every level, as its parents say");

	/* classification */
	is_str(S_place("九亭镇心家园党群服务中心启用\n\n正文在九亭镇。\n", NULL), "松江||songjiang",
	       "a town alone places its district (九亭镇 is in 松江区)");
	is_str(S_place("标题\n\n作者甲\n\n在七星街道,项目正加紧施工。\n", NULL), "未分区||unplaced",
	       "七星街道 alone is ambiguous: unplaced, not guessed");
	is_str(S_place("标题\n\n作者甲\n\n嘉兴七星街道的项目正加紧施工。\n", NULL),
	       "嘉兴|南湖区|jiaxing/nanhu", "嘉兴 and 七星街道 together decide 南湖区");
	is_str(S_place("嘉興市南湖區:建創新平臺\n\n作者甲\n\n湘家蕩區域的項目。\n", NULL),
	       "嘉兴|南湖区|jiaxing/nanhu", "traditional text classifies as its simplified form");
	is_str(S_place("标题\n\n作者甲\n\n整合资源,打造创新平台,朝天门见。\n", NULL),
	       "未分区||unplaced", "short forms inside ordinary words place nothing");
	is_str(S_place("标题\n\n作者甲\n\n今天天气很好,大家都很开心。\n", NULL), "未分区||unplaced",
	       "no evidence: 未分区");
	is_str(S_place("萧山:整合资源\n\n作者甲\n\n企业代表说。\n", NULL), "未分区||unplaced",
	       "a county's short form alone is not trusted");
	is_str(S_place("萧山:整合资源\n\n作者甲\n\n杭州的企业代表说。\n", NULL),
	       "杭州|萧山区|hangzhou/xiaoshan", "backed by its city it is");
	is_str(S_place("杨浦新闻\n\n作者甲\n\n上海杨浦的消息。\n", NULL), "杨浦||yangpu",
	       "in a municipality the group is the district");
	is_str(S_place("标题\n\n作者甲\n\n上海的消息。\n", NULL), "上海||shanghai",
	       "a municipality named alone is its own group");
	is_str(S_place("标题\n\n作者甲\n\n嘉兴的消息。\n", NULL), "嘉兴||jiaxing",
	       "elsewhere a city alone is its group without a sub-group");
	is_str(S_place("标题\n\n作者甲\n\n嘉兴的消息。\n", "建德市"), "杭州|建德市|hangzhou/jiande",
	       "district: in the metadata overrides the text");
	is_str(S_place("标题\n\n作者甲\n\n台州黄岩区的消息。\n", NULL),
	       "台州|黄岩区|taizhou-zhejiang/huangyan",
	       "slug collisions go to the lower code (泰州 is taizhou), deterministically");

	is_str(S_place("标题\n\n作者甲\n\n咸阳市乾县的消息。\n", NULL), "咸阳|乾县|xianyang/qian",
	       "a name whose character folds to a simplified one (乾 to 干) is found");
	is_str(S_place("标题\n\n作者甲\n\n今天的消息。\n", "乾县"), "咸阳|乾县|xianyang/qian",
	       "and named in the metadata");

	/* the page: what the other articles are about helps, never decides */
	is_str(S_page_place("本报讯 杨浦区的消息。", "本报讯 杨浦区的又一消息。",
	                    "本报讯 今天天气很好。"),
	       "", "an article that names no place is about none, whatever its page's are");
	is_str(S_page_place("本报讯 杨浦区的消息。", "本报讯 杨浦区的又一消息。",
	                    "(上接第1版)今天天气很好。"),
	       "杨浦区", "the second half of a continued article takes its page's place");
	is_str(S_page_place("本报讯 福州市闽侯县的消息。", "本报讯 福州市连江县的又一消息。",
	                    "本报讯 鼓楼区的消息。"),
	       "鼓楼区@福州市",
	       "a name four provinces have (鼓楼区) is the one in the page's city");
	is_str(S_page_place("本报讯 昆明市西山区的消息。", "本报讯 昆明市官渡区的消息。",
	                    "本报讯 昆明的天气很热。"),
	       "昆明市", "a city the article names stays a city, whatever counties the page names");

	gz_free(S_gz);
	return tap_done();
}

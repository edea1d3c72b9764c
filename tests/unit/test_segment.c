/*
 * Unit tests for segmentation and repair, one rule at a time, on small
 * pages written for the purpose (the seed pages have regression pairs).
 */
#include <stdlib.h>

#include "buf.h"
#include "repair.h"
#include "segment.h"
#include "tap.h"

static struct seg_page S_page;

static const struct seg_page *
S_seg(const char *text)
{
	seg_page_free(&S_page);
	seg_segment(text, 1, "t.txt", &S_page);
	return &S_page;
}

static const char *
S_fold(const char *s)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	rep_typography(s, strlen(s), 0, &b);
	return b.data;
}

static const char *
S_names(const struct strlist *l)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", l->v[i]);
	return b.data;
}

/* "p:text|h:text|f:caption/credit" for an article's blocks */
static const char *
S_blocks(const struct seg_article *a)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *x = &a->blocks[i];
		if (i)
			buf_addc(&b, '|');
		if (x->type == SEG_FIGURE)
			buf_printf(&b, "f:%s/%s", x->caption, x->credit ? x->credit : "");
		else
			buf_printf(&b, "%s:%s", x->type == SEG_H ? "h" : "p", x->text);
	}
	return b.data;
}

int
main(void)
{
	const struct seg_page *p;

	/* typography */
	is_str(S_fold("近年来,正泰集团(上海)在松江:成绩?好!"),
	       "近年来，正泰集团（上海）在松江：成绩？好！",
	       "ASCII marks between Chinese fold to full width");
	is_str(S_fold("完成38.09亿元,同比增长7.1%;时间8:30,共1,000人"),
	       "完成38.09亿元，同比增长7.1%；时间8:30，共1,000人", "numbers keep their marks");
	is_str(S_fold("IV-175号地块和G60 智电港,储能电池包(PACK)项目"),
	       "IV-175号地块和G60 智电港，储能电池包（PACK）项目", "codes and Latin keep theirs");
	is_str(S_fold("Hello, world (test)."), "Hello, world (test).", "Latin text is left alone");
	is_str(S_fold("区区合作 品牌联动  推动"), "区区合作品牌联动推动",
	       "spaces between Chinese go");
	is_str(S_fold("  松江 ,  杨浦  "), "松江，杨浦", "spaces around a folded mark go");
	ok(rep_ends_sentence("好。", strlen("好。")) &&
	       rep_ends_sentence("说：“好。”", strlen("说：“好。”")),
	   "。 and 。” end a sentence");
	ok(!rep_ends_sentence("打造“松江模式”", strlen("打造“松江模式”")) &&
	       !rep_ends_sentence("研发平台,", strlen("研发平台,")),
	   "a quoted phrase or a comma does not");
	ok(seg_page_number("一", 3) == 1 && seg_page_number("十二", 6) == 12 &&
	       seg_page_number("二十", 6) == 20 && seg_page_number("12", 2) == 12 &&
	       seg_page_number("版", 3) == 0,
	   "page numbers in Chinese numerals and digits");

	/* continuation markers */
	p = S_seg("◀ 上接第一版\n\n### 标题一号 第二分句\n\n正文第一段。\n\n◀ 上接第三版\n\n### "
	          "标题二号\n\n"
	          "正文。(下转第12版)\n");
	ok(p->n == 2, "a marker line opens an article (%zu)", p->n);
	ok(p->n == 2 && p->v[0].continued_from == 1 && p->v[1].continued_from == 3,
	   "continued_from keeps the page");
	ok(p->n == 2 && p->v[1].continues_on == 12, "continues_on from (下转第12版)");
	is_str(p->n == 2 ? S_blocks(&p->v[1]) : "", "p:正文。", "the marker leaves the text");
	is_str(p->v[0].title, "标题一号 第二分句", "a # heading is a headline, clauses kept apart");

	/* headline, byline, dateline; a byline followed by 本报讯 */
	p = S_seg("派出所上线排队查询功能\n\n■记者 陈 涛\n\n本报讯 市民王先生近日来到派出所。\n\n"
	          "其实,他已在线查看。\n\n■记者 汤顺佳 文/摄\n\n本报讯 "
	          "2月23日下午,在长海路街道浣纱四村居民区,"
	          "2024年度浣纱睦邻文化节同时启幕。\n");
	ok(p->n == 2, "a byline followed by 本报讯 starts an article (%zu)", p->n);
	is_str(S_names(&p->v[0].reporters), "陈涛", "layout spaces inside a name go");
	is_str(p->v[0].dateline, "本报讯", "the dateline is recorded");
	is_str(S_blocks(&p->v[0]), "p:本报讯 市民王先生近日来到派出所。|p:其实，他已在线查看。",
	       "本报讯 keeps its space, the rest is repaired");
	ok(p->n == 2 && p->v[1].title_derived, "the headless article's title is derived");
	is_str(p->n == 2 ? p->v[1].title : "", "2024年度浣纱睦邻文化节同时启幕",
	       "from the lead's last clause");
	is_str(p->n == 2 ? S_names(&p->v[1].photographers) : "", "汤顺佳",
	       "文/摄: the reporter took the photos");

	/* kickers, bare names, paper-prefixed and multi-role bylines */
	p = S_seg("国网台州市黄岩区供电公司:\n\n节能作战再升级 低碳生活有补贴\n\n赵静 "
	          "杨晶晶\n\n空调调高到26度。\n\n"
	          "萧山:整合资源 推进产业社区治理新模式\n\n高亿庚 韩惠娜 范倩倩\n\n正文在此。\n\n"
	          "标题三\n\n青年报记者 陈泳均 通讯员 王 蓉\n\n正文。\n");
	ok(p->n == 3, "three articles (%zu)", p->n);
	is_str(p->v[0].kicker, "国网台州市黄岩区供电公司", "a colon-ended line is the kicker");
	is_str(S_names(&p->v[0].reporters), "赵静,杨晶晶",
	       "bare names after a headline are the byline");
	ok(p->n == 3 && p->v[1].kicker && !strcmp(p->v[1].kicker, "萧山") &&
	       !strcmp(p->v[1].title, "整合资源 推进产业社区治理新模式"),
	   "the place before a colon in a headline is the kicker");
	is_str(p->n == 3 ? S_names(&p->v[2].reporters) : "", "陈泳均,王蓉",
	       "paper name before 记者, and 通讯员");

	/* trailing byline, inline 上接 */
	p = S_seg("提高人才培养质量\n\n(上接第1版)薛侃表示,下一步,\n\n助推发展。 ■记者 封辰霏\n");
	ok(p->n == 1 && p->v[0].continued_from == 1, "(上接第1版) before the first paragraph");
	is_str(S_names(&p->v[0].reporters), "封辰霏", "a byline at the end of the last paragraph");
	is_str(S_blocks(&p->v[0]), "p:薛侃表示，下一步，助推发展。",
	       "taken out, and the cut paragraph joined");

	/* photos: caption and credit after an image gap, a caption inside a
	   cut paragraph, a credit inside the caption */
	p = S_seg("标题\n\n作者甲 "
	          "作者乙\n\n嘉兴衍视电子科技有限公司是一\n\n\n\n湘城社区邻里中心广场上。\n\n陈惠芳"
	          " 摄\n\n"
	          "家致力于研发的公司。\n\n小标题在这里\n\n正文。\n\n\n\n河上镇膜力产业社区("
	          "图片由萧山区河上镇提供)\n");
	is_str(S_blocks(&p->v[0]),
	       "p:嘉兴衍视电子科技有限公司是一家致力于研发的公司。|f:湘城社区邻里中心广场上。/"
	       "陈惠芳 摄|"
	       "h:小标题在这里|p:正文。|f:河上镇膜力产业社区/图片由萧山区河上镇提供",
	       "captions lifted out, the paragraph around them joined, subhead kept");
	is_str(S_names(&p->v[0].photographers), "陈惠芳", "the credit's photographer is recorded");

	/* subheads against paragraphs the column cut */
	p = S_seg("专题标题\n\n作者甲\n\n第一段结束了。\n\n记者在会上了解到,"
	          "精密设备产\n\n业专班工作将聚焦产业链。\n\n"
	          "杨浦公安分局人口办副科长方\n\n雏声表示,"
	          "可以查看。\n\n发挥杨浦平台优势、大学和\n\n人才优势。\n\n"
	          "构建产业链创新链,跨区域协同\n\n在产业实施过程中推进。\n");
	is_str(
	    S_blocks(&p->v[0]),
	    "p:第一段结束了。|p:记者在会上了解到，精密设备产业专班工作将聚焦产业链。|"
	    "p:杨浦公安分局人口办副科长方雏声表示，可以查看。|p:发挥杨浦平台优势、大学和人才优势。|"
	    "h:构建产业链创新链，跨区域协同|p:在产业实施过程中推进。",
	    "cut paragraphs are joined, a real subhead stays");
	p = S_seg("消息标题\n\n■记者 陈涛\n\n本报讯 第一段。\n\n实施高能级科技企业“续航”行动\n\n"
	          "区科委加大支持力度。\n");
	ok(p->n == 2 && !strcmp(p->v[1].title, "实施高能级科技企业“续航”行动"),
	   "a news item's subheads are short: a headline after it starts the next piece");
	p = S_seg(
	    "十八洞村里的“新农人”\n\n本报6月17日讯(记者 彭雪)返乡的人多了。\n\n返乡青年挑大梁\n\n"
	    "近年来,村里发展产业。\n");
	ok(p->n == 1 && !strcmp(S_blocks(&p->v[0]), "p:本报6月17日讯（记者彭雪）返乡的人多了。|"
	                                            "h:返乡青年挑大梁|p:近年来，村里发展产业。"),
	   "a short heading in a news item is its subhead");

	/* a page header is the page's, a label heads its items, a credit in
	   brackets closes each, editors are the page's */
	p = S_seg("佛山日报\n\n2023年11月14日 星期二\n\n第B07版:佛山新闻\n\n镇街快讯\n\n"
	          "更合镇冬种蔬菜陆续上市\n\n连日来,高明区更合镇的蔬菜上市。(通讯员 何 静)\n\n"
	          "狮山镇两所公办幼儿园开园\n\n11月13日,两所幼儿园开园。(记者 林 晓)\n\n"
	          "责任编辑 陈 敏  校对 吴晓东\n");
	ok(p->n == 2 && p->v[0].label && !strcmp(p->v[0].label, "镇街快讯") && p->v[1].label &&
	       !strcmp(p->v[1].label, "镇街快讯"),
	   "a label heads each item of a roundup (%zu)", p->n);
	is_str(p->n == 2 ? S_names(&p->v[1].reporters) : "", "林晓", "each item has its people");
	is_str(p->head.paper, "佛山日报", "the header gives the paper");
	is_str(p->head.date, "2023-11-14", "the date, read from the page");
	is_str(p->head.page, "B07", "the page as printed");
	is_str(p->head.section, "佛山新闻", "and its name");
	is_str(S_names(&p->head.editors), "陈敏,吴晓东", "editor lines are the page's");
	is_str(p->n == 2 ? S_blocks(&p->v[1]) : "", "p:11月13日，两所幼儿园开园。（记者林晓）",
	       "and never a paragraph");

	/* photo news: its credit is never the byline of the headline after it */
	p = S_seg("石湾公仔“走进”岭南天地\n\n\n\n11月13日,市民在禅城区欣赏石湾公仔。\n\n"
	          "本报记者 梁 伟 摄\n\n顺德区北滘镇:碧道串起三个村\n\n本报讯(记者 何 静)近日,"
	          "碧道建成。\n");
	ok(p->n == 2 && p->v[0].kind == SEG_PHOTO, "a headline, a photo and a credit: photo news");
	is_str(S_names(&p->v[0].photographers), "梁伟", "the credit is the photo's");
	is_str(p->n == 2 ? S_names(&p->v[1].reporters) : "", "何静",
	       "and the next article keeps its own people");
	is_str(p->n == 2 ? p->v[1].kicker : "", "顺德区北滘镇", "a kicker before a colon");
	is_str(p->n == 2 ? p->v[1].dateline : "", "本报讯", "the dateline without its byline");

	/* headline forms: on two lines, a —— subtitle, 上接 under them; 转A3版 */
	p = S_seg("重渡沟:\n\n稻田里的\n“丰收曲”\n\n——记栾川县的秋收\n\n(上接第一版)\n\n"
	          "文/杜 娟  图/郭 晓\n\n深秋的栾川县,稻田金黄。(转A3版)\n");
	ok(p->n == 1, "one article (%zu)", p->n);
	is_str(p->v[0].title, "稻田里的“丰收曲”", "a headline printed on two lines is one");
	is_str(p->v[0].kicker, "重渡沟", "the kicker line");
	is_str(p->v[0].subtitle, "记栾川县的秋收", "a —— subtitle");
	ok(p->v[0].continued_from == 1 && p->v[0].continues_on == 3 &&
	       !strcmp(p->v[0].on_prefix, "A3"),
	   "上接 under the headline, 转A3版 at the end");
	is_str(S_names(&p->v[0].photographers), "郭晓", "文/X 图/Y");

	/* interviews are body; slogans at the foot are a notice */
	p = S_seg("小柑橘做成大产业\n\n记者 向 阳\n\n9月的红花套镇,柑橘挂满枝头。\n\n"
	          "记者:最大的变化是什么?\n\n覃军:从卖橘子到卖品牌。\n\n"
	          "节约粮食 从我做起\n\n拒绝舌尖上的浪费\n\n责任编辑 黄 莉\n");
	ok(p->n == 2 && p->v[0].nblocks == 3, "记者: and X: lines are body (%zu)",
	   p->n ? p->v[0].nblocks : 0);
	ok(p->n == 2 && p->v[1].kind == SEG_NOTICE && p->v[1].nblocks == 2,
	   "short lines and nothing else at the foot are a notice");

	/* subtitle; notices stay apart and keep their spacing */
	p = S_seg("松江经开区开新局 聚链打造新高地\n\n信念如铁·一脉相承\n\n勇立潮头,奋楫争先。\n\n"
	          "文明健康 有你有我 | 公益广告\n\n“遵守秩序”\n\n文明行为\n\n富强 民主 文明 "
	          "和谐\n自由 平等 公正 法治\n");
	is_str(p->v[0].subtitle, "信念如铁·一脉相承",
	       "a short line after the headline is the subtitle");
	ok(p->n == 2 && p->v[1].kind == SEG_NOTICE,
	   "公益广告 is a notice, not part of the article");
	is_str(p->n == 2 ? S_blocks(&p->v[1]) : "",
	       "p:“遵守秩序”|p:文明行为|p:富强 民主 文明 和谐\n自由 平等 公正 法治",
	       "the notice keeps its lines and spaces");

	/* nothing is lost: odd pages still give their text */
	p = S_seg("■记者 陈\n");
	ok(p->n == 1 && strstr(S_blocks(&p->v[0]), "■记者 陈"),
	   "a stray byline alone is kept as text");
	p = S_seg("");
	ok(p->n == 0, "an empty page has no articles");
	p = S_seg("◀ 上接第一版\n");
	ok(p->n == 1 && p->v[0].continued_from == 1, "a marker alone is kept");
	p = S_seg("只有一段正文,没有标题,也没有署名,但它必须保留下来。\n");
	ok(p->n == 1 && p->v[0].title_derived && p->v[0].nblocks == 1, "body without headline");

	/* ids: stable, independent of the body */
	p = S_seg("标题甲\n\n作者甲\n\n正文一。\n");
	char id1[17];
	memcpy(id1, p->v[0].id, sizeof id1);
	p = S_seg("标题甲\n\n作者甲\n\n改过的正文。\n");
	is_str(p->v[0].id, id1, "editing the body keeps the id");
	p = S_seg("标题乙\n\n作者甲\n\n正文一。\n");
	ok(strcmp(p->v[0].id, id1) != 0, "another title, another id");

	p = S_seg("同一个标题\n\n作者甲\n\n正文一。\n\n同一个标题\n\n作者乙\n\n正文二。\n");
	ok(p->n == 2 && strcmp(p->v[0].id, p->v[1].id) != 0,
	   "two articles with one title get two ids");

	/* a paragraph the page cut, a sentence ended inside it, is no
	   headline however short: the photo under it is the article's, not
	   photo news */
	p = S_seg("工业园区集聚新势力\n\n本报讯 新项目带来了新厂区。\n\n"
	          "拼经济。湘家荡区域采取多种方式相结合形\n\n\n\n园区一角。\n");
	ok(p->n == 1, "a cut paragraph with a full stop inside opens no article (%zu)", p->n);
	is_str(
	    p->n ? S_blocks(&p->v[0]) : "",
	    "p:本报讯 新项目带来了新厂区。|p:拼经济。湘家荡区域采取多种方式相结合形|f:园区一角。/",
	    "it stays a paragraph, the caption a figure");

	/* packed articles read back as they were; cut short, they fail */
	p = S_seg("上接第一版\n\n本报讯 记者 王蓉 通讯员 李明\n\n产业链\n九亭镇新闻标题\n\n"
	          "第一段正文说了很多事情。\n\n小标题\n\n第二段正文\n接着写完。\n\n"
	          "图为九亭镇的新街景。 陈涛 摄\n\n下转第三版\n\n"
	          "另一篇的标题\n\n本报记者 张三\n\n另一篇的正文。\n");
	struct buf packed = BUF_INIT;
	for (size_t i = 0; i < p->n; i++)
		seg_article_pack(&p->v[i], &packed);
	struct seg_page back = {0};
	const char *at = packed.data, *end = packed.data + packed.len;
	int rc = 0;
	while (rc == 0 && at < end)
		rc = seg_article_unpack(&at, end, &back);
	size_t same = 0;
	for (size_t i = 0; rc == 0 && i < p->n && i < back.n; i++) {
		json_t *a = seg_article_json(&p->v[i], i, "t.txt", "UTF-8");
		json_t *b = seg_article_json(&back.v[i], i, "t.txt", "UTF-8");
		same += json_equal(a, b);
		json_decref(a);
		json_decref(b);
	}
	ok(rc == 0 && back.n == p->n && same == p->n && p->n >= 2,
	   "packed articles unpack to the same articles (%zu of %zu)", same, p->n);
	size_t failed = 0;
	for (size_t cut = 0; cut < packed.len; cut++) {
		struct seg_page part = {0};
		at = packed.data;
		end = packed.data + cut;
		rc = 0;
		while (rc == 0 && at < end)
			rc = seg_article_unpack(&at, end, &part);
		failed += rc < 0 || at != end;
		seg_page_free(&part);
	}
	ok(failed >= packed.len - p->n, "bytes cut short fail to unpack (%zu of %zu cuts)", failed,
	   packed.len);
	seg_page_free(&back);
	buf_release(&packed);

	seg_page_free(&S_page);
	return tap_done();
}

/*
 * People and page furniture, one line at a time: bylines in their forms,
 * photo credits, datelines that carry a byline, credits closing a
 * paragraph, editor lines, page headers and section labels. Each case is
 * a line and what the reader must take from it.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "seg_int.h"
#include "tap.h"
#include "util.h"

/* "name/role,name/role" for people, in the order read */
static const char *
S_people(const struct seg_people *p)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	for (size_t i = 0; i < p->n; i++)
		buf_printf(&b, "%s%s/%s", i ? "," : "", p->v[i].name, p->v[i].role);
	return b.data;
}

struct byline_case {
	const char *line, *want; /* want NULL: no byline */
};

static const struct byline_case S_bylines[] = {
    {"■记者 成佳佳", "成佳佳/记者"},
    {"青年报记者 陈泳均", "陈泳均/记者"},
    {"本报记者 林 晓 通讯员 黄嘉敏", "林晓/记者,黄嘉敏/通讯员"},
    {"记者 张 宇 实 习 生 刘思琪", "张宇/记者,刘思琪/实习生"},
    {"见习记者 陈 露", "陈露/见习记者"},
    {"融媒体记者 李 涛 特约记者 杨 旭 报道", "李涛/融媒体记者,杨旭/特约记者"},
    {"XX日报社全媒体记者 王 芳 秦 川", "王芳/全媒体记者,秦川/全媒体记者"},
    {"本报评论员 刘 毅", "刘毅/评论员"},
    {"张 三 报道", "张三/"},
    {"文/段 玲 图/杨 凯", "段玲/文,杨凯/摄影"},
    {"向 阳/文 李 凯/摄", "向阳/文,李凯/摄影"},
    {"记者 郑 舒/文 王 勇/摄", "郑舒/记者,王勇/摄影"},
    {"■摄影 记者 李秋明", "李秋明/摄影"},
    {"(晋江融媒 记者 苏 婷 文/图)", "苏婷/记者,苏婷/摄影"},
    {"文/图 大河报记者 王 倩", "王倩/记者,王倩/摄影"},
    {"■记者 汤顺佳 文/摄", "汤顺佳/记者,汤顺佳/摄影"},
    {"上游新闻·重庆晚报记者 周 敏 实习生 陈 可", "周敏/记者,陈可/实习生"},
    {"王 芳  李 强", NULL}, /* no role word: names only */
    {"记者:你好,请问这里怎么走?", NULL},
    {"冬季防火 安全第一", NULL},
};

struct credit_case {
	const char *line, *want; /* want "": an organisation's credit */
};

static const struct credit_case S_credits[] = {
    {"王佳萱 摄", "王佳萱/摄影"},
    {"本报记者 林 晓 摄", "林晓/摄影"},
    {"记者 潘 郁 通讯员 李 锐 摄", "潘郁/摄影,李锐/摄影"},
    {"摄影/张 三", "张三/摄影"},
    {"XX县融媒体中心供图", ""},
    {"(受访者供图)", ""},
    {"本版均为受访者供图", ""},
};

struct dateline_case {
	const char *lead, *dateline, *people;
};

static const struct dateline_case S_datelines[] = {
    {"本报讯 为加快构建杨浦创新型产业体系,", "本报讯", ""},
    {"本报讯(记者 王 芳 通讯员 李 强)6月1日,", "本报讯", "王芳/记者,李强/通讯员"},
    {"本报9月2日讯(记者 何 静)近日,", "本报9月2日讯", "何静/记者"},
    {"○本报讯 记者 何 林 近日,先锋镇新建的中心投用。", "本报讯", "何林/记者"},
    {"XX新闻网5月8日讯(记者 黄 珊)“提线要稳”", "XX新闻网5月8日讯", "黄珊/记者"},
    {"现代快报讯(记者 丁晓 文/摄)5月8日,", "现代快报讯", "丁晓/记者,丁晓/摄影"},
    {"新华社北京6月3日电(记者 张三、李四)", "新华社北京6月3日电", "张三/记者,李四/记者"},
    {"中新网四川新闻12月4日电 (王磊)", "中新网四川新闻12月4日电", "王磊/"},
    {"据网络资讯,今年", NULL, NULL},
    {"电商平台数据显示,", NULL, NULL},
};

struct head_case {
	const char *line;
	int top;
	const char *want; /* "paper|date|page|section", or NULL: no header */
};

static const struct head_case S_heads[] = {
    {"第03版:要闻", 0, "|||03|要闻"},
    {"05版:乡村振兴", 0, "|||05|乡村振兴"},
    {"第B07版:佛山新闻", 0, "|||B07|佛山新闻"},
    {"B2 镇街新闻", 0, "|||B2|镇街新闻"},
    {"第8版 城区新闻", 0, "|||8|城区新闻"},
    {"2023年11月14日 星期二", 0, "||2023-11-14||"},
    {"XX日报 2023年5月18日 星期四 第12版 城事", 0, "|XX日报|2023-05-18|12|城事"},
    {"佛山日报", 1, "|佛山日报|||"},
    {"佛山日报", 0, NULL},
    {"6 市县传真", 1, "|||6|市县传真"},
    {"长沙晚报 A05 区县(市)新闻 2024年1月12日 星期五", 0, "|长沙晚报|2024-01-12|A05|区县(市)新闻"},
    {"G60科创走廊", 0, NULL},
    {"2024年2月30日", 0, NULL},
};

static const char *
S_head(const struct seg_head *h)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	buf_printf(&b, "|%s|%s|%s|%s", h->paper ? h->paper : "", h->date ? h->date : "",
	           h->page ? h->page : "", h->section ? h->section : "");
	return b.data;
}

int
main(void)
{
	for (size_t i = 0; i < SEG_N(S_bylines); i++) {
		const struct byline_case *c = &S_bylines[i];
		struct seg_people p = {0};
		int got = seg_byline(c->line, strlen(c->line), 0, &p);
		if (c->want)
			is_str(got ? S_people(&p) : "(no byline)", c->want, "byline %s", c->line);
		else
			ok(!got, "no byline: %s", c->line);
		seg_people_free(&p);
	}
	struct seg_people bare = {0};
	ok(seg_byline("王 芳  李 强", strlen("王 芳  李 强"), 1, &bare) &&
	       !strcmp(S_people(&bare), "王芳/,李强/"),
	   "names alone: one space inside a name, two between names");
	seg_people_free(&bare);
	ok(seg_byline_stub("■记者 陈", strlen("■记者 陈")), "■记者 陈 is a byline cut off");

	for (size_t i = 0; i < SEG_N(S_credits); i++) {
		const struct credit_case *c = &S_credits[i];
		struct seg_people p = {0};
		int got = seg_credit(c->line, strlen(c->line), &p);
		is_str(got ? S_people(&p) : "(no credit)", c->want, "credit %s", c->line);
		seg_people_free(&p);
	}
	struct seg_people np = {0};
	ok(!seg_credit("河上镇膜力产业社区(图片由萧山区河上镇提供)",
	               strlen("河上镇膜力产业社区(图片由萧山区河上镇提供)"), &np),
	   "a caption ending in a credit is a caption");
	seg_people_free(&np);

	for (size_t i = 0; i < SEG_N(S_datelines); i++) {
		const struct dateline_case *c = &S_datelines[i];
		struct seg_people p = {0};
		const char *name = NULL;
		size_t nlen = 0;
		size_t at = seg_dateline(c->lead, strlen(c->lead), &name, &nlen, &p);
		if (!c->dateline) {
			ok(at == 0, "no dateline: %s", c->lead);
		} else {
			struct buf d = BUF_INIT;
			buf_add(&d, name ? name : "", at ? nlen : 0);
			is_str(d.data, c->dateline, "dateline of %s", c->lead);
			is_str(S_people(&p), c->people, "and its people");
			buf_release(&d);
		}
		seg_people_free(&p);
	}

	struct seg_people tc = {0};
	int bracketed = 0;
	const char *item = "老旧供水管网改造工程完工。(通讯员 许 诺)";
	size_t off = seg_trailing_credit(item, strlen(item), &tc, &bracketed);
	ok(off < strlen(item) && bracketed && !strcmp(S_people(&tc), "许诺/通讯员"),
	   "a bracketed credit closes a roundup item");
	seg_people_free(&tc);
	const char *tail = "助推发展。 ■记者 封辰霏";
	off = seg_trailing_credit(tail, strlen(tail), &tc, &bracketed);
	ok(!bracketed && off == strlen("助推发展。 ") && !strcmp(S_people(&tc), "封辰霏/记者"),
	   "a byline run into the end of a paragraph");
	seg_people_free(&tc);

	static const char *const editors[] = {
	    "责任编辑 王小明", "[责任编辑:王小明]", "本版编辑/王 瑜 美编/李 想",
	    "责任编辑　刘　洋　　美术编辑　张　帆", "版式编辑 谭 文  校检 周 敏"};
	static const char *const editor_names[] = {"王小明", "王小明", "王瑜,李想", "刘洋,张帆",
	                                           "谭文,周敏"};
	for (size_t i = 0; i < SEG_N(editors); i++) {
		struct strlist l = {0};
		struct buf names = BUF_INIT;
		int got = seg_editor_line(editors[i], strlen(editors[i]), &l);
		for (size_t k = 0; k < l.n; k++)
			buf_printf(&names, "%s%s", k ? "," : "", l.v[k]);
		is_str(got ? names.data : "(none)", editor_names[i], "editor line %s", editors[i]);
		buf_release(&names);
		strlist_free(&l);
	}

	for (size_t i = 0; i < SEG_N(S_heads); i++) {
		const struct head_case *c = &S_heads[i];
		struct seg_head h = {0};
		int got = seg_header_line(c->line, strlen(c->line), !c->top, &h);
		if (c->want)
			is_str(got ? S_head(&h) : "(no header)", c->want, "header %s", c->line);
		else
			ok(!got, "no header: %s", c->line);
		seg_head_free(&h);
	}

	static const char *const labels[] = {"要 闻",    "镇街快讯", "简讯",          "要闻速览",
	                                     "图片新闻", "【简讯】", "乡村振兴进行时"};
	for (size_t i = 0; i < SEG_N(labels); i++)
		ok(seg_label(labels[i], strlen(labels[i])), "label %s", labels[i]);
	ok(!seg_label("九亭镇心家园党群服务中心启用", strlen("九亭镇心家园党群服务中心启用")),
	   "a headline is no label");
	return tap_done();
}

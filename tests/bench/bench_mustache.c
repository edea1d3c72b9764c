/*
 * Micro-benchmark for the Mustache engine: renders a realistic article
 * page (a parent layout, three partials, a list of 50 items, text heavy
 * with characters to escape) many times and prints pages per second and
 * MB/s. Usage: bench_mustache [SECONDS]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "mustache.h"
#include "util.h"

static const char *const S_parts[][2] = {
	{ "layout",
	  "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	  "<title>{{$title}}报库{{/title}}</title>\n{{$head}}{{/head}}\n</head>\n<body>\n"
	  "{{>header}}\n<main>\n{{$content}}{{/content}}\n</main>\n{{>footer}}\n</body>\n</html>\n" },
	{ "header", "<header><a href=\"{{root}}index.html\">{{site.title}}</a>\n"
		    "<form action=\"{{root}}search/index.html\"><input name=\"q\"></form></header>\n" },
	{ "footer", "<footer><p>{{site.title}} · {{site.year}}</p></footer>\n" },
	{ "item", "<li><a href=\"{{root}}{{href}}\">{{title}}</a> <time>{{date}}</time></li>\n" },
};

static int
S_load(void *ctx, const char *name, struct buf *text, char **path)
{
	(void)ctx;
	(void)path;
	for (size_t i = 0; i < sizeof S_parts / sizeof S_parts[0]; i++)
		if (!strcmp(name, S_parts[i][0])) {
			buf_adds(text, S_parts[i][1]);
			return 1;
		}
	return 0;
}

static const char S_page[] =
	"{{<layout}}\n{{$title}}{{article.title}} · {{site.title}}{{/title}}\n"
	"{{$content}}\n<article>\n  <p class=\"kicker\">{{article.kicker}}</p>\n"
	"  <h1>{{article.title}}</h1>\n  <p class=\"byline\">{{#article.reporters}}"
	"<a href=\"{{root}}people/{{slug}}.html\">{{name}}</a> {{/article.reporters}}</p>\n"
	"  {{#article.blocks}}\n  <p>{{text}}</p>\n  {{/article.blocks}}\n"
	"  <ul class=\"related\">\n  {{#related}}\n  {{>item}}\n  {{/related}}\n  </ul>\n"
	"</article>\n{{/content}}\n{{/layout}}\n";

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	json_t *blocks = json_array(), *related = json_array();
	for (int i = 0; i < 12; i++)
		json_array_append_new(blocks, json_pack("{s:s}", "text",
			"区商务委传达杨浦区重点产业链“链长制”工作推进大会精神 & 通报 <2024年> "
			"精密设备产业链工作方案, \"区投促办\" 介绍杨浦投资发展环境; 'R&D' > 38.09亿元。"));
	for (int i = 0; i < 50; i++) {
		char href[64];
		snprintf(href, sizeof href, "articles/2024/%05d.html", i);
		json_array_append_new(related, json_pack("{s:s,s:s,s:s}", "href", href, "title",
			"派出所上线排队查询功能 <热力图> & “随申办”", "date", "2024-02-23"));
	}
	json_t *data = json_pack(
		"{s:s,s:{s:s,s:i},s:{s:s,s:s,s:[{s:s,s:s},{s:s,s:s}],s:o},s:o}", "root", "../../",
		"site", "title", "报库", "year", 2024, "article", "kicker", "国网台州市黄岩区供电公司:",
		"title", "节能作战再升级 低碳生活有补贴 <&>", "reporters", "name", "赵静", "slug",
		"zhao-jing", "name", "杨晶晶", "slug", "yang-jingjing", "blocks", blocks, "related",
		related);

	struct mu_env *env = mu_env_new(S_load, NULL, 0);
	struct mu_template *t = mu_compile(env, "page", S_page, sizeof S_page - 1);
	struct buf out = BUF_INIT;
	if (!t || mu_render(env, t, &mujson_data, data, &out) < 0)
		return 1;
	size_t page_bytes = out.len;
	unsigned long pages = 0;
	double start = util_now(), elapsed;
	do {
		for (int i = 0; i < 200; i++) {
			buf_reset(&out);
			mu_render(env, t, &mujson_data, data, &out);
		}
		pages += 200;
		elapsed = util_now() - start;
	} while (elapsed < seconds);
	printf("mustache: article page of %zu bytes (layout, 3 partials, 50-item list): "
	       "%.0f pages/s, %.1f MB/s\n",
	       page_bytes, pages / elapsed, pages * (double)page_bytes / elapsed / 1e6);
	buf_release(&out);
	mu_template_free(t);
	mu_env_free(env);
	json_decref(data);
	return 0;
}

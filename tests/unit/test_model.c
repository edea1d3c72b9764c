/* Unit tests for model: arena models, alone and with jansson values in
   them, rendered as jansson trees of the same content render. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "model.h"
#include "mujson.h"
#include "mustache.h"
#include "tap.h"
#include "util.h"

/* text rendered with the model's data, into a static buffer */
static const char *
S_render(const char *text, const struct mu_data *data, const void *root)
{
	static char out[4096];
	struct mu_env *env = mu_env_new(NULL, NULL, 0);
	struct mu_template *t = mu_compile(env, "t", text, strlen(text));
	struct buf b = BUF_INIT;
	int rc = t ? mu_render(env, t, data, root, &b) : -1;
	snprintf(out, sizeof out, "%s", rc == 0 && b.data ? b.data : rc == 0 ? "" : "(error)");
	buf_release(&b);
	mu_template_free(t);
	mu_env_free(env);
	return out;
}

int
main(void)
{
	const char *tpl = "{{title}}|{{#tags}}<{{.}}>{{/tags}}|{{n}}|{{#yes}}Y{{/yes}}"
	                  "{{^no}}N{{/no}}|{{#none}}x{{/none}}|{{&raw}}|{{esc}}|"
	                  "{{#blocks}}[{{text}}:{{line}}]{{/blocks}}|{{site.name}}";

	/* the same content as jansson and as a model */
	json_t *site = json_pack("{s:s}", "name", "报库");
	json_t *j = json_pack("{s:s,s:[s,s],s:i,s:b,s:b,s:n,s:s,s:s,s:[{s:s,s:i},{s:s,s:i}],s:O}",
	                      "title", "松江新闻", "tags", "甲", "乙", "n", 42, "yes", 1, "no", 0,
	                      "none", "raw", "<b>", "esc", "a&b", "blocks", "text", "一", "line", 3,
	                      "text", "二", "line", 4, "site", site);
	struct model m = MODEL_INIT;
	struct strlist tags = {0};
	strlist_add(&tags, "甲", strlen("甲"));
	strlist_add(&tags, "乙", strlen("乙"));
	struct model_list *blocks = model_list(&m, 1); /* grows */
	for (int i = 0; i < 2; i++) {
		struct model_map *b = model_map(&m, 1, NULL);
		model_set(&m, b, "text", model_str(&m, i ? "二" : "一"));
		model_set(&m, b, "line", model_int(&m, 3 + i));
		model_push(&m, blocks, model_map_val(b));
	}
	struct model_map *v = model_map(&m, 2, NULL); /* grows too */
	model_set(&m, v, "title", model_str(&m, "松江新闻"));
	model_set(&m, v, "tags", model_strlist(&m, &tags));
	model_set(&m, v, "n", model_int(&m, 42));
	model_set(&m, v, "yes", model_bool(1));
	model_set(&m, v, "no", model_bool(0));
	model_set(&m, v, "none", model_null());
	model_set(&m, v, "raw", model_strn(&m, "<b>xyz", 3));
	model_set(&m, v, "esc", model_str(&m, "a&b"));
	model_set(&m, v, "blocks", model_list_val(blocks));
	model_set(&m, v, "site", site);

	char want[4096];
	snprintf(want, sizeof want, "%s", S_render(tpl, &mujson_data, j));
	is_str(want, "松江新闻|<甲><乙>|42|YN||<b>|a&amp;b|[一:3][二:4]|报库",
	       "the jansson tree renders as expected");
	is_str(S_render(tpl, &model_data, model_map_val(v)), want,
	       "the model renders exactly as the jansson tree of the same content");

	/* over: its keys win, present nulls included, and the rest falls
	   through to the map's own */
	json_t *rec = json_pack("{s:s,s:n}", "title", "记录标题", "n");
	struct model_map *o = model_map(&m, 4, rec);
	model_set(&m, o, "title", model_str(&m, "模型标题"));
	model_set(&m, o, "n", model_int(&m, 7));
	model_set(&m, o, "own", model_str(&m, "自有"));
	model_set(&m, o, "own", model_str(&m, "second"));
	is_str(S_render("{{title}}|{{n}}|{{own}}|{{site.name}}", &model_data, model_map_val(o)),
	       "记录标题||自有|", "a map's over wins; a key set twice keeps its first value");

	/* a view of some keys of a jansson object */
	const char *const keys[] = {"title", "tags", "missing"};
	mval pick = model_pick(&m, j, keys, 3);
	is_str(S_render("{{title}}|{{#tags}}{{.}}{{/tags}}|{{n}}|{{missing}}", &model_data, pick),
	       "松江新闻|甲乙||", "model_pick shows the keys named and no others");

	/* a big model spans chunks */
	struct model_list *many = model_list(&m, 1);
	for (int i = 0; i < 5000; i++)
		model_push(&m, many, model_int(&m, i));
	struct model_map *top = model_map(&m, 1, NULL);
	model_set(&m, top, "many", model_list_val(many));
	struct buf b = BUF_INIT;
	struct mu_env *env = mu_env_new(NULL, NULL, 0);
	struct mu_template *t = mu_compile(env, "t", "{{#many}}{{.}},{{/many}}", 24);
	int rc = mu_render(env, t, &model_data, model_map_val(top), &b);
	ok(rc == 0 && b.len == 23890 && !strncmp(b.data, "0,1,2,", 6) &&
	       !strcmp(b.data + b.len - 5, "4999,"),
	   "5,000 items across the arena's chunks render in order (%zu bytes)", b.len);
	buf_release(&b);
	mu_template_free(t);
	mu_env_free(env);

	/* what a model renders later: held values outlive their owner's
	   reference, copies their source */
	json_t *kept = json_string("暂存"), *mine = json_string("自己的");
	char src[8] = "copy";
	struct model_map *h = model_map(&m, 3, NULL);
	model_set(&m, h, "held", model_hold(&m, json_incref(kept)));
	model_set(&m, h, "mine", model_hold(&m, json_incref(mine)));
	model_set(&m, h, "copy", model_strcopy(&m, src, 4));
	json_decref(kept);
	memcpy(src, "xxxx", 4);
	is_str(S_render("{{held}}|{{mine}}|{{copy}}", &model_data, model_map_val(h)),
	       "暂存|自己的|copy", "held values and copies outlive what they came from");

	ok(model_bytes(&m) > 5000 * sizeof(void *), "5,000 items take %zu bytes of its arena",
	   model_bytes(&m));
	model_free(&m);
	ok(m.arena.chunk == NULL && m.nheld == 0 && model_bytes(&m) == 0,
	   "model_free frees every chunk");
	ok(mine->refcount == 1, "and drops the references it held (%zu left)",
	   (size_t)mine->refcount);
	json_decref(mine);
	strlist_free(&tags);
	json_decref(rec);
	json_decref(j);
	json_decref(site);
	return tap_done();
}

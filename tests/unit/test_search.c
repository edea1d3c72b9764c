/* Unit tests for the search tokenizer and index writer. */
#include <stdlib.h>

#include "buf.h"
#include "gazetteer.h"
#include "output.h"
#include "search.h"
#include "tap.h"

static struct gazetteer *S_gz;

/* the tokens of text, space-separated */
static const char *
S_tok(const char *text)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	search_tokens(S_gz, text, &b);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n')
			b.data[i] = ' ';
	if (b.len)
		buf_truncate(&b, b.len - 1);
	return b.data;
}

int
main(void)
{
	S_gz = gz_load("data");
	if (!ok(S_gz != NULL, "the gazetteer (with its folding table) loads"))
		return tap_done();
	is_str(S_tok("九亭镇"), "九 亭 九亭 镇 亭镇", "characters and neighbouring pairs");
	is_str(S_tok("楊浦區"), "杨 浦 杨浦 区 浦区", "traditional folds to simplified");
	is_str(S_tok("G60 科创走廊 2024年"), "g60 科 创 科创 走 创走 廊 走廊 2024 年",
	       "Latin words and numbers whole, lower case; other characters break runs");
	is_str(S_tok("ＡＢＣ１２３，松江"), "abc123 松 江 松江", "full width folds to ASCII");
	is_str(S_tok("“，。——"), "", "punctuation gives no tokens");

	/* the index files */
	char dir[] = "/tmp/baoku-search-XXXXXX";
	if (!mkdtemp(dir))
		return tap_done();
	char out_dir[64];
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	struct output *out = out_open(out_dir);
	json_t *r =
	    json_pack("{s:s,s:s,s:s,s:n,s:[s],s:[],s:[{s:s}],s:{s:s,s:s}}", "title", "九亭镇新闻",
	              "href", "articles/0000000000000001.html", "date", "2024-02-23", "kicker",
	              "reporters", "陈涛", "photographers", "blocks", "text", "正文在松江。",
	              "district", "group", "松江", "slug", "songjiang");
	struct search_stats st;
	ok(search_build(S_gz, &r, 1, out, &st) == 0, "the index is written");
	ok(st.docs == 1 && st.shards == 1 && st.tokens > 10 && st.bytes > 0,
	   "with its figures (%zu tokens, %zu bytes)", st.tokens, st.bytes);
	out_commit(out);
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/search/shard-0.js", out_dir);
	FILE *f = fopen(path.data, "r");
	char line[65536];
	size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	line[n] = '\0';
	if (f)
		fclose(f);
	ok(!strncmp(line, "baokuSearch.shard(0,{", 21), "a shard registers itself when loaded");
	ok(strstr(line, "\"九亭\":[0,1,0]") != NULL, "a title token counts as a title hit");
	ok(strstr(line, "\"松江\":[0,0,1]") != NULL, "a body token has the body's weight");
	ok(strstr(line, "\"陈涛\":[0,0,4]") != NULL, "a byline token has the byline's weight");
	buf_release(&path);
	buf_release(&text);
	json_decref(r);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	gz_free(S_gz);
	return tap_done();
}

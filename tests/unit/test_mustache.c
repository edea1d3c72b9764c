/*
 * Unit tests for the Mustache engine beyond the spec: positioned errors,
 * strict mode, escaping, caching, failure leaving output untouched.
 */
#include <jansson.h>
#include <stdlib.h>

#include "buf.h"
#include "capture.h"
#include "diag.h"
#include "mujson.h"
#include "mustache.h"
#include "tap.h"

static int S_loads;

/* Partials for the tests, by name. */
static int
S_load(void *ctx, const char *name, struct buf *text, char **path)
{
	(void)ctx;
	static const char *const parts[][2] = {
	    {"item", "<li>{{name}}</li>"},
	    {"self", "x{{>self}}"},
	    {"layout", "<title>{{$title}}untitled{{/title}}</title>\n{{$body}}{{/body}}"},
	    {"broken", "ok\n{{#open}}"},
	};
	S_loads++;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (!strcmp(name, parts[i][0])) {
			buf_adds(text, parts[i][1]);
			*path = malloc(strlen(name) + 10);
			sprintf(*path, "%s.mustache", name);
			return 1;
		}
	return 0;
}

/* Renders tmpl with JSON data; returns the output, or "!" and the
   diagnostics when it fails. */
static const char *
S_render(unsigned flags, const char *tmpl, const char *json)
{
	static struct buf out = BUF_INIT;
	buf_reset(&out);
	buf_reset(&capture_msgs);
	json_t *data = json_loads(json, JSON_DECODE_ANY, NULL);
	struct mu_env *env = mu_env_new(S_load, NULL, flags);
	struct mu_template *t = mu_compile(env, "t.mustache", tmpl, strlen(tmpl));
	buf_adds(&out, "before|");
	int rc = t ? mu_render(env, t, &mujson_data, data, &out) : -1;
	if (rc < 0) {
		int untouched = !strcmp(out.data, "before|");
		buf_reset(&out);
		buf_printf(&out, "!%s%s", untouched ? "" : "(output damaged) ", capture_msgs.data);
	}
	mu_template_free(t);
	mu_env_free(env);
	json_decref(data);
	return rc < 0 ? out.data : out.data + 7;
}

int
main(void)
{
	diag_set_sink(capture_sink, NULL);

	/* errors, each with its position */
	is_str(S_render(0, "a\n  {{#list}}x", "{}"),
	       "!t.mustache:2:3: error: unclosed section '{{#list}}': add '{{/list}}' after its "
	       "content",
	       "unclosed section");
	is_str(S_render(0, "{{#a}}\n{{^b}}{{/a}}", "{}"),
	       "!t.mustache:2:7: error: closing tag '{{/a}}' does not match '{{^b}}' opened at "
	       "line 2, "
	       "column 1",
	       "mismatched closing tag");
	is_str(
	    S_render(0, "x {{/a}}", "{}"),
	    "!t.mustache:1:3: error: closing tag '{{/a}}' closes no section; remove it or add the "
	    "opening tag",
	    "closing tag without opening");
	is_str(
	    S_render(0, "松江\n{{=<%>=}}", "{}"),
	    "!t.mustache:2:1: error: malformed delimiter change '{{=<%>=}}': write two delimiters "
	    "separated by a space, as in {{=<% %>=}}",
	    "malformed delimiter change");
	is_str(S_render(0, "ab {{name", "{}"),
	       "!t.mustache:1:4: error: unclosed tag '{{name': no '}}' follows; close the tag or "
	       "escape "
	       "the delimiter",
	       "unclosed tag");
	is_str(
	    S_render(0, "{{a b}}", "{}"),
	    "!t.mustache:1:1: error: malformed tag '{{a b}}': a tag holds one name without spaces",
	    "a name with a space");
	is_str(
	    S_render(0, "x\n {{>nope}}", "{}"),
	    "!t.mustache:2:2: error: '{{>nope}}': no template named 'nope'; add nope.mustache to "
	    "the templates",
	    "missing partial");
	is_str(
	    S_render(0, "{{<base}}{{/base}}", "{}"),
	    "!t.mustache:1:1: error: '{{<base}}': no template named 'base'; add base.mustache to "
	    "the templates",
	    "missing parent");
	is_str(S_render(MU_MISSING_PARTIAL_EMPTY, "[{{>nope}}]", "{}"), "[]",
	       "a missing partial is empty when the env says so");
	is_str(S_render(0, "{{>self}}", "{}"),
	       "!self.mustache:1:2: error: '{{>self}}' nests more than 100 deep; is it including "
	       "itself?",
	       "recursion stops at the depth limit");
	is_str(S_render(0, "{{<layout}}{{$body}}[{{$body}}x{{/body}}]{{/body}}{{/layout}}", "{}"),
	       "!t.mustache:1:22: error: '{{$body}}' nests more than 100 deep; is it including "
	       "itself?",
	       "a block that fills itself stops at the depth limit");
	is_str(
	    S_render(0, "{{>broken}}", "{}"),
	    "!broken.mustache:2:1: error: unclosed section '{{#open}}': add '{{/open}}' after its "
	    "content\nt.mustache:1:1: error: '{{>broken}}' names a template that does not compile",
	    "an error inside a partial names the partial's file");

	/* strict mode */
	is_str(S_render(0, "[{{missing}}]", "{}"), "[]", "a missing name is empty by default");
	is_str(S_render(MU_STRICT, "a\n[{{missing.x}}]", "{}"),
	       "!t.mustache:2:2: error: 'missing.x' resolves to nothing",
	       "strict reports it, positioned");
	is_str(S_render(MU_STRICT, "{{#a}}{{b}}{{/a}}", "{\"a\":{\"b\":null}}"), "",
	       "strict accepts a name that is present but null");

	/* escaping */
	is_str(S_render(0, "{{s}}|{{{s}}}|{{&s}}", "{\"s\":\"<a href='x'>&\\\"</a>\"}"),
	       "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;|<a href='x'>&\"</a>|<a "
	       "href='x'>&\"</a>",
	       "{{}} escapes & < > \" ', {{{}}} and {{&}} do not");

	/* every byte at every place of a word, among Chinese text */
	{
		static const char *const esc[256] = {['&'] = "&amp;",
		                                     ['<'] = "&lt;",
		                                     ['>'] = "&gt;",
		                                     ['"'] = "&quot;",
		                                     ['\''] = "&#39;"};
		size_t wrong = 0;
		for (int c = 1; c < 256; c++)
			for (size_t at = 0; at < 19; at++) {
				char text[20];
				memcpy(text, "松江区九亭镇", 18); /* 18 bytes */
				text[18] = 'x';
				text[at] = (char)c;
				struct buf got = BUF_INIT, want = BUF_INIT;
				mu_escape_html(&got, text, 19);
				for (size_t i = 0; i < 19; i++) {
					unsigned char b = (unsigned char)text[i];
					if (esc[b])
						buf_adds(&want, esc[b]);
					else
						buf_addc(&want, b);
				}
				wrong +=
				    got.len != want.len || memcmp(got.data, want.data, got.len);
				buf_release(&got);
				buf_release(&want);
			}
		ok(wrong == 0,
		   "mu_escape_html escapes each byte 1-255 at each of 19 places (%zu wrong)",
		   wrong);
	}

	/* inheritance through a loaded layout */
	is_str(
	    S_render(0,
	             "{{<layout}}{{$title}}杨浦{{/title}}{{$body}}<p>{{x}}</p>{{/body}}{{/layout}}",
	             "{\"x\":\"1 < 2\"}"),
	    "<title>杨浦</title>\n<p>1 &lt; 2</p>", "a page extends a layout");

	/* compile once, render many; partials loaded once */
	json_t *d1 = json_pack("{s:[{s:s},{s:s}]}", "xs", "name", "a", "name", "b");
	json_t *d2 = json_pack("{s:[{s:s}]}", "xs", "name", "c");
	struct mu_env *env = mu_env_new(S_load, NULL, 0);
	const char *src = "<ul>{{#xs}}{{>item}}{{/xs}}</ul>";
	struct mu_template *t = mu_compile(env, "t", src, strlen(src));
	struct buf o1 = BUF_INIT, o2 = BUF_INIT;
	S_loads = 0;
	mu_render(env, t, &mujson_data, d1, &o1);
	mu_render(env, t, &mujson_data, d2, &o2);
	mu_render(env, t, &mujson_data, d2, &o2);
	is_str(o1.data, "<ul><li>a</li><li>b</li></ul>", "first render");
	is_str(o2.data, "<ul><li>c</li></ul><ul><li>c</li></ul>", "second and third render");
	ok(S_loads == 1, "the partial was loaded once for three renders (%d)", S_loads);
	mu_template_free(t);
	mu_env_free(env);
	json_decref(d1);
	json_decref(d2);
	buf_release(&o1);
	buf_release(&o2);

	/* packed values read back equal; cut short or trailed, they fail */
	json_t *v = json_loads("{\"title\":\"松江\\u0000区\",\"n\":-7,\"x\":2.5,\"t\":true,"
	                       "\"f\":false,\"z\":null,\"list\":[1,[],{},\"\"],"
	                       "\"\":{\"k\":\"v\"}}",
	                       JSON_ALLOW_NUL, NULL);
	struct buf packed = BUF_INIT;
	mujson_pack(v, &packed);
	json_t *back = mujson_unpack(packed.data, packed.len);
	ok(v && back && json_equal(v, back), "a packed value unpacks to an equal value");
	ok(back && json_string_length(json_object_get(back, "title")) == 10,
	   "strings keep their NUL bytes");
	json_decref(back);
	size_t bad = 0;
	for (size_t cut = 0; cut < packed.len; cut++) {
		json_t *part = mujson_unpack(packed.data, cut);
		bad += part != NULL;
		json_decref(part);
	}
	ok(bad == 0, "no prefix of it unpacks (%zu did)", bad);
	buf_addc(&packed, 'n');
	ok(!mujson_unpack(packed.data, packed.len), "nor does it with bytes after it");
	json_decref(v);
	buf_release(&packed);

	/* strings written directly are what json_dumps writes: every byte
	   from 1 to 127 alone and around text, and non-ASCII as it is */
	size_t same = 0, tried = 0;
	struct buf mine = BUF_INIT;
	for (int c = 1; c < 128; c++) {
		char s[16];
		snprintf(s, sizeof s, "%c", c);
		const char *forms[] = {s, NULL};
		char wrapped[32];
		snprintf(wrapped, sizeof wrapped, "松江%c区%c", c, c);
		forms[1] = wrapped;
		for (size_t f = 0; f < 2; f++, tried++) {
			json_t *str = json_string(forms[f]);
			char *want = json_dumps(str, JSON_ENCODE_ANY);
			buf_reset(&mine);
			mujson_put_string(&mine, forms[f], strlen(forms[f]), 0);
			same += want && strcmp(mine.data, want) == 0;
			if (want && strcmp(mine.data, want))
				printf("#   byte %d: got %s, json_dumps %s\n", c, mine.data, want);
			free(want);
			json_decref(str);
		}
	}
	ok(same == tried, "JSON strings as json_dumps writes them (%zu of %zu)", same, tried);
	buf_reset(&mine);
	mujson_put_string(&mine, "a</script><//b/", 15, 1);
	is_str(mine.data, "\"a\\u003C/script\\u003E\\u003C//b/\"",
	       "in a script, < and > are written \\u003C and \\u003E");
	buf_reset(&mine);
	mujson_put_string(&mine, "标题<!--<script>&", strlen("标题<!--<script>&"), 1);
	ok(!strchr(mine.data, '<') && !strchr(mine.data, '>') && !strchr(mine.data, '&'),
	   "so <!--<script> cannot keep an inline script open: %s", mine.data);
	buf_reset(&mine);
	mujson_put_string(&mine, "a</b", 4, 0);
	is_str(mine.data, "\"a</b\"", "elsewhere it stays");
	buf_release(&mine);

	diag_set_sink(NULL, NULL);
	buf_release(&capture_msgs);
	return tap_done();
}

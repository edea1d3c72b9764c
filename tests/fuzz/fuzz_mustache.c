/*
 * libFuzzer target for the Mustache engine: template text and data.
 * The input is a template, optionally followed by a NUL byte and JSON
 * data. Partials: "self" is the template itself (recursion), any other
 * name is a small fixed template, so partial, parent and block paths run.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mujson.h"
#include "mustache.h"
#include "quiet.h"

static const char *S_self;
static size_t S_self_len;

static int
S_load(void *ctx, const char *name, struct buf *text, char **path)
{
	(void)ctx;
	(void)path;
	if (!strcmp(name, "self"))
		buf_add(text, S_self, S_self_len);
	else if (!strcmp(name, "missing"))
		return 0;
	else
		buf_adds(text,
		         "<{{$a}}A{{/a}}|{{#x}}{{.}}{{/x}}|{{>self}}>\n  {{$b}}\n  B\n  {{/b}}\n");
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	const char *s = (const char *)bytes;
	const char *nul = memchr(s, '\0', size);
	size_t tlen = nul ? (size_t)(nul - s) : size;
	json_t *data = NULL;
	if (nul)
		data = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
	if (!data)
		data = json_pack("{s:s,s:[i,s,{s:b}],s:{s:s}}", "x", "<&>", "list", 1, "two", "t",
		                 1, "map", "k", "v");
	S_self = s;
	S_self_len = tlen;
	for (unsigned flags = 0; flags < 8; flags++) {
		struct mu_env *env = mu_env_new(S_load, NULL, flags);
		struct mu_template *t = mu_compile(env, "fuzz", s, tlen);
		if (t) {
			struct buf out = BUF_INIT;
			buf_adds(&out, "x");
			if (mu_render(env, t, &mujson_data, data, &out) < 0 &&
			    !buf_equals(&out, "x", 1))
				__builtin_trap(); /* a failed render must leave out untouched */
			buf_release(&out);
		}
		mu_template_free(t);
		mu_env_free(env);
	}
	json_decref(data);
	return 0;
}

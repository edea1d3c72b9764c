/*
 * Runs the official Mustache specification against the engine and speaks
 * TAP. Usage: mustache_spec DIR, where DIR holds the spec's JSON files.
 * Prints a pass count per module on stderr.
 *
 * The spec's lambdas are code in other languages; each one is implemented
 * here as a C function, chosen by the name of the test being run.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mujson.h"
#include "mustache.h"
#include "partials.h"

static const char *S_modules[] = {
    "comments", "delimiters",   "interpolation",  "inverted", "partials",
    "sections", "~inheritance", "~dynamic-names", "~lambdas",
};

static const char *S_test; /* name of the running test, for its lambda */
static int S_calls;        /* for "Interpolation - Multiple Calls" */

static enum mu_type
S_type(void *ud, const void *v)
{
	const json_t *j = v;
	const char *tag = json_string_value(json_object_get(j, "__tag__"));
	if (json_is_object(j) && tag && !strcmp(tag, "code"))
		return MU_LAMBDA;
	return mujson_type(ud, v);
}

/* The spec's lambdas, in C. */
static int
S_call(void *ud, const void *fn, const char *sec, size_t len, struct buf *out)
{
	(void)ud;
	(void)fn;
	struct {
		const char *test, *text;
	} fixed[] = {
	    {"Interpolation", "world"},
	    {"Interpolation - Expansion", "{{planet}}"},
	    {"Interpolation - Alternate Delimiters", "|planet| => {{planet}}"},
	    {"Escaping", ">"},
	    {"Inverted Section", ""},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(S_test, fixed[i].test)) {
			buf_adds(out, fixed[i].text);
			return 0;
		}
	if (!strcmp(S_test, "Interpolation - Multiple Calls")) {
		buf_printf(out, "%d", ++S_calls);
	} else if (!strcmp(S_test, "Section")) {
		buf_adds(out, len == 5 && !memcmp(sec, "{{x}}", 5) ? "yes" : "no");
	} else if (!strcmp(S_test, "Section - Expansion")) {
		buf_add(out, sec, len);
		buf_adds(out, "{{planet}}");
		buf_add(out, sec, len);
	} else if (!strcmp(S_test, "Section - Alternate Delimiters")) {
		buf_add(out, sec, len);
		buf_adds(out, "{{planet}} => |planet|");
		buf_add(out, sec, len);
	} else if (!strcmp(S_test, "Section - Multiple Calls")) {
		buf_adds(out, "__");
		buf_add(out, sec, len);
		buf_adds(out, "__");
	} else {
		fprintf(stderr, "# no C lambda for test '%s'\n", S_test);
		return -1;
	}
	return 0;
}

static void
S_quiet(void *ctx, enum diag_level level, const char *line)
{
	(void)level;
	struct buf *b = ctx;
	buf_printf(b, "#   %s\n", line);
}

int
main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: mustache_spec [SPEC-DIR]\n");
		return 2;
	}
	struct mu_data data = mujson_data;
	data.type = S_type;
	data.call = S_call;

	int n = 0, failed = 0;
	struct buf summary = BUF_INIT;
	for (size_t m = 0; m < sizeof S_modules / sizeof S_modules[0]; m++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.json",
		         argc > 1 ? argv[1] : "tests/mustache-spec", S_modules[m]);
		json_error_t err;
		json_t *spec = json_load_file(path, 0, &err);
		if (!spec) {
			printf("not ok %d - %s: %s:%d: %s\n", ++n, S_modules[m], path, err.line,
			       err.text);
			failed++;
			continue;
		}
		json_t *tests = json_object_get(spec, "tests");
		size_t i, pass = 0;
		json_t *t;
		json_array_foreach (tests, i, t) {
			S_test = json_string_value(json_object_get(t, "name"));
			test_partials = json_object_get(t, "partials");
			S_calls = 0;
			const char *tmpl = json_string_value(json_object_get(t, "template"));
			const char *want = json_string_value(json_object_get(t, "expected"));
			struct buf got = BUF_INIT, msgs = BUF_INIT;
			diag_set_sink(S_quiet, &msgs);
			struct mu_env *env = mu_env_new(test_load, NULL, MU_MISSING_PARTIAL_EMPTY);
			struct mu_template *mt = mu_compile(env, "template", tmpl, strlen(tmpl));
			int rc =
			    mt ? mu_render(env, mt, &data, json_object_get(t, "data"), &got) : -1;
			mu_template_free(mt);
			mu_env_free(env);
			diag_set_sink(NULL, NULL);
			int ok = rc == 0 && !strcmp(got.data, want);
			pass += ok;
			printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", ++n, S_modules[m], S_test);
			if (!ok) {
				char *ts =
				    json_dumps(json_object_get(t, "template"), JSON_ENCODE_ANY);
				char *w =
				    json_dumps(json_object_get(t, "expected"), JSON_ENCODE_ANY);
				json_t *g = json_stringn(got.data, got.len);
				char *gs = json_dumps(g, JSON_ENCODE_ANY);
				printf("#   template: %s\n#   expected: %s\n#   got:      %s\n%s",
				       ts, w, gs, msgs.data);
				free(ts);
				free(w);
				free(gs);
				json_decref(g);
				failed++;
			}
			buf_release(&got);
			buf_release(&msgs);
		}
		buf_printf(&summary, "mustache spec %-15s %zu/%zu passed\n", S_modules[m], pass,
		           json_array_size(tests));
		json_decref(spec);
	}
	printf("1..%d\n", n);
	fputs(summary.data, stderr);
	buf_release(&summary);
	return failed ? 1 : 0;
}

/*
 * libFuzzer target for Markdown (src/markdown.c): whatever the text, the
 * HTML holds no script element, no raw tag of the text's and no link or
 * image to a javascript:, vbscript:, data: or file: URL, and every file
 * it links to stays under content/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "markdown.h"

static void
S_silent(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	(void)line;
}

/* Traps when an href or src attribute of html is an unsafe URL. */
static void
S_check_urls(const char *html)
{
	static const char *const attrs[] = {"href=\"", "src=\""};
	for (size_t a = 0; a < 2; a++)
		for (const char *p = strstr(html, attrs[a]); p; p = strstr(p + 1, attrs[a])) {
			const char *v = p + strlen(attrs[a]);
			size_t n = strcspn(v, "\"");
			char *url = strndup(v, n);
			if (md_unsafe_url(url))
				__builtin_trap();
			free(url);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	diag_set_sink(S_silent, NULL);
	char *text = strndup((const char *)bytes, size);
	struct md_options o = {.path = "fuzz.md",
	                       .first_line = 1,
	                       .folder = "a/b",
	                       .root = "../../",
	                       .take_title = size & 1};
	struct md_doc d;
	md_render(text, strlen(text), &o, &d);
	for (const char *p = d.html; (p = strchr(p, '<')) != NULL; p++)
		if (!strncasecmp(p + 1, "script", 6) || !strncasecmp(p + 1, "iframe", 6) ||
		    !strncasecmp(p + 1, "style", 5) || !strncasecmp(p + 1, "object", 6))
			__builtin_trap();
	S_check_urls(d.html);
	for (size_t i = 0; i < d.nassets; i++)
		if (!strncmp(d.assets[i].rel, "../", 3) || d.assets[i].rel[0] == '/' ||
		    strstr(d.assets[i].rel, "/../"))
			__builtin_trap();
	md_doc_free(&d);
	free(text);
	return 0;
}

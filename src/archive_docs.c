/*
 * archive_docs: the standalone pages Markdown files make (mdsite.h), each
 * at its own path through standalone.mustache.
 */
#include "archive_int.h"

int
archive_standalone(const struct archive *a)
{
	int rc = 0;
	size_t i;
	json_t *page;
	json_array_foreach (a->md_pages, i, page) {
		json_t *model = json_pack("{s:O}", "page", page);
		if (archive_emit(a, "standalone", model,
		                 json_string_value(json_object_get(page, "href"))) < 0)
			rc = -1;
		json_decref(model);
	}
	return rc;
}

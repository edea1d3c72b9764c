/*
 * Page metadata from where archivists put it: the path conventions real
 * exports use, and 版名 by page number in a folder's _meta.yml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
#include "meta.h"
#include "tap.h"

struct path_case {
	const char *rel, *want; /* want: "paper|date|page"; rc -1 marked with ! */
};

static const struct path_case S_paths[] = {
    {"松江报/2024-03-12/01.txt", "松江报|2024-03-12|01"},
    {"松江报/20240312/A01.txt", "松江报|2024-03-12|A01"},
    {"松江报/2024/03/12/01版.txt", "松江报|2024-03-12|01"},
    {"松江报/2024-03-12_A01.txt", "松江报|2024-03-12|A01"},
    {"2024-03-12/第03版.txt", "|2024-03-12|03"},
    {"松江报/2024-03-12/第B07版.txt", "松江报|2024-03-12|B07"},
    {"000_2376f5b4185b5b77.txt", "||"},
    {"松江报/专题/01.txt", "||"},
    {"松江报/2024-02-30/01.txt", "!松江报||01"},
    {"松江报/2024-4-9/01.txt", "!松江报||01"},
    {"松江报/2024/02/30/01.txt", "!松江报||01"},
    {"2024-02-30_A01.txt", "!||A01"},
    {"松江报/2024-4-9.txt", "!松江报||"},
};

int
main(void)
{
	for (size_t i = 0; i < sizeof S_paths / sizeof S_paths[0]; i++) {
		struct meta m = {0};
		int rc = meta_from_path(S_paths[i].rel, &m);
		char got[256];
		snprintf(got, sizeof got, "%s%s|%s|%s", rc < 0 ? "!" : "", m.paper ? m.paper : "",
		         m.date ? m.date : "", m.page ? m.page : "");
		is_str(got, S_paths[i].want, "path %s", S_paths[i].rel);
		meta_free(&m);
	}
	struct meta front = {0};
	front.page = strdup("07");
	meta_from_path("松江报/2024-03-12/01.txt", &front);
	is_str(front.page, "07", "front matter's page wins over the path's");
	meta_free(&front);

	/* sections: 版名 by page number */
	static const char yml[] = "paper: 松江报\nsections: {1: 要闻, 2: 综合新闻, A3: 区县}\n";
	struct meta m = {0};
	ok(meta_parse("_meta.yml", yml, strlen(yml), 1, &m) == 0, "sections: in _meta.yml");
	is_str(meta_section_of(&m, "01"), "要闻", "page 01 is page 1");
	is_str(meta_section_of(&m, "2"), "综合新闻", "page 2");
	is_str(meta_section_of(&m, "a03"), "区县", "A03 is A3");
	ok(meta_section_of(&m, "4") == NULL, "a page it does not name has none");
	struct meta child = {0};
	meta_fill(&child, &m);
	is_str(meta_section_of(&child, "1"), "要闻", "a page in the folder gets them");
	meta_free(&child);
	meta_free(&m);

	static const char bad[] = "sections: [要闻, 综合]\n";
	diag_set_sink(capture_sink, NULL);
	ok(meta_parse("_meta.yml", bad, strlen(bad), 1, &m) < 0 &&
	       strstr(capture_msgs.data,
	              "_meta.yml:1:11: error: 'sections' must be 'page: name' pairs"),
	   "sections that are not pairs: %s", capture_msgs.data);
	diag_set_sink(NULL, NULL);
	meta_free(&m);
	buf_release(&capture_msgs);
	return tap_done();
}

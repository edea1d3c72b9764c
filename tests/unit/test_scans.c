/* Unit tests for finding a page's scan among its folder's names
   (scans.h): no image is read here. */
#include <stdlib.h>
#include <string.h>

#include "scans.h"
#include "tap.h"

static int
S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name scans_pick finds for page among names (sorted here, as
   util_list_dir gives them), or "(none)". */
static const char *
S_pick(const char *page, const char **names, size_t n)
{
	char **sorted = malloc(n * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = (char *)names[i];
	qsort(sorted, n, sizeof *sorted, S_cmp);
	long k = scans_pick(sorted, n, page);
	const char *got = k < 0 ? "(none)" : sorted[k];
	free(sorted);
	return got;
}

#define PICK(page, want, name, ...)                                                                \
	do {                                                                                       \
		const char *names_[] = {__VA_ARGS__};                                              \
		is_str(S_pick(page, names_, sizeof names_ / sizeof *names_), want, name);          \
	} while (0)

int
main(void)
{
	PICK("01.txt", "01.jpg", "a page's JPEG", "01.jpg", "01.txt", "02.txt");
	PICK("01.txt", "01.JPG", "in any case", "01.JPG", "01.txt");
	PICK("01.txt", "01.jpeg", ".jpeg", "01.jpeg", "01.txt");
	PICK("01.txt", "01.pdf", "a PDF", "01.pdf", "01.txt", "02.jpg");
	PICK("01.txt", "01.jpg", "of several, the JPEG first", "01.pdf", "01.png", "01.txt",
	     "01.jpg", "01.webp");
	PICK("01.txt", "01.png", "then PNG", "01.pdf", "01.png", "01.txt", "01.webp");
	PICK("01.txt", "01.webp", "then WebP", "01.pdf", "01.txt", "01.webp");
	PICK("01.txt", "(none)", "another page's scan is not this one's", "01.txt", "02.jpg",
	     "010.jpg", "01a.jpg");
	PICK("01.txt", "(none)", "nor a name that only starts like it", "01.txt", "01.jpg.txt",
	     "01.thumb.jpg", "01.jpg~");
	PICK("01.txt", "(none)", "nor a file of another kind", "01.txt", "01.gif", "01.tiff",
	     "01.md");
	PICK("第01版.txt", "第01版.png", "names in UTF-8", "第01版.png", "第01版.txt",
	     "第02版.jpg");
	PICK("a.b.txt", "a.b.jpg", "a stem with a dot", "a.b.jpg", "a.b.txt", "a.jpg");
	PICK("01.txt", "(none)", "a folder of one page", "01.txt");

	ok(scans_is_scan("01.jpg") && scans_is_scan("x.PDF") && scans_is_scan("a.b.webp"),
	   "scans_is_scan: a scan's extensions, in any case");
	ok(!scans_is_scan(".jpg") && !scans_is_scan("jpg") && !scans_is_scan("01.gif") &&
	       !scans_is_scan("01.txt"),
	   "but not a hidden name, a bare word or another kind");

	char *names[] = {"01.jpg", "01.txt", "02.png", "03.pdf", "03.txt"};
	ok(scans_has_page(names, 5, "01.jpg"), "scans_has_page: 01.jpg has 01.txt");
	ok(scans_has_page(names, 5, "03.pdf"), "03.pdf has 03.txt");
	ok(!scans_has_page(names, 5, "02.png"), "02.png has no page");
	return tap_done();
}

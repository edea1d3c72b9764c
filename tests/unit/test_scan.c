/* Unit tests for finding the pages under content/ (scan.h), on the
   two-paper example project in tests/papers/: each page's folder
   metadata and scan, kept as numbers into the scan's tables. */
#include <string.h>

#include "fingerprint.h"
#include "meta.h"
#include "scan.h"
#include "tap.h"

/* The page of sc named rel, or NULL. */
static const struct scan_page *
S_page(const struct scan *sc, const char *rel)
{
	for (size_t i = 0; i < sc->n; i++)
		if (!strcmp(sc->v[i].rel, rel))
			return &sc->v[i];
	return NULL;
}

/* The paper page rel's folder names, "(none)" when it names none, "?"
   when there is no such page. */
static const char *
S_paper(const struct scan *sc, const char *rel)
{
	const struct scan_page *p = S_page(sc, rel);
	if (!p)
		return "?";
	const char *paper = scan_folder(sc, p)->paper;
	return paper ? paper : "(none)";
}

/* The name of page rel's scan, "(none)" or "?". */
static const char *
S_image(const struct scan *sc, const char *rel)
{
	const struct scan_page *p = S_page(sc, rel);
	if (!p)
		return "?";
	const struct scan_image *image = scan_image(sc, p);
	return image ? image->rel : "(none)";
}

int
main(void)
{
	struct fingerprint fp = FP_INIT;
	struct scan sc;
	memset(&sc, 0, sizeof sc);
	fp_begin(&fp, 0, 0);
	int rc = scan_content("tests/papers/content", 0, &fp, &sc);
	ok(rc == 0 && sc.n == 12, "the example's 12 pages found (%zu)", sc.n);

	is_str(S_paper(&sc, "松江报/2024-04-16/01.txt"), "松江报",
	       "a dated folder has its paper's _meta.yml");
	is_str(S_paper(&sc, "嘉兴日报/2024-03-12/A02.txt"), "嘉兴日报", "another paper, its own");
	is_str(S_paper(&sc, "零散/剪报.txt"), "(none)",
	       "a folder with none has the root's: no paper");
	ok(sc.nfolders == 3,
	   "a folder for the root and one for each _meta.yml, shared by the "
	   "folders under it (%zu)",
	   sc.nfolders);

	is_str(S_image(&sc, "松江报/2024-04-16/01.txt"), "松江报/2024-04-16/01.jpg",
	       "a page's scan, a JPEG");
	is_str(S_image(&sc, "松江报/2024-04-16/02.txt"), "松江报/2024-04-16/02.png", "a PNG");
	is_str(S_image(&sc, "松江报/2024-04-16/03.txt"), "松江报/2024-04-16/03.pdf", "a PDF");
	is_str(S_image(&sc, "松江报/2024-04-09/01.txt"), "(none)", "a page without one");
	ok(sc.nimages == 3, "the scans, only those there are (%zu)", sc.nimages);
	ok(sizeof(struct scan_page) <= 32, "a page found is 32 bytes (%zu)",
	   sizeof(struct scan_page));

	scan_free(&sc);
	fp_free(&fp);
	return tap_done();
}

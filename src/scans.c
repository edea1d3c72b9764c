#include "scans.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "util.h"
#include "xalloc.h"

/* The extensions of a scan, the one taken first when a page has several
   first. */
static const char *const S_exts[] = {"jpg", "jpeg", "png", "webp", "pdf"};
#define NEXTS (sizeof S_exts / sizeof *S_exts)

/* What libvips may read a scan as: these loaders and no other, so that a
   file named .jpg is never parsed as one of the many formats libvips
   knows and a scan has no business being. */
static const char *const S_loaders[] = {"VipsForeignLoadJpeg", "VipsForeignLoadPng",
                                        "VipsForeignLoadWebp", "VipsForeignLoadPdf"};

/* How previews and thumbnails are made, in their keys: a change here (or
   in libvips) makes them again. */
#define RECIPE    "webp Q75 strip 1 vips " VIPS_VERSION
#define WEBP_Q    75
#define MAX_BYTES (512u << 20) /* a scan larger than this is not read */

/* ---------------------------------------------------------------------
 * Finding a page's scan
 * ------------------------------------------------------------------- */

/* The rank of the extension ext among a scan's (in any case), or -1. */
static int
S_rank(const char *ext)
{
	for (size_t i = 0; i < NEXTS; i++)
		if (!strcasecmp(ext, S_exts[i]))
			return (int)i;
	return -1;
}

int
scans_is_scan(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name && S_rank(dot + 1) >= 0;
}

long
scans_pick(char *const *names, size_t n, const char *page)
{
	const char *dot = strrchr(page, '.');
	if (!dot || dot == page)
		return -1;
	struct buf prefix = BUF_INIT;
	buf_add(&prefix, page, (size_t)(dot - page) + 1); /* "01." */
	long best = -1;
	int best_rank = (int)NEXTS;
	for (size_t i = util_name_lower_bound(names, n, prefix.data);
	     i < n && !strncmp(names[i], prefix.data, prefix.len); i++) {
		const char *ext = names[i] + prefix.len;
		int rank = strchr(ext, '.') ? -1 : S_rank(ext);
		if (rank >= 0 && rank < best_rank) {
			best = (long)i;
			best_rank = rank;
		}
	}
	buf_release(&prefix);
	return best;
}

int
scans_has_page(char *const *names, size_t n, const char *scan)
{
	const char *dot = strrchr(scan, '.');
	if (!dot || dot == scan)
		return 0;
	struct buf page = BUF_INIT;
	buf_add(&page, scan, (size_t)(dot - scan));
	buf_adds(&page, ".txt");
	size_t i = util_name_lower_bound(names, n, page.data);
	int found = i < n && !strcmp(names[i], page.data);
	buf_release(&page);
	return found;
}

/* ---------------------------------------------------------------------
 * libvips
 *
 * Loaded the first time a scan needs it, not linked: libvips brings a
 * hundred libraries (poppler's, curl, gnutls, OpenEXR, HDF5, ...) whose
 * loading and start-up would cost every run of the program about a tenth
 * of a second of CPU, scans or none. The functions are those of the
 * headers compiled against, taken by name.
 * ------------------------------------------------------------------- */

#define VIPS_LIBRARY "libvips.so.42" /* the soname of every libvips 8 */

static struct {
	__typeof__(vips_init) *init;
	__typeof__(vips_shutdown) *shutdown;
	__typeof__(vips_version) *version;
	__typeof__(vips_concurrency_set) *concurrency_set;
	__typeof__(vips_cache_set_max) *cache_set_max;
	__typeof__(vips_operation_block_set) *operation_block_set;
	__typeof__(vips_thumbnail_buffer) *thumbnail_buffer;
	__typeof__(vips_webpsave_buffer) *webpsave_buffer;
	__typeof__(vips_error_buffer_copy) *error_buffer_copy;
	__typeof__(g_free) *free;
	__typeof__(g_object_unref) *unref;
	__typeof__(g_log_set_handler) *log_set_handler;
	void (*vector_set_enabled)(gboolean); /* vips_vector_set_enabled; NULL: none */
} V;

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_ready;
static char S_not_ready[256]; /* why libvips could not start */

/* libvips's own warnings (a truncated file, a bad marker) go nowhere: a
   scan it cannot read is reported once, by the build, in its words. */
static void
S_quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain, (void)level, (void)message, (void)data;
}

/* Sets the function pointer at fn (size bytes) to the symbol name of
   lib: 0, or -1 when lib has none. */
static int
S_symbol(void *lib, const char *name, void *fn, size_t size)
{
	void *sym = dlsym(lib, name);
	if (sym)
		memcpy(fn, &sym, size); /* ISO C converts no object pointer to a function's */
	return sym ? 0 : -1;
}

/* Loads libvips and takes its functions: 0, or -1 with why in
   S_not_ready. */
static int
S_load(void)
{
#define TAKE(field, name)                                                                          	if (S_symbol(lib, name, &V.field, sizeof V.field) < 0) {                                   		snprintf(S_not_ready, sizeof S_not_ready, "%s has no %s", VIPS_LIBRARY, name);     		return -1;                                                                         	}
	void *lib = dlopen(VIPS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(S_not_ready, sizeof S_not_ready, "%s", dlerror());
		return -1;
	}
	TAKE(init, "vips_init");
	TAKE(shutdown, "vips_shutdown");
	TAKE(version, "vips_version");
	TAKE(concurrency_set, "vips_concurrency_set");
	TAKE(cache_set_max, "vips_cache_set_max");
	TAKE(operation_block_set, "vips_operation_block_set");
	TAKE(thumbnail_buffer, "vips_thumbnail_buffer");
	TAKE(webpsave_buffer, "vips_webpsave_buffer");
	TAKE(error_buffer_copy, "vips_error_buffer_copy");
	TAKE(free, "g_free");
	TAKE(unref, "g_object_unref");
	TAKE(log_set_handler, "g_log_set_handler");
#undef TAKE
	S_symbol(lib, "vips_vector_set_enabled", &V.vector_set_enabled,
	         sizeof V.vector_set_enabled);
	return 0;
}

/* Starts libvips, once, the first time a scan needs it: one thread an
   image (the build's workers make several at once), no cache of
   operations (each scan is made once), only the loaders of scans, and
   no SIMD code made at run time by liborc, which crashed freeing it
   (orc_code_free) while two workers made thumbnails at once; libvips's
   own C code makes the same images. */
static void
S_start(void)
{
	if (S_load() < 0)
		return;
	if (V.version(0) != VIPS_MAJOR_VERSION || V.init("baoku")) {
		snprintf(S_not_ready, sizeof S_not_ready, "libvips %d could not start",
		         V.version(0));
		return;
	}
	if (V.vector_set_enabled)
		V.vector_set_enabled(FALSE);
	V.concurrency_set(1);
	V.cache_set_max(0);
	V.operation_block_set("VipsForeignLoad", TRUE);
	for (size_t i = 0; i < sizeof S_loaders / sizeof *S_loaders; i++)
		V.operation_block_set(S_loaders[i], FALSE);
	V.log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
	                  S_quiet, NULL);
	S_ready = 1;
}

/* What libvips last said went wrong, its first line, into why. */
static void
S_vips_error(struct buf *why)
{
	char *msg = V.error_buffer_copy();
	size_t n = msg ? strcspn(msg, "\n") : 0;
	while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == ':'))
		n--;
	if (n)
		buf_add(why, msg, n);
	else
		buf_adds(why, "libvips gave no reason");
	V.free(msg);
}

void
scans_end(void)
{
	if (S_ready)
		V.shutdown();
	S_ready = 0;
	snprintf(S_not_ready, sizeof S_not_ready, "libvips was stopped");
}

/*
 * The len bytes of a scan at data made into a WebP width pixels wide,
 * whatever its height (or the image's own width, when narrower; a PDF,
 * which has none, is rendered at that width), into webp: 0, or -1 with
 * why libvips could not in why.
 */
static int
S_shrink(const void *data, size_t len, int width, int pdf, struct buf *webp, struct buf *why)
{
	pthread_once(&S_once, S_start);
	if (!S_ready) {
		buf_printf(why, "libvips is missing or broken: %s", S_not_ready);
		return -1;
	}
	VipsImage *img = NULL;
	void *out = NULL;
	size_t n = 0;
	int rc = -1;
	/* from a buffer, what the loader fails on is one of its options */
	if (V.thumbnail_buffer((void *)data, len, &img, width, "height", VIPS_MAX_COORD, "size",
	                       pdf ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, "option_string",
	                       "fail_on=error", NULL) == 0 &&
	    V.webpsave_buffer(img, &out, &n, "Q", WEBP_Q, "strip", TRUE, NULL) == 0) {
		buf_add(webp, out, n);
		rc = 0;
	} else {
		S_vips_error(why);
	}
	V.free(out);
	if (img)
		V.unref(img);
	return rc;
}

/* ---------------------------------------------------------------------
 * Publishing
 * ------------------------------------------------------------------- */

/* Reads the scan at path into data: 0, or -1 with why in why. */
static int
S_read(const char *path, struct buf *data, struct buf *why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc = -1;
	if (fd < 0 || fstat(fd, &st) < 0) {
		buf_adds(why, strerror(errno));
	} else if ((unsigned long long)st.st_size > MAX_BYTES) {
		buf_printf(why, "larger than %u MiB", MAX_BYTES >> 20);
	} else {
		char chunk[65536];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
			if (n > 0)
				buf_add(data, chunk, (size_t)n);
		if (n < 0)
			buf_adds(why, strerror(errno));
		else
			rc = 0;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* One file of a scan's in the output: its path and key, and whether the
   last build's is kept. */
struct scan_out {
	struct buf rel;
	uint64_t key;
	int kept;
};

/* Prepares the output o at rel, keyed by stamp and what makes it; keeps
   the last build's when made from the same: 0, or -1 after reporting. */
static int
S_prepare(struct output *out, struct scan_out *o, uint64_t stamp, const char *what)
{
	o->key = out_key(out_key(0, &stamp, sizeof stamp), what, strlen(what));
	if (!o->key)
		o->key = 1;
	o->kept = out_reuse_unsalted(out, o->rel.data, o->key);
	return o->kept < 0 ? -1 : 0;
}

/* Makes the preview or thumbnail o of the scan's bytes, width wide,
   unless kept: 1 when it is there, 0 when libvips could not (with why),
   -1 after reporting a write that failed. */
static int
S_make(struct output *out, struct scan_out *o, const struct buf *data, int width, int pdf,
       struct buf *why)
{
	if (o->kept)
		return 1;
	struct buf webp = BUF_INIT;
	int rc = 0;
	if (!why->len && S_shrink(data->data, data->len, width, pdf, &webp, why) == 0)
		rc = out_write_unsalted(out, o->rel.data, o->key, webp.data, webp.len) < 0 ? -1 : 1;
	buf_release(&webp);
	return rc;
}

int
scans_publish(struct output *out, const char *slug, const struct scans_file *s, json_t **entry)
{
	const char *ext = strrchr(s->rel, '.') + 1;
	int pdf = S_rank(ext) == (int)NEXTS - 1;
	struct scan_out file = {BUF_INIT, 0, 0}, preview = {BUF_INIT, 0, 0},
	                thumb = {BUF_INIT, 0, 0};
	struct buf lower = BUF_INIT, data = BUF_INIT, why = BUF_INIT, what = BUF_INIT;
	for (const char *c = ext; *c; c++)
		buf_addc(&lower, (*c >= 'A' && *c <= 'Z') ? *c - 'A' + 'a' : *c);
	buf_printf(&file.rel, "scans/%s.%s", slug, lower.data);
	buf_printf(&preview.rel, "scans/%s.%d.webp", slug, SCANS_PREVIEW_WIDTH);
	buf_printf(&thumb.rel, "scans/%s.%d.webp", slug, SCANS_THUMB_WIDTH);
	*entry = NULL;
	int rc = -1, made_preview = 0, made_thumb = 0;
	buf_printf(&what, "%s %d", RECIPE, SCANS_PREVIEW_WIDTH);
	if (S_prepare(out, &file, s->stamp, "scan") < 0 ||
	    S_prepare(out, &preview, s->stamp, what.data) < 0)
		goto out;
	buf_reset(&what);
	buf_printf(&what, "%s %d", RECIPE, SCANS_THUMB_WIDTH);
	if (S_prepare(out, &thumb, s->stamp, what.data) < 0)
		goto out;
	if (!(file.kept && preview.kept && thumb.kept)) {
		if (S_read(s->path, &data, &why) < 0) {
			diag_warning(
			    s->path, 0, 0,
			    "cannot read this scan (%s); the page is published without it; "
			    "make the file readable",
			    why.data);
			rc = 0;
			goto out;
		}
		if (!file.kept &&
		    out_write_unsalted(out, file.rel.data, file.key, data.data, data.len) < 0)
			goto out;
	}
	if ((made_preview = S_make(out, &preview, &data, SCANS_PREVIEW_WIDTH, pdf, &why)) < 0 ||
	    (made_thumb = S_make(out, &thumb, &data, SCANS_THUMB_WIDTH, pdf, &why)) < 0)
		goto out;
	if (why.len)
		diag_warning(s->path, 0, 0,
		             "cannot make a preview of this scan (%s); it is published without "
		             "one; replace it with a whole JPEG, PNG, WebP or PDF file",
		             why.data);
	*entry = json_pack("{s:s,s:o,s:o,s:b,s:s}", "file", file.rel.data, "preview",
	                   made_preview ? json_string(preview.rel.data) : json_null(), "thumb",
	                   made_thumb ? json_string(thumb.rel.data) : json_null(), "pdf", pdf,
	                   "source", s->rel);
	rc = 0;
out:
	buf_release(&file.rel);
	buf_release(&preview.rel);
	buf_release(&thumb.rel);
	buf_release(&lower);
	buf_release(&data);
	buf_release(&why);
	buf_release(&what);
	return rc;
}

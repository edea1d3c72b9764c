#include "page.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "xalloc.h"

int
page_read(const char *path, const char *rel, const struct meta *defaults,
          const struct enc_options *o, struct page_text *p)
{
	memset(p, 0, sizeof *p);
	struct enc_options eo = o ? *o : (struct enc_options){0};
	size_t limit = eo.limit ? eo.limit : ENC_DEFAULT_LIMIT;
	struct buf raw = BUF_INIT, text = BUF_INIT;
	int rc = -1;

	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > limit) {
		diag_error(path, 0, 0,
		           "file is %lld bytes, over the limit of %zu; split the page or raise "
		           "the limit with --max-size",
		           (long long)st.st_size, limit);
		goto out;
	}
	if (util_read_file(path, &raw, 1) <= 0)
		goto out;
	if (raw.len > limit) {
		diag_error(path, 0, 0, "file grew over the limit of %zu bytes while read", limit);
		goto out;
	}
	/* the page's own `encoding:` first, then its folder's */
	char sniffed[64];
	const char *forced = meta_sniff_encoding(raw.data, raw.len, sniffed, sizeof sniffed);
	if (!forced && defaults)
		forced = defaults->encoding;
	if (forced)
		eo.force = forced;
	if (enc_decode(path, raw.data, raw.len, &eo, &text, &p->encoding) < 0)
		goto out;

	size_t body;
	if (meta_front_matter(path, text.data, &p->meta, &body, &p->body_line) < 0)
		goto out;
	if (defaults)
		meta_fill(&p->meta, defaults);
	if (rel && meta_from_path(rel, &p->meta) < 0)
		diag_warning(path, 0, 0,
		             "its folder or name looks like a date but is not a real one (write "
		             "YYYY-MM-DD); the page is undated");
	p->len = text.len - body;
	p->text = xstrndup(text.data + body, p->len);
	rc = 0;
out:
	if (rc < 0)
		page_text_free(p);
	buf_release(&raw);
	buf_release(&text);
	return rc;
}

void
page_text_free(struct page_text *p)
{
	meta_free(&p->meta);
	free(p->text);
	p->text = NULL;
	p->len = 0;
}

#include "encoding.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

size_t
enc_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

int
enc_to_utf8(const char *path, const char *bytes, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t i = 0, line = 1, col = 1;
	size_t mark = out->len;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	buf_grow(out, len);
	while (i < len) {
		unsigned char c = s[i];
		if (c == '\r') {
			buf_addc(out, '\n');
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			line++;
			col = 1;
			continue;
		}
		if (c == '\n') {
			buf_addc(out, '\n');
			i++;
			line++;
			col = 1;
			continue;
		}
		if ((c < 0x20 && c != '\t' && c != '\f') || c == 0x7F) {
			diag_error(path, line, col,
			           "control character 0x%02X: this looks like a binary file, not a "
			           "page of text",
			           c);
			goto fail;
		}
		size_t n = enc_utf8_len(s + i, len - i);
		if (n == 0) {
			struct buf hex = BUF_INIT;
			for (size_t k = 0; k < 4 && i + k < len; k++)
				buf_printf(&hex, "%s0x%02X", k ? " " : "", s[i + k]);
			diag_error(path, line, col,
			           "invalid UTF-8 byte sequence %s; convert the file to UTF-8",
			           hex.data);
			buf_release(&hex);
			goto fail;
		}
		buf_add(out, s + i, n);
		i += n;
		col++;
	}
	return 0;
fail:
	buf_truncate(out, mark);
	return -1;
}

int
enc_read_page(const char *path, size_t limit, struct buf *out)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > limit) {
		diag_error(path, 0, 0,
		           "file is %lld bytes, over the limit of %zu; split the page "
		           "or raise the limit",
		           (long long)st.st_size, limit);
		return -1;
	}
	struct buf raw = BUF_INIT;
	int rc = -1;
	if (util_read_file(path, &raw, 1) > 0) {
		if (raw.len > limit)
			diag_error(path, 0, 0, "file is over the limit of %zu bytes", limit);
		else
			rc = enc_to_utf8(path, raw.data, raw.len, out);
	}
	buf_release(&raw);
	return rc;
}

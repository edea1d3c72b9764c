#include "slug.h"

#include <string.h>

#include "buf.h"
#include "chars.h"
#include "text.h"

static int
S_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void
slug_name(const struct chars *ch, const char *name, struct buf *out)
{
	size_t len = strlen(name), i = 0, k, start = out->len;
	while (i < len) {
		if (out->len > start)
			buf_addc(out, '-');
		if (S_ascii_alnum((unsigned char)name[i])) {
			for (; i < len && S_ascii_alnum((unsigned char)name[i]); i++)
				buf_addc(out, name[i] | ((name[i] >= 'A' && name[i] <= 'Z') ? 0x20 : 0));
			continue;
		}
		uint32_t cp = txt_decode(name + i, len - i, &k);
		const char *py = ch ? chars_pinyin(ch, cp) : NULL;
		if (py)
			buf_adds(out, py);
		else
			for (size_t b = 0; b < k; b++)
				buf_printf(out, "%02x", (unsigned char)name[i + b]);
		i += k ? k : 1;
	}
}

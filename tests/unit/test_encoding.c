/* Unit tests for the read stage: detection, conversion, positioned errors. */
#include <iconv.h>
#include <stdlib.h>

#include "buf.h"
#include "capture.h"
#include "diag.h"
#include "encoding.h"
#include "tap.h"

static const char *S_enc;

/* Decodes bytes; returns the text, or "!" and the diagnostics. */
static const char *
S_dec(const char *bytes, size_t len, int lenient, const char *force)
{
	static struct buf out = BUF_INIT;
	buf_reset(&out);
	buf_reset(&capture_msgs);
	struct enc_options o = {.lenient = lenient, .force = force};
	S_enc = NULL;
	if (enc_decode("p.txt", bytes, len, &o, &out, &S_enc) < 0) {
		buf_reset(&out);
		buf_printf(&out, "!%s", capture_msgs.data);
	}
	return out.data;
}

#define DEC(lit) S_dec(lit, sizeof(lit) - 1, 0, NULL)

/* text (UTF-8) in encoding enc, with iconv(3); the caller frees it */
static char *
S_encode(const char *text, const char *enc, size_t *len)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	size_t inleft = strlen(text), cap = inleft * 4 + 16, oleft = cap;
	char *out = malloc(cap), *o = out, *in = (char *)text;
	iconv(cd, &in, &inleft, &o, &oleft);
	iconv_close(cd);
	*len = cap - oleft;
	return out;
}

static const char S_text[] =
    "“三大千亿级”产业集群如何打造\n\n■记者 成佳佳\n\n本报讯 为加快构建杨浦创新型产业体系,"
    "着力打造以精密设备为代表的智能制造“三大千亿级”产业集群,杨浦区精密设备产业链研讨会暨"
    "年度工作推进会议,近日在西门子上海中心举办。区商务委传达杨浦区重点产业链链长制工作推进"
    "大会会议精神并通报2024年精密设备产业链工作方案,区投促办介绍杨浦投资发展环境。\n";

static const char S_trad[] =
    "嘉興市南湖區湘家蕩區域(七星街道): 建創新平臺 聚創新要素 優創新生態\n\n汪燕鳴 王佳萱\n\n"
    "嘉興市第二醫院整體遷建項目建設現場,幾座塔吊正揮舞著長長的“手臂”為大樓“添磚加瓦”,"
    "裙樓和行政科教樓雛形初顯;在浙江湖納能源有限責任公司年產20GWh鈉離子電池電芯和模組生產"
    "項目現場,工程車裝載材料來回穿梭,一片忙碌,目前該項目已完成總工程量的45%。\n";

static void
S_round_trip(const char *text, const char *enc, const char *bom, size_t bomlen,
             const char *want_enc)
{
	size_t len;
	char *bytes = S_encode(text, enc, &len);
	struct buf in = BUF_INIT;
	buf_add(&in, bom, bomlen);
	buf_add(&in, bytes, len);
	const char *got = S_dec(in.data, in.len, 0, NULL);
	ok(!strcmp(got, text), "%s%s reads back exactly", enc, bomlen ? " with BOM" : "");
	if (strcmp(got, text))
		printf("#   got: %s\n", got);
	is_str(S_enc, want_enc, "%s%s is detected as %s", enc, bomlen ? " with BOM" : "", want_enc);
	buf_release(&in);
	free(bytes);
}

int
main(void)
{
	diag_set_sink(capture_sink, NULL);

	/* UTF-8 and line ends */
	is_str(DEC("松江\n杨浦"), "松江\n杨浦", "UTF-8 passes through");
	is_str(S_enc, "UTF-8", "and is recorded as UTF-8");
	is_str(DEC("\xEF\xBB\xBF松江"), "松江", "a UTF-8 BOM is dropped");
	is_str(DEC("a\r\nb\rc\n"), "a\nb\nc\n", "CRLF and CR become LF");
	is_str(DEC("a\tb\fc"), "a\tb\fc", "tab and form feed are text");
	is_str(DEC(""), "", "an empty file is empty text");
	is_str(DEC("\xEF\xBB\xBF"), "", "a BOM alone is empty text");
	is_str(DEC("ab\n松江\xE6\x9D"),
	       "!p.txt:2:3: error: invalid UTF-8 byte sequence 0xE6 0x9D cut off by the end of "
	       "the file; fix the file, set 'encoding:' in its front matter if it is not UTF-8, or "
	       "build with --lenient",
	       "UTF-8 cut off at the end: positioned, in characters");
	is_str(DEC("松江杨浦九亭\xC0\xAF杨浦松江九亭"),
	       "!p.txt:1:7: error: invalid UTF-8 byte sequence 0xC0 0xAF; fix the file, set "
	       "'encoding:' in its front matter if it is not UTF-8, or build with --lenient",
	       "overlong UTF-8 is invalid");
	is_str(S_dec("松江\xC0\xAF", 8, 1, "utf8"), "松江\xEF\xBF\xBD", "--lenient gives U+FFFD");
	is_str(capture_msgs.data,
	       "p.txt:1:3: warning: invalid UTF-8 byte sequence 0xC0 0xAF; replaced by "
	       "U+FFFD",
	       "with a warning");
	is_str(S_dec("a\nb\0c", 5, 0, "UTF-8"),
	       "!p.txt:2:2: error: control character 0x00: this looks like a binary file, not a "
	       "page of text",
	       "NUL means a binary file");
	is_str(S_dec("松江杨浦九亭\r\n嘉兴松江杨浦区九亭镇a\x01",
	             sizeof "松江杨浦九亭\r\n嘉兴松江杨浦区九亭镇a\x01" - 1, 0, "UTF-8"),
	       "!p.txt:2:12: error: control character 0x01: this looks like a binary file, not a "
	       "page of text",
	       "after CRLF and long runs of Chinese, still positioned in characters");
	is_str(DEC("松江杨浦九亭嘉兴\r\n杨浦松江九亭嘉兴\r\r\n嘉兴"),
	       "松江杨浦九亭嘉兴\n杨浦松江九亭嘉兴\n\n嘉兴",
	       "CRLF and CR become LF between runs of Chinese");
	/* every encoding, with and without a byte order mark */
	S_round_trip(S_text, "GB18030", "", 0, "GB18030");
	S_round_trip(S_text, "UTF-16LE", "", 0, "UTF-16LE");
	S_round_trip(S_text, "UTF-16BE", "", 0, "UTF-16BE");
	S_round_trip(S_text, "UTF-16LE", "\xFF\xFE", 2, "UTF-16LE");
	S_round_trip(S_text, "UTF-16BE", "\xFE\xFF", 2, "UTF-16BE");
	S_round_trip(S_text, "UTF-32LE", "\xFF\xFE\x00\x00", 4, "UTF-32LE");
	S_round_trip(S_text, "UTF-32BE", "", 0, "UTF-32BE");
	S_round_trip(S_trad, "BIG5-HKSCS", "", 0, "BIG5-HKSCS");
	S_round_trip(S_trad, "GB18030", "", 0, "GB18030");

	/* GB18030's four-byte sequences */
	is_str(DEC("\x81\x30\x84\x36\x94\x39\xFC\x36\xB2\xE2\xCA\xD4\xA3\xAC\xD5\xE2\xCA\xC7"
	           "\xD2\xBB\xB8\xF6\xB2\xE2\xCA\xD4\xA1\xA3"),
	       "¥😀测试，这是一个测试。", "GB18030 four-byte forms decode (U+00A5, U+1F600)");

	/* invalid legacy bytes, positioned */
	size_t len;
	char *gb = S_encode(
	    "松江区九亭镇心家园党群服务中心启用\n承载五大类服务功能,步行十五分钟社区生活圈。",
	    "GB18030", &len);
	struct buf bad = BUF_INIT;
	buf_add(&bad, gb, len);
	bad.data[len - 6] = '\xFF';
	is_str(S_dec(bad.data, bad.len, 0, "gbk"),
	       "!p.txt:2:20: error: invalid GB18030 byte sequence 0xFF 0xEE; fix the file, set "
	       "'encoding:' in its front matter if it is not GB18030, or build with --lenient",
	       "invalid GB18030 names the bytes and line:col");
	const char *len_got = S_dec(bad.data, bad.len, 1, "gb18030");
	ok(strstr(len_got, "\xEF\xBF\xBD") != NULL && strstr(len_got, "社区生"),
	   "--lenient keeps the rest of the GB18030 page");
	buf_release(&bad);
	free(gb);

	is_str(S_dec("\x41\x00\x42", 3, 0, "UTF-16LE"),
	       "!p.txt:1:2: error: invalid UTF-16LE byte sequence 0x42 cut off by the end of the "
	       "file; fix the file, set 'encoding:' in its front matter if it is not UTF-16LE, or "
	       "build with --lenient",
	       "UTF-16 with an odd byte count");
	is_str(S_dec("x", 1, 0, "EBCDIC"),
	       "!p.txt: error: unknown encoding 'EBCDIC'; baoku reads " ENC_KNOWN,
	       "an unknown forced encoding");
	is_str(enc_canonical("GBK"), "GB18030", "GBK is read as GB18030");
	is_str(enc_canonical("big5"), "BIG5-HKSCS", "Big5 is read as Big5-HKSCS");

	/* every canonical name has a number of its own, which gives it back */
	const char *names[] = {"utf8",     "UTF-16LE", "utf-16be", "UTF-32LE",
	                       "utf-32be", "gbk",      "big5"};
	unsigned seen = 0;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *c = enc_canonical(names[i]);
		unsigned n = enc_number(c);
		ok(n >= 1 && n <= 8 && !(seen & 1u << n) && enc_name(n) && !strcmp(enc_name(n), c),
		   "%s: number %u names it again", c, n);
		seen |= 1u << n;
	}
	ok(enc_number("utf-8") == 0 && enc_number(NULL) == 0 && enc_name(0) == NULL &&
	       enc_name(8) == NULL,
	   "numbers only for canonical names, names only for their numbers");

	diag_set_sink(NULL, NULL);
	buf_release(&capture_msgs);
	return tap_done();
}

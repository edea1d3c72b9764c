#!/bin/sh
# The seed pages in every encoding the archive receives read back to
# exactly the same UTF-8 text: GB18030, UTF-16LE and UTF-16BE with and
# without a byte order mark, UTF-32, UTF-8 with a BOM and CRLF line ends;
# and a Big5 rendering (traditional characters, made with opencc) reads
# back to the same traditional text.
. tests/run/lib.sh

text_of() { # the "text" field of `baoku parse --json`, exactly
	"$BAOKU" parse --read --json "$1" | python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)[0]["text"])'
}
enc_of() {
	"$BAOKU" parse --read --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["encoding"])'
}

for f in content/*.txt; do
	b=$(basename "$f" .txt)
	text_of "$f" >"$TMP/want"
	for enc in GB18030 UTF-16LE UTF-16BE UTF-32LE; do
		iconv -f UTF-8 -t "$enc" "$f" >"$TMP/$b.$enc"
		text_of "$TMP/$b.$enc" | cmp -s - "$TMP/want"; ok $? "$b in $enc reads back exactly"
		is "$(enc_of "$TMP/$b.$enc")" "$enc" "$b in $enc is detected as $enc"
	done
	for enc in UTF-16LE UTF-16BE; do
		{ printf '\376\377' | iconv -f UTF-16BE -t "$enc"; iconv -f UTF-8 -t "$enc" "$f"; } >"$TMP/$b.bom.$enc"
		text_of "$TMP/$b.bom.$enc" | cmp -s - "$TMP/want"; ok $? "$b in $enc with BOM reads back exactly"
	done
	{ printf '\357\273\277'; perl -pe 's/\n/\r\n/' "$f"; } >"$TMP/$b.crlf"
	text_of "$TMP/$b.crlf" | cmp -s - "$TMP/want"; ok $? "$b in UTF-8 with BOM and CRLF reads back exactly"

	# Big5 has no simplified forms: Taiwan-standard traditional text, with
	# the one symbol Big5 lacks (◀) replaced
	if ! command -v opencc >/dev/null; then
		missing "$b in Big5: no opencc (make check installs it)" 2
		continue
	fi
	opencc -c s2tw.json -i "$f" | sed 's/◀/▲/g' >"$TMP/$b.trad"
	text_of "$TMP/$b.trad" >"$TMP/want.trad"
	iconv -f UTF-8 -t BIG5-HKSCS "$TMP/$b.trad" >"$TMP/$b.big5"
	text_of "$TMP/$b.big5" | cmp -s - "$TMP/want.trad"; ok $? "$b in Big5 reads back exactly"
	is "$(enc_of "$TMP/$b.big5")" BIG5-HKSCS "$b in Big5 is detected as Big5"
done
done_testing

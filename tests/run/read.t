#!/bin/sh
# The read stage's bad-input matrix. Each tests/read/NAME.txt is read with
# `baoku parse --read --json`; NAME.err is the exact diagnostics expected (an
# error: among them means exit 1), NAME.json the exact output expected.
# Cases that need a file made at run time (too large, unreadable, a
# directory, links) follow.
. tests/run/lib.sh

for f in tests/read/*.txt; do
	n=${f%.txt}
	name=$(basename "$n")
	"$BAOKU" parse --read --json "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	want=0
	[ -f "$n.err" ] && grep -q ': error: ' "$n.err" && want=1
	is "$rc" "$want" "$name: exit $want"
	if [ -f "$n.err" ]; then
		diff -u "$n.err" "$TMP/err" >"$TMP/diff"; r=$?
	else
		diff -u /dev/null "$TMP/err" >"$TMP/diff"; r=$?
	fi
	ok $r "$name: the expected diagnostics"
	[ $r -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	if [ -f "$n.json" ]; then
		diff -u "$n.json" "$TMP/out" >"$TMP/diff"; r=$?
		ok $r "$name: the expected text and metadata"
		[ $r -eq 0 ] || sed 's/^/# /' "$TMP/diff" | head -20
	fi
done

# --lenient turns the invalid sequences into U+FFFD, warning about each
"$BAOKU" parse --read --lenient tests/read/mixed-encodings.txt >"$TMP/out" 2>"$TMP/err"
is $? 0 "--lenient reads a file with invalid bytes"
w=$(grep -c 'warning: invalid UTF-8 byte sequence' "$TMP/err")
[ "$w" -ge 1 ]; ok $? "with a warning for each invalid sequence ($w)"
grep -q '九亭镇心家园' "$TMP/out" && grep -q '�' "$TMP/out"; ok $? "keeping the rest and marking the loss"

# over the size limit
head -c 2048 content/003_c616ab6b8247df4d.txt >"$TMP/big.txt"
"$BAOKU" parse --max-size 1K "$TMP/big.txt" 2>"$TMP/err" >/dev/null
is $? 1 "a file over --max-size is refused"
grep -q 'big.txt: error: file is 2048 bytes, over the limit of 1024' "$TMP/err"; ok $? "saying so"
"$BAOKU" parse --max-size 10x "$TMP/big.txt" 2>/dev/null; is $? 2 "a bad --max-size is a usage error"

# a project with awkward files builds the good pages and reports the bad
proj="$TMP/proj"
mkdir -p "$proj/content/issue" "$proj/content/x.txt"
cp -r templates static "$proj/"
cp content/003_c616ab6b8247df4d.txt "$proj/content/issue/page one.txt"
cp content/000_2376f5b4185b5b77.txt "$proj/content/x.txt/inside.txt"
printf 'not a page\n' >"$proj/content/notes.doc"
ln -s ../../../outside.txt "$proj/content/issue/escape.txt"
echo '松江' >"$TMP/outside.txt"
ln -s "page one.txt" "$proj/content/issue/alias.txt"
"$BAOKU" build -C "$proj" -v 2>"$TMP/err"
ok $? "a content/ with links, a folder named x.txt and other files builds"
grep -q 'escape.txt: warning: symbolic link leads outside content/' "$TMP/err"; ok $? "a link out of content/ is refused"
[ -f "$proj/build/pages/issue/alias.html" ]; ok $? "a link inside content/ is followed"
[ -f "$proj/build/pages/x.txt/inside.html" ] || [ -f "$proj/build/pages/x~2etxt/inside.html" ]
ok $? "a folder named x.txt is a folder: its pages are read"
grep -q 'notes.doc: note: not a .txt page or .md file; ignored' "$TMP/err"; ok $? "other files are listed with -v"

# an unreadable file is reported and the build fails, having read the rest
cp content/004_21899192cf01c07e.txt "$proj/content/locked.txt"
chmod 000 "$proj/content/locked.txt"
if [ "$(id -u)" = 0 ]; then
	skip "an unreadable page: root reads any file" 2
else
	"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "an unreadable page fails the build"
	grep -q 'locked.txt: error: cannot open: Permission denied' "$TMP/err"; ok $? "naming it"
fi
rm -f "$proj/content/locked.txt"

# metadata that looks like a path writes nothing outside the output
mkdir -p "$proj/content/2024"
cp tests/read/front-matter-escape.txt "$proj/content/2024/escape.txt"
printf 'paper: ../../x\ndate: 2024-02-23\n' >"$proj/content/2024/_meta.yml"
# (the search index's blocks in the cache are named by what they hold:
# new pages, new names)
find "$TMP" \( -path "$proj/build" -o -path "$proj/.baoku-cache/blocks" \) -prune -o -print |
	sort >"$TMP/before"
"$BAOKU" build -C "$proj" -q; ok $? "pages whose metadata holds ../../x build"
find "$TMP" \( -path "$proj/build" -o -path "$proj/.baoku-cache/blocks" \) -prune -o -print |
	sort >"$TMP/after"
grep -v -e "$TMP/before" -e "$TMP/after" "$TMP/before" >"$TMP/b2"
grep -v -e "$TMP/before" -e "$TMP/after" "$TMP/after" >"$TMP/a2"
cmp -s "$TMP/b2" "$TMP/a2" && [ ! -e "$TMP/x" ] && [ ! -e "$proj/x" ] && [ ! -e /etc/passwd.html ]; ok $? "and nothing lands outside build/"

# folder metadata and the path convention
mkdir -p "$proj/content/青年报/2024-02-23"
cp content/003_c616ab6b8247df4d.txt "$proj/content/青年报/2024-02-23/A3.txt"
printf 'section: 杨浦新闻\nreporters: [陈涛]\n' >"$proj/content/青年报/_meta.yml"
"$BAOKU" parse --read -C "$proj" --json "$proj/content/青年报/2024-02-23/A3.txt" >"$TMP/out"
grep -q '"paper": "青年报"' "$TMP/out" && grep -q '"date": "2024-02-23"' "$TMP/out" && grep -q '"page": "A3"' "$TMP/out"
ok $? "the path convention gives paper, date and page"
grep -q '"section": "杨浦新闻"' "$TMP/out" && grep -q '"陈涛"' "$TMP/out"
ok $? "folder metadata gives defaults"
printf 'date: 2024-13-40\n' >"$proj/content/青年报/_meta.yml"
"$BAOKU" parse -C "$proj" "$proj/content/青年报/2024-02-23/A3.txt" >/dev/null 2>"$TMP/err"
is $? 1 "a bad date in _meta.yml is an error"
grep -q "青年报/_meta.yml:1:7: error: invalid date '2024-13-40'" "$TMP/err"; ok $? "positioned in _meta.yml"
done_testing

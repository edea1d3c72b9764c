#!/bin/sh
# Input a careless or hostile user gives: each must get a clear, positioned
# error or the output a reader expects, never wrong output or a crash.
. tests/run/lib.sh

proj="$TMP/proj"
fresh() { # a project with the seed pages and the given site.yml lines
	rm -rf "$proj" && mkdir -p "$proj/content"
	cp -r templates static "$proj/"
	cp content/003_c616ab6b8247df4d.txt "$proj/content/"
	printf '%s\n' "$@" >"$proj/site.yml"
}

# site.yml
fresh 'base_url: https://archive.example.org/'
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "base_url ending in / builds" "$TMP/err"
grep -rhoE 'https://archive\.example\.org/[^"< ]*' "$proj/build" | grep -q '\.org//'
is $? 1 "and no absolute URL has a doubled slash"
grep -q 'https://archive.example.org/articles/' "$proj/build/sitemap.xml"; ok $? "the sitemap's URLs are whole"

fresh 'base_url: http://'
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "base_url without a host is refused"
grep -q 'site.yml:1:11: error: base_url must be an absolute http(s) URL with a host' "$TMP/err"
ok $? "with its position"

fresh 'output: build/'
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "output: build/ is the build directory" "$TMP/err"
[ -f "$proj/build/index.html" ]; ok $? "and the archive is there"

fresh 'output: content/site'
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "output inside content/ is refused"
grep -q "site.yml:1:9: error: output 'content/site' is inside the project's content/" "$TMP/err"
ok $? "saying why"
[ ! -e "$proj/content/site" ]; ok $? "and nothing is written there"

fresh 'title: 一' 'page_size: 5' 'title: 二'
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a key given twice in site.yml is an error"
grep -q "site.yml:3:1: error: 'title' is given twice (first on line 1)" "$TMP/err"; ok $? "naming both lines"

# page metadata
printf -- '---\ntitle: ~\npaper: 松江报\n---\n正文。\n' >"$TMP/null.txt"
"$BAOKU" parse --read --json "$TMP/null.txt" >"$TMP/out" 2>"$TMP/err"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[0]["meta"]; sys.exit(m["title"] is not None or m["paper"] != "松江报")' "$TMP/out"
ok $? "title: ~ is no title, not the title '~'"
printf -- '---\ndate: 2024-01-01\ndate: 2024-01-02\n---\n正文。\n' >"$TMP/dup.txt"
"$BAOKU" parse --read "$TMP/dup.txt" >/dev/null 2>"$TMP/err"; is $? 1 "a key given twice in front matter is an error"
grep -q "dup.txt:3:1: error: 'date' is given twice (first on line 2)" "$TMP/err"; ok $? "with both lines"

# text
fresh
printf '  \n\t\n   \n' >"$proj/content/blank.txt"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a page of spaces builds" "$TMP/err"
grep -q 'blank.txt: warning: page has no text' "$TMP/err"; ok $? "with the warning an empty page gets"
printf 'abc\302\205def\n' >"$TMP/c1.txt"
"$BAOKU" parse "$TMP/c1.txt" >/dev/null 2>"$TMP/err"; is $? 1 "a C1 control character means a binary file"
grep -q 'c1.txt:1:4: error: control character U+0085' "$TMP/err"; ok $? "at its position"
printf '\204\061\225\063---\ntitle: x\n---\n\262\342\312\324\241\243\n' >"$TMP/bom.txt"
"$BAOKU" parse --read --json "$TMP/bom.txt" >"$TMP/out" 2>"$TMP/err"; ok $? "a GB18030 byte-order mark"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))[0]; sys.exit(p["encoding"] != "GB18030" or p["meta"]["title"] != "x" or p["text"] != "测试。\n")' "$TMP/out"
ok $? "is read as GB18030, and the front matter after it"

# hostile text in a headline cannot break the page's inline JSON
fresh 'base_url: https://archive.example.org'
printf '标题<!--<script>测试\n\n■记者 陈涛\n\n本报讯 杨浦区的消息。\n' >"$proj/content/evil.txt"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "a headline holding <!--<script> builds" "$TMP/err"
page=$(grep -l '"headline":"标题' "$proj"/build/articles/*/*.html | head -n 1)
python3 - "$page" <<'PY' >"$TMP/ld" 2>&1
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
assert blocks and all("<" not in b for b in blocks), blocks
import json
assert "标题<!--<script>测试" in json.loads(blocks[0])["headline"]
print("ok")
PY
grep -qx ok "$TMP/ld"; ok $? "its JSON-LD holds no < and still says the headline"
[ $T_FAILED -eq 0 ] || sed 's/^/# /' "$TMP/ld"

# templates nested past reason
python3 -c "print('{{#a}}' * 100000 + 'x' + '{{/a}}' * 100000)" >"$TMP/deep.mustache"
"$BAOKU" render "$TMP/deep.mustache" >/dev/null 2>"$TMP/err"; is $? 1 "100,000 nested sections are an error, not a crash"
grep -q 'deep.mustache:1:601: error: sections nested more than 100 deep' "$TMP/err"; ok $? "at the one too many"

# a folder shaped like a date that is none: said, never a silently undated page
fresh
mkdir -p "$proj/content/松江报/2024-02-30"
cp content/003_c616ab6b8247df4d.txt "$proj/content/松江报/2024-02-30/01.txt"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a folder named 2024-02-30 builds" "$TMP/err"
grep -q '2024-02-30/01.txt: warning: its folder or name looks like a date but is not a real one' "$TMP/err"
ok $? "with a warning naming the page"

# a scan that is no image: a warning naming it, never a crash or a failed
# build, and the page is published with the file as it was given
fresh
printf 'GIF89a, or so it says\n' >"$proj/content/003_c616ab6b8247df4d.png"
head -c 100 tests/papers/content/松江报/2024-04-16/03.pdf >"$proj/content/004.pdf"
cp content/004_21899192cf01c07e.txt "$proj/content/004.txt"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a page whose scan is no image builds" "$TMP/err"
grep -q 'content/003_c616ab6b8247df4d.png: warning: cannot make a preview of this scan (.*); it is published without one; replace it' "$TMP/err"
ok $? "with a warning naming the scan and what to do"
grep -q 'content/004.pdf: warning: cannot make a preview of this scan' "$TMP/err"; ok $? "and a PDF cut short, too"
[ -f "$proj/build/scans/003_c616ab6b8247df4d.png" ] && [ ! -e "$proj/build/scans/003_c616ab6b8247df4d.240.webp" ]
ok $? "the file is published as it is, without a thumbnail"

# a page cache damaged across a fifth of its bytes costs the pages it held
# a new reading, nothing else (every record there fails its hash)
fresh
cp content/*.txt "$proj/content/"
"$BAOKU" build -C "$proj" -q; ok $? "the seed archive builds"
size=$(stat -c %s "$proj/.baoku-cache/pages")
python3 -c 'import sys; f=open(sys.argv[1], "r+b"); n=int(sys.argv[2]); f.seek(n * 2 // 5); f.write(b"Z" * (n // 5))' "$proj/.baoku-cache/pages" "$size"
printf '\n又一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "a rebuild over a damaged page cache succeeds" "$TMP/err"
"$BAOKU" build -C "$proj" -o "$TMP/fresh" --force -q
diff -r "$proj/build" "$TMP/fresh" >/dev/null; ok $? "and gives what a fresh build gives"

# build's reading options reach the pages
fresh
{ head -n 6 content/003_c616ab6b8247df4d.txt; printf '坏\377字节\n'; tail -n +7 content/003_c616ab6b8247df4d.txt; } >"$proj/content/bad.txt"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a page with a broken byte fails the build"
grep -q 'or build with --lenient' "$TMP/err"; ok $? "saying --lenient would keep it"
"$BAOKU" build -C "$proj" --lenient -q 2>"$TMP/err"; ok_showing $? "and with --lenient it builds" "$TMP/err"
grep -rq '坏�字节' "$proj/build/pages"; ok $? "with U+FFFD where the byte was"
rm "$proj/content/bad.txt"
"$BAOKU" build -C "$proj" --max-size 1K --force -q 2>"$TMP/err"; is $? 1 "--max-size refuses larger pages in a build"
grep -q '003_c616ab6b8247df4d.txt: error: file is .* bytes, over the limit of 1024' "$TMP/err"; ok $? "naming them"

# the next tree beside the output, damaged by hand, is matched again
fresh
"$BAOKU" build -C "$proj" -q
next="$proj/.build.baoku/next"
echo stray >"$next/stray.html"
f=$(find "$next/articles" -type f | head -n 1)
rm "$f" && echo changed >"$f"
mkdir -p "$next/x/y"
printf '\n又一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a build beside a damaged next tree"
"$BAOKU" build -C "$proj" -o "$TMP/fresh2" --force -q
diff -r "$proj/build" "$TMP/fresh2" >/dev/null; ok $? "gives what a fresh build gives"
[ ! -e "$proj/build/stray.html" ] && [ ! -e "$proj/build/x" ]; ok $? "without what was put beside"

# a file gone from the next tree (its marker left) is made again, not
# kept: the next tree is what is published, whatever the live one holds
fresh
cp content/001_628755de01cfc591.txt "$proj/content/"
"$BAOKU" build -C "$proj" -q
gone=$(cd "$proj/build" && grep -l 'pages/001_' articles/*/*.html | sort | head -n 1)
rm "$proj/.build.baoku/next/$gone"
printf '\n又一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a build beside a next tree that lost a file"
[ -f "$proj/build/$gone" ]; ok $? "publishes that file all the same ($gone)"
"$BAOKU" build -C "$proj" -o "$TMP/fresh4" --force -q
diff -r "$proj/build" "$TMP/fresh4" >/dev/null; ok $? "as a fresh build gives it"

# two builds of one output at once take turns: both succeed, and the
# archive is what one build gives
fresh
cp content/*.txt "$proj/content/"
"$BAOKU" build -C "$proj" -q
printf '\n又一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -q --force 2>"$TMP/err1" &
"$BAOKU" build -C "$proj" -q --force 2>"$TMP/err2"; r2=$?
wait $!; r1=$?
is "$r1/$r2" 0/0 "two builds of one output at once both succeed"
"$BAOKU" build -C "$proj" -o "$TMP/fresh3" --force -q
diff -r "$proj/build" "$TMP/fresh3" >/dev/null; ok $? "and the archive is what one build gives"

# what a build keeps for the next one stays in the project, and is not published
fresh
mkdir -p "$TMP/www"
"$BAOKU" build -C "$proj" -o "$TMP/www/archive" -q; ok $? "a build into a folder outside the project"
[ -z "$(ls -A "$TMP/www" | grep -v '^archive$' | grep -v '^\.archive\.baoku$')" ] && [ -d "$proj/.baoku-cache" ]
ok $? "keeps its cache in the project, leaving only the archive and its next tree there"
! grep -rqs "$proj" "$TMP/www/archive" && [ ! -e "$TMP/www/archive/.baoku-inputs" ]
ok $? "and the archive names no path of the builder's"
"$BAOKU" build -C "$proj" -o "$TMP/www/archive" -v 2>"$TMP/err"; grep -q "up to date" "$TMP/err"
ok $? "a second build there is up to date"

# a cache that cannot be written: every file kept there fails (the page
# cache, the gazetteer, the search's blocks on each thread, the memo), and
# the build says so once
fresh
echo 'not a folder' >"$proj/.baoku-cache"
"$BAOKU" build -C "$proj" -j 3 2>"$TMP/err"; ok_showing $? "a build whose cache cannot be written succeeds" "$TMP/err"
[ -f "$proj/build/index.html" ]; ok $? "with its archive"
is "$(grep -c 'cannot write the cache' "$TMP/err")" 1 "and says so once"
grep -q '\.baoku-cache/[^:]*: warning: cannot write the cache: Not a directory; the next build starts afresh' "$TMP/err"
ok $? "naming the file and why"
rm "$proj/.baoku-cache"
"$BAOKU" build -C "$proj" -q && [ -s "$proj/.baoku-cache/pages" ]; ok $? "and the next build starts afresh, keeping its cache"

# diagnostics
fresh
printf '\377\n' >"$proj/content/$(printf 'x\033[2Jy').txt"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a page named with ESC[2J that cannot be read fails"
grep -q 'x\\x1B\[2Jy.txt' "$TMP/err" && ! grep -q "$(printf '\033')" "$TMP/err"
ok $? "and its name is printed with the escape written out, not sent to the terminal"
echo 'x' >"$TMP/t.mustache"
"$BAOKU" render "$TMP/t.mustache" "$TMP/no-such.json" >/dev/null 2>"$TMP/err"; is $? 1 "render with a data file that is not there fails"
grep -q "no-such.json: error: cannot read the data" "$TMP/err" && ! grep -q 18446744073709551615 "$TMP/err"
ok $? "saying so, with no position it does not have"
# a broken partial is said once, not once a page; a missing template by its path
fresh
cp content/*.txt "$proj/content/"
echo '{{#broken}}' >>"$proj/templates/partials/article.mustache"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a broken partial fails the build"
is "$(grep -c 'article.mustache:[0-9]*:[0-9]*: error: unclosed section' "$TMP/err")/$(grep -c 'names a template that does not compile' "$TMP/err")" 1/1 \
	"its error and the place that uses it are each said once for the 5 pages"
fresh
rm "$proj/templates/home.mustache"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "a project without home.mustache builds with the shipped one" "$TMP/err"
# the program alone, with no shipped templates beside it or installed
mkdir -p "$TMP/alone/bin" && cp "$BAOKU" "$TMP/alone/bin/baoku" && ln -s "$PWD/data" "$proj/data"
if [ -d /usr/local/share/baoku/templates ]; then
	skip "baoku is installed on this machine, so its shipped templates are found" 2
else
	"$TMP/alone/bin/baoku" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "without any home.mustache the build fails"
	grep -q "^$proj/templates/home.mustache: error: no such template" "$TMP/err"; ok $? "naming the file to create"
fi
# a page whose file name is not UTF-8 (a GBK name from an old export) is
# published whole, its name shown with U+FFFD, and a warning says so
fresh
cp content/003_c616ab6b8247df4d.txt "$proj/content/$(printf '\265\332\061\260\346')-x.txt"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a page named in GBK builds" "$TMP/err"
grep -q "warning: the name is not UTF-8; the archive shows it as '��1��-x.txt'" "$TMP/err"; ok $? "with a warning showing the name it gets"
"$BAOKU" check "$proj/build" >/dev/null 2>"$TMP/err"; ok $? "and every link of the archive resolves (its article pages are written)"
done_testing

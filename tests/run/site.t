#!/bin/sh
# The whole build on the seed pages: output, links, determinism, and the
# promise that a failed build leaves the last good one untouched.
. tests/run/lib.sh

proj="$TMP/proj"
mkdir -p "$proj"
cp -r content templates static site.yml "$proj/"

"$BAOKU" build -C "$proj" -q; ok $? "the seed archive builds"
out="$proj/build"
[ -f "$out/index.html" ]; ok $? "build/index.html exists"
n=$(ls content/*.txt | wc -l)
m=$(ls "$out"/pages/*.html | grep -vc "/index.html$")
is "$m" "$n" "one page per content file"
for f in content/*.txt; do
	b=$(basename "$f" .txt)
	grep -q "href=\"../pages/$b.html\"" "$out/pages/index.html"; ok $? "the page list links $b"
done
# one article page per article, and the districts a reader expects
n=$("$BAOKU" parse --json content/*.txt | grep -c '"kind": "article"')
is "$(ls "$out"/articles/*/*.html | wc -l)" "$n" "one article page per article"
for d in songjiang yangpu jiaxing jiaxing/nanhu taizhou-zhejiang/huangyan hangzhou/xiaoshan hangzhou/jiande; do
	[ -f "$out/districts/$d/index.html" ]; ok $? "district page districts/$d"
done
grep -q '<a href="districts/songjiang/index.html">松江</a> <span class="count">8 篇</span>' "$out/index.html"
ok $? "the home page lists 松江 with its count"
grep -q 'href="../../../districts/jiaxing/index.html">嘉兴</a>' "$out/districts/jiaxing/nanhu/index.html"
ok $? "a sub-group links to its group"
[ -f "$out/404.html" ] && grep -q '^User-agent: \*' "$out/robots.txt"; ok $? "404.html and robots.txt"
[ -f "$out/search/index.html" ] && [ -f "$out/search/meta.js" ] && [ -f "$out/search/seg-0/shard-0.js" ]
ok $? "the search page and its index"
grep -q '<form class="site-search" action="../../search/index.html"' "$out/articles/"*/*.html; ok $? "a search box on the pages"
[ -f "$out/people/chen-tao/index.html" ] && grep -q "派出所上线排队查询功能" "$out/people/chen-tao/index.html"
ok $? "a reporter's page lists their articles"
grep -q 'class="reporter" href="../../people/cheng-jia-jia/index.html">成佳佳</a>' "$out"/articles/*/*.html
ok $? "article bylines link to the reporters' pages"
python3 - "$out"/articles/*/*.html <<'PY' >"$TMP/ld" 2>&1
import json, re, sys
for path in sys.argv[1:]:
    html = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ld = json.loads(m.group(1))
    assert ld["@type"] == "NewsArticle" and ld["headline"], path
    assert re.search(r'<meta property="og:title" content="[^"]+">', html), path
print("ok")
PY
grep -qx ok "$TMP/ld"; r=$?
ok $r "every article page has JSON-LD NewsArticle that parses, and Open Graph"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/ld"
[ -f "$out/static/style.css" ]; ok $? "static/ is copied"
"$BAOKU" check "$out" 2>"$TMP/err"; ok $? "every link in the archive resolves ($(cat "$TMP/err"))"

# the text survives, escaped: whole on its article page, its lead in the
# page view, which lists the page's articles and repeats no text
grep -q '以往在居民眼里，有事情要办才会找社区' "$out"/articles/*/*.html; ok $? "an article's text is on its article page"
grep -q '以往在居民眼里，有事情要办才会找社区' "$out/pages/000_2376f5b4185b5b77.html"; is $? 1 "and not repeated in its page view"
grep -q '<p class="lead">九亭镇心家园党群服务中心主体由5幢楼组成，[^<]*…</p>' "$out/pages/000_2376f5b4185b5b77.html"
ok $? "which shows its lead, cut with …"
n=$(grep -c '<li id="a-' "$out/pages/003_c616ab6b8247df4d.html")
want=$("$BAOKU" parse --json content/003_c616ab6b8247df4d.txt | grep -c '"index":')
is "$n" "$want" "the page view lists each of page 003's articles"
grep -q '本版原文' "$out/pages/003_c616ab6b8247df4d.html"; is $? 1 "and no longer the page's whole text"
grep -q '<figcaption>湘家荡科创湖区 <span class="credit">王佳萱 摄</span></figcaption>' "$out"/articles/*/*.html
ok $? "figures show their caption and credit"
grep -q 'href="../articles/[0-9a-f]*/[0-9a-f]*.html">萧山：整合资源' "$out/pages/index.html"
ok $? "the page list links each article to its page"

# deterministic, whatever -j and the order of the files
"$BAOKU" build -C "$proj" -o "$TMP/j1" -j 1 -q
"$BAOKU" build -C "$proj" -o "$TMP/j2" -j 2 -q
diff -r "$TMP/j1" "$TMP/j2" >/dev/null; ok $? "-j1 and -j2 give identical trees"
diff -r "$out" "$TMP/j1" >/dev/null; ok $? "rebuilding gives an identical tree"

# a rebuild rewrites only files whose bytes changed
before=$(stat -c %i "$out/index.html" "$out/pages/003_c616ab6b8247df4d.html" | tr '\n' ' ')
marker=$(stat -c %i "$out/.baoku-build")
"$BAOKU" build -C "$proj" -v 2>"$TMP/err"
grep -q 'is up to date: no input changed since it was built (5 pages); nothing written' "$TMP/err"
ok $? "a rebuild with no input changed does nothing ($(tail -1 "$TMP/err"))"
is "$(stat -c %i "$out/.baoku-build")" "$marker" "not even the output directory is replaced"
(cd "$proj" && "$BAOKU" build -v 2>"$TMP/err")
grep -q 'is up to date' "$TMP/err"
ok $? "built from inside the project, not named by its path: the same inputs, up to date"
touch "$proj/templates/layout.mustache"
"$BAOKU" build -C "$proj" -v 2>"$TMP/err"
grep -q ' 0 files written (0 bytes), [0-9]* unchanged' "$TMP/err"
ok $? "a touched template rebuilds, writing no file again ($(tail -1 "$TMP/err"))"
"$BAOKU" build -C "$proj" --force -v 2>"$TMP/err"
grep -q ' 0 files written (0 bytes), [0-9]* unchanged' "$TMP/err"; ok $? "--force rebuilds and writes nothing unchanged ($(tail -1 "$TMP/err"))"
grep -q '; 1 of 1 segments kept from the last build' "$TMP/err"
ok $? "the search index's segment, its documents read again the same, keeps its shards"
after=$(stat -c %i "$out/index.html" "$out/pages/003_c616ab6b8247df4d.html" | tr '\n' ' ')
is "$after" "$before" "unchanged files keep their identity"
other=$(stat -c %i "$out/pages/000_2376f5b4185b5b77.html")
printf '\n补充的一段正文。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -v 2>"$TMP/err"
grep -q '; 4 of 5 pages from the cache' "$TMP/err"
ok $? "the other pages come from the cache the full build before wrote"
grep -q '; 0 of 1 segments kept from the last build' "$TMP/err"
ok $? "the segment holding the changed page is made again"
[ "$(stat -c %i "$out/pages/003_c616ab6b8247df4d.html")" != "$(echo "$before" | cut -d' ' -f2)" ]
ok $? "a changed page is written again"
is "$(stat -c %i "$out/pages/000_2376f5b4185b5b77.html")" "$other" "while the other pages are left as they were"
"$BAOKU" build -C "$proj" -o "$TMP/fresh" --force -q
diff -r "$out" "$TMP/fresh" >"$TMP/diff"; ok $? "a rebuild that reused the last build's work equals a fresh build"
# two pages read again (more than an eighth: the cache is written whole,
# these two as packed where they were read, the others packed there),
# then a third: each comes back from the cache as it was read (001 has
# as many articles as 004, which the cache would not tell apart)
for f in 000_2376f5b4185b5b77 004_21899192cf01c07e; do
	printf '\n两页一起补充。\n' >>"$proj/content/$f.txt"
done
"$BAOKU" build -C "$proj" -q -j 2
printf '\n第三页补充。\n' >>"$proj/content/002_3df15825b6e32e55.txt"
"$BAOKU" build -C "$proj" -v 2>"$TMP/err" && grep -q '; 4 of 5 pages from the cache' "$TMP/err" &&
	"$BAOKU" build -C "$proj" -o "$TMP/fresh3" --force -q && diff -r "$out" "$TMP/fresh3" >/dev/null
ok $? "pages the cache took as read come back from it as a fresh build reads them"
rm "$out/404.html" "$out/search/index.html"
printf '\n再补充一段。\n' >>"$proj/content/000_2376f5b4185b5b77.txt"
"$BAOKU" build -C "$proj" -q
[ -f "$out/404.html" ] && [ -f "$out/search/index.html" ]; ok $? "files deleted from the output since the last build are made again"
memos=$(ls "$proj"/.baoku-cache/out-*/memo)
[ -s "$proj/.baoku-cache/pages" ] && [ -n "$memos" ] && [ ! -e "$out/.baoku-inputs" ]
ok $? "that work is kept in the project's cache, not in the output"
head -c 100 /dev/urandom >"$proj/.baoku-cache/pages"
[ -s "$proj/.baoku-cache/search" ]; ok $? "what the search index's segments were made from is kept there too"
head -c 100 /dev/urandom >"$proj/.baoku-cache/search"
for m in $memos; do printf 'garbage\n' >"$m"; done
printf '\n又一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a damaged cache is ignored"
"$BAOKU" build -C "$proj" -o "$TMP/fresh2" --force -q
diff -r "$out" "$TMP/fresh2" >/dev/null; ok $? "and the build is still what a fresh build gives"
rm -rf "$TMP/fresh" "$TMP/fresh2" "$TMP/fresh3"
# damaged_rebuilds DAMAGE...: for 30%, 50%, 70% and 90%, runs DAMAGE with
# the share appended, changes a page and rebuilds; $damaged counts the
# rebuilds that are not what a fresh build gives
damaged_rebuilds() {
	damaged=0
	for pct in 30 50 70 90; do
		"$@" "$pct"
		printf '\n再一段%s。\n' "$pct" >>"$proj/content/003_c616ab6b8247df4d.txt"
		"$BAOKU" build -C "$proj" -q && "$BAOKU" build -C "$proj" -o "$TMP/fresh-$pct" --force -q &&
			diff -r "$out" "$TMP/fresh-$pct" >/dev/null || damaged=$((damaged + 1))
		rm -rf "$TMP/fresh-$pct"
	done
}
# zap FILE PCT: a 'Z' at PCT% of FILE
zap() {
	size=$(stat -c %s "$1")
	printf 'Z' | dd of="$1" bs=1 seek=$(($size * $2 / 100)) conv=notrunc 2>/dev/null
}
# one byte changed anywhere in the page cache costs a page a new reading,
# and nothing else: the records and their documents' tables are checked
damaged_rebuilds zap "$proj/.baoku-cache/pages"
is "$damaged" 0 "a byte changed at 30%, 50%, 70% or 90% of the page cache leaves the build as a fresh one"
# the search tokens beside it are checked when read: a byte changed there
# is found when a segment made again reads it (here the only segment, but
# for the changed page's old tokens, which nothing reads), and the build
# then starts over from the page files. Each thread of the build writes
# its tokens in a region of the file of its own, so the file has holes,
# which nothing reads: the byte changed is at PCT% of the bytes written.
flip() {
	python3 -c 'import sys
f = open(sys.argv[1], "r+b"); data = f.read()
written = [i for i, b in enumerate(data) if b]
for pct in sys.argv[2:]:
    at = written[len(written) * int(pct) // 100]; f.seek(at); f.write(bytes([data[at] ^ 0x20]))' "$@"
}
damaged_rebuilds flip "$proj/.baoku-cache/pages.tokens"
is "$damaged" 0 "a byte changed at 30%, 50%, 70% or 90% of the search tokens leaves the build as a fresh one"
flip "$proj/.baoku-cache/pages.tokens" 10 30 50 70 90
printf '\n再一段。\n' >>"$proj/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a rebuild over tokens changed in five places" "$TMP/err"
grep -q 'warning: the page cache is damaged .*; building again from the page files' "$TMP/err"
ok $? "finds them when read, and builds again from the page files, with a warning"
"$BAOKU" build -C "$proj" -o "$TMP/fresh-all" --force -q && diff -r "$out" "$TMP/fresh-all" >/dev/null
ok $? "giving what a fresh build gives"
rm -rf "$TMP/fresh-all"
# a rebuild updates the last build in place: what is gone goes
n_before=$(find "$out/articles" -type f | wc -l)
rm "$proj/content/000_2376f5b4185b5b77.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a rebuild after a page was removed"
grep -q 'http-equiv="refresh"' "$out/pages/000_2376f5b4185b5b77.html"
ok $? "puts a redirect in its page view's place (redirects.h)"
[ "$(grep -L 'http-equiv="refresh"' -r "$out/articles" | wc -l)" -lt "$n_before" ]; ok $? "and in its articles' pages'"
"$BAOKU" build -C "$proj" -o "$TMP/fresh3" --force -q
diff -r "$out" "$TMP/fresh3" >/dev/null; ok $? "leaving the tree a fresh build gives"
[ "$(ls -A "$proj/.build.baoku" | tr '\n' ' ')" = "lock next " ]; ok $? "and beside it only the lock and the next tree"
cp content/000_2376f5b4185b5b77.txt "$proj/content/"
"$BAOKU" build -C "$proj" -q
rm -rf "$TMP/fresh3"
cp content/003_c616ab6b8247df4d.txt "$proj/content/"
"$BAOKU" build -C "$proj" -q

# a broken link is caught
printf '<a href="nowhere.html">x</a>\n' >"$TMP/j1/bad.html"
"$BAOKU" check "$TMP/j1" 2>"$TMP/err"; is $? 1 "check fails on a broken link"
grep -q "bad.html:1:10: error: broken link 'nowhere.html': no such file" "$TMP/err"; ok $? "naming file:line:col"

# a failed build leaves the last good build as it was
cp -r "$out" "$TMP/good"
printf '{{#oops}}\n' >"$proj/templates/page.mustache"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a broken template fails the build"
grep -q "page.mustache:1:1: error: unclosed section '{{#oops}}'" "$TMP/err"; ok $? "with the template's position"
diff -r "$TMP/good" "$out" >/dev/null; ok $? "and the previous build is untouched"
cp templates/page.mustache "$proj/templates/page.mustache"

{ head -n 6 content/003_c616ab6b8247df4d.txt; printf '坏\377字节\n'; tail -n +7 content/003_c616ab6b8247df4d.txt; } >"$proj/content/bad.txt"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a page with a broken byte fails the build"
grep -q "bad.txt:7:2: error: invalid UTF-8 byte sequence 0xFF;" "$TMP/err"; ok $? "with the page's position"
diff -r "$TMP/good" "$out" >/dev/null; ok $? "and the previous build is untouched"
rm "$proj/content/bad.txt"
[ "$(ls -A "$proj/.build.baoku" | tr '\n' ' ')" = "lock next " ]; ok $? "and beside it only the lock and the next tree"
# a failure in any stage fails the build: the article pages, the static copy
printf '{{#oops}}\n' >"$proj/templates/article_page.mustache"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a broken article page template fails the build"
grep -q "build failed with 1 error(s)" "$TMP/err"; ok $? "saying how many errors it met"
diff -r "$TMP/good" "$out" >/dev/null; ok $? "and the previous build is untouched"
cp templates/article_page.mustache "$proj/templates/article_page.mustache"
printf 'x' >"$proj/static/a\\b.css"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a static file that cannot be copied fails the build"
grep -q 'a\\b.css: error: refusing to write outside the output directory' "$TMP/err"; ok $? "naming the file"
diff -r "$TMP/good" "$out" >/dev/null; ok $? "and the previous build is untouched"
rm "$proj/static/a\\b.css"

# the output directory is a sandbox
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
"$BAOKU" build -C "$proj" -o "$TMP/mine" -q 2>"$TMP/err"; is $? 1 "a directory baoku did not make is not replaced"
[ "$(cat "$TMP/mine/notes.txt")" = keep ]; ok $? "and its files are untouched"

# file names outside ASCII give portable, distinct URLs
cp content/003_c616ab6b8247df4d.txt "$proj/content/第三版 杨浦.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a page with a Chinese name and a space builds"
ls "$out/pages" | grep -q '^~e7~ac~ac~e4~b8~89~e7~89~88~20~e6~9d~a8~e6~b5~a6.html$'; ok $? "its URL is ASCII"
"$BAOKU" check "$out" 2>/dev/null; ok $? "and links to it resolve"

# dates come from the metadata, never invented
mkdir -p "$proj/content/青年报/2024-02-23"
cp content/003_c616ab6b8247df4d.txt "$proj/content/青年报/2024-02-23/A3.txt"
"$BAOKU" build -C "$proj" -q; ok $? "a page dated by its path builds"
grep -q '<a href="#d23">23</a>' "$out/dates/2024-02.html" && ! grep -q '<a href="#d22">' "$out/dates/2024-02.html"
ok $? "its month's calendar links the 23rd, and only days with articles"
grep -q '<a href="../dates/2024-02.html">2 月</a>' "$out/dates/index.html"; ok $? "the date index lists the month"
grep -q '日期不详' "$out/dates/undated.html" && grep -q '派出所上线排队查询功能' "$out/dates/undated.html"
ok $? "undated pages' articles are listed as undated"
rm -r "$proj/content/青年报"

# feeds and sitemap: skipped with one warning without base_url, XML with it
"$BAOKU" build -C "$proj" 2>"$TMP/err"
is "$(grep -c 'no base_url' "$TMP/err")" 1 "without base_url: one warning"
[ ! -e "$out/feed.xml" ] && [ ! -e "$out/sitemap.xml" ]; ok $? "and no feed or sitemap"
printf 'base_url: https://archive.example.org\n' >>"$proj/site.yml"
mkdir -p "$proj/content/青年报/2024-02-23"
cp content/003_c616ab6b8247df4d.txt "$proj/content/青年报/2024-02-23/A3.txt"
"$BAOKU" build -C "$proj" -q; ok $? "with base_url it builds"
python3 - "$out" <<'PY' >"$TMP/xml" 2>&1
import sys, xml.etree.ElementTree as E
out = sys.argv[1]
atom = "{http://www.w3.org/2005/Atom}"
feed = E.parse(out + "/feed.xml").getroot()
entries = feed.findall(atom + "entry")
assert feed.tag == atom + "feed" and len(entries) == 7, len(entries)
assert all(e.find(atom + "link").get("href").startswith("https://archive.example.org/articles/") for e in entries)
E.parse(out + "/districts/yangpu/feed.xml")
urls = E.parse(out + "/sitemap.xml").getroot()
locs = [u[0].text for u in urls]
assert "https://archive.example.org/index.html" in locs and len(locs) > 50, len(locs)
print("ok")
PY
grep -qx ok "$TMP/xml"; r=$?
ok $r "the Atom feeds and sitemap.xml parse as XML, with absolute URLs"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/xml"
rm -r "$proj/content/青年报"

# pretty_urls: listing links end at their directory, for web hosts
sed -i 's/^pretty_urls: .*/pretty_urls: true/' "$proj/site.yml"
"$BAOKU" build -C "$proj" -o "$TMP/pretty" -q; ok $? "builds with pretty_urls"
grep -q 'href="districts/songjiang/"' "$TMP/pretty/index.html"; ok $? "listing links end at the directory"
"$BAOKU" check --pretty "$TMP/pretty" 2>/dev/null; ok $? "and resolve on a web host (check --pretty)"
"$BAOKU" check -C "$proj" "$TMP/pretty" 2>/dev/null; ok $? "check reads pretty_urls from the project's site.yml (-C)"
"$BAOKU" build -C "$proj" -q && (cd "$proj" && "$BAOKU" check 2>/dev/null); ok $? "and from the current project, checking its output"
"$BAOKU" check "$proj/build" 2>/dev/null; ok $? "and from the folder the archive is in"
"$BAOKU" check -C "$TMP" "$TMP/pretty" 2>/dev/null; [ $? -eq 1 ]; ok $? "a project without pretty_urls still finds directory links broken"

# an article continued on another page links its other half
mkdir -p "$proj/content/松江报/2024-03-01"
printf '让科技创新策源力成为现实生产力\n\n■记者 陈涛\n\n本报讯 杨浦区近日发布新举措,搭建国际领先的基础科学平台。(下转第2版)\n' \
	>"$proj/content/松江报/2024-03-01/1.txt"
printf '◀ 上接第一版\n\n让科技创新策源力成为现实生产力\n\n鼓励区内其他创新平台发挥作用。\n' \
	>"$proj/content/松江报/2024-03-01/2.txt"
"$BAOKU" build -C "$proj" -q; ok $? "two halves of an article build"
front=$(grep -l '本报讯 杨浦区近日发布新举措' "$out"/articles/*/*.html | head -1)
back=$(grep -l '鼓励区内其他创新平台发挥作用' "$out"/articles/*/*.html | head -1)
b=$(basename "$back"); f=$(basename "$front")
grep -q "<a href=\"../../articles/$(echo "$b" | cut -c1-2)/$b\">下转第2版</a>" "$front"; ok $? "the first half links the second"
grep -q "<a href=\"../../articles/$(echo "$f" | cut -c1-2)/$f\">上接第1版</a>" "$back"; ok $? "and the second the first"
rm -r "$proj/content/松江报"

# long listings: a front page of the newest page_size articles, then
# slices of page_size counted from the oldest (index.1.html the oldest),
# a pager with the front page, the oldest slice, two either side, gaps,
# and the newer and the older
mkdir -p "$TMP/paged"
cp -r content templates static "$TMP/paged/"
printf 'page_size: 1\n' >"$TMP/paged/site.yml"
"$BAOKU" build -C "$TMP/paged" -q; ok $? "a site with one article a listing page builds"
d="$TMP/paged/build/districts/songjiang"
is "$(ls "$d"/index.*.html | wc -l)" 8 "eight articles of 松江 make a front page and eight slices"
sed -n '/class="pager"/,/<\/nav>/p' "$d/index.5.html" | grep -o 'href="[^"]*"\|…\|aria-current="page">[0-9]*' | tr '\n' ' ' >"$TMP/pager"
is "$(cat "$TMP/pager")" 'href="index.6.html" href="index.html" … href="index.7.html" href="index.6.html" aria-current="page">5 href="index.4.html" href="index.3.html" … href="index.1.html" href="index.4.html" ' \
	"slice 5's pager: newer, the front page, a gap, 7 to 3, a gap, 1, older"
[ -f "$TMP/paged/build/people/chen-tao/index.2.html" ]; ok $? "a reporter's articles are paged the same way"
grep -q '<ol class="items" reversed start="5">' "$d/index.5.html"; ok $? "articles are numbered from the oldest, newest first"
is "$(ls "$TMP/paged/build/pages/" | grep -c '^index\.[0-9]*\.html$')" 5 "and so is the list of the five printed pages"
"$BAOKU" check "$TMP/paged/build" 2>/dev/null; ok $? "and every link of the listings leads to a page"
sed -i 's/派出所上线排队查询功能/派出所上线排队查询新功能/' "$TMP/paged/content/003_c616ab6b8247df4d.txt"
"$BAOKU" build -C "$TMP/paged" -q
grep -q '排队查询新功能' "$TMP"/paged/build/districts/yangpu/index*.html; ok $? "a changed headline reaches its listing page on a rebuild"
"$BAOKU" build -C "$TMP/paged" -o "$TMP/paged-fresh" --force -q
diff -r "$TMP/paged/build" "$TMP/paged-fresh" >/dev/null; ok $? "which equals a fresh build"
# a newer article changes the front page and the newest slices, not the
# older ones: they hold the same articles and show nothing of the count
for f in "$d"/index.*.html; do stat -c '%n %i' "$f"; done >"$TMP/slices-before"
mkdir -p "$TMP/paged/content/2099"
printf '松江新闻\n\n本报讯 松江区九亭镇今天又有一件新事。\n' >"$TMP/paged/content/2099/new.txt"
printf -- '---\ndate: 2099-01-01\n---\n' | cat - "$TMP/paged/content/2099/new.txt" >"$TMP/new" && mv "$TMP/new" "$TMP/paged/content/2099/new.txt"
"$BAOKU" build -C "$TMP/paged" -q
for f in "$d"/index.*.html; do stat -c '%n %i' "$f"; done >"$TMP/slices-after"
is "$(ls "$d"/index.*.html | wc -l)" 9 "a ninth article of 松江 makes a ninth slice"
is "$(comm -12 "$TMP/slices-before" "$TMP/slices-after" | wc -l)" 5 "slices 1 to 5 are left as they were (the pagers of 6 to 8 reach the newest)"
grep -q '今天又有一件新事' "$d/index.html" && grep -q '今天又有一件新事' "$d/index.9.html"
ok $? "the new article is on the front page and in the newest slice"
"$BAOKU" build -C "$TMP/paged" -o "$TMP/paged-fresh2" --force -q
diff -r "$TMP/paged/build" "$TMP/paged-fresh2" >/dev/null; ok $? "which equals a fresh build"
rm -rf "$TMP/paged/content/2099" "$TMP/paged-fresh2"
mkdir -p "$TMP/paged/content/青年报/2024-02-23"
printf '九亭镇心家园启用\n\n■记者 陈涛\n\n本报讯 松江区九亭镇的党群服务中心昨天启用。\n' >"$TMP/paged/content/青年报/2024-02-23/A1.txt"
"$BAOKU" build -C "$TMP/paged" -q
sed -i 's/心家园启用/心家园今天启用/' "$TMP/paged/content/青年报/2024-02-23/A1.txt"
"$BAOKU" build -C "$TMP/paged" -q
grep -q '心家园今天启用' "$TMP/paged/build/dates/2024-02.html"; ok $? "and its month's page"
grep -q '心家园今天启用' "$TMP"/paged/build/people/chen-tao/*.html; ok $? "and its reporter's page"
rm -rf "$TMP/paged-fresh"
"$BAOKU" build -C "$TMP/paged" -o "$TMP/paged-fresh" --force -q
diff -r "$TMP/paged/build" "$TMP/paged-fresh" >/dev/null; ok $? "which again equals a fresh build"

# an empty archive still builds
mkdir -p "$TMP/empty/content"
cp -r templates static "$TMP/empty/"
"$BAOKU" build -C "$TMP/empty" -q; ok $? "an empty content/ builds"
grep -q '还没有版面' "$TMP/empty/build/pages/index.html"; ok $? "and says there is nothing yet"

# an article with no paragraph has no excerpt, and its pages say nothing of it
mkdir -p "$TMP/bare/content/p/2024-04-09"
cp -r templates static "$TMP/bare/"
printf '松江报 2024年4月9日 第01版 要闻\n\n【本报讯】\n' >"$TMP/bare/content/p/2024-04-09/01.txt"
"$BAOKU" build -C "$TMP/bare" 2>"$TMP/bare.err"; ok $? "a page whose article has no text builds"
is "$(grep -c "resolves to nothing" "$TMP/bare.err")" 0 "its article's missing excerpt is no template warning"
done_testing

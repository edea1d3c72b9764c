#!/bin/sh
# The archive read the way the paper was printed, on the two-paper example
# project in tests/papers/ (content/<paper>/<date>/<page>.txt, 版名 from
# each paper's _meta.yml, and one page with neither paper nor date):
# papers, issues, pages, and the links between them.
. tests/run/lib.sh

proj="$TMP/proj"
mkdir -p "$proj"
cp -r tests/papers/content tests/papers/site.yml templates static "$proj/"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "the two-paper archive builds" "$TMP/err"
out="$proj/build"
sj=papers/song-jiang-bao
jx=papers/jia-xing-ri-bao
v() { sed -n '/<main/,/<\/main>/p' "$out/$1"; }
page() { # the view of a page file of content/, by its path without .txt
	python3 -c 'import sys, re
print("pages/" + "".join(chr(b) if re.match(rb"[A-Za-z0-9/_-]", bytes([b])) else "~%02x" % b
      for b in sys.argv[1].encode()) + ".html")' "$1"
}

# papers
[ -f "$out/papers/index.html" ]; ok $? "papers/index.html"
v papers/index.html >"$TMP/v"
grep -q "<a href=\"../$sj/index.html\">松江报</a>" "$TMP/v"; ok $? "it lists 松江报"
grep -q "<a href=\"../$jx/index.html\">嘉兴日报</a>" "$TMP/v"; ok $? "and 嘉兴日报"
grep -q '2024年4月2日 至 2024年4月16日 · 3 期 · 7 个版面' "$TMP/v"; ok $? "a paper's date range, issues and pages"
grep -q "最新一期：<a href=\"../$sj/2024-04-16/index.html\">" "$TMP/v"; ok $? "and its latest issue"
grep -q '<a href="../papers/unnamed/index.html">无报名</a>' "$TMP/v"; ok $? "a page naming no paper is under 无报名, no invented name"
[ -f "$out/papers/unnamed/undated/index.html" ]; ok $? "and with no date, in its 日期不详 issue"

# a paper: its issues by month, with a calendar whose days link
v $sj/index.html >"$TMP/v"
grep -q '<h3>2024 年 4 月</h3>' "$TMP/v"; ok $? "a paper's issues by year and month"
grep -q '<td><a href="2024-04-09/index.html">9</a></td>' "$TMP/v"; ok $? "a day with an issue is a link in the calendar"
grep -q '<td>10</td>' "$TMP/v"; ok $? "a day without one is not"
for d in 2024-04-02 2024-04-09 2024-04-16; do
	[ -f "$out/$sj/$d/index.html" ]; ok $? "issue $d of 松江报"
done
for d in 2024-03-12 2024-03-13; do
	[ -f "$out/$jx/$d/index.html" ]; ok $? "issue $d of 嘉兴日报"
done

# an issue: its pages in page order, labelled, with their articles
v $sj/2024-04-16/index.html >"$TMP/v"
grep -o '<h2><a [^>]*>第0[0-9]版 [^<]*' "$TMP/v" | sed 's/.*>//' | tr '\n' '|' >"$TMP/labels"
is "$(cat "$TMP/labels")" "第01版 要闻|第02版 综合新闻|第03版 九峰副刊|" "an issue's pages in page order, with 版名 from _meta.yml"
p1=$(page 松江报/2024-04-16/01)
grep -q "<a href=\"../../../$p1\">第01版 要闻</a>" "$TMP/v"; ok $? "each links to its page view"
grep -q '<a href="../../../articles/[0-9a-f]*/[0-9a-f]*.html">松江区车墩镇党群服务中心正式启用</a>' "$TMP/v"
ok $? "and lists its articles, linked to their pages"
grep -q 'rel="prev" href="../../../papers/song-jiang-bao/2024-04-09/index.html"' "$TMP/v"; ok $? "the previous issue"
v $sj/2024-04-02/index.html | grep -q 'rel="next" href="../../../papers/song-jiang-bao/2024-04-09/index.html"'
ok $? "the next issue"
v $jx/2024-03-12/index.html | grep -q '第A01版 要闻'; ok $? "a lettered page keeps its letter: 第A01版"

# the page list follows the papers' order and says what each page is
cat "$out"/pages/index*.html | grep -q '>嘉兴日报 2024年3月12日 第A01版 要闻</a>'; ok $? "the page list names paper, date and page"
grep -o '>[^<]* 第0*[A-Z]*[0-9]*版[^<]*</a>' "$out/pages/index.html" | tr -d '\n' >"$TMP/front"
is "$(cat "$TMP/front")" ">松江报 2024年4月16日 第01版 要闻</a>>松江报 2024年4月16日 第02版 综合新闻</a>>松江报 2024年4月16日 第03版 九峰副刊</a>" \
	"its front page: the newest issue's pages, in page order"
grep -q "<a href=\"papers/index.html\">报纸</a>" "$out/index.html"; ok $? "every page's header links the papers"

# a page view: named by paper, date and page; turning pages and issues
p1=$(page 松江报/2024-04-09/01)
p2=$(page 松江报/2024-04-09/02)
v "$p1" >"$TMP/v"
grep -q '<title>松江报 2024年4月9日 第01版 要闻 · ' "$out/$p1"; ok $? "a page view's <title> names paper, date and page"
grep -q '<h1>松江报 2024年4月9日 第01版 要闻</h1>' "$TMP/v"; ok $? "and so does its heading"
grep -q "rel=\"next\" href=\"../../../$p2\">下一版 第02版 综合新闻" "$TMP/v"; ok $? "下一版 turns to the next page of the issue"
v "$p2" | grep -q "rel=\"prev\" href=\"../../../$p1\">← 上一版 第01版 要闻"; ok $? "上一版 back to the one before"
v "$p2" | grep -q '下一版'; [ $? -ne 0 ]; ok $? "the last page of an issue has no 下一版"
grep -q '<span aria-current="page">第01版 要闻</span>' "$TMP/v"; ok $? "the issue's page list, this page marked"
grep -q 'rel="prev" href="../../../papers/song-jiang-bao/2024-04-02/index.html">← 上一期' "$TMP/v"; ok $? "the previous issue"
grep -q 'rel="next" href="../../../papers/song-jiang-bao/2024-04-16/index.html">下一期' "$TMP/v"; ok $? "the next issue"
grep -q '<h2><a href="../../../articles/[0-9a-f]*/[0-9a-f]*.html">松江区泗泾镇党群服务中心正式启用</a></h2>' "$TMP/v"
ok $? "each article on the page links to its article page"
grep -q '<p class="cont"><a href="../../../articles/[0-9a-f]*/[0-9a-f]*.html">下转第2版</a></p>' "$TMP/v"; ok $? "下转 is a link to the other half"
v "$p2" | grep -q '<p class="cont"><a href="../../../articles/[0-9a-f]*/[0-9a-f]*.html">上接第1版</a></p>'; ok $? "and 上接 back"
grep -q '<a class="reporter" href="../../../people/chen-tao/index.html">陈涛</a>' "$TMP/v"; ok $? "reporters link to their pages"
grep -n '松江报/2024-04-09/01.txt' "$TMP/v" | cut -d: -f1 >"$TMP/at"
d=$(grep -n '<details class="page-source">' "$TMP/v" | cut -d: -f1)
[ -n "$d" ] && [ "$(head -1 "$TMP/at")" -gt "$d" ]; ok $? "the source file only in the details, not before"
v "$(page 零散/剪报)" | grep -q '<a href="../../papers/unnamed/index.html">无报名</a> › <a href="../../papers/unnamed/undated/index.html">日期不详</a>'
ok $? "a page with no paper and no date says so"

# the paper everywhere: listings, article pages, search, the home page
item='<span class="item-meta">松江报 · <time datetime="2024-04-16">2024-04-16</time> · <a href="[./]*pages/[^"]*/2024-04-16/01.html">第01版 要闻</a>'
v index.html | grep -q "$item"; ok $? "home's items show paper · date · page, the page linked"
v districts/songjiang/index.html | grep -q "$item"; ok $? "so do a district's"
v dates/2024-04.html | grep -q "$item"; ok $? "a month's"
v people/chen-tao/index.html | grep -q '<span class="item-meta">松江报 · <time'; ok $? "and a person's"
a=$(grep -l '<h1>松江区泗泾镇党群服务中心正式启用</h1>' "$out"/articles/*/*.html)
[ -n "$a" ]; ok $? "an article page has its title as <h1>"
grep -q '松江报 · <time datetime="2024-04-09">2024-04-09</time> · 第01版 要闻' "$a"; ok $? "and says paper · date · page"
grep -q "href=\"../../$p1#a-" "$a"; ok $? "with a link to its place in the page view"
cat "$out"/search/seg-0/docs-*.js | grep -q '"松江报","第01版 要闻"'; ok $? "search results carry paper and page"
v index.html | grep -q "最新一期 <a href=\"$sj/2024-04-16/index.html\">"; ok $? "the home page shows each paper's latest issue"

"$BAOKU" check "$out" 2>"$TMP/err"; ok $? "every link resolves ($(cat "$TMP/err"))"
# what listings lacked
v people/index.html | grep -o 'people/[a-z-]*/index.html' | tr '\n' ' ' >"$TMP/order"
is "$(cat "$TMP/order")" "people/chen-tao/index.html people/cheng-jia-jia/index.html people/fan-qian-qian/index.html people/wang-jia-xuan/index.html people/wang-yan-ming/index.html " \
	"people in pinyin order (陈 chen before 成 cheng, 王 wang before 汪 wang-y)"
grep -q '<ol class="items" reversed start="6">' "$out/districts/songjiang/index.2.html"; ok $? "a listing's slice 2 is index.2.html, its 4th to 6th oldest articles numbered so"
grep -q '<ol class="pages" reversed start="6">' "$out/pages/index.2.html"; ok $? "the page list's too"
[ -f "$out/people/chen-tao/index.2.html" ]; ok $? "a person's page 2 has the same name"
v dates/2024-04.html | grep -q '<a rel="prev" href="2024-03.html">← 2024 年 3 月</a>'; ok $? "a month links the month before"
v dates/2024-03.html | grep -q '<a rel="next" href="2024-04.html">2024 年 4 月 →</a>'; ok $? "and the month after"
[ -f "$out/dates/undated.html" ]; ok $? "dates/undated.html while one page is undated"
grep -q '<link rel="icon" href="static/favicon.svg"' "$out/index.html" && [ -f "$out/static/favicon.svg" ]; ok $? "a favicon"
grep -q '<h1>' "$a"; ok $? "article pages have an <h1>"
dated="$TMP/dated"
cp -r "$proj" "$dated" && rm -rf "$dated/build" "$dated/.build.baoku" "$dated/.baoku-cache" "$dated/content/零散" \
	"$dated/published.tsv"
printf 'base_url: https://example.org/archive\n' >>"$dated/site.yml"
"$BAOKU" build -C "$dated" -q 2>/dev/null; ok $? "with base_url, and every page dated, it builds"
[ ! -f "$dated/build/dates/undated.html" ]; ok $? "no undated page when nothing is undated"
grep -q 'dates/undated' "$dated/build/dates/index.html"; [ $? -ne 0 ]; ok $? "and no link to one"
grep -q '<a class="feed" href="feed.xml" type="application/atom+xml">' "$dated/build/index.html"; ok $? "a visible RSS link on the home page"
grep -q '<a class="feed" href="feed.xml" type="application/atom+xml">订阅松江' "$dated/build/districts/songjiang/index.html"; ok $? "and on a district's"
grep -q '<link rel="stylesheet" href="https://example.org/archive/static/style.css">' "$dated/build/404.html" &&
	grep -q 'href="https://example.org/archive/index.html">首页' "$dated/build/404.html"
ok $? "404.html links absolutely with base_url, so it works for any missing deep URL"
grep -q 'href="static/style.css"' "$out/404.html"; ok $? "and relatively without (at the root)"
"$BAOKU" check "$dated/build" 2>"$TMP/err"; ok $? "every link resolves ($(cat "$TMP/err"))"

# 引用本文: GB/T 7714 for a newspaper article, with its URL when there is one
grep -qh '<span id="citation">王佳萱. 松江区佘山镇举办春季招聘会\[N\]. 松江报, 2024-04-02(02).</span>' "$out"/articles/*/*.html
ok $? "an article page cites it: 作者. 题名[N]. 报纸名, 出版日期(版次)."
grep -qh '<span id="citation">成佳佳. 车墩镇老旧小区加装电梯提速\[N\]. 松江报, 2024-04-16(02).</span>' "$out"/articles/*/*.html
ok $? "the continuation on 第02版 is cited with the byline printed on 第01版"
grep -qhE '<span id="citation">王佳萱. 松江区佘山镇举办春季招聘会\[N/OL\]. 松江报, 2024-04-02\(02\). https://example.org/archive/articles/[0-9a-f]{2}/[0-9a-f]{16}.html.</span>' "$dated/build"/articles/*/*.html
ok $? "[N/OL] and its URL with base_url"
grep -q 'data-copy="citation"' "$a" && [ -f "$out/static/cite.js" ]; ok $? "with a copy button and its script"

# scans beside page files (issue 2024-04-16 of 松江报 has 01.jpg, 02.png
# and 03.pdf): published under scans/, with a preview in the page view and
# a thumbnail on the issue's page, both WebP made at build time
webp_width() { # the width a WebP file says it has, from its header
	python3 -c 'import sys
b = open(sys.argv[1], "rb").read(32)
if b[:4] != b"RIFF" or b[8:12] != b"WEBP": print("not WebP"); sys.exit()
kind = b[12:16]
if kind == b"VP8 ": print(int.from_bytes(b[26:28], "little") & 0x3fff)
elif kind == b"VP8L": print((int.from_bytes(b[21:25], "little") & 0x3fff) + 1)
elif kind == b"VP8X": print(int.from_bytes(b[24:27], "little") + 1)' "$1"
}
slug() { page "$1" | sed 's,^pages/,,; s,\.html$,,'; }
src=tests/papers/content/松江报/2024-04-16
s1=scans/$(slug 松江报/2024-04-16/01)
s2=scans/$(slug 松江报/2024-04-16/02)
s3=scans/$(slug 松江报/2024-04-16/03)
cmp -s "$src/01.jpg" "$out/$s1.jpg" && cmp -s "$src/02.png" "$out/$s2.png" && cmp -s "$src/03.pdf" "$out/$s3.pdf"
ok $? "each scan is published as it is, under scans/ with its page's name"
is "$(webp_width "$out/$s1.240.webp") $(webp_width "$out/$s2.240.webp") $(webp_width "$out/$s3.240.webp")" "240 240 240" \
	"each has a thumbnail, a WebP 240 pixels wide"
is "$(webp_width "$out/$s1.900.webp") $(webp_width "$out/$s2.900.webp") $(webp_width "$out/$s3.900.webp")" "900 900 900" \
	"and a preview 900 wide (the PDF's first page rendered at that width)"
if command -v vipsheader >/dev/null 2>&1; then
	is "$(vipsheader -f width "$out/$s1.240.webp") $(vipsheader -f height "$out/$s1.240.webp")" "240 340" \
		"libvips reads the thumbnail back, in the scan's proportions"
else
	skip "vipsheader (libvips-tools) is not installed"
fi
p1=$(page 松江报/2024-04-16/01)
v "$p1" >"$TMP/v"
grep -q "<a href=\"../../../$s1.jpg\"><img src=\"../../../$s1.900.webp\" alt=\"松江报 2024年4月16日 第01版 要闻 版面图\"></a>" "$TMP/v"
ok $? "the page view shows the preview, named by paper, date and page, linked to the scan"
v "$(page 松江报/2024-04-16/03)" | grep -q "<a href=\"../../../$s3.pdf\">打开版面 PDF</a>"; ok $? "a PDF's page view links the PDF"
v "$(page 松江报/2024-04-09/01)" | grep -q 'class="scan"'; is $? 1 "a page without a scan shows none"
v $sj/2024-04-16/index.html >"$TMP/v"
is "$(grep -c '<a class="thumb" href=' "$TMP/v")" 3 "the issue's page shows a thumbnail for each of its three pages"
grep -q "<img src=\"../../../$s2.240.webp\" alt=\"松江报 2024年4月16日 第02版 综合新闻 版面缩略图\"" "$TMP/v"; ok $? "each named for its page"
v $sj/2024-04-09/index.html | grep -q 'class="thumb"'; is $? 1 "an issue without scans shows none"

# rebuilds: scans are inputs like the pages, their thumbnails are kept
sc="$TMP/scans"
cp -r "$proj" "$sc"
rm -rf "$sc/build" "$sc/.build.baoku" "$sc/.baoku-cache"
"$BAOKU" build -C "$sc" -q 2>/dev/null
thumb="$sc/build/$s1.240.webp"
before=$(stat -c '%i %Y' "$thumb")
"$BAOKU" build -C "$sc" -v 2>"$TMP/err"; grep -q 'is up to date' "$TMP/err"; ok $? "nothing changed: a rebuild is a no-op"
printf '\n本报讯 又一段。\n' >>"$sc/content/松江报/2024-04-16/02.txt"
sleep 1
"$BAOKU" build -C "$sc" -q 2>/dev/null; ok $? "a page changed: it builds"
is "$(stat -c '%i %Y' "$thumb")" "$before" "and keeps the thumbnails, not made again (inode and time unchanged)"
rm "$sc/content/松江报/2024-04-16/01.jpg"
cp "$src/02.png" "$sc/content/松江报/2024-04-16/01.png"
"$BAOKU" build -C "$sc" -v 2>"$TMP/err"; ok_showing $? "a scan replaced: it builds" "$TMP/err"
grep -q 'is up to date' "$TMP/err"; is $? 1 "the scan is an input: the build is no no-op"
cmp -s "$sc/build/$s1.240.webp" "$sc/build/$s2.240.webp"; ok $? "the thumbnail is made again from the new scan"
[ -f "$sc/build/$s1.png" ] && [ ! -e "$sc/build/$s1.jpg" ]; ok $? "which is published in place of the old one"
rm "$sc/content/松江报/2024-04-16/01.png"
"$BAOKU" build -C "$sc" -q 2>/dev/null
[ ! -e "$sc/build/$s1.png" ] && [ ! -e "$sc/build/$s1.240.webp" ]; ok $? "a scan removed: its files go"
v() { sed -n '/<main/,/<\/main>/p' "$1"; }
v "$sc/build/$p1" | grep -q 'class="scan"'; is $? 1 "and its page view no longer shows it"

# a broken scan: a truncated JPEG, a .png that is text, a PDF that is
# none; each a warning naming it, and the build goes on
d9=$sc/content/松江报/2024-04-09
head -c 3000 "$src/01.jpg" >"$d9/01.jpg"
printf '这不是图片。\n' >"$d9/02.png"
printf '%%PDF-1.4\nbroken\n' >"$sc/content/零散/剪报.pdf"
"$BAOKU" build -C "$sc" 2>"$TMP/err"; ok_showing $? "broken scans: the archive builds all the same" "$TMP/err"
for f in 松江报/2024-04-09/01.jpg 松江报/2024-04-09/02.png 零散/剪报.pdf; do
	grep -q "content/$f: warning: cannot make a preview of this scan (.*); it is published without one; replace it with a whole JPEG, PNG, WebP or PDF file" "$TMP/err"
	ok $? "$f: a warning naming it and what to do"
done
b1=scans/$(slug 松江报/2024-04-09/01)
[ -f "$sc/build/$b1.jpg" ] && [ ! -e "$sc/build/$b1.240.webp" ]; ok $? "the broken scan is published, without thumbnails"
v "$sc/build/$(page 松江报/2024-04-09/01)" | grep -q "<a href=\"../../../$b1.jpg\">查看原图</a>"; ok $? "its page view links it"
v "$sc/build/$sj/2024-04-09/index.html" | grep -q 'class="thumb"'; is $? 1 "and its issue shows no thumbnail"
"$BAOKU" check "$sc/build" 2>"$TMP/err"; ok $? "every link resolves ($(cat "$TMP/err"))"

# the path in the forms real exports use, and a folder that only looks
# like a date, in a copy of the project
ex="$TMP/exports"
cp -r "$proj" "$ex" && rm -rf "$ex/build" "$ex/.build.baoku" "$ex/.baoku-cache"
one=tests/papers/content/松江报/2024-04-16/03.txt
mkdir -p "$ex/content/松江报/20240423" "$ex/content/松江报/2024/04/30" "$ex/content/松江报/2024-02-30"
cp "$one" "$ex/content/松江报/20240423/01版.txt"
cp "$one" "$ex/content/松江报/2024/04/30/A01.txt"
cp "$one" "$ex/content/松江报/2024-05-07_02.txt"
cp "$one" "$ex/content/松江报/2024-02-30/01.txt"
"$BAOKU" build -C "$ex" 2>"$TMP/err"; ok_showing $? "an archive with every path form builds" "$TMP/err"
grep -q 'content/松江报/2024-02-30/01.txt: warning: its folder or name looks like a date but is not a real one' "$TMP/err"
ok $? "a folder shaped like a date that is none is a warning with its path"
xo="$ex/build/$sj"
v() { sed -n '/<main/,/<\/main>/p' "$1"; }
v "$xo/2024-04-23/index.html" | grep -q '>第01版 要闻</a>'; ok $? "20240312/01版.txt: date, page 01 and its 版名"
v "$xo/2024-04-30/index.html" | grep -q '>第A01版</a>'; ok $? "2024/03/12/A01.txt: date and page A01"
v "$xo/2024-05-07/index.html" | grep -q '>第02版 综合新闻</a>'; ok $? "2024-03-12_02.txt: date and page 02"
v "$xo/undated/index.html" | grep -q '>第01版 要闻</a>'; ok $? "the page under the false date is its paper's, undated, never given a date"
v "$xo/index.html" | grep -q '日期不详'; ok $? "and the paper's page says it has undated pages"

# a standalone page added in a rebuild is in every page's footer, those
# kept by a key of their own too (a paper's, an issue's, a month's, a
# page view)
ft="$TMP/footer"
mkdir -p "$ft"
cp -r tests/papers/content tests/papers/site.yml templates static "$ft/"
"$BAOKU" build -C "$ft" -q 2>"$TMP/err"; ok_showing $? "the footer's project builds" "$TMP/err"
printf -- '---\ntype: page\n---\n# 关于本站\n\n本报数字版。\n' >"$ft/content/about.md"
"$BAOKU" build -C "$ft" -q 2>"$TMP/err"; ok_showing $? "and builds again with a standalone page" "$TMP/err"
for f in "$sj/index.html" "$sj/2024-04-09/index.html" dates/2024-04.html "$(page 松江报/2024-04-09/01)"; do
	grep -q 'about.html">关于本站</a>' "$ft/build/$f"; ok $? "$f: its footer links the page added"
done

done_testing

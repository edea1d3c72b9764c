#!/bin/sh
# The example project (tests/example/): a paper's page, a Markdown
# correction filed under the paper and a date, an About page and a guide,
# a paper's and a district's intro, site.yml's description and params,
# and one partial (the footer) over the shipped templates, which give the
# rest. The correction must be an article
# like the page's: in its district, its dates, its reporter's page and
# the search index; no raw HTML and no javascript: link may reach the
# output; linked files are copied and every link resolves.
. tests/run/lib.sh

proj="$TMP/example"
cp -r tests/example "$proj"
out="$proj/build"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "the example project builds" "$TMP/err"
[ $? -eq 0 ] || sed 's/^/# /' "$TMP/err"

# the correction: one article, found where its metadata and path put it
fix=$(grep -l '<h1>更正：九亭镇报道中的姓名</h1>' "$out"/articles/*/*.html)
[ -n "$fix" ] && [ "$(echo "$fix" | wc -l)" -eq 1 ]; ok $? "the correction has one article page"
fix=${fix#"$out/"}
grep -q '<div class="markdown"><p>本报3月12日第2版《九亭镇心家园党群服务中心启用》一文中，' "$out/$fix"
ok $? "its body is the Markdown rendered"
grep -q "href=\"../../$fix\">更正：九亭镇报道中的姓名" "$out/districts/songjiang/index.html"
ok $? "it is listed in its district (松江)"
grep -q "href=\"../$fix\">更正：九亭镇报道中的姓名" "$out/dates/2024-03.html"
ok $? "and under its date, 2024-03-13, from its path"
grep -q '<time datetime="2024-03-13">' "$out/$fix" && grep -q '松江报 · ' "$out/$fix"
ok $? "its page shows its paper and date"
grep -q "href=\"../../$fix\">更正" "$out/people/chen-tao/index.html"
ok $? "and its reporter's page lists it"
grep -q '在版面中查看' "$out/$fix"; is $? 1 "it links to no printed page: its page view is itself"
grep -q '更正' "$out/pages/index.html"; is $? 1 "the page list holds printed pages only"
[ ! -e "$out/pages/松江报/2024-03-13" ] && ! ls "$out"/pages/*/*/*更* >/dev/null 2>&1
ok $? "and no page view is written for it"

# its tag has its page, as a reporter has
grep -q "href=\"../../$fix\">更正" "$out/tags/geng-zheng/index.html"; ok $? "its tag's page (tags/geng-zheng) lists it"
grep -q '<a href="../tags/geng-zheng/index.html">更正</a> <span class="count">1</span>' "$out/tags/index.html"; ok $? "tags/index.html lists the tag"
grep -q '<p class="tags">标签 <a href="../../tags/geng-zheng/index.html">更正</a> </p>' "$out/$fix"; ok $? "the article links its tag"

# search: its title and its text are indexed, the article found by them
python3 - "$out/search" "$fix" <<'PY' >"$TMP/search" 2>&1
import json, re, sys, glob
d, want = sys.argv[1], sys.argv[2]
docs = {}  # segment number: its documents, from its first
for f in glob.glob(d + "/seg-*/docs-*.js"):
    m = re.search(r"\((\d+),(\d+),(.*)\)", open(f, encoding="utf-8").read(), re.S)
    docs.setdefault(int(m.group(1)), {})[int(m.group(2))] = json.loads(m.group(3))
docs = {n: [x for c in sorted(cs) for x in cs[c]] for n, cs in docs.items()}
post = {}  # (segment, token): postings
for f in glob.glob(d + "/seg-*/shard-*.js"):
    m = re.search(r"\((\d+),\d+,(\{.*\})\)", open(f, encoding="utf-8").read(), re.S)
    for tok, p in json.loads(m.group(2)).items():
        post[int(m.group(1)), tok] = p
LAST, CONT = "0123456789abcdefghijklmnopqrstuv", "ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+-."
def found(tok):  # decoded as static/search.js does
    hits = []
    for (seg, t), p in post.items():
        if t != tok:
            continue
        acc, doc = 0, 0
        for c in p:
            if c in CONT:
                acc = acc * 32 + CONT.index(c)
                continue
            acc = acc * 32 + LAST.index(c)
            doc += acc // 4
            hits.append(docs[seg][doc - 1][1])
            acc = 0
    return hits
for tok in ["张三", "李四", "更正", "九亭"]:
    print(tok, "ok" if want in found(tok) else "missing")
pages = [h for h in found("检索") if h.startswith("help/")]
print("guide", "ok" if pages else "missing")
print("about", "missing" if [h for h in found("收录") if h == "about.html"] else "ok")
PY
grep -q '张三 ok' "$TMP/search" && grep -q '李四 ok' "$TMP/search" && grep -q '更正 ok' "$TMP/search"
r=$?; ok $r "search finds the correction by its title and its text"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/search"
grep -q 'guide ok' "$TMP/search"; ok $? "a page with search: true is in the index"
grep -q 'about ok' "$TMP/search"; ok $? "one without is not"

# safety: what the Markdown tried never reaches the output
! grep -rq -e 'raw-html-block' -e 'raw-inline' -e 'onclick' -e '<script>alert' "$out"
ok $? "raw HTML, block and inline, is not in the output"
! grep -rqi -e 'javascript:' -e 'js-link' "$out"; ok $? "nor are the javascript: links"
grep -q '原文见版面，或另一处。' "$out/$fix"; ok $? "the links' text stays"
grep -q "更正.md:13:1: warning: raw HTML is not allowed in Markdown; dropped" "$TMP/err"
ok $? "the raw HTML is a warning at its place"
grep -q "更正.md:15:9: warning: link to 'javascript:alert('js-link')' removed" "$TMP/err"
ok $? "and so is the javascript: link"

# linked files: copied beside the archive, and every link resolves
img="media/松江报/2024-03-13/img/更正.png"
cmp -s "$out/$img" "tests/example/content/松江报/2024-03-13/img/更正.png"; ok $? "an image is copied to $img"
grep -q 'src="../../media/%E6%9D%BE%E6%B1%9F%E6%8A%A5/2024-03-13/img/%E6%9B%B4%E6%AD%A3.png"' "$out/$fix"
ok $? "and the article points at it"
cmp -s "$out/media/help/guide.pdf" tests/example/content/help/guide.pdf && grep -q 'href="media/help/guide.pdf"' "$out/about.html"
ok $? "a page's linked file too"
"$BAOKU" check "$out" 2>"$TMP/check"; ok $? "every link in the archive resolves ($(cat "$TMP/check"))"

# standalone pages: at their paths, in every footer, in the sitemap
grep -q '<h1>关于本站</h1>' "$out/about.html"; ok $? "about.md is about.html, its title from its heading"
guide=$(cd "$out" && ls help/*.html)
grep -q '<h1>使用说明</h1>' "$out/$guide"; ok $? "help/使用说明.md is $guide"
for f in index.html "$fix" districts/songjiang/index.html "$guide"; do
	root=$(echo "$f" | sed 's|[^/]*/|../|g; s|[^/]*$||')
	grep -q "<a href=\"${root}about.html\">关于本站</a> <a href=\"${root}$guide\">使用说明</a>" "$out/$f"
	ok $? "the footer of $f links the pages by weight"
done
grep -q '<loc>https://example.org/archive/about.html</loc>' "$out/sitemap.xml"; ok $? "about.html is in the sitemap"

# the shipped templates, with the project's footer over them
grep -q '<p>松江报档案 · 责任编辑 王芳 · 松江区政府 · 松江图书馆</p>' "$out/index.html"
ok $? "the project's footer partial replaces the shipped one, with site.params"
grep -q 'BANNER' "$out/index.html"; is $? 1 "a params value false is false in a section"
grep -q '<h1>松江</h1>' "$out/districts/songjiang/index.html" && [ -f "$out/static/style.css" ]
ok $? "the other templates and static/ are the shipped ones"

# site.yml's description
grep -q '<meta name="description" content="《松江报》部分版面的数字档案">' "$out/index.html"
ok $? "site.yml's description is every page's meta description"
grep -c '<meta name="description"' "$out/$fix" | grep -qx 1; ok $? "an article page keeps its own, alone"
grep -q '<subtitle>《松江报》部分版面的数字档案</subtitle>' "$out/feed.xml"; ok $? "and the feeds' subtitle"

# intros
grep -q '<div class="intro markdown"><p>松江区位于上海市西南部，是<strong>上海之根</strong>。</p>' "$out/districts/songjiang/index.html"
ok $? "the district's intro is at the top of its page"
grep -q '<div class="intro markdown"><p>《松江报》是松江区的地方报纸。本档案收录其部分版面。</p>' "$out/papers/song-jiang-bao/index.html"
ok $? "the paper's intro is at the top of its paper's page"

# a link to a file that is not there fails the build at the link
printf '![x](img/none.png)\n' >>"$proj/content/松江报/2024-03-13/更正.md"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a link to a missing file fails the build"
grep -q "更正.md:16:6: error: links to .*img/none.png, which is not there" "$TMP/err"; ok $? "naming the link's place ($(head -1 "$TMP/err"))"
grep -q '更正' "$out/index.html"; ok $? "and the last good build stays"

# a page may not take the archive's own names
cp tests/example/content/松江报/2024-03-13/更正.md "$proj/content/松江报/2024-03-13/更正.md"
printf -- '---\ntype: page\n---\nx\n' >"$proj/content/index.md"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; is $? 1 "a page at index.html fails the build"
grep -q "index.md: error: a page here would be index.html, which is the archive's own" "$TMP/err"; ok $? "saying why"
rm "$proj/content/index.md"

# rebuilds: nothing changed, then a linked file changed
"$BAOKU" build -C "$proj" -q && "$BAOKU" build -C "$proj" -v 2>"$TMP/err"
grep -q 'is up to date' "$TMP/err"; ok $? "a rebuild with nothing changed does nothing"
sleep 0.01; printf 'new' >"$proj/content/help/guide.pdf"
"$BAOKU" build -C "$proj" -q; ok $? "a changed linked file rebuilds"
is "$(cat "$out/media/help/guide.pdf")" "new" "and is copied again"
"$BAOKU" build -C "$proj" -o "$TMP/fresh" -q
diff -r "$out" "$TMP/fresh" >/dev/null; ok $? "the rebuild equals a fresh build"

done_testing

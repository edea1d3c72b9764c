#!/bin/sh
# URLs that last: an article's URL survives a corrected headline and a
# renamed page file; a URL that still disappears leaves a redirect page to
# its successor, from the manifest of what was published (published.tsv),
# which outlives the output; chains collapse; the old ids and listing
# names of before are redirected once; redirect pages are in no sitemap,
# feed or search index, and every link of the result resolves.
. tests/run/lib.sh

proj="$TMP/proj"
mkdir -p "$proj"
cp -r tests/papers/content tests/papers/site.yml templates static "$proj/"
echo 'base_url: https://example.org/archive' >>"$proj/site.yml"
out="$proj/build"
day="$proj/content/松江报/2024-04-09"
build() { "$BAOKU" build -C "$proj" -q 2>"$TMP/err"; }
# the article page whose <h1> is $1, printed on a page whose view's name
# ends in $2 (2024-04-09/01.html: a continued article has two halves)
article() {
	grep -l "<h1[^>]*>$1</h1>" "$out"/articles/*/*.html | xargs grep -l "${2:-2024-04-09/01.html}" |
		head -1 | sed "s|^$out/||"
}
# where the redirect page $1 leads (its meta refresh), as a path under the output
target() {
	python3 - "$out" "$1" <<'PY'
import os, re, sys
out, page = sys.argv[1], sys.argv[2]
m = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', open(os.path.join(out, page)).read())
print(os.path.normpath(os.path.join(os.path.dirname(page), m.group(1))) if m else "")
PY
}
is_redirect() { grep -q 'http-equiv="refresh"' "$out/$1" && grep -q 'name="robots" content="noindex"' "$out/$1"; }

build; ok $? "the two-paper archive builds"
[ -f "$proj/published.tsv" ]; ok $? "and writes the manifest of what it published at the project's root"
a=$(article 泗泾镇老旧小区加装电梯提速)
[ -n "$a" ] && [ -f "$out/$a" ]; ok $? "an article page ($a)"
view=$(grep -o 'href="[^"]*pages/[^"]*2024-04-09/01.html' "$out/$a" | head -1 | sed 's|^href="\(\.\./\)*||')
[ -n "$view" ] && [ -f "$out/$view" ]; ok $? "its page view ($view)"
is "$view" "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/01.html" "a page view is named by paper, date and page"
grep -q "^$a	article		[0-9a-f]*	松江报	2024-04-09	01	[0-9a-f]\{8\}	泗泾镇老旧小区加装电梯提速\$" "$proj/published.tsv"
ok $? "the manifest names the article with its id, paper, date, page, fingerprint and title"
grep -q "^$view	page			松江报	2024-04-09	01		\$" "$proj/published.tsv"; ok $? "and the page view with its place"
! grep -q '	redirect	' "$proj/published.tsv"; ok $? "a first build redirects nothing"

# a corrected headline keeps the URL
sed -i 's/^泗泾镇老旧小区加装电梯提速$/泗泾镇老旧小区加装电梯再提速/' "$day/01.txt"
build; ok $? "a corrected headline builds"
is "$(article 泗泾镇老旧小区加装电梯再提速)" "$a" "the article keeps its URL"
! is_redirect "$a"; ok $? "which is the article, no redirect"

# a renamed page file keeps every URL
mv "$day/01.txt" "$day/A01.txt"
build; ok $? "01.txt renamed A01.txt builds"
is "$(article 泗泾镇老旧小区加装电梯再提速)" "$a" "the article keeps its URL"
[ -f "$out/$view" ] && ! is_redirect "$view"; ok $? "and the page view its own"
mv "$day/A01.txt" "$day/01版.txt"
build; ok $? "and renamed 01版.txt builds"
is "$(article 泗泾镇老旧小区加装电梯再提速)" "$a" "the article still keeps its URL"
[ -f "$out/$view" ] && ! is_redirect "$view"; ok $? "and the page view its own"
mv "$day/01版.txt" "$day/01.txt"

# two files of one printed page: the later one publishes under its path
cp "$day/02.txt" "$day/A02.txt"
build; ok $? "two files of one printed page build"
grep -q 'A02.txt: warning: the same paper, date and page as 松江报/2024-04-09/02.txt' "$TMP/err" ||
	"$BAOKU" build -C "$proj" --force 2>&1 | grep -q 'A02.txt: warning: the same paper, date and page as 松江报/2024-04-09/02.txt'
ok $? "with a warning naming both"
[ -f "$out/pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/A02.html" ]; ok $? "the later one's view is named by its path"
"$BAOKU" check -C "$proj" >/dev/null; ok $? "every link resolves"
rm "$day/A02.txt"

# an article deleted: its URL leads to its printed page
python3 - "$day/01.txt" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
open(p, "w").write(t[:t.index("泗泾镇老旧小区加装电梯再提速")])
PY
build; ok $? "an article taken out of its page builds"
is_redirect "$a"; ok $? "its URL is a redirect page"
is "$(target "$a")" "$view" "to the view of its printed page"
grep -q "<link rel=\"canonical\" href=\"https://example.org/archive/$view\">" "$out/$a"; ok $? "canonical, absolute with base_url"
grep -q "<a href=\"../../$view\">" "$out/$a"; ok $? "and a visible link"
grep -q "^$a	redirect	$view	[0-9a-f]*	松江报	2024-04-09	01	" "$proj/published.tsv"; ok $? "the manifest keeps it, as a redirect with its identity"

# a page deleted: its articles and its view lead on
b=$(article 佘山镇开展垃圾分类宣传)
[ -z "$b" ] && b=$(grep -l '2024-04-09/02.html' "$out"/articles/*/*.html | head -1 | sed "s|^$out/||")
view2="pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/02.html"
rm "$day/02.txt"
build; ok $? "a page file deleted builds"
is_redirect "$view2"; ok $? "its view's URL is a redirect page"
t=$(target "$view2"); [ -n "$t" ] && [ -f "$out/$t" ] && ! is_redirect "$t"; ok $? "to a page that is there ($t)"
is_redirect "$b"; ok $? "so is the URL of an article on it"
t=$(target "$b"); [ -n "$t" ] && [ -f "$out/$t" ]; ok $? "to a page that is there ($t)"

# the manifest outlives the output and the cache
rm -rf "$out" "$proj/.baoku-cache"
build; ok $? "a build from nothing builds"
is_redirect "$a" && is_redirect "$view2"; ok $? "and keeps every redirect, from the manifest"

# URLs of before these ids and names: hand-made manifest lines
z=$(article 松江区泗泾镇党群服务中心正式启用)
cat >>"$proj/published.tsv" <<'TSV'
articles/ab/abcdef0123456789.html	article		abcdef0123456789	松江报	2024-04-09	01		松江区泗泾镇党群服务中心正式启用
districts/songjiang/page-2.html	html							
old/x.html	redirect	old/y.html						
old/y.html	redirect	articles/cd/cdef0123456789ab.html						
articles/cd/cdef0123456789ab.html	redirect	$Z						
TSV
sed -i "s|\\\$Z|$z|" "$proj/published.tsv"
printf 'broken line\twith three\n' >>"$proj/published.tsv"
"$BAOKU" build -C "$proj" 2>"$TMP/err"; ok_showing $? "a manifest with a damaged line builds" "$TMP/err"
n=$(grep -c 'published.tsv' "$TMP/err")
is "$n" 1 "one warning"
grep -q "published.tsv:[0-9]*:[0-9]*: warning: 'broken line' is no page of the output" "$TMP/err"; ok $? "at its line and column"
is "$(target articles/ab/abcdef0123456789.html)" "$z" "an old id leads to the article with the same place and title"
is "$(target districts/songjiang/page-2.html)" "districts/songjiang/index.2.html" "an old listing name to its new one"
is "$(target old/x.html)" "$z" "a chain collapses: each redirect leads to the end"
grep -q "^old/x.html	redirect	$z	" "$proj/published.tsv"; ok $? "in the manifest too"

# without a manifest, the live output is what was published
mkdir -p "$out/articles/12"
cp "$out/$z" "$out/articles/12/1234567890abcdef.html"
rm "$proj/published.tsv"
"$BAOKU" build -C "$proj" -q --force 2>"$TMP/err"; ok_showing $? "without a manifest it builds" "$TMP/err"
is_redirect articles/12/1234567890abcdef.html; ok $? "a page of the live output it no longer makes is a redirect"
is_redirect "$a" && is_redirect old/x.html; ok $? "and so are those that were"

# no redirect page in the sitemap, a feed or the search index
! grep -q 'abcdef0123456789\|old/x.html\|page-2.html\|1234567890abcdef' "$out/sitemap.xml" "$out/feed.xml" "$out"/search/*.js
ok $? "redirects are in no sitemap, feed or search index"
"$BAOKU" check -C "$proj" >"$TMP/check"; ok $? "every link resolves, the redirect pages' too"

# a one-page rebuild leaves the redirect pages as they were
ino=$(stat -c %i "$out/old/x.html")
echo >>"$proj/content/松江报/2024-04-16/01.txt"
build; ok $? "a one-page rebuild"
is "$(stat -c %i "$out/old/x.html")" "$ino" "keeps an unchanged redirect page"
cp "$proj/published.tsv" "$TMP/m1"
build
cmp -s "$proj/published.tsv" "$TMP/m1"; ok $? "the manifest is the same bytes when nothing changed"

# a rebuild whose manifest rows are made from what the last build's were
# neither reads nor writes the manifest; a change to any row writes it as
# a build that reads it would (its memo gone, in a copy of the project)
p2="$TMP/p2"
mkdir -p "$p2"
cp -r tests/papers/content tests/papers/site.yml templates static "$p2/"
b2() { "$BAOKU" build -C "$p2" -v 2>"$TMP/v2"; }
as_before() { grep -q 'the manifest (published.tsv) is as before: not written again' "$TMP/v2"; }
same_as_read() {
	rm -rf "$TMP/r2"
	cp -a "$p2" "$TMP/r2"
	rm -f "$TMP/r2/.baoku-cache/published"
	"$BAOKU" build -C "$TMP/r2" -q 2>/dev/null && cmp -s "$p2/published.tsv" "$TMP/r2/published.tsv"
}
p2page="$p2/content/松江报/2024-04-16/01.txt"
b2; ok_showing $? "an archive that redirects nothing builds" "$TMP/v2"
! as_before; ok $? "its first build writes the manifest"
printf '\n据悉，中心周末照常开放。\n' >>"$p2page"
stamp=$(stat -c '%i %Y.%y' "$p2/published.tsv")
: >"$p2/published.tsv.tmp" # as a build killed while writing it leaves it
b2 && as_before; ok_showing $? "a paragraph added at a page's end changes no row: the manifest is not written again" "$TMP/v2"
is "$(stat -c '%i %Y.%y' "$p2/published.tsv")" "$stamp" "the same file, untouched"
[ ! -e "$p2/published.tsv.tmp" ]; ok $? "and a killed build's half-written one is gone"
same_as_read; ok $? "and it is the one a build that reads it writes"
sed -i 's/^松江区车墩镇党群服务中心正式启用$/车墩镇党群服务中心启用/' "$p2page"
b2 && ! as_before; ok_showing $? "a headline changed changes its article's row: the manifest is written" "$TMP/v2"
grep -q '	车墩镇党群服务中心启用$' "$p2/published.tsv"; ok $? "with the new headline"
same_as_read; ok $? "as a build that reads it writes it"
printf '\n据悉，中心周末照常开放。\n' >>"$p2/content/松江报/2024-04-09/01.txt"
b2 && as_before; ok_showing $? "a rebuild after it, no row changed, writes it no more" "$TMP/v2"
rm "$p2/content/松江报/2024-04-16/03.txt"
b2 && ! as_before; ok_showing $? "a page gone: the manifest is written" "$TMP/v2"
grep -q '	redirect	' "$p2/published.tsv"; ok $? "with the redirects of its URLs"
same_as_read; ok $? "as a build that reads it writes it"
gone=$(grep '	redirect	' "$p2/published.tsv" | head -1 | cut -f1)
ino=$(stat -c %i "$p2/build/$gone")
printf '\n据悉，中心周末照常开放。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && as_before; ok_showing $? "with redirects, a rebuild that changes no row finds the manifest as before" "$TMP/v2"
grep -q 'http-equiv="refresh"' "$p2/build/$gone" &&
	grep -q 'name="robots" content="noindex"' "$p2/build/$gone"
ok $? "its redirect pages are still there ($gone)"
is "$(stat -c %i "$p2/build/$gone")" "$ino" "kept as they were"
same_as_read; ok $? "and the manifest is the one a build that reads it writes"
printf 'x\tx\tx\n' >>"$p2/.baoku-cache/published.redirects"
printf '\n另据悉。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && ! as_before; ok_showing $? "its list of redirects damaged: the manifest is read again" "$TMP/v2"
same_as_read; ok $? "and written as before"
printf '\n又据悉。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && as_before; ok_showing $? "the list made again: the next rebuild finds it as before" "$TMP/v2"
# a redirect's target's headline changed, and a list of redirects left
# from an older manifest; the redirect pages as the full path makes them
same_pages_as_read() {
	same_as_read || return 1
	for f in $(awk -F'\t' '$2 == "redirect" { print $1 }' "$p2/published.tsv"); do
		cmp -s "$p2/build/$f" "$TMP/r2/build/$f" || { echo "# differs: $f"; return 1; }
	done
}
sed -i '1,/^据介绍/d' "$p2page"
b2 && ! as_before; ok_showing $? "a page's first article taken out" "$TMP/v2"
moved=$(awk -F'\t' '$2 == "redirect" && $3 ~ /^articles\// { print $1; exit }' "$p2/published.tsv")
[ -n "$moved" ]; ok $? "an article's URL redirects to an article ($moved)"
sed -i 's/^车墩镇老旧小区加装电梯提速$/车墩镇老旧小区加装电梯再提速/' "$p2page"
b2 && ! as_before; ok_showing $? "its target's headline changed: written" "$TMP/v2"
grep -q '<title>车墩镇老旧小区加装电梯再提速' "$p2/build/$moved"; ok $? "the redirect shows the new headline"
printf '\n还据悉。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && as_before; ok_showing $? "a rebuild after it finds it as before" "$TMP/v2"
grep -q '<title>车墩镇老旧小区加装电梯再提速' "$p2/build/$moved"; ok $? "and keeps that redirect page"
same_pages_as_read; ok $? "manifest and redirect pages as a build that reads it writes"
cp "$p2/.baoku-cache/published.redirects" "$TMP/list.old"
rm "$p2/content/嘉兴日报/2024-03-13/A01.txt"
b2 && ! as_before; ok_showing $? "another page gone: written" "$TMP/v2"
cp "$TMP/list.old" "$p2/.baoku-cache/published.redirects"
printf '\n更据悉。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && ! as_before; ok_showing $? "a list left from an older manifest: read" "$TMP/v2"
same_pages_as_read; ok $? "and manifest and redirect pages as it writes them"
rm "$p2/.baoku-cache/published.redirects"
mkdir "$p2/.baoku-cache/published.redirects"
printf '\n再据悉。\n' >>"$p2/content/松江报/2024-04-02/01.txt"
b2 && ! grep -q 'error' "$TMP/v2"; ok_showing $? "a list that cannot be read is no error: the manifest is read" "$TMP/v2"
rmdir "$p2/.baoku-cache/published.redirects"

# a page that comes back where its redirect was: the same pages as the
# manifest names, and the same articles, but its row is a page's again
printf -- '---\ntype: page\ntitle: 关于本站\n---\n\n两报的档案。\n' >"$p2/content/about.md"
b2; ok_showing $? "a standalone page added" "$TMP/v2"
mv "$p2/content/about.md" "$TMP/about.md"
b2 && grep -q '^about.html	redirect	' "$p2/published.tsv"; ok $? "then gone: its URL is a redirect"
mv "$TMP/about.md" "$p2/content/about.md"
b2 && ! as_before && grep -q '^about.html	html	' "$p2/published.tsv"
ok_showing $? "then back: the manifest is written, and its row is a page's again" "$TMP/v2"
same_as_read; ok $? "as a build that reads it writes it"

# what no digest sees: a template edited (the same rows, the manifest
# confirmed for the next build); a file of static/ added, gone and back
p3="$TMP/p3"
mkdir -p "$p3"
cp -r tests/papers/content tests/papers/site.yml templates static "$p3/"
b3() { "$BAOKU" build -C "$p3" -v 2>"$TMP/v2"; }
b3; ok_showing $? "a third archive builds" "$TMP/v2"
echo '<!-- -->' >>"$p3/templates/page.mustache"
b3 && ! as_before; ok_showing $? "a template edited: the rows are made again" "$TMP/v2"
printf '\n据悉。\n' >>"$p3/content/松江报/2024-04-16/01.txt"
b3 && as_before; ok_showing $? "the same bytes: the next build finds them as before" "$TMP/v2"
echo '<p>x</p>' >"$p3/static/x.html"
b3 && ! as_before && grep -q '^static/x.html	html	' "$p3/published.tsv"
ok_showing $? "a page of static/ added: the manifest is written" "$TMP/v2"
rm "$p3/static/x.html"
b3 && grep -q '^static/x.html	redirect	' "$p3/published.tsv"; ok $? "then gone: a redirect"
echo '<p>x</p>' >"$p3/static/x.html"
b3 && ! as_before && grep -q '^static/x.html	html	' "$p3/published.tsv"
ok_showing $? "then back, nothing else changed: written, its row a page's again" "$TMP/v2"

done_testing

#!/bin/sh
# Every page type of the built archive, and of the example project, is
# valid HTML, by the W3C Nu HTML
# Checker (vnu.jar from npm, run with Java). `make check` installs it;
# `make test` skips this when it is not there.
. tests/run/lib.sh

vnu=tests/tools/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$vnu" ] || ! command -v java >/dev/null 2>&1; then
	if [ -n "${REQUIRE_TOOLS:-}" ]; then
		echo "not ok 1 - the HTML checker is missing ($vnu, java)"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP no vnu.jar or java; make check installs them"
	exit 0
fi

proj="$TMP/proj"
mkdir -p "$proj"
cp -r content templates static site.yml "$proj/"
"$BAOKU" build -C "$proj" -q; ok $? "the seed archive builds"
out="$proj/build"
for kind in index.html districts/index.html districts/songjiang/index.html \
	districts/jiaxing/nanhu/index.html pages/index.html pages/004_21899192cf01c07e.html 404.html; do
	[ -f "$out/$kind" ]; ok $? "page type $kind is there"
done
n=$(find "$out" -name '*.html' | wc -l)
java -jar "$vnu" --errors-only --format text $(find "$out" -name '*.html' | sort) >"$TMP/vnu" 2>&1
r=$?
ok $r "all $n pages are valid HTML (W3C Nu HTML Checker)"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/vnu" | head -30

# the archive by print, on the two-paper example: papers, a paper, an
# issue, page views with their navigation
pp="$TMP/papers"
mkdir -p "$pp"
cp -r tests/papers/content tests/papers/site.yml templates static "$pp/"
"$BAOKU" build -C "$pp" -q; ok $? "the two-paper archive builds"
for kind in papers/index.html papers/song-jiang-bao/index.html papers/song-jiang-bao/2024-04-09/index.html \
	papers/unnamed/undated/index.html; do
	[ -f "$pp/build/$kind" ]; ok $? "page type $kind is there"
done
n=$(find "$pp/build" -name '*.html' | wc -l)
java -jar "$vnu" --errors-only --format text $(find "$pp/build" -name '*.html' | sort) >"$TMP/vnu" 2>&1
r=$?
ok $r "all $n pages of the two-paper archive are valid HTML"
# the example project: Markdown articles, pages and intros, tags
ex="$TMP/example"
cp -r tests/example "$ex"
"$BAOKU" build -C "$ex" -q 2>/dev/null; ok $? "the example project builds"
n=$(find "$ex/build" -name '*.html' | wc -l)
java -jar "$vnu" --errors-only --format text $(find "$ex/build" -name '*.html' | sort) >"$TMP/vnu" 2>&1
r=$?
ok $r "all its $n pages are valid HTML"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/vnu" | head -30
done_testing

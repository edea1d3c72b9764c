#!/bin/sh
# The archive in a real browser (Debian's Chromium driven by playwright-core
# from npm), over file:// and http://: a reader's walk, and searches whose
# results must equal what tests/tools/search_oracle.py computes apart (the
# queries of tests/search/seeds.tsv on the seed archive, and the query set
# tests/search/queries.tsv on the seeds, the labelled corpus and the
# two-paper example together, and tests/search/segments.tsv on 27,000
# generated articles, whose index has several segments); the walk by
# print on tests/papers (paper -> issue -> page -> next page -> article ->
# back, at 1280 and 390 px); and screenshots of home, a district
# and an article at phone and desktop widths into build/screenshots/ (or
# .obj/screenshots/ before the first build).
# `make check` installs both; `make test` skips this when they are missing.
dir=tests/tools/node_modules/playwright-core
if [ ! -d "$dir" ] || [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
	if [ -n "${REQUIRE_TOOLS:-}" ]; then
		echo "not ok 1 - chromium or playwright-core is missing"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP no chromium or playwright-core; make check installs them"
	exit 0
fi
: "${BAOKU:=bin/baoku}"
case "$BAOKU" in /*) ;; *) BAOKU="$PWD/$BAOKU" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baoku-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/proj"
cp -r content templates static site.yml "$tmp/proj/"
"$BAOKU" build -C "$tmp/proj" -q || { echo "not ok 1 - the archive builds"; echo "1..1"; exit 1; }
# screenshots go into build/ when it is an archive (a directory baoku did
# not make would stop the next build), else into .obj/
shots=.obj/screenshots
[ -f build/.baoku-build ] && shots=build/screenshots
"$BAOKU" parse --json "$tmp"/proj/content/*.txt >"$tmp/articles.json"
python3 tests/tools/search_oracle.py "$tmp/articles.json" data/t2s.tsv tests/search/seeds.tsv \
	>"$tmp/expected.json"
# each walk speaks TAP; their tests are numbered on, under one plan
node tests/tools/walk.mjs "$tmp/proj/build" "$shots" "$tmp/expected.json" >"$tmp/walk.tap"
rc=$?
# the archive by print: papers -> a paper -> an issue -> its first page ->
# the next page -> an article -> back, on the two-paper example project
mkdir -p "$tmp/papers"
cp -r tests/papers/content tests/papers/site.yml templates static "$tmp/papers/"
if "$BAOKU" build -C "$tmp/papers" -q; then
	node tests/tools/walk_papers.mjs "$tmp/papers/build" "$shots" 松江报 >>"$tmp/walk.tap" || rc=1
else
	echo "not ok 1 - the two-paper archive builds" >>"$tmp/walk.tap"
	rc=1
fi
# searches the archive of project $1 in Chromium for the queries of $2,
# each to find what tests/tools/search_oracle.py finds in its pages
search_set() {
	find "$1/content" -name '*.txt' | sort | xargs "$BAOKU" parse --json -C "$1" >"$1.json"
	python3 tests/tools/search_oracle.py "$1.json" data/t2s.tsv "$2" >"$1-expected.json"
	node tests/tools/walk.mjs "$1/build" "$shots" "$1-expected.json" --search-only \
		>>"$tmp/walk.tap"
}
# the query set, on one archive of the seeds, the corpus and both papers
mkdir -p "$tmp/set/content/corpus"
cp -r templates static site.yml "$tmp/set/"
cp content/*.txt "$tmp/set/content/"
cp tests/corpus/*.txt "$tmp/set/content/corpus/"
cp -r tests/papers/content/* "$tmp/set/content/"
if "$BAOKU" build -C "$tmp/set" -q; then
	search_set "$tmp/set" tests/search/queries.tsv || rc=1
else
	echo "not ok 1 - the query set's archive builds" >>"$tmp/walk.tap"
	rc=1
fi
# the search over segments: some 27,000 generated articles, whose index
# has two segments or more, searched whole (tests/search/segments.tsv)
big="$tmp/big"
python3 tools/corpus.py --articles 25000 --out "$big" >/dev/null
if "$BAOKU" build -C "$big" -q; then
	segs=$(sed 's/.*"segs":\[\[//; s/\]\],.*//' "$big/build/search/meta.js" | tr -cd '[' | wc -c)
	if [ "$segs" -ge 1 ]; then
		echo "ok 1 - the generated archive's search index has $((segs + 1)) segments" >>"$tmp/walk.tap"
	else
		echo "not ok 1 - the generated archive's search index has one segment" >>"$tmp/walk.tap"
		rc=1
	fi
	search_set "$big" tests/search/segments.tsv || rc=1
else
	echo "not ok 1 - the generated archive builds" >>"$tmp/walk.tap"
	rc=1
fi
awk '/^1\.\.[0-9]+$/ { next }
	/^(not )?ok [0-9]+/ { n++; sub(/ok [0-9]+/, "ok " n) }
	{ print }
	END { print "1.." n }' "$tmp/walk.tap"
exit $rc

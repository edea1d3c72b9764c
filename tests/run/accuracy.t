#!/bin/sh
# The reader against the labelled corpus (tests/corpus/, see its README)
# and the seed pages: every label of every page must be met, every page
# must have its labels, and every pattern must be exercised by two pages
# at least.
. tests/run/lib.sh

for f in tests/corpus/*.txt content/*.txt; do
	name=$(basename "$f" .txt)
	[ -f "tests/corpus/$name.expected.json" ] || [ -f "tests/regress/segment/$name.json" ]
	ok $? "$name has its labels"
done

python3 tools/accuracy.py --baoku "$BAOKU" --require -v tests/corpus/*.txt content/*.txt >"$TMP/score" 2>&1
r=$?
ok $r "every label of every page is met"
[ $r -eq 0 ] || grep -e '^    ' -e '^total' -e 'checks' "$TMP/score" | head -60 | sed 's/^/# /'
tail -n 1 "$TMP/score" | sed 's/^/# /'

python3 tools/accuracy.py --coverage --require tests/corpus/*.txt >"$TMP/cover" 2>&1
r=$?
ok $r "every pattern is on two pages at least"
[ $r -eq 0 ] || sed 's/^/# /' "$TMP/cover"

# the scorer can fail: a label that is not met is reported
cp tests/corpus/beijing-01.txt "$TMP/p.txt"
sed 's/"title": "让好戏常演 让剧场常满"/"title": "另一个标题"/' tests/corpus/beijing-01.expected.json >"$TMP/p.expected.json"
python3 tools/accuracy.py --baoku "$BAOKU" --require "$TMP/p.txt" >/dev/null 2>&1
[ $? -ne 0 ]; ok $? "a label that is not met fails the score"
done_testing

#!/bin/sh
# Segmentation of the seed pages: each page's articles as JSON must match
# the reviewed tests/regress/segment/PAGE.json exactly; the JSON of all
# pages together must parse and carry every documented key; and every
# non-blank line of every page must belong to some article (nothing lost).
. tests/run/lib.sh

for f in content/*.txt; do
	name=$(basename "$f" .txt)
	want=tests/regress/segment/$name.json
	[ -f "$want" ]; ok $? "$name: has its reviewed articles in $want"
	[ -f "$want" ] || continue
	"$BAOKU" parse --json "$f" >"$TMP/out" 2>"$TMP/err"
	ok $? "$name: parses"
	diff -u "$want" "$TMP/out" >"$TMP/diff"; r=$?
	ok $r "$name: the reviewed articles"
	[ $r -eq 0 ] && continue
	sed 's/^/# /' "$TMP/diff" | head -40
done

"$BAOKU" parse --json content/*.txt >"$TMP/all.json"
ok $? "parse --json over all pages"
python3 - "$TMP/all.json" content/*.txt >"$TMP/report" 2>&1 <<'PY'
import json, sys
articles = json.load(open(sys.argv[1]))
keys = {"source", "encoding", "index", "id", "kind", "title", "title_derived", "kicker",
        "subtitle", "reporters", "photographers", "continued_from", "continues_on",
        "dateline", "district", "blocks", "line", "last_line", "original", "label",
        "credits", "spans", "page"}
bad = [a.get("id") for a in articles if not keys <= set(a)]
bad += [a["id"] for a in articles for b in a["blocks"]
        if set(b) != {"type", "text", "caption", "credit", "line"} or b["type"] not in ("p", "h", "figure")]
print("keys", "ok" if not bad else "missing in %s" % bad)
lost = []
for path in sys.argv[2:]:
    spans = [tuple(s) for a in articles if a["source"] == path for s in a["spans"]]
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.strip() and not any(lo <= n <= hi for lo, hi in spans):
            lost.append("%s:%d" % (path, n))
print("lines", "ok" if not lost else "lost %s" % lost[:10])
ids = [a["id"] for a in articles]
print("ids", "ok" if len(ids) == len(set(ids)) else "duplicate")
PY
ok $? "the JSON parses"
grep -q '^keys ok' "$TMP/report"; ok $? "every article and block has the documented keys"
grep -q '^lines ok' "$TMP/report"; ok $? "every non-blank line belongs to an article"
grep -q '^ids ok' "$TMP/report"; ok $? "article ids are unique"
[ $T_FAILED -eq 0 ] || sed 's/^/# /' "$TMP/report"

# the readable outline
"$BAOKU" parse content/004_21899192cf01c07e.txt >"$TMP/outline"
grep -q '3. 萧山 | 整合资源 推进产业社区治理新模式' "$TMP/outline"; ok $? "the outline lists articles with kicker and title"
grep -q 'figure: 湘家荡科创湖区 / 王佳萱 摄' "$TMP/outline"; ok $? "and figures with their credit"

# districts: the explanation, and the groups a reader would name
"$BAOKU" parse --explain content/004_21899192cf01c07e.txt >"$TMP/explain"
grep -q 'kicker   七星街道' "$TMP/explain" && grep -q '=> 南湖区' "$TMP/explain"
ok $? "--explain shows the names found, where, and the decision"
groups=$(python3 -c 'import json,sys; print(" ".join(sorted({a["district"]["group"] for a in json.load(open(sys.argv[1])) if a["kind"] == "article"})))' "$TMP/all.json")
is "$groups" "台州 嘉兴 杨浦 杭州 松江" "the seed articles fall in 松江, 杨浦, 嘉兴, 台州 and 杭州"
done_testing

#!/bin/sh
# make deploy against a local directory: a copy of the archive, only
# changed files on the second run, deletions confined to the target, and
# a directory that is not an earlier deploy left alone.
. tests/run/lib.sh
if ! command -v rsync >/dev/null 2>&1; then
	[ -n "${REQUIRE_TOOLS:-}" ] && { echo "not ok 1 - rsync is missing"; echo "1..1"; exit 1; }
	echo "1..0 # SKIP no rsync; make check installs it"
	exit 0
fi
proj="$TMP/proj"
mkdir -p "$proj"
cp -r content templates static site.yml "$proj/"
"$BAOKU" build -C "$proj" -q; ok $? "the archive builds"
sh tools/deploy.sh "$proj/build" "$TMP/site" >"$TMP/log" 2>&1; ok $? "deploy to an empty directory"
diff -r "$proj/build" "$TMP/site" >/dev/null; ok $? "the target is a copy of the archive"
sh tools/deploy.sh "$proj/build" "$TMP/site" >"$TMP/log" 2>&1
is "$(grep -c '^baoku deploy: [<>c]f' "$TMP/log")" 0 "a second deploy copies nothing"
echo stale >"$TMP/site/old.html"
rm "$proj/content/000_2376f5b4185b5b77.txt"
"$BAOKU" build -C "$proj" -q
sh tools/deploy.sh "$proj/build" "$TMP/site" >"$TMP/log" 2>&1
[ ! -e "$TMP/site/old.html" ] && [ ! -e "$TMP/site/pages/000_2376f5b4185b5b77.html" ]
ok $? "files that no longer belong are deleted from the target"
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
sh tools/deploy.sh "$proj/build" "$TMP/mine" >"$TMP/log" 2>&1; is $? 1 "a directory that is not a deploy is refused"
[ "$(cat "$TMP/mine/notes.txt")" = keep ]; ok $? "and left as it was"
sh tools/deploy.sh "$proj/build" "" >/dev/null 2>&1; is $? 1 "no target is an error"
done_testing

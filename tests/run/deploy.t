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
sh tools/deploy.sh "$proj/build" "$TMP/site" >"$TMP/log" 2>&1; ok $? "a second deploy succeeds"
is "$(grep -c '^baoku deploy: [<>c]f' "$TMP/log")" 0 "and copies nothing"
echo stale >"$TMP/site/old.html"
rm "$proj/content/000_2376f5b4185b5b77.txt"
"$BAOKU" build -C "$proj" -q; ok $? "the archive builds without a page"
sh tools/deploy.sh "$proj/build" "$TMP/site" >"$TMP/log" 2>&1; ok $? "and deploys"
[ ! -e "$TMP/site/old.html" ]; ok $? "files that no longer belong are deleted from the target"
grep -q 'http-equiv="refresh"' "$TMP/site/pages/000_2376f5b4185b5b77.html"
ok $? "and a page taken out is replaced by its redirect (redirects.h)"
diff -r "$proj/build" "$TMP/site" >/dev/null; ok $? "the target is again a copy of the archive"
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
sh tools/deploy.sh "$proj/build" "$TMP/mine" >"$TMP/log" 2>&1; is $? 1 "a directory that is not a deploy is refused"
[ "$(cat "$TMP/mine/notes.txt")" = keep ]; ok $? "and left as it was"
sh tools/deploy.sh "$proj/build" "" >/dev/null 2>&1; is $? 1 "no target is an error"
sh tools/deploy.sh "$TMP/mine" "$TMP/site2" >/dev/null 2>&1; is $? 1 "a source that is not an archive is an error"
[ ! -e "$TMP/site2" ]; ok $? "and creates nothing"
# rsync failing (here its remote shell) fails the deploy
RSYNC_RSH=false sh tools/deploy.sh "$proj/build" "nohost:site" >"$TMP/log" 2>&1; is $? 1 "a failed rsync fails the deploy"
grep -q "baoku: deployed" "$TMP/log"; is $? 1 "and does not say it deployed"
# hostile and careless targets
if command -v shellcheck >/dev/null 2>&1; then
	shellcheck tools/deploy.sh >"$TMP/sc" 2>&1; ok $? "the deploy script is shellcheck-clean"
	[ $T_FAILED -eq 0 ] || sed 's/^/# /' "$TMP/sc"
else
	skip "shellcheck is missing; make check installs it"
fi
for t in 'site$(touch PWNED)' 'site`touch PWNED`' 'site;touch PWNED'; do
	mkdir -p "$TMP/y" && rm -f "$TMP/y/PWNED"
	cp -r "$proj/build" "$TMP/y/build"
	printf 'deploy_target: "%s"\n' "$t" >"$TMP/y/site.yml"
	(cd "$TMP/y" && sh "$OLDPWD/tools/deploy.sh" build >/dev/null 2>&1)
	[ ! -e "$TMP/y/PWNED" ] && [ ! -e PWNED ]; ok $? "deploy_target $t runs nothing"
	(cd "$TMP/y" && make -s -f "$OLDPWD/Makefile" -n deploy 2>/dev/null | grep -q PWNED)
	is $? 1 "and make deploy does not paste it into a command ($t)"
	rm -rf "$TMP/y"
done
mkdir -p "$TMP/y" && cp -r "$proj/build" "$TMP/y/build"
printf 'deploy_target: %s  # the web root\n' "$TMP/y/www" >"$TMP/y/site.yml"
(cd "$TMP/y" && sh "$OLDPWD/tools/deploy.sh" build >/dev/null 2>&1); ok $? "a # comment after the target"
[ -f "$TMP/y/www/index.html" ]; ok $? "is not part of the path"
mkdir -p "$TMP/a:b" && echo keep >"$TMP/a:b/notes.txt"
sh tools/deploy.sh "$proj/build" "$TMP/a:b" >/dev/null 2>&1; is $? 1 "a local directory with a colon is checked like any other"
[ "$(cat "$TMP/a:b/notes.txt")" = keep ]; ok $? "and not wiped"
sh tools/deploy.sh "$proj/build" "--delete" >/dev/null 2>&1; is $? 1 "a target that looks like an option is refused"
echo file >"$TMP/afile"
sh tools/deploy.sh "$proj/build" "$TMP/afile" >/dev/null 2>&1; is $? 1 "a file as the target is refused"
[ "$(cat "$TMP/afile")" = file ]; ok $? "and left as it was"
done_testing

#!/bin/sh
# baoku init, and the templates and static files shipped with the program:
# a new project builds with them alone, a project's template replaces the
# shipped one of its name and no other, and an installed baoku
# (make install) finds its own.
. tests/run/lib.sh

proj="$TMP/new"
"$BAOKU" init "$proj" 2>"$TMP/err"; ok $? "baoku init makes a project"
[ -f "$proj/site.yml" ] && [ -d "$proj/content" ] && [ -d "$proj/templates" ]
ok $? "with site.yml, content/ and templates/"
is "$(ls -A "$proj/templates")" "" "templates/ is empty: it holds overrides only"
"$BAOKU" init "$proj" 2>"$TMP/err"; is $? 1 "init refuses a directory that is not empty"
grep -q 'already exists and is not an empty directory' "$TMP/err"; ok $? "saying so"
"$BAOKU" init 2>/dev/null; is $? 2 "init without a directory is a usage error"

cp content/003_c616ab6b8247df4d.txt "$proj/content/"
printf -- '---\ntype: page\n---\n# 关于\n\n本站简介。\n' >"$proj/content/about.md"
"$BAOKU" build -C "$proj" -q 2>"$TMP/err"; ok_showing $? "the new project builds with the shipped templates ($(head -1 "$TMP/err"))" "$TMP/err"
out="$proj/build"
[ -f "$out/index.html" ] && [ -f "$out/about.html" ] && [ -f "$out/static/style.css" ] && [ -f "$out/static/search.js" ]
ok $? "its pages, and the shipped static files"
"$BAOKU" check "$out" 2>"$TMP/check"; ok $? "every link resolves ($(cat "$TMP/check"))"

# one template of the project's own replaces the shipped one of its name
mkdir -p "$proj/templates/partials"
sed 's|由 baoku 生成|本地页脚|' templates/partials/footer.mustache >"$proj/templates/partials/footer.mustache"
"$BAOKU" build -C "$proj" -q; ok $? "a project with one partial of its own builds"
grep -q '本地页脚' "$out/index.html" && grep -q '本地页脚' "$out/about.html"; ok $? "its footer is on every page"
grep -q '<form class="site-search"' "$out/index.html"; ok $? "the other partials are still the shipped ones"

# a variable that resolves to nothing: a warning at its place, once
printf '<footer>\n  {{site.title}} · {{site.params.editor}}\n  {{#site.params.none}}x{{/site.params.none}}\n</footer>\n' \
	>"$proj/templates/partials/footer.mustache"
"$BAOKU" build -C "$proj" -j 2 2>"$TMP/err"; ok_showing $? "a name that resolves to nothing does not fail the build" "$TMP/err"
is "$(grep -c "resolves to nothing" "$TMP/err")" 1 "it is one warning, however many pages render it"
grep -q "templates/partials/footer.mustache:2:20: warning: 'site.params.editor' resolves to nothing here" "$TMP/err"
ok $? "at its FILE:LINE:COL ($(grep resolves "$TMP/err"))"
rm "$proj/templates/partials/footer.mustache"
"$BAOKU" build -C "$proj" -q && ! grep -q '本地页脚' "$out/index.html"; ok $? "removing it brings the shipped one back"

# make install puts the templates and static files beside the program
prefix="$TMP/prefix"
if make -s install PREFIX="$prefix" >"$TMP/install" 2>&1; then
	[ -f "$prefix/share/baoku/templates/layout.mustache" ] && [ -f "$prefix/share/baoku/templates/partials/footer.mustache" ] && [ -f "$prefix/share/baoku/static/style.css" ]
	ok $? "make install installs the templates and static files"
	"$prefix/bin/baoku" init "$TMP/p2" 2>/dev/null && cp content/003_c616ab6b8247df4d.txt "$TMP/p2/content/"
	(cd "$TMP" && "$prefix/bin/baoku" build -C p2 -q) 2>"$TMP/err"; ok_showing $? "the installed baoku builds a new project ($(head -1 "$TMP/err"))" "$TMP/err"
	grep -q '由 baoku 生成' "$TMP/p2/build/index.html"; ok $? "with its installed templates"
else
	ok 1 "make install ($(tail -1 "$TMP/install"))"
fi

done_testing

#!/bin/sh
# The command line: version, help, usage errors and exit codes.
. tests/run/lib.sh

out=$("$BAOKU" --version); ok $? "--version exits 0"
case "$out" in "baoku "[0-9]*) r=0 ;; *) r=1 ;; esac; ok $r "--version prints 'baoku N.N.N'"
"$BAOKU" --help >/dev/null; ok $? "--help exits 0"
for cmd in build render check; do
	"$BAOKU" $cmd --help | grep -q "usage: baoku $cmd"; ok $? "$cmd --help prints its usage"
done
"$BAOKU" >/dev/null 2>&1; is $? 2 "no command is a usage error (2)"
"$BAOKU" frobnicate 2>"$TMP/err"; is $? 2 "an unknown command exits 2"
grep -q "unknown command 'frobnicate'" "$TMP/err"; ok $? "and says which"
"$BAOKU" build --nope 2>/dev/null; is $? 2 "an unknown option exits 2"
"$BAOKU" build -j 0 2>"$TMP/err"; is $? 2 "-j 0 exits 2"
grep -q "usage: baoku build" "$TMP/err"; ok $? "and prints the usage line"
"$BAOKU" render 2>/dev/null; is $? 2 "render without a template exits 2"
"$BAOKU" render "$TMP/none.mustache" 2>"$TMP/err"; is $? 1 "a missing template exits 1"
grep -q "none.mustache: error: cannot open" "$TMP/err"; ok $? "naming the file"
"$BAOKU" build -C "$TMP/nowhere" 2>"$TMP/err"; is $? 1 "a project without content/ exits 1"
grep -q "content: error: no content directory" "$TMP/err"; ok $? "and says what is missing"

# an installed baoku finds its data beside it
if [ "${BAOKU##*/}" = baoku ]; then
	make -s install PREFIX="$TMP/prefix" >/dev/null 2>&1; ok $? "make install"
	[ -x "$TMP/prefix/bin/baoku" ] && [ -f "$TMP/prefix/share/man/man1/baoku.1" ] &&
		[ -f "$TMP/prefix/share/baoku/gazetteer.tsv" ]
	ok $? "installs the binary, the man page and the data"
	(cd "$TMP" && "$TMP/prefix/bin/baoku" parse "$OLDPWD/content/004_21899192cf01c07e.txt") >"$TMP/out" 2>&1
	grep -q 'district: 嘉兴 › 南湖区' "$TMP/out"; ok $? "and the installed binary finds its gazetteer"
else
	skip "make install installs the release build, not $BAOKU" 3
fi
done_testing

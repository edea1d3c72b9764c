#!/bin/sh
# Regression pairs for `baoku render`: NAME.mustache with NAME.json (if
# present) must print NAME.out, or fail with exit 1 printing NAME.err.
# Partials live in tests/regress/render/partials.
. tests/run/lib.sh

dir=tests/regress/render
for t in "$dir"/*.mustache; do
	name=${t%.mustache}
	data=
	[ -f "$name.json" ] && data="$name.json"
	"$BAOKU" render --partials "$dir/partials" $( [ -f "$name.strict" ] && echo --strict ) \
		"$t" $data >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ -f "$name.err" ]; then
		is "$rc" 1 "$(basename "$name"): fails with exit 1"
		diff -u "$name.err" "$TMP/err" >"$TMP/diff"; r=$?
		ok $r "$(basename "$name"): the expected error"
		[ $r -eq 0 ] || sed 's/^/# /' "$TMP/diff"
		[ -s "$TMP/out" ]; is $? 1 "$(basename "$name"): prints nothing on stdout"
	else
		is "$rc" 0 "$(basename "$name"): renders"
		diff -u "$name.out" "$TMP/out" >"$TMP/diff"; r=$?
		ok $r "$(basename "$name"): the expected output"
		[ $r -eq 0 ] || sed 's/^/# /' "$TMP/diff"
	fi
done
# data from stdin
printf '{"who":"杨浦"}' | "$BAOKU" render "$dir/hello.mustache" - >"$TMP/out"
is "$(cat "$TMP/out")" "你好,杨浦!" "data from stdin with '-'"
echo '{"who":' | "$BAOKU" render "$dir/hello.mustache" - 2>"$TMP/err"
is $? 1 "invalid JSON exits 1"
grep -q '^<stdin>:2: error: invalid JSON' "$TMP/err"; ok $? "with its position"
done_testing

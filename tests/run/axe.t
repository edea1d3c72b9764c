#!/bin/sh
# Accessibility: axe-core (npm) in Debian's Chromium on one page of every
# kind of three archives (content/, the two-paper project tests/papers/
# and the example project tests/example/, which has standalone pages and
# tags), at 1280 and 390 px and in the dark scheme; no violation axe rates
# serious or critical may remain (tests/tools/axe.mjs).
# `make check` installs the tools; `make test` skips this when they are missing.
case "${BAOKU:-bin/baoku}" in
*-san)
	echo "1..0 # SKIP the sanitizer build writes the same pages as the release build, which this checks"
	exit 0
	;;
esac
tools=tests/tools/node_modules
if [ ! -d "$tools/playwright-core" ] || [ ! -d "$tools/axe-core" ] || [ ! -x /usr/bin/chromium ] ||
	! command -v node >/dev/null 2>&1; then
	if [ -n "${REQUIRE_TOOLS:-}" ]; then
		echo "not ok 1 - chromium, playwright-core or axe-core is missing"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP no chromium, playwright-core or axe-core; make check installs them"
	exit 0
fi
: "${BAOKU:=bin/baoku}"
case "$BAOKU" in /*) ;; *) BAOKU="$PWD/$BAOKU" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baoku-axe.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/main" "$tmp/papers" "$tmp/example"
cp -r content templates static site.yml "$tmp/main/"
cp -r tests/papers/content tests/papers/site.yml templates static "$tmp/papers/"
cp -r tests/example/. "$tmp/example/"
for p in main papers example; do
	if ! "$BAOKU" build -C "$tmp/$p" -q 2>"$tmp/err"; then
		echo "not ok 1 - the $p archive builds"
		sed 's/^/# /' "$tmp/err"
		echo "1..1"
		exit 1
	fi
done
node tests/tools/axe.mjs 松江 "$tmp/main/build" "$tmp/papers/build" "$tmp/example/build"

#!/bin/sh
# Builds the same archives with a given baoku, so that two programs' output
# can be compared byte for byte (a change meant to keep the output as it
# was, such as moving code around, must pass this).
#
#   tools/same-output.sh BAOKU DIR [REF]
#
# Into DIR (emptied first), from nothing (no previous build, no cache):
#
#   seed/          the seed archive, content/ of this tree with its site.yml
#   seed-feeds/    the same with base_url and pretty_urls set, so the
#                  feeds, the sitemap and the other link style are built
#   corpus-N/      a corpus of N articles (SAME_ARTICLES, 10000 by
#                  default) as make bench makes it (tools/corpus.py, pages
#                  of 3 to 8), cached in .obj/same/corpus-N: not in make
#                  bench's .obj/corpus, whose corpora a bench may be using
#
# Each is built from its own project under DIR/.projects (hard links to
# the inputs, with this tree's data/), so the program finds the same
# gazetteer wherever it lies. With REF, a DIR an earlier run filled, the
# trees are then compared with `diff -r`, ignoring only .baoku-build
# (whose id hashes the fingerprint of the program and the paths), and
# the exit status is diff's.
set -eu
[ $# -ge 2 ] || {
	echo "usage: tools/same-output.sh BAOKU DIR [REF]" >&2
	exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
baoku=$(realpath "$1")
[ -x "$baoku" ] || {
	echo "same-output: $1 is not a program" >&2
	exit 2
}
mkdir -p "$2"
out=$(cd "$2" && pwd)
ref=${3:-}
n=${SAME_ARTICLES:-10000}

# The corpus, made once for the same generator and inputs.
proj=$root/.obj/same/corpus-$n
stamp=$proj/.made-by
want="$(cd "$root" && cat tools/corpus.py content/*.txt site.yml templates/*.mustache templates/partials/*.mustache static/* data/gazetteer.tsv data/t2s.tsv | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	echo "same-output: making the corpus of $n articles in $proj" >&2
	(cd "$root" && python3 tools/corpus.py --articles "$n" --per-page 3-8 --out "$proj" >/dev/null)
	echo "$want" >"$stamp"
fi

rm -rf "$out/.projects" "$out/seed" "$out/seed-feeds" "$out/corpus-$n" \
	"$out/.seed.baoku" "$out/.seed-feeds.baoku" "$out/.corpus-$n.baoku"
mkdir -p "$out/.projects"

# project NAME FROM: a project in DIR/.projects/NAME with FROM's inputs
project() {
	p=$out/.projects/$1
	mkdir -p "$p"
	for d in content templates static; do cp -al "$2/$d" "$p/$d"; done
	cp "$2/site.yml" "$p/site.yml"
	cp -al "$root/data" "$p/data"
}

# build NAME: builds DIR/.projects/NAME into DIR/NAME
build() {
	if ! "$baoku" build -q -C "$out/.projects/$1" -o "$out/$1" 2>"$out/.projects/$1.log"; then
		cat "$out/.projects/$1.log" >&2
		echo "same-output: building $1 failed" >&2
		exit 1
	fi
	echo "same-output: $1: $(find "$out/$1" -type f | wc -l) files" >&2
}

project seed "$root"
build seed

project seed-feeds "$root"
sed -i 's/^pretty_urls:.*//' "$out/.projects/seed-feeds/site.yml"
printf 'base_url: https://example.org/archive/\npretty_urls: true\n' >>"$out/.projects/seed-feeds/site.yml"
build seed-feeds

project "corpus-$n" "$proj"
build "corpus-$n"

[ -n "$ref" ] || exit 0
status=0
for t in seed seed-feeds "corpus-$n"; do
	if diff -r -x .baoku-build "$ref/$t" "$out/$t" >"$out/.projects/$t.diff"; then
		echo "same-output: $t: identical" >&2
	else
		head -n 40 "$out/.projects/$t.diff" >&2
		echo "same-output: $t DIFFERS (the whole diff is in $out/.projects/$t.diff)" >&2
		status=1
	fi
done
exit "$status"

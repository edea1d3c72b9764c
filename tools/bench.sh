#!/bin/sh
# make bench: the benchmarks a user can run and trust. Prints the figures
# and keeps them in .obj/bench/results.txt.
#
#   1. the Mustache engine and the district classifier on their own;
#   2. for each corpus size (BENCH_SIZES, default "10000 100000"), a corpus
#      made by tools/corpus.py (cached in .obj/corpus/N) built by baoku:
#      a full build into an empty directory, a rebuild with nothing
#      changed, a rebuild after one page file changed; for each the wall
#      and CPU time, peak memory, files and bytes written, articles per
#      second; the time `cp -r` takes to copy the finished tree (the floor
#      for writing that many files here); the same corpus built by Hugo,
#      when installed, and the ratio; the search index's size and files,
#      and for the query set tests/search/queries.tsv in Chromium the bytes
#      a query loads and its time to the first results (median and worst),
#      projected at the end to 1,000,000 articles. BENCH_SEARCH_ONLY=1: one
#      build of each size and the search figures alone.
set -eu
mkdir -p .obj/bench .obj/corpus
results=.obj/bench/results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }
BAOKU=$PWD/bin/baoku
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "baoku benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), $($BAOKU --version)"
.obj/bench/bench_mustache "${BENCH_SECONDS:-3}" | tee -a "$results"
.obj/bench/bench_district data content/*.txt | tee -a "$results"

# timed CMD...: runs CMD, sets wall, cpu (user+sys) and rss (MiB)
timed() {
	st=0
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" || st=$?
	if [ "$st" != 0 ]; then
		echo "bench: '$*' failed with status $st" >&2
		return "$st"
	fi
	read -r wall user sys kib <"$tmp/time"
	cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
	rss=$(echo "$kib" | awk '{printf "%.0f", $1 / 1024}')
}
# settle: lets the file system write back what the last step left, so
# each measurement starts from the same state; then, where the kernel
# reports I/O pressure, waits (up to BENCH_QUIET seconds, 300 by default)
# until under 1% of the last ten seconds were spent waiting for I/O. After
# many files are deleted, a disk mounted with `discard` stays busy for
# minutes, and a `cp -r` took 11 s instead of 5.
settle() {
	sync
	sleep "${BENCH_SETTLE:-5}"
	[ -r /proc/pressure/io ] || return 0
	waited=0
	while [ "$waited" -lt "${BENCH_QUIET:-300}" ] &&
		awk '/^some/ { split($2, a, "="); exit !(a[2] >= 1.0) }' /proc/pressure/io; do
		sleep 5
		waited=$((waited + 5))
	done
	[ "$waited" -lt "${BENCH_QUIET:-300}" ] ||
		say "(the disk was still busy after ${waited} s; the next figure may be slow)"
}
# Old trees are moved aside and deleted at the end: a tree deleted just
# before a measurement slows the creation of files (ext4 scans past
# recently freed inodes) and would make the figures depend on the order
# of the steps.
trash=.obj/bench/trash
mkdir -p "$trash"
discard() { [ ! -e "$1" ] || mv "$1" "$trash/$(date +%s%N)"; }
files_in() { find "$1" -type f | wc -l; }
bytes_in() { du -s --apparent-size -B1 "$1" | cut -f1; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
# Every timed step runs BENCH_RUNS times (3 by default) and its figure is
# the median: on a shared machine one run can be far off, for baoku, cp
# and Hugo alike. record NAME appends the last run's figures to NAME's
# runs; median NAME sets wall, cpu, rss and run to the median run's (by
# wall time), spread to the range of wall times and maxrss to the highest
# peak.
runs=${BENCH_RUNS:-3}
[ -z "${BENCH_SEARCH_ONLY:-}" ] || runs=1
record() { echo "$wall $cpu $rss $run" >>"$tmp/$1.runs"; }
median() {
	sort -n "$tmp/$1.runs" >"$tmp/$1.sorted"
	count=$(wc -l <"$tmp/$1.sorted")
	read -r wall cpu rss run <<-EOF
		$(sed -n "$(((count + 1) / 2))p" "$tmp/$1.sorted")
	EOF
	spread="$(head -1 "$tmp/$1.sorted" | cut -d' ' -f1)-$(tail -1 "$tmp/$1.sorted" | cut -d' ' -f1)"
	maxrss=$(cut -d' ' -f3 "$tmp/$1.sorted" | sort -n | tail -1)
	rm -f "$tmp/$1.runs"
}
# search_summary FILE: the query set's figures from search_time.mjs's
# lines (query, results, ranked ms, shown ms, files, bytes): the median
# and the worst of the bytes loaded, of the time to the first results
# shown and of the ranking once the shards are there; sets q_bytes_med
# and q_bytes_max.
nth() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * q) + 1; print v[i] + 0 }'; }
search_summary() {
	count=$(wc -l <"$1")
	q_bytes_med=$(cut -f6 "$1" | nth 0.5)
	q_bytes_max=$(cut -f6 "$1" | nth 1)
	worst_q=$(sort -t"$(printf '\t')" -k6,6n "$1" | tail -1 | cut -f1)
	say "  query set (${count} queries of tests/search/queries.tsv, each on a fresh page, over file://):"
	say "    bytes a query loads: median ${q_bytes_med}, worst ${q_bytes_max} (${worst_q}); files: median $(cut -f5 "$1" | nth 0.5), worst $(cut -f5 "$1" | nth 1)"
	say "    time to first results shown: median $(cut -f4 "$1" | nth 0.5) ms, worst $(cut -f4 "$1" | nth 1) ms"
	q_rank_max=$(cut -f3 "$1" | nth 1)
	say "    ranking once its files are loaded: median $(cut -f3 "$1" | nth 0.5) ms, worst ${q_rank_max} ms"
}
# project: the search figures at 1,000,000 articles: the index's size
# and files on a line through the two largest sizes measured (through 0
# with one); what a query loads as at the largest size, a query searching
# two segments of 8,192 documents at most (more only when the reader
# asks), whatever the archive's size.
project() {
	[ -s "$tmp/search-sizes" ] || return 0
	sort -n "$tmp/search-sizes" | tail -2 | awk '
		{ n[NR] = $1; b[NR] = $2; f[NR] = $3; m[NR] = $4; w[NR] = $5 }
		function at(v1, v2) {
			if (NR == 1) return v2 * 1000000 / n[1]
			return v2 + (v2 - v1) * (1000000 - n[2]) / (n[2] - n[1])
		}
		END {
			if (NR == 1) { n[2] = n[1]; b[2] = b[1]; f[2] = f[1]; m[2] = m[1]; w[2] = w[1] }
			printf "search at 1,000,000 articles (projected on a line through %s): index %.0f MB in %.0f files; a query loads %.0f KB median, %.0f KB worst (as at %s: it searches two segments at most)\n",
				NR == 1 ? n[1] " articles and none" : n[1] " and " n[2] " articles",
				at(b[1], b[2]) / 1e6, at(f[1], f[2]), m[2] / 1e3, w[2] / 1e3, n[2]
		}' | tee -a "$results"
}

# verdict NAME OK: a target met or missed
verdict() { if [ "$2" = 1 ]; then say "  target met:    $1"; else say "  target MISSED: $1"; fi; }

# Room: each size keeps its build, its copies and Hugo's outputs until
# the end, about 100 KB an article; short of it, a copy fails midway.
need=0
for n in ${BENCH_SIZES:-10000 100000}; do need=$((need + n * 110)); done
free=$(df -Pk .obj/bench | awk 'NR == 2 { print $4 }')
if [ "$free" -lt "$need" ]; then
	echo "bench: about $((need / 1024 / 1024 + 1)) GB of free space is needed under .obj/bench," \
		"and $((free / 1024 / 1024)) GB are free; free some, or set BENCH_SIZES smaller" >&2
	exit 1
fi

for n in ${BENCH_SIZES:-10000 100000}; do
	proj=.obj/corpus/$n
	hugo_site=.obj/corpus/hugo-$n
	stamp=$proj/.made-by
	want="$(cat tools/corpus.py content/*.txt site.yml templates/*.mustache templates/partials/*.mustache static/* | cksum)"
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		python3 tools/corpus.py --articles "$n" --out "$proj" --hugo "$hugo_site" >/dev/null
		echo "$want" >"$stamp"
	fi
	pages=$(find "$proj/content" -name '*.txt' | wc -l)
	input=$(bytes_in "$proj/content")
	say ""
	say "== corpus of $n articles: $pages page files, $input bytes (tools/corpus.py) =="

	for run in $(seq "$runs"); do
		discard "$proj/build"
		discard "$proj/.build.baoku"
		discard "$proj/.baoku-cache"
		settle
		timed "$BAOKU" build -C "$proj" -v ${BENCH_JOBS:+-j "$BENCH_JOBS"} 2>"$tmp/full-$run.log" || {
			cat "$tmp/full-$run.log"
			exit 1
		}
		record full
	done
	median full
	articles=$(sed -n 's/.* \([0-9]*\) articles;.*/\1/p' "$tmp/full-$run.log" | tail -1)
	full_wall=$wall full_rss=$maxrss
	files=$(files_in "$proj/build")
	bytes=$(bytes_in "$proj/build")
	say "full build:     ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${maxrss} MiB peak at most; ${files} files, ${bytes} bytes written; $(ratio "$articles" "$wall") articles/s"
	grep '^baoku: ' "$tmp/full-$run.log" | grep -v 'pages read' | sed 's/^baoku: /    /' | tee -a "$results"

	if [ -z "${BENCH_SEARCH_ONLY:-}" ]; then
	settle
	timed "$BAOKU" build -C "$proj" -v 2>"$tmp/noop.log" || exit 1
	noop_wall=$wall
	noop_written=0
	grep -q 'nothing written' "$tmp/noop.log" || noop_written=$(sed -n 's/.*; \([0-9]*\) files written.*/\1/p' "$tmp/noop.log")
	say "no-op rebuild:  ${wall} s wall, ${cpu} s CPU, ${rss} MiB peak; ${noop_written} files written"

	# a page in the middle, in UTF-8 so that the line added is valid
	page=$(find "$proj/content" -name '*.txt' | sort | sed -n "$((pages / 2)),\$p" |
		while read -r f; do iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 && { echo "$f"; break; }; done)
	cp "$page" "$tmp/page.orig"
	# a change for each run, rebuilt and then undone
	for run in $(seq "$runs"); do
		printf '\n补充的一段正文，用来测一页改动后的重建（%s）。\n' "$run" >>"$page"
		settle
		timed "$BAOKU" build -C "$proj" -v 2>"$tmp/one-$run.log" || exit 1
		record one
		cp "$tmp/page.orig" "$page"
		"$BAOKU" build -C "$proj" -q
	done
	median one
	one_wall=$wall
	one=$(sed -n 's/.*; \([0-9]*\) files written (\([0-9]*\) bytes), \([0-9]*\) unchanged.*/\1 files, \2 bytes written, \3 unchanged/p' "$tmp/one-$run.log")
	say "one page changed: ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${rss} MiB peak; ${one}"
	grep '^baoku: ' "$tmp/one-$run.log" | grep -v 'pages read' | sed 's/^baoku: /    /' | tee -a "$results"

	for run in $(seq "$runs"); do
		settle
		timed cp -r "$proj/build" "$trash/copy-$n-$run" || exit 1
		record copy
	done
	median copy
	floor=$wall
	say "cp -r of the output (the floor): ${wall} s wall (median of ${runs}; ${spread} s)"
	fi

	shards=$(find "$proj/build/search" -name 'shard-*.js' | wc -l)
	index_bytes=$(bytes_in "$proj/build/search")
	index_files=$(files_in "$proj/build/search")
	say "search index:   ${index_bytes} bytes in ${index_files} files, ${shards} shards"
	if [ -x /usr/bin/chromium ] && [ -d tests/tools/node_modules/playwright-core ]; then
		# the query set, each query on a fresh page: what it loads and
		# how long it takes; every query's figures in search-N.tsv
		node tests/tools/search_time.mjs "$proj/build" tests/search/queries.tsv >"$tmp/search" 2>&1 ||
			cat "$tmp/search"
		awk -F'\t' 'NF == 6' "$tmp/search" >.obj/bench/search-$n.tsv
		search_summary .obj/bench/search-$n.tsv
		echo "$n $index_bytes $index_files $q_bytes_med $q_bytes_max" >>"$tmp/search-sizes"
	else
		say "  (search timing needs chromium and tests/tools/node_modules: make check installs them)"
	fi

	hugo_wall=
	if [ -n "${BENCH_SEARCH_ONLY:-}" ]; then
		if [ -n "${q_bytes_max:-}" ]; then
			verdict "a search loads at most 500 KB (worst ${q_bytes_max} bytes)" \
				"$(echo "$q_bytes_max" | awk '{print ($1 <= 500000)}')"
			verdict "a search ranked within 100 ms of its files loading (worst ${q_rank_max} ms)" \
				"$(echo "$q_rank_max" | awk '{print ($1 < 100)}')"
		fi
		continue
	fi
	if command -v hugo >/dev/null && [ -d "$hugo_site" ]; then
		for run in $(seq "$runs"); do
			settle
			timed hugo --quiet -s "$hugo_site" -d "$PWD/$trash/hugo-$n-$run" || exit 1
			record hugo
		done
		median hugo
		hugo_wall=$wall
		say "hugo $(hugo version | sed 's/hugo v\([0-9.]*\).*/\1/'):     ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${rss} MiB peak; $(files_in "$trash/hugo-$n-$run") files, $(bytes_in "$trash/hugo-$n-$run") bytes"
		say "hugo / baoku:   $(ratio "$hugo_wall" "$full_wall")"
	else
		say "(hugo not installed: no comparison; tools/deps.sh bench installs it)"
	fi

	if [ "$n" = 100000 ]; then
		say "targets at $n articles:"
	else
		say "targets at $n articles (they are set at 100000; here for comparison):"
	fi
	[ -n "$hugo_wall" ] && verdict "full build 5x faster than Hugo ($(ratio "$hugo_wall" "$full_wall")x)" \
		"$(echo "$hugo_wall $full_wall" | awk '{print ($1 >= 5 * $2)}')"
	verdict "full build within 1.5x of cp -r ($(ratio "$full_wall" "$floor")x)" \
		"$(echo "$full_wall $floor" | awk '{print ($1 <= 1.5 * $2)}')"
	verdict "peak memory under 1 GiB (${full_rss} MiB)" "$(echo "$full_rss" | awk '{print ($1 < 1024)}')"
	verdict "no-op rebuild under 1 s, writing nothing (${noop_wall} s, ${noop_written} files)" \
		"$(echo "$noop_wall $noop_written" | awk '{print ($1 < 1 && $2 == 0)}')"
	verdict "one page changed under a quarter of a full build ($(ratio "$one_wall" "$full_wall"))" \
		"$(echo "$one_wall $full_wall" | awk '{print ($1 < $2 / 4)}')"
	if [ -n "${q_bytes_max:-}" ]; then
		verdict "a search loads at most 500 KB (worst ${q_bytes_max} bytes)" \
			"$(echo "$q_bytes_max" | awk '{print ($1 <= 500000)}')"
		verdict "a search ranked within 100 ms of its files loading (worst ${q_rank_max} ms)" \
			"$(echo "$q_rank_max" | awk '{print ($1 < 100)}')"
	fi
done
say ""
project
rm -rf "$trash"
say ""
say "results in $results"

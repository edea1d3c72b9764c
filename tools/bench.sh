#!/bin/sh
# make bench: the benchmarks a user can run and trust. Prints the figures
# and keeps them in .obj/bench/results.txt.
#
#   1. the Mustache engine and the district classifier on their own;
#   2. for each corpus size (BENCH_SIZES, default "10000 100000 1000000"),
#      one size at a time, and for each layout of the page files
#      (BENCH_LAYOUTS, default "3-8 1 3-8w": pages of 3 to 8 articles, one
#      article a page, and pages of 3 to 8 whose text is words drawn from
#      a lexicon, a vocabulary that grows as a real archive's does, where
#      the others recombine the seed pages' lines), a corpus made by
#      tools/corpus.py (cached in BENCH_CORPUS, default .obj/corpus: N for
#      3 to 8 articles a page, N-1 for one, N-3-8w for words) built by baoku: a full build into an empty directory,
#      a rebuild with nothing changed, a rebuild after one page file
#      changed, a rebuild after a new issue (that page again, in a new
#      date folder of its paper: an archive growing); for each the wall and CPU time, peak memory, files and
#      bytes written, articles per second; the full build's peak memory
#      per article and its slope from the size before; the time `cp -r`
#      takes to copy the finished tree (the floor for writing that many
#      files here); the search index's size and files, and for the query
#      set tests/search/queries.tsv in Chromium the bytes a query loads
#      and its time to the first results (median and worst), projected at
#      the end to 1,000,000 articles;
#   3. the peers, in the same run: Hugo on the same articles (at
#      BENCH_HUGO_SIZES, default "10000 100000"), and Hugo followed by
#      Pagefind (npm, pinned in tools/bench-peers/) on Hugo's output (at
#      BENCH_PAGEFIND_SIZES, default "10000"), as ratios to baoku's full
#      build; a peer is skipped where it would not fit in memory;
#   4. the targets at each size, met or missed.
#
# BENCH_SEARCH_ONLY=1: one build of each size and the search figures
# alone. BENCH_CORPUS_ONLY=1: make the corpora (for a BENCH_CORPUS kept
# between runs) and stop.
set -eu
corpora=${BENCH_CORPUS:-.obj/corpus}
sizes=${BENCH_SIZES:-10000 100000 1000000}
layouts=${BENCH_LAYOUTS:-3-8 1 3-8w}
hugo_sizes=${BENCH_HUGO_SIZES:-10000 100000}
pagefind_sizes=${BENCH_PAGEFIND_SIZES:-10000}
mkdir -p .obj/bench "$corpora"
results=.obj/bench/results.txt
# making corpora alone leaves the last run's figures where they are
[ -z "${BENCH_CORPUS_ONLY:-}" ] || results=/dev/null
: >"$results"
say() { echo "$*" | tee -a "$results"; }
BAOKU=$PWD/bin/baoku
PAGEFIND=$PWD/tools/bench-peers/node_modules/.bin/pagefind
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Old trees are moved aside into the trash, and deleted only when the disk
# needs their room (at 1,000,000 articles, before each layout) or at the
# end. On ext4 without a journal, as here, the kernel will not reuse an
# inode freed in the last 30 s, or in the last 330 s while its block of
# the inode table is not yet written back, and it looks at every such
# inode each time it creates a file: a build of 100,000 articles right
# after a million files were deleted took 27.0 s and 21.3 s of system
# time, against 19.9 s and 12.0 s without. So when the trash is emptied,
# the next timed step first waits until those 330 s have passed
# (BENCH_FREED_WAIT seconds; on other file systems, none).
trash=.obj/bench/trash
freed_at=
# whether .obj/bench is on ext4 with no journal (none in /proc/fs/jbd2)
unjournaled() {
	dev=$(df -P .obj/bench | awk 'NR == 2 { print $1 }')
	[ "$(stat -f -c %T .obj/bench)" = ext2/ext3 ] && [ -d /proc/fs/ext4/"${dev##*/}" ] &&
		[ ! -e /proc/fs/jbd2/"${dev##*/}"-8 ]
}
if [ -z "${BENCH_FREED_WAIT:-}" ]; then
	if unjournaled; then BENCH_FREED_WAIT=330; else BENCH_FREED_WAIT=0; fi
fi
empty_trash() {
	rm -rf "$trash"
	mkdir -p "$trash"
	freed_at=$(date +%s)
}
# a trash a stopped run left
if [ -n "$(ls -A "$trash" 2>/dev/null)" ]; then empty_trash; else mkdir -p "$trash"; fi
discard() { [ ! -e "$1" ] || mv "$1" "$trash/$(date +%s%N)"; }
files_in() { find "$1" -type f | wc -l; }
bytes_in() { du -s --apparent-size -B1 "$1" | cut -f1; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
gib() { echo "$1" | awk '{ printf "%.1f", $1 / 1048576 }'; }
# one_of WORD LIST...: whether WORD is one of LIST's words
one_of() {
	w=$1
	shift
	for x in "$@"; do [ "$x" != "$w" ] || return 0; done
	return 1
}
# the projects: N articles on pages of LAYOUT articles
corpus_dir() { if [ "$2" = 3-8 ]; then echo "$corpora/$1"; else echo "$corpora/$1-$2"; fi; }
# a layout as the figures name it, and tools/corpus.py's arguments for it
# (a layout ending in w: its text is words from a lexicon)
layout_text() { case $1 in *w) echo "${1%w}, words from a lexicon" ;; *) echo "$1" ;; esac; }
layout_args() { case $1 in *w) echo "--per-page ${1%w} --text words" ;; *) echo "--per-page $1" ;; esac; }
hugo_dir() { echo "$corpora/hugo-$1"; }
# peers_at N: whether a peer runs at N, and so whether the corpus of the
# first layout needs its Hugo site
peers_at() {
	[ -z "${BENCH_SEARCH_ONLY:-}" ] && command -v hugo >/dev/null || return 1
	# shellcheck disable=SC2086
	one_of "$1" $hugo_sizes $pagefind_sizes
}
first_layout=${layouts%% *}

# make_corpus N LAYOUT: the corpus, made unless made already from the same
# inputs and arguments (the stamp); templates/, static/ and site.yml are
# copied afresh each time, so that a template's change does not remake
# a million articles.
make_corpus() {
	proj=$(corpus_dir "$1" "$2")
	stamp=$proj/.made-by
	hugo_arg=
	if [ "$2" = "$first_layout" ] && peers_at "$1"; then hugo_arg="--hugo $(hugo_dir "$1")"; fi
	want="$(cat tools/corpus.py content/*.txt data/gazetteer.tsv data/t2s.tsv | cksum) $(layout_args "$2") $hugo_arg"
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		start=$(date +%s)
		# shellcheck disable=SC2046,SC2086
		python3 tools/corpus.py --articles "$1" $(layout_args "$2") --out "$proj" $hugo_arg >/dev/null
		echo "$want" >"$stamp"
		say "(corpus of $1 articles, pages of $(layout_text "$2"), made in $(($(date +%s) - start)) s: $proj)"
	fi
	rm -rf "$proj/templates" "$proj/static"
	cp -r templates static site.yml "$proj/"
}

# Room for one layout: its trees (its full builds and copies, one of
# each a run, about 22 KB an article each, the build with its cache: 21
# at a million of words; the trash's trees count as
# used, and the trash is emptied when a layout does not fit), Hugo's
# outputs (about 15 KB an article, with Pagefind's), and the corpora not
# yet made (about 3 KB an article with pages of 3 to 8, 6 KB with one a
# page, 5 KB for the Hugo site). Sets
# need_kib and free_kib; fails when it does not fit.
room() {
	n=$1
	need_kib=$((n * 22 * 2 * $2))
	if peers_at "$n"; then need_kib=$((need_kib + n * 15 * $2)); fi
	corpus_kib=0
	for layout in $layouts; do
		[ -f "$(corpus_dir "$n" "$layout")/.made-by" ] && continue
		case $layout in 1) corpus_kib=$((corpus_kib + n * 6)) ;; *) corpus_kib=$((corpus_kib + n * 3)) ;; esac
		if [ "$layout" = "$first_layout" ] && peers_at "$n"; then corpus_kib=$((corpus_kib + n * 5)); fi
	done
	free_kib=$(df -Pk .obj/bench | awk 'NR == 2 { print $4 }')
	corpus_free=$(df -Pk "$corpora" | awk 'NR == 2 { print $4 }')
	if [ "$(df -P .obj/bench | awk 'NR == 2 { print $6 }')" = "$(df -P "$corpora" | awk 'NR == 2 { print $6 }')" ]; then
		need_kib=$((need_kib + corpus_kib))
	elif [ "$corpus_free" -lt "$corpus_kib" ]; then
		need_kib=$corpus_kib free_kib=$corpus_free
		return 1
	fi
	[ "$free_kib" -ge "$need_kib" ]
}

if [ -n "${BENCH_CORPUS_ONLY:-}" ]; then
	for n in $sizes; do
		if ! room "$n" 0; then
			say "== $n articles skipped: the corpora need about $(gib "$need_kib") GiB and $(gib "$free_kib") GiB are free =="
			continue
		fi
		for layout in $layouts; do make_corpus "$n" "$layout"; done
	done
	exit 0
fi

say "baoku benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $($BAOKU --version)"
.obj/bench/bench_mustache "${BENCH_SECONDS:-3}" | tee -a "$results"
.obj/bench/bench_district data content/*.txt | tee -a "$results"

# timed CMD...: runs CMD, sets wall, cpu (user+sys), kib (peak RSS) and
# rss (MiB)
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
	if [ -n "$freed_at" ]; then
		left=$((freed_at + BENCH_FREED_WAIT - $(date +%s)))
		if [ "$left" -gt 0 ]; then
			say "(waiting ${left} s: inodes freed by emptying the trash are not reused for ${BENCH_FREED_WAIT} s)"
			sleep "$left"
		fi
		freed_at=
	fi
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
# Every timed step runs BENCH_RUNS times and its figure is the median: on
# a shared machine one run can be far off, for baoku, cp and Hugo alike.
# By default 3 times, and once from 1,000,000 articles on, where a full
# build takes minutes. record NAME appends the last run's figures to
# NAME's runs; median NAME sets wall, cpu, rss and run to the median run's
# (by wall time), spread to the range of wall times, maxrss (MiB) and
# maxkib to the highest peak.
runs_at() {
	if [ -n "${BENCH_SEARCH_ONLY:-}" ]; then
		echo 1
	elif [ -n "${BENCH_RUNS:-}" ]; then
		echo "$BENCH_RUNS"
	elif [ "$1" -ge 1000000 ]; then
		echo 1
	else
		echo 3
	fi
}
record() { echo "$wall $cpu $rss $run $kib" >>"$tmp/$1.runs"; }
median() {
	sort -n "$tmp/$1.runs" >"$tmp/$1.sorted"
	count=$(wc -l <"$tmp/$1.sorted")
	read -r wall cpu rss run kib <<-EOF
		$(sed -n "$(((count + 1) / 2))p" "$tmp/$1.sorted")
	EOF
	spread="$(head -1 "$tmp/$1.sorted" | cut -d' ' -f1)-$(tail -1 "$tmp/$1.sorted" | cut -d' ' -f1)"
	maxkib=$(cut -d' ' -f5 "$tmp/$1.sorted" | sort -n | tail -1)
	maxrss=$(echo "$maxkib" | awk '{printf "%.0f", $1 / 1024}')
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
# project LAYOUT: the search figures at 1,000,000 articles: the index's
# size and files on a line through the two largest sizes measured
# (through 0 with one); what a query loads as at the largest size, a
# query searching two segments of 8,192 documents at most (more only when
# the reader asks), whatever the archive's size.
project() {
	[ -s "$tmp/search-sizes-$1" ] || return 0
	sort -n "$tmp/search-sizes-$1" | tail -2 | awk -v layout="$(layout_text "$1")" '
		{ n[NR] = $1; b[NR] = $2; f[NR] = $3; m[NR] = $4; w[NR] = $5 }
		function at(v1, v2) {
			if (NR == 1) return v2 * 1000000 / n[1]
			return v2 + (v2 - v1) * (1000000 - n[2]) / (n[2] - n[1])
		}
		END {
			if (NR == 1) { n[2] = n[1]; b[2] = b[1]; f[2] = f[1]; m[2] = m[1]; w[2] = w[1] }
			printf "search at 1,000,000 articles, pages of %s (projected on a line through %s): index %.0f MB in %.0f files; a query loads %.0f KB median, %.0f KB worst (as at %s: it searches two segments at most)\n",
				layout, NR == 1 ? n[1] " articles and none" : n[1] " and " n[2] " articles",
				at(b[1], b[2]) / 1e6, at(f[1], f[2]), m[2] / 1e3, w[2] / 1e3, n[2]
		}' | tee -a "$results"
}

# verdict NAME OK: a target met or missed
verdict() { if [ "$2" = 1 ]; then say "  target met:    $1"; else say "  target MISSED: $1"; fi; }
# note NAME: a figure whose target is set at another size
note() { say "  (for comparison) $1"; }

# fits NAME N DEFAULT: whether the peer NAME would fit in memory at N
# articles: its peak per article at the largest size it ran at in this
# run, or DEFAULT (KiB an article) before it ran, times N, against
# MemAvailable. Sets est_kib and avail_kib.
fits() {
	per=$3
	[ ! -s "$tmp/peak-$1" ] || per=$(sort -n "$tmp/peak-$1" | tail -1 | cut -d' ' -f2)
	est_kib=$(echo "$per $2" | awk '{ printf "%.0f", $1 * $2 }')
	avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	[ "$est_kib" -lt "$avail_kib" ]
}

# measure N LAYOUT: baoku on the corpus of N articles on pages of LAYOUT
measure() {
	n=$1 layout=$2
	proj=$(corpus_dir "$n" "$layout")
	tag=$n-$layout
	pages=$(find "$proj/content" -name '*.txt' | wc -l)
	input=$(bytes_in "$proj/content")
	say ""
	say "== $n articles, pages of $(layout_text "$layout"): $pages page files, $input bytes (tools/corpus.py) =="

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
	[ -n "$articles" ] || articles=$n
	full_wall=$wall full_rss=$maxrss full_kib=$maxkib
	files=$(files_in "$proj/build")
	bytes=$(bytes_in "$proj/build")
	say "full build:     ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${maxrss} MiB peak at most; ${files} files, ${bytes} bytes written; $(ratio "$articles" "$wall") articles/s"
	grep '^baoku: ' "$tmp/full-$run.log" | grep -v 'pages read' | sed 's/^baoku: /    /' | tee -a "$results"
	# memory per article of the corpus (baoku's reader may count a few
	# more in its pages than tools/corpus.py wrote)
	per_kib=$(ratio "$full_kib" "$n")
	slope=''
	if [ -s "$tmp/rss-$layout" ]; then
		read -r n0 kib0 <"$tmp/rss-$layout"
		slope=$(echo "$n0 $kib0 $n $full_kib" | awk '{ printf "%.2f", ($4 - $2) / ($3 - $1) }')
		say "peak memory:    ${per_kib} KB an article; ${slope} KB an article more from ${n0} articles to ${n}"
	else
		say "peak memory:    ${per_kib} KB an article"
	fi
	echo "$n $full_kib" >"$tmp/rss-$layout"
	echo "$full_wall" >"$tmp/full-wall-$tag"

	noop_wall='' noop_first='' noop_written='' one_wall=''
	if [ -z "${BENCH_SEARCH_ONLY:-}" ]; then
		# three no-ops: the first finds what the full build's writing
		# left of content/'s folders in memory, the next ones what a
		# rebuild finds once that is read again; the median is judged
		noop_written=0
		for run in 1 2 3; do
			settle
			timed "$BAOKU" build -C "$proj" -v 2>"$tmp/noop.log" || exit 1
			record noop
			[ "$run" != 1 ] || noop_first=$wall
			grep -q 'nothing written' "$tmp/noop.log" ||
				noop_written=$((noop_written + $(sed -n 's/.*; \([0-9]*\) files written.*/\1/p' "$tmp/noop.log")))
		done
		median noop
		noop_wall=$wall
		say "no-op rebuild:  ${wall} s wall (median of 3; ${spread} s; the first, right after the full build, ${noop_first} s), ${cpu} s CPU, ${rss} MiB peak; ${noop_written} files written"

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

		# a new issue: that page again, in a folder of the day after its
		# paper's newest issue, as an archive grows; added, then taken away
		paper_dir=$(dirname "$(dirname "$page")")
		newest=$(find "$paper_dir" -mindepth 1 -maxdepth 1 -type d -name '????-??-??' | sort | tail -1)
		issue="$paper_dir/$(date -d "$(basename "$newest") + 1 day" +%F)"
		for run in $(seq "$runs"); do
			mkdir -p "$issue"
			cp "$tmp/page.orig" "$issue/01.txt"
			settle
			timed "$BAOKU" build -C "$proj" -v 2>"$tmp/new-$run.log" || exit 1
			record new
			rm -r "$issue"
			"$BAOKU" build -C "$proj" -q
		done
		median new
		new=$(sed -n 's/.*; \([0-9]*\) files written (\([0-9]*\) bytes), \([0-9]*\) unchanged.*/\1 files, \2 bytes written, \3 unchanged/p' "$tmp/new-$run.log")
		cached=$(sed -n 's/.*; \([0-9]* of [0-9]* pages\) from the cache.*/\1 from the cache/p' "$tmp/new-$run.log")
		say "a new issue (one page): ${wall} s wall (median of ${runs}; ${spread} s; $(ratio "$wall" "$full_wall") of the full build), ${cpu} s CPU, ${rss} MiB peak; ${new}; ${cached}"

		for run in $(seq "$runs"); do
			settle
			timed cp -r "$proj/build" "$trash/copy-$tag-$run" || exit 1
			record copy
		done
		median copy
		say "cp -r of the output (the floor): ${wall} s wall (median of ${runs}; ${spread} s); baoku's full build $(ratio "$full_wall" "$wall")x that"
	fi

	shards=$(find "$proj/build/search" -name 'shard-*.js' | wc -l)
	index_bytes=$(bytes_in "$proj/build/search")
	index_files=$(files_in "$proj/build/search")
	say "search index:   ${index_bytes} bytes in ${index_files} files, ${shards} shards"
	q_bytes_max='' q_rank_max=''
	if [ -x /usr/bin/chromium ] && [ -d tests/tools/node_modules/playwright-core ]; then
		# the query set, each query on a fresh page: what it loads and
		# how long it takes; every query's figures in search-N.tsv
		node tests/tools/search_time.mjs "$proj/build" tests/search/queries.tsv >"$tmp/search" 2>&1 ||
			cat "$tmp/search"
		out=.obj/bench/search-$n.tsv
		[ "$layout" = 3-8 ] || out=.obj/bench/search-$n-$layout.tsv
		awk -F'\t' 'NF == 6' "$tmp/search" >"$out"
		search_summary "$out"
		echo "$n $index_bytes $index_files $q_bytes_med $q_bytes_max" >>"$tmp/search-sizes-$layout"
	else
		say "  (search timing needs chromium and tests/tools/node_modules: make check installs them)"
	fi
	{
		echo "full_wall=$full_wall full_rss=$full_rss per_kib=$per_kib slope=$slope"
		echo "noop_wall=$noop_wall noop_first=$noop_first noop_written=$noop_written one_wall=$one_wall"
		echo "q_bytes_max=$q_bytes_max q_rank_max=$q_rank_max"
	} >"$tmp/figures-$tag"

	# the layout's trees go to the trash, emptied when their room is needed
	discard "$proj/build"
	discard "$proj/.build.baoku"
	discard "$proj/.baoku-cache"
}

# peers N: Hugo, and Hugo followed by Pagefind, on the Hugo site of the
# first layout's corpus; sets hugo_wall and hpf_wall when they ran
peers() {
	n=$1
	hugo_wall='' hpf_wall=''
	[ -z "${BENCH_SEARCH_ONLY:-}" ] || return 0
	if ! command -v hugo >/dev/null; then
		say "(hugo not installed: no comparison; tools/deps.sh bench installs it)"
		return 0
	fi
	# Hugo's peak is about 55 KB an article, Pagefind's about 640 KB
	# (6 GiB at 10,000 articles), until they have run in this run
	# shellcheck disable=SC2086
	if ! one_of "$n" $hugo_sizes $pagefind_sizes; then
		fits hugo "$n" 55 || :
		say "(peers: Hugo runs at ${hugo_sizes} articles and Pagefind after it at ${pagefind_sizes} (BENCH_HUGO_SIZES, BENCH_PAGEFIND_SIZES), not at $n: Hugo's peak would be about $(gib "$est_kib") GiB, and $(gib "$avail_kib") GiB are available)"
		return 0
	fi
	hugo_site=$(hugo_dir "$n")
	if ! fits hugo "$n" 55; then
		say "(hugo skipped at $n articles: it would need about $(gib "$est_kib") GiB and $(gib "$avail_kib") GiB are available)"
		return 0
	fi
	with_pagefind=
	# shellcheck disable=SC2086
	if one_of "$n" $pagefind_sizes; then
		if ! fits pagefind "$n" 640; then
			say "(pagefind skipped at $n articles: it would need about $(gib "$est_kib") GiB and $(gib "$avail_kib") GiB are available)"
		elif [ ! -x "$PAGEFIND" ] && ! { command -v npm >/dev/null && npm ci --prefix tools/bench-peers --no-audit --no-fund >/dev/null; }; then
			say "(pagefind not installed: npm ci --prefix tools/bench-peers installs it)"
		else
			with_pagefind=1
		fi
	fi
	say ""
	say "== peers at $n articles =="
	for run in $(seq "$runs"); do
		out=$trash/hugo-$n-$run
		settle
		timed hugo --quiet -s "$hugo_site" -d "$PWD/$out" || exit 1
		record hugo
		[ -n "$with_pagefind" ] || continue
		h_wall=$wall h_cpu=$cpu h_kib=$kib
		# right after Hugo, as a site's build runs them
		timed "$PAGEFIND" --site "$out" >"$tmp/pagefind.log" 2>&1 || {
			cat "$tmp/pagefind.log"
			exit 1
		}
		record pagefind
		wall=$(echo "$h_wall $wall" | awk '{ printf "%.2f", $1 + $2 }')
		cpu=$(echo "$h_cpu $cpu" | awk '{ printf "%.2f", $1 + $2 }')
		[ "$h_kib" -lt "$kib" ] || kib=$h_kib
		rss=$(echo "$kib" | awk '{printf "%.0f", $1 / 1024}')
		record hpf
	done
	median hugo
	hugo_wall=$wall
	echo "$n $(ratio "$maxkib" "$n")" >>"$tmp/peak-hugo"
	out=$trash/hugo-$n-$run
	say "hugo $(hugo version | sed 's/hugo v\([0-9.]*\).*/\1/'):     ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${maxrss} MiB peak at most; $(find "$out" -path "$out/pagefind" -prune -o -type f -print | wc -l) files"
	if [ -n "$with_pagefind" ]; then
		median pagefind
		echo "$n $(ratio "$maxkib" "$n")" >>"$tmp/peak-pagefind"
		say "pagefind $("$PAGEFIND" --version | sed 's/[^0-9.]//g') --site on Hugo's output: ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${maxrss} MiB peak at most; $(grep -o 'Indexed [0-9]* pages' "$tmp/pagefind.log"); $(files_in "$out/pagefind") files, $(bytes_in "$out/pagefind") bytes"
		median hpf
		hpf_wall=$wall
		say "hugo + pagefind: ${wall} s wall (median of ${runs}; ${spread} s), ${cpu} s CPU, ${maxrss} MiB peak at most"
	fi
	for layout in $layouts; do
		[ -s "$tmp/full-wall-$n-$layout" ] || continue
		b=$(cat "$tmp/full-wall-$n-$layout")
		say "hugo / baoku (pages of $(layout_text "$layout")$(case $layout in *w) echo "; the peers on the seed lines' articles" ;; esac)):   $(ratio "$hugo_wall" "$b")${hpf_wall:+; hugo + pagefind / baoku: $(ratio "$hpf_wall" "$b")}"
	done
}

# targets N: each layout's, met or missed; some are set at 1,000,000
# articles only, and at other sizes their figure is shown for comparison
targets() {
	n=$1
	for layout in $layouts; do
		[ -s "$tmp/figures-$n-$layout" ] || continue
		# shellcheck disable=SC1090
		. "$tmp/figures-$n-$layout"
		say "targets at $n articles, pages of $(layout_text "$layout"):"
		if [ "$n" = 1000000 ]; then
			verdict "peak memory under 2 GiB (${full_rss} MiB)" "$(echo "$full_rss" | awk '{print ($1 < 2048)}')"
		else
			note "peak memory ${full_rss} MiB, ${per_kib} KB an article (under 2 GiB at 1,000,000)"
		fi
		if [ -n "$slope" ]; then
			verdict "peak memory grows under 1 KB an article (${slope} KB)" "$(echo "$slope" | awk '{print ($1 < 1)}')"
		fi
		if [ "$n" = 1000000 ]; then
			verdict "full build under 4 minutes (${full_wall} s)" "$(echo "$full_wall" | awk '{print ($1 < 240)}')"
		else
			note "full build ${full_wall} s (under 4 minutes at 1,000,000)"
		fi
		if [ -n "$noop_wall" ]; then
			verdict "no-op rebuild under 1 s, writing nothing (${noop_wall} s, median of 3; the first ${noop_first} s; ${noop_written} files)" \
				"$(echo "$noop_wall $noop_written" | awk '{print ($1 < 1 && $2 == 0)}')"
			verdict "one page changed under a tenth of a full build ($(ratio "$one_wall" "$full_wall"))" \
				"$(echo "$one_wall $full_wall" | awk '{print ($1 < $2 / 10)}')"
		fi
		# the peers build the seed lines' articles: against a layout of
		# words from a lexicon the ratio is shown, not judged
		case $layout in
		*w) [ -z "$hpf_wall" ] || note "Hugo + Pagefind, on the seed lines' articles, / baoku: $(ratio "$hpf_wall" "$full_wall")x" ;;
		*)
			if [ -n "$hpf_wall" ]; then
				verdict "Hugo + Pagefind at least 10x slower than baoku ($(ratio "$hpf_wall" "$full_wall")x)" \
					"$(echo "$hpf_wall $full_wall" | awk '{print ($1 >= 10 * $2)}')"
			fi
			;;
		esac
		if [ -n "$q_bytes_max" ]; then
			verdict "a search loads at most 500 KB (worst ${q_bytes_max} bytes)" \
				"$(echo "$q_bytes_max" | awk '{print ($1 <= 500000)}')"
			verdict "a search ranked within 100 ms of its files loading (worst ${q_rank_max} ms)" \
				"$(echo "$q_rank_max" | awk '{print ($1 < 100)}')"
		fi
	done
}

for n in $sizes; do
	runs=$(runs_at "$n")
	say ""
	room "$n" "$runs" || empty_trash
	if ! room "$n" "$runs"; then
		say "=== $n articles skipped: about $(gib "$need_kib") GiB of free space is needed (corpora, outputs and copies) and $(gib "$free_kib") GiB are free ==="
		continue
	fi
	say "=== $n articles (${runs} run(s) of each timed step; about $(gib "$need_kib") GiB of disk needed, $(gib "$free_kib") GiB free) ==="
	for layout in $layouts; do make_corpus "$n" "$layout"; done
	# (room sets layout)
	for lay in $layouts; do
		room "$n" "$runs" || empty_trash
		measure "$n" "$lay"
	done
	room "$n" "$runs" || empty_trash
	peers "$n"
	targets "$n"
done
say ""
for layout in $layouts; do project "$layout"; done
rm -rf "$trash"
say ""
say "results in $results"

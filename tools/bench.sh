#!/bin/sh
# make bench: builds and runs the benchmarks, prints their figures and
# keeps them in .obj/bench/results.txt.
set -eu
mkdir -p .obj/bench
results=.obj/bench/results.txt
: >"$results"
say() { echo "$*" | tee -a "$results"; }

say "baoku benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m)"
.obj/bench/bench_mustache "${BENCH_SECONDS:-3}" | tee -a "$results"
.obj/bench/bench_district data content/*.txt | tee -a "$results"

# the whole build on the seed archive (a smoke figure until the corpus
# generator exists)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r content templates static "$tmp/"
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" ./bin/baoku build -C "$tmp" -q
read -r wall user sys rss <"$tmp/time"
files=$(find "$tmp/build" -type f | wc -l)
say "build of content/ ($(ls content/*.txt | wc -l) pages): ${wall} s wall, ${user}+${sys} s CPU, ${rss} KiB peak RSS, ${files} files"
echo "results in $results"

#!/bin/sh
# Installs the Debian packages a make target needs, and only those that are
# missing. Usage: tools/deps.sh build|check|bench
#
#   build  what compiling bin/baoku and running it needs
#   check  build + what the test suite needs (clang's sanitizer and fuzzer
#          runtimes, perl's prove)
#   bench  build + what the benchmark uses (GNU time, Hugo to compare
#          with, Chromium and npm for the search timing and Pagefind)
#
# Packages come from the distribution's package manager only. On a system
# without apt-get the script lists what is missing and fails.
set -eu

want=${1:-build}

build_pkgs="gcc make pkg-config libcmark-dev libjansson-dev libyaml-dev libuchardet-dev libgumbo-dev libjemalloc-dev libvips-dev"
check_pkgs="clang perl python3 opencc rsync shellcheck"
bench_pkgs="time hugo python3 chromium fonts-noto-cjk"
deploy_pkgs="rsync"

case "$want" in
build) pkgs=$build_pkgs ;;
check) pkgs="$build_pkgs $check_pkgs" ;;
bench) pkgs="$build_pkgs $bench_pkgs" ;;
deploy) pkgs="$deploy_pkgs" ;;
*)
	echo "usage: tools/deps.sh build|check|bench|deploy" >&2
	exit 2
	;;
esac

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# The libFuzzer and sanitizer runtimes live in a package named after
# clang's major version; it is known only once clang is present.
clang_rt_pkg() {
	command -v clang >/dev/null 2>&1 || return 0
	v=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
	[ -n "$v" ] && echo "libclang-rt-$v-dev"
}

missing_of() {
	out=""
	for p in "$@"; do
		installed "$p" || out="$out $p"
	done
	echo "$out"
}

install_pkgs() {
	[ -n "$1" ] || return 0
	if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
		echo "baoku: these packages are needed and this system has no apt-get:$1" >&2
		echo "baoku: install them with your package manager, then run make again" >&2
		exit 1
	fi
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		sudo=sudo
	fi
	echo "baoku: installing missing Debian packages:$1"
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $1 >/dev/null
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: say what the build needs when pkg-config cannot find it.
	for lib in libcmark jansson yaml-0.1 uchardet gumbo jemalloc vips; do
		pkg-config --exists "$lib" 2>/dev/null || {
			echo "baoku: missing library $lib; needed packages: $pkgs" >&2
			exit 1
		}
	done
	exit 0
fi

# shellcheck disable=SC2086
install_pkgs "$(missing_of $pkgs)"
if [ "$want" = check ]; then
	install_pkgs "$(missing_of "$(clang_rt_pkg)")"
	# the HTML validator runs on Java and comes from npm; the browser tests
	# drive Debian's Chromium (with CJK fonts, for legible screenshots)
	command -v java >/dev/null 2>&1 || install_pkgs " default-jre-headless"
	command -v npm >/dev/null 2>&1 || install_pkgs " npm"
	install_pkgs "$(missing_of chromium fonts-noto-cjk)"
fi
if [ "$want" = bench ]; then
	# the search timing drives Chromium with playwright-core from npm, and
	# tools/bench.sh installs Pagefind from npm into tools/bench-peers/
	command -v npm >/dev/null 2>&1 || install_pkgs " npm"
fi
exit 0

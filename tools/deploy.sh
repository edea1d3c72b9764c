#!/bin/sh
# make deploy: copies the archive to its target with rsync, only changed
# files, deleting what no longer belongs -- but only inside a target that
# is empty or holds an earlier deploy (its .baoku-build file), never in a
# directory baoku did not fill.
#
# Usage: tools/deploy.sh BUILD-DIR [TARGET]
#
# TARGET is a path or host:path; without it, $DEPLOY_TARGET, then
# deploy_target in site.yml. The target is only ever a word passed to
# rsync, never part of a command line a shell reads, so no value of it
# runs anything.
set -eu

src=$1
target=${2:-${DEPLOY_TARGET:-}}

# deploy_target from site.yml: the value after the key, without a trailing
# "# comment" and without the quotes around it
site_target() {
	[ -f site.yml ] || return 0
	line=$(sed -n 's/^deploy_target:[[:space:]]*//p' site.yml | head -n 1)
	case "$line" in
	\"*) line=${line#\"} && line=${line%%\"*} ;;
	\'*) line=${line#\'} && line=${line%%\'*} ;;
	*)
		line=${line%%[[:space:]]#*}
		line=$(printf '%s' "$line" | sed 's/[[:space:]]*$//')
		;;
	esac
	printf '%s' "$line"
}

if [ -z "$target" ] && [ $# -lt 2 ]; then
	target=$(site_target)
fi
if [ -z "$target" ]; then
	echo "baoku: no deploy target; set deploy_target in site.yml or DEPLOY_TARGET=..." >&2
	exit 1
fi
case "$target" in
-*)
	echo "baoku: deploy target '$target' starts with '-'; write ./$target for a directory" >&2
	exit 1
	;;
esac
if [ ! -f "$src/.baoku-build" ]; then
	echo "baoku: $src is not a built archive; run make site first" >&2
	exit 1
fi
command -v rsync >/dev/null 2>&1 || sh tools/deps.sh deploy

# rsync's own rule: a colon before any slash names a host (host:path);
# /srv/www:old and ./a:b are directories here
case "${target%%/*}" in
*:*) ;; # remote: rsync checks nothing there; its --delete stays in the target
*)
	if [ -d "$target" ] && [ -n "$(ls -A "$target")" ] && [ ! -f "$target/.baoku-build" ]; then
		echo "baoku: $target is not empty and holds no earlier deploy; refusing to delete in it" >&2
		exit 1
	fi
	if [ -e "$target" ] && [ ! -d "$target" ]; then
		echo "baoku: $target is not a directory" >&2
		exit 1
	fi
	mkdir -p -- "$target"
	;;
esac

# rsync's status, which the pipe into sed would hide, comes back on fd 4
exec 3>&1
st=$({ { rsync -a --delete --checksum --itemize-changes -- "$src/" "${target%/}/" || echo "$?" >&4; } |
	sed 's/^/baoku deploy: /' >&3; } 4>&1)
exec 3>&-
if [ -n "$st" ]; then
	echo "baoku: rsync failed (status $st); $target may be partly updated" >&2
	exit 1
fi
echo "baoku: deployed $src to $target"

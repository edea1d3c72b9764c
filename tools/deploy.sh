#!/bin/sh
# make deploy: copies the archive to its target with rsync, only changed
# files, deleting what no longer belongs -- but only inside a target that
# is empty or holds an earlier deploy (its .baoku-build file), never in a
# directory baoku did not fill.
# Usage: tools/deploy.sh BUILD-DIR TARGET   (TARGET: a path or host:path)
set -eu
src=$1
target=${2:-}
if [ -z "$target" ]; then
	echo "baoku: no deploy target; set deploy_target in site.yml or DEPLOY_TARGET=..." >&2
	exit 1
fi
if [ ! -f "$src/.baoku-build" ]; then
	echo "baoku: $src is not a built archive; run make site first" >&2
	exit 1
fi
command -v rsync >/dev/null 2>&1 || sh tools/deps.sh deploy
case "$target" in
*:*) ;; # remote: rsync checks nothing there; its --delete stays in the target
*)
	if [ -d "$target" ] && [ -n "$(ls -A "$target")" ] && [ ! -f "$target/.baoku-build" ]; then
		echo "baoku: $target is not empty and holds no earlier deploy; refusing to delete in it" >&2
		exit 1
	fi
	mkdir -p "$target"
	;;
esac
# rsync's status, which the pipe into sed would hide, comes back on fd 4
exec 3>&1
st=$({ { rsync -a --delete --checksum --itemize-changes "$src/" "${target%/}/" || echo "$?" >&4; } |
	sed 's/^/baoku deploy: /' >&3; } 4>&1)
exec 3>&-
if [ -n "$st" ]; then
	echo "baoku: rsync failed (status $st); $target may be partly updated" >&2
	exit 1
fi
echo "baoku: deployed $src to $target"

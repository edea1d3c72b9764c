# TAP for shell tests. Source it; call ok/not_ok/is, then done_testing.
# $BAOKU is the binary under test (the Makefile sets it).
: "${BAOKU:=bin/baoku}"
case "$BAOKU" in /*) ;; *) BAOKU="$PWD/$BAOKU" ;; esac
T_N=0
T_FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/baoku-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { # ok CONDITION-STATUS NAME
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

ok_showing() { # ok_showing STATUS NAME FILE: ok, and when not, FILE (what
	# the command printed) on stderr, which prove shows, so that a failure
	# says why
	ok "$1" "$2"
	[ "$1" -eq 0 ] || sed 's/^/# /' "$3" >&2
}

is() { # is GOT WANT NAME
	T_N=$((T_N + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $T_N - $3"
	else
		echo "not ok $T_N - $3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

skip() { # skip REASON [COUNT]: COUNT checks (1) that cannot run here
	i=0
	while [ "$i" -lt "${2:-1}" ]; do
		T_N=$((T_N + 1))
		i=$((i + 1))
		echo "ok $T_N # SKIP $1"
	done
}

missing() { # missing REASON [COUNT]: checks that need a tool not installed
	# make check installs every tool (and sets REQUIRE_TOOLS): there a
	# missing one is a failure, elsewhere a skip
	if [ -n "${REQUIRE_TOOLS:-}" ]; then
		T_N=$((T_N + 1))
		echo "not ok $T_N - $1"
		T_FAILED=$((T_FAILED + 1))
	else
		skip "$1" "${2:-1}"
	fi
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}

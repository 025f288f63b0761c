# tests/interop/lib.sh - helpers for the interop scripts (sourced).
# Loopback only.  Every test uses its own port block (see each run).
set -eu

BUILD=${1:?usage: run BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ringway-interop.XXXXXX")
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	for f in "$TMP"/*.log "$TMP"/*.err; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
	done
	exit 1
}

# start NAME CMD...: run CMD in the background, stdout/stderr in $TMP/NAME.*
start() {
	name=$1; shift
	"$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	PIDS="$PIDS $!"
	eval "PID_$name=$!"
}

# wait_for FILE TEXT [SECONDS]: until FILE contains TEXT.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $((${3:-10} * 10)) ] && fail "timeout waiting for '$2' in $1"
		sleep 0.1
	done
}

# stop NAME: SIGTERM and wait for it to exit.
stop() {
	eval "pid=\$PID_$1"
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# json FILE KEY: a number from the one-line JSON in FILE.
json() {
	sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"
}

# seedlib.sh - helpers of the seed-flow tests tests/interop/01xx-*, sourced
# by their run scripts after ../lib.sh.  Every SIPp and the proxy write
# their output to $TMP/NAME.log (shown by fail) and SIPp its messages to
# $TMP/NAME.msg and unexpected-message reports to $TMP/NAME.err.

SEED=$(cd "$HERE/../0101-seed-flow" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TRACE="$TMP/trace.tsv"
SIPP_TIMEOUT=${SIPP_TIMEOUT:-30s}

# sipp, stopped with SIGINT (it then prints its statistics and exits) 15 s
# after its own -timeout: SIPp 3.6.1 was seen to ignore -timeout with a
# call stuck in a <recv> (exit status then 130 or 124).
sipp_bounded() {
	timeout -s INT -k 5 $((${SIPP_TIMEOUT%s} + 15)) sipp "$@"
}

[ -x "$BUILD/ringwayd" ] || fail "no $BUILD/ringwayd (build the proxy first)"
command -v sipp > /dev/null || fail "sipp is not installed"

# uas NAME SCENARIO PORT [SIPP ARGS...]: a SIPp UAS in the background,
# one UDP socket on 127.0.0.1:PORT; waits until it listens.
uas() {
	_n=$1 _sf=$2 _p=$3; shift 3
	sipp_bounded -sf "$_sf" -i 127.0.0.1 -p "$_p" -t u1 -nostdin \
		-timeout "$SIPP_TIMEOUT" -trace_msg -message_file "$TMP/$_n.msg" \
		-trace_err -error_file "$TMP/$_n.err" "$@" > "$TMP/$_n.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$_n=$!"
	wait_udp "$_p"
}

# uac NAME SCENARIO DEST PORT [SIPP ARGS...]: a SIPp UAC in the foreground;
# its exit status in $rc (0: every call succeeded).
uac() {
	_n=$1 _sf=$2 _d=$3 _p=$4; shift 4
	rc=0
	sipp_bounded -sf "$_sf" "$_d" -i 127.0.0.1 -p "$_p" -t u1 -nostdin \
		-timeout "$SIPP_TIMEOUT" -trace_msg -message_file "$TMP/$_n.msg" \
		-trace_err -error_file "$TMP/$_n.err" "$@" > "$TMP/$_n.log" 2>&1 ||
		rc=$?
}

# wait_udp PORT: until something listens on udp 127.0.0.1:PORT (5 s).
wait_udp() {
	_i=0
	until ss -Hlun "sport = :$1" | grep -q .; do
		_i=$((_i + 1))
		[ $_i -gt 50 ] && fail "nothing listens on udp port $1"
		sleep 0.1
	done
}

# finish NAME: wait for background SIPp NAME to end by itself (its own
# -timeout bounds the wait); exit status in $rc.
finish() {
	eval "_pid=\$PID_$1"
	rc=0
	wait "$_pid" || rc=$?
}

# calls NAME: "successful failed" from SIPp NAME's last statistics screen.
calls() {
	awk -F'|' '/Successful call/ { s = $3 } /Failed call/ { f = $3 }
		END { print s + 0, f + 0 }' "$TMP/$1.log"
}

# expect_calls NAME N: SIPp NAME ended with exactly N successful calls and
# no failed one.
expect_calls() {
	set -- "$1" "$2" $(calls "$1")
	[ "$3" -eq "$2" ] && [ "$4" -eq 0 ] ||
		fail "$1: $3 successful / $4 failed calls, expected $2 / 0"
}

# proxy_start CONF: ringwayd with CONF (@TRACE@ replaced by $TRACE) in the
# background; waits until it listens on PORT (the first listen line's).
proxy_start() {
	sed -e "s|@TRACE@|$TRACE|g" "$1" > "$TMP/proxy.conf"
	_p=$(sed -n 's/^listen *= *[a-z]*:[^:]*:\([0-9]*\).*/\1/p' \
		"$TMP/proxy.conf" | head -n 1)
	"$BUILD/ringwayd" -c "$TMP/proxy.conf" > "$TMP/proxy.log" 2>&1 &
	PID_proxy=$!
	PIDS="$PIDS $PID_proxy"
	wait_udp "$_p"
}

# proxy_stop: SIGTERM; ringwayd must exit 0 with no sanitizer report.
proxy_stop() {
	kill -0 "$PID_proxy" 2>/dev/null || fail "ringwayd died during the test"
	kill -TERM "$PID_proxy"
	rc=0
	wait "$PID_proxy" || rc=$?
	grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' "$TMP/proxy.log" &&
		fail "ringwayd: sanitizer report (see proxy.log)"
	[ $rc -eq 0 ] || fail "ringwayd exited $rc on SIGTERM"
}

# sent NAME RE: how many messages SIPp NAME sent whose start line matches
# the extended regexp RE.
sent() {
	awk -v re="$2" '/message sent/ { s = 1; next }
		/message received/ { s = 0; next }
		s == 1 && NF { if ($0 ~ re) n++; s = 2 }
		END { print n + 0 }' "$TMP/$1.msg"
}

# got NAME RE: the same for messages SIPp NAME received.
got() {
	awk -v re="$2" '/message received/ { s = 1; next }
		/message sent/ { s = 0; next }
		s == 1 && NF { if ($0 ~ re) n++; s = 2 }
		END { print n + 0 }' "$TMP/$1.msg"
}

# routed NAME METHOD: how many METHOD requests SIPp NAME sent with a Route
# header.
routed() {
	awk -v m="$2" '/message sent|message received/ { s = /sent/; r = 0; next }
		s && $1 == m && $2 ~ /^sip:/ { r = 1 }
		r && /^Route:/ { n++; r = 0 }
		END { print n + 0 }' "$TMP/$1.msg"
}

# parties PORT=NAME...: who is on which 127.0.0.1 port, for the ladder.
PARTIES=
parties() {
	PARTIES=
	for _a; do PARTIES="$PARTIES${PARTIES:+,}127.0.0.1:$_a"; done
}

# ladder: print the trace as a call-flow table with tools/ladder/ladder,
# if it exists.
ladder() {
	L="$ROOT/tools/ladder/ladder"
	[ -x "$L" ] || { echo "(no $L: no ladder)"; return 0; }
	[ -s "$TRACE" ] || { echo "(empty trace)"; return 0; }
	"$L" "$TRACE" ${PARTIES:+--names "$PARTIES"} || echo "(ladder failed: $?)"
}

# fail, as lib.sh's, with the ladder of what the proxy saw first.
fail() {
	echo "FAIL: $*"
	[ -s "$TRACE" ] && { echo "--- ladder of $TRACE"; ladder | head -n 80; }
	for f in "$TMP"/*.log "$TMP"/*.err; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
	done
	exit 1
}

# check_trace: run the python read from stdin (after `from seedtrace import
# *; evs, C = setup()`) with arguments TRACE PORT=NAME...; it ends with
# C.done(); fail with its report, else print it.
check_trace() {
	{ printf 'import sys\nsys.dont_write_bytecode = True\nsys.path.insert(0, "%s")\n' "$SEED"
	  printf 'from seedtrace import *\nevs, C = setup()\n'
	  cat; } > "$TMP/check.py"
	python3 "$TMP/check.py" "$TRACE" "$@" > "$TMP/check.txt" 2>&1 ||
		{ cat "$TMP/check.txt"; fail "trace check"; }
	cat "$TMP/check.txt"
}

# Shell helpers for the integration tests (bash; sourced by #!/bin/bash test scripts).
# Usage:  . "$top_srcdir/tests/lib.sh"; t_init NAME
#   t_init NAME          make a private work dir $T_DIR, install the cleanup trap
#   t_start NAME CMD...  start CMD in the background, log to $T_DIR/NAME.log, remember its PID
#   t_stop NAME          SIGTERM that process, wait (up to 5 s, then SIGKILL)
#   t_wait_for SECS CMD  run CMD every 50 ms until it succeeds or SECS pass (returns 1 then)
#   t_ok/t_fail MSG      count a check;  t_done prints "N passed, N failed" and exits
#   t_skip MSG           exit 77 (automake: skipped)
#   t_port               print a free TCP port on 127.0.0.1
# Everything started with t_start is stopped by PID on exit. Loopback only.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
T_PASS=0
T_FAIL=0
T_PIDS=""

t_init() {
	T_NAME=$1
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gba-$T_NAME.XXXXXX") || exit 99
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
}

t_cleanup() {
	for p in $T_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		t_reap "$p"
	done
	T_PIDS=""
	if [ "$T_FAIL" -eq 0 ] && [ -z "${T_KEEP:-}" ]; then
		rm -rf "$T_DIR"
	else
		echo "work directory kept: $T_DIR"
	fi
}

t_reap() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# t_start NAME CMD... ; the PID is in $T_LAST_PID and in variable PID_NAME
t_start() {
	_n=$1
	shift
	"$@" > "$T_DIR/$_n.log" 2>&1 &
	T_LAST_PID=$!
	T_PIDS="$T_PIDS $T_LAST_PID"
	eval "PID_$_n=$T_LAST_PID"
}

t_stop() {
	eval "_p=\${PID_$1:-}"
	[ -n "$_p" ] || return 0
	kill -TERM "$_p" 2>/dev/null
	t_reap "$_p"
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$_p" | tr '\n' ' ')
	eval "PID_$1="
}

t_kill9() {
	eval "_p=\${PID_$1:-}"
	[ -n "$_p" ] || return 0
	kill -KILL "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$_p" | tr '\n' ' ')
	eval "PID_$1="
}

t_wait_for() {
	_secs=$1
	shift
	_end=$(( $(date +%s%N) / 1000000 + _secs * 1000 ))
	while ! "$@" >/dev/null 2>&1; do
		[ $(( $(date +%s%N) / 1000000 )) -lt $_end ] || return 1
		sleep 0.05
	done
	return 0
}

t_ok() {
	T_PASS=$((T_PASS + 1))
	echo "PASS: $*"
}

t_fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL: $*"
}

# t_check MSG CMD...: pass when CMD succeeds
t_check() {
	_m=$1
	shift
	if "$@"; then t_ok "$_m"; else t_fail "$_m"; fi
}

t_skip() {
	echo "SKIP: $*"
	exit 77
}

t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && exit 0
	exit 1
}

t_port() {
	# a random high port nobody listens on (bash /dev/tcp probe)
	while :; do
		_p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$_p") 2>/dev/null; then
			echo "$_p"
			return 0
		fi
	done
}

# ---- pcscd + vpcd (private instance): written with the soft card (uicc/) ----

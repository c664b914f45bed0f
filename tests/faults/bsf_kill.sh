#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gba-bsf killed with SIGKILL under load, restarted on the same SQLite store and KEK: four
# fault_ue clients (32 subscribers, the built-in AuC) bootstrap in parallel while the BSF
# dies; they are stopped, the BSF restarted, and every session whose 200 reached a client
# must resolve over Zn with the key the UE derived (each IMPI's last one; the ones it
# replaced are gone). The clients then run again against the restarted BSF, it is killed a
# second time, and the whole run is checked: no B-TID twice, per IMSI every AUTN the cards
# received carried an SQN above the previous one (the test knows K/OPc: the card recovers
# SQN = (SQN xor AK) xor AK), no resync, no MAC failure; the database passes
# PRAGMA integrity_check.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-bsf-kill

FUE="$top_builddir/tests/faults/fault_ue"
[ -x "$T_GBA_BSF" ] || t_skip "$T_GBA_BSF not built"
[ -x "$FUE" ] || t_skip "$FUE not built (make check builds it)"
NSUB=32
NCLI=4
t_faults_profiles "$T_DIR/profiles" $NSUB
t_faults_bsf_conf "$T_DIR/bsf.conf" "sqlite:$T_DIR/bsf.db" 'sqn_reserve = 4;'
t_faults_bsf_start bsf "$T_DIR/bsf.conf"

# clients: client c bootstraps subscribers c*8 .. c*8+7 round robin
clients_start() {	# ROUND
	for c in $(seq 0 $((NCLI - 1))); do
		t_start "cli$c" "$FUE" load "$T_DIR/ue$c.events" "$T_FAULTS_UB" "$T_FAULTS_IMPI" \
			$((c * NSUB / NCLI)) $((NSUB / NCLI))
	done
}
clients_stop() {
	for c in $(seq 0 $((NCLI - 1))); do
		t_stop "cli$c"
	done
}
oks() {
	cat "$T_DIR"/ue*.events 2>/dev/null | grep -c ' OK '
}
errs() {	# requests that got no HTTP answer
	cat "$T_DIR"/ue*.events | awk '$2 == "ERR" && $4 == 0' | wc -l
}
oks_above() {
	[ "$(oks)" -ge "$1" ]
}
kill_under_load() {	# ROUND: wait for traffic, kill -9 while the clients run
	_before=$(oks)
	t_wait_for 20 oks_above $((_before + 400)) ||
		t_fail "round $1: the clients made no progress: $(tail -3 "$T_DIR/ue0.events")"
	sleep 0."$(( RANDOM % 5 ))"
	_n0=$(oks)
	_e0=$(errs)
	t_kill9 bsf
	# the clients keep knocking at the dead port for a moment, then stop
	sleep 0.3
	clients_stop
	_errs=$(( $(errs) - _e0 ))
	if [ "$_errs" -ge "$NCLI" ]; then
		t_ok "round $1: gba-bsf killed under load after $_n0 sessions" \
			"($_errs failed requests)"
	else
		t_fail "round $1: only $_errs failed requests: was there load at the kill?"
	fi
}

check_all() {	# N MSG: fault_ue check over every event log so far
	if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR"/ue*.events > "$T_DIR/check$1.out" \
		2> "$T_DIR/check$1.err"; then
		t_ok "$2 ($(tr '\n' ' ' < "$T_DIR/check$1.out"))"
	else
		t_fail "$2: $(cat "$T_DIR/check$1.out"; head -5 "$T_DIR/check$1.err")"
	fi
}

clients_start
kill_under_load 1
t0=$(date +%s%N)
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_ok "gba-bsf restarted on the same store in $ms ms"
check_all 1 "after the kill: every session a client got resolves over Zn with its key"

clients_start
kill_under_load 2
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
check_all 2 "whole run: sessions resolve, no B-TID twice, SQN always increasing, no resync"
awk '$2 == "CHAL" { print $5 }' "$T_DIR"/ue*.events | sort | uniq -d > "$T_DIR/dup-autn"
t_check "no AUTN received twice ($(awk '$2 == "CHAL"' "$T_DIR"/ue*.events | wc -l) AUTNs)" \
	test ! -s "$T_DIR/dup-autn"
t_stop bsf
t_faults_integrity "$T_DIR/bsf.db"
t_check "gba-bsf's log has no sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR'/bsf*.log"
t_done

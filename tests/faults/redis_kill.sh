#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# redis-server killed with SIGKILL and restarted on the same port and AOF (appendfsync always),
# twice, while two gba-bsf processes on it serve a fault_ue client each (tests/bsf/redis.sh
# covers a clean stop, the Zn fault and the cross-BSF cases; this is the crash under load).
# Asserted from the clients' event logs: each outage answered 503 with Retry-After at both
# BSFs, nothing else ever fails; both recover by themselves (same processes) and keep
# succeeding; every session a client got, also the ones acknowledged just before a kill,
# resolves over Zn at both BSFs with the UE's key; no B-TID twice; per IMSI the SQN only grew
# (each client stays on one BSF: several built-in AuCs interleave SQNs, doc/redis.md).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-redis-kill

FUE="$top_builddir/tests/faults/fault_ue"
[ -x "$T_GBA_BSF" ] || t_skip "$T_GBA_BSF not built"
[ -x "$FUE" ] || t_skip "$FUE not built (make check builds it)"
PASS=faults-redis-pw
t_redis_conf "$T_DIR/redis.conf" "$PASS"
t_redis_start redis "$T_DIR/redis.conf"

t_faults_profiles "$T_DIR/profiles" 8
STORE="redis://:$PASS@127.0.0.1:$T_REDIS_PORT/3"
t_faults_bsf_conf "$T_DIR/a.conf" "$STORE" 'threads = 2;'
UB_A=$T_FAULTS_UB ZN_A=$T_FAULTS_ZN
t_faults_bsf_conf "$T_DIR/b.conf" "$STORE" 'threads = 2;'
UB_B=$T_FAULTS_UB ZN_B=$T_FAULTS_ZN
t_faults_bsf_start bsfA "$T_DIR/a.conf"
t_faults_bsf_start bsfB "$T_DIR/b.conf"
pids="$PID_bsfA $PID_bsfB"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_start cliA "$FUE" load "$T_DIR/ueA.events" "$UB_A" "$T_FAULTS_IMPI" 0 4 20
t_start cliB "$FUE" load "$T_DIR/ueB.events" "$UB_B" "$T_FAULTS_IMPI" 4 4 20
ok_after() {	# FILE T: a bootstrap in FILE succeeded after T
	awk -v t="$2" '$2 == "OK" && $1 > t { f = 1 } END { exit !f }' "$1"
}
t_wait_for 10 ok_after "$T_DIR/ueA.events" 0 && t_wait_for 10 ok_after "$T_DIR/ueB.events" 0 ||
	t_fail "no bootstrap on Redis: $(tail -3 "$T_DIR/ueA.events")"
sleep 0.5
DOWN=()
UP=()
for round in 1 2; do
	DOWN+=("$(ms)")
	t_kill9 redis
	sleep 1.5
	UP+=("$(ms)")
	t_redis_start redis "$T_DIR/redis.conf"
	if t_wait_for 10 ok_after "$T_DIR/ueA.events" "${UP[-1]}" &&
	   t_wait_for 10 ok_after "$T_DIR/ueB.events" "${UP[-1]}"; then
		t_ok "kill $round: both BSFs bootstrap again" \
			"$(( $(ms) - UP[-1] )) ms after the restart"
	else
		t_fail "kill $round: no recovery:" \
			"$(tail -2 "$T_DIR/ueA.events" "$T_DIR/ueB.events")"
	fi
	sleep 1
done
END=$(ms)
t_stop cliA
t_stop cliB

for c in A B; do
	t_faults_outages "BSF $c" "$T_DIR/ue$c.events" "$END" "${DOWN[0]}" "${UP[0]}" \
		"${DOWN[1]}" "${UP[1]}"
	t_check "BSF $c logged the reconnection" grep -q "connected again" "$T_DIR/bsf$c.log"
done
t_check "both gba-bsf are the same processes, still running" kill -0 $pids
if "$FUE" check "$ZN_A,$ZN_B" naf.test "$T_DIR"/ue*.events > "$T_DIR/check.out" 2>&1; then
	t_ok "every session resolves at both BSFs with the UE's key, no B-TID twice, SQN grew" \
		"($(tr '\n' ' ' < "$T_DIR/check.out"))"
else
	t_fail "check: $(head -5 "$T_DIR/check.out")"
fi
t_stop bsfA
t_stop bsfB
t_check "gba-bsf's logs have no sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR'/bsf*.log"
t_done

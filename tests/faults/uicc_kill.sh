#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gba-uicc killed with SIGKILL in the middle of its state updates, through the real program
# under pcscd (tests/uicc/test_state.c kills a forked card at each step of one write; here the
# kills land at random moments of a stream). fault_card drives a GBA_U card as fast as it
# can: AUTHENTICATE (GBA bootstrapping, SQN + Ks + RAND saved) and UPDATE BINARY EF_GBABP,
# each acknowledged step logged. Six times: gba-uicc on the same state file, fault_card,
# a kill -9 after a random 0.2-0.9 s. Each restart must accept the state file (never torn:
# a torn or corrupt file is refused, tests/uicc/pcsc.sh), the card's SQN_MS (from the AUTS
# it answers to the last acknowledged AUTN) must be that SQN or the one in flight, never
# below (no SQN accepted twice), EF_GBABP the last acknowledged value or the one in flight,
# and the card must go on accepting fresh SQNs.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-uicc-kill

FC="$top_builddir/tests/faults/fault_card"
[ -x "$FC" ] || t_skip "$FC not built (make check builds it)"
t_pcscd_start
t_faults_profiles "$T_DIR/p1" 1
sed 's/gba_u = false/gba_u = true/' "$T_DIR/p1" > "$T_DIR/card.conf"
chmod 600 "$T_DIR/card.conf"

no_card() {
	! t_card_present
}
acks() {
	grep -c '^ACK' "$T_DIR/steps.log" 2>/dev/null
}
acks_changed() {
	[ "$(acks)" != "$a0" ]
}
kills=0
for round in 1 2 3 4 5 6; do
	t_card_start card "$T_DIR/card.conf"
	if grep -qi "refusing" "$T_DIR/card.log"; then
		t_fail "round $round: gba-uicc refused its state file: $(cat "$T_DIR/card.log")"
		break
	fi
	a0=$(acks)
	t_start fc "$FC" "GBA Test PCD" "$T_DIR/steps.log"
	# let it run, then kill the card wherever it is
	t_wait_for 10 acks_changed || true
	sleep "0.$(( RANDOM % 8 + 2 ))"
	t_kill9 card
	kills=$((kills + 1))
	t_wait_for 10 bash -c "! kill -0 $PID_fc" || t_fail "round $round: fault_card hangs"
	eval "pid=\$PID_fc"
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$pid" | tr '\n' ' ')
	cat "$T_DIR/fc.log" >> "$T_DIR/fc-all.log"
	v=$(grep '^VERIFY' "$T_DIR/fc.log")
	if [ $round -gt 1 ]; then
		[ $rc = 0 ] && grep -q '^VERIFY ok' "$T_DIR/fc.log" &&
			t_ok "round $round: state after the kill agrees: ${v#VERIFY ok: }" ||
			t_fail "round $round: exit $rc: $(cat "$T_DIR/fc.log")"
	else
		t_check "round 1: the card takes fresh SQNs ($(acks) steps)" test $rc = 0
	fi
	t_wait_for 5 no_card || true
done
# a last start: the state file of the last kill, verified, then a clean stop
t_card_start card "$T_DIR/card.conf"
t_start fc "$FC" "GBA Test PCD" "$T_DIR/steps.log"
t_wait_for 10 grep -q '^VERIFY' "$T_DIR/fc.log"
sleep 0.3
t_stop card
t_wait_for 10 bash -c "! kill -0 $PID_fc"
t_check "after the last kill: $(grep '^VERIFY' "$T_DIR/fc.log")" grep -q '^VERIFY ok' \
	"$T_DIR/fc.log"
n=$(acks)
t_check "$kills kills, $n acknowledged AUTHENTICATEs, none refused" \
	test "$n" -gt 30 -a -z "$(grep '^FAIL' "$T_DIR/fc-all.log" "$T_DIR/fc.log")"
awk '/^ACK/ { print $2 }' "$T_DIR/steps.log" | sort -n | uniq -d > "$T_DIR/dup-sqn"
t_check "no SQN acknowledged twice by the card" test ! -s "$T_DIR/dup-sqn"
t_check "no temporary state file left" test ! -e "$T_DIR/card.state.tmp"
t_done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pcscd killed with SIGKILL while gba-ue works (a loop of naf-key and forced bootstraps
# against gba-bsf, a GBA_ME gba-uicc card through vpcd), then started again on the same
# socket and vpcd port. Asserted: every gba-ue run of the loop ends with exit 0 or 2
# (pcscd/reader/card, gba-ue(1)), never a crash or another code; during the outage
# `gba-ue info` and `gba-ue naf-key` exit 2 and say that pcscd is not running; gba-uicc
# reconnects by itself and gba-ue works again; the GBA_ME key cache is intact: a plain
# `gba-ue bootstrap` takes it from the cache (no Ub run), and the key gba-ue derives from it
# equals the BSF's Zn answer; no temporary cache file is left behind.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-pcscd-restart

FUE="$top_builddir/tests/faults/fault_ue"
for p in "$T_GBA_BSF" "$T_GBA_UE" "$FUE"; do
	[ -x "$p" ] || t_skip "$p not built"
done
export XDG_STATE_HOME="$T_DIR/state"
t_faults_profiles "$T_DIR/profiles" 1
t_faults_bsf_conf "$T_DIR/bsf.conf" "sqlite:$T_DIR/bsf.db"
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
t_pcscd_start
t_card_start card "$T_DIR/profiles"
UE=("$T_GBA_UE" --reader "GBA Test PCD" --bsf "$T_FAULTS_UB/")
jget() {	# FILE KEY: a string or number of a one-line JSON object
	sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"
}
# key_ok FILE: gba-ue's naf-key JSON equals gba-bsf's Zn answer for its B-TID
key_ok() {
	_z=$("$FUE" zn "$T_FAULTS_ZN" "$(jget "$1" btid)" naf.test 2>&1)
	[ -n "$(jget "$1" key)" ] && [ "${_z#* }" = "$(jget "$1" key)" ]
}

"${UE[@]}" --json bootstrap > "$T_DIR/b0.json" 2> "$T_DIR/b0.err" ||
	{ cat "$T_DIR/b0.json" "$T_DIR/b0.err"; t_fail "first bootstrap"; t_done; }
t_ok "GBA_ME bootstrap through pcscd: $(jget "$T_DIR/b0.json" btid)"

# ---- the loop: naf-key from the cache, and every third run a forced bootstrap
loop() {
	for _n in $(seq 1 100000); do
		if [ $((_n % 3)) = 0 ]; then
			"${UE[@]}" --json --force bootstrap > /dev/null 2>&1
		else
			"${UE[@]}" --json naf-key naf.test > /dev/null 2>&1
		fi
		_rc=$?
		echo "$(( $(date +%s%N) / 1000000 )) $_rc" >> "$T_DIR/loop.rc"
		[ -f "$T_DIR/loop.stop" ] && break
	done
}
loop &
LOOP=$!
t_wait_for 20 test -s "$T_DIR/loop.rc" || t_fail "gba-ue loop does not run"
sleep 1
t_kill9 pcscd
sleep 0.5
rc=0
"$T_GBA_UE" --reader "GBA Test PCD" info > "$T_DIR/info.out" 2>&1 || rc=$?
t_check "pcscd down: gba-ue info exits 2 ($(cat "$T_DIR/info.out"))" \
	test $rc = 2 -a -n "$(grep -i 'pcscd not running' "$T_DIR/info.out")"
rc=0
"${UE[@]}" naf-key naf.test > "$T_DIR/nk.out" 2>&1 || rc=$?
t_check "pcscd down: gba-ue naf-key exits 2 ($(cat "$T_DIR/nk.out"))" \
	test $rc = 2 -a -n "$(grep -i 'pcscd not running' "$T_DIR/nk.out")"
sleep 1
t0=$(date +%s%N)
t_faults_pcscd_restart
t_wait_for 15 t_card_present || t_fail "gba-uicc did not come back in the restarted pcscd"
restart_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
up=$(( $(date +%s%N) / 1000000 ))
ok_since() {
	awk -v t="$up" '$1 > t && $2 == 0 { f = 1 } END { exit !f }' "$T_DIR/loop.rc"
}
t_wait_for 15 ok_since &&
	t_ok "pcscd restarted: card back in $restart_ms ms, the loop works again" ||
	t_fail "no gba-ue success after the restart: $(tail -3 "$T_DIR/loop.rc")"
sleep 1
touch "$T_DIR/loop.stop"
wait $LOOP
n=$(wc -l < "$T_DIR/loop.rc")
n2=$(awk '$2 == 2' "$T_DIR/loop.rc" | wc -l)
other=$(awk '$2 != 0 && $2 != 2' "$T_DIR/loop.rc" | wc -l)
t_check "$n gba-ue runs: $n2 exited 2 during the outage, $other with another code" \
	test "$n2" -gt 0 -a "$other" -eq 0
late=$(awk -v t="$up" '$1 > t + 2000 && $2 != 0' "$T_DIR/loop.rc" | wc -l)
t_check "no failure once pcscd and the card were back" test "$late" -eq 0

# ---- the cache survived: used as is, and its key is the BSF's
rc=0
"${UE[@]}" --json bootstrap > "$T_DIR/b1.json" 2>&1 || rc=$?
t_check "cache intact: bootstrap served from it (cached: $(jget "$T_DIR/b1.json" cached))" \
	test $rc = 0 -a "$(jget "$T_DIR/b1.json" cached)" = true
"${UE[@]}" --json --show-key naf-key naf.test > "$T_DIR/k1.json" 2>&1
t_check "the cached bootstrap's NAF key equals gba-bsf's Zn answer" key_ok "$T_DIR/k1.json"
t_check "no temporary cache file left" \
	test -z "$(find "$XDG_STATE_HOME" -name '*.tmp*' 2>/dev/null)"
t_check "gba-uicc survived the pcscd restart (same process)" kill -0 "$PID_card"
t_done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The HSS flapping under gba-bsf --zh gsup: osmo-hlr (own 127.x.y.z address, as in
# tests/bsf/gsup.sh, 8 subscribers provisioned with gba-hlr-provision) is stopped (twice
# SIGKILL, once SIGTERM) and started again three times while two fault_ue clients bootstrap
# without pause. Asserted from the clients' event logs: each outage is answered 503 with
# Retry-After (and nothing else fails: no 500, no 403, no timeout); after each restart the
# bootstraps succeed again and keep succeeding until the next outage; gba-bsf is the same
# process throughout; every session a client got resolves over Zn with its key, and per IMSI
# the SQNs osmo-hlr handed out only grew (no resync needed by the cards).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-hlr-flap

FUE="$top_builddir/tests/faults/fault_ue"
GBAP="$top_builddir/contrib/gba-profile"
PROV="$top_srcdir/contrib/gba-hlr-provision"
for p in "$T_GBA_BSF" "$FUE" "$GBAP"; do
	[ -x "$p" ] || t_skip "$p not built"
done

t_hlr_start
ADDR=$T_HLR_ADDR
t_faults_profiles "$T_DIR/profiles" 8
"$PROV" --host "$ADDR" --gba-profile "$GBAP" "$T_DIR/profiles" > "$T_DIR/prov.log" 2>&1 ||
	{ cat "$T_DIR/prov.log"; t_fail "gba-hlr-provision"; t_done; }
t_faults_bsf_conf "$T_DIR/bsf.conf" "sqlite:$T_DIR/bsf.db" "zh = \"gsup:$ADDR\";" \
	'gsup_name = "GBA-BSF-FAULTS";'
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
bsf_pid=$PID_bsf

ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_start cli0 "$FUE" load "$T_DIR/ue0.events" "$T_FAULTS_UB" "$T_FAULTS_IMPI" 0 4 20
t_start cli1 "$FUE" load "$T_DIR/ue1.events" "$T_FAULTS_UB" "$T_FAULTS_IMPI" 4 4 20
ok_after() {	# T: a bootstrap succeeded after T
	cat "$T_DIR"/ue*.events | awk -v t="$1" '$2 == "OK" && $1 > t { f = 1 } END { exit !f }'
}
t_wait_for 10 ok_after 0 || t_fail "no bootstrap through osmo-hlr: $(tail -3 "$T_DIR/ue0.events")"
sleep 0.5
DOWN=()
UP=()
for round in 1 2 3; do
	DOWN+=("$(ms)")
	if [ $round = 2 ]; then t_stop hlr; else t_kill9 hlr; fi
	sleep 1.5
	UP+=("$(ms)")
	t_hlr_start
	if t_wait_for 15 ok_after "${UP[-1]}"; then
		t_ok "outage $round: bootstraps succeed again" \
			"$(( $(ms) - UP[-1] )) ms after the restart"
	else
		t_fail "outage $round: no bootstrap after the restart:" \
			"$(tail -3 "$T_DIR/ue0.events")"
	fi
	sleep 1
done
END=$(ms)
t_stop cli0
t_stop cli1
cat "$T_DIR"/ue*.events | sort -n > "$T_DIR/all.events"

t_faults_outages "osmo-hlr" "$T_DIR/all.events" "$END" "${DOWN[0]}" "${UP[0]}" "${DOWN[1]}" \
	"${UP[1]}" "${DOWN[2]}" "${UP[2]}"
t_check "gba-bsf logged the GSUP link going down and up again" \
	bash -c "grep -c 'GSUP link to .* up' '$T_DIR/bsf.log' | grep -q '^[4-9]'"
t_check "gba-bsf is the same process, still running" kill -0 "$bsf_pid"
if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR"/ue*.events > "$T_DIR/check.out" 2>&1; then
	t_ok "sessions resolve over Zn, SQN from osmo-hlr only grew, no resync" \
		"($(tr '\n' ' ' < "$T_DIR/check.out"))"
else
	t_fail "check: $(head -5 "$T_DIR/check.out")"
fi
t_stop bsf
t_check "gba-bsf's log has no sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR/bsf.log'"
t_done

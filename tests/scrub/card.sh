#!/bin/bash
# Key scrubbing with a card: gba-ue bootstraps (GBA_ME, no cache file) through pcscd and the
# soft card gba-uicc at gba-bsf and connects to gba-naf with TLS 1.2 PSK. Then the card
# process keeps no RES, CK, IK, Ks or Ks_NAF of that run (K and OPc it holds by design), the
# BSF none once the session expired and was purged, and no log of gba-uicc, gba-ue,
# gba-bsf or gba-naf, at debug level without --debug-keys, shows any key (K and OPc too).
# The secrets are computed here from K/OPc and the RAND in the B-TID (scrub_tool keys).
. "$top_srcdir/tests/lib.sh"
t_init scrub-card

TOOL="$top_builddir/tests/scrub/scrub_tool"
[ -x "$TOOL" ] || t_skip "$TOOL not built"
[ -x "$T_GBA_UE" ] || t_skip "$T_GBA_UE not built"
[ "$(id -u)" = 0 ] || t_skip "reading /proc/PID/mem of the daemons needs root"
[ -z "${GBA_VALGRIND:-}" ] || t_skip "memory of a process under valgrind is valgrind's"
# AddressSanitizer keeps freed blocks unreused in its quarantine (and its own allocator's
# copies): what other libraries free unwiped would linger there far longer than with glibc
ldd "$TOOL" 2>/dev/null | grep -q libasan && t_skip "ASan build: freed memory quarantined"
. "$top_srcdir/tests/naf/lib_naf.sh"
export XDG_STATE_HOME="$T_DIR/state"
FQDN=127.0.0.1	# gba-ue takes the NAF FQDN from the URL host
LIFE=4

t_pcscd_start
naf_profile "$T_DIR/card.conf" "gba = true; gba_u = false; key_lifetime = $LIFE;"
T_NAF_FQDNS="\"$FQDN\""
t_bsf_start "$T_DIR/card.conf" 'log = "debug";' 'purge_interval = 1;'
t_naf_start --fqdn "$FQDN" --log debug
t_card_start card "$T_DIR/card.conf" --log debug

"$T_GBA_UE" --reader "GBA Test PCD" --bsf "$T_BSF_UB" --gba-me --no-cache --log debug --tls12 \
	connect "https://127.0.0.1:$T_NAF_TLS/" > "$T_DIR/ue.out" 2> "$T_DIR/ue.log"
t_check "gba-ue connected to gba-naf (GBA_ME, TLS 1.2)" \
	t_wait_for 5 grep -q "^peer impi=$IMPI .*mode=GBA_ME" "$T_DIR/naf.log"
BTID=$(sed -n "s/^peer impi=.* btid=\([^ ]*\) .*/\1/p" "$T_DIR/naf.log" | head -n 1)
"$TOOL" keys "$K" "$OPC" "$BTID" "$IMPI" "$FQDN" > "$T_DIR/s.keys" ||
	{ t_fail "keys of $BTID"; t_done; }
mapfile -t S < <(awk '$1 != "btid" { print $1 "=" $2 }' "$T_DIR/s.keys")
KS=("K=$K" "OPc=$OPC")

"$TOOL" scan "$PID_card" "${S[@]}" > "$T_DIR/scan-card.txt" 2>&1
t_check "gba-uicc's memory holds no RES, CK, IK, Ks or Ks_NAF of the run" test $? = 0
cat "$T_DIR/scan-card.txt"
sleep $((LIFE + 3))	# expired, purged
"$TOOL" scan "$PID_bsf" "${S[@]}" > "$T_DIR/scan-bsf.txt" 2>&1
rc=$?
cat "$T_DIR/scan-bsf.txt"
t_check "gba-bsf's memory holds no RES, CK, IK, Ks or Ks_NAF of the expired session" \
	test $rc = 0

t_stop card
t_stop naf
t_stop bsf
for l in card ue bsf naf; do
	t_check "$l.log ($(wc -l < "$T_DIR/$l.log") lines at debug) shows no key" \
		"$TOOL" grep "$T_DIR/$l.log" "${KS[@]}" "${S[@]}"
done
t_done

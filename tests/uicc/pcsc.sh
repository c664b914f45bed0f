#!/bin/bash
# Integration test: gba-uicc behind a private pcscd + vpcd, driven through libpcsclite with
# the apdu/ PC/SC transport (pcsc_client): USIM/ISIM selection, EF_IMSI/EF_IMPI, AUTHENTICATE
# 3G and both GBA_U modes against known answers; pcsc_scan lists the reader and the ATR;
# --trace masks key material; the card survives a restart with its SQN state; SIGTERM stops it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init uicc-pcsc

B="$top_builddir/tests/uicc"
PROFILE="$top_srcdir/tests/uicc/set1.conf"

t_pcscd_start
t_ok "private pcscd lists '$T_READER' (vpcd port $T_VPCD_PORT)"

t_card_start card "$PROFILE" --trace
t_ok "gba-uicc connected, card present"

out=$(pcsc_scan -r 2>&1)
if echo "$out" | grep -q "GBA Test PCD 00 00"; then t_ok "pcsc_scan -r lists the reader"
else t_fail "pcsc_scan -r: $out"; fi
out=$(timeout 5 pcsc_scan -c -t 1 2>&1)
if echo "$out" | grep -q "3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5"; then
	t_ok "pcsc_scan shows the card's ATR"
else
	t_fail "pcsc_scan -c: $out"
fi

rc=0
"$B/pcsc_client" "GBA Test PCD" > "$T_DIR/client.log" 2>&1 || rc=$?
cat "$T_DIR/client.log"
[ $rc -eq 0 ] && t_ok "pcsc_client: every check passed" || t_fail "pcsc_client exit $rc"

# the trace names the commands and masks RES/CK/IK/Ks_ext_NAF
if grep -q "(AUTHENTICATE)" "$T_DIR/card.log" && grep -q "R-APDU: DB 08 \*\* \*\*" "$T_DIR/card.log" &&
   ! grep -qi "A5 42 11 D5 E3 BA 50 BF" "$T_DIR/card.log" &&
   ! grep -qi "F2 65 D2 91" "$T_DIR/card.log"; then
	t_ok "--trace shows AUTHENTICATE with RES and Ks_ext_NAF masked"
else
	t_fail "trace masking (see $T_DIR/card.log)"
fi

# restart the card on the same state: the AUTN answered before is refused (AUTS)
t_stop card
st=$(stat -c %a "$T_DIR/card.state")
[ "$st" = 600 ] && t_ok "state file is 0600" || t_fail "state file mode $st"
t_card_start card "$PROFILE"
rc=0
"$B/pcsc_client" "GBA Test PCD" > "$T_DIR/client2.log" 2>&1 || rc=$?
if grep -q "FAIL: AUTHENTICATE GBA bootstrapping" "$T_DIR/client2.log" &&
   grep -q "ok: EF_IMSI" "$T_DIR/client2.log"; then
	t_ok "after a restart the old AUTN is refused (SQN state kept)"
else
	cat "$T_DIR/client2.log"
	t_fail "restart: SQN state"
fi

# SIGTERM: clean exit
eval "pid=\$PID_card"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ $rc -eq 0 ] && t_ok "SIGTERM: gba-uicc exits 0" || t_fail "SIGTERM: exit $rc"
PID_card=
T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$pid" | tr '\n' ' ')

# a corrupt state file is refused, not reset
printf 'X' | dd of="$T_DIR/card.state" bs=1 seek=40 conv=notrunc 2>/dev/null
rc=0
timeout 5 "$T_GBA_UICC" --profile "$PROFILE" --state "$T_DIR/card.state" \
	--vpcd "127.0.0.1:$T_VPCD_PORT" > "$T_DIR/corrupt.log" 2>&1 || rc=$?
if [ $rc -eq 1 ] && grep -q "refusing the card state file" "$T_DIR/corrupt.log"; then
	t_ok "corrupt state file refused with a message"
else
	t_fail "corrupt state: exit $rc, $(cat "$T_DIR/corrupt.log")"
fi

t_done

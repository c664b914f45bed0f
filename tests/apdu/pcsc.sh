#!/bin/bash
# Integration test of the apdu/ PC/SC transport against a private pcscd with the vpcd
# reader: reader listing, no reader matching the name (ENODEV), no card (ENOMEDIUM), waiting
# for a card that does not come (ETIMEDOUT), then (when gba-uicc is built) a card arriving
# while the transport waits, connection and a SELECT MF through gba_apdu_exchange().
# pcscd not running at all (EHOSTDOWN) is covered by test_transport.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init apdu-pcsc

P="$top_builddir/tests/apdu/pcsc_probe"
[ -x "$P" ] || t_skip "$P not built"
t_pcscd_start
t_ok "private pcscd lists '$T_READER'"

out=$("$P" list)
if echo "$out" | grep -q "^$T_READER	empty$"; then t_ok "list: reader without a card"
else t_fail "list: $out"; fi

out=$("$P" open "No Such Reader" 0)
[ "$out" = ENODEV ] && t_ok "unknown reader name: ENODEV" || t_fail "unknown reader: $out"

out=$("$P" open "GBA Test" 0)
[ "$out" = ENOMEDIUM ] && t_ok "no card, no wait: ENOMEDIUM" || t_fail "no card: $out"

start=$(date +%s%N)
out=$("$P" open - 700)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$out" = ETIMEDOUT ] && [ $ms -ge 600 ]; then t_ok "no card within 700 ms: ETIMEDOUT"
else t_fail "wait for a card: $out after $ms ms"; fi

if [ -x "$T_GBA_UICC" ] && [ -f "$top_srcdir/tests/uicc/set1.conf" ]; then
	# the probe waits first; the card comes in while it waits
	"$P" open "GBA Test" 10000 > "$T_DIR/probe.out" 2>&1 &
	probe=$!
	sleep 0.5
	t_start card "$T_GBA_UICC" --profile "$top_srcdir/tests/uicc/set1.conf" \
		--state "$T_DIR/card.state" --vpcd "127.0.0.1:$T_VPCD_PORT"
	wait $probe
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^OK T=" "$T_DIR/probe.out" &&
	   grep -q "SELECT MF: .* SW 9000" "$T_DIR/probe.out"; then
		t_ok "card arrived while waiting; SELECT MF answered 9000"
	else
		cat "$T_DIR/probe.out"
		t_fail "card arrival (rc $rc)"
	fi
	out=$("$P" list)
	echo "$out" | grep -q "^$T_READER	card$" && t_ok "list: card present" || t_fail "list: $out"
else
	echo "gba-uicc not built: card part skipped"
fi
t_done

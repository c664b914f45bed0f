#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of Zh over Diameter: gba-bsf --zh diameter:FDCONF against tests/diameter/
# test_hss (a freeDiameter peer answering MAR from sim-profiles), both on loopback peers
# without TLS. Bootstraps by the test UE of tests/bsf (its card computes from K/OPc, Ks_NAF
# compared with the BSF's over Zn); GBA_ME and GBA_U profiles (GUSS lifetime reaches the
# bootstrap); resync when the card's SQN is ahead of the HSS; unknown user 403; HSS stopped
# 503 + Retry-After; HSS back without restarting gba-bsf. The Diameter traffic is captured
# with tshark: every non-base message is Zh (16777221) MAR/MAA (303) and nothing is malformed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/diameter/dia_lib.sh"
t_init dia-zh

command -v curl >/dev/null 2>&1 || t_skip "curl is not installed"
TUE="$top_builddir/tests/bsf/tue_cli"
DUE="$top_builddir/tests/diameter/dia_ue"
for p in "$T_GBA_BSF" "$TUE" "$DUE" "$T_TEST_HSS"; do
	[ -x "$p" ] || t_skip "$p not built"
done
SP="$top_srcdir/sim-profiles"
REALM=bsf.test.example		# tue_cli's realm
IMPI_ME=001010000000008@ims.mnc001.mcc001.3gppnetwork.org
IMPI_U=001010000000007@ims.mnc001.mcc001.3gppnetwork.org

mkdir -p "$T_DIR/subs"
cp "$SP/gba-me.conf" "$SP/gba-u.conf" "$T_DIR/subs/"
chmod 600 "$T_DIR/subs/"*.conf
BSF_DIA=$(t_port)
HSS_DIA=$(t_port)
t_dia_conf "$T_DIR/bsf-fd.conf" bsf.gba.test "$BSF_DIA" hss.gba.test "$HSS_DIA"
t_dia_conf "$T_DIR/hss-fd.conf" hss.gba.test "$HSS_DIA" bsf.gba.test "$BSF_DIA"

t_capture_start zh "$HSS_DIA" "$BSF_DIA"
[ "$T_CAPTURE" = 1 ] || echo "note: no tshark capture, traffic checks skipped"
t_hss_start "$T_DIR/hss-fd.conf" "$T_DIR/subs"

UBPORT=$(t_port)
ZNPORT=$(t_port)
UB="http://127.0.0.1:$UBPORT"
ZN="http://127.0.0.1:$ZNPORT"
cat > "$T_DIR/bsf.conf" <<EOT
fqdn = "$REALM";
ub_listen = "127.0.0.1:$UBPORT";
zn_listen = "127.0.0.1:$ZNPORT";
store = "sqlite:$T_DIR/bsf.db";
kek_file = "$T_DIR/bsf.kek";
key_lifetime = 3600;
retry_after = 7;
log = "info";
zh = "diameter:$T_DIR/bsf-fd.conf";
zn: { allow_plain_http = true; nafs = ( { id = "plain"; fqdns = [ "naf.test" ]; } ); };
EOT

rc=0
"$T_GBA_BSF" --config "$T_DIR/bsf.conf" --zh "diameter:" > "$T_DIR/bad.log" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q 'zh must be' "$T_DIR/bad.log" && t_ok "--zh diameter: without a file: exit 2" ||
	t_fail "--zh diameter: exit $rc $(cat "$T_DIR/bad.log")"
rc=0
"$T_GBA_BSF" --config "$T_DIR/bsf.conf" --zh "diameter:$T_DIR/none.conf" > "$T_DIR/bad.log" 2>&1 ||
	rc=$?
[ $rc -ne 0 ] && grep -q 'none.conf' "$T_DIR/bad.log" && t_ok "missing freeDiameter file: refused" ||
	t_fail "missing freeDiameter file: exit $rc $(cat "$T_DIR/bad.log")"

t_start bsf "$T_GBA_BSF" --config "$T_DIR/bsf.conf"
t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$UBPORT" ||
	{ cat "$T_DIR/bsf.log"; t_fail "gba-bsf did not start"; t_done; }
t_check "gba-bsf: HSS peer open at start" grep -q "1 of 1 configured peers open" "$T_DIR/bsf.log"

# ---- bootstraps through Zh; Ks_NAF from the BSF (Zn) equals the UE's own derivation
MARS=0
for i in 1 2 3; do
	if "$TUE" boot "$UB" "$IMPI_ME" "$ZN" naf.test > "$T_DIR/boot.out" 2>&1; then
		t_ok "GBA_ME bootstrap $i over Diameter Zh, Ks_NAF equal ($(head -1 "$T_DIR/boot.out"))"
	else
		t_fail "GBA_ME bootstrap $i: $(cat "$T_DIR/boot.out")"
	fi
	MARS=$((MARS + 1))
done
"$TUE" boot "$UB" "$IMPI_U" "$ZN" naf.test > "$T_DIR/boot.out" 2>&1 &&
	t_ok "GBA_U profile bootstrap, Ks_NAF equal" ||
	t_fail "GBA_U profile bootstrap: $(cat "$T_DIR/boot.out")"
MARS=$((MARS + 1))

# ---- resync: the card has seen a far higher SQN than the HSS. The GUSS lifetime of the
# profile (7200 for GBA_U, none for GBA_ME: the BSF's 3600) reaches the bootstrap.
n0=$(grep -c ": resync (2001)" "$T_DIR/hss.log")
if out=$("$DUE" "$UB" "$REALM" "$SP/gba-me.conf" 1000000 2>&1); then
	set -- $out
	[ "$2" -gt 3590 ] && [ "$2" -le 3600 ] &&
		t_ok "GBA_ME resync (card ahead), lifetime 3600 (BSF default)" ||
		t_fail "GBA_ME resync: lifetime $2"
else
	t_fail "GBA_ME resync: $out"
fi
MARS=$((MARS + 2))
if out=$("$DUE" "$UB" "$REALM" "$SP/gba-u.conf" 0xffff00000000 2>&1); then
	set -- $out
	[ "$2" -gt 7190 ] && [ "$2" -le 7200 ] && t_ok "GBA_U resync, lifetime 7200 from the GUSS" ||
		t_fail "GBA_U resync: lifetime $2"
else
	t_fail "GBA_U resync: $out"
fi
MARS=$((MARS + 2))
n1=$(grep -c ": resync (2001)" "$T_DIR/hss.log")
[ $((n1 - n0)) -eq 2 ] && t_ok "the HSS resynchronised twice (SIP-Authorization = RAND||AUTS)" ||
	t_fail "HSS resyncs: $((n1 - n0))"

# ---- unknown user: Experimental-Result 5001 -> 403
out=$("$TUE" first "$UB" nobody@ims.mnc001.mcc001.3gppnetwork.org 2>&1)
[ "$out" = "403 -" ] && t_ok "unknown IMPI: 403" || t_fail "unknown IMPI: $out"
MARS=$((MARS + 1))
t_check "HSS answered 5001" grep -q "MAR nobody@.*: unknown (5001)" "$T_DIR/hss.log"

# ---- HSS down: 503 + Retry-After at once; back: bootstraps again, gba-bsf not restarted
t_stop hss
t_wait_for 5 grep -q "hss.gba.test.*\(CLOSED\|closed\|Disconnect\|DPR\)" "$T_DIR/bsf.log" ||
	sleep 1
start=$(date +%s%N)
out=$("$TUE" first "$UB" "$IMPI_ME" 2>&1)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$out" = "503 7" ] && t_ok "HSS stopped: 503, Retry-After 7 (${ms} ms)" ||
	t_fail "HSS stopped: '$out'"
mv "$T_DIR/hss.log" "$T_DIR/hss-1.log"
t_hss_start "$T_DIR/hss-fd.conf" "$T_DIR/subs"
if t_wait_for 15 "$TUE" boot "$UB" "$IMPI_ME" "$ZN" naf.test; then
	t_ok "HSS back: bootstrap again without restarting gba-bsf"
else
	t_fail "no recovery after the HSS came back"
fi
MARS=$((MARS + 1))
t_check "no key material in the logs" bash -c \
	"! grep -qiE 'Confidentiality-Key|Integrity-Key|SIP-Authenticate|SIP-Authorization' \
	 '$T_DIR/bsf.log' '$T_DIR/hss-1.log' '$T_DIR/hss.log'"

# ---- the captured traffic, read once (tshark is slow to start): per frame the Diameter
# request flags, application ids and command codes (several messages may share a segment)
# and the expert severities (a malformed packet is an expert error, 0x00800000)
if [ "$T_CAPTURE" = 1 ]; then
	sleep 0.3
	t_capture_stop zh
	t_dia_fields zh -e diameter.flags.request -e diameter.applicationId -e diameter.cmd.code \
		-e _ws.expert.severity -e diameter.avp.code > "$T_DIR/frames.txt" ||
		t_fail "tshark cannot read the capture"
	mars=$(cat "$T_DIR/hss-1.log" "$T_DIR/hss.log" | grep -c "MAR ")
	# CER/CEA 257, DWR/DWA 280 and DPR/DPA 282 are the base protocol (application 0)
	awk -F'\t' '{
		n = split($2, app, ","); split($3, cmd, ",")
		for (i = 1; i <= n; i++) {
			if (app[i] == 16777221 && cmd[i] == 303) zh++
			else if (!(app[i] == 0 && (cmd[i] == 257 || cmd[i] == 280 || cmd[i] == 282)))
				other = other " " app[i] "/" cmd[i]
		}
		m = split($4, sev, ",")
		for (i = 1; i <= m; i++) if (sev[i] + 0 >= 8388608) err++
	} END { printf "%d %d%s\n", zh, err, other }' "$T_DIR/frames.txt" > "$T_DIR/summary.txt"
	read -r zh err other < "$T_DIR/summary.txt"
	[ -z "$other" ] && [ "$zh" -eq $((2 * mars)) ] && [ "$mars" -eq "$MARS" ] &&
		t_ok "tshark: $zh Zh MAR/MAA (16777221/303) for $mars MARs, nothing else" ||
		t_fail "tshark: $zh Zh messages, $mars MARs at the HSS ($MARS sent), other:$other"
	[ "$err" -eq 0 ] && t_ok "tshark: no malformed packet, no expert error" ||
		t_fail "tshark: $err expert errors (malformed?)"
	echo "AVP codes seen: $(cut -f5 "$T_DIR/frames.txt" | tr ',' '\n' | sort -nu | tr '\n' ' ')"
fi
t_done

#!/bin/bash
# Integration test of gba-ue through a private pcscd + vpcd + gba-uicc, against a BSF
# (gba-bsf's Ub and Zn; mock_bsf only as a deliberately slow BSF): pcscd not running; GBA_U card
# info, bootstrap and NAF keys equal to the BSF's for HTTP Digest, TLS 1.2 (0x00ae) and
# TLS 1.3 Ua ids, with the APDU count and wall time of bootstrap + first key; the card trace
# shows that CK/IK never reached the ME; EF_GBABP reused by the next session; GBA_ME card
# (cache file 0600, reuse, expiry); TLS-PSK against stock openssl s_server (right key works,
# wrong key fails, TLS 1.2 and 1.3); resync after the card's SQN moved ahead; MAC failure;
# PIN-protected card; card removed mid-bootstrap.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init ue-pcsc

UE="$top_builddir/ue/gba-ue"
MOCK="$top_builddir/tests/ue/mock_bsf"
: "${OPENSSL:=$(command -v openssl)}"
[ -x "$UE" ] || t_skip "$UE not built"
[ -x "$MOCK" ] || t_skip "$MOCK not built (make check builds it)"
export XDG_STATE_HOME="$T_DIR/state"
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
IMSI=001010000000001

# write_profile FILE [setting lines...]: a set-1 card (doc/profiles.md); a setting given
# replaces the default of the same name
write_profile() {
	_f=$1
	shift
	_extra="$*"
	{
		echo "cards = ( {"
		for _d in 'name = "ue-test";' 'iccid = "8988211000000000001";' "imsi = \"$IMSI\";" \
			  'mnc_length = 2;' 'algorithm = "milenage";' "k = \"$K\";" \
			  "opc = \"$OPC\";" 'amf = "8000";' 'sqn = 0;' 'ind_bitlen = 0;'; do
			case " $_extra" in
			*" ${_d%% =*} ="*) ;;
			*) echo "  $_d" ;;
			esac
		done
		for _l in "$@"; do echo "  $_l"; done
		echo "} );"
	} > "$_f"
	chmod 600 "$_f"
}

# stop_card NAME: stop gba-uicc and wait until pcscd noticed (else the next card races it)
no_card() {
	! t_card_present
}
stop_card() {
	t_stop "$1"
	t_wait_for 5 no_card || t_fail "pcscd still sees card $1"
}

# ---- pcscd not running: a clear error, exit 2
rc=0
PCSCLITE_CSOCK_NAME="$T_DIR/nothing.comm" "$UE" info > "$T_DIR/nopcscd.log" 2>&1 || rc=$?
if [ $rc -eq 2 ] && grep -q "pcscd not running" "$T_DIR/nopcscd.log"; then
	t_ok "pcscd not running: exit 2, '$(cat "$T_DIR/nopcscd.log")'"
else
	t_fail "pcscd not running: exit $rc: $(cat "$T_DIR/nopcscd.log")"
fi

t_pcscd_start

# ---- the BSF: gba-bsf with its Zn over mutual TLS (tests/lib.sh), the keys checked through Zn
mkdir -p "$T_DIR/subs"
write_profile "$T_DIR/subs/sub.conf" "gba = true; gba_u = true;"
T_BSF_FQDN=bsf.test t_bsf_start "$T_DIR/subs" 'log = "info";'
BSF=$T_BSF_UB
t_ok "BSF: gba-bsf (Zn over mutual TLS for the key checks)"
# zn NAF UAHEX: "B-TID hexkey" from gba-bsf's Zn; the B-TID is the UE's last one
zn() {
	_nafid=$( (printf '%s' "$1"; printf "$(echo "$2" | sed 's/../\\x&/g')") | base64 -w0)
	cat > "$T_DIR/zn.xml" <<-EOT
	<?xml version="1.0" encoding="UTF-8"?>
	<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
	<soapenv:Body>
	<gba:requestBootstrappingInfoRequest xmlns:gba="urn:3gpp:gba:GBAService">
	<gba:btid>$ZN_BTID</gba:btid>
	<gba:nafid>$_nafid</gba:nafid>
	</gba:requestBootstrappingInfoRequest>
	</soapenv:Body>
	</soapenv:Envelope>
	EOT
	_k=$(curl -s --cacert "$T_PKI/ca.pem" --cert "$T_PKI/naf.pem" --key "$T_PKI/naf.key" \
		-H 'Content-Type: text/xml; charset=utf-8' \
		-H 'SOAPAction: "urn:3gpp:gba:GBAService#requestBootstrappingInfo"' \
		--data-binary @"$T_DIR/zn.xml" "$T_BSF_ZN/bsf/requestBootstrappingInfo" |
		tr -d '\n' | sed -n 's/.*<[A-Za-z]*:*meKeyMaterial>\([^<]*\)<.*/\1/p' |
		base64 -d 2>/dev/null | od -An -tx1 | tr -d ' \n')
	[ -n "$_k" ] && echo "$ZN_BTID $_k"
}
UEO=(--reader "GBA Test PCD" --bsf "$BSF")
# jget FILE KEY: a string or number of a one-line JSON object
jget() {
	sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"
}

# ---- GBA_U card
write_profile "$T_DIR/gbau.conf" "gba = true; gba_u = true;"
t_card_start card "$T_DIR/gbau.conf" --trace
rc=0
"$UE" "${UEO[@]}" --json info > "$T_DIR/info.json" 2> "$T_DIR/info.err" || rc=$?
if [ $rc -eq 0 ] && [ "$(jget "$T_DIR/info.json" mode)" = GBA_U ] &&
   [ "$(jget "$T_DIR/info.json" imsi)" = $IMSI ]; then
	t_ok "info: GBA_U card, $(jget "$T_DIR/info.json" apdus) APDUs"
else
	t_fail "info: exit $rc $(cat "$T_DIR/info.json" "$T_DIR/info.err")"
fi

out=$("$UE" readers 2>&1)
if echo "$out" | grep -q "GBA Test PCD 00 00  (card present)"; then
	t_ok "readers: lists the reader with its card"
else
	t_fail "readers: $out"
fi
out=$("$UE" "${UEO[@]}" info 2>&1)
if echo "$out" | grep -q "^GBA_U: *yes (using GBA_U)" && echo "$out" | grep -q "^PIN1: *disabled" &&
   echo "$out" | grep -q "^IMPI: *$IMSI@ims.mnc001.mcc001.3gppnetwork.org (from the IMSI)"; then
	t_ok "info (text): GBA_U, PIN disabled, IMPI from the IMSI"
else
	t_fail "info (text): $out"
fi

t0=$(date +%s%N)
rc=0
"$UE" "${UEO[@]}" --json --show-key --log ue=debug naf-key 127.0.0.1 > "$T_DIR/k1.json" \
	2> "$T_DIR/k1.err" || rc=$?
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
apdus=$(jget "$T_DIR/k1.json" apdus)
if [ $rc -eq 0 ] && [ "$(jget "$T_DIR/k1.json" key_type)" = Ks_ext_NAF ]; then
	t_ok "GBA_U bootstrap + first NAF key: $apdus APDUs, ${ms} ms through pcscd+vpcd"
	echo "FIGURE: GBA_U bootstrap + first NAF key: $apdus APDUs, $ms ms wall"
else
	t_fail "GBA_U naf-key: exit $rc $(cat "$T_DIR/k1.json" "$T_DIR/k1.err")"
fi
BTID=$(jget "$T_DIR/k1.json" btid)
ZN_BTID=$BTID
check_key() {	# name ua-hex file
	_want=$(zn 127.0.0.1 "$2")
	_got="$(jget "$3" btid) $(jget "$3" key)"
	if [ -n "$_want" ] && [ "$_got" = "$_want" ]; then
		t_ok "$1: the UE's key equals the BSF's Zn answer byte for byte"
	else
		t_fail "$1: UE '$_got' vs BSF '$_want'"
	fi
}
check_key "GBA_U HTTP Digest (0100000002)" 0100000002 "$T_DIR/k1.json"
"$UE" "${UEO[@]}" --json --show-key naf-key --tls-suite PSK-AES128-CBC-SHA256 127.0.0.1 \
	> "$T_DIR/k12.json" 2>&1
check_key "GBA_U TLS 1.2 0x00ae (01000100ae)" 01000100ae "$T_DIR/k12.json"
"$UE" "${UEO[@]}" --json --show-key naf-key --ua 0100000007 127.0.0.1 > "$T_DIR/k13.json" 2>&1
check_key "GBA_U TLS 1.3 (0100000007)" 0100000007 "$T_DIR/k13.json"
if [ "$(jget "$T_DIR/k12.json" btid)" = "$BTID" ] &&
   [ "$(jget "$T_DIR/k12.json" apdus)" -lt "$apdus" ]; then
	t_ok "second session reuses EF_GBABP (same B-TID, $(jget "$T_DIR/k12.json" apdus) APDUs)"
else
	t_fail "EF_GBABP reuse: $(cat "$T_DIR/k12.json")"
fi

# the card's trace: AUTHENTICATE answers carry RES only (DB 08 RES), never RES CK IK
if grep -Eq 'R-APDU: DB 08( \*\*){8} 90 00' "$T_DIR/card.log" &&
   ! grep -Eq 'R-APDU: DB [0-9A-F]{2}( \*\*)+ 10( \*\*){16} 10' "$T_DIR/card.log"; then
	t_ok "GBA_U: the trace shows RES only, CK/IK never reached the ME"
else
	t_fail "GBA_U trace (see $T_DIR/card.log)"
fi
if grep -q "APDU #" "$T_DIR/k1.err"; then
	t_ok "debug log counts APDUs"
else
	t_fail "no APDU count in the debug log"
fi
stop_card card

# ---- TLS-PSK against stock openssl s_server (GBA_ME card, keys from the BSF's Zn)
[ -n "$OPENSSL" ] || t_skip "openssl not installed"
write_profile "$T_DIR/gbame.conf" "gba = true; gba_u = false;"
t_card_start card2 "$T_DIR/gbame.conf"
rc=0
"$UE" "${UEO[@]}" --json bootstrap > "$T_DIR/b2.json" 2>&1 || rc=$?
f=$(ls "$XDG_STATE_HOME"/gbakit/*.boot 2>/dev/null | head -1)
if [ $rc -eq 0 ] && [ "$(jget "$T_DIR/b2.json" mode)" = GBA_ME ] && [ -n "$f" ] &&
   [ "$(stat -c %a "$f")" = 600 ]; then
	t_ok "GBA_ME bootstrap, cache file 0600"
else
	t_fail "GBA_ME bootstrap: exit $rc $(cat "$T_DIR/b2.json")"
fi
"$UE" "${UEO[@]}" --json bootstrap > "$T_DIR/b3.json" 2>&1
[ "$(jget "$T_DIR/b3.json" cached)" = true ] && t_ok "GBA_ME cache reused" ||
	t_fail "cache reuse: $(cat "$T_DIR/b3.json")"

ZN_BTID=$(jget "$T_DIR/b3.json" btid)
"$UE" "${UEO[@]}" --json --show-key naf-key 127.0.0.1 > "$T_DIR/kme.json" 2>&1
check_key "GBA_ME HTTP Digest (0100000002)" 0100000002 "$T_DIR/kme.json"
tls_case() {	# name ua-hex s_server-args gba-ue-args expect(ok|fail) [wrong]
	_name=$1; _ua=$2; _sargs=$3; _uargs=$4; _expect=$5
	read -r _btid _key <<< "$(zn 127.0.0.1 "$_ua")"
	[ -n "$6" ] && _key=$(echo "$_key" | tr '0123456789abcdef' '123456789abcdef0')
	_port=$(t_port)
	t_start sserver "$OPENSSL" s_server -accept "$_port" -nocert -psk "$_key" \
		-psk_identity "$_btid" -www $_sargs
	t_wait_for 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$_port" || true
	_rc=0
	"$UE" "${UEO[@]}" $_uargs connect "https://127.0.0.1:$_port/" > "$T_DIR/tls.out" \
		2> "$T_DIR/tls.err" || _rc=$?
	t_stop sserver
	if [ "$_expect" = ok ] && [ $_rc -eq 0 ] && grep -q "s_server" "$T_DIR/tls.out"; then
		t_ok "$_name: handshake and request succeed ($(head -1 "$T_DIR/tls.err"))"
	elif [ "$_expect" = fail ] && [ $_rc -eq 4 ]; then
		t_ok "$_name: refused as it should ($(cat "$T_DIR/tls.err" | head -1))"
	else
		t_fail "$_name: exit $_rc $(cat "$T_DIR/tls.err" "$T_DIR/sserver.log" | head -20)"
	fi
}
tls_case "TLS 1.2 PSK-AES128-CBC-SHA256" 01000100ae \
	"-cipher PSK-AES128-CBC-SHA256 -no_tls1_3" "--tls12" ok
tls_case "TLS 1.2 wrong key" 01000100ae "-cipher PSK-AES128-CBC-SHA256 -no_tls1_3" "--tls12" \
	fail wrong
tls_case "TLS 1.3" 0100000007 "-tls1_3" "--tls13" ok
tls_case "TLS 1.3 wrong key" 0100000007 "-tls1_3" "--tls13" fail wrong

# ---- expired cache -> new bootstrap
sed -i 's/^expiry=.*/expiry=2001-01-01T00:00:00Z/' "$f"
"$UE" "${UEO[@]}" --json bootstrap > "$T_DIR/b4.json" 2>&1
if [ "$(jget "$T_DIR/b4.json" cached)" = false ] && [ "$(jget "$T_DIR/b4.json" btid)" != "$(jget "$T_DIR/b3.json" btid)" ]; then
	t_ok "expired cache: bootstrapped again"
else
	t_fail "expired cache: $(cat "$T_DIR/b4.json")"
fi

# ---- card removed mid-bootstrap (the card stops while the UE waits for the BSF)
stop_card card2
rc=0
"$UE" "${UEO[@]}" --force bootstrap > "$T_DIR/rm.out" 2>&1 || rc=$?
if [ $rc -eq 2 ] && grep -qi "card" "$T_DIR/rm.out"; then
	t_ok "no card: exit 2 ($(cat "$T_DIR/rm.out"))"
else
	t_fail "no card: exit $rc $(cat "$T_DIR/rm.out")"
fi
# a slow BSF keeps the UE between the 401 and AUTHENTICATE while the card goes away
SLOWPORT=$(t_port)
t_start bsfslow env MOCK_DELAY_MS=3000 "$MOCK" "$SLOWPORT" "$K" "$OPC"
t_wait_for 5 grep -q "mock_bsf on" "$T_DIR/bsfslow.log" || t_fail "slow mock_bsf did not start"
t_card_start card3 "$T_DIR/gbame.conf"
rc=0
"$UE" --reader "GBA Test PCD" --bsf "http://127.0.0.1:$SLOWPORT/" --force bootstrap \
	> "$T_DIR/rm2.out" 2>&1 &
uepid=$!
sleep 0.5
stop_card card3	# pcscd notices within ~0.5 s, long before the BSF's 401 arrives
wait $uepid || rc=$?
if [ $rc -eq 2 ] && grep -Eq "removed|communication" "$T_DIR/rm2.out"; then
	t_ok "card removed mid-bootstrap: exit 2 ($(cat "$T_DIR/rm2.out"))"
else
	t_fail "card removed mid-bootstrap: exit $rc $(cat "$T_DIR/rm2.out")"
fi
t_stop bsfslow

# ---- resync: the card's SQN is ahead of the AuC
write_profile "$T_DIR/ahead.conf" "gba = true; gba_u = true; sqn = 100000;"
t_card_start card4 "$T_DIR/ahead.conf"
rc=0
"$UE" "${UEO[@]}" --json --force bootstrap > "$T_DIR/rs.json" 2>&1 || rc=$?
if [ $rc -eq 0 ] && [ "$(jget "$T_DIR/rs.json" resynced)" = true ]; then
	t_ok "resync after the card's SQN moved ahead"
else
	t_fail "resync: exit $rc $(cat "$T_DIR/rs.json")"
fi
stop_card card4

# ---- MAC failure: a card with another K sees a foreign AUTN
write_profile "$T_DIR/foreign.conf" "gba = true; gba_u = false;" \
	"k = \"000102030405060708090a0b0c0d0e0f\";"
t_card_start card5 "$T_DIR/foreign.conf"
rc=0
"$UE" "${UEO[@]}" --force bootstrap > "$T_DIR/mac.out" 2>&1 || rc=$?
if [ $rc -eq 4 ] && grep -q "MAC failure" "$T_DIR/mac.out"; then
	t_ok "MAC failure: exit 4, reported ($(cat "$T_DIR/mac.out"))"
else
	t_fail "MAC failure: exit $rc $(cat "$T_DIR/mac.out")"
fi
stop_card card5

# ---- PIN-protected card
write_profile "$T_DIR/pin.conf" "gba = true; gba_u = true;" \
	"pin1 = { code = \"4321\"; enabled = true; }; puk1 = \"12345678\";"
t_card_start card6 "$T_DIR/pin.conf"
rc=0
"$UE" "${UEO[@]}" bootstrap > "$T_DIR/pin1.out" 2>&1 || rc=$?
if [ $rc -eq 3 ] && grep -q "3 tries left" "$T_DIR/pin1.out"; then
	t_ok "PIN needed: exit 3 ($(cat "$T_DIR/pin1.out"))"
else
	t_fail "PIN needed: exit $rc $(cat "$T_DIR/pin1.out")"
fi
rc=0
"$UE" "${UEO[@]}" --pin 0000 bootstrap > "$T_DIR/pin2.out" 2>&1 || rc=$?
if [ $rc -eq 3 ] && grep -q "2 tries left" "$T_DIR/pin2.out"; then
	t_ok "wrong PIN: exit 3 ($(cat "$T_DIR/pin2.out"))"
else
	t_fail "wrong PIN: exit $rc $(cat "$T_DIR/pin2.out")"
fi
rc=0
"$UE" "${UEO[@]}" --pin 4321 --json bootstrap > "$T_DIR/pin3.out" 2>&1 || rc=$?
[ $rc -eq 0 ] && t_ok "right PIN: bootstrapped" || t_fail "right PIN: exit $rc $(cat "$T_DIR/pin3.out")"
stop_card card6

t_stop bsf
grep -Eiq "MAC|authentication failure|synchroni|network" "$T_DIR/bsf.log" &&
	t_ok "gba-bsf logged the MAC failure report" ||
	t_fail "gba-bsf log has no MAC failure line"
t_done

#!/bin/bash
# End to end on one machine: gba-bsf (built-in AuC, Zn over mutual TLS), a private pcscd
# with vpcd and gba-uicc, gba-ue, and gba-naf serve fetching keys from gba-bsf over Zn
# (HTTPS with its client certificate). GBA_U and GBA_ME cards; TLS-PSK (TLS 1.2 with
# TLS_PSK_WITH_AES_128_CBC_SHA256 and TLS 1.3) and HTTP Digest; the key fingerprints of
# gba-naf lookup and gba-ue naf-key match; stock openssl s_client with the UE's key.
. "$top_srcdir/tests/lib.sh"
t_init naf-e2e

NAF=$T_GBA_NAF UE=$T_GBA_UE
for b in "$NAF" "$UE" "$T_GBA_BSF" "$top_builddir/uicc/gba-uicc"; do
	[ -x "$b" ] || t_skip "$b not built"
done
command -v curl >/dev/null || t_skip "curl not installed"
export XDG_STATE_HOME="$T_DIR/state"
. "$top_srcdir/tests/naf/lib_naf.sh"
FQDN=127.0.0.1	# gba-ue takes the NAF FQDN from the URL host

t_pcscd_start
naf_bsf_start "gba = true; gba_u = true;"

# ---- gba-naf serve (TLS-PSK and Digest)
t_naf_start --fqdn "$FQDN" --fqdn naf.test --cse-id in-cse --log info
NP=$T_NAF_TLS DP=$T_NAF_DIGEST
UEO=(--reader "GBA Test PCD" --bsf "$T_BSF_UB")

jget() {	# FILE KEY: a string of a one-line JSON object
	sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"
}

# connect NAME MODE URL [gba-ue options]: gba-ue gets the CSEBase; gba-naf logs the IMPI
connect() {
	_n=$1 _mode=$2 _url=$3
	shift 3
	_rc=0
	_before=$(wc -l < "$T_DIR/naf.log")
	"$UE" "${UEO[@]}" "$@" connect "$_url" > "$T_DIR/$_n.out" 2> "$T_DIR/$_n.err" || _rc=$?
	if [ $_rc -eq 0 ] && grep -q '"m2m:cb"' "$T_DIR/$_n.out" &&
	   t_wait_for 5 bash -c "tail -n +$((_before + 1)) '$T_DIR/naf.log' |
		grep -q '^peer impi=$IMPI .*mode=$_mode'"; then
		t_ok "$_n: gba-ue got the CSEBase, gba-naf logged $IMPI ($_mode)"
	else
		t_fail "$_n: exit $_rc $(cat "$T_DIR/$_n.err" "$T_DIR/$_n.out" | head -5)"
	fi
}

# fp_match NAME UAHEX [gba-ue options]: gba-ue's key and gba-naf lookup's fingerprint agree
fp_match() {
	_n=$1 _ua=$2
	shift 2
	"$UE" "${UEO[@]}" --json --show-key "$@" naf-key --ua "$_ua" "$FQDN" > "$T_DIR/$_n.json" \
		2>&1
	_bt=$(jget "$T_DIR/$_n.json" btid)
	_key=$(jget "$T_DIR/$_n.json" key)
	_fp=$(printf '%s' "$_key" | sed 's/../\\x&/g' | xargs -0 printf | "$OPENSSL" dgst -sha256 -r |
	      cut -c1-16)
	"$NAF" lookup "$_bt" --naf "$FQDN" --ua "$_ua" "${T_ZN_OPTS[@]}" > "$T_DIR/$_n.lookup" 2>&1
	if [ -n "$_key" ] && grep -q "^fingerprint: *$_fp" "$T_DIR/$_n.lookup" &&
	   grep -q "^IMPI: *$IMPI" "$T_DIR/$_n.lookup"; then
		t_ok "$_n: UE key and NAF key fingerprints match ($_fp)"
	else
		t_fail "$_n: $(cat "$T_DIR/$_n.json" "$T_DIR/$_n.lookup")"
	fi
	E2E_BTID=$_bt E2E_KEY=$_key
}

# ---- GBA_U card
naf_profile "$T_DIR/gbau.conf" "gba = true; gba_u = true;"
t_card_start card "$T_DIR/gbau.conf"
connect "GBA_U TLS 1.2" GBA_U "https://127.0.0.1:$NP/~/in-cse" --tls12
t_check "GBA_U TLS 1.2 used TLS_PSK_WITH_AES_128_CBC_SHA256" grep -q \
	"mode=GBA_U key=Ks_ext_NAF .*via=TLSv1.2/PSK-AES128-CBC-SHA256" "$T_DIR/naf.log"
connect "GBA_U TLS 1.3" GBA_U "https://127.0.0.1:$NP/~/in-cse" --tls13
connect "GBA_U Digest" GBA_U "http://127.0.0.1:$DP/~/in-cse"
fp_match "GBA_U Ks_ext_NAF (TLS 1.2)" 01000100ae
out=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nX-M2M-RI: e2e\r\n\r\n' | timeout 10 "$OPENSSL" s_client \
	-connect "127.0.0.1:$NP" -servername "$FQDN" -psk_identity "$E2E_BTID" -psk "$E2E_KEY" \
	-tls1_2 -cipher PSK-AES128-CBC-SHA256 -quiet 2>/dev/null)
t_check "openssl s_client with the UE's key (real BSF)" grep -q 'X-M2M-RI: e2e' <<<"$out"
t_stop card
t_wait_for 5 bash -c '! timeout 3 pcsc_scan -c -t 1 2>/dev/null | grep -q "ATR: "'

# ---- GBA_ME card
naf_profile "$T_DIR/gbame.conf" "gba = true; gba_u = false;"
t_card_start card2 "$T_DIR/gbame.conf"
connect "GBA_ME TLS 1.2" GBA_ME "https://127.0.0.1:$NP/~/in-cse" --tls12 --force
connect "GBA_ME TLS 1.3" GBA_ME "https://127.0.0.1:$NP/~/in-cse" --tls13
connect "GBA_ME Digest" GBA_ME "http://127.0.0.1:$DP/~/in-cse"
fp_match "GBA_ME Ks_NAF (TLS 1.3)" 0100000007
t_done

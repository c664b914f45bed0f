#!/bin/bash
# gba-naf against the real gba-bsf, without a card: the BSF tests' test UE (bsf_ue) runs a
# real Ub bootstrap, gba-naf fetches the keys over Zn (HTTPS, client certificate), stock
# openssl s_client connects with the key the UE derives: TLS 1.2
# (TLS_PSK_WITH_AES_128_CBC_SHA256) and TLS 1.3 succeed, a wrong key and an unknown B-TID are
# refused; gba-naf lookup shows the IMPI and the UE key's fingerprint; a NAF FQDN the BSF has
# not authorised is refused; the BSF stopped: the cached key keeps working.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/naf/lib_naf.sh"
t_init naf-bsf

[ -n "$OPENSSL" ] && [ -x "$OPENSSL" ] || t_skip "openssl not installed"
BSF_UE="$top_builddir/tests/naf/bsf_ue"
[ -x "$BSF_UE" ] || t_skip "$BSF_UE not built"
[ -x "$T_GBA_NAF" ] || t_skip "$T_GBA_NAF not built"
NAF_FQDN=naf.test
naf_bsf_start "gba = true;"

read -r BTID KS < <("$BSF_UE" "$BSF_UB" "$T_BSF_FQDN" "$IMPI" "$K" "$OPC" \
	2>"$T_DIR/bsf_ue.err")
[ -n "$KS" ] || { cat "$T_DIR/bsf_ue.err" "$T_DIR/bsf.log"; t_fail "bootstrap"; t_done; }
t_ok "real bootstrap at gba-bsf: $BTID"

NP=$(t_port)
t_start naf "$T_GBA_NAF" serve --listen "127.0.0.1:$NP" --fqdn naf.test --fqdn other.test \
	--cse-id in-cse "${ZN[@]}" --log info
naf_wait_port "$NP" || { cat "$T_DIR/naf.log"; t_fail "gba-naf serve did not listen"; t_done; }

sc() {	# ID KEY SNI [s_client options]
	_id=$1 _k=$2 _sni=$3
	shift 3
	printf 'GET / HTTP/1.1\r\nHost: %s\r\nX-M2M-RI: bsf-1\r\n\r\n' "$_sni" |
		timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$NP" -servername "$_sni" \
		-psk_identity "$_id" -psk "$_k" -quiet "$@" 2>>"$T_DIR/s_client.err"
}

K12=$(naf_key "$KS" "$BTID" "$IMPI" 01000100ae)
K13=$(naf_key "$KS" "$BTID" "$IMPI" 0100000007)
out=$(sc "$BTID" "$K12" naf.test -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "TLS 1.2 PSK-AES128-CBC-SHA256 with the key from gba-bsf" grep -q 'X-M2M-RI: bsf-1' \
	<<<"$out"
t_check "gba-naf logged the IMPI" t_wait_for 5 grep -q "^peer impi=$IMPI btid=$BTID" \
	"$T_DIR/naf.log"
out=$(sc "$BTID" "$K13" naf.test -tls1_3)
t_check "TLS 1.3 with the key from gba-bsf" grep -q '"m2m:cb"' <<<"$out"
out=$(sc "$BTID" "$(echo "$K12" | tr '0-9a-f' '1-9a-f0')" naf.test -tls1_2 \
	-cipher PSK-AES128-CBC-SHA256)
t_check "wrong key refused" test -z "$out"
out=$(sc "AAAAAAAAAAAAAAAAAAAAAA==@$T_BSF_FQDN" "$K12" naf.test -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "unknown B-TID refused (gba-bsf fault)" test -z "$out"
NAF_FQDN=other.test
out=$(sc "$BTID" "$(naf_key "$KS" "$BTID" "$IMPI" 0100000007)" other.test -tls1_3)
t_check "an FQDN gba-bsf has not authorised for this NAF is refused" test -z "$out"
t_check "gba-naf says why" grep -q "not authorised" "$T_DIR/naf.log"
NAF_FQDN=naf.test

out=$("$T_GBA_NAF" lookup "$BTID" --naf naf.test --ua 01000100ae "${ZN[@]}" 2>&1)
FP=$(naf_key "$KS" "$BTID" "$IMPI" 01000100ae --b64 | "$OPENSSL" base64 -d -A |
	"$OPENSSL" dgst -sha256 -r | cut -c1-16)
t_check "lookup: IMPI from gba-bsf" grep -q "^IMPI: *$IMPI" <<<"$out"
t_check "lookup: fingerprint of the UE's key" grep -q "^fingerprint: *$FP" <<<"$out"
out=$("$T_GBA_NAF" lookup "$BTID" --naf naf.test --ua 01000100ae --bsf "$T_BSF_ZN" \
	--zn-ca "$T_PKI/ca.pem" 2>&1)
t_check "lookup without the client certificate fails" test $? -ne 0

t_stop bsf
out=$(sc "$BTID" "$K12" naf.test -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "BSF down: the cached key is still served" grep -q 'X-M2M-RI: bsf-1' <<<"$out"
KG=$(naf_key "$KS" "$BTID" "$IMPI" 01000100a8)
out=$(sc "$BTID" "$KG" naf.test -tls1_2 -cipher PSK-AES128-GCM-SHA256)
t_check "BSF down: an uncached key is refused" test -z "$out"
t_check "BSF down: a clear log line" grep -q "BSF unreachable" "$T_DIR/naf.log"
t_done

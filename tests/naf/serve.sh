#!/bin/bash
# gba-naf serve against stock `openssl s_client` (TLS 1.2 TLS_PSK_WITH_AES_128_CBC_SHA256 and
# TLS 1.3 external PSK) and curl (HTTP Digest), keys from the real gba-bsf over Zn (sessions
# bootstrapped over Ub, the client side's keys derived by the UE from its own Ks): handshake
# and one oneM2M request succeed; a wrong key, an unknown and an expired B-TID are refused.
# Also gba-naf lookup, --once and a clean exit on SIGTERM.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/naf/lib_naf.sh"
t_init naf-serve

OPENSSL=${OPENSSL:-$(command -v openssl)}
[ -n "$OPENSSL" ] && [ -x "$OPENSSL" ] || t_skip "openssl not installed"
naf_zn_start

NP=$(t_port)
DP=$(t_port)
t_start naf "$T_GBA_NAF" serve --listen "127.0.0.1:$NP" --digest-listen "127.0.0.1:$DP" \
	--fqdn "$NAF_FQDN" --fqdn cse.example.org --cse-id in-cse "${ZN[@]}" --log info
naf_wait_port "$NP" || { cat "$T_DIR/naf.log"; t_fail "gba-naf serve did not listen"; t_done; }

# sc ID KEY [s_client options]: one oneM2M retrieve over TLS-PSK; the answer on stdout
sc() {
	_id=$1 _k=$2
	shift 2
	printf 'GET /~/in-cse HTTP/1.1\r\nHost: %s\r\nX-M2M-Origin: Cae1\r\nX-M2M-RI: req-42\r\n\r\n' \
		"$NAF_FQDN" | timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$NP" \
		-servername "$NAF_FQDN" -psk_identity "$_id" -psk "$_k" -quiet "$@" \
		2>>"$T_DIR/s_client.err"
}

answered() {
	grep -q '^HTTP/1.1 200' <<<"$1" && grep -q 'X-M2M-RI: req-42' <<<"$1" &&
		grep -q 'X-M2M-RSC: 2000' <<<"$1" && grep -q '"m2m:cb"' <<<"$1" &&
		grep -q '"csi":"/in-cse"' <<<"$1"
}

# --- TLS 1.2, the TS-0003 mandatory suite, bare B-TID (oneM2M KmID)
K12=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 01000100ae)
out=$(sc "$ME_BTID" "$K12" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "TLS 1.2 PSK-AES128-CBC-SHA256: oneM2M retrieve answered" answered "$out"
t_check "stdout names the peer's IMPI" t_wait_for 5 grep -q \
	"^peer impi=$ME_IMPI btid=$ME_BTID naf=$NAF_FQDN ua=01000100ae mode=GBA_ME key=Ks_NAF .*via=TLSv1.2/PSK-AES128-CBC-SHA256" \
	"$T_DIR/naf.log"
# the 33.222 prefix
out=$(sc "3GPP-bootstrapping.$ME_BTID" "$K12" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "TLS 1.2 with the 3GPP-bootstrapping. prefix" answered "$out"
# another suite is another Ua id, so another key
KG=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 01000100a8)
out=$(sc "$ME_BTID" "$KG" -tls1_2 -cipher PSK-AES128-GCM-SHA256)
t_check "TLS 1.2 PSK-AES128-GCM-SHA256 (Ua id 01 00 01 00 a8)" answered "$out"
out=$(sc "$ME_BTID" "$K12" -tls1_2 -cipher PSK-AES128-GCM-SHA256)
t_check "TLS 1.2 GCM with the CBC suite's key is refused" test -z "$out"

# --- TLS 1.3 external PSK (s_client -psk: TLS_AES_128_GCM_SHA256), Ua id 01 00 00 00 07
K13=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 0100000007)
out=$(sc "$ME_BTID" "$K13" -tls1_3)
t_check "TLS 1.3 PSK: oneM2M retrieve answered" answered "$out"
t_check "TLS 1.3 peer logged with Ua id 0100000007" grep -q \
	"^peer impi=$ME_IMPI .*ua=0100000007 .*via=TLSv1.3/" "$T_DIR/naf.log"

# --- GBA_U: Ks_ext_NAF by default, Ks_int_NAF with the -uicc identity prefix
KU=$(naf_key "$U_KS" "$U_BTID" "$U_IMPI" 01000100ae)
out=$(sc "$U_BTID" "$KU" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "GBA_U Ks_ext_NAF over TLS 1.2" answered "$out"
KI=$(naf_key "$U_KS" "$U_BTID" "$U_IMPI" 0100000007 --uicc)
out=$(sc "3GPP-bootstrapping-uicc.$U_BTID" "$KI" -tls1_3)
t_check "GBA_U Ks_int_NAF over TLS 1.3" answered "$out"
t_check "Ks_int_NAF peer logged" grep -q "^peer impi=$U_IMPI .*mode=GBA_U key=Ks_int_NAF" \
	"$T_DIR/naf.log"

# --- refusals
BAD=$(echo "$K12" | tr '0-9a-f' '1-9a-f0')
out=$(sc "$ME_BTID" "$BAD" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "TLS 1.2 wrong key refused" test -z "$out"
out=$(sc "$ME_BTID" "$(echo "$K13" | tr '0-9a-f' '1-9a-f0')" -tls1_3)
t_check "TLS 1.3 wrong key refused" test -z "$out"
GHOST="AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org"
out=$(sc "$GHOST" "$K12" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "unknown B-TID refused (TLS 1.2)" test -z "$out"
out=$(sc "$GHOST" "$K13" -tls1_3)
t_check "unknown B-TID refused (TLS 1.3)" test -z "$out"
KX=$(naf_key "$X_KS" "$X_BTID" "$X_IMPI" 01000100ae)
out=$(sc "$X_BTID" "$KX" -tls1_2 -cipher PSK-AES128-CBC-SHA256)
t_check "expired B-TID refused" test -z "$out"
out=$(printf 'GET / HTTP/1.1\r\n\r\n' | timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$NP" \
	-servername other.example.org -psk_identity "$ME_BTID" -psk "$K12" -tls1_2 \
	-cipher PSK-AES128-CBC-SHA256 -quiet 2>/dev/null)
t_check "unknown SNI refused" test -z "$out"
t_check "no peer line for refused handshakes" test "$(grep -c "^peer " "$T_DIR/naf.log")" -eq 6

# --- HTTP Digest (plain HTTP listener) with curl: username B-TID, password base64(Ks_NAF)
if command -v curl >/dev/null; then
	PW=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 0100000002 --b64)
	out=$(curl -s -i --digest -u "$ME_BTID:$PW" -H 'X-M2M-RI: req-42' \
		"http://127.0.0.1:$DP/~/in-cse")
	t_check "Digest: oneM2M retrieve answered" answered "$out"
	t_check "Digest: Authentication-Info sent" grep -qi '^Authentication-Info: .*rspauth=' \
		<<<"$out"
	if [ "${PW:0:1}" = A ]; then BADPW="B${PW:1}"; else BADPW="A${PW:1}"; fi
	out=$(curl -s -o /dev/null -w '%{http_code}' --digest -u "$ME_BTID:$BADPW" \
		"http://127.0.0.1:$DP/")
	t_check "Digest: wrong password -> 401" test "$out" = 401
	out=$(curl -s -i "http://127.0.0.1:$DP/")
	t_check "Digest: 401 with the bootstrapping realm and auth-int" grep -q \
		"WWW-Authenticate: Digest realm=\"3GPP-bootstrapping@$NAF_FQDN\".*auth-int" <<<"$out"
	out=$(curl -s -o /dev/null -w '%{http_code}' --digest -u "$GHOST:$PW" \
		"http://127.0.0.1:$DP/")
	t_check "Digest: unknown B-TID -> fresh 401" test "$out" = 401
fi

# --- clean exit on SIGTERM
kill -TERM "$PID_naf"
rc=0
t_wait_for 10 bash -c "! kill -0 $PID_naf 2>/dev/null" || rc=1
wait "$PID_naf" 2>/dev/null || rc=$?
T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$PID_naf" | tr '\n' ' ')
t_check "gba-naf serve exits 0 on SIGTERM" test "$rc" -eq 0

# --- --once: exits by itself after one authenticated peer
NP=$(t_port)
t_start once "$T_GBA_NAF" serve --once --listen "127.0.0.1:$NP" --fqdn "$NAF_FQDN" --cse-id in-cse \
	"${ZN[@]}"
naf_wait_port "$NP"
out=$(sc "$ME_BTID" "$K13" -tls1_3)
t_check "--once: answered" answered "$out"
t_check "--once: exited" t_wait_for 10 bash -c "! kill -0 $PID_once 2>/dev/null"

# --- lookup
out=$("$T_GBA_NAF" lookup "$ME_BTID" --naf "$NAF_FQDN" --ua 01000100ae "${ZN[@]}")
FP=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 01000100ae --b64 | "$OPENSSL" base64 -d -A |
	"$OPENSSL" dgst -sha256 -r | cut -c1-16)
t_check "lookup: IMPI" grep -q "^IMPI: *$ME_IMPI" <<<"$out"
t_check "lookup: fingerprint = SHA-256(key)[0..7]" grep -q "^fingerprint: *$FP" <<<"$out"
t_check "lookup: no key bytes without --show-key" bash -c "! grep -q '$K12' <<<'$out'"
out=$("$T_GBA_NAF" lookup "$ME_BTID" --naf "$NAF_FQDN" --ua 01000100ae "${ZN[@]}" --show-key)
t_check "lookup --show-key" grep -q "^key-hex: *$K12" <<<"$out"
"$T_GBA_NAF" lookup "$GHOST" --naf "$NAF_FQDN" --ua 01000100ae "${ZN[@]}" 2>"$T_DIR/lookup.err"
t_check "lookup: unknown B-TID fails" test $? -eq 1
"$T_GBA_NAF" lookup "$ME_BTID" --naf "$NAF_FQDN" --ua 01000100ae \
	--bsf "${T_BSF_ZN/https:/http:}" 2>/dev/null
t_check "lookup: plain http:// Zn refused without --allow-plain-http" test $? -ne 0
t_stop bsf
"$T_GBA_NAF" lookup "$ME_BTID" --naf "$NAF_FQDN" --ua 01000100ae "${ZN[@]}" 2>"$T_DIR/lookup.err"
t_check "lookup: BSF down fails clearly" grep -q "refused the Zn connection" "$T_DIR/lookup.err"
t_done

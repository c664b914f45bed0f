#!/bin/bash
# gba-naf proxy (TS 33.222 authentication proxy) in front of a recording HTTP backend:
# GET/POST/PUT/DELETE over TLS-PSK (stock openssl s_client) and Digest (curl) reach the
# backend with X-3GPP-Asserted-Identity = the authenticated IMPI (a forged one removed), the
# body intact, and the backend's answer comes back unchanged; refused peers reach nothing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/naf/lib_naf.sh"
t_init naf-proxy

OPENSSL=${OPENSSL:-$(command -v openssl)}
[ -n "$OPENSSL" ] && [ -x "$OPENSSL" ] || t_skip "openssl not installed"
BACKEND="$top_builddir/tests/naf/http_backend"
[ -x "$BACKEND" ] || t_skip "$BACKEND not built"
naf_zn_start

BP=$(t_port)
REC="$T_DIR/backend.rec"
t_start backend "$BACKEND" "$BP" "$REC"
naf_wait_port "$BP" || { t_fail "backend did not listen"; t_done; }
PP=$(t_port)
DP=$(t_port)
t_start proxy "$T_GBA_NAF" proxy --listen "127.0.0.1:$PP" --digest-listen "127.0.0.1:$DP" \
	--fqdn "$NAF_FQDN" "${ZN[@]}" --backend "127.0.0.1:$BP" \
	--log info
naf_wait_port "$PP" || { cat "$T_DIR/proxy.log"; t_fail "proxy did not listen"; t_done; }

K12=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 01000100ae)

# req METHOD PATH BODY [KEY]: one request through TLS-PSK with a forged identity header
req() {
	_b=$3
	printf '%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nx-3gpp-asserted-identity: evil@example.org\r\nX-M2M-RI: r1\r\nContent-Length: %d\r\n\r\n%s' \
		"$1" "$2" "$NAF_FQDN" "${#_b}" "$_b" |
		timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$PP" -servername "$NAF_FQDN" \
		-psk_identity "$ME_BTID" -psk "${4:-$K12}" -tls1_2 -cipher PSK-AES128-CBC-SHA256 \
		-quiet 2>>"$T_DIR/s_client.err"
}

# last_rec: the last request the backend recorded
last_rec() {
	awk 'BEGIN{r=""} /^--END--$/{last=r; r=""; next} {r=r $0 "\n"} END{printf "%s", last}' "$REC"
}

relayed() {
	grep -q '^HTTP/1.1 201 Created' <<<"$1" && grep -q 'X-Backend: yes' <<<"$1" &&
		grep -q '{"m2m:rsp":"done"}' <<<"$1"
}

for m in GET POST PUT DELETE; do
	body='{"m2m:ae":{"rn":"ae1","api":"Nexample"}}'
	[ "$m" = GET ] && body=""
	out=$(req "$m" "/cse/ae1?rcn=1" "$body")
	t_check "$m over TLS-PSK: the backend's answer relayed" relayed "$out"
	rec=$(last_rec)
	t_check "$m: request line forwarded" grep -q "^$m /cse/ae1?rcn=1 HTTP/1.1" <<<"$rec"
	t_check "$m: X-3GPP-Asserted-Identity is the IMPI" grep -q \
		"^X-3GPP-Asserted-Identity: $ME_IMPI" <<<"$rec"
	t_check "$m: the forged identity removed" bash -c "! grep -qi 'evil@example.org' '$REC'"
	t_check "$m: other headers kept" grep -q '^X-M2M-RI: r1' <<<"$rec"
	[ -n "$body" ] && t_check "$m: body forwarded" grep -qF "$body" <<<"$rec"
done

n=$(grep -c -- '--END--' "$REC")
out=$(req GET / "" "$(echo "$K12" | tr '0-9a-f' '1-9a-f0')")
t_check "wrong key: nothing answered" test -z "$out"
t_check "wrong key: nothing reached the backend" test "$(grep -c -- '--END--' "$REC")" -eq "$n"

if command -v curl >/dev/null; then
	PW=$(naf_key "$ME_KS" "$ME_BTID" "$ME_IMPI" 0100000002 --b64)
	out=$(curl -s -i --digest -u "$ME_BTID:$PW" -H 'X-3GPP-Asserted-Identity: evil@example.org' \
		-X PUT --data '{"x":2}' "http://127.0.0.1:$DP/cse/ae1")
	t_check "Digest PUT relayed" relayed "$out"
	rec=$(last_rec)
	t_check "Digest: asserted IMPI" grep -q "^X-3GPP-Asserted-Identity: $ME_IMPI" <<<"$rec"
	t_check "Digest: no Authorization towards the backend" bash -c \
		"! grep -qi '^Authorization:' <<<'$rec'"
	t_check "Digest: body forwarded" grep -qF '{"x":2}' <<<"$rec"
	n=$(grep -c -- '--END--' "$REC")
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DP/cse")
	t_check "Digest: no credentials -> 401" test "$code" = 401
	t_check "Digest: nothing reached the backend" test "$(grep -c -- '--END--' "$REC")" -eq "$n"
fi

t_stop backend
out=$(req GET / "")
t_check "backend down -> 502" grep -q '^HTTP/1.1 502' <<<"$out"
t_done

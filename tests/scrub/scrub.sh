#!/bin/bash
# Key scrubbing: after a bootstrap at the real gba-bsf, Zn lookups, a NAF key fetched and
# evicted by gba-naf and the session expired and purged at the BSF, none of the session's
# secrets (RES, CK, IK, Ks, Ks_NAF for three Ua ids; raw, hex, HEX or base64) is left in the
# memory of gba-bsf or gba-naf (every writable mapping read through /proc/PID/mem: heap,
# anonymous mappings, stacks, .data/.bss), and no key (K, OPc too) is in any log written at
# the most verbose level without --debug-keys. K and OPc are not looked for in the BSF's
# memory: its built-in AuC keeps them by design. Root only (/proc/PID/mem of the daemons).
. "$top_srcdir/tests/lib.sh"
t_init scrub

TOOL="$top_builddir/tests/scrub/scrub_tool"
[ -x "$TOOL" ] || t_skip "$TOOL not built"
[ "$(id -u)" = 0 ] || t_skip "reading /proc/PID/mem of the daemons needs root"
[ -z "${GBA_VALGRIND:-}" ] || t_skip "memory of a process under valgrind is valgrind's"
# AddressSanitizer keeps freed blocks unreused in its quarantine (and its own allocator's
# copies): what other libraries free unwiped would linger there far longer than with glibc
ldd "$TOOL" 2>/dev/null | grep -q libasan && t_skip "ASan build: freed memory quarantined"
[ -n "$OPENSSL" ] && [ -x "$OPENSSL" ] || t_skip "openssl not installed"
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
IMPI="001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
LIFE=4

cat > "$T_DIR/subscribers.conf" <<EOT
cards = ( { name = "scrub"; iccid = "8988211000000000001"; imsi = "001010000000001";
	    algorithm = "milenage"; k = "$K"; opc = "$OPC"; gba = true;
	    key_lifetime = $LIFE; } );
EOT
T_NAF_FQDNS='"naf.test", "127.0.0.1"'
t_bsf_start "$T_DIR/subscribers.conf" 'log = "debug";' 'purge_interval = 1;'
NP=$(t_port)
t_start naf "$T_GBA_NAF" serve --listen "127.0.0.1:$NP" --fqdn naf.test "${T_ZN_OPTS[@]}" \
	--cache 1 --log debug
t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$NP" ||
	{ cat "$T_DIR/naf.log"; t_fail "gba-naf did not start"; t_done; }

# boot N: bootstrap and a Zn lookup; the secrets in $T_DIR/sN.keys, S_N=(NAME=HEX...)
boot() {
	"$TOOL" boot "${T_BSF_UB%/}" "$T_BSF_FQDN" "$IMPI" "$K" "$OPC" "$T_BSF_ZN" \
		"$T_PKI/naf.pem" "$T_PKI/naf.key" "$T_PKI/ca.pem" naf.test \
		> "$T_DIR/s$1.keys" 2> "$T_DIR/s$1.err" ||
		{ cat "$T_DIR/s$1.err"; t_fail "bootstrap $1"; t_done; }
	t_ok "bootstrap $1 and a Zn lookup: $(sed -n 's/^btid //p' "$T_DIR/s$1.keys")"
}
secrets() {	# N: NAME=HEX for session N
	awk -v n="$1" '$1 != "btid" { print $1 "_" n "=" $2 }' "$T_DIR/s$1.keys"
}
key() {		# N NAME
	awk -v k="$2" '$1 == k { print $2 }' "$T_DIR/s$1.keys"
}
btid() {
	key "$1" btid
}
naf_fetch() {	# N: gba-naf fetches session N's Ks_NAF over Zn for a TLS 1.2 handshake
	printf 'GET / HTTP/1.1\r\nHost: naf.test\r\n\r\n' |
		timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$NP" -servername naf.test \
		-psk_identity "$(btid "$1")" -psk "$(key "$1" Ks_NAF_tls12)" -quiet -tls1_2 \
		-cipher PSK-AES128-CBC-SHA256 > "$T_DIR/ua$1.out" 2>> "$T_DIR/s_client.err"
	t_check "gba-naf used session $1's key" \
		t_wait_for 5 grep -q "^peer .*btid=$(btid "$1") " "$T_DIR/naf.log"
}

boot 1
naf_fetch 1
boot 2
naf_fetch 2	# --cache 1: session 1's key evicted
# both sessions expire ($LIFE s) and the BSF purges them (every second)
sleep $((LIFE + 3))
mapfile -t S1 < <(secrets 1)
mapfile -t S2 < <(secrets 2)
KS=("K=$K" "OPc=$OPC")

"$TOOL" scan "$PID_bsf" "${S1[@]}" "${S2[@]}" > "$T_DIR/scan-bsf.txt" 2>&1
rc=$?
cat "$T_DIR/scan-bsf.txt"
t_check "gba-bsf's memory holds no RES, CK, IK, Ks or Ks_NAF of the expired sessions" \
	test $rc = 0
"$TOOL" scan "$PID_naf" "${KS[@]}" "${S1[@]}" > "$T_DIR/scan-naf.txt" 2>&1
t_check "gba-naf's memory holds no secret of the evicted key's session, no K/OPc" \
	test $? = 0 -a ! -s "$T_DIR/scan-naf.txt"
cat "$T_DIR/scan-naf.txt"

t_stop naf
t_stop bsf
for l in bsf naf; do
	t_check "$l.log ($(wc -l < "$T_DIR/$l.log") lines at debug) shows no key" \
		"$TOOL" grep "$T_DIR/$l.log" "${KS[@]}" "${S1[@]}" "${S2[@]}"
done
t_done

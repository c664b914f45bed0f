#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of Zn over Diameter (TS 29.109 BIR/BIA): gba-bsf --zn-diameter (built-in
# AuC) and `gba-naf lookup --bsf diameter:FDCONF` on loopback freeDiameter peers without TLS.
# The test UE (tests/diameter/zn_ue) bootstraps over Ub and derives the NAF keys itself; the
# keys gba-naf gets over Diameter must be the same bytes: Ks_NAF (GBA_ME), Ks_ext_NAF and
# Ks_int_NAF (GBA_U, GBA_U-aware NAF), Ks_ext_NAF only (GBA_U-unaware NAF). Refusals: unknown
# B-TID 5403, a NAF asking for another NAF's FQDN 5402, a Diameter peer that is no NAF 5402.
# tshark: every non-base message is 16777220/310, nothing malformed, the result codes as sent.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/diameter/dia_lib.sh"
t_init dia-zn

ZUE="$top_builddir/tests/diameter/zn_ue"
for p in "$T_GBA_BSF" "$T_GBA_NAF" "$ZUE"; do
	[ -x "$p" ] || t_skip "$p not built"
done
SP="$top_srcdir/sim-profiles"
REALM=bsf.test.example
UA=0100000002			# HTTP Digest
mkdir -p "$T_DIR/subs"
cp "$SP/gba-me.conf" "$SP/gba-u.conf" "$T_DIR/subs/"
chmod 600 "$T_DIR/subs/"*.conf

BSF_DIA=$(t_port)
NAF1_DIA=$(t_port)
NAF2_DIA=$(t_port)
ROGUE_DIA=$(t_port)
# the BSF knows three peers (freeDiameter refuses a CER from a peer it does not know); only
# naf1 and naf2 are NAFs in its ACL
t_dia_conf "$T_DIR/bsf-fd.conf" bsf.gba.test "$BSF_DIA" naf1.gba.test "$NAF1_DIA"
cat >> "$T_DIR/bsf-fd.conf" <<EOF
ConnectPeer = "naf2.gba.test" { ConnectTo = "127.0.0.1"; Port = $NAF2_DIA; No_TLS; };
ConnectPeer = "rogue.gba.test" { ConnectTo = "127.0.0.1"; Port = $ROGUE_DIA; No_TLS; };
EOF
t_dia_conf "$T_DIR/naf1-fd.conf" naf1.gba.test "$NAF1_DIA" bsf.gba.test "$BSF_DIA"
t_dia_conf "$T_DIR/naf2-fd.conf" naf2.gba.test "$NAF2_DIA" bsf.gba.test "$BSF_DIA"
t_dia_conf "$T_DIR/rogue-fd.conf" rogue.gba.test "$ROGUE_DIA" bsf.gba.test "$BSF_DIA"

UBPORT=$(t_port)
UB="http://127.0.0.1:$UBPORT"
cat > "$T_DIR/bsf.conf" <<EOT
fqdn = "$REALM";
ub_listen = "127.0.0.1:$UBPORT";
zn_listen = "127.0.0.1:$(t_port)";
store = "sqlite:$T_DIR/bsf.db";
kek_file = "$T_DIR/bsf.kek";
subscribers = "$T_DIR/subs";
key_lifetime = 3600;
log = "info";
zh = "auc";
zn: {
  allow_plain_http = true;
  nafs = ( { diameter_host = "naf1.gba.test"; fqdns = [ "naf1.test" ]; },
           { diameter_host = "naf2.gba.test"; fqdns = [ "naf2.test", "naf2b.test" ]; } );
};
EOT

rc=0
"$T_GBA_BSF" --config "$T_DIR/bsf.conf" --zn-diameter "$T_DIR/none.conf" > "$T_DIR/bad.log" 2>&1 ||
	rc=$?
[ $rc -ne 0 ] && grep -q 'none.conf' "$T_DIR/bad.log" &&
	t_ok "--zn-diameter with a missing freeDiameter file: refused" ||
	t_fail "missing freeDiameter file: exit $rc $(cat "$T_DIR/bad.log")"

# the ports of all four peers: a connection may be opened by either side
CAP_PORTS="$BSF_DIA or tcp port $NAF1_DIA or tcp port $NAF2_DIA or tcp port $ROGUE_DIA"
t_capture_start zn "$CAP_PORTS"
[ "$T_CAPTURE" = 1 ] || echo "note: no tshark capture, traffic checks skipped"

t_start bsf "$T_GBA_BSF" --config "$T_DIR/bsf.conf" --zn-diameter "$T_DIR/bsf-fd.conf"
t_wait_for 15 grep -q "ready, FQDN" "$T_DIR/bsf.log" ||
	{ cat "$T_DIR/bsf.log"; t_fail "gba-bsf did not start"; t_done; }
t_check "gba-bsf serves Zn over Diameter" grep -q "Zn over Diameter as bsf.gba.test" \
	"$T_DIR/bsf.log"

# naf PEER FQDN [ARGS...]: gba-naf lookup over Diameter as PEER; output in $T_DIR/naf.out
BIRS=0
naf() {
	_peer=$1
	_fqdn=$2
	shift 2
	BIRS=$((BIRS + 1))
	_rc=0
	"$T_GBA_NAF" lookup "$@" --naf "$_fqdn" --ua "$UA" --show-key --timeout 3000 \
		--bsf "diameter:$T_DIR/$_peer-fd.conf" --log "notice,zn=info" \
		> "$T_DIR/naf.out" 2>&1 || _rc=$?
	# freeDiameter 1.2.1 may abort in fd_fifo_del() while its core stops on a loaded
	# machine (doc/diameter.md); gba-naf has printed its result by then: judge that
	if [ $_rc -eq 134 ] && grep -q "fd_fifo_del: Assertion" "$T_DIR/naf.out"; then
		echo "note: freeDiameter shutdown assertion after the lookup (known 1.2.1 bug)"
		grep -q "^key-hex:" "$T_DIR/naf.out" && _rc=0 || _rc=1
	fi
	return $_rc
}
field() {
	sed -n "s/^$1: *//p" "$T_DIR/naf.out"
}

# ---- GBA_ME: Ks_NAF
if out=$("$ZUE" "$UB" "$REALM" "$SP/gba-me.conf" naf1.test "$UA" 2>&1); then
	set -- $out
	BTID_ME=$1
	KEY_ME=$2
	if naf naf1 naf1.test "$BTID_ME" && [ "$(field key-hex)" = "$2" ] &&
	   [ "$(field mode)" = GBA_ME ]; then
		t_ok "GBA_ME: Ks_NAF over Diameter = the UE's ($(field fingerprint))"
	else
		t_fail "GBA_ME lookup: $(cat "$T_DIR/naf.out") (UE: $2)"
	fi
	grep -q "^IMPI: *001010000000008@" "$T_DIR/naf.out" &&
		t_ok "GBA_ME: User-Name is the IMPI" || t_fail "GBA_ME: IMPI $(field IMPI)"
else
	t_fail "GBA_ME bootstrap: $out"
fi

# ---- GBA_U: Ks_ext_NAF and Ks_int_NAF for a GBA_U-aware NAF (naf2, second FQDN)
if out=$("$ZUE" "$UB" "$REALM" "$SP/gba-u.conf" naf2b.test "$UA" 2>&1); then
	set -- $out
	BTID_U=$1
	KEY_INT=$3
	if naf naf2 naf2b.test "$BTID_U" && [ "$(field key-hex)" = "$2" ] &&
	   [ "$(field mode)" = GBA_U ] && [ "$(field key)" = Ks_ext_NAF ]; then
		t_ok "GBA_U-aware NAF: Ks_ext_NAF = the UE's"
	else
		t_fail "GBA_U Ks_ext_NAF: $(cat "$T_DIR/naf.out") (UE: $2)"
	fi
	if naf naf2 naf2b.test "$BTID_U" --uicc && [ "$(field key-hex)" = "$3" ]; then
		t_ok "GBA_U-aware NAF: Ks_int_NAF (UICC-Key-Material) = the UE's"
	else
		t_fail "GBA_U Ks_int_NAF: $(cat "$T_DIR/naf.out") (UE: $3)"
	fi
	# ---- the same bootstrap for a GBA_U-unaware NAF: Ks_ext_NAF only
	if naf naf2 naf2b.test "$BTID_U" --gba-u-unaware && [ "$(field key-hex)" = "$2" ]; then
		t_ok "GBA_U-unaware NAF: Ks_ext_NAF = the UE's"
	else
		t_fail "GBA_U-unaware Ks_ext_NAF: $(cat "$T_DIR/naf.out")"
	fi
	if ! naf naf2 naf2b.test "$BTID_U" --gba-u-unaware --uicc; then
		t_ok "GBA_U-unaware NAF: no Ks_int_NAF ($(tail -1 "$T_DIR/naf.out"))"
	else
		t_fail "GBA_U-unaware NAF got Ks_int_NAF"
	fi
else
	t_fail "GBA_U bootstrap: $out"
fi

# ---- refusals
UNKNOWN="AAAAAAAAAAAAAAAAAAAAAA==@$REALM"
if ! naf naf1 naf1.test "$UNKNOWN" && grep -q "does not know this B-TID" "$T_DIR/naf.out"; then
	t_ok "unknown B-TID: refused as unknown (5403)"
else
	t_fail "unknown B-TID: $(cat "$T_DIR/naf.out")"
fi
if ! naf naf1 naf2.test "${BTID_U:-$UNKNOWN}" && grep -q "refused" "$T_DIR/naf.out"; then
	t_ok "naf1 asking for naf2's FQDN: refused (5402)"
else
	t_fail "foreign FQDN: $(cat "$T_DIR/naf.out")"
fi
if ! naf rogue naf1.test "${BTID_ME:-$UNKNOWN}" && grep -q "refused" "$T_DIR/naf.out"; then
	t_ok "a Diameter peer that is no NAF: refused (5402)"
else
	t_fail "peer not in the NAF list: $(cat "$T_DIR/naf.out")"
fi
t_check "BSF log: naf1 not authorised for naf2.test" \
	grep -q "NAF diameter:naf1.gba.test: not authorised for naf2.test" "$T_DIR/bsf.log"
t_check "BSF log: rogue.gba.test not authorised" \
	grep -q "NAF diameter:rogue.gba.test: not authorised for naf1.test" "$T_DIR/bsf.log"
t_check "no key material in the BSF log" bash -c \
	"! grep -qiE 'Key-Material|${KEY_ME:-Key-Material}|${KEY_INT:-Key-Material}' \
	 '$T_DIR/bsf.log'"

# ---- the captured traffic
if [ "$T_CAPTURE" = 1 ]; then
	sleep 0.5
	t_capture_stop zn
	DEC="-d tcp.port==$BSF_DIA,diameter -d tcp.port==$NAF1_DIA,diameter"
	DEC="$DEC -d tcp.port==$NAF2_DIA,diameter -d tcp.port==$ROGUE_DIA,diameter"
	tshark -n -r "$T_DIR/zn.pcapng" $DEC -Y diameter -T fields -E occurrence=a \
		-E aggregator=, -e diameter.flags.request -e diameter.applicationId \
		-e diameter.cmd.code -e diameter.Experimental-Result-Code \
		> "$T_DIR/msgs.txt" 2>/dev/null
	# CER/CEA 257, DWR/DWA 280 and DPR/DPA 282 are the base protocol (application 0)
	bad=$(awk -F'\t' '!(($2 == 16777220 && $3 == 310) ||
		($2 == 0 && ($3 == 257 || $3 == 280 || $3 == 282)))' "$T_DIR/msgs.txt" | head -3)
	zn=$(awk -F'\t' '$2 == 16777220 && $3 == 310' "$T_DIR/msgs.txt" | wc -l)
	[ -z "$bad" ] && [ "$zn" -eq $((2 * BIRS)) ] &&
		t_ok "tshark: $zn BIR/BIA (16777220/310) for $BIRS lookups, only base otherwise" ||
		t_fail "tshark: $zn Zn messages for $BIRS lookups, other: $bad"
	codes=$(awk -F'\t' '$1 == 0 && $3 == 310 && $4 != "" { print $4 }' "$T_DIR/msgs.txt" |
		sort | tr '\n' ' ')
	[ "$codes" = "5402 5402 5403 " ] &&
		t_ok "tshark: Experimental-Result-Code 5403 once, 5402 twice" ||
		t_fail "tshark: Experimental-Result-Codes '$codes'"
	mal=$(tshark -n -r "$T_DIR/zn.pcapng" $DEC \
		-Y '_ws.malformed || _ws.expert.severity >= "Error"' 2>/dev/null | head -3)
	[ -z "$mal" ] && t_ok "tshark: no malformed packet, no expert error" ||
		t_fail "tshark: $mal"
fi
t_done

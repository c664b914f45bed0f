#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test for contrib/gba-hlr-provision: a private osmo-hlr on a random 127.x.y.z
# (GSUP's port 4222 is fixed), two sample cards provisioned through its VTY, then checked
# with `subscriber imsi X show`: K, OPc, IND bit length and MSISDN must match the profiles.
# Also: a second run over existing subscribers, --ind-bitlen, an XOR card, a bad profile.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init profile-hlr

command -v osmo-hlr >/dev/null 2>&1 || t_skip "osmo-hlr is not installed"
PROV="$top_srcdir/contrib/gba-hlr-provision"
GBAP="$top_builddir/contrib/gba-profile"
[ -x "$GBAP" ] || t_skip "contrib/gba-profile is not built"
SP="$top_srcdir/sim-profiles"

t_hlr_start
ADDR=$T_HLR_ADDR

# `subscriber imsi X show` through the VTY; prints the reply without CRs and telnet bytes.
show() {
	local c buf= prompts=0
	exec 4<>"/dev/tcp/$ADDR/4258" || return 1
	while IFS= read -r -d '' -n 1 -t 5 c <&4; do
		buf+=$c
		if [[ $buf == *'> ' ]]; then
			prompts=$((prompts + 1))
			[ $prompts -eq 2 ] && break
			printf 'subscriber imsi %s show\n' "$1" >&4
			buf=
		fi
	done
	printf 'exit\n' >&4
	exec 4>&-
	printf '%s' "$buf" | LC_ALL=C tr -d '\r\377\373\374\375\376'
}

prov() {
	"$PROV" --host "$ADDR" --gba-profile "$GBAP" "$@" >> "$T_DIR/prov.log" 2>&1
}

# set 1 (OPc in the file) and gba-me (OP in the file, converted to set 1's OPc)
t_check "provision set1.conf and gba-me.conf" prov "$SP/set1.conf"
t_check "provision gba-me.conf" prov "$SP/gba-me.conf"
out=$(show 001010000000001)
t_check "set 1 K" grep -q 'K=465b5ce8b199b49faa5f0a2ee238a6bc' <<< "$out"
t_check "set 1 OPc" grep -q 'OPC=cd63cb71954a9f4e48a5994e37a02baf' <<< "$out"
t_check "set 1 IND-bitlen 0" grep -q 'IND-bitlen=0' <<< "$out"
t_check "set 1 MSISDN" grep -q 'MSISDN: 49300000001' <<< "$out"
t_check "set 1 MILENAGE" grep -q '3G auth: MILENAGE' <<< "$out"
out=$(show 001010000000008)
t_check "gba-me K" grep -q 'K=465b5ce8b199b49faa5f0a2ee238a6bc' <<< "$out"
t_check "gba-me OPc from OP" grep -q 'OPC=cd63cb71954a9f4e48a5994e37a02baf' <<< "$out"
t_check "gba-me IND-bitlen 5" grep -q 'IND-bitlen=5' <<< "$out"

# again, over existing subscribers, with an IND bit length override
t_check "re-provision with --ind-bitlen 7" prov --ind-bitlen 7 "$SP/set1.conf"
t_check "IND-bitlen overridden" grep -q 'IND-bitlen=7' <<< "$(show 001010000000001)"

t_check "provision xor.conf" prov "$SP/xor.conf"
out=$(show 001010000000010)
t_check "XOR card" grep -q '3G auth: XOR' <<< "$out"
t_check "XOR K" grep -q 'K=000102030405060708090a0b0c0d0e0f' <<< "$out"

printf 'cards = ( { imsi = "1"; } );\n' > "$T_DIR/bad.conf"
t_check "bad profile refused" bash -c "! \"\$0\" --host $ADDR --gba-profile $GBAP $T_DIR/bad.conf 2>> $T_DIR/prov.log" "$PROV"
t_check "error names file and line" grep -q "bad.conf:1: missing 'iccid'" "$T_DIR/prov.log"
t_check "no VTY: error" bash -c "! \"\$0\" --host $ADDR --port 1 --gba-profile $GBAP $SP/set1.conf" "$PROV"
t_check "keys not in the provisioning log" bash -c "! grep -q 465b5ce8 $T_DIR/prov.log"

t_stop hlr
t_done

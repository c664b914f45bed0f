#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Zn under attack. B-TID guessing: 400 lookups by an authorised NAF of B-TIDs near a valid
# one (one character changed near the start or at the end of the RAND, the same RAND under
# another BSF's FQDN or a near-miss of ours, random RANDs) all get the 5403 fault and never
# a key (the store is looked up by the exact B-TID); early and late mismatches take the same
# time within a coarse factor; /metrics counts the invalid lookups. Unauthorised NAFs
# (complementing tests/bsf/test_bsf zn_unauthorised: other NAF's FQDN, FQDN no one may ask
# for, no client certificate): a certificate of the trusted CA whose name is not in the ACL
# gets 5402, and so does a certificate named like an authorised NAF from another CA (it
# does not verify); neither gets a key.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init zn_guess
. "$top_srcdir/tests/attacks/lib_attacks.sh"
command -v curl >/dev/null || t_skip "curl not installed"
[ -n "$OPENSSL" ] || t_skip "openssl not installed"

a_bsf
UB=${T_BSF_UB%/}
ZN="$T_BSF_ZN/bsf/requestBootstrappingInfo"	# GBA_ZN_PATH
NAF=("$T_PKI/naf.pem" "$T_PKI/naf.key" "$T_PKI/ca.pem")

b1=$("$ATTACK" boot "$UB" "$(a_impi 0)")
b2=$("$ATTACK" boot "$UB" "$(a_impi 1)")
t_check "two subscribers bootstrapped ($b1, $b2)" test "${b1%% *}" = 200 -a "${b2%% *}" = 200
b1=${b1#* }; b2=${b2#* }
t_check "the NAF gets the key of a real B-TID" \
	test "$("$ATTACK" lookup "$ZN" "${NAF[@]}" "$b1" naf.test)" = "200 0"

unknown0=$(a_metric 'gba_bsf_zn_lookups_total{result="btid_unknown"}')
foreign0=$(a_metric 'gba_bsf_zn_lookups_total{result="btid_foreign"}')
t0=$(a_now)
if out=$("$ATTACK" guess "$ZN" "${NAF[@]}" "$b1" naf.test 400 2>"$T_DIR/guess.err"); then
	t_ok "400 near-miss and random B-TIDs: all 5403, no key"
else
	t_fail "B-TID guessing: $(cat "$T_DIR/guess.err")"
fi
el=$(( $(a_now) - t0 ))
read -r n early late <<<"$out"
echo "figure: $n invalid lookups in $el ms; mean answer: mismatch in the first 3 characters" \
	"$early ms, in the last 3 $late ms"
t_check "late mismatches are not measurably slower (late $late ms vs early $early ms)" \
	awk -v a="$early" -v b="$late" 'BEGIN { exit !(a > 0 && b > 0 && b < 2 * a + 1 &&
						    a < 2 * b + 1) }'
unknown=$(a_metric 'gba_bsf_zn_lookups_total{result="btid_unknown"}')
foreign=$(a_metric 'gba_bsf_zn_lookups_total{result="btid_foreign"}')
m="unknown +$((unknown - unknown0)), foreign +$((foreign - foreign0))"
t_check "metrics count the invalid lookups ($m)" \
	test $((unknown - unknown0 + foreign - foreign0)) -ge 400
t_check "the other subscriber's B-TID still answers for its own IMPI only" \
	test "$("$ATTACK" lookup "$ZN" "${NAF[@]}" "$b2" naf.test)" = "200 0"

# a NAF certificate of the trusted CA that is not in the ACL, and one of another CA
(
	cd "$T_PKI" &&
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:rogue.test\n' > rogue.ext &&
	"$OPENSSL" req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout rogue.key \
		-out rogue.csr -subj /CN=rogue.test &&
	"$OPENSSL" x509 -req -in rogue.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out rogue.pem -days 2 -extfile rogue.ext &&
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout other-ca.key -out other-ca.pem -subj /CN=other-ca -days 2 &&
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:naf.test\n' > forged.ext &&
	"$OPENSSL" req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout forged.key \
		-out forged.csr -subj /CN=naf.test &&
	"$OPENSSL" x509 -req -in forged.csr -CA other-ca.pem -CAkey other-ca.key \
		-CAcreateserial -out forged.pem -days 2 -extfile forged.ext
) >"$T_DIR/rogue.log" 2>&1 || { t_fail "rogue certificates: $(cat "$T_DIR/rogue.log")"; t_done; }
st=$("$ATTACK" lookup "$ZN" "$T_PKI/rogue.pem" "$T_PKI/rogue.key" "$T_PKI/ca.pem" "$b1" naf.test)
t_check "NAF certificate not in the ACL: 403 with fault 5402 ($st)" test "$st" = "403 5402"
st=$("$ATTACK" lookup "$ZN" "$T_PKI/rogue.pem" "$T_PKI/rogue.key" "$T_PKI/ca.pem" "$b1" rogue.test)
t_check "... also for its own FQDN ($st)" test "$st" = "403 5402"
st=$("$ATTACK" lookup "$ZN" "$T_PKI/forged.pem" "$T_PKI/forged.key" "$T_PKI/ca.pem" "$b1" \
	naf.test 2>/dev/null)
t_check "certificate named naf.test from another CA: 403 with fault 5402 ($st)" \
	test "$st" = "403 5402"
t_check "metrics count the unauthorised NAF" \
	test "$(a_metric 'gba_bsf_zn_lookups_total{result="naf_not_authorized"}')" -ge 2
t_stop bsf
t_done

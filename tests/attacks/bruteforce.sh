#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Brute force on Ub against the limiter (bsf/ratelimit.c), with the attack tool:
# per IMPI (failures 3 in 10 s, backoff 2..4 s): three wrong RES -> 429 + Retry-After for
# that IMPI only; MAC-failure reports count too; a greedy attacker for 10 s gets only a few
# RES checks (figure printed); the owner bootstraps once the backoff is over, and that
# success resets the count. Per address (a second gba-bsf, IMPI limit off, 5 failures):
# unknown-IMPI probes block the address for every IMPI, another source address is not
# affected, the address is served again after the backoff. /metrics shows all of it.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init bruteforce
. "$top_srcdir/tests/attacks/lib_attacks.sh"
a_no_valgrind
command -v curl >/dev/null || t_skip "curl not installed"

a_bsf 'ub_rate_limit: { failures = 3; address_failures = 0; window = 10; backoff = 2;' \
	'                 max_backoff = 4; };'
UB=${T_BSF_UB%/}
A=$(a_impi 0)

# 1. three wrong RES for A, then 429 with Retry-After
for i in 1 2 3; do
	st=$("$ATTACK" fail "$UB" "$A" wrongres)
	t_check "wrong RES $i for A answered with a new challenge ($st)" test "${st% *}" = 401
done
st=$("$ATTACK" first "$UB" "$A")
t_check "A after 3 failures: 429 with Retry-After ($st)" test "${st% *}" = 429 -a "${st#* }" -ge 1
st=$("$ATTACK" boot "$UB" "$(a_impi 1)")
t_check "another IMPI is not affected (${st%% *})" test "${st%% *}" = 200

# 2. MAC failure reports count too
for i in 1 2 3; do
	st=$("$ATTACK" fail "$UB" "$(a_impi 2)" macfail)
	t_check "MAC failure report $i: 403 ($st)" test "${st% *}" = 403
done
st=$("$ATTACK" first "$UB" "$(a_impi 2)")
t_check "after 3 MAC failure reports: 429 ($st)" test "${st% *}" = 429

# 3. a greedy attacker on A for 10 s: every RES check it gets, as fast as it can
n=0; limited=0; t0=$(a_now)
while [ $(( $(a_now) - t0 )) -lt 10000 ]; do
	st=$("$ATTACK" fail "$UB" "$A" wrongres)
	case "$st" in
	429*) limited=$((limited + 1)); sleep 0.2 ;;
	401*|403*) n=$((n + 1)) ;;
	*) t_fail "unexpected answer under attack: $st"; break ;;
	esac
done
el=$(( $(a_now) - t0 ))
echo "figure: greedy attacker: $n RES checks in $el ms on one IMPI ($limited refused with 429)"
t_check "at most 5 RES checks in 10 s on one IMPI (got $n)" test "$n" -le 5
t_check "the attacker was refused" test "$limited" -gt 0

# 4. the owner: waits out Retry-After (at most max_backoff) and bootstraps; success resets
t0=$(a_now); st=$("$ATTACK" boot "$UB" "$A")
while [ "${st% *}" = 429 ]; do
	sleep "${st#* }"
	st=$("$ATTACK" boot "$UB" "$A")
done
el=$(( $(a_now) - t0 ))
echo "figure: the owner of A bootstrapped ${el} ms after the attack stopped"
t_check "owner of A bootstraps after the backoff ($st)" test "${st%% *}" = 200
t_check "owner waited at most max_backoff + 2 s (${el} ms)" test "$el" -le 6000
for i in 1 2; do
	st=$("$ATTACK" fail "$UB" "$A" wrongres)
	t_check "after the success the count restarted: wrong RES $i is a 401 ($st)" \
		test "${st% *}" = 401
done

# 5. metrics
t_check "metrics: 429 rate_limited counted" \
	test "$(a_metric 'gba_bsf_bootstraps_total{status="429",reason="rate_limited"}')" -gt 0
t_check "metrics: refusals by IMPI" \
	test "$(a_metric 'gba_bsf_ub_rate_limited_total{key="impi",event="refused"}')" -gt 0
t_check "metrics: blocks by IMPI" \
	test "$(a_metric 'gba_bsf_ub_rate_limited_total{key="impi",event="blocked"}')" -ge 2
t_check "metrics: tracked IMPIs" test "$(a_metric 'gba_bsf_ratelimit_entries{key="impi"}')" -ge 1
t_check "metrics: no address tracked (off)" \
	test "$(a_metric 'gba_bsf_ratelimit_entries{key="address"}')" = 0
t_check "log names the blocked IMPI" grep -q "IMPI $A: failed authentications, blocked" \
	"$T_DIR/bsf.log"
t_stop bsf

# 6. per address: unknown IMPI probes
a_bsf 'ub_rate_limit: { failures = 0; address_failures = 5; window = 10; backoff = 2;' \
	'                 max_backoff = 4; };'
UB=${T_BSF_UB%/}
for i in 1 2 3 4 5; do
	st=$("$ATTACK" first "$UB" "99999000000$RANDOM$i@ims.mnc999.mcc999.3gppnetwork.org")
	t_check "unknown IMPI probe $i: 403 ($st)" test "${st% *}" = 403
done
st=$("$ATTACK" boot "$UB" "$(a_impi 3)")
t_check "address blocked: even a valid IMPI gets 429 ($st)" test "${st% *}" = 429
code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -H "Authorization: Digest \
username=\"$(a_impi 3)\", realm=\"bsf.test.example\", nonce=\"\", uri=\"/\", response=\"\"" "$UB/")
t_check "another source address (127.0.0.2) is served: 401 ($code)" test "$code" = 401
t_check "metrics: refusals by address" \
	test "$(a_metric 'gba_bsf_ub_rate_limited_total{key="address",event="refused"}')" -gt 0
t_check "metrics: unknown IMPIs not tracked per IMPI" \
	test "$(a_metric 'gba_bsf_ratelimit_entries{key="impi"}')" = 0
sleep 2.1
st=$("$ATTACK" boot "$UB" "$(a_impi 3)")
t_check "after the backoff the address is served again ($st)" test "${st%% *}" = 200
t_stop bsf
t_done

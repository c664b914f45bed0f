#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Oversized and slow requests against gba-bsf (connection_timeout 3 s, per_ip_connections 16):
# a 100 KB header or URI on Ub and Zn -> 4xx (431/414/413/400) within 2 s; a 10 MB body
# announced by Content-Length -> 400 (Ub) / 413 (Zn) within 2 s without being read; a 200 KB
# chunked Zn body -> 413; an idle connection is closed after the timeout; a slowloris of
# 100 connections from 127.0.0.2 sending one header byte per second is cut to 16 by the
# per-IP limit while bootstraps and Zn lookups from 127.0.0.1 are served within 3 s each.
# gba-naf serve closes a connection that never starts its TLS handshake (its I/O timeout).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init slow
. "$top_srcdir/tests/attacks/lib_attacks.sh"
a_no_valgrind
command -v curl >/dev/null || t_skip "curl not installed"

a_bsf 'connection_timeout = 3;' 'per_ip_connections = 16;' 'max_connections = 400;'
UB=${T_BSF_UB%/}
ZN="$T_BSF_ZN/bsf/requestBootstrappingInfo"
ZC=(--cert "$T_PKI/naf.pem" --key "$T_PKI/naf.key" --cacert "$T_PKI/ca.pem")
AUTH="Authorization: Digest username=\"$(a_impi 0)\", realm=\"bsf.test.example\", nonce=\"\","
AUTH+=" uri=\"/\", response=\"\""
big=$(head -c 100000 /dev/zero | tr '\0' a)
head -c 10000000 /dev/zero > "$T_DIR/10M"
head -c 200000 /dev/zero | tr '\0' x > "$T_DIR/200K"

# "CODE MS" of one curl run
req() { curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' "$@" |
	awk '{ printf "%s %d\n", $1, $2 * 1000 }'; }
fast4xx() {	# MSG "CODE MS" ALLOWED-CODES...
	_m=$1; _r=$2; shift 2
	_c=${_r% *}; _t=${_r#* }
	for _a in "$@"; do
		if [ "$_c" = "$_a" ] && [ "$_t" -lt 2000 ]; then t_ok "$_m: $_c in $_t ms"; return; fi
	done
	t_fail "$_m: $_r (want one of $* within 2000 ms)"
}

# 1. oversized headers, URI, bodies
fast4xx "Ub header of 100 KB" "$(req -H "$AUTH" -H "X-Big: $big" "$UB/")" 431 413 400
fast4xx "Ub URI of 100 KB" "$(req -H "$AUTH" "$UB/$big")" 414 431 413 400
fast4xx "Ub body of 10 MB (Content-Length): refused or closed" \
	"$(req -X GET -H "$AUTH" -H 'Expect:' --data-binary @"$T_DIR/10M" "$UB/")" 400 413 000
fast4xx "Zn header of 100 KB" "$(req "${ZC[@]}" -H "X-Big: $big" -d x "$ZN")" 431 413 400
# (the early answer can be lost in the reset of the unread upload: curl then says 000)
fast4xx "Zn body of 10 MB (Content-Length): refused or closed" \
	"$(req "${ZC[@]}" -H 'Expect:' --data-binary @"$T_DIR/10M" "$ZN")" 413 000
fast4xx "Zn body of 200 KB (chunked)" \
	"$(req "${ZC[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$T_DIR/200K" "$ZN")" 413
t_check "gba-bsf still runs" kill -0 "$PID_bsf"

# 2. idle connections closed: gba-bsf (3 s) and gba-naf serve (TLS handshake never started)
t_naf_start --fqdn naf.test
"$ATTACK" idle "$A_UB_PORT" 10 > "$T_DIR/idle_bsf" &
IDLE_PIDS=$!
"$ATTACK" idle "$T_NAF_TLS" 20 > "$T_DIR/idle_naf" &
IDLE_PIDS="$IDLE_PIDS $!"

# 3. slowloris from 127.0.0.2 while legitimate clients on 127.0.0.1 bootstrap
"$ATTACK" slowloris "$A_UB_PORT" 100 6 127.0.0.2 > "$T_DIR/slowloris" &
SL=$!
sleep 1.5
worst=0; ok=0
for i in 1 2 3 4 5; do
	t0=$(a_now)
	out=$("$ATTACK" boot "$UB" "$(a_impi $i)")
	el=$(( $(a_now) - t0 ))
	[ "${out%% *}" = 200 ] && ok=$((ok + 1))
	[ "$el" -gt "$worst" ] && worst=$el
done
echo "figure: 5 bootstraps during the slowloris, slowest ${worst} ms"
t_check "5 bootstraps served during the slowloris ($ok ok)" test "$ok" = 5
t_check "each within 3 s (slowest ${worst} ms)" test "$worst" -lt 3000
btid=$("$ATTACK" boot "$UB" "$(a_impi 6)"); btid=${btid#* }
st=$("$ATTACK" lookup "$ZN" "$T_PKI/naf.pem" "$T_PKI/naf.key" "$T_PKI/ca.pem" "$btid" naf.test)
t_check "Zn served during the slowloris ($st)" test "$st" = "200 0"
wait "$SL"
read -r opened closed < "$T_DIR/slowloris"
echo "figure: slowloris opened $opened connections, $closed closed by gba-bsf"
t_check "the per-IP limit cut the slowloris to 16 connections ($opened opened, $closed closed)" \
	test "$opened" -ge 90 -a "$((opened - closed))" -le 16

for p in $IDLE_PIDS; do wait "$p"; done
ms=$(cat "$T_DIR/idle_bsf")
t_check "gba-bsf closed an idle connection after its 3 s timeout (${ms} ms)" \
	test "$ms" -ge 2500 -a "$ms" -le 5000
ms=$(cat "$T_DIR/idle_naf")
echo "figure: gba-naf closed a connection without TLS handshake after ${ms} ms"
t_check "gba-naf serve closed a connection that never started TLS (${ms} ms)" \
	test "$ms" -ge 0 -a "$ms" -le 15000

# 4. gba-naf serve: a slowloris from 127.0.0.2 is held to its per-address limit (16), and a
# client on 127.0.0.1 still gets a connection (held open, not closed at once)
"$ATTACK" slowloris "$T_NAF_TLS" 100 4 127.0.0.2 > "$T_DIR/slowloris_naf" &
SL=$!
sleep 1
ms=$("$ATTACK" idle "$T_NAF_TLS" 2)
t_check "gba-naf serve accepts 127.0.0.1 during the slowloris (closed after: ${ms} ms)" \
	test "$ms" = -1
wait "$SL"
read -r opened closed < "$T_DIR/slowloris_naf"
echo "figure: slowloris on gba-naf opened $opened connections, $closed closed at once"
t_check "gba-naf's per-address limit held the slowloris to 16 ($opened opened, $closed closed)" \
	test "$opened" -ge 90 -a "$((opened - closed))" -le 16
t_check "gba-naf logged the limit" grep -q "too many connections from 127.0.0.2" "$T_DIR/naf.log"
t_stop naf
t_stop bsf
t_done

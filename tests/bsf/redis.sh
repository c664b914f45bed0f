#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two gba-bsf processes (A and B, own Ub/Zn ports, one KEK, one FQDN) sharing one private
# redis-server (127.0.0.1, random port, password, db 3, AOF in $T_DIR), driven by tue_cli:
# a 401 from A answered at B; a Zn lookup at B of a session made at A (Ks_NAF compared with
# the UE's); a nonce used at A refused at B; a second bootstrap replacing the IMPI's first
# session on both; the Redis keys and their expiry; redis-server stopped -> 503 with
# Retry-After on Ub and a 5012 fault on Zn; redis-server restarted -> bootstraps and the
# old sessions work again with no BSF restart.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init redis

command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] ||
	t_skip "redis-server not installed (Debian package redis-server)"
CLI=$(command -v redis-cli)
BSF="$top_builddir/bsf/gba-bsf"
TUE="$top_builddir/tests/bsf/tue_cli"
[ -x "$BSF" ] || { t_fail "$BSF not built"; t_done; }
[ -x "$TUE" ] || { t_fail "$TUE not built (make -C tests/bsf tue_cli)"; t_done; }

FQDN=bsf.test.example
PASS=redis-test-pw
impi() { printf "0010100000%05d@ims.mnc001.mcc001.3gppnetwork.org" $((100 + $1)); }

# redis-server: config and start from tests/lib.sh ("# ---- faults")
t_redis_conf "$T_DIR/redis.conf" "$PASS"
RP=$T_REDIS_PORT
quiet() { "$@" >/dev/null; }
rcli() { REDISCLI_AUTH=$PASS "$CLI" -h 127.0.0.1 -p "$RP" -n 3 "$@"; }
start_redis() {
	t_redis_start redis "$T_DIR/redis.conf"
}
start_redis

{
	echo "cards = ("
	for i in 0 1 2 3 4 5 6 7; do
		[ $i -gt 0 ] && echo ","
		printf '{ name = "r%d"; iccid = "89882110000000%05d"; imsi = "0010100000%05d";' \
			$i $((100 + i)) $((100 + i))
		printf ' mnc_length = 2; algorithm = "milenage";'
		printf ' k = "465b5ce8b199b49faa5f0a2ee238a6bc";'
		printf ' opc = "cd63cb71954a9f4e48a5994e37a02baf"; amf = "8000"; sqn = 0;'
		printf ' ind_bitlen = 0; gba = true; gba_u = false; }\n'
	done
	echo ");"
} > "$T_DIR/profiles"
chmod 600 "$T_DIR/profiles"
openssl rand -hex 32 > "$T_DIR/kek"
chmod 600 "$T_DIR/kek"

# start_bsf NAME: config with ports UB_NAME/ZN_NAME
start_bsf() {
	eval "_ub=\$UB_$1 _zn=\$ZN_$1"
	cat > "$T_DIR/$1.conf" <<-EOF
	fqdn = "$FQDN";
	ub_listen = "127.0.0.1:$_ub";
	zn_listen = "127.0.0.1:$_zn";
	subscribers = "$T_DIR/profiles";
	store = "redis://:$PASS@127.0.0.1:$RP/3";
	kek_file = "$T_DIR/kek";
	challenge_lifetime = 30;
	retry_after = 7;
	threads = 2;
	log = "info";
	zn: { allow_plain_http = true;
	      nafs = ( { id = "plain"; fqdns = [ "naf1.test" ]; } ); };
	EOF
	chmod 600 "$T_DIR/$1.conf"
	t_start "bsf$1" "$BSF" --config "$T_DIR/$1.conf"
	t_wait_for 10 bash -c \
		"exec 3<>/dev/tcp/127.0.0.1/$_ub && exec 4<>/dev/tcp/127.0.0.1/$_zn" ||
		{ cat "$T_DIR/bsf$1.log"; t_fail "gba-bsf $1 did not start"; t_done; }
}
UB_A=$(t_port); ZN_A=$(t_port); UB_B=$(t_port); ZN_B=$(t_port)
start_bsf A
start_bsf B
A=http://127.0.0.1:$UB_A
B=http://127.0.0.1:$UB_B
ZA=http://127.0.0.1:$ZN_A
ZB=http://127.0.0.1:$ZN_B

# 1. a bootstrap whose 401 came from A completes at B
if btid1=$("$TUE" cross "$A" "$B" "$(impi 0)" 2>"$T_DIR/tue1.err"); then
	t_ok "401 from A answered at B: 200, rspauth ok, B-TID $btid1"
else
	t_fail "401 from A answered at B: $(cat "$T_DIR/tue1.err")"
fi
# ... and the reverse
t_check "401 from B answered at A" quiet "$TUE" cross "$B" "$A" "$(impi 1)"

# 2. Zn at B finds a session made at A, with the UE's Ks_NAF
if out=$("$TUE" boot "$A" "$(impi 2)" "$ZB" naf1.test 2>"$T_DIR/tue2.err"); then
	t_ok "session made at A found on Zn at B, Ks_NAF equal"
else
	t_fail "Zn at B for a session of A: $out $(cat "$T_DIR/tue2.err")"
fi
btid2=$(echo "$out" | head -n 1)
t_check "the session made at B (cross) resolves at A's Zn too" \
	quiet "$TUE" lookup "$ZA" "$btid1" naf1.test

# 3. a nonce used at A is refused at B (stale 401)
t_check "nonce used at A replayed at B: stale 401" "$TUE" replay "$A" "$B" "$(impi 3)"
t_check "nonce used at B replayed at A: stale 401" "$TUE" replay "$B" "$A" "$(impi 4)"

# 4. a new bootstrap of the same IMPI at B replaces the session made at A, on both BSFs
btid2b=$("$TUE" boot "$B" "$(impi 2)")
st=$("$TUE" lookup "$ZA" "$btid2" naf1.test)
t_check "second bootstrap at B: old B-TID gone at A ($st)" test "$st" = "404 5403"
t_check "second bootstrap at B: new B-TID found at A" quiet "$TUE" lookup "$ZA" "$btid2b" naf1.test

# 5. what is in Redis
if [ -n "$CLI" ]; then
	t_check "gba:impi points at the new B-TID" \
		test "$(rcli GET "gba:impi:$(impi 2)")" = "$btid2b"
	ttl=$(rcli PTTL "gba:sess:$btid2b")
	t_check "session key has an expiry ($ttl ms)" test "$ttl" -gt 0
	t_check "old session key deleted" test "$(rcli EXISTS "gba:sess:$btid2")" = 0
	t_check "SQN bound stored" test "$(rcli GET gba:sqn:001010000000102)" -gt 0
	chal=$(rcli --scan --pattern 'gba:chal:*' | head -n 1)
	t_check "pending challenge has an expiry" test "$(rcli PTTL "$chal")" -gt 0
else
	echo "redis-cli absent: key checks skipped"
fi

# 6. redis-server down: Ub 503 + Retry-After, Zn 5012, quickly
t_stop redis
t0=$(date +%s%N)
st=$("$TUE" first "$A" "$(impi 5)")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_check "Redis down: Ub at A answers 503 with Retry-After ($st, ${ms} ms)" test "$st" = "503 7"
t_check "Redis down: the answer came within 2 s" test "$ms" -lt 2000
t_check "Redis down: Ub at B answers 503 with Retry-After" \
	test "$("$TUE" first "$B" "$(impi 5)")" = "503 7"
st=$("$TUE" lookup "$ZB" "$btid1" naf1.test)
t_check "Redis down: Zn at B answers a 5012 fault ($st)" test "${st#* }" = 5012
t_check "Redis down: both BSFs still running" kill -0 "$PID_bsfA" "$PID_bsfB"

# 7. redis-server back (AOF kept): sessions and bootstraps work, no BSF restart
start_redis
boot_ok() { "$TUE" boot "$1" "$(impi 6)" >/dev/null 2>&1; }
t_check "Redis back: bootstrap at A works again" t_wait_for 10 boot_ok "$A"
t_check "Redis back: bootstrap at B works again" t_wait_for 10 boot_ok "$B"
t_check "Redis back: 401 from B answered at A" quiet "$TUE" cross "$B" "$A" "$(impi 7)"
t_check "Redis back: a session from before the restart resolves at B" \
	quiet "$TUE" lookup "$ZB" "$btid1" naf1.test
t_check "gba-bsf A logged the reconnection" grep -q "connected again" "$T_DIR/bsfA.log"

t_stop bsfA
t_stop bsfB
t_stop redis
t_done

# Shell helpers for the integration tests (bash; sourced by #!/bin/bash test scripts).
# Usage:  . "$top_srcdir/tests/lib.sh"; t_init NAME
#   t_init NAME          (as root: re-run the script in its own network namespace, see below)
#                        make a private work dir $T_DIR, install the cleanup trap
#   t_start NAME CMD...  start CMD in the background, log to $T_DIR/NAME.log, remember its PID
#   t_stop NAME          SIGTERM that process, wait (up to 5 s, then SIGKILL)
#   t_wait_for SECS CMD  run CMD every 50 ms until it succeeds or SECS pass (returns 1 then)
#   t_ok/t_fail MSG      count a check;  t_done prints "N passed, N failed" and exits
#   t_skip MSG           exit 77 (automake: skipped)
#   t_port               print a free TCP port on 127.0.0.1
# Everything started with t_start is stopped by PID on exit. Loopback only.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
T_PASS=0
T_FAIL=0
T_PIDS=""

t_init() {
	# As root, run the whole script in its own network and mount namespaces: loopback only,
	# so daemons that bind 0.0.0.0 (vpcd, freeDiameter) are reachable from nowhere else, and
	# a private /run/pcscd. T_NO_NETNS=1 turns this off; a script with arguments sets T_ARGS=("$@").
	if [ -z "${T_NETNS:-}${T_NO_NETNS:-}" ] && [ "$(id -u)" = 0 ] &&
	   command -v unshare >/dev/null && command -v ip >/dev/null &&
	   unshare --net --mount true 2>/dev/null; then
		export T_NETNS=1
		exec unshare --net --mount --propagation private "$BASH" -c \
			'ip link set lo up && mkdir -p /run/pcscd && mount -t tmpfs tmpfs /run/pcscd &&
			 exec "$@"' _ "$BASH" "$0" "${T_ARGS[@]}"
	fi
	T_NAME=$1
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gba-$T_NAME.XXXXXX") || exit 99
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
}

t_cleanup() {
	for p in $T_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		t_reap "$p"
	done
	T_PIDS=""
	if [ "$T_FAIL" -eq 0 ] && [ -z "${T_KEEP:-}" ]; then
		rm -rf "$T_DIR"
	else
		echo "work directory kept: $T_DIR"
	fi
}

t_reap() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# t_start NAME CMD... ; the PID is in $T_LAST_PID and in variable PID_NAME
t_start() {
	_n=$1
	shift
	"$@" > "$T_DIR/$_n.log" 2>&1 &
	T_LAST_PID=$!
	T_PIDS="$T_PIDS $T_LAST_PID"
	eval "PID_$_n=$T_LAST_PID"
}

t_stop() {
	eval "_p=\${PID_$1:-}"
	[ -n "$_p" ] || return 0
	kill -TERM "$_p" 2>/dev/null
	t_reap "$_p"
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$_p" | tr '\n' ' ')
	eval "PID_$1="
}

t_kill9() {
	eval "_p=\${PID_$1:-}"
	[ -n "$_p" ] || return 0
	kill -KILL "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$_p" | tr '\n' ' ')
	eval "PID_$1="
}

t_wait_for() {
	_secs=$1
	shift
	_end=$(( $(date +%s%N) / 1000000 + _secs * 1000 ))
	while ! "$@" >/dev/null 2>&1; do
		[ $(( $(date +%s%N) / 1000000 )) -lt $_end ] || return 1
		sleep 0.05
	done
	return 0
}

t_ok() {
	T_PASS=$((T_PASS + 1))
	echo "PASS: $*"
}

t_fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL: $*"
}

# t_check MSG CMD...: pass when CMD succeeds
t_check() {
	_m=$1
	shift
	if "$@"; then t_ok "$_m"; else t_fail "$_m"; fi
}

t_skip() {
	echo "SKIP: $*"
	exit 77
}

t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && exit 0
	exit 1
}

t_port() {
	# a random high port nobody listens on (bash /dev/tcp probe)
	while :; do
		_p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$_p") 2>/dev/null; then
			echo "$_p"
			return 0
		fi
	done
}

# ---- pcscd + vpcd (private instance): written with the soft card (uicc/) ----
# A private pcscd (own socket through tests/uicc/sockact, own reader.conf.d naming the vpcd
# driver on a random port pair) and gba-uicc cards connected to it. Never touches a system
# pcscd. Clients find it through PCSCLITE_CSOCK_NAME, exported by t_pcscd_start.
#   t_pcscd_start        start pcscd; sets T_VPCD_PORT, T_READER ("GBA Test PCD 00 00"),
#                        PCSCLITE_CSOCK_NAME; skips (77) when pcscd or the vpcd driver is absent
#   t_card_start NAME PROFILE [ARGS...]   start gba-uicc (state in $T_DIR/NAME.state) on
#                        slot 0 and wait until pcscd sees the card; extra ARGS go to gba-uicc
#   t_card_present       true when pcscd reports a card in $T_READER (t_card_absent: not)
#   t_pcscd_stop         stop pcscd and remove its socket (also done on exit)
: "${VPCD_DRIVER:=/usr/lib/pcsc/drivers/serial/libifdvpcd.so}"
T_GBA_UICC="$top_builddir/uicc/gba-uicc"
T_SOCKACT="$top_builddir/tests/uicc/sockact"

t_pcscd_start() {
	_pcscd=$(command -v pcscd || ls /usr/sbin/pcscd 2>/dev/null)
	[ -n "$_pcscd" ] || t_skip "pcscd not installed (Debian package pcscd)"
	[ -f "$VPCD_DRIVER" ] || t_skip "vpcd driver $VPCD_DRIVER absent (vsmartcard-vpcd)"
	command -v pcsc_scan >/dev/null || t_skip "pcsc_scan not installed (pcsc-tools)"
	[ -x "$T_SOCKACT" ] || t_skip "$T_SOCKACT not built (make check builds it)"
	# vpcd uses PORT and PORT+1 (two slots)
	while :; do
		T_VPCD_PORT=$(t_port)
		(exec 3<>"/dev/tcp/127.0.0.1/$((T_VPCD_PORT + 1))") 2>/dev/null || break
	done
	mkdir -p "$T_DIR/reader.conf.d"
	cat > "$T_DIR/reader.conf.d/vpcd" <<-EOT
	FRIENDLYNAME "GBA Test PCD"
	DEVICENAME   /dev/null:$T_VPCD_PORT
	LIBPATH      $VPCD_DRIVER
	EOT
	T_READER="GBA Test PCD 00 00"
	PCSCLITE_CSOCK_NAME="$T_DIR/pcscd.comm"
	export PCSCLITE_CSOCK_NAME T_VPCD_PORT T_READER
	t_start pcscd "$T_SOCKACT" "$PCSCLITE_CSOCK_NAME" "$_pcscd" --foreground \
		-c "$T_DIR/reader.conf.d"
	# readiness: the reader is listed (never probe vpcd's port: it takes that for a card)
	if ! t_wait_for 10 t_reader_listed; then
		cat "$T_DIR/pcscd.log" >&2
		t_fail "pcscd did not list $T_READER"
		t_done
	fi
	return 0
}

t_reader_listed() {
	pcsc_scan -r 2>/dev/null | grep -q "$T_READER"
}

t_card_present() {
	timeout 3 pcsc_scan -c -t 1 2>/dev/null | grep -q "ATR: "
}

t_card_absent() {
	! t_card_present
}

t_card_start() {
	_cn=$1
	_cp=$2
	shift 2
	[ -x "$T_GBA_UICC" ] || t_skip "$T_GBA_UICC not built"
	# a card stopped just before is still "present" until pcscd's next poll: let it go first
	t_wait_for 3 t_card_absent
	t_start "$_cn" "$T_GBA_UICC" --profile "$_cp" --state "$T_DIR/$_cn.state" \
		--vpcd "127.0.0.1:$T_VPCD_PORT" "$@"
	# vpcd notices a new card at pcscd's ~400 ms presence poll
	if ! t_wait_for 10 t_card_present; then
		cat "$T_DIR/$_cn.log" >&2
		t_fail "card $_cn not present in $T_READER"
		t_done
	fi
	return 0
}

t_pcscd_stop() {
	t_stop pcscd
	rm -f "$T_DIR/pcscd.comm"
}

# ---- the GBA stack: a test PKI, gba-bsf and gba-naf (used by the demo and end-to-end tests) ----
#   t_pki                      CA, BSF server and NAF client certificates in $T_DIR/pki ($T_PKI)
#   t_bsf_start SUBSCRIBERS [CONFIG-LINES...]   gba-bsf with the built-in AuC on random ports:
#                              sets T_BSF_UB (Ub URL), T_BSF_ZN (Zn URL), T_BSF_FQDN; Zn over
#                              mutual TLS, NAF "naf.test" authorised for $T_NAF_FQDNS
#   t_naf_start ARGS...        gba-naf serve with Zn towards that BSF: sets T_NAF_TLS, T_NAF_DIGEST
#                              (ports); ARGS are added to its command line
: "${OPENSSL:=$(command -v openssl)}"
: "${T_NAF_FQDNS:=\"naf.test\", \"127.0.0.1\"}"
T_GBA_BSF="$top_builddir/bsf/gba-bsf"
T_GBA_NAF="$top_builddir/naf/gba-naf"
T_GBA_UE="$top_builddir/ue/gba-ue"

t_pki() {
	T_PKI="$T_DIR/pki"
	mkdir -p "$T_PKI"
	(
		cd "$T_PKI" || exit 1
		"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout ca.key -out ca.pem -subj /CN=gbakit-test-ca -days 2 &&
		for n in bsf:localhost naf:naf.test; do
			printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:%s,IP:127.0.0.1\n' \
				"${n#*:}" > "${n%%:*}.ext" &&
			"$OPENSSL" req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
				-keyout "${n%%:*}.key" -out "${n%%:*}.csr" -subj "/CN=${n#*:}" &&
			"$OPENSSL" x509 -req -in "${n%%:*}.csr" -CA ca.pem -CAkey ca.key \
				-CAcreateserial -out "${n%%:*}.pem" -days 2 -extfile "${n%%:*}.ext" ||
				exit 1
		done
	) > "$T_DIR/pki.log" 2>&1 || { t_fail "test PKI: $(cat "$T_DIR/pki.log")"; t_done; }
}

t_bsf_start() {
	_subs=$1
	shift
	[ -x "$T_GBA_BSF" ] || t_skip "$T_GBA_BSF not built"
	[ -n "${T_PKI:-}" ] || t_pki
	: "${T_BSF_FQDN:=bsf.mnc001.mcc001.pub.3gppnetwork.org}"
	_ub=$(t_port)
	_zn=$(t_port)
	{
		echo "fqdn = \"$T_BSF_FQDN\";"
		echo "ub_listen = \"127.0.0.1:$_ub\";"
		echo "zn_listen = \"127.0.0.1:$_zn\";"
		echo "admin_listen = \"127.0.0.1:$(t_port)\";"
		echo "subscribers = \"$_subs\";"
		echo "store = \"sqlite:$T_DIR/bsf.db\";"
		echo "kek_file = \"$T_DIR/bsf.kek\";"
		echo "zn: { cert = \"$T_PKI/bsf.pem\"; key = \"$T_PKI/bsf.key\";"
		echo "      client_ca = \"$T_PKI/ca.pem\";"
		echo "      nafs = ( { id = \"naf.test\"; fqdns = [ $T_NAF_FQDNS ]; } ); };"
		for _l in "$@"; do echo "$_l"; done
	} > "$T_DIR/bsf.conf"
	t_start bsf "$T_GBA_BSF" --config "$T_DIR/bsf.conf"
	t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$_zn" ||
		{ cat "$T_DIR/bsf.log"; t_fail "gba-bsf did not start"; t_done; }
	T_BSF_UB="http://127.0.0.1:$_ub/"
	T_BSF_ZN="https://127.0.0.1:$_zn"
	T_ZN_OPTS=(--bsf "$T_BSF_ZN" --zn-cert "$T_PKI/naf.pem" --zn-key "$T_PKI/naf.key"
		   --zn-ca "$T_PKI/ca.pem")
}

t_naf_start() {
	[ -x "$T_GBA_NAF" ] || t_skip "$T_GBA_NAF not built"
	T_NAF_TLS=$(t_port)
	T_NAF_DIGEST=$(t_port)
	t_start naf "$T_GBA_NAF" serve --listen "127.0.0.1:$T_NAF_TLS" \
		--digest-listen "127.0.0.1:$T_NAF_DIGEST" "${T_ZN_OPTS[@]}" "$@"
	t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$T_NAF_TLS" ||
		{ cat "$T_DIR/naf.log"; t_fail "gba-naf did not start"; t_done; }
}

# ---- faults: helpers of the fault-injection tests (tests/faults/), also used by tests/bsf
#   t_faults_profiles FILE N     N GBA_ME subscribers (IMSI 0010100000nnnnn, nnnnn = 0..N-1,
#                                TS 35.208 set 1 K/OPc, SQN 0, IND bits 0): the test UE's cards
#   T_FAULTS_IMPI                printf format of their IMPIs (fault_ue load)
#   t_faults_bsf_conf FILE STORE [LINES...]   a gba-bsf config: built-in AuC on those profiles,
#                                STORE, KEK $T_DIR/bsf.kek, realm bsf.test.example, Zn plain
#                                HTTP for NAF naf.test, retry_after 7, fresh ports: sets
#                                T_FAULTS_UB, T_FAULTS_ZN (URLs) and T_FAULTS_UBPORT
#   t_faults_bsf_start NAME CONF start (or restart: the old log goes to NAME-old.log) gba-bsf
#                                and wait for the ports of CONF
#   t_faults_integrity DB        check: sqlite3 DB 'PRAGMA integrity_check' says ok
#   t_redis_conf FILE PASS       a private redis-server config (127.0.0.1, random port in
#                                T_REDIS_PORT, password, AOF with appendfsync always in $T_DIR)
#   t_redis_start NAME FILE      start (or restart) that redis-server, wait until it accepts
#   t_faults_pcscd_restart       start the pcscd of t_pcscd_start again (same socket, same vpcd
#                                port) after it was stopped or killed; wait for the reader
#   t_hlr_start           start (or restart) a private osmo-hlr (DB $T_DIR/hlr.db) on a
#                                random 127.x.y.z (GSUP port 4222 is fixed), in T_HLR_ADDR
#   t_faults_outages LABEL EVENTS END DOWN1 UP1 [DOWN2 UP2...]   checks on a fault_ue event
#                                log (times in ms): each outage DOWNi..UPi saw 503 + Retry-After
#                                7; from the first success after UPi to the next DOWN (or END)
#                                no failure; no failure in the whole log but 503 + Retry-After
T_FAULTS_IMPI='0010100000%05ld@ims.mnc001.mcc001.3gppnetwork.org'

t_faults_profiles() {
	{
		echo "cards = ("
		for _i in $(seq 0 $(($2 - 1))); do
			[ "$_i" -gt 0 ] && echo ","
			printf '{ name = "f%d"; iccid = "89882110000000%05d";' "$_i" "$_i"
			printf ' imsi = "0010100000%05d";' "$_i"
			printf ' mnc_length = 2; algorithm = "milenage";'
			printf ' k = "465b5ce8b199b49faa5f0a2ee238a6bc";'
			printf ' opc = "cd63cb71954a9f4e48a5994e37a02baf"; amf = "8000"; sqn = 0;'
			printf ' ind_bitlen = 0; gba = true; gba_u = false; }\n'
		done
		echo ");"
	} > "$1"
	chmod 600 "$1"
}

t_faults_bsf_conf() {
	_f=$1
	_st=$2
	shift 2
	T_FAULTS_UBPORT=$(t_port)
	_zp=$(t_port)
	[ -f "$T_DIR/bsf.kek" ] || { openssl rand -hex 32 > "$T_DIR/bsf.kek" &&
				     chmod 600 "$T_DIR/bsf.kek"; }
	{
		echo "fqdn = \"bsf.test.example\";"
		echo "ub_listen = \"127.0.0.1:$T_FAULTS_UBPORT\";"
		echo "zn_listen = \"127.0.0.1:$_zp\";"
		echo "subscribers = \"$T_DIR/profiles\";"
		echo "store = \"$_st\";"
		echo "kek_file = \"$T_DIR/bsf.kek\";"
		echo "retry_after = 7;"
		echo "log = \"info\";"
		echo "zn: { allow_plain_http = true;"
		echo "      nafs = ( { id = \"plain\"; fqdns = [ \"naf.test\" ]; } ); };"
		for _l in "$@"; do echo "$_l"; done
	} > "$_f"
	chmod 600 "$_f"
	T_FAULTS_UB="http://127.0.0.1:$T_FAULTS_UBPORT"
	T_FAULTS_ZN="http://127.0.0.1:$_zp"
}

t_faults_bsf_start() {
	[ -f "$T_DIR/$1.log" ] && cat "$T_DIR/$1.log" >> "$T_DIR/$1-old.log"
	t_start "$1" "$T_GBA_BSF" --config "$2"
	_ports=$(sed -n 's/^[a-z]*_listen = "127.0.0.1:\([0-9]*\)";/\1/p' "$2")
	for _p in $_ports; do
		t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$_p" ||
			{ cat "$T_DIR/$1.log"; t_fail "gba-bsf $1 did not start"; t_done; }
	done
}

t_faults_integrity() {
	if ! command -v sqlite3 >/dev/null; then
		echo "sqlite3 not installed: integrity check of $1 skipped"
		return 0
	fi
	# as gba-bsf opens it: exclusive locking, so a WAL left by a kill needs no -shm
	_r=$(sqlite3 "$1" 'PRAGMA locking_mode=EXCLUSIVE;' 'PRAGMA integrity_check' 2>&1)
	_r=${_r#exclusive$'\n'}
	[ "$_r" = ok ] && t_ok "sqlite3 PRAGMA integrity_check of $(basename "$1"): ok" ||
		t_fail "integrity_check of $1: $_r"
}

t_redis_conf() {
	T_REDIS_PORT=$(t_port)
	cat > "$1" <<-EOT
	bind 127.0.0.1
	port $T_REDIS_PORT
	protected-mode yes
	daemonize no
	dir $T_DIR
	dbfilename dump.rdb
	save ""
	appendonly yes
	appendfsync always
	appenddirname appendonly
	requirepass $2
	logfile ""
	EOT
}

t_redis_start() {
	_rs=$(command -v redis-server || ls /usr/bin/redis-server 2>/dev/null)
	[ -n "$_rs" ] || t_skip "redis-server not installed (Debian package redis-server)"
	_rp=$(sed -n 's/^port //p' "$2")
	[ -f "$T_DIR/$1.log" ] && cat "$T_DIR/$1.log" >> "$T_DIR/$1-old.log"
	t_start "$1" "$_rs" "$2"
	t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$_rp" ||
		{ cat "$T_DIR/$1.log"; t_fail "redis-server did not start"; t_done; }
}

t_faults_pcscd_restart() {
	_pcscd=$(command -v pcscd || ls /usr/sbin/pcscd 2>/dev/null)
	[ -f "$T_DIR/pcscd.log" ] && cat "$T_DIR/pcscd.log" >> "$T_DIR/pcscd-old.log"
	t_start pcscd "$T_SOCKACT" "$PCSCLITE_CSOCK_NAME" "$_pcscd" --foreground \
		-c "$T_DIR/reader.conf.d"
	t_wait_for 10 t_reader_listed ||
		{ cat "$T_DIR/pcscd.log" >&2; t_fail "pcscd did not start again"; t_done; }
}

t_faults_outages() {
	_lab=$1
	_ev=$2
	_end=$3
	shift 3
	_k=1
	while [ $# -ge 2 ]; do
		_next=${3:-$_end}
		_n503=$(awk -v a="$1" -v b="$2" '$1 > a && $1 <= b && $2 == "ERR" && $4 == 503 &&
			$5 == 7' "$_ev" | wc -l)
		_first=$(awk -v a="$2" '$1 > a && $2 == "OK" { print $1; exit }' "$_ev")
		_late=$(awk -v a="${_first:-$_next}" -v b="$_next" '$1 > a + 100 && $1 <= b &&
			$2 == "ERR"' "$_ev" | wc -l)
		t_check "$_lab, outage $_k: $_n503 x 503 + Retry-After: 7, no failure once up" \
			test "$_n503" -gt 0 -a "$_late" -eq 0 -a -n "$_first"
		_k=$((_k + 1))
		shift 2
	done
	_bad=$(awk '$2 == "ERR" && !($4 == 503 && $5 == 7)' "$_ev" | wc -l)
	t_check "$_lab: every failure was a 503 with Retry-After ($_bad others)" test "$_bad" -eq 0
}

t_hlr_start() {
	command -v osmo-hlr >/dev/null 2>&1 || t_skip "osmo-hlr is not installed"
	if [ -z "${T_HLR_ADDR:-}" ]; then
		T_HLR_ADDR=127
		for _i in 1 2 3; do
			T_HLR_ADDR=$T_HLR_ADDR.$(( $(od -An -N2 -tu2 /dev/urandom) % 250 + 2 ))
		done
		printf '%s\n' 'log stderr' ' logging filter all 1' ' logging color 0' \
			' logging level main notice' 'line vty' " bind $T_HLR_ADDR 4258" 'ctrl' \
			" bind $T_HLR_ADDR" 'hlr' ' gsup' "  bind ip $T_HLR_ADDR" \
			> "$T_DIR/osmo-hlr.cfg"
	fi
	[ -f "$T_DIR/hlr.log" ] && cat "$T_DIR/hlr.log" >> "$T_DIR/hlr-old.log"
	t_start hlr osmo-hlr -c "$T_DIR/osmo-hlr.cfg" -l "$T_DIR/hlr.db"
	t_wait_for 5 bash -c \
		"exec 3<>/dev/tcp/$T_HLR_ADDR/4222 && exec 4<>/dev/tcp/$T_HLR_ADDR/4258" ||
		{ cat "$T_DIR/hlr.log"; t_fail "osmo-hlr on $T_HLR_ADDR"; t_done; }
}

# ---- valgrind: our daemons under memcheck when GBA_VALGRIND=1 (tests/valgrind.sh sets it) ----
# t_start runs gba-bsf, gba-uicc and gba-naf through tests/valgrind.sh (valgrind log in
# $T_DIR/NAME.vg); t_reap (t_stop, the exit trap) gives them time for valgrind's leak check
# and fails the test when valgrind found a memory error or a definite leak (exit code 99, or
# an error in the log). t_wait_for's timeouts and gba-naf's Zn timeout are multiplied by
# T_VG_FACTOR (default 8: returns as soon as the condition holds).
if [ -n "${GBA_VALGRIND:-}" ] && command -v valgrind >/dev/null; then
	: "${T_VG_FACTOR:=8}"
	export T_VG_FACTOR
	T_VG_PIDS=""
	T_VG_ERRORS=0
	T_VG_ERROR_RE='definitely lost|Invalid (read|write|free)|uninitialised|Syscall param|Mismatch'
	eval "_t_vg_start() $(declare -f t_start | tail -n +2)"
	eval "_t_vg_reap() $(declare -f t_reap | tail -n +2)"
	eval "_t_vg_wait_for() $(declare -f t_wait_for | tail -n +2)"
	eval "_t_vg_cleanup() $(declare -f t_cleanup | tail -n +2)"

	t_start() {
		case $(basename "$2") in
		gba-bsf | gba-uicc | gba-naf)
			_vn=$1
			shift
			# gba-naf: a Zn timeout for a BSF under valgrind (the script's own wins)
			case " $* " in
			*/gba-naf\ *" --timeout "*) ;;
			*/gba-naf\ [a-z]*)
				set -- "$1" "$2" --timeout $((5000 * T_VG_FACTOR)) "${@:3}" ;;
			esac
			_t_vg_start "$_vn" "$top_srcdir/tests/valgrind.sh" \
				--log-file="$T_DIR/$_vn.vg" "$@"
			T_VG_PIDS="$T_VG_PIDS $T_LAST_PID:$_vn"
			;;
		*)
			_t_vg_start "$@"
			;;
		esac
	}

	t_wait_for() {
		_vs=$1
		shift
		_t_vg_wait_for $((_vs * T_VG_FACTOR)) "$@"
	}

	t_reap() {
		_vn=""
		for _ve in $T_VG_PIDS; do
			[ "${_ve%%:*}" = "$1" ] && _vn=${_ve#*:}
		done
		[ -n "$_vn" ] || { _t_vg_reap "$1"; return 0; }
		T_VG_PIDS=$(echo "$T_VG_PIDS" | tr ' ' '\n' | grep -vx "$1:$_vn" | tr '\n' ' ')
		_vi=0
		while kill -0 "$1" 2>/dev/null && [ $_vi -lt $((300 * T_VG_FACTOR)) ]; do
			sleep 0.05
			_vi=$((_vi + 1))
		done
		kill -0 "$1" 2>/dev/null && echo "valgrind: $_vn did not exit on SIGTERM, killed"
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		_vrc=$?
		if [ "$_vrc" = 99 ] || grep -qE "$T_VG_ERROR_RE" "$T_DIR/$_vn.vg" 2>/dev/null; then
			T_VG_ERRORS=$((T_VG_ERRORS + 1))
			t_fail "valgrind: memory errors or leaks in $_vn (exit $_vrc, $T_DIR/$_vn.vg):"
			cat "$T_DIR/$_vn.vg"
		fi
		return 0
	}

	t_cleanup() {
		_t_vg_cleanup
		[ "$T_VG_ERRORS" -eq 0 ] || exit 1
	}
fi

# ---- benchtable: gba-bsf over many subscribers (tests/bench/soak.sh, plot.sh) ----
#   t_bsf_start_many PROFILES [CONFIG-LINES...]   t_bsf_start on a directory holding one
#                        card, then PROFILES linked in and loaded with SIGHUP, waiting up to
#                        T_BSF_LOAD_WAIT seconds (default 600) for the reload: 100 k cards take
#                        longer to load than t_bsf_start waits for the listeners on a busy
#                        machine. Sets log = "notice" itself (the reload is seen in the log).
t_bsf_start_many() {
	_many=$1
	shift
	mkdir -p "$T_DIR/subs.d"
	"$top_srcdir/contrib/gba-profile-gen" -n 1 -i 999990000000000 -c 8999999000000000000 \
		-o "$T_DIR/subs.d/0-start.conf" || { t_fail "gba-profile-gen"; t_done; }
	t_bsf_start "$T_DIR/subs.d" 'log = "notice";' "$@"
	ln "$_many" "$T_DIR/subs.d/1-cards.conf" 2>/dev/null ||
		cp "$_many" "$T_DIR/subs.d/1-cards.conf"
	kill -HUP "$PID_bsf"
	t_wait_for "${T_BSF_LOAD_WAIT:-600}" grep -q "subscribers reloaded" "$T_DIR/bsf.log" ||
		{ tail -5 "$T_DIR/bsf.log"; t_fail "gba-bsf did not load $_many"; t_done; }
}

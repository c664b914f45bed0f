# Shell helpers for the Diameter integration tests (sourced after tests/lib.sh).
#   t_dia_conf FILE IDENTITY PORT PEER-IDENTITY PEER-PORT
#                        a freeDiameter configuration for a loopback peer without TLS (realm
#                        gba.test, TCP/IPv4, no relay, reconnect after 1 s) that connects to
#                        PEER-IDENTITY on 127.0.0.1:PEER-PORT. Both sides must name each other:
#                        freeDiameter refuses a CER from an unknown peer. In the private
#                        network namespace of t_init, lo also gets T_DIA_ADDR=192.0.2.1
#                        (TEST-NET-1) and the peers listen and connect there: freeDiameter
#                        ignores loopback addresses and will not start without another local
#                        address to put in its CER. Elsewhere T_DIA_ADDR=127.0.0.1.
#   t_hss_start CONF PROFILES   start tests/diameter/test_hss (PID_hss, log $T_DIR/hss.log)
#                        and wait until it is ready
#   t_capture_start NAME PORT... / t_capture_stop NAME
#                        tshark on lo for the TCP PORTs into $T_DIR/NAME.pcapng (T_CAPTURE=0
#                        when tshark is missing or cannot capture: callers skip their checks)
#   t_dia_tshark NAME ARGS...   tshark reading that capture, the PORTs decoded as Diameter
#   t_dia_fields NAME FIELDS... the -T fields of every frame captured (values joined by ',')
T_TEST_HSS="$top_builddir/tests/diameter/test_hss"

T_DIA_ADDR=127.0.0.1
[ -n "${T_NETNS:-}" ] && T_DIA_ADDR=192.0.2.1

t_dia_conf() {
	local listen=
	if [ -n "${T_NETNS:-}" ]; then
		ip -4 addr show dev lo | grep -q "$T_DIA_ADDR" || ip addr add "$T_DIA_ADDR/32" dev lo
		listen="ListenOn = \"$T_DIA_ADDR\";"
	fi
	cat > "$1" <<EOF
Identity = "$2";
Realm = "gba.test";
Port = $3;
SecPort = 0;
No_SCTP;
No_IPv6;
NoRelay;
TcTimer = 1;
$listen
ConnectPeer = "$4" { ConnectTo = "$T_DIA_ADDR"; Port = $5; No_TLS; };
EOF
}

t_hss_start() {
	[ -x "$T_TEST_HSS" ] || t_skip "$T_TEST_HSS not built"
	t_start hss "$T_TEST_HSS" "$1" "$2" "notice,dia=info"
	t_wait_for 10 grep -q "test HSS .* ready" "$T_DIR/hss.log" ||
		{ cat "$T_DIR/hss.log"; t_fail "test_hss did not start"; t_done; }
}

t_capture_start() {
	T_CAPTURE=0
	command -v tshark >/dev/null 2>&1 || return 0
	local n=$1 filter= p
	shift
	T_CAP_DECODE=()
	for p in "$@"; do
		filter="${filter:+$filter or }tcp port $p"
		T_CAP_DECODE+=(-d "tcp.port==$p,diameter")
	done
	t_start "cap_$n" tshark -n -i lo -f "$filter" -w "$T_DIR/$n.pcapng"
	# tshark loads every dissector first (seconds on a busy machine), then dumpcap writes the
	# file header; tshark's own "Capturing on" line may stay buffered until it exits
	if t_wait_for 30 test -s "$T_DIR/$n.pcapng"; then
		T_CAPTURE=1
	else
		t_stop "cap_$n"
	fi
}

t_capture_stop() {
	# SIGTERM: tshark writes what it has and exits
	t_stop "cap_$1"
}

t_dia_tshark() {
	local n=$1
	shift
	tshark -n -r "$T_DIR/$n.pcapng" "${T_CAP_DECODE[@]}" "$@" 2>/dev/null
}

t_dia_fields() {
	local n=$1
	shift
	t_dia_tshark "$n" -T fields -E occurrence=a -E aggregator=, "$@"
}

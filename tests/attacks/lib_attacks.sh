# Shared by the tests/attacks scripts (sourced after tests/lib.sh and t_init):
#   a_profiles             8 MILENAGE subscribers in $T_DIR/profiles (t_faults_profiles)
#   a_impi N               IMPI of subscriber N (0..7)
#   a_bsf [CONFIG-LINES]   gba-bsf (t_bsf_start, FQDN bsf.test.example) with those extra lines;
#                          sets A_ADMIN (the /metrics URL) and UB/ZN ports
#   a_metric NAME{LABELS}  the value of one line of /metrics (0 when absent)
#   a_now                  monotonic-ish wall clock in ms
#   a_no_valgrind          skip (77) under GBA_VALGRIND=1: the script's point is timing
#   A_SLOW                 factor for time bounds: 1, or 20 with the daemons under valgrind
ATTACK="$top_builddir/tests/attacks/attack"
[ -x "$ATTACK" ] || { t_fail "$ATTACK not built"; t_done; }
T_BSF_FQDN=bsf.test.example
T_NAF_FQDNS='"naf.test", "127.0.0.1"'

# the subscribers of tests/lib.sh's faults section (test UE K/OPc, IMSI 001010000000000 + N)
a_impi() { printf "$T_FAULTS_IMPI" "$1"; }
a_profiles() { t_faults_profiles "$T_DIR/profiles" 8; }

a_bsf() {
	[ -f "$T_DIR/profiles" ] || a_profiles
	t_bsf_start "$T_DIR/profiles" 'log = "info";' "$@"
	A_ADMIN="http://$(sed -n 's/^admin_listen = "\(.*\)";$/\1/p' "$T_DIR/bsf.conf")/metrics"
	A_UB_PORT=${T_BSF_UB##*:}
	A_UB_PORT=${A_UB_PORT%/}
	A_ZN_PORT=${T_BSF_ZN##*:}
	t_wait_for 5 curl -sf "$A_ADMIN" || { t_fail "no /metrics"; t_done; }
}

a_metric() {
	curl -s "$A_ADMIN" | awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

A_SLOW=1
[ -n "${GBA_VALGRIND:-}" ] && A_SLOW=20
a_no_valgrind() {
	[ -z "${GBA_VALGRIND:-}" ] || t_skip "timing-based: not run under valgrind (GBA_VALGRIND)"
}

a_now() { echo $(( $(date +%s%N) / 1000000 )); }

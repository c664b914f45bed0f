# Shared by the tests/attacks scripts (sourced after tests/lib.sh and t_init):
#   a_profiles             8 MILENAGE subscribers in $T_DIR/profiles (the attack tool's K/OPc)
#   a_impi N               IMPI of subscriber N (0..7)
#   a_bsf [CONFIG-LINES]   gba-bsf (t_bsf_start, FQDN bsf.test.example) with those extra lines;
#                          sets A_ADMIN (the /metrics URL) and UB/ZN ports
#   a_metric NAME{LABELS}  the value of one line of /metrics (0 when absent)
#   a_ms CMD...            run CMD, print its wall time in ms on fd 3 (stdout: CMD's)
ATTACK="$top_builddir/tests/attacks/attack"
[ -x "$ATTACK" ] || { t_fail "$ATTACK not built"; t_done; }
T_BSF_FQDN=bsf.test.example
T_NAF_FQDNS='"naf.test", "127.0.0.1"'

a_impi() { printf "0010100000%05d@ims.mnc001.mcc001.3gppnetwork.org" $((100 + $1)); }

a_profiles() {
	{
		echo "cards = ("
		for i in 0 1 2 3 4 5 6 7; do
			[ "$i" -gt 0 ] && echo ","
			printf '{ name = "a%d"; iccid = "89882110000000%05d"; imsi = "0010100000%05d";' \
				"$i" $((100 + i)) $((100 + i))
			printf ' mnc_length = 2; algorithm = "milenage";'
			printf ' k = "465b5ce8b199b49faa5f0a2ee238a6bc";'
			printf ' opc = "cd63cb71954a9f4e48a5994e37a02baf"; amf = "8000"; sqn = 0;'
			printf ' ind_bitlen = 0; gba = true; gba_u = false; }\n'
		done
		echo ");"
	} > "$T_DIR/profiles"
	chmod 600 "$T_DIR/profiles"
}

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

a_now() { echo $(( $(date +%s%N) / 1000000 )); }

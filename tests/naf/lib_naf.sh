# Shared set-up of the naf/ integration scripts (sourced after tests/lib.sh):
#   naf_zn_start   start mock_zn with a GBA_ME, a GBA_U and an expired session; sets ZN_URL,
#                  ME_BTID ME_IMPI ME_KS, U_BTID U_IMPI U_KS, X_BTID X_IMPI X_KS
#   naf_key KS BTID IMPI UA [--uicc] [--b64]   the key the BSF derives for naf.example.org
#   naf_wait_port PORT   wait until 127.0.0.1:PORT accepts connections
# With the real gba-bsf (tests/lib.sh's t_pki and t_bsf_start):
#   naf_profile FILE [settings...]   a set-1 subscriber/card profile (doc/profiles.md)
#   naf_bsf_start [settings...]      gba-bsf with that subscriber, Zn over mutual TLS for the
#                        NAF naf.test (FQDNs naf.test, 127.0.0.1); sets BSF_UB (Ub URL),
#                        ZN=(gba-naf Zn options), T_PKI (CA and certificates)
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
IMSI=001010000000001
IMPI="$IMSI@ims.mnc001.mcc001.3gppnetwork.org"
NAF_FQDN=naf.example.org
T_MOCK_ZN="$top_builddir/tests/naf/mock_zn"
: "${T_GBA_NAF:=$top_builddir/naf/gba-naf}"

naf_zn_start() {
	[ -x "$T_MOCK_ZN" ] || t_skip "$T_MOCK_ZN not built"
	[ -x "$T_GBA_NAF" ] || t_skip "$T_GBA_NAF not built"
	_zp=$(t_port)
	t_start zn "$T_MOCK_ZN" serve --port "$_zp" \
		--session "001010000000001@ims.mnc001.mcc001.3gppnetwork.org:3600" \
		--session "001010000000002@ims.mnc001.mcc001.3gppnetwork.org:3600:u" \
		--session "001010000000003@ims.mnc001.mcc001.3gppnetwork.org:-10"
	if ! t_wait_for 10 grep -q '^ready' "$T_DIR/zn.log"; then
		cat "$T_DIR/zn.log" >&2
		t_fail "mock_zn did not start"
		t_done
	fi
	ZN_URL="http://127.0.0.1:$_zp"
	read -r _ ME_BTID ME_IMPI ME_KS _ < <(sed -n 1p "$T_DIR/zn.log")
	read -r _ U_BTID U_IMPI U_KS _ < <(sed -n 2p "$T_DIR/zn.log")
	read -r _ X_BTID X_IMPI X_KS _ < <(sed -n 3p "$T_DIR/zn.log")
}

naf_key() {
	_ks=$1 _bt=$2 _im=$3 _ua=$4
	shift 4
	"$T_MOCK_ZN" key --ks "$_ks" --btid "$_bt" --impi "$_im" --naf "$NAF_FQDN" --ua "$_ua" "$@"
}

naf_wait_port() {
	t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1"
}

naf_profile() {
	_f=$1
	shift
	{
		echo "cards = ( {"
		echo "  name = \"naf-e2e\"; iccid = \"8988211000000000001\"; imsi = \"$IMSI\";"
		echo "  mnc_length = 2; algorithm = \"milenage\"; k = \"$K\"; opc = \"$OPC\";"
		echo "  amf = \"8000\"; sqn = 0; ind_bitlen = 0;"
		for _l in "$@"; do echo "  $_l"; done
		echo "} );"
	} > "$_f"
	chmod 600 "$_f"
}

naf_bsf_start() {
	declare -F t_bsf_start >/dev/null || t_skip "tests/lib.sh has no t_bsf_start"
	naf_profile "$T_DIR/subscribers.conf" "$@"
	T_NAF_FQDNS='"naf.test", "127.0.0.1"'
	t_bsf_start "$T_DIR/subscribers.conf" 'log = "info";'
	BSF_UB=${T_BSF_UB%/}
	ZN=("${T_ZN_OPTS[@]}")
}

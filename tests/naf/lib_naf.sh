# Shared set-up of the naf/ integration scripts (sourced after tests/lib.sh):
#   naf_zn_start   the real gba-bsf (built-in AuC, Zn over mutual TLS, NAF naf.test authorised
#                  for naf.example.org and cse.example.org) with three sessions bootstrapped
#                  over Ub by bsf_ue: GBA_ME, GBA_U and one whose key has already expired;
#                  sets ZN=(gba-naf Zn options), ME_BTID ME_IMPI ME_KS, U_BTID U_IMPI U_KS,
#                  X_BTID X_IMPI X_KS (Ks as the UE computed it)
#   naf_key KS BTID IMPI UA [--uicc] [--b64]   the key the UE derives for $NAF_FQDN
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
T_BSF_UE="$top_builddir/tests/naf/bsf_ue"
: "${T_GBA_NAF:=$top_builddir/naf/gba-naf}"

naf_zn_start() {
	[ -x "$T_BSF_UE" ] || t_skip "$T_BSF_UE not built"
	[ -x "$T_GBA_NAF" ] || t_skip "$T_GBA_NAF not built"
	_subs="$T_DIR/subscribers.conf"
	_sep=""
	{
		echo "cards = ("
		for _n in 1:"" 2:"gba_u = true;" 3:"key_lifetime = 1;"; do
			echo "$_sep{ name = \"naf-${_n%%:*}\"; iccid = \"898821100000000000${_n%%:*}\";"
			echo "  imsi = \"00101000000000${_n%%:*}\"; algorithm = \"milenage\";"
			echo "  k = \"$K\"; opc = \"$OPC\"; gba = true; ${_n#*:} }"
			_sep=","
		done
		echo ");"
	} > "$_subs"
	chmod 600 "$_subs"
	T_NAF_FQDNS='"naf.example.org", "cse.example.org"'
	t_bsf_start "$_subs" 'log = "info";'
	ZN=("${T_ZN_OPTS[@]}")
	_boot() {	# N [uicc]: "B-TID KS" of a fresh bootstrap of subscriber N
		"$T_BSF_UE" "${T_BSF_UB%/}" "$T_BSF_FQDN" \
			"00101000000000$1@ims.mnc001.mcc001.3gppnetwork.org" "$K" "$OPC" \
			${2:+"$2"} 2>>"$T_DIR/bsf_ue.err"
	}
	read -r ME_BTID ME_KS < <(_boot 1)
	read -r U_BTID U_KS < <(_boot 2 uicc)
	read -r X_BTID X_KS < <(_boot 3)
	if [ -z "$ME_KS" ] || [ -z "$U_KS" ] || [ -z "$X_KS" ]; then
		cat "$T_DIR/bsf_ue.err" "$T_DIR/bsf.log" >&2
		t_fail "bootstraps at gba-bsf"
		t_done
	fi
	ME_IMPI="001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
	U_IMPI="001010000000002@ims.mnc001.mcc001.3gppnetwork.org"
	X_IMPI="001010000000003@ims.mnc001.mcc001.3gppnetwork.org"
	sleep 2		# X's one-second key lifetime runs out
}

naf_key() {
	_ks=$1 _bt=$2 _im=$3 _ua=$4
	shift 4
	"$T_BSF_UE" key --ks "$_ks" --btid "$_bt" --impi "$_im" --naf "$NAF_FQDN" --ua "$_ua" "$@"
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

#!/bin/bash
# `make demo`: the whole GBA story on one machine, with the built-in defaults.
#   gba-bsf (built-in AuC over sim-profiles/, SQLite store, Zn over mutual TLS)
#   a private pcscd with vsmartcard's vpcd and gba-uicc as the card
#   gba-naf serve playing a oneM2M IN-CSE (the NAF), keys fetched from gba-bsf over Zn
#   gba-ue: bootstrap on the card, Ks_(ext)_NAF for the CSE, TLS-PSK, the CSE's answer
# first with a GBA_U card (Ks never leaves the card), then with a GBA_ME card.
# Usage: demo.sh BUILDDIR SRCDIR. Prints a transcript; exits 0 only if every step worked;
# stops everything it started.
set -u
top_builddir=${1:-$top_builddir}
top_srcdir=${2:-$top_srcdir}
export top_builddir top_srcdir
. "$top_srcdir/tests/lib.sh"
t_init demo
export XDG_STATE_HOME="$T_DIR/ue-state"

CSE=127.0.0.1			# the NAF FQDN: gba-ue takes it from the URL host
UA_TLS12=01000100ae		# TS 33.222 Ua id for TLS_PSK_WITH_AES_128_CBC_SHA256

step() { printf '\n== %s\n' "$*"; }
show() { sed 's/^/   /' "$@"; }
die() { t_fail "$*"; t_done; }
fpr() {	# hex key -> SHA-256 fingerprint (16 hex digits), as gba-naf lookup prints it
	printf '%s' "$1" | sed 's/../\\x&/g' | xargs -0 printf | "$OPENSSL" dgst -sha256 -r | cut -c1-16
}

step "1. gba-bsf: built-in AuC with the sample cards of sim-profiles/, SQLite store, Zn over mutual TLS"
t_bsf_start "$top_srcdir/sim-profiles"
echo "   Ub $T_BSF_UB   Zn $T_BSF_ZN   ($(grep -c '' "$T_DIR/bsf.conf") config lines, log $T_DIR/bsf.log)"

step "2. a private pcscd with the vpcd reader"
t_pcscd_start
echo "   reader: $T_READER (vpcd port $T_VPCD_PORT)"

step "3. gba-naf serve: a oneM2M IN-CSE behind TLS-PSK, keyed by GBA"
t_naf_start --fqdn "$CSE" --cse-id in-cse --log info
echo "   TLS-PSK on 127.0.0.1:$T_NAF_TLS, NAF FQDN $CSE"

UE=("$T_GBA_UE" --reader "GBA Test PCD" --bsf "$T_BSF_UB")
n=0
for card in gba_u gba_me; do
	n=$((n + 1))
	prof="$top_srcdir/sim-profiles/${card/_/-}.conf"
	step "4.$n. card: $prof in gba-uicc"
	t_card_start "$card" "$prof"
	"${UE[@]}" info > "$T_DIR/$card.info" 2>&1 || die "gba-ue info: $(cat "$T_DIR/$card.info")"
	show "$T_DIR/$card.info"

	step "4.$n. gba-ue bootstrap (Ub: 401 challenge, AKA on the card, 200 with the B-TID)"
	"${UE[@]}" bootstrap > "$T_DIR/$card.boot" 2>&1 || die "bootstrap: $(cat "$T_DIR/$card.boot")"
	show "$T_DIR/$card.boot"

	step "4.$n. the NAF key for $CSE, Ua id $UA_TLS12, on both sides"
	"${UE[@]}" --json --show-key naf-key --ua "$UA_TLS12" "$CSE" > "$T_DIR/$card.key" 2>&1 ||
		die "naf-key: $(cat "$T_DIR/$card.key")"
	btid=$(sed -n 's/.*"btid":"\([^"]*\)".*/\1/p' "$T_DIR/$card.key")
	type=$(sed -n 's/.*"key_type":"\([^"]*\)".*/\1/p' "$T_DIR/$card.key")
	ue_fp=$(fpr "$(sed -n 's/.*"key":"\([0-9a-f]*\)".*/\1/p' "$T_DIR/$card.key")")
	"$T_GBA_NAF" lookup "$btid" --naf "$CSE" --ua "$UA_TLS12" "${T_ZN_OPTS[@]}" \
		> "$T_DIR/$card.lookup" 2>&1 || die "gba-naf lookup: $(cat "$T_DIR/$card.lookup")"
	naf_fp=$(sed -n 's/^fingerprint: *\([0-9a-f]*\).*/\1/p' "$T_DIR/$card.lookup")
	echo "   UE  ($type from $( [ "$type" = Ks_ext_NAF ] && echo "the card" || echo "Ks in the ME")): fingerprint $ue_fp"
	echo "   NAF (Zn answer of gba-bsf):        fingerprint $naf_fp"
	[ -n "$ue_fp" ] && [ "$ue_fp" = "$naf_fp" ] || die "the two sides' keys differ"
	t_ok "$card: UE and NAF hold the same $type"

	step "4.$n. gba-ue connect: TLS-PSK (psk_identity = B-TID) to the CSE, retrieve its CSEBase"
	"${UE[@]}" --tls12 connect "https://$CSE:$T_NAF_TLS/~/in-cse" > "$T_DIR/$card.get" \
		2> "$T_DIR/$card.get.err" || die "connect: $(cat "$T_DIR/$card.get.err")"
	show "$T_DIR/$card.get.err" "$T_DIR/$card.get"
	echo
	grep "peer impi=" "$T_DIR/naf.log" | tail -n 1 | sed 's/^/   CSE log: /'
	grep -q '"m2m:cb"' "$T_DIR/$card.get" || die "no CSEBase in the answer"
	t_ok "$card: the CSE answered over TLS-PSK"
	t_stop "$card"
done

step "done: everything started is stopped"
t_done

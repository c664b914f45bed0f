#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of Zh over GSUP: gba-bsf --zh gsup: against a real osmo-hlr on a random
# 127.x.y.z (GSUP's port 4222 is fixed), subscribers provisioned from sim-profiles with
# contrib/gba-hlr-provision, bootstraps by gba-ue + gba-uicc (TS 33.102 Annex C IND check)
# through a private pcscd + vpcd. Cases: the BSF's own IND slot in osmo-hlr; ind-bitlen 5
# and 0 cards; GBA_U and key lifetime from the BSF's profiles file; 100 bootstraps in a
# row; a card used against another AuC first (resync); osmo-hlr killed (503 + Retry-After,
# fast) and restarted (recovery without restarting gba-bsf); unknown IMSI and an IMPI that
# is not TS 23.003 (403).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init bsf-gsup

command -v osmo-hlr >/dev/null 2>&1 || t_skip "osmo-hlr is not installed"
command -v curl >/dev/null 2>&1 || t_skip "curl is not installed"
GBA_BSF="$top_builddir/bsf/gba-bsf"
UE="$top_builddir/ue/gba-ue"
GBAP="$top_builddir/contrib/gba-profile"
PROV="$top_srcdir/contrib/gba-hlr-provision"
SP="$top_srcdir/sim-profiles"
for p in "$GBA_BSF" "$UE" "$GBAP"; do
	[ -x "$p" ] || t_skip "$p not built"
done
export XDG_STATE_HOME="$T_DIR/state"
NAME=GBA-BSF-TEST
REALM=bsf.test
MCC=mnc001.mcc001.3gppnetwork.org
impi() { echo "$1@ims.$MCC"; }

# ---- osmo-hlr on its own loopback address, own config, DB and log (tests/lib.sh)
t_hlr_start
ADDR=$T_HLR_ADDR

# ---- cards: gba-me.conf (ind_bitlen 5), the same keys with ind_bitlen 0, gba-u.conf
# (GBA_U, key lifetime 7200, card SQN far ahead of osmo-hlr's)
IMSI5=001010000000008
IMSI0=001010000000020
IMSIU=001010000000007
sed -e "s/$IMSI5/$IMSI0/" -e 's/8988211000000000008/8988211000000000020/' \
	-e 's/ind_bitlen = 5/ind_bitlen = 0/' -e 's/name = ".*"/name = "ind 0"/' \
	"$SP/gba-me.conf" > "$T_DIR/ind0.conf"
chmod 600 "$T_DIR/ind0.conf"
for f in "$SP/gba-me.conf" "$T_DIR/ind0.conf" "$SP/gba-u.conf"; do
	if ! "$PROV" --host "$ADDR" --gba-profile "$GBAP" "$f" >> "$T_DIR/prov.log" 2>&1; then
		cat "$T_DIR/prov.log"
		t_fail "gba-hlr-provision $f"
		t_done
	fi
done
t_ok "3 subscribers provisioned into osmo-hlr with gba-hlr-provision"

# ---- gba-bsf with Zh over GSUP; its profiles file only gives GBA_U and the key lifetime
mkdir -p "$T_DIR/subs"
cp "$SP/gba-u.conf" "$T_DIR/subs/"
UBPORT=$(t_port)
ZNPORT=$(t_port)
UB="http://127.0.0.1:$UBPORT/"
cat > "$T_DIR/bsf.conf" <<EOT
fqdn = "$REALM";
ub_listen = "127.0.0.1:$UBPORT";
zn_listen = "127.0.0.1:$ZNPORT";
subscribers = "$T_DIR/subs";
store = "sqlite:$T_DIR/bsf.db";
retry_after = 7;
log = "info";
zn: { allow_plain_http = true; nafs = ( { id = "plain"; fqdns = [ "naf.test" ]; } ); };
EOT
rc=0
"$GBA_BSF" --config "$T_DIR/bsf.conf" --zh "hlr:$ADDR" > "$T_DIR/bad.log" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q 'zh must be' "$T_DIR/bad.log" && t_ok "--zh hlr:...: refused (exit 2)" ||
	t_fail "--zh hlr:...: exit $rc $(cat "$T_DIR/bad.log")"
rc=0
"$GBA_BSF" --config "$T_DIR/bsf.conf" --zh "gsup:$ADDR:70000" > "$T_DIR/bad.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q 'bad GSUP address' "$T_DIR/bad.log" && t_ok "bad GSUP port: refused" ||
	t_fail "bad GSUP port: exit $rc $(cat "$T_DIR/bad.log")"
t_start bsf "$GBA_BSF" --config "$T_DIR/bsf.conf" --zh "gsup:$ADDR" --gsup-name "$NAME"
t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$UBPORT" ||
	{ cat "$T_DIR/bsf.log"; t_fail "gba-bsf did not start"; t_done; }
t_check "gba-bsf: GSUP link up at start" grep -q "GSUP link to $ADDR:4222 up" "$T_DIR/bsf.log"

# first Ub request for an IMPI: prints "STATUS RETRY-AFTER"
ub_first() {
	_a="Digest username=\"$1\", realm=\"$REALM\", nonce=\"\", uri=\"/\", response=\"\""
	curl -s -o /dev/null -D "$T_DIR/h.txt" -w '%{http_code}' -H "Authorization: $_a" "$UB"
	printf ' %s\n' "$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T_DIR/h.txt")"
}
jget() {
	sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"
}
# boot NAME [gba-ue args...]: one forced bootstrap, JSON in $T_DIR/NAME.json; gba-ue's rc
boot() {
	_b=$1
	shift
	"$UE" --reader "GBA Test PCD" --bsf "$UB" --no-cache --force --json "$@" bootstrap \
		> "$T_DIR/$_b.json" 2> "$T_DIR/$_b.err"
}
no_card() {
	! t_card_present
}
stop_card() {
	t_stop "$1"
	t_wait_for 5 no_card || t_fail "pcscd still sees card $1"
}

# ---- Ub without a card: unknown IMSI, IMPI not of the TS 23.003 form, a known one
read -r st ra <<< "$(ub_first "$(impi 001019999999999)")"
[ "$st" = 403 ] && t_ok "unknown IMSI (osmo-hlr: IMSI unknown): 403" ||
	t_fail "unknown IMSI: $st"
read -r st ra <<< "$(ub_first "alice@example.org")"
[ "$st" = 403 ] && t_ok "IMPI without an IMSI (not TS 23.003, not in profiles): 403" ||
	t_fail "alice@example.org: $st"
read -r st ra <<< "$(ub_first "$(impi $IMSI5)")"
[ "$st" = 401 ] && t_ok "known IMSI: 401 challenge with a vector from osmo-hlr" ||
	t_fail "known IMSI: $st"
if command -v sqlite3 >/dev/null 2>&1; then
	v=$(sqlite3 "$T_DIR/hlr.db" "SELECT vlr FROM ind" 2>/dev/null)
	grep -q "^$NAME" <<< "$v" && t_ok "osmo-hlr gave IPA name $NAME its own IND slot" ||
		t_fail "osmo-hlr IND table: '$v'"
fi

t_pcscd_start

# ---- ind_bitlen 5 card (Annex C IND array in gba-uicc)
t_card_start card5 "$SP/gba-me.conf"
boot b5 && [ "$(jget "$T_DIR/b5.json" mode)" = GBA_ME ] &&
	t_ok "ind-bitlen 5 card: bootstrap through osmo-hlr ($(jget "$T_DIR/b5.json" btid))" ||
	t_fail "ind-bitlen 5 card: $(cat "$T_DIR/b5.json" "$T_DIR/b5.err")"

# ---- 100 bootstraps in a row, no resync needed after the first
fails=0
resyncs=0
t0=$(date +%s%N)
for i in $(seq 1 100); do
	if ! boot loop; then
		fails=$((fails + 1))
		echo "bootstrap $i: $(cat "$T_DIR/loop.json" "$T_DIR/loop.err")" >> "$T_DIR/loop.log"
	fi
	[ "$(jget "$T_DIR/loop.json" resynced)" = true ] && resyncs=$((resyncs + 1))
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ $fails -eq 0 ] && [ $resyncs -eq 0 ]; then
	t_ok "100 bootstraps in a row (ind-bitlen 5), no failure, no resync, $ms ms"
	echo "FIGURE: 100 gba-ue bootstraps through pcscd + gba-bsf + osmo-hlr: $ms ms"
else
	t_fail "100 bootstraps: $fails failed, $resyncs resyncs: $(head -3 "$T_DIR/loop.log")"
fi

# ---- osmo-hlr killed: 503 + Retry-After at once; restarted: recovery, same gba-bsf
t_kill9 hlr
t_wait_for 5 grep -q "GSUP link to .* down" "$T_DIR/bsf.log" ||
	t_fail "gba-bsf did not notice the link going down"
t0=$(date +%s%N)
read -r st ra <<< "$(ub_first "$(impi $IMSI5)")"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$st" = 503 ] && [ "$ra" = 7 ] && [ $ms -lt 1500 ]; then
	t_ok "osmo-hlr down: 503 with Retry-After: $ra in $ms ms"
else
	t_fail "osmo-hlr down: status $st, Retry-After '$ra', $ms ms"
fi
rc=0
boot down || rc=$?
[ $rc -eq 5 ] && t_ok "osmo-hlr down: gba-ue reports the BSF unavailable (exit 5)" ||
	t_fail "osmo-hlr down: gba-ue exit $rc $(cat "$T_DIR/down.err")"
bsf_pid=$PID_bsf
t_hlr_start
t0=$(date +%s%N)
ub_401() {
	[ "$(ub_first "$(impi $IMSI5)")" = "401 " ]
}
if t_wait_for 10 ub_401; then
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	t_ok "osmo-hlr restarted: gba-bsf reconnected by itself ($ms ms)"
else
	t_fail "no recovery after the osmo-hlr restart: $(tail -5 "$T_DIR/bsf.log")"
fi
boot after && [ "$(jget "$T_DIR/after.json" resynced)" = false ] &&
	t_ok "bootstrap after the osmo-hlr restart (same IND slot: no resync)" ||
	t_fail "bootstrap after restart: $(cat "$T_DIR/after.json" "$T_DIR/after.err")"
[ "$PID_bsf" = "$bsf_pid" ] && kill -0 "$bsf_pid" && t_ok "gba-bsf was not restarted" ||
	t_fail "gba-bsf is gone"
stop_card card5

# ---- ind_bitlen 0 card, used against another AuC first: gba-bsf with the built-in AuC
# whose SQN for this card is far ahead; then osmo-hlr resyncs from the card's AUTS
sed 's/sqn = 0;/sqn = 5000;/' "$T_DIR/ind0.conf" > "$T_DIR/other.conf"
chmod 600 "$T_DIR/other.conf"
OTHERPORT=$(t_port)
t_start other "$GBA_BSF" --fqdn other.test --ub-listen "127.0.0.1:$OTHERPORT" \
	--zn-listen "127.0.0.1:$(t_port)" --zn-allow-plain-http --subscribers "$T_DIR/other.conf" \
	--store "sqlite:$T_DIR/other.db"
t_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$OTHERPORT" || t_fail "second gba-bsf"
t_card_start card0 "$T_DIR/ind0.conf"
"$UE" --reader "GBA Test PCD" --bsf "http://127.0.0.1:$OTHERPORT/" --no-cache --force --json \
	bootstrap > "$T_DIR/o.json" 2>&1 &&
	t_ok "ind-bitlen 0 card: bootstrap at the built-in AuC first (SQN 5001)" ||
	t_fail "built-in AuC: $(cat "$T_DIR/o.json")"
t_stop other
boot rs && [ "$(jget "$T_DIR/rs.json" resynced)" = true ] &&
	t_ok "then through osmo-hlr: resync with RAND + AUTS succeeds" ||
	t_fail "resync through osmo-hlr: $(cat "$T_DIR/rs.json" "$T_DIR/rs.err")"
boot b0 && [ "$(jget "$T_DIR/b0.json" resynced)" = false ] &&
	t_ok "ind-bitlen 0 card: next bootstrap without resync" ||
	t_fail "ind-bitlen 0 card: $(cat "$T_DIR/b0.json" "$T_DIR/b0.err")"
stop_card card0

# ---- GBA_U and lifetime come from gba-bsf's profiles file (osmo-hlr has no GUSS); this
# card's own SQN is far ahead of osmo-hlr's as well
t_card_start cardu "$SP/gba-u.conf"
boot bu && [ "$(jget "$T_DIR/bu.json" mode)" = GBA_U ] &&
	t_ok "GBA_U card: GBA_U bootstrap via osmo-hlr (resynced: $(jget "$T_DIR/bu.json" resynced))" ||
	t_fail "GBA_U card: $(cat "$T_DIR/bu.json" "$T_DIR/bu.err")"
now=$(date +%s)
exp=$(jget "$T_DIR/bu.json" lifetime)
d=$(( $(date -d "$exp" +%s 2>/dev/null || echo 0) - now ))
[ $d -gt 7100 ] && [ $d -le 7200 ] && t_ok "key lifetime 7200 s from the profiles file" ||
	t_fail "lifetime: '$exp' ($d s)"
stop_card cardu

t_stop bsf
t_check "no key material in gba-bsf's log" bash -c "! grep -qi 465b5ce8 '$T_DIR/bsf.log'"
t_check "gba-bsf stopped without a sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR/bsf.log'"
t_done

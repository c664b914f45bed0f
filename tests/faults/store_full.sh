#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gba-bsf's SQLite store on a 128 MB tmpfs (root only: a private mount namespace from t_init)
# that runs full while clients bootstrap: every bootstrap that cannot be stored is answered
# 503 with Retry-After (never a 200 for a session that is not there, never a 500 or a
# hang), the sessions stored before keep resolving over Zn, and once space returns (the
# filler deleted) bootstraps succeed again with no restart. Then the same with a read-only
# store: Linux refuses to remount a file system read-only while gba-bsf holds the database
# open for writing (checked), so the read-only case is a restart on a read-only bind mount:
# gba-bsf must refuse to start with a clear message instead of running without a store
# (a file system the kernel forces read-only under a running gba-bsf: store_ro.sh).
# After all of it, PRAGMA integrity_check says ok.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-store-full

FUE="$top_builddir/tests/faults/fault_ue"
[ -x "$T_GBA_BSF" ] || t_skip "$T_GBA_BSF not built"
[ -x "$FUE" ] || t_skip "$FUE not built (make check builds it)"
[ "$(id -u)" = 0 ] && [ -n "${T_NETNS:-}" ] || t_skip "needs root and a private mount namespace"
DISK=$T_DIR/disk
mkdir -p "$DISK"
mount -t tmpfs -o size=128m,mode=0700 tmpfs "$DISK" || t_skip "cannot mount a tmpfs"
trap 'umount -l "$DISK" 2>/dev/null; t_cleanup' EXIT

t_faults_profiles "$T_DIR/profiles" 2000
t_faults_bsf_conf "$T_DIR/bsf.conf" "sqlite:$DISK/bsf.db" 'purge_interval = 1;'
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
bsf_pid=$PID_bsf

. "$top_srcdir/tests/faults/lib_store.sh"

# ---- before: sessions of subscribers 0..3 stored
load before 0 4 1 20
n=$(count "$T_DIR/before.events" '$2 == "OK"')
t_check "store with space: $n bootstraps" test "$n" -gt 10

# ---- disk full: fill the tmpfs to the last block
dd if=/dev/zero of="$DISK/fill" bs=64k > /dev/null 2>&1
dd if=/dev/zero of="$DISK/fill2" bs=512 > /dev/null 2>&1
t_check "tmpfs full ($(df --output=avail -k "$DISK" | tail -1) kB left)" \
	test "$(df --output=avail -k "$DISK" | tail -1)" -eq 0
load full 100 1900 3
ok=$(count "$T_DIR/full.events" '$2 == "OK"')
e503=$(count "$T_DIR/full.events" '$2 == "ERR" && $4 == 503 && $5 == 7')
other=$(count "$T_DIR/full.events" '$2 == "ERR" && !($4 == 503 && $5 == 7)')
if [ "$e503" -gt 0 ] && [ "$other" -eq 0 ]; then
	t_ok "disk full: $e503 bootstraps answered 503 with Retry-After: 7, no other failure" \
		"($ok still fit in the WAL)"
else
	t_fail "disk full: $e503 x 503, $other other failures: $(grep ERR "$T_DIR/full.events" |
		grep -v ' 503 7' | head -3)"
fi
t_check "disk full: gba-bsf logged why" grep -Eqi "full|cannot store" "$T_DIR/bsf.log"
if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR/before.events" > "$T_DIR/c1.out" 2>&1; then
	t_ok "disk full: the sessions stored before resolve over Zn ($(head -1 "$T_DIR/c1.out"))"
else
	t_fail "disk full: Zn lookups: $(cat "$T_DIR/c1.out" | head -5)"
fi

# ---- space returns: bootstraps work again, same process
rm -f "$DISK/fill" "$DISK/fill2"
t0=$(date +%s%N)
t_start after "$FUE" load "$T_DIR/after.events" "$T_FAULTS_UB" "$T_FAULTS_IMPI" 20 80 50
t_wait_for 10 grep -q ' OK ' "$T_DIR/after.events" ||
	t_fail "no bootstrap succeeded after space returned: $(tail -3 "$T_DIR/after.events")"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 1
t_wait_for 30 oks_at_least after 20 || true
t_stop after
first_ok=$(awk '$2 == "OK" { print NR; exit }' "$T_DIR/after.events")
bad=$(awk -v f="$first_ok" 'NR > f && $2 == "ERR"' "$T_DIR/after.events" | wc -l)
n=$(count "$T_DIR/after.events" '$2 == "OK"')
t_check "space back: bootstraps succeed again within $ms ms, $n sessions, no failure after" \
	test -n "$first_ok" -a "$bad" -eq 0 -a "$n" -gt 10
t_check "space back: the same gba-bsf process" kill -0 "$bsf_pid"
if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR/before.events" "$T_DIR/full.events" \
	"$T_DIR/after.events" > "$T_DIR/c2.out" 2>&1; then
	t_ok "every session a client got (before, while full, after) resolves with its key" \
		"($(tr '\n' ' ' < "$T_DIR/c2.out"))"
else
	t_fail "sessions after the full disk: $(head -5 "$T_DIR/c2.out")"
fi

# ---- read-only
rc=0
mount -o remount,ro "$DISK" 2> "$T_DIR/remount.err" || rc=$?
if [ $rc -ne 0 ]; then
	t_ok "remount read-only while gba-bsf writes the store: refused by Linux ($(head -1 \
		"$T_DIR/remount.err" | sed 's/^mount: //'))"
else
	mount -o remount,rw "$DISK"
	t_fail "remount ro succeeded under a running gba-bsf: extend this test"
fi
t_stop bsf
t_faults_integrity "$DISK/bsf.db"
mount --bind "$DISK" "$DISK" && mount -o remount,bind,ro "$DISK" ||
	t_fail "read-only bind mount"
rc=0
timeout 10 "$T_GBA_BSF" --config "$T_DIR/bsf.conf" > "$T_DIR/ro.log" 2>&1 || rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -Eqi "read-only|readonly|cannot" "$T_DIR/ro.log"; then
	t_ok "read-only store: gba-bsf refuses to start, exit $rc: $(grep -Ei \
		'read-only|readonly|cannot' "$T_DIR/ro.log" | head -1)"
else
	t_fail "read-only store: exit $rc $(tail -3 "$T_DIR/ro.log")"
fi
umount "$DISK"
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR/before.events" "$T_DIR/full.events" \
	"$T_DIR/after.events" > "$T_DIR/c3.out" 2>&1; then
	t_ok "read-write again: gba-bsf starts and every session still resolves"
else
	t_fail "after the read-only start: $(head -5 "$T_DIR/c3.out")"
fi
t_stop bsf
t_faults_integrity "$DISK/bsf.db"
t_check "gba-bsf's log has no sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR'/bsf*.log '$T_DIR/ro.log'"
t_done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gba-bsf's SQLite store on a file system that the kernel forces read-only under it: an ext4
# image on a loop device (root only, private mount namespace; skipped where loop devices or
# mkfs.ext4 are missing), mounted errors=remount-ro, and ext4's trigger_fs_error while
# clients bootstrap (a plain `mount -o remount,ro` is refused while the store is open for
# writing, see store_full.sh). Asserted: every bootstrap that cannot be stored is answered
# 503 with Retry-After, nothing else fails, gba-bsf keeps running and keeps answering Zn
# for the sessions stored before. A forced read-only ext4 only comes back read-write through
# umount and e2fsck, so gba-bsf has to be restarted for that: then PRAGMA integrity_check
# says ok and every session a client got resolves with its key.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
t_init faults-store-ro

FUE="$top_builddir/tests/faults/fault_ue"
[ -x "$T_GBA_BSF" ] || t_skip "$T_GBA_BSF not built"
[ -x "$FUE" ] || t_skip "$FUE not built (make check builds it)"
[ "$(id -u)" = 0 ] && [ -n "${T_NETNS:-}" ] || t_skip "needs root and a private mount namespace"
command -v mkfs.ext4 >/dev/null && command -v e2fsck >/dev/null || t_skip "e2fsprogs missing"
DISK=$T_DIR/disk
mkdir -p "$DISK"
truncate -s 128M "$T_DIR/ext4.img"	# room for a WAL between two purge checkpoints
mkfs.ext4 -q -F "$T_DIR/ext4.img" > /dev/null 2>&1 || t_skip "mkfs.ext4 failed"
mount -o loop,errors=remount-ro "$T_DIR/ext4.img" "$DISK" 2> /dev/null ||
	t_skip "cannot mount an ext4 image on a loop device here"
trap 'for p in $T_PIDS; do kill -KILL $p; done; umount "$DISK" 2>/dev/null ||
      umount -l "$DISK"; t_cleanup' EXIT
dev=$(basename "$(findmnt -n -o SOURCE "$DISK")")
TRIGGER=/sys/fs/ext4/$dev/trigger_fs_error
[ -w "$TRIGGER" ] || t_skip "no $TRIGGER"

t_faults_profiles "$T_DIR/profiles" 200
t_faults_bsf_conf "$T_DIR/bsf.conf" "sqlite:$DISK/bsf.db" 'purge_interval = 1;'
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
bsf_pid=$PID_bsf
. "$top_srcdir/tests/faults/lib_store.sh"

load before 0 8 1 20
t_check "store read-write: $(count "$T_DIR/before.events" '$2 == "OK"') bootstraps" \
	test "$(count "$T_DIR/before.events" '$2 == "OK"')" -gt 10
echo "gbakit faults test" > "$TRIGGER"
t_check "ext4 forced read-only under gba-bsf ($(findmnt -n -o OPTIONS "$DISK"))" \
	bash -c "findmnt -n -o OPTIONS '$DISK' | grep -Eq '^ro|emergency_ro'"
load ro 8 192 2
ok=$(count "$T_DIR/ro.events" '$2 == "OK"')
e503=$(count "$T_DIR/ro.events" '$2 == "ERR" && $4 == 503 && $5 == 7')
other=$(count "$T_DIR/ro.events" '$2 == "ERR" && !($4 == 503 && $5 == 7)')
t_check "read-only: $e503 bootstraps answered 503 with Retry-After: 7, $ok stored, no other" \
	test "$e503" -gt 0 -a "$other" -eq 0
t_check "read-only: gba-bsf still running" kill -0 "$bsf_pid"
if "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR/before.events" > "$T_DIR/c1.out" 2>&1; then
	t_ok "read-only: the sessions stored before resolve over Zn ($(head -1 "$T_DIR/c1.out"))"
else
	t_fail "read-only: Zn lookups: $(head -5 "$T_DIR/c1.out")"
fi

# repair: stop gba-bsf, umount, e2fsck, mount read-write, start again
t_stop bsf
umount "$DISK" || t_fail "umount after the error"
rc=0
e2fsck -fy "$T_DIR/ext4.img" > "$T_DIR/fsck.log" 2>&1 || rc=$?
t_check "e2fsck repaired the file system (exit $rc)" test $rc -le 1
mount -o loop,errors=remount-ro "$T_DIR/ext4.img" "$DISK" || t_fail "mount read-write again"
t_faults_integrity "$DISK/bsf.db"
t_faults_bsf_start bsf "$T_DIR/bsf.conf"
load after 8 8 1 20
t_check "read-write again: bootstraps succeed" \
	test "$(count "$T_DIR/after.events" '$2 == "OK"')" -gt 10 -a \
	"$(count "$T_DIR/after.events" '$2 == "ERR"')" -eq 0
# The file-system error drops what the kernel had not written yet: gba-bsf commits sessions
# with synchronous=NORMAL (safe against kill -9, not against an OS-level loss), so the last
# sessions acknowledged before the error may be gone and the ones they replaced back.
if FAULT_UE_LOSSY_FS=1 "$FUE" check "$T_FAULTS_ZN" naf.test "$T_DIR/before.events" \
	"$T_DIR/ro.events" "$T_DIR/after.events" > "$T_DIR/c2.out" 2>&1; then
	t_ok "every session a client got resolves with its key ($(tr '\n' ' ' < "$T_DIR/c2.out"))"
else
	t_fail "sessions after the repair: $(head -5 "$T_DIR/c2.out")"
fi
t_stop bsf
t_faults_integrity "$DISK/bsf.db"
t_check "gba-bsf's log has no sanitizer report" \
	bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_DIR'/bsf*.log"
t_done

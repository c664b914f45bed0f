#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz/long.sh: run every libFuzzer target (tests/fuzz/fuzz_*.c) for real, on demand
# (not part of make check, which only replays the corpora). Builds the tree with clang and
# --enable-fuzzing (libFuzzer + AddressSanitizer) in its own directory, copies each seed
# corpus to a work directory (the seeds in the source tree are never touched), runs each
# target for FUZZ_SECONDS and prints one summary line per target: executions, corpus size
# before/after, and the crash/leak/timeout/oom reproducers libFuzzer wrote. Exit 1 when any
# target left a reproducer (fix it, then add the file to tests/fuzz/corpus/NAME/).
#   FUZZ_SECONDS=600      seconds per target
#   FUZZ_TARGETS="a b"    only these (names without fuzz_), default all
#   FUZZ_JOBS=2           targets run at the same time (one process each; default 1)
#   FUZZ_MERGE=1          afterwards, add to tests/fuzz/corpus/NAME/ the inputs of the run
#                         that reach new coverage (libFuzzer -merge=1), to be committed
#   FUZZ_BUILDDIR, FUZZ_WORKDIR   build and work directories (default under $TMPDIR or /tmp)
#   CC=clang              the compiler (libFuzzer needs clang); exit 77 when absent
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
: "${FUZZ_SECONDS:=600}"
: "${FUZZ_BUILDDIR:=${TMPDIR:-/tmp}/gbakit-fuzz-build}"
: "${FUZZ_WORKDIR:=${TMPDIR:-/tmp}/gbakit-fuzz-run}"
: "${CC:=clang}"
: "${FUZZ_JOBS:=1}"
command -v "$CC" >/dev/null || { echo "long.sh: $CC not found (libFuzzer needs clang)"; exit 77; }

if [ -z "${FUZZ_TARGETS:-}" ]; then
	FUZZ_TARGETS=$(cd "$src/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
fi
mkdir -p "$FUZZ_BUILDDIR" "$FUZZ_WORKDIR" || exit 1
if [ ! -f "$FUZZ_BUILDDIR/Makefile" ]; then
	echo "== configure (CC=$CC --enable-fuzzing) in $FUZZ_BUILDDIR"
	(cd "$FUZZ_BUILDDIR" && CC=$CC "$src/configure" -q --enable-fuzzing --disable-hardening) ||
		exit 1
fi
echo "== build"
progs=""
for t in $FUZZ_TARGETS; do progs="$progs fuzz_$t"; done
if ! { make -C "$FUZZ_BUILDDIR" -j2 >"$FUZZ_WORKDIR/build.log" 2>&1 &&
       make -C "$FUZZ_BUILDDIR/tests/fuzz" -j2 $progs >>"$FUZZ_WORKDIR/build.log" 2>&1; }; then
	tail -30 "$FUZZ_WORKDIR/build.log"
	exit 1
fi

# run_target NAME: one target for FUZZ_SECONDS; prints its summary line, returns 1 when it
# left a reproducer or did not finish
run_target() {
	local t=$1 w="$FUZZ_WORKDIR/$1" seeds execs found
	rm -rf "$w"
	mkdir -p "$w/corpus"
	cp "$src/tests/fuzz/corpus/$t/"* "$w/corpus/" 2>/dev/null
	seeds=$(ls "$w/corpus" | wc -l)
	# -close_fd_mask=2: the targets' own stderr (parsers explaining refusals) is muted;
	# libFuzzer still prints its crash reports
	(cd "$w" && "$FUZZ_BUILDDIR/tests/fuzz/fuzz_$t" -max_total_time="$FUZZ_SECONDS" \
		-close_fd_mask=2 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$w/" "$w/corpus" >"$w/log" 2>&1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log")
	found=$(cd "$w" && ls -d crash-* leak-* timeout-* oom-* 2>/dev/null | tr '\n' ' ')
	printf '%-14s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "$seeds" "$(ls "$w/corpus" | wc -l)" \
		"${found:-none}"
	if [ -n "$found" ] || ! grep -q "^stat::number_of_executed_units" "$w/log"; then
		echo "   see $w/log"
		return 1
	fi
	if [ -n "${FUZZ_MERGE:-}" ]; then
		local before=$(ls "$src/tests/fuzz/corpus/$t" | wc -l)

		(cd "$w" && "$FUZZ_BUILDDIR/tests/fuzz/fuzz_$t" -merge=1 -close_fd_mask=2 \
			"$src/tests/fuzz/corpus/$t" "$w/corpus" >"$w/merge.log" 2>&1) || return 1
		echo "   $t: $(( $(ls "$src/tests/fuzz/corpus/$t" | wc -l) - before )) inputs merged" \
			"into tests/fuzz/corpus/$t"
	fi
	return 0
}

rc=0
running=0
printf '%-14s %10s %8s %8s  %s\n' target execs seeds corpus reproducers
for t in $FUZZ_TARGETS; do
	if [ "$running" -ge "$FUZZ_JOBS" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	run_target "$t" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
exit $rc

#!/bin/bash
# Concurrency sweep for doc/performance.md: start gba-bsf (tests/lib.sh t_bsf_start, built-in
# AuC over PLOT_CARDS random subscribers from contrib/gba-profile-gen, SQLite store) and run
# tests/bench/load_gba with 1, 2, 4, ..., 64 UEs (no NAFs) for PLOT_SECONDS each after a 1 s
# warm-up; write the table "UEs bootstraps/s p50-ms p99-ms" and draw it with gnuplot
# (concurrency.gp) into PLOT_OUT (default doc/performance-concurrency.svg in the source tree).
# On demand only: make -C tests/bench load_gba && tests/bench/plot.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init plot

: "${PLOT_SECONDS:=5}"
: "${PLOT_CARDS:=10000}"
: "${PLOT_OUT:=$top_srcdir/doc/performance-concurrency.svg}"
LOAD="$top_builddir/tests/bench/load_gba"
[ -x "$LOAD" ] || t_skip "$LOAD not built (make -C tests/bench load_gba)"
command -v gnuplot >/dev/null || t_skip "gnuplot not installed (gnuplot-nox)"

"$top_srcdir/contrib/gba-profile-gen" -n "$PLOT_CARDS" -o "$T_DIR/subs.conf" ||
	{ t_fail "gba-profile-gen"; t_done; }
t_bsf_start_many "$T_DIR/subs.conf"
echo "# UEs bootstraps/s p50_ms p99_ms failed" > "$T_DIR/sweep.dat"
for c in 1 2 4 8 16 32 64; do
	sum=$("$LOAD" --ub "$T_BSF_UB" --realm "$T_BSF_FQDN" --profiles "$T_DIR/subs.conf" \
		--ues "$c" --nafs 0 --seconds "$PLOT_SECONDS" --warmup 1 --quiet | grep '^SUMMARY|')
	get() { echo "$sum" | tr '|' '\n' | sed -n "s/^$1=//p"; }
	[ -n "$sum" ] || { t_fail "load_gba with $c UEs: no summary"; continue; }
	echo "$c $(get bootstraps_rate) $(get bootstraps_p50_ms) $(get bootstraps_p99_ms)" \
		"$(get bootstraps_fail)" | tee -a "$T_DIR/sweep.dat"
	[ "$(get bootstraps_fail)" = 0 ] && t_ok "$c UEs" || t_fail "$c UEs: failures"
done
sub="$(nproc) CPUs, $(uname -m), built-in AuC, SQLite store, $PLOT_CARDS subscribers,"
sub="$sub $(date -u +%Y-%m-%d)"
gnuplot -e "datafile='$T_DIR/sweep.dat'; outfile='$PLOT_OUT'; subtitle='$sub'" \
	"$top_srcdir/tests/bench/concurrency.gp" && t_ok "plot written to $PLOT_OUT" ||
	t_fail "gnuplot"
t_done

# Shared by store_full.sh and store_ro.sh (sourced after tests/lib.sh, with FUE = fault_ue):
#   count FILE AWK-CONDITION     lines of FILE the condition selects
#   load NAME FIRST COUNT SECONDS [MIN-OK]
#                                fault_ue load of subscribers FIRST.. for SECONDS into
#                                $T_DIR/NAME.events; with MIN-OK, go on (up to 30 s) until
#                                that many bootstraps succeeded (slow builds)
count() {
	awk "$2" "$1" 2>/dev/null | wc -l
}
oks_at_least() {	# NAME N
	[ "$(count "$T_DIR/$1.events" '$2 == "OK"')" -ge "$2" ]
}
load() {
	t_start "$1" "$FUE" load "$T_DIR/$1.events" "$T_FAULTS_UB" "$T_FAULTS_IMPI" "$2" "$3" 50
	sleep "$4"
	[ -z "${5:-}" ] || t_wait_for 30 oks_at_least "$1" "$5" || true
	t_stop "$1"
}

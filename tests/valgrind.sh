#!/bin/bash
# tests/valgrind.sh: automake LOG_COMPILER that runs `make check` under valgrind memcheck.
#   make check LOG_COMPILER=/path/to/tests/valgrind.sh     (what .ci/run and
#   make -C tests check-valgrind do; GBA_VALGRIND=1 is then set for every test)
# A test program (ELF, or a libtool wrapper) runs as
#   valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
# with CK_FORK=no, so that a memory error or a definite leak fails it (99: automake ERROR).
# A test script runs as it is, with GBA_VALGRIND=1 exported: tests/lib.sh's t_start then
# wraps our daemons (gba-bsf, gba-uicc, gba-naf) the same way (see its "valgrind" section).
# GBA_VALGRIND_SKIP (glob patterns, space separated) skips tests by name (exit 77);
# GBA_VALGRIND_SCRIPTS (glob patterns), when set, runs only the test scripts it names;
# GBA_VALGRIND_OPTS adds valgrind options (e.g. --gen-suppressions=all).

# tests/lib.sh runs a daemon as: valgrind.sh --log-file=FILE PROGRAM ARGS...
vg_log=()
case ${1:-} in --log-file=*) vg_log=("$1"); shift ;; esac
prog=${1:-}
[ -n "$prog" ] || { echo "usage: valgrind.sh [--log-file=F] TEST [ARGS...]" >&2; exit 99; }
export GBA_VALGRIND=1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${GBA_VALGRIND_SUPP:=$here/valgrind.supp}"
export GBA_VALGRIND_SUPP

for pat in ${GBA_VALGRIND_SKIP:-}; do
	# shellcheck disable=SC2053
	if [[ $(basename "$prog") == $pat ]]; then
		echo "SKIP: $(basename "$prog") is not run under valgrind (GBA_VALGRIND_SKIP)"
		exit 77
	fi
done

# the valgrind command line, also used by tests/lib.sh for the daemons
gba_vg_cmd() {
	VG_CMD=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
		--errors-for-leak-kinds=definite --num-callers=30
		--suppressions="$GBA_VALGRIND_SUPP" "${vg_log[@]}" ${GBA_VALGRIND_OPTS:-})
}

case $(head -c 4 "$prog" 2>/dev/null | od -An -c | tr -d ' ') in
'177ELF')
	gba_vg_cmd
	CK_FORK=no exec "${VG_CMD[@]}" "$@"
	;;
esac
if head -n 5 "$prog" 2>/dev/null | grep -q 'libtool'; then
	# a libtool wrapper: libtool --mode=execute runs valgrind on the real program
	lt=""
	d=${top_builddir:-$(pwd)}
	while [ "$d" != / ]; do
		[ -x "$d/libtool" ] && { lt=$d/libtool; break; }
		d=$(dirname "$d")
	done
	[ -n "$lt" ] || { echo "valgrind.sh: libtool not found above $(pwd)" >&2; exit 99; }
	gba_vg_cmd
	CK_FORK=no exec "$lt" --mode=execute "${VG_CMD[@]}" "$@"
fi
# a test script: run it (when chosen); lib.sh wraps the daemons
if [ -n "${GBA_VALGRIND_SCRIPTS+set}" ]; then
	for pat in $GBA_VALGRIND_SCRIPTS; do
		# shellcheck disable=SC2053
		[[ $(basename "$prog") == $pat ]] && exec "$@"
	done
	echo "SKIP: $(basename "$prog") is not run under valgrind (GBA_VALGRIND_SCRIPTS)"
	exit 77
fi
exec "$@"

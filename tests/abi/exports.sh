#!/bin/bash
# The shared libraries' ABI: libgba-naf and libgba-ue export exactly the symbols listed in
# tests/abi/libgba-*.exports (no internal gba_* helper of core/ or apdu/ leaks out), each
# listed symbol is declared in the public header, every function the header declares is
# exported, and the SONAME follows -version-info. A deliberate API change updates the list
# (and -version-info in naf/ or ue/Makefile.am, and debian/libgba-*0.symbols).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init abi-exports

command -v nm > /dev/null || t_skip "nm not installed (binutils)"
for lib in naf ue; do
	so="$top_builddir/$lib/.libs/libgba-$lib.so"
	[ -f "$so" ] || t_skip "$so not built (static build?)"
	list="$top_srcdir/tests/abi/libgba-$lib.exports"
	hdr="$top_srcdir/include/gba/$lib.h"
	# defined dynamic symbols without their version (the version node itself is type A)
	nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
		sort -u > "$T_DIR/$lib.nm"
	if diff -u "$list" "$T_DIR/$lib.nm" > "$T_DIR/$lib.diff"; then
		t_ok "libgba-$lib exports exactly the $(wc -l < "$list") symbols of $(basename "$list")"
	else
		t_fail "libgba-$lib exports differ from the list (+ exported, - missing): $(cat "$T_DIR/$lib.diff")"
	fi
	# what the header declares: functions "gba_x(" and extern arrays "gba_x["
	grep -oE "\\bgba_${lib}_[a-z0-9_]+ *[([]" "$hdr" | sed 's/ *[([]$//' | sort -u > "$T_DIR/$lib.hdr"
	if diff -u "$T_DIR/$lib.hdr" "$list" > "$T_DIR/$lib.hdiff"; then
		t_ok "<gba/$lib.h> declares exactly the listed symbols"
	else
		t_fail "<gba/$lib.h> and the list differ: $(cat "$T_DIR/$lib.hdiff")"
	fi
	soname=$(readelf -d "$so" 2> /dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$soname" = "libgba-$lib.so.0" ] && t_ok "SONAME $soname" ||
		t_fail "libgba-$lib SONAME '$soname', expected libgba-$lib.so.0 (-version-info 0:x:0)"
done
t_done

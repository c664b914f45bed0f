#!/bin/bash
# libgba-ue's public surface: the shared library exports gba_ue_* and nothing else, and
# <gba/ue.h> stands alone (only system headers), so an installed copy works with pkg-config.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init ue-exports

SO="$top_builddir/ue/.libs/libgba-ue.so"
[ -f "$SO" ] || t_skip "$SO not built (static build?)"
command -v nm > /dev/null || t_skip "nm not installed"
other=$(nm -D --defined-only "$SO" | awk '{print $3}' | grep -v '^gba_ue_')
[ -z "$other" ] && t_ok "only gba_ue_* exported ($(nm -D --defined-only "$SO" | wc -l) symbols)" ||
	t_fail "also exported: $other"
inc=$(grep '^#include' "$top_srcdir/include/gba/ue.h" | grep -v '<std\|<time.h>')
[ -z "$inc" ] && t_ok "<gba/ue.h> includes only standard headers" || t_fail "ue.h includes $inc"
mkdir -p "$T_DIR/gba"
cp "$top_srcdir/include/gba/ue.h" "$T_DIR/gba/"
printf '#include <gba/ue.h>\nint main(void) { return gba_ue_apdu_count(0); }\n' > "$T_DIR/p.c"
if ${CC:-cc} -std=c99 -Wall -Werror -I"$T_DIR" -c "$T_DIR/p.c" -o "$T_DIR/p.o" 2> "$T_DIR/cc.log"
then
	t_ok "<gba/ue.h> compiles on its own (c99)"
else
	t_fail "<gba/ue.h> alone: $(cat "$T_DIR/cc.log")"
fi
t_done

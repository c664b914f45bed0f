#!/bin/bash
# Every installed header (nobase_include_HEADERS of include/Makefile.am) stands alone: it
# includes only standard C headers and compiles on its own, copied away from the tree, as
# C11 (gcc -std=c11 -Wall -Wextra -Werror -pedantic) and as C++11 (g++ -fsyntax-only).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init abi-headers

cc=${CC:-cc}
cxx=$(command -v g++ || command -v c++) || t_skip "no C++ compiler (Debian package g++)"
hdrs=$(sed -n 's/^nobase_include_HEADERS *+\?= *//p' "$top_srcdir/include/Makefile.am" | tr '\n' ' ')
[ -n "$hdrs" ] || { t_fail "no nobase_include_HEADERS in include/Makefile.am"; t_done; }
for h in $hdrs; do
	mkdir -p "$T_DIR/inc/$(dirname "$h")"
	cp "$top_srcdir/include/$h" "$T_DIR/inc/$h"
	inc=$(grep '^#include' "$top_srcdir/include/$h" |
	      grep -vE '<(stdbool|stddef|stdint|time|stdio|stdarg|sys/types)\.h>')
	[ -z "$inc" ] && t_ok "<$h> includes only standard headers" || t_fail "<$h> includes $inc"
	printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" > "$T_DIR/c.c"
	if $cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$T_DIR/inc" -c "$T_DIR/c.c" \
		-o "$T_DIR/c.o" 2> "$T_DIR/cc.log"; then
		t_ok "<$h> compiles alone (and twice) as C11"
	else
		t_fail "<$h> as C11: $(cat "$T_DIR/cc.log")"
	fi
	printf '#include <%s>\nint main() { return 0; }\n' "$h" > "$T_DIR/cxx.cc"
	if "$cxx" -std=c++11 -Wall -Wextra -Werror -fsyntax-only -I"$T_DIR/inc" "$T_DIR/cxx.cc" \
		2> "$T_DIR/cxx.log"; then
		t_ok "<$h> compiles as C++11"
	else
		t_fail "<$h> as C++11: $(cat "$T_DIR/cxx.log")"
	fi
done
t_done

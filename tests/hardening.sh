#!/bin/bash
# The programs and shared libraries are built hardened: PIE, full RELRO (GNU_RELRO + BIND_NOW),
# stack protector and FORTIFY_SOURCE (imports of __stack_chk_fail and __*_chk). Skipped when
# configure was run with --disable-hardening or --enable-sanitizers (which turns it off).
. "$top_srcdir/tests/lib.sh"
T_NO_NETNS=1 t_init hardening
[ "${GBA_HARDENING:-}" = yes ] || t_skip "built without hardening (GBA_HARDENING=${GBA_HARDENING:-})"
command -v readelf >/dev/null || t_skip "readelf not installed (binutils)"

# the real ELF behind a libtool wrapper script
elf() {
	_d=$(dirname "$1") _b=$(basename "$1")
	if head -c 4 "$1" | grep -q ELF; then echo "$1"
	elif [ -f "$_d/.libs/$_b" ]; then echo "$_d/.libs/$_b"
	else echo "$_d/.libs/lt-$_b"
	fi
}

for p in bsf/gba-bsf uicc/gba-uicc ue/gba-ue naf/gba-naf contrib/gba-profile; do
	f=$(elf "$top_builddir/$p")
	[ -f "$f" ] || { t_fail "$p: not built"; continue; }
	t_check "$p: PIE" sh -c "readelf -h '$f' | grep -q 'Type:.*DYN'"
	t_check "$p: RELRO" sh -c "readelf -lW '$f' | grep -q GNU_RELRO"
	t_check "$p: BIND_NOW" sh -c "readelf -dW '$f' | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
	t_check "$p: stack protector" sh -c "readelf -sW --dyn-syms '$f' | grep -q __stack_chk_fail"
	t_check "$p: FORTIFY_SOURCE" sh -c "readelf -sW --dyn-syms '$f' | grep -Eq '__[a-z]+_chk'"
done
for l in ue/.libs/libgba-ue.so naf/.libs/libgba-naf.so; do
	f=$(readlink -f "$top_builddir/$l")
	[ -f "$f" ] || { t_fail "$l: not built"; continue; }
	t_check "$l: RELRO" sh -c "readelf -lW '$f' | grep -q GNU_RELRO"
	t_check "$l: BIND_NOW" sh -c "readelf -dW '$f' | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
	t_check "$l: stack protector" sh -c "readelf -sW --dyn-syms '$f' | grep -q __stack_chk_fail"
done
t_done

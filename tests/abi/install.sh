#!/bin/bash
# The libraries as a user gets them: `make install DESTDIR=...` of libgba-naf and libgba-ue
# (libraries, headers, .pc files only), then a tiny consumer program outside the tree built
# with nothing but `pkg-config --cflags --libs libgba-naf libgba-ue`, run against the
# installed copies.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
t_init abi-install

command -v pkg-config > /dev/null || t_skip "pkg-config not installed"
[ -f "$top_builddir/ue/.libs/libgba-ue.so" ] || t_skip "shared libraries not built"
root="$T_DIR/root"
for d in include naf ue; do
	case $d in
	include) targets=install-nobase_includeHEADERS ;;
	*) targets="install-libLTLIBRARIES install-pkgconfigDATA" ;;
	esac
	# shellcheck disable=SC2086
	if ! make -s -C "$top_builddir/$d" $targets DESTDIR="$root" > "$T_DIR/install.log" 2>&1; then
		t_fail "make install in $d: $(cat "$T_DIR/install.log")"
		t_done
	fi
done
pcdir=$(dirname "$(find "$root" -name libgba-naf.pc | head -n 1)")
[ -f "$pcdir/libgba-ue.pc" ] && t_ok "installed .pc files in ${pcdir#"$root"}" ||
	{ t_fail "no installed .pc files"; t_done; }
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$root"
for m in libgba-naf libgba-ue; do
	t_check "pkg-config $m --print-requires-private is empty (no -dev package needed)" \
		test -z "$(pkg-config --print-requires-private $m)"
done
flags=$(pkg-config --cflags --libs libgba-naf libgba-ue 2> "$T_DIR/pc.log") ||
	{ t_fail "pkg-config: $(cat "$T_DIR/pc.log")"; t_done; }
cat > "$T_DIR/consumer.c" <<'EOC'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gba/naf.h>
#include <gba/ue.h>

int main(void)
{
	const char *fqdns[] = { "naf.example.org", NULL };
	struct gba_naf_opts o = { .bsf_url = "https://bsf.example.org:8443" };
	struct gba_naf *naf = NULL;
	uint8_t ua[GBA_UE_UA_ID_LEN];
	int rc = gba_naf_new(&naf, fqdns, &o);

	if (rc || strcmp(gba_naf_fqdn_default(naf), "naf.example.org"))
		return 1;
	gba_naf_free(naf);
	gba_ue_ua_tls12(ua, 0x00ae);
	if (ua[0] != 1 || ua[2] != 1 || ua[4] != 0xae)
		return 2;
	if (gba_ue_tls_suite_id("no such suite") != -ENOENT)
		return 3;
	printf("consumer: %s, %s\n", gba_naf_strerror(-ENOENT), gba_ue_pin_state_name(GBA_UE_PIN_BLOCKED));
	return 0;
}
EOC
# a sanitizer build (--enable-sanitizers): the consumer needs the same runtime, loaded first
san=
readelf -d "$top_builddir/ue/.libs/libgba-ue.so" | grep -q 'libasan' &&
	san="-fsanitize=address,undefined"
# shellcheck disable=SC2086
if ${CC:-cc} -std=c11 -Wall -Werror $san "$T_DIR/consumer.c" -o "$T_DIR/consumer" $flags \
	2> "$T_DIR/cc.log"; then
	t_ok "consumer built with pkg-config --cflags --libs libgba-naf libgba-ue"
else
	t_fail "consumer build ($flags): $(cat "$T_DIR/cc.log")"
	t_done
fi
libdir=$(dirname "$pcdir")	# $root/usr/local/lib (pkgconf prefixes --variable with the sysroot)
out=$(LD_LIBRARY_PATH="$libdir" "$T_DIR/consumer" 2>&1) && t_ok "consumer runs: $out" ||
	t_fail "consumer failed ($?): $out"
used=$(LD_LIBRARY_PATH="$libdir" ldd "$T_DIR/consumer" | grep -c "$root")
[ "$used" -eq 2 ] && t_ok "both libraries come from the installed copy" ||
	t_fail "consumer does not use the installed libraries: $(LD_LIBRARY_PATH="$libdir" ldd "$T_DIR/consumer")"
t_done

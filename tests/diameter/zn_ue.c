/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zn_ue: a bootstrap by the test UE of tests/bsf/tue.c (the K/OPc of the first card of a
 * sim-profiles file) and the NAF keys the UE derives itself from Ks, for zn.sh to compare with
 * what gba-naf gets over Zn (test keys only: this tool prints them).
 *   zn_ue UB REALM PROFILE FQDN UA-HEX   prints "B-TID KS_(EXT)_NAF KS_INT_NAF" in hex
 * A GBA_U profile makes the UE send the 3gpp-gba-uicc product token, so that the BSF runs GBA_U.
 * Exit 0 when the bootstrap succeeded, 1 otherwise (reason on stderr), 2 for usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/kdf.h>
#include "tue_profile.h"

int main(int argc, char **argv)
{
	struct tue u;
	struct tue_boot bt;
	char err[256] = "";
	char me_hex[2 * GBA_KS_NAF_LEN + 1], int_hex[2 * GBA_KS_NAF_LEN + 1];
	uint8_t ua[GBA_UA_ID_LEN], nid[GBA_NAF_ID_MAX], me[GBA_KS_NAF_LEN], in[GBA_KS_NAF_LEN];
	bool gba_u = false;
	int len, rc = 1;

	if (argc != 6 || gba_hex_decode(ua, sizeof(ua), argv[5]) ||
	    (len = gba_naf_id(nid, sizeof(nid), argv[4], ua)) <= 0) {
		fprintf(stderr, "usage: zn_ue UB REALM PROFILE FQDN UA-HEX\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tue_init_profile(&u, argv[1], argv[2], argv[3], &gba_u, "zn_ue");
	if (rc)
		goto out;
	rc = 1;
	if (gba_u)	/* the product token of a GBA_U capable ME (TS 24.109 4.5.2) */
		snprintf(u.ua, sizeof(u.ua), "gbakit-test-ue/1.0 3gpp-gba 3gpp-gba-uicc");
	if (tue_bootstrap(&u, GBA_QOP_AUTH_INT, &bt, err, sizeof(err))) {
		fprintf(stderr, "zn_ue: %s\n", err);
	} else if (gba_ks_naf(me, bt.ks, bt.rand, u.impi, nid, (size_t)len) ||
		   gba_ks_int_naf(in, bt.ks, bt.rand, u.impi, nid, (size_t)len)) {
		fprintf(stderr, "zn_ue: cannot derive the NAF keys\n");
	} else {
		gba_hex_encode(me_hex, sizeof(me_hex), me, sizeof(me));
		gba_hex_encode(int_hex, sizeof(int_hex), in, sizeof(in));
		printf("%s %s %s\n", bt.btid, me_hex, int_hex);
		rc = 0;
	}
	gba_zeroize(&bt, sizeof(bt));
	gba_zeroize(me, sizeof(me));
	gba_zeroize(in, sizeof(in));
	gba_zeroize(me_hex, sizeof(me_hex));
	gba_zeroize(int_hex, sizeof(int_hex));
	tue_free(&u);
out:
	curl_global_cleanup();
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bsf_ue: one real Ub bootstrap against gba-bsf with the BSF tests' test UE (tests/bsf/tue.c:
 * libcurl, core AKA with the profile's K/OPc), for the naf/ scripts that need real B-TIDs
 * and keys without a card:  bsf_ue UB-URL REALM IMPI K OPC  ->  "B-TID KS-HEX"
 */
#include "../bsf/tue.c"

int main(int argc, char **argv)
{
	static struct tue u;
	struct tue_boot b;
	char why[256], hex[2 * GBA_KS_LEN + 1];

	if (argc != 6)
		return 2;
	if (tue_init(&u, argv[1], argv[2], argv[3], argv[4], argv[5], GBA_AKA_MILENAGE)) {
		fprintf(stderr, "bsf_ue: init failed\n");
		return 1;
	}
	if (tue_bootstrap(&u, GBA_QOP_AUTH_INT, &b, why, sizeof(why))) {
		fprintf(stderr, "bsf_ue: bootstrap failed: %s\n", why);
		tue_free(&u);
		return 1;
	}
	gba_hex_encode(hex, sizeof(hex), b.ks, GBA_KS_LEN);
	printf("%s %s\n", b.btid, hex);
	gba_zeroize(hex, sizeof(hex));
	gba_zeroize(&b, sizeof(b));
	tue_free(&u);
	return 0;
}

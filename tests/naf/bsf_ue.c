/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bsf_ue: the UE side for the naf/ scripts that need real B-TIDs and keys without a card,
 * built on the BSF tests' test UE (tests/bsf/tue.c: libcurl, core AKA with K/OPc):
 *   bsf_ue UB-URL REALM IMPI K OPC [uicc]   one real Ub bootstrap at gba-bsf ("uicc": the
 *                                          User-Agent announces GBA_U) -> "B-TID KS-HEX"
 *   bsf_ue key --ks HEX --btid B --impi I --naf FQDN --ua HEX [--uicc] [--b64]
 *                                          the NAF key the UE derives from Ks: Ks_(ext)_NAF,
 *                                          or Ks_int_NAF with --uicc; hex, or base64 (the
 *                                          Digest password)
 */
#include "../bsf/tue.c"

#include <gba/kdf.h>

static const char *arg(int argc, char **argv, const char *name)
{
	for (int i = 2; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int key(int argc, char **argv)
{
	const char *ks = arg(argc, argv, "--ks"), *btid = arg(argc, argv, "--btid");
	const char *impi = arg(argc, argv, "--impi"), *naf = arg(argc, argv, "--naf");
	const char *ua = arg(argc, argv, "--ua");
	uint8_t k[GBA_KS_LEN], rnd[GBA_RAND_LEN], u[GBA_UA_ID_LEN], id[GBA_NAF_ID_MAX], out[32];
	char txt[65];
	bool uicc = false, b64 = false;
	int n, rc;

	for (int i = 2; i < argc; i++) {
		uicc |= !strcmp(argv[i], "--uicc");
		b64 |= !strcmp(argv[i], "--b64");
	}
	if (!ks || !btid || !impi || !naf || !ua || gba_hex_decode(k, sizeof(k), ks) ||
	    gba_hex_decode(u, sizeof(u), ua) || gba_btid_parse(btid, rnd, NULL) ||
	    (n = gba_naf_id(id, sizeof(id), naf, u)) < 0)
		return 2;
	rc = uicc ? gba_ks_int_naf(out, k, rnd, impi, id, (size_t)n) :
		    gba_ks_naf(out, k, rnd, impi, id, (size_t)n);
	gba_zeroize(k, sizeof(k));
	if (rc)
		return 1;
	if (b64)
		gba_b64_encode(txt, sizeof(txt), out, sizeof(out));
	else
		gba_hex_encode(txt, sizeof(txt), out, sizeof(out));
	gba_zeroize(out, sizeof(out));
	printf("%s\n", txt);
	gba_zeroize(txt, sizeof(txt));
	return 0;
}

int main(int argc, char **argv)
{
	static struct tue u;
	struct tue_boot b;
	char why[256], hex[2 * GBA_KS_LEN + 1];

	if (argc > 1 && !strcmp(argv[1], "key"))
		return key(argc, argv);
	if (argc != 6 && !(argc == 7 && !strcmp(argv[6], "uicc")))
		return 2;
	if (tue_init(&u, argv[1], argv[2], argv[3], argv[4], argv[5], GBA_AKA_MILENAGE)) {
		fprintf(stderr, "bsf_ue: init failed\n");
		return 1;
	}
	if (argc == 7)	/* TS 24.109 5.2.1: GBA_U announced in the User-Agent */
		snprintf(u.ua, sizeof(u.ua), "gbakit-test-ue/1.0 3gpp-gba-uicc");
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

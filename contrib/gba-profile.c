/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-profile: command-line access to subscriber/card profiles through the same parser the
 * soft UICC and the BSF use. `check` validates a file or directory; `dump` prints one line
 * per card for contrib/gba-hlr-provision:
 *     IMSI MSISDN|- ALGORITHM K OPC|- IND_BITLEN
 * `dump` writes K and OPc in clear to stdout (that is its purpose: feeding an HLR);
 * send it to a pipe, not to a file or a terminal log.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/profile.h>

static int usage(void)
{
	fprintf(stderr, "Usage: gba-profile check|dump FILE|DIR\n"
		"  check  validate the profiles, print the number of cards\n"
		"  dump   one line per card: IMSI MSISDN|- ALGORITHM K OPC|- IND_BITLEN\n"
		"         (K and OPc in clear: for gba-hlr-provision)\n");
	return 2;
}

static int dump(const struct gba_profile *p, size_t n)
{
	char k[2 * GBA_K_LEN + 1], opc[2 * GBA_OPC_LEN + 1];
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		gba_hex_encode(k, sizeof(k), p[i].cred.k, GBA_K_LEN);
		if (p[i].cred.alg == GBA_AKA_MILENAGE)
			gba_hex_encode(opc, sizeof(opc), p[i].cred.opc, GBA_OPC_LEN);
		else
			strcpy(opc, "-");
		if (printf("%s %s %s %s %s %u\n", p[i].imsi, p[i].msisdn[0] ? p[i].msisdn : "-",
			   gba_aka_alg_name(p[i].cred.alg), k, opc, p[i].ind_bitlen) < 0)
			rc = -EIO;
	}
	gba_zeroize(k, sizeof(k));
	gba_zeroize(opc, sizeof(opc));
	if (fflush(stdout) != 0)
		rc = -EIO;
	return rc;
}

int main(int argc, char **argv)
{
	struct gba_profile *p = NULL;
	char err[512];
	size_t n = 0;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "check") && strcmp(argv[1], "dump")))
		return usage();
	rc = gba_profiles_load(argv[2], &p, &n, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "gba-profile: %s\n", err[0] ? err : strerror(-rc));
		return 1;
	}
	if (!strcmp(argv[1], "check"))
		printf("%s: %zu cards\n", argv[2], n);
	else
		rc = dump(p, n);
	gba_profiles_free(p, n);
	if (rc < 0) {
		fprintf(stderr, "gba-profile: write error\n");
		return 1;
	}
	return 0;
}

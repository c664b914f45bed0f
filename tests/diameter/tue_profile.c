/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tue_init_profile(): the test UE of tests/bsf/tue.c with the first card of a sim-profiles
 * file, for the tests/diameter tools (dia_ue, zn_ue).
 */
#include "config.h"

#include <stdio.h>

#include <gba/profile.h>

#include "tue_profile.h"

int tue_init_profile(struct tue *u, const char *ub, const char *realm, const char *path,
		     bool *gba_u, const char *prog)
{
	struct gba_profile *p = NULL;
	char err[256] = "", k[2 * GBA_K_LEN + 1], opc[2 * GBA_OPC_LEN + 1];
	size_t n = 0;
	int rc;

	if (gba_profiles_load(path, &p, &n, err, sizeof(err)) || !n) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, err);
		return 2;
	}
	gba_hex_encode(k, sizeof(k), p[0].cred.k, GBA_K_LEN);
	gba_hex_encode(opc, sizeof(opc), p[0].cred.opc, GBA_OPC_LEN);
	rc = tue_init(u, ub, realm, p[0].impi, k, opc, p[0].cred.alg) ? 1 : 0;
	if (rc)
		fprintf(stderr, "%s: tue_init failed\n", prog);
	if (gba_u)
		*gba_u = p[0].gba_u;
	gba_zeroize(k, sizeof(k));
	gba_zeroize(opc, sizeof(opc));
	gba_profiles_free(p, n);
	return rc;
}

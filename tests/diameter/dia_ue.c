/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dia_ue: a bootstrap whose test card (tests/bsf/tue.c, K/OPc of the first card of a
 * sim-profiles file) has already seen SQN_MS, so that a fresh AuC's SQN is behind it and the
 * UE must resynchronise (AUTS) before the bootstrap succeeds.
 *   dia_ue UB REALM PROFILE SQN_MS     prints "B-TID LIFETIME SQN": the key lifetime left in
 *                                      seconds, the SQN of the accepted AUTN
 * Exit 0 when the bootstrap succeeded after a resync, 1 otherwise (reason on stderr), 2 usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/profile.h>

#include "tue.h"

int main(int argc, char **argv)
{
	struct gba_profile *p = NULL;
	struct tue u;
	struct tue_boot bt;
	char err[256] = "", k[2 * GBA_K_LEN + 1], opc[2 * GBA_OPC_LEN + 1];
	size_t n = 0;
	uint64_t sqn_ms;
	int rc = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: dia_ue UB REALM PROFILE SQN_MS\n");
		return 2;
	}
	sqn_ms = strtoull(argv[4], NULL, 0);
	if (gba_profiles_load(argv[3], &p, &n, err, sizeof(err)) || !n) {
		fprintf(stderr, "dia_ue: %s: %s\n", argv[3], err);
		return 2;
	}
	gba_hex_encode(k, sizeof(k), p[0].cred.k, GBA_K_LEN);
	gba_hex_encode(opc, sizeof(opc), p[0].cred.opc, GBA_OPC_LEN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (tue_init(&u, argv[1], argv[2], p[0].impi, k, opc, p[0].cred.alg)) {
		fprintf(stderr, "dia_ue: tue_init failed\n");
		goto out;
	}
	u.sqn_ms = sqn_ms;
	if (tue_bootstrap(&u, GBA_QOP_AUTH_INT, &bt, err, sizeof(err))) {
		fprintf(stderr, "dia_ue: %s\n", err);
	} else if (u.last_sqn <= sqn_ms) {
		fprintf(stderr, "dia_ue: accepted SQN %llu not above SQN_MS\n",
			(unsigned long long)u.last_sqn);
	} else {
		printf("%s %lld %llu\n", bt.btid, (long long)(bt.lifetime - time(NULL)),
		       (unsigned long long)u.last_sqn);
		rc = 0;
	}
	gba_zeroize(&bt, sizeof(bt));
	tue_free(&u);
out:
	gba_zeroize(k, sizeof(k));
	gba_zeroize(opc, sizeof(opc));
	gba_profiles_free(p, n);
	curl_global_cleanup();
	return rc;
}

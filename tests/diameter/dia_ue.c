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

#include "tue_profile.h"

int main(int argc, char **argv)
{
	struct tue u;
	struct tue_boot bt;
	char err[256] = "";
	uint64_t sqn_ms;
	int rc = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: dia_ue UB REALM PROFILE SQN_MS\n");
		return 2;
	}
	sqn_ms = strtoull(argv[4], NULL, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tue_init_profile(&u, argv[1], argv[2], argv[3], NULL, "dia_ue");
	if (rc)
		goto out;
	rc = 1;
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
	curl_global_cleanup();
	return rc;
}

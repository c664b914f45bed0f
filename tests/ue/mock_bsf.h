/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small BSF for the ue/ unit tests (libmicrohttpd on 127.0.0.1, its own thread): the Ub
 * side of TS 24.109 with core's AuC, so the UE's Ub client, its resync and MAC-failure
 * paths and its rspauth check can be tested in one process, plus test switches (403, 503,
 * a wrong rspauth, a foreign K) and a GBA Digest NAF on /naf. Not the project's BSF
 * (bsf/ is); integration tests use the real one.
 */
#ifndef GBA_TESTS_UE_MOCK_BSF_H
#define GBA_TESTS_UE_MOCK_BSF_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gba/aka.h>
#include <gba/identity.h>

enum mock_mode {
	MOCK_OK = 0,
	MOCK_403,
	MOCK_503,
	MOCK_BAD_RSPAUTH,
	MOCK_NO_AUTH_INFO,
};

struct mock_bsf {
	void *daemon;
	unsigned int port;
	char url[64];
	enum mock_mode mode;
	unsigned int lifetime;		/* seconds */
	unsigned int delay_ms;		/* wait before each 401 */
	struct gba_auc_sub sub;		/* the AuC's view of the subscriber */
	/* counters and the last bootstrap, for the assertions */
	unsigned int requests, challenges, resyncs, mac_failures, successes;
	bool have_boot;
	char btid[GBA_BTID_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];
	char user_agent[256];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];
	/* pending challenge */
	struct gba_av av;
	char nonce[128];
	/* NAF on /naf: 401 with realm 3GPP-bootstrapping@127.0.0.1 until a right answer */
	unsigned int naf_requests, naf_ok;
	bool naf_forget;		/* answer the next right Digest with 401 (unknown B-TID) */
};

/* Start on a free port with K/OPc of 'cred' and AuC SQN 'sqn'. 0 or -1. */
int mock_bsf_start(struct mock_bsf *m, const struct gba_aka_cred *cred, uint64_t sqn);
int mock_bsf_start_port(struct mock_bsf *m, const struct gba_aka_cred *cred, uint64_t sqn,
			unsigned int port);
void mock_bsf_stop(struct mock_bsf *m);

/* Ks_NAF of the last bootstrap for (fqdn, ua) the BSF way (what Zn would answer). */
int mock_bsf_ks_naf(const struct mock_bsf *m, const char *fqdn, const uint8_t ua[5],
		    uint8_t out[32]);

#endif /* GBA_TESTS_UE_MOCK_BSF_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A Zn SOAP endpoint for the naf/ tests (libmicrohttpd on 127.0.0.1, its own threads) that
 * answers from a table of bootstrap sessions with core's Zn codec and KDF: what gba-bsf
 * answers on Zn, without Ub/Zh. Test switches: a NAF FQDN it refuses (5402), a delay.
 * Integration tests use the real gba-bsf once it serves Zn.
 */
#ifndef GBA_TESTS_NAF_MOCK_ZN_H
#define GBA_TESTS_NAF_MOCK_ZN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gba/identity.h>
#include <gba/keys.h>

#define MOCK_ZN_SESS_MAX	16
#define MOCK_ZN_FORBIDDEN	"forbidden.example.org"	/* NAF not authorised (5402) */

struct mock_zn_sess {
	char btid[GBA_BTID_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];
	time_t expiry;
	bool gba_u;
};

struct mock_zn {
	void *daemon;
	unsigned int port;
	char url[64];
	unsigned int delay_ms;
	pthread_mutex_t lock;
	struct mock_zn_sess s[MOCK_ZN_SESS_MAX];
	unsigned int n;
	unsigned int requests, answers, faults;
};

/* Start on 'port' (0: any free port). 0 or -1. */
int mock_zn_start(struct mock_zn *m, unsigned int port);
void mock_zn_stop(struct mock_zn *m);

/* Add a session of 'impi' with a random RAND (and Ks if ks is NULL). The session or NULL. */
struct mock_zn_sess *mock_zn_add(struct mock_zn *m, const char *impi, const uint8_t *ks,
				 long lifetime, bool gba_u);

/* The key the BSF derives: Ks_(ext)_NAF, or Ks_int_NAF with 'uicc'. 0 or negative errno. */
int mock_zn_key(const struct mock_zn_sess *s, const char *fqdn, const uint8_t ua[5], bool uicc,
		uint8_t out[32]);

#endif /* GBA_TESTS_NAF_MOCK_ZN_H */

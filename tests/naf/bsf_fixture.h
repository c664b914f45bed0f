/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real gba-bsf as a fixture for the libgba-naf unit tests: a child process with the
 * built-in AuC, a fresh SQLite store and Zn over plain HTTP on 127.0.0.1, three
 * subscribers (GBA_ME, GBA_U, and GBA_ME with a 4-second key lifetime) bootstrapped over Ub
 * by the BSF tests' test UE (tests/bsf/tue.c), which derives Ks on its own side. The BSF's
 * Zn counters come from its /metrics, so the tests see what really reached the BSF.
 */
#ifndef GBA_TESTS_NAF_BSF_FIXTURE_H
#define GBA_TESTS_NAF_BSF_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <gba/identity.h>
#include <gba/keys.h>

#define BSF_FX_FORBIDDEN	"forbidden.example.org"	/* a NAF FQDN the ACL refuses (5402) */
#define BSF_FX_SHORT_LIFETIME	4			/* seconds, the third subscriber */

/* One bootstrap as the UE sees it. */
struct bsf_fx_sess {
	char btid[GBA_BTID_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];
	bool gba_u;
};

struct bsf_fx {
	pid_t pid;
	char dir[64];
	char ub_url[64], zn_url[64], metrics_url[64];
	unsigned int zn_port;
	struct bsf_fx_sess me, gu, shortlived;
};

/*
 * Start gba-bsf ($top_builddir/bsf/gba-bsf) authorising Zn for 'fqdns' (NULL-terminated)
 * and bootstrap the three subscribers. 0, or -1 with the reason on stderr.
 */
int bsf_fx_start(struct bsf_fx *f, const char *const *fqdns);

/* SIGTERM the BSF and wait for it (idempotent); bsf_fx_free() also removes its files. */
void bsf_fx_stop(struct bsf_fx *f);
void bsf_fx_free(struct bsf_fx *f);

/* Zn requests the BSF has counted with 'result' ("ok", "btid_unknown"..., NULL: all). */
long bsf_fx_zn_count(struct bsf_fx *f, const char *result);

/* The key the UE side derives: Ks_(ext)_NAF, or Ks_int_NAF with 'uicc'. 0 or negative errno. */
int bsf_fx_key(const struct bsf_fx_sess *s, const char *fqdn, const uint8_t ua[5], bool uicc,
	       uint8_t out[32]);

#endif /* GBA_TESTS_NAF_BSF_FIXTURE_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the Zn request path of gba-bsf (bsf/zn_http.c zn_process()): parse,
 * NAF authorisation, B-TID checks, session lookup and key derivation, with an in-memory
 * store holding one GBA_U session for B-TID AAECAwQFBgcICQoLDA0ODw==@bsf.fuzz.example.
 * Input: one byte choosing the NAF identity (naf1.test, naf2.test, both, none), then the
 * SOAP body. Every reply must be a status the design allows with a body, and a 200 only
 * for an authorised NAF and our live B-TID.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/log.h>
#include <gba/zn.h>

#include "bsf.h"
#include "zn_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bsf_config cfg;
static struct bsf bsf = { .cfg = &cfg };
static struct bsf_naf_acl acl[2];
static char *fq1[] = { "naf1.test", "naf1b.test" }, *fq2[] = { "*" };

static void setup(void)
{
	struct bsf_session s;
	uint8_t ks[GBA_KS_LEN] = { 1, 2, 3 };

	gba_log_set_level(GBA_LL_NONE);
	strcpy(cfg.fqdn, "bsf.fuzz.example");
	acl[0] = (struct bsf_naf_acl){ .id = "naf1.test", .fqdns = fq1, .n_fqdns = 2 };
	acl[1] = (struct bsf_naf_acl){ .id = "naf2.test", .fqdns = fq2, .n_fqdns = 1 };
	cfg.nafs = acl;
	cfg.n_nafs = 2;
	if (bsf_kek_load(&bsf.kek, "000102030405060708090a0b0c0d0e0f"
				   "101112131415161718191a1b1c1d1e1f", NULL, false) ||
	    bsf_store_open(&bsf.store, "sqlite::memory:"))
		abort();
	memset(&s, 0, sizeof(s));
	strcpy(s.btid, "AAECAwQFBgcICQoLDA0ODw==@bsf.fuzz.example");
	strcpy(s.impi, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	for (int i = 0; i < GBA_RAND_LEN; i++)
		s.rand[i] = (uint8_t)i;
	s.created = 1700000000;
	s.expires = 4000000000;
	s.gba_u = true;
	if (bsf_kek_seal(&bsf.kek, s.ks_blob, ks, s.btid) ||
	    bsf.store->ops->put_session(bsf.store, &s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = { "naf1.test", "naf2.test" };
	struct zn_reply r;
	size_t n_ids;
	const char *const *idp;

	if (!bsf.store)
		setup();
	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0: idp = ids; n_ids = 1; break;
	case 1: idp = ids + 1; n_ids = 1; break;
	case 2: idp = ids; n_ids = 2; break;
	default: idp = ids; n_ids = 0; break;
	}
	if (zn_process(&bsf, idp, n_ids, (const char *)data + 1, size - 1, &r))
		return 0;	/* out of memory only */
	if (!r.body || !r.body_len)
		abort();
	switch (r.status) {
	case 200:
		if (!n_ids || r.result != ZN_R_OK)
			abort();
		break;
	case 400: case 403: case 404: case 500:
		break;
	default:
		abort();
	}
	zn_reply_release(&r);
	return 0;
}

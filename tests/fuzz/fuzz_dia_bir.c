/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the BSF side of Zn over Diameter: raw bytes through gba_dia_parse()
 * (freeDiameter's parser, the dictionary and the BIR/BIA rules of diameter/), then the BIR
 * decoder of bsf/zn_dia.c and, for a decoded request, the NAF authorisation and lookup of
 * bsf/zn.c against an empty in-memory store with two Diameter NAFs (naf1.gba.test for
 * naf1.test, naf2.gba.test for any FQDN). A decoded request must be within its bounds and
 * can never yield keys here. Seeds: BIRs captured by tests/diameter/zn.sh, broken variants.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/log.h>
#include <gba/xmlutil.h>

#include "zn_dia.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bsf_config cfg;
static struct bsf bsf = { .cfg = &cfg };
static struct bsf_naf_acl acl[2];
static char *fq1[] = { "naf1.test" }, *fq2[] = { "*" };

static void setup(void)
{
	gba_log_set_level(GBA_LL_NONE);
	gba_xml_init();
	strcpy(cfg.fqdn, "bsf.test.example");
	acl[0] = (struct bsf_naf_acl){ NULL, fq1, 1, "naf1.gba.test" };
	acl[1] = (struct bsf_naf_acl){ NULL, fq2, 1, "naf2.gba.test" };
	cfg.nafs = acl;
	cfg.n_nafs = 2;
	if (gba_dia_init_offline() ||
	    bsf_kek_load(&bsf.kek, "000102030405060708090a0b0c0d0e0f"
				   "101112131415161718191a1b1c1d1e1f", NULL, false) ||
	    bsf_store_open(&bsf.store, "sqlite::memory:"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct bsf_naf_acl *a;
	struct gba_zn_request q;
	struct zn_result res;
	struct msg *m = NULL;
	char origin[256];
	const char *why;

	if (!bsf.store)
		setup();
	if (gba_dia_parse(data, size, &m))
		return 0;
	if (zn_dia_bir_decode(m, &q, origin, &why) == 0) {
		if (!origin[0] || strlen(q.btid) > GBA_BTID_MAX || q.naf_id_len <= GBA_UA_ID_LEN ||
		    q.naf_id_len > GBA_ZN_NAFID_MAX || q.n_gsid > GBA_ZN_GSID_MAX)
			abort();
		a = bsf_config_naf_dia(&cfg, origin);
		if (zn_lookup(&bsf, &a, 1, origin, &q, &res) == ZN_R_OK)
			abort();	/* the store is empty */
		zn_result_clear(&res);
	} else if (!why) {
		abort();
	}
	fd_msg_free(m);
	return 0;
}

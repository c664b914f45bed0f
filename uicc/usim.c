/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ADF.USIM (TS 31.102 clause 4.2) built from the profile: EF_IMSI, EF_AD (MNC length),
 * EF_UST (service 27 GSM access, 68 GBA), EF_GBABP (6FD6) and EF_GBANL (6FDA) on GBA_U
 * cards, and the usual mandatory EFs (LI, KEYS, KEYSPS, HPPLMN, EST, ACC, FPLMN, LOCI,
 * PSLOCI, START-HFN, THRESHOLD, NETPAR, ECC, EPSLOCI, EPSNSC) with their FIDs, SFIs and
 * access conditions.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/uicc_cmd.h>

#include "card.h"

/* RID A000000087, application code 1002 (USIM), the rest an example country/provider code */
const uint8_t uicc_usim_aid[16] = {
	0xa0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xff, 0xff, 0xff, 0xff, 0x89, 0x07, 0x09, 0x00, 0x00
};

#define UST_GSM_ACCESS	27
#define UST_LEN		9

static void service_on(uint8_t *table, unsigned int n)
{
	table[(n - 1) / 8] |= (uint8_t)(1u << ((n - 1) % 8));
}

#define ADD(fid, sfi, rd, upd, name, size, rl) \
	uicc_fs_add(c, adf, fid, (rl) ? UF_EF_LF : UF_EF_T, sfi, rd, upd, name, size, rl)

int uicc_usim_build(struct gba_uicc *c)
{
	const struct gba_profile *p = &c->prof;
	struct uicc_file *adf, *f;
	uint8_t ust[UST_LEN] = { 0 };

	adf = uicc_fs_add(c, c->mf, 0x7fff, UF_ADF, 0, ACC_ALW, ACC_ADM, "ADF.USIM", 0, 0);
	if (!adf)
		return -ENOMEM;
	adf->app = APP_USIM;
	memcpy(adf->aid, uicc_usim_aid, sizeof(uicc_usim_aid));
	adf->aid_len = sizeof(uicc_usim_aid);
	c->adf[APP_USIM] = adf;

	if (!(f = ADD(0x6f05, 0x02, ACC_ALW, ACC_PIN1, "EF_LI", 4, 0)))
		return -ENOMEM;
	uicc_ef_set(f, "en", 2);
	if (!(f = ADD(0x6f07, 0x07, ACC_PIN1, ACC_ADM, "EF_IMSI", 9, 0)))
		return -ENOMEM;
	if (gba_ef_imsi_encode(f->data, f->size, p->imsi) < 0)
		return -EINVAL;
	if (!(f = ADD(0x6f08, 0x08, ACC_PIN1, ACC_PIN1, "EF_KEYS", 33, 0)))
		return -ENOMEM;
	f->data[0] = 0x07;		/* no key set identifier */
	if (!(f = ADD(0x6f09, 0x09, ACC_PIN1, ACC_PIN1, "EF_KEYSPS", 33, 0)))
		return -ENOMEM;
	f->data[0] = 0x07;
	if (!(f = ADD(0x6f31, 0x12, ACC_PIN1, ACC_ADM, "EF_HPPLMN", 1, 0)))
		return -ENOMEM;
	f->data[0] = 0x0a;		/* 10 x 6 minutes */
	if (p->gsm_access)
		service_on(ust, UST_GSM_ACCESS);
	if (p->gba && p->gba_u)
		service_on(ust, GBA_UST_GBA);
	if (!(f = ADD(0x6f38, 0x04, ACC_PIN1, ACC_ADM, "EF_UST", UST_LEN, 0)))
		return -ENOMEM;
	uicc_ef_set(f, ust, UST_LEN);
	if (!(f = ADD(0x6f56, 0x05, ACC_PIN1, ACC_PIN1, "EF_EST", 1, 0)))
		return -ENOMEM;
	f->data[0] = 0x00;
	if (!(f = ADD(0x6f78, 0x06, ACC_PIN1, ACC_ADM, "EF_ACC", 2, 0)))
		return -ENOMEM;
	/* access class from the last IMSI digit (TS 22.011 4.2) */
	{
		unsigned int d = (unsigned int)(p->imsi[strlen(p->imsi) - 1] - '0') % 10;
		uint16_t acc = (uint16_t)(1u << d);

		f->data[0] = (uint8_t)(acc >> 8);
		f->data[1] = (uint8_t)acc;
	}
	if (!ADD(0x6f7b, 0x0d, ACC_PIN1, ACC_PIN1, "EF_FPLMN", 12, 0))
		return -ENOMEM;
	if (!(f = ADD(0x6f7e, 0x0b, ACC_PIN1, ACC_PIN1, "EF_LOCI", 11, 0)))
		return -ENOMEM;
	memcpy(f->data + 4, "\xff\xff\xff\xff\xfe\x00\x01", 7);	/* LAI deleted, not updated */
	if (!(f = ADD(0x6f73, 0x0c, ACC_PIN1, ACC_PIN1, "EF_PSLOCI", 14, 0)))
		return -ENOMEM;
	memcpy(f->data + 7, "\xff\xff\xfe\x00\x00\x00\x01", 7);
	if (!(f = ADD(0x6f5b, 0x0f, ACC_PIN1, ACC_PIN1, "EF_START-HFN", 6, 0)))
		return -ENOMEM;
	memcpy(f->data, "\xf0\x00\x00\xf0\x00\x00", 6);
	if (!ADD(0x6f5c, 0x10, ACC_PIN1, ACC_ADM, "EF_THRESHOLD", 3, 0))
		return -ENOMEM;
	if (!ADD(0x6fc4, 0x00, ACC_PIN1, ACC_PIN1, "EF_NETPAR", 16, 0))
		return -ENOMEM;
	if (!(f = ADD(0x6fb7, 0x01, ACC_ALW, ACC_ADM, "EF_ECC", 3 * 4, 4)))
		return -ENOMEM;
	memcpy(f->data, "\x11\xf2\xff\x00", 4);		/* 112 */
	if (!(f = ADD(0x6fad, 0x03, ACC_ALW, ACC_ADM, "EF_AD", 4, 0)))
		return -ENOMEM;
	memcpy(f->data, "\x00\x00\x00", 3);
	f->data[3] = (uint8_t)p->mnc_len;
	if (!(f = ADD(0x6fe3, 0x1e, ACC_PIN1, ACC_PIN1, "EF_EPSLOCI", 18, 0)))
		return -ENOMEM;
	f->data[17] = 0x01;
	if (!ADD(0x6fe4, 0x18, ACC_PIN1, ACC_PIN1, "EF_EPSNSC", 54, 54))
		return -ENOMEM;
	if (p->msisdn[0]) {
		/* EF_MSISDN record (TS 31.102 4.2.26 / 51.011 10.5.5): 14 bytes, no alpha id */
		size_t n = strlen(p->msisdn);
		const char *d = p->msisdn[0] == '+' ? p->msisdn + 1 : p->msisdn;

		if (!(f = ADD(0x6f40, 0x00, ACC_PIN1, ACC_PIN1, "EF_MSISDN", 14, 14)))
			return -ENOMEM;
		n = strlen(d);
		f->data[0] = (uint8_t)(1 + (n + 1) / 2);
		f->data[1] = p->msisdn[0] == '+' ? 0x91 : 0x81;
		uicc_bcd_swapped(f->data + 2, 10, d);
	}
	if (p->gba && p->gba_u) {
		if (!(f = ADD(0x6fd6, 0x00, ACC_PIN1, ACC_PIN1, "EF_GBABP", UICC_GBABP_SIZE, 0)))
			return -ENOMEM;
		memset(f->data, 0, 3);	/* empty RAND, B-TID and lifetime */
		if (!ADD(0x6fda, 0x00, ACC_PIN1, ACC_ADM, "EF_GBANL",
			 UICC_GBANL_RECS * UICC_GBANL_REC_LEN, UICC_GBANL_REC_LEN))
			return -ENOMEM;
	}
	return 0;
}

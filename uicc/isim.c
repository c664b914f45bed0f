/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ADF.ISIM (TS 31.103 clause 4.2) built from the profile: EF_IMPI (6F02, tag 80),
 * EF_DOMAIN (6F03), EF_IMPU (6F04, one record per IMPU), EF_AD, EF_IST (service 2 = GBA on
 * GBA_U cards) and EF_GBABP (6FD5) / EF_GBANL (6FD7).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gba/uicc_cmd.h>

#include "card.h"

const uint8_t uicc_isim_aid[16] = {
	0xa0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04, 0xff, 0xff, 0xff, 0xff, 0x89, 0x07, 0x09, 0x00, 0x00
};

/* "80 L value" padded with FF into an EF body or record (TS 31.103 4.2.2-4.2.4) */
static int tlv80(uint8_t *out, size_t size, const char *v)
{
	return gba_isim_nai_build(out, size, v, true) < 0 ? -EINVAL : 0;
}

#define ADD(fid, sfi, rd, upd, name, size, rl) \
	uicc_fs_add(c, adf, fid, (rl) ? UF_EF_LF : UF_EF_T, sfi, rd, upd, name, size, rl)

int uicc_isim_build(struct gba_uicc *c)
{
	const struct gba_profile *p = &c->prof;
	struct uicc_file *adf, *f;
	const char *at = strchr(p->impi, '@');
	char impu0[300];
	const char *domain = p->domain[0] ? p->domain : (at ? at + 1 : "");
	size_t i, n_impu = p->n_impu, rl = 64, sz;

	if (!p->impi[0])
		return -EINVAL;
	adf = uicc_fs_add(c, c->mf, 0x7fff, UF_ADF, 0, ACC_ALW, ACC_ADM, "ADF.ISIM", 0, 0);
	if (!adf)
		return -ENOMEM;
	adf->app = APP_ISIM;
	memcpy(adf->aid, uicc_isim_aid, sizeof(uicc_isim_aid));
	adf->aid_len = sizeof(uicc_isim_aid);
	c->adf[APP_ISIM] = adf;

	sz = strlen(p->impi) + 3;
	if (!(f = ADD(0x6f02, 0x02, ACC_PIN1, ACC_ADM, "EF_IMPI", sz, 0)))
		return -ENOMEM;
	if (tlv80(f->data, f->size, p->impi))
		return -EINVAL;
	sz = strlen(domain) + 3;
	if (!(f = ADD(0x6f03, 0x05, ACC_PIN1, ACC_ADM, "EF_DOMAIN", sz, 0)))
		return -ENOMEM;
	if (tlv80(f->data, f->size, domain))
		return -EINVAL;

	if (!n_impu)
		snprintf(impu0, sizeof(impu0), "sip:%s", p->impi);
	for (i = 0; i < n_impu; i++)
		if (strlen(p->impu[i]) + 3 > rl)
			rl = strlen(p->impu[i]) + 3;
	if (!n_impu && strlen(impu0) + 3 > rl)
		rl = strlen(impu0) + 3;
	if (rl > 255)
		return -EINVAL;
	if (!(f = ADD(0x6f04, 0x04, ACC_PIN1, ACC_ADM, "EF_IMPU", (n_impu ? n_impu : 1) * rl,
		      (uint8_t)rl)))
		return -ENOMEM;
	for (i = 0; i < (n_impu ? n_impu : 1); i++)
		if (tlv80(f->data + i * rl, rl, n_impu ? p->impu[i] : impu0))
			return -EINVAL;

	if (!(f = ADD(0x6fad, 0x03, ACC_ALW, ACC_ADM, "EF_AD", 4, 0)))
		return -ENOMEM;
	memcpy(f->data, "\x00\x00\x00", 3);
	f->data[3] = (uint8_t)p->mnc_len;
	if (!(f = ADD(0x6f07, 0x07, ACC_PIN1, ACC_ADM, "EF_IST", 1, 0)))
		return -ENOMEM;
	f->data[0] = (p->gba && p->gba_u) ? (uint8_t)(1u << (GBA_IST_GBA - 1)) : 0x00;
	if (p->gba && p->gba_u) {
		if (!(f = ADD(0x6fd5, 0x00, ACC_PIN1, ACC_PIN1, "EF_GBABP", UICC_GBABP_SIZE, 0)))
			return -ENOMEM;
		memset(f->data, 0, 3);
		if (!ADD(0x6fd7, 0x00, ACC_PIN1, ACC_ADM, "EF_GBANL",
			 UICC_GBANL_RECS * UICC_GBANL_REC_LEN, UICC_GBANL_REC_LEN))
			return -ENOMEM;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the soft UICC's APDU dispatcher fed arbitrary APDU sequences.
 * Input: one flags byte (bit 0 PIN1 enabled, 1 no GBA_U, 2 no ISIM, 3 ind_bitlen 5,
 * 4 XOR instead of MILENAGE), then records "L | L bytes of C-APDU"; L = 0 is a card reset.
 * The card is built from TS 35.208 set 1 with the state in memory only (no file, no fsync),
 * so seeds holding set 1's AUTN reach GBA bootstrapping and NAF derivation.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>
#include <gba/uicc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void profile(struct gba_profile *p, uint8_t flags)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->name, "fuzz");
	strcpy(p->iccid, "8988211000000000001");
	strcpy(p->imsi, "001010000000001");
	p->mnc_len = 2;
	p->cred.alg = (flags & 0x10) ? GBA_AKA_XOR : GBA_AKA_MILENAGE;
	gba_hex_decode(p->cred.k, 16, "465b5ce8b199b49faa5f0a2ee238a6bc");
	gba_hex_decode(p->cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	p->ind_bitlen = (flags & 0x08) ? 5 : 0;
	strcpy(p->impi, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	p->isim = !(flags & 0x04);
	p->gba = true;
	p->gba_u = !(flags & 0x02);
	p->gsm_access = true;
	strcpy(p->pin1, "1234");
	p->pin1_enabled = flags & 0x01;
	strcpy(p->puk1, "12345678");
	strcpy(p->adm1, "3838383838383838");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_uicc_opts o = { 0 };
	struct gba_profile p;
	struct gba_uicc *card = NULL;
	uint8_t r[GBA_UICC_RAPDU_MAX];
	char err[200];
	size_t off = 1;

	if (size < 1)
		return 0;
	gba_log_set_level(GBA_LL_NONE);	/* wrong PINs and stale SQNs are the normal case here */
	profile(&p, data[0]);
	if (gba_uicc_new(&card, &p, &o, err, sizeof(err)))
		__builtin_trap();	/* the fixed profile must always load */
	while (off < size) {
		size_t l = data[off++], rl;

		if (l > size - off)
			l = size - off;
		if (l == 0) {
			gba_uicc_reset(card);
			continue;
		}
		rl = gba_uicc_apdu(card, data + off, l, r);
		if (rl < 2 || rl > GBA_UICC_RAPDU_MAX)
			__builtin_trap();
		off += l;
	}
	gba_uicc_free(card);
	gba_zeroize(&p, sizeof(p));
	return 0;
}

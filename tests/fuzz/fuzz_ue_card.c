/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: libgba-ue's card logic against a hostile card. The input is the card's
 * side of the session, a sequence of R-APDUs (one length byte, then data || SW), handed out
 * one per C-APDU the UE sends; after the input runs out the card is "removed". The UE
 * identifies the card, reads EF_GBABP, runs AKA in both contexts, derives a NAF key and
 * writes EF_GBABP: nothing may crash, hang or leak whatever the card answers.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <gba/log.h>
#include <gba/ue.h>

#include "ue_priv.h"

struct feed {
	const uint8_t *p;
	size_t left;
};

static int card(void *ctx, const uint8_t *c, size_t clen, uint8_t *r, size_t *rlen)
{
	struct feed *f = ctx;
	size_t n;

	if (!f->left)
		return -ENOMEDIUM;
	n = f->p[0];
	f->p++;
	f->left--;
	if (n > f->left)
		n = f->left;
	if (n > *rlen)
		return -ENOSPC;
	memcpy(r, f->p, n);
	*rlen = n;
	f->p += n;
	f->left -= n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* TS 35.208 test set 1 RAND and AUTN: a real card answers them */
	static const uint8_t rand[16] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
					  0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
	static const uint8_t autn[16] = { 0x55, 0xf3, 0x28, 0xb4, 0x35, 0x77, 0xb9, 0xb9,
					  0x4a, 0x9f, 0xfa, 0xc3, 0x54, 0xdf, 0xaf, 0xb3 };
	static const uint8_t naf_id[] = "n.example\1\0\0\0\2";
	struct gba_ue_opts o = { .no_cache = true, .bsf_url = "http://127.0.0.1:1/", .pin = "1234" };
	struct feed f = { data, size };
	struct gba_ue_card_info info;
	struct gba_ue *ue = NULL;
	struct ue_aka a;
	uint8_t key[32];

	gba_log_set_level(GBA_LL_NONE);
	if (gba_ue_open_apdu(&ue, card, &f, &o) == 0) {
		gba_ue_card_info(ue, &info);
		ue_card_boot_load(ue, time(NULL));
		ue_card_aka(ue, true, rand, autn, &a);
		ue_card_aka(ue, false, rand, autn, &a);
		ue_card_naf(ue, naf_id, sizeof(naf_id) - 1, "x@y", key);
		ue_card_gbabp_write(ue, rand, "AQAAAAAAAAAAAAAAAAAAAA==@b.example",
				    "2030-01-01T00:00:00Z");
		gba_ue_verify_pin(ue, "0000");
	}
	gba_ue_free(ue);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-uicc --trace: one readable line per C-APDU and per R-APDU, with the command name and
 * the status word explained. PIN blocks and the key material of AUTHENTICATE answers (RES,
 * CK, IK, Kc, Ks_ext_NAF: every value of a DB L v L v ... answer) are printed as "**" unless
 * key debugging was asked for (--debug-keys). RAND, AUTN and AUTS are not secret.
 */
#include "config.h"

#include <stdio.h>

#include <gba/apdu.h>
#include <gba/uicc_cmd.h>
#include <gba/uicc.h>

static const char *ins_name(uint8_t ins)
{
	switch (ins) {
	case GBA_INS_SELECT: return "SELECT";
	case GBA_INS_STATUS: return "STATUS";
	case GBA_INS_READ_BINARY: return "READ BINARY";
	case GBA_INS_UPDATE_BINARY: return "UPDATE BINARY";
	case GBA_INS_READ_RECORD: return "READ RECORD";
	case GBA_INS_UPDATE_RECORD: return "UPDATE RECORD";
	case GBA_INS_VERIFY: return "VERIFY PIN";
	case GBA_INS_CHANGE_PIN: return "CHANGE PIN";
	case 0x26: return "DISABLE PIN";
	case 0x28: return "ENABLE PIN";
	case GBA_INS_UNBLOCK_PIN: return "UNBLOCK PIN";
	case GBA_INS_AUTHENTICATE: return "AUTHENTICATE";
	case GBA_INS_GET_RESPONSE: return "GET RESPONSE";
	case GBA_INS_MANAGE_CHANNEL: return "MANAGE CHANNEL";
	case 0x10: return "TERMINAL PROFILE";
	default: return "?";
	}
}

static void hex(FILE *f, const uint8_t *b, size_t n, const uint8_t *mask)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, mask && mask[i] ? " **" : " %02X", b[i]);
}

void gba_uicc_trace(FILE *f, const uint8_t *capdu, size_t clen, const uint8_t *rapdu, size_t rlen,
		    bool secret, bool show_keys)
{
	uint8_t mask[GBA_UICC_RAPDU_MAX + 8] = { 0 }, cmask[GBA_CAPDU_SHORT_MAX_LEN + 8] = { 0 };
	char sw[96];
	size_t i;

	if (clen >= 4) {
		uint8_t ins = capdu[1];

		/* PIN blocks: everything after the 5-byte header */
		if (!show_keys && (ins == GBA_INS_VERIFY || ins == GBA_INS_CHANGE_PIN || ins == 0x26 ||
				   ins == 0x28 || ins == GBA_INS_UNBLOCK_PIN))
			for (i = 5; i < clen && i < sizeof(cmask); i++)
				cmask[i] = 1;
		fprintf(f, "C-APDU:");
		hex(f, capdu, clen, clen <= sizeof(cmask) ? cmask : NULL);
		fprintf(f, "  (%s)\n", ins_name(ins));
	}
	if (rlen < 2)
		return;
	/* DB L v L v ...: mask each value, keep tags and lengths */
	if (secret && !show_keys && rlen > 2 && rapdu[0] == GBA_AUTH_TAG_OK &&
	    rlen <= sizeof(mask)) {
		i = 1;
		while (i < rlen - 2) {
			size_t l = rapdu[i], j;

			for (j = i + 1; j <= i + l && j < rlen - 2; j++)
				mask[j] = 1;
			i += 1 + l;
		}
	}
	gba_sw_describe(sw, sizeof(sw), (uint16_t)(rapdu[rlen - 2] << 8 | rapdu[rlen - 1]));
	fprintf(f, "R-APDU:");
	hex(f, rapdu, rlen, mask);
	fprintf(f, "  (%s)\n", sw);
	fflush(f);
}

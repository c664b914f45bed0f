/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the card side of apdu/: C-APDU decoding (every case,
 * short and extended) and the command parsers a card runs on it (SELECT,
 * READ/UPDATE BINARY/RECORD, PIN commands, AUTHENTICATE). A decoded C-APDU
 * encodes back to exactly the input bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/uicc_cmd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[GBA_CAPDU_MAX_LEN];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_capdu c;
	struct gba_select_cmd s;
	struct gba_file_cmd f;
	struct gba_pin_cmd p;
	struct gba_auth_cmd a;
	const char *why = NULL;
	int n;

	if (gba_capdu_decode(&c, data, size, &why) < 0) {
		if (!why)
			abort();	/* every refusal has a reason */
		return 0;
	}
	n = gba_capdu_encode(out, sizeof(out), &c);
	if (n != (int)size || memcmp(out, data, size))
		abort();
	gba_cla_channel(c.cla);
	if (gba_select_cmd_parse(&s, &c) == 0 && s.aid_len > GBA_AID_MAX)
		abort();
	if (gba_file_cmd_parse(&f, &c) == 0 && f.data && f.len != c.nc)
		abort();
	if (gba_pin_cmd_parse(&p, &c) == 0 && (strlen(p.pin) > GBA_PIN_MAX ||
						 strlen(p.new_pin) > GBA_PIN_MAX))
		abort();
	gba_zeroize(&p, sizeof(p));
	if (gba_auth_cmd_parse(&a, &c) == 0 && a.mode == GBA_AUTH_GBA_NAF &&
	    3 + a.naf_id_len + a.impi_len != c.nc)
		abort();
	return 0;
}

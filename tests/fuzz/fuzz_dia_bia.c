/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the NAF side of Zn over Diameter: raw bytes through gba_dia_parse()
 * (freeDiameter's parser, the dictionary and the BIR/BIA rules of diameter/), then the BIA
 * decoder of naf/zn_dia.c that fills the answer the key cache stores. A decoded answer must
 * hold a NUL-terminated IMPI, a mode and a GBA type in range and a USS without NUL bytes; an
 * error must be one of the errno values <gba/naf.h> documents. Seeds: BIAs captured by
 * tests/diameter/zn.sh (GBA_ME, GBA_U with and without Ks_int_NAF, 5402, 5403), broken ones.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/log.h>

#include "dia.h"
#include "naf_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct naf_zn_result r;
	struct msg *m = NULL;

	if (!ready) {
		gba_log_set_level(GBA_LL_NONE);
		if (gba_dia_init_offline())
			abort();
		ready = 1;
	}
	if (gba_dia_parse(data, size, &m))
		return 0;
	switch (naf_zn_dia_decode(m, &r)) {
	case 0:
		if (strnlen(r.a.impi, sizeof(r.a.impi)) == sizeof(r.a.impi) ||
		    r.a.uicc_me > GBA_ZN_UICC_ME_GBA_U || r.a.gba_type > GBA_ZN_TYPE_2G ||
		    (r.a.uss && !r.a.uss[0]))
			abort();
		break;
	case -ENOENT: case -EACCES: case -EIO: case -EPROTO: case -EHOSTUNREACH: case -ENOMEM:
		break;
	default:
		abort();
	}
	gba_zn_answer_clear(&r.a);
	fd_msg_free(m);
	return 0;
}

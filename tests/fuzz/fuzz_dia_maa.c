/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: raw Diameter bytes through gba_dia_parse() (freeDiameter's parser, the
 * Zh/Zn dictionary and the MAR/MAA rules of diameter/) and, when they parse, through
 * zh_dia_maa_parse() of bsf/zh_dia.c, the code that turns an answer into a Zh vector and
 * GUSS settings. The low bit of the first byte after the header picks the resync flag.
 * Seeds: MAA and MAR captured by tests/diameter/zh.sh, plus broken variants.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <gba/keys.h>
#include <gba/log.h>
#include <gba/xmlutil.h>

#include "dia.h"
#include "zh_dia.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct zh_result res;
	struct msg *m = NULL;

	if (!ready) {
		gba_log_set_level(GBA_LL_NONE);
		gba_xml_init();
		if (gba_dia_init_offline())
			abort();
		ready = 1;
	}
	if (gba_dia_parse(data, size, &m))
		return 0;
	zh_dia_maa_parse(m, size > 20 && (data[20] & 1), &res);
	if (res.rc == 0 && (res.av.xres_len < GBA_RES_MIN_LEN || res.av.xres_len > GBA_RES_MAX_LEN))
		abort();
	gba_zeroize(&res, sizeof(res));
	fd_msg_free(m);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the BootstrappingInfo parser (core/bsfxml.c): parse the
 * input; when it is accepted, build it again and check that the rebuilt body
 * parses to the same B-TID and lifetime.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/bsfxml.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_bootinfo bi, back;
	char err[128];
	size_t len;
	char *out;

	if (gba_bootinfo_parse(&bi, (const char *)data, size, err, sizeof(err)) < 0)
		return 0;
	if (gba_bootinfo_build(&out, &len, &bi) < 0)
		abort();	/* whatever the parser accepts must be sendable */
	if (gba_bootinfo_parse(&back, out, len, err, sizeof(err)) < 0 ||
	    strcmp(back.btid, bi.btid) || back.lifetime != bi.lifetime)
		abort();
	free(out);
	return 0;
}

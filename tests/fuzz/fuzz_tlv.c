/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for apdu/tlv.c: nested BER-TLV iteration (bounded depth),
 * lookups, LV strings, and writing back every object parsed, which must give
 * an object that parses to the same tag and value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/tlv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH	8

static uint8_t out[70000];

static void walk(const uint8_t *buf, size_t len, int depth)
{
	struct gba_tlv_iter it;
	struct gba_tlv t, u;
	int rc, n;

	gba_tlv_iter_init(&it, buf, len);
	while ((rc = gba_tlv_next(&it, &t)) > 0) {
		if (t.val < buf || t.val + t.len > buf + len)
			abort();
		n = gba_tlv_put(out, sizeof(out), t.tag, t.val, t.len);
		if (n < 0 || gba_tlv_parse(&u, out, (size_t)n) != n || u.tag != t.tag ||
		    u.len != t.len || memcmp(u.val, t.val, t.len))
			abort();
		if (depth < MAX_DEPTH && gba_tlv_is_constructed(t.tag))
			walk(t.val, t.len, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t path[] = { 0x62, 0xa5, 0x80 };
	const uint8_t *p = data, *v;
	size_t left = size, vl;
	struct gba_tlv t;

	walk(data, size, 0);
	gba_tlv_find(&t, data, size, 0x80);
	gba_tlv_find_path(&t, data, size, path, 3);
	while (gba_lv_next(&p, &left, &v, &vl) > 0)
		if (v + vl > data + size)
			abort();
	gba_is_erased(data, size);
	return 0;
}

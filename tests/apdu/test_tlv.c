/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for apdu/tlv.c: BER-TLV parse/iterate/find/write, LV strings, malformed input. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/tlv.h>

#include "apdu_test.h"

START_TEST(tlv_forms)
{
	uint8_t b[400];
	struct gba_tlv t;
	size_t n;

	n = hx(b, sizeof(b), "83026fd6");
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(gba_tlv_parse(&t, b, n), 4);
	ck_assert_int_eq(t.tag, 0x83);
	ck_assert_uint_eq(t.len, 2);
	ck_assert_uint_eq(t.hdr_len, 2);
	ck_assert_ptr_eq(t.val, b + 2);
	/* two-byte tag, 81 length */
	memset(b, 0x11, sizeof(b));
	b[0] = 0x9f; b[1] = 0x70; b[2] = 0x81; b[3] = 0x80;
	ck_assert_int_eq(gba_tlv_parse(&t, b, 4 + 0x80), 4 + 0x80);
	ck_assert_int_eq(t.tag, 0x9f70);
	ck_assert_uint_eq(t.len, 0x80);
	/* 82 length */
	b[0] = 0x80; b[1] = 0x82; b[2] = 0x01; b[3] = 0x00;
	ck_assert_int_eq(gba_tlv_parse(&t, b, 4 + 256), 4 + 256);
	ck_assert_uint_eq(t.len, 256);
	ck_assert(gba_tlv_is_constructed(0x62));
	ck_assert(gba_tlv_is_constructed(0x7f49));
	ck_assert(!gba_tlv_is_constructed(0x9f70));
	ck_assert(!gba_tlv_is_constructed(0x80));
}
END_TEST

START_TEST(tlv_write_roundtrip)
{
	static const uint16_t tags[] = { 0x80, 0x62, 0x5f20, 0x9f70, 0xc6 };
	static const size_t lens[] = { 0, 1, 0x7f, 0x80, 0xff, 0x100, 0x1234 };
	static uint8_t val[0x1234], out[0x1240];
	struct gba_tlv t;
	size_t i, j;

	memset(val, 0x5a, sizeof(val));
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			int n = gba_tlv_put(out, sizeof(out), tags[i], val, lens[j]);

			ck_assert_int_eq(n, (int)(gba_tlv_hdr_len(tags[i], lens[j]) + lens[j]));
			ck_assert_int_eq(gba_tlv_parse(&t, out, (size_t)n), n);
			ck_assert_int_eq(t.tag, tags[i]);
			ck_assert_uint_eq(t.len, lens[j]);
		}
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0x00, val, 1), -EINVAL);
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0xff, val, 1), -EINVAL);
	/* 80 is a 1-byte tag; 9F 05: second byte < 1F */
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0x8012, val, 1), -EINVAL);
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0x9f05, val, 1), -EINVAL);
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0x9f85, val, 1), -EINVAL);	/* 3-byte */
	ck_assert_int_eq(gba_tlv_put(out, 2, 0x80, val, 1), -ENOSPC);
	ck_assert_int_eq(gba_tlv_put(out, 1, 0x80, val, 1), -ENOSPC);
	ck_assert_int_eq(gba_tlv_put_hdr(out, sizeof(out), 0x80, 0x10000), -E2BIG);
	ck_assert_int_eq(gba_tlv_put(out, sizeof(out), 0x80, NULL, 1), -EINVAL);
}
END_TEST

START_TEST(tlv_iterate_nested)
{
	/* FCP with padding 00 between objects and FF after */
	uint8_t b[64];
	size_t n = hx(b, sizeof(b), "621682024121830265f0" "00" "a50380010a" "8a0105" "c603900170"
		      "ffff");
	static const uint16_t path[] = { 0x62, 0xa5, 0x80 };
	struct gba_tlv_iter it;
	struct gba_tlv t, top;
	uint16_t seen[8];
	int k = 0, rc;

	gba_tlv_iter_init(&it, b, n);
	ck_assert_int_eq(gba_tlv_next(&it, &top), 1);
	ck_assert_int_eq(top.tag, 0x62);
	ck_assert_int_eq(gba_tlv_next(&it, &t), 0);	/* FF padding ends it */
	gba_tlv_iter_init_nested(&it, &top);
	while ((rc = gba_tlv_next(&it, &t)) > 0 && k < 8)
		seen[k++] = t.tag;
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(k, 5);
	ck_assert_int_eq(seen[0], 0x82);
	ck_assert_int_eq(seen[2], 0xa5);
	ck_assert_int_eq(seen[4], 0xc6);
	ck_assert_int_eq(gba_tlv_find_path(&t, b, n, path, 3), 0);
	ck_assert_uint_eq(t.len, 1);
	ck_assert_int_eq(t.val[0], 0x0a);
	ck_assert_int_eq(gba_tlv_find(&t, top.val, top.len, 0x8a), 0);
	ck_assert_int_eq(t.val[0], 0x05);
	ck_assert_int_eq(gba_tlv_find(&t, top.val, top.len, 0x84), -ENOENT);
	/* 83 is primitive: cannot descend */
	{
		static const uint16_t bad[] = { 0x62, 0x83, 0x00 };

		ck_assert_int_eq(gba_tlv_find_path(&t, b, n, bad, 3), -EINVAL);
	}
	ck_assert_int_eq(gba_tlv_find_path(&t, b, n, path, 0), -EINVAL);
	ck_assert_int_eq(gba_tlv_find_path(&t, b, n, path, 9), -EINVAL);
}
END_TEST

START_TEST(tlv_malformed)
{
	static const char *const bad[] = {
		"",		/* empty */
		"00",		/* tag 00 */
		"ff",		/* tag FF */
		"80",		/* no length */
		"8002aa",	/* value cut short */
		"8080",		/* indefinite length */
		"8083000001",	/* 83: 3-byte length */
		"8081",		/* 81 without its byte */
		"808201",	/* 82 with one byte */
		"9f",		/* 2-byte tag cut */
		"9f8101",	/* 3-byte tag */
		"9f0500",	/* second tag byte < 1F */
		"62820100aa",	/* 82 0100 past the end */
	};
	uint8_t b[16];
	struct gba_tlv t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = hx(b, sizeof(b), bad[i]);

		ck_assert_msg(gba_tlv_parse(&t, b, n) == -EINVAL, "accepted %s", bad[i]);
	}
	ck_assert_int_eq(gba_tlv_parse(&t, NULL, 3), -EINVAL);
	/* iterator stops and stays at the end after an error */
	{
		struct gba_tlv_iter it;
		size_t n = hx(b, sizeof(b), "800101" "8005aa");

		gba_tlv_iter_init(&it, b, n);
		ck_assert_int_eq(gba_tlv_next(&it, &t), 1);
		ck_assert_int_eq(gba_tlv_next(&it, &t), -EINVAL);
		ck_assert_int_eq(gba_tlv_next(&it, &t), 0);
		ck_assert_int_eq(gba_tlv_find(&t, b, n, 0x81), -EINVAL);
	}
}
END_TEST

START_TEST(lv_strings)
{
	uint8_t b[32];
	const uint8_t *p = b, *v;
	size_t left, vl;

	left = hx(b, sizeof(b), "03616263" "00" "0141");
	ck_assert_int_eq(gba_lv_next(&p, &left, &v, &vl), 1);
	ck_assert_uint_eq(vl, 3);
	ck_assert_mem_eq(v, "abc", 3);
	ck_assert_int_eq(gba_lv_next(&p, &left, &v, &vl), 1);
	ck_assert_uint_eq(vl, 0);
	ck_assert_int_eq(gba_lv_next(&p, &left, &v, &vl), 1);
	ck_assert_int_eq(v[0], 'A');
	ck_assert_int_eq(gba_lv_next(&p, &left, &v, &vl), 0);
	p = b;
	left = hx(b, sizeof(b), "0561");
	ck_assert_int_eq(gba_lv_next(&p, &left, &v, &vl), -EINVAL);
	ck_assert_int_eq(gba_lv_put(b, sizeof(b), (const uint8_t *)"xyz", 3), 4);
	ck_assert_int_eq(b[0], 3);
	ck_assert_int_eq(gba_lv_put(b, 3, (const uint8_t *)"xyz", 3), -ENOSPC);
	ck_assert_int_eq(gba_lv_put(b, sizeof(b), b, 256), -E2BIG);
	ck_assert(gba_is_erased((const uint8_t *)"\xff\xff", 2));
	ck_assert(!gba_is_erased((const uint8_t *)"\xff\x00", 2));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tlv");
	TCase *tc = tcase_create("tlv");

	tcase_add_test(tc, tlv_forms);
	tcase_add_test(tc, tlv_write_roundtrip);
	tcase_add_test(tc, tlv_iterate_nested);
	tcase_add_test(tc, tlv_malformed);
	tcase_add_test(tc, lv_strings);
	suite_add_tcase(s, tc);
	return run_suite(s);
}

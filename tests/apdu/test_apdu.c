/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for apdu/apdu.c and apdu/sw.c: C-APDU cases 1-4 short/extended, R-APDU, CLA, SW. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>

#include "apdu_test.h"

/* Encode 'c', compare with 'hex', decode back and compare the fields. */
static void roundtrip(const struct gba_capdu *c, const char *hex, enum gba_apdu_case cs)
{
	static uint8_t want[GBA_CAPDU_MAX_LEN], got[GBA_CAPDU_MAX_LEN];
	size_t wl = hx(want, sizeof(want), hex);
	struct gba_capdu d;
	const char *why = "x";
	int n;

	n = gba_capdu_encode(got, sizeof(got), c);
	ck_assert_int_eq(n, (int)wl);
	ck_assert_int_eq(gba_capdu_len(c), n);
	ck_assert_mem_eq(got, want, wl);
	ck_assert_int_eq(gba_capdu_decode(&d, got, (size_t)n, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(d.cla, c->cla);
	ck_assert_int_eq(d.ins, c->ins);
	ck_assert_int_eq(d.p1, c->p1);
	ck_assert_int_eq(d.p2, c->p2);
	ck_assert_uint_eq(d.nc, c->nc);
	ck_assert_uint_eq(d.ne, c->ne);
	if (c->nc)
		ck_assert_mem_eq(d.data, c->data, c->nc);
	ck_assert_int_eq(gba_capdu_case(&d), cs);
}

START_TEST(capdu_short_cases)
{
	const uint8_t aid[7] = { 0xa0, 0, 0, 0, 0x87, 0x10, 0x02 };
	struct gba_capdu c1 = { .cla = 0x00, .ins = 0x70, .p1 = 0x80, .p2 = 0x01 };
	struct gba_capdu c2 = { .cla = 0x00, .ins = 0xb0, .ne = 256 };
	struct gba_capdu c2b = { .cla = 0x80, .ins = 0xf2, .p2 = 0x00, .ne = 0x1a };
	struct gba_capdu c3 = { .ins = 0xa4, .p1 = 4, .p2 = 0x0c, .data = aid, .nc = 7 };
	struct gba_capdu c4 = { .ins = 0xa4, .p1 = 4, .p2 = 0x04, .data = aid, .nc = 7, .ne = 256 };

	roundtrip(&c1, "00708001", GBA_APDU_CASE_1);
	roundtrip(&c2, "00b0000000", GBA_APDU_CASE_2);
	roundtrip(&c2b, "80f200001a", GBA_APDU_CASE_2);
	roundtrip(&c3, "00a4040c07a0000000871002", GBA_APDU_CASE_3);
	roundtrip(&c4, "00a4040407a000000087100200", GBA_APDU_CASE_4);
}
END_TEST

START_TEST(capdu_extended_cases)
{
	static uint8_t big[300];
	struct gba_capdu c2 = { .ins = 0xb0, .ne = 65536 };
	struct gba_capdu c2x = { .ins = 0xb0, .ne = 257 };
	struct gba_capdu c3 = { .ins = 0xd6, .data = big, .nc = 300 };
	struct gba_capdu c4 = { .ins = 0x88, .data = big, .nc = 2, .ne = 1000, .extended = true };
	static char hex[2 * 320];
	uint8_t out[400];

	memset(big, 0xab, sizeof(big));
	roundtrip(&c2, "00b00000000000", GBA_APDU_CASE_2);
	roundtrip(&c2x, "00b00000000101", GBA_APDU_CASE_2);
	strcpy(hex, "00d6000000012c");
	for (int i = 0; i < 300; i++)
		strcat(hex, "ab");
	roundtrip(&c3, hex, GBA_APDU_CASE_3);
	roundtrip(&c4, "00880000000002abab03e8", GBA_APDU_CASE_4);
	/* 256 data bytes force extended; too small a buffer is -ENOSPC */
	c3.nc = 256;
	ck_assert_int_eq(gba_capdu_len(&c3), 7 + 256);
	ck_assert_int_eq(gba_capdu_encode(out, 100, &c3), -ENOSPC);
}
END_TEST

START_TEST(capdu_encode_invalid)
{
	uint8_t out[16];
	struct gba_capdu c = { .nc = 3, .data = NULL };

	ck_assert_int_eq(gba_capdu_encode(out, sizeof(out), &c), -EINVAL);
	c = (struct gba_capdu){ .ne = 65537 };
	ck_assert_int_eq(gba_capdu_encode(out, sizeof(out), &c), -EINVAL);
	c = (struct gba_capdu){ .nc = 65536, .data = out };
	ck_assert_int_eq(gba_capdu_len(&c), -EINVAL);
	c = (struct gba_capdu){ 0 };
	ck_assert_int_eq(gba_capdu_encode(out, 3, &c), -ENOSPC);
}
END_TEST

/* Malformed C-APDUs: each must be refused with -EINVAL and a reason. */
START_TEST(capdu_decode_malformed)
{
	static const char *const bad[] = {
		"", "00", "00a404", "ffa40000", "00a40004023f", "00a400040212",
		"00a40004023f000000", "00a4000400ff", "00a4000400000000",
		"00a400040000023f", "00a400040000023f0000", "00a400040000023f00000000",
		"00a40004000003aabbccddeeff", "00a40004ffaa", "00b0000001aabbcc",
		"00d6000000000201", "00d600000000ff01",
	};
	uint8_t buf[64];
	struct gba_capdu c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		size_t n = hx(buf, sizeof(buf), bad[i]);

		ck_assert_msg(gba_capdu_decode(&c, buf, n, &why) == -EINVAL, "accepted %s", bad[i]);
		ck_assert_msg(why && *why, "no reason for %s", bad[i]);
	}
	ck_assert_int_eq(gba_capdu_decode(&c, NULL, 4, NULL), -EINVAL);
}
END_TEST

START_TEST(capdu_decode_reasons)
{
	uint8_t buf[16];
	struct gba_capdu c;
	const char *why;
	size_t n;

	n = hx(buf, sizeof(buf), "00a400040000023f0000");
	ck_assert_int_eq(gba_capdu_decode(&c, buf, n, &why), -EINVAL);
	ck_assert_str_eq(why, "extended Lc with a one-byte (short) Le");
	n = hx(buf, sizeof(buf), "00a40004023f");
	ck_assert_int_eq(gba_capdu_decode(&c, buf, n, &why), -EINVAL);
	ck_assert_str_eq(why, "short Lc larger than the data that follows");
	n = hx(buf, sizeof(buf), "00a40004023f000000");
	ck_assert_int_eq(gba_capdu_decode(&c, buf, n, &why), -EINVAL);
	ck_assert_str_eq(why,
			 "short Lc smaller than the data that follows (more than one Le byte)");
}
END_TEST

START_TEST(rapdu_split_build)
{
	uint8_t buf[8] = { 0xdb, 0x01, 0x02, 0x90, 0x00 };
	struct gba_rapdu r;

	ck_assert_int_eq(gba_rapdu_split(&r, buf, 5), 0);
	ck_assert_uint_eq(r.len, 3);
	ck_assert_int_eq(r.sw, 0x9000);
	ck_assert_ptr_eq(r.data, buf);
	ck_assert_int_eq(gba_rapdu_split(&r, buf + 3, 2), 0);
	ck_assert_uint_eq(r.len, 0);
	/* malformed R-APDUs */
	ck_assert_int_eq(gba_rapdu_split(&r, buf, 1), -EINVAL);
	ck_assert_int_eq(gba_rapdu_split(&r, buf, 0), -EINVAL);
	ck_assert_int_eq(gba_rapdu_split(&r, NULL, 2), -EINVAL);
	buf[0] = 0x60;
	ck_assert_int_eq(gba_rapdu_split(&r, buf, 2), -EINVAL);	/* 60: NULL procedure byte */
	buf[0] = 0x12;
	ck_assert_int_eq(gba_rapdu_split(&r, buf, 2), -EINVAL);
	buf[0] = 0xa0;
	ck_assert_int_eq(gba_rapdu_split(&r, buf, 2), -EINVAL);
	/* build, with data aliasing the output */
	buf[0] = 0xdb;
	ck_assert_int_eq(gba_rapdu_build(buf, sizeof(buf), buf, 3, 0x6982), 5);
	ck_assert_int_eq(buf[3], 0x69);
	ck_assert_int_eq(buf[4], 0x82);
	ck_assert_int_eq(gba_rapdu_build(buf, 4, buf, 3, 0x9000), -ENOSPC);
	ck_assert_int_eq(gba_rapdu_build(buf, 8, NULL, 0, 0x6a82), 2);
	ck_assert_int_eq(gba_rapdu_build(buf, 8, NULL, 1, 0x6a82), -EINVAL);
	ck_assert_int_eq(gba_rapdu_build(buf, 8, buf, 65537, 0x9000), -E2BIG);
}
END_TEST

START_TEST(cla_channels)
{
	unsigned int ch;

	ck_assert_int_eq(gba_cla_make(GBA_CLA_ISO, 0), 0x00);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_ISO, 3), 0x03);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_ISO, 4), 0x40);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_ISO, 19), 0x4f);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_UICC, 1), 0x81);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_UICC, 5), 0xc1);
	ck_assert_int_eq(gba_cla_make(GBA_CLA_ISO, 20), -EINVAL);
	ck_assert_int_eq(gba_cla_make(0xa0, 0), -EINVAL);
	for (ch = 0; ch <= GBA_CHANNEL_MAX; ch++) {
		ck_assert_int_eq(gba_cla_channel(gba_cla_make(GBA_CLA_ISO, ch)), ch);
		ck_assert_int_eq(gba_cla_channel(gba_cla_make(GBA_CLA_UICC, ch)), ch);
		ck_assert_int_eq(gba_cla_to_iso(gba_cla_make(GBA_CLA_UICC, ch)),
				 gba_cla_make(GBA_CLA_ISO, ch));
	}
	ck_assert_int_eq(gba_cla_channel(0xa0), -EINVAL);
	ck_assert_int_eq(gba_cla_channel(0x20), -EINVAL);
	ck_assert_int_eq(gba_cla_channel(0xff), -EINVAL);
	ck_assert_int_eq(gba_cla_to_iso(0xa0), 0xa0);
	ck_assert_int_eq(gba_cla_to_iso(0x91), 0x01);	/* chaining bit dropped */
}
END_TEST

START_TEST(sw_names)
{
	char d[80];

	ck_assert_str_eq(gba_sw_name(0x9000), "normal ending");
	ck_assert_str_eq(gba_sw_name(0x6982), "security status not satisfied");
	ck_assert_str_eq(gba_sw_name(0x6983), "authentication/PIN method blocked");
	ck_assert_str_eq(gba_sw_name(0x6985), "conditions of use not satisfied");
	ck_assert_str_eq(gba_sw_name(0x6a82), "file or application not found");
	ck_assert_str_eq(gba_sw_name(0x6a86), "incorrect parameters P1 to P2");
	ck_assert_str_eq(gba_sw_name(0x6700), "wrong length");
	ck_assert_str_eq(gba_sw_name(0x6d00), "instruction code not supported or invalid");
	ck_assert_str_eq(gba_sw_name(0x6e00), "class not supported");
	ck_assert_str_eq(gba_sw_name(0x9862), "authentication error, incorrect MAC");
	ck_assert_str_eq(gba_sw_name(0x9864),
			 "authentication error, security context not supported");
	ck_assert_str_eq(gba_sw_name(0x9865), "key freshness failure");
	ck_assert_str_eq(gba_sw_name(0x6123), "response bytes available (GET RESPONSE)");
	ck_assert_str_eq(gba_sw_name(0x6c10), "wrong length, reissue with Le = SW2");
	ck_assert_str_eq(gba_sw_name(0x63c1), "verification failed, retries left");
	ck_assert_str_eq(gba_sw_name(0x1234), "unknown status word");
	ck_assert_str_eq(gba_sw_name(0x6a99), "wrong parameters");
	gba_sw_describe(d, sizeof(d), 0x63c2);
	ck_assert_str_eq(d, "63C2 verification failed, 2 retries left");
	gba_sw_describe(d, sizeof(d), 0x6100);
	ck_assert_str_eq(d, "6100 response bytes available, 256 bytes");
	gba_sw_describe(d, sizeof(d), 0x6c1a);
	ck_assert_str_eq(d, "6C1A wrong length, Le must be 26");
	gba_sw_describe(d, sizeof(d), 0x6982);
	ck_assert_str_eq(d, "6982 security status not satisfied");
	ck_assert(gba_sw_is_ok(0x9000));
	ck_assert(gba_sw_is_ok(0x9112));
	ck_assert(!gba_sw_is_ok(0x6100));
}
END_TEST

START_TEST(sw_errno)
{
	ck_assert_int_eq(gba_sw_to_errno(0x9000), 0);
	ck_assert_int_eq(gba_sw_to_errno(0x9110), 0);
	ck_assert_int_eq(gba_sw_to_errno(0x6a82), -ENOENT);
	ck_assert_int_eq(gba_sw_to_errno(0x6982), -EACCES);
	ck_assert_int_eq(gba_sw_to_errno(0x63c0), -EACCES);
	ck_assert_int_eq(gba_sw_to_errno(0x6983), -EPERM);
	ck_assert_int_eq(gba_sw_to_errno(0x6985), -ENOKEY);
	ck_assert_int_eq(gba_sw_to_errno(0x9862), -EBADMSG);
	ck_assert_int_eq(gba_sw_to_errno(0x9864), -EOPNOTSUPP);
	ck_assert_int_eq(gba_sw_to_errno(0x6a86), -EOPNOTSUPP);
	ck_assert_int_eq(gba_sw_to_errno(0x9865), -ESTALE);
	ck_assert_int_eq(gba_sw_to_errno(0x6700), -EINVAL);
	ck_assert_int_eq(gba_sw_to_errno(0x6c20), -EINVAL);
	ck_assert_int_eq(gba_sw_to_errno(0x6f00), -EIO);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("apdu");
	TCase *tc = tcase_create("apdu");

	tcase_add_test(tc, capdu_short_cases);
	tcase_add_test(tc, capdu_extended_cases);
	tcase_add_test(tc, capdu_encode_invalid);
	tcase_add_test(tc, capdu_decode_malformed);
	tcase_add_test(tc, capdu_decode_reasons);
	tcase_add_test(tc, rapdu_split_build);
	tcase_add_test(tc, cla_channels);
	tcase_add_test(tc, sw_names);
	tcase_add_test(tc, sw_errno);
	suite_add_tcase(s, tc);
	return run_suite(s);
}

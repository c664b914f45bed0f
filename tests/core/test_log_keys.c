/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for core/keys.c and core/log.c. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/log.h>

START_TEST(hex_roundtrip)
{
	uint8_t b[4];
	char h[9];

	ck_assert_int_eq(gba_hex_decode(b, 4, "DeadBEEF"), 0);
	ck_assert_int_eq(b[0], 0xde);
	ck_assert_int_eq(b[3], 0xef);
	ck_assert_int_eq(gba_hex_encode(h, sizeof(h), b, 4), 0);
	ck_assert_str_eq(h, "deadbeef");
	ck_assert_int_eq(gba_hex_encode(h, 8, b, 4), -ENOSPC);
}
END_TEST

START_TEST(hex_negative)
{
	uint8_t b[4];

	ck_assert_int_eq(gba_hex_decode(b, 4, "deadbee"), -EINVAL);	/* short */
	ck_assert_int_eq(gba_hex_decode(b, 4, "deadbeef00"), -EINVAL);	/* long */
	ck_assert_int_eq(gba_hex_decode(b, 4, "deadbeeg"), -EINVAL);	/* bad digit */
	ck_assert_int_eq(gba_hex_decode(b, 4, NULL), -EINVAL);
	ck_assert_int_eq(gba_hex_decode_var(b, 4, "abc"), -EINVAL);	/* odd */
	ck_assert_int_eq(gba_hex_decode_var(b, 2, "aabbcc"), -E2BIG);
	ck_assert_int_eq(gba_hex_decode_var(b, 4, "aabbcc"), 3);
	ck_assert_int_eq(gba_hex_decode_var(b, 4, ""), 0);
}
END_TEST

START_TEST(b64_roundtrip)
{
	const uint8_t rand[16] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
				   0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
	char t[GBA_B64_LEN(16) + 1];
	uint8_t back[16];

	ck_assert_int_eq(gba_b64_encode(t, sizeof(t), rand, 16), 24);
	ck_assert_str_eq(t, "I1U8vpY3qJ0hiuZNrke/NQ==");
	ck_assert_int_eq(gba_b64_decode(back, sizeof(back), t, strlen(t)), 16);
	ck_assert(gba_ct_equal(back, rand, 16));
	ck_assert_int_eq(gba_b64_encode(t, 24, rand, 16), -ENOSPC);
}
END_TEST

START_TEST(b64_negative)
{
	uint8_t b[32];

	ck_assert_int_eq(gba_b64_decode(b, 32, "abc", 3), -EINVAL);		/* not a multiple of 4 */
	ck_assert_int_eq(gba_b64_decode(b, 32, "ab c", 4), -EINVAL);		/* space */
	ck_assert_int_eq(gba_b64_decode(b, 32, "a=bc", 4), -EINVAL);		/* pad in the middle */
	ck_assert_int_eq(gba_b64_decode(b, 32, "ab=c", 4), -EINVAL);		/* data after pad */
	ck_assert_int_eq(gba_b64_decode(b, 32, "a===", 4), -EINVAL);		/* three pads */
	ck_assert_int_eq(gba_b64_decode(b, 32, "ab-_", 4), -EINVAL);		/* url alphabet */
	ck_assert_int_eq(gba_b64_decode(b, 2, "YWJj", 4), -E2BIG);
	ck_assert_int_eq(gba_b64_decode(b, 3, "YWJj", 4), 3);
	ck_assert_int_eq(gba_b64_decode(b, 3, "YQ==", 4), 1);
	ck_assert_int_eq(gba_b64_decode(b, 3, "", 0), 0);
}
END_TEST

START_TEST(ct_equal_and_zeroize)
{
	uint8_t a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, b[8] = { 1, 2, 3, 4, 5, 6, 7, 9 };
	static const uint8_t zero[8];

	ck_assert(!gba_ct_equal(a, b, 8));
	ck_assert(gba_ct_equal(a, b, 7));
	gba_zeroize(a, sizeof(a));
	ck_assert(gba_ct_equal(a, zero, 8));
	gba_zeroize(NULL, 4);
}
END_TEST

START_TEST(log_spec)
{
	gba_log_init("test", GBA_LOG_STDERR);
	ck_assert_int_eq(gba_log_parse_spec("notice,ub=debug,zn=info"), 0);
	ck_assert(gba_log_enabled(GBA_LC_UB, GBA_LL_DEBUG));
	ck_assert(!gba_log_enabled(GBA_LC_ZH, GBA_LL_INFO));
	ck_assert(gba_log_enabled(GBA_LC_ZN, GBA_LL_INFO));
	ck_assert_int_eq(gba_log_parse_spec("ub=loud"), -EINVAL);
	ck_assert_int_eq(gba_log_parse_spec("nosuchcat=debug"), -EINVAL);
	/* a failed spec changes nothing */
	ck_assert(gba_log_enabled(GBA_LC_UB, GBA_LL_DEBUG));
	ck_assert_int_eq(gba_log_level_parse("ERROR"), GBA_LL_ERROR);
	gba_log_set_level(GBA_LL_NONE);
	ck_assert(!gba_log_enabled(GBA_LC_MAIN, GBA_LL_FATAL));
	ck_assert(!gba_log_key_debug());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log_keys");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, hex_roundtrip);
	tcase_add_test(tc, hex_negative);
	tcase_add_test(tc, b64_roundtrip);
	tcase_add_test(tc, b64_negative);
	tcase_add_test(tc, ct_equal_and_zeroize);
	tcase_add_test(tc, log_spec);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

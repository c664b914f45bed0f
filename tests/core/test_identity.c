/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/identity.c: IMSI checks, IMPI and BSF FQDN (TS 23.003,
 * 2- and 3-digit MNC), B-TID (gba-spec-notes.md 1.4), xs:dateTime and IMF-fixdate.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/identity.h>

static const uint8_t rand1[16] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
				   0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
#define BSF1 "bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define BTID1 "I1U8vpY3qJ0hiuZNrke/NQ==@" BSF1

START_TEST(imsi_valid)
{
	ck_assert_int_eq(gba_imsi_valid("001010000000001"), 0);
	ck_assert_int_eq(gba_imsi_valid("262011234567890"), 0);
	ck_assert_int_eq(gba_imsi_valid("123456"), 0);
	ck_assert_int_eq(gba_imsi_valid(NULL), -EINVAL);
	ck_assert_int_eq(gba_imsi_valid(""), -EINVAL);
	ck_assert_int_eq(gba_imsi_valid("12345"), -EINVAL);		/* too short */
	ck_assert_int_eq(gba_imsi_valid("0010100000000012"), -EINVAL);	/* 16 digits */
	ck_assert_int_eq(gba_imsi_valid("00101000000000a"), -EINVAL);
	ck_assert_int_eq(gba_imsi_valid("001010 00000001"), -EINVAL);
	ck_assert_int_eq(gba_imsi_valid("-01010000000001"), -EINVAL);
}
END_TEST

START_TEST(impi_mnc2)
{
	char b[GBA_IMPI_MAX + 1];

	/* 23.003 13.3: MNC 01 of a 2-digit network is padded to 001 */
	ck_assert_int_eq(gba_impi_from_imsi(b, sizeof(b), "001010000000001", 2), 49);
	ck_assert_str_eq(b, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_int_gt(gba_impi_from_imsi(b, sizeof(b), "234150999999999", 2), 0);
	ck_assert_str_eq(b, "234150999999999@ims.mnc015.mcc234.3gppnetwork.org");
	ck_assert_int_gt(gba_bsf_fqdn_from_imsi(b, sizeof(b), "001010000000001", 2), 0);
	ck_assert_str_eq(b, "bsf.mnc001.mcc001.pub.3gppnetwork.org");
	ck_assert_int_gt(gba_bsf_fqdn_from_imsi(b, sizeof(b), "234150999999999", 2), 0);
	ck_assert_str_eq(b, "bsf.mnc015.mcc234.pub.3gppnetwork.org");
}
END_TEST

START_TEST(impi_mnc3)
{
	char b[GBA_IMPI_MAX + 1];

	ck_assert_int_gt(gba_impi_from_imsi(b, sizeof(b), "310150123456789", 3), 0);
	ck_assert_str_eq(b, "310150123456789@ims.mnc150.mcc310.3gppnetwork.org");
	ck_assert_int_gt(gba_bsf_fqdn_from_imsi(b, sizeof(b), "310150123456789", 3), 0);
	ck_assert_str_eq(b, "bsf.mnc150.mcc310.pub.3gppnetwork.org");
	/* the same IMSI read as a 2-digit MNC network */
	ck_assert_int_gt(gba_bsf_fqdn_from_imsi(b, sizeof(b), "310150123456789", 2), 0);
	ck_assert_str_eq(b, "bsf.mnc015.mcc310.pub.3gppnetwork.org");
}
END_TEST

START_TEST(impi_negative)
{
	char b[GBA_IMPI_MAX + 1];

	ck_assert_int_eq(gba_impi_from_imsi(b, sizeof(b), "001010000000001", 1), -EINVAL);
	ck_assert_int_eq(gba_impi_from_imsi(b, sizeof(b), "001010000000001", 4), -EINVAL);
	ck_assert_int_eq(gba_impi_from_imsi(b, sizeof(b), "00101x000000001", 2), -EINVAL);
	ck_assert_int_eq(gba_impi_from_imsi(b, sizeof(b), NULL, 2), -EINVAL);
	ck_assert_int_eq(gba_bsf_fqdn_from_imsi(b, sizeof(b), "1234", 2), -EINVAL);
	/* exact fit and one byte short */
	ck_assert_int_eq(gba_impi_from_imsi(b, 50, "001010000000001", 2), 49);
	ck_assert_int_eq(gba_impi_from_imsi(b, 49, "001010000000001", 2), -ENOSPC);
	ck_assert_int_eq(gba_bsf_fqdn_from_imsi(b, 10, "001010000000001", 2), -ENOSPC);
}
END_TEST

START_TEST(btid_example)
{
	char b[GBA_BTID_MAX + 1];
	uint8_t r[16];
	const char *dom = NULL;

	ck_assert_int_eq(gba_btid_make(b, sizeof(b), rand1, BSF1), (int)strlen(BTID1));
	ck_assert_str_eq(b, BTID1);
	ck_assert_int_eq(gba_btid_parse(BTID1, r, &dom), 0);
	ck_assert_mem_eq(r, rand1, 16);
	ck_assert_str_eq(dom, "bsf.mnc001.mcc001.pub.3gppnetwork.org");
	ck_assert_int_eq(gba_btid_parse(BTID1, NULL, NULL), 0);
	ck_assert_int_eq(gba_btid_make(b, strlen(BTID1), rand1,
				       "bsf.mnc001.mcc001.pub.3gppnetwork.org"), -ENOSPC);
}
END_TEST

START_TEST(btid_negative)
{
	static const char *const bad[] = {
		"",
		"I1U8vpY3qJ0hiuZNrke/NQ==",				/* no domain */
		"I1U8vpY3qJ0hiuZNrke/NQ==@",				/* empty domain */
		"I1U8vpY3qJ0hiuZNrke/NQ@bsf.example.org",		/* unpadded */
		"I1U8vpY3qJ0hiuZNrke/NQ=@bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NQ===bsf.example.org",
		"I1U8vpY3qJ0hiuZNrke/NR==@bsf.example.org\n",		/* newline in domain */
		"I1U8vpY3qJ0hiuZNrke/N!==@bsf.example.org",		/* bad base64 */
		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf example.org",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAA@bsf.example.org",		/* 21 octets */
		"@bsf.example.org",
	};
	char b[GBA_BTID_MAX + 1], dom[300];
	uint8_t r[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(gba_btid_parse(bad[i], r, NULL) == -EINVAL, "accepted %s", bad[i]);
	ck_assert_int_eq(gba_btid_parse(NULL, r, NULL), -EINVAL);
	ck_assert_int_eq(gba_btid_make(b, sizeof(b), rand1, ""), -EINVAL);
	ck_assert_int_eq(gba_btid_make(b, sizeof(b), rand1, "bsf/evil"), -EINVAL);
	memset(dom, 'a', 256);
	dom[256] = '\0';
	ck_assert_int_eq(gba_btid_make(b, sizeof(b), rand1, dom), -EINVAL);	/* 256 chars */
	dom[255] = '\0';
	ck_assert_int_eq(gba_btid_make(b, sizeof(b), rand1, dom), GBA_BTID_MAX);
	ck_assert_int_eq(gba_btid_parse(b, r, NULL), 0);
}
END_TEST

START_TEST(datetime_roundtrip)
{
	static const time_t ts[] = { 0, 1, 951782400 /* 2000-02-29 */, 1893456000, 4102444799,
				     253402300799 /* 9999-12-31T23:59:59Z */ };
	char b[GBA_DATETIME_LEN + 1];
	size_t i;
	time_t t;

	ck_assert_int_eq(gba_datetime_format(b, sizeof(b), 1893456000), GBA_DATETIME_LEN);
	ck_assert_str_eq(b, "2030-01-01T00:00:00Z");
	ck_assert_int_eq(gba_datetime_format(b, GBA_DATETIME_LEN, 0), -ENOSPC);
	ck_assert_int_eq(gba_datetime_format(b, sizeof(b), -1), -EINVAL);	/* 1969 */
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		ck_assert_int_eq(gba_datetime_format(b, sizeof(b), ts[i]), GBA_DATETIME_LEN);
		ck_assert_int_eq(gba_datetime_parse(b, &t), 0);
		ck_assert_int_eq((long long)t, (long long)ts[i]);
	}
	ck_assert_int_eq(gba_datetime_format(b, sizeof(b), 253402300800), -EINVAL);	/* 10000 */
}
END_TEST

START_TEST(datetime_variants)
{
	time_t t;

	ck_assert_int_eq(gba_datetime_parse("2030-01-01T00:00:00Z", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2030-01-01T00:00:00.123456Z", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2030-01-01T01:30:00+01:30", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2029-12-31T19:00:00.5-05:00", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2030-01-01T00:00:00+00:00", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2030-01-01T14:00:00+14:00", &t), 0);
	ck_assert_int_eq((long long)t, 1893456000LL);
	ck_assert_int_eq(gba_datetime_parse("2024-02-29T12:00:00Z", &t), 0);
	ck_assert_int_eq(gba_datetime_parse("2000-02-29T12:00:00Z", &t), 0);
}
END_TEST

START_TEST(datetime_negative)
{
	static const char *const bad[] = {
		"2030-01-01T00:00:00",		/* no zone */
		"2030-01-01T00:00:00z",		/* lower-case z */
		"2030-01-01 00:00:00Z",		/* space instead of T */
		"2030-13-01T00:00:00Z",		/* month 13 */
		"2030-00-01T00:00:00Z",
		"2030-04-31T00:00:00Z",		/* 31 April */
		"2023-02-29T00:00:00Z",		/* common year */
		"1900-02-29T00:00:00Z",
		"2030-01-01T24:00:00Z",		/* hour 24 */
		"2030-01-01T00:60:00Z",
		"2030-01-01T00:00:60Z",		/* leap second */
		"2030-01-01T00:00:00.Z",	/* empty fraction */
		"2030-01-01T00:00:00+15:00",	/* offset too large */
		"2030-01-01T00:00:00+14:01",
		"2030-01-01T00:00:00+01:60",
		"2030-01-01T00:00:00+0100",	/* no colon */
		"2030-01-01T00:00:00Z ",	/* trailing space */
		" 2030-01-01T00:00:00Z",
		"2030-1-01T00:00:00Z",
		"30-01-01T00:00:00Z",
		"-2030-01-01T00:00:00Z",
		"12030-01-01T00:00:00Z",
		"1969-12-31T23:59:59Z",		/* before the epoch */
		"1970-01-01T00:30:00+01:00",	/* before the epoch in UTC */
		"9999-12-31T23:00:00-01:00",	/* year 10000 in UTC */
		"2030-01-01T00:00:00ZZ",
		"2030-01-01",
		"",
	};
	size_t i;
	time_t t = 42;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(gba_datetime_parse(bad[i], &t) == -EINVAL, "accepted '%s'", bad[i]);
	ck_assert_int_eq((long long)t, 42LL);	/* untouched on failure */
	ck_assert_int_eq(gba_datetime_parse(NULL, &t), -EINVAL);
}
END_TEST

START_TEST(httpdate)
{
	char b[64];

	ck_assert_int_eq(gba_httpdate_format(b, sizeof(b), 784111777), 29);
	ck_assert_str_eq(b, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(gba_httpdate_format(b, sizeof(b), 1893456000), 29);
	ck_assert_str_eq(b, "Tue, 01 Jan 2030 00:00:00 GMT");
	ck_assert_int_eq(gba_httpdate_format(b, 29, 0), -ENOSPC);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, imsi_valid);
	tcase_add_test(tc, impi_mnc2);
	tcase_add_test(tc, impi_mnc3);
	tcase_add_test(tc, impi_negative);
	tcase_add_test(tc, btid_example);
	tcase_add_test(tc, btid_negative);
	tcase_add_test(tc, datetime_roundtrip);
	tcase_add_test(tc, datetime_variants);
	tcase_add_test(tc, datetime_negative);
	tcase_add_test(tc, httpdate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core/kdf.c: the [computed] GBA vectors of gba-spec-notes.md 1.6 and negative cases. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/kdf.h>
#include <gba/keys.h>

static const char *IMPI = "001010000000001@ims.mnc001.mcc001.3gppnetwork.org";
static const char *BSF = "bsf.mnc001.mcc001.pub.3gppnetwork.org";
static uint8_t ks[32], rnd[16];

static void setup(void)
{
	ck_assert_int_eq(gba_hex_decode(ks, 32, "b40ba9a3c58b2a05bbf0d987b21bf8cb"
					"f769bcd751044604127672711c6d3441"), 0);
	ck_assert_int_eq(gba_hex_decode(rnd, 16, "23553cbe9637a89d218ae64dae47bf35"), 0);
}

static void check_hex(const uint8_t *b, size_t n, const char *want)
{
	char h[2 * 64 + 1];

	ck_assert_int_eq(gba_hex_encode(h, sizeof(h), b, n), 0);
	ck_assert_str_eq(h, want);
}

static void naf_pair(const uint8_t ua[5], const char *me, const char *u)
{
	uint8_t nafid[64], k[32];
	int n = gba_naf_id(nafid, sizeof(nafid), "naf.example.com", ua);

	ck_assert_int_eq(n, 20);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, (size_t)n), 0);
	check_hex(k, 32, me);
	ck_assert_int_eq(gba_ks_int_naf(k, ks, rnd, IMPI, nafid, (size_t)n), 0);
	check_hex(k, 32, u);
}

START_TEST(ks_naf_http_digest)
{
	naf_pair(GBA_UA_ID_HTTP_DIGEST,
		 "f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0",
		 "f00480881c74c509654a246c330329f1287a0d3735994e778869a7bc83b9c315");
}
END_TEST

START_TEST(ks_naf_tls12)
{
	uint8_t ua[5];

	gba_ua_id_tls12(ua, GBA_TLS_PSK_WITH_AES_128_CBC_SHA256);
	check_hex(ua, 5, "01000100ae");
	naf_pair(ua, "ea3c85ca40af198e5cb0713f7b84f6b28f328c1e028c2b2c3702fe3a1a56febd",
		 "c3f4b99cc30ef7642855af72a34e4712711b1677a2b895e5e23bc3d5e9fb4daa");
	gba_ua_id_tls12(ua, GBA_TLS_PSK_WITH_AES_128_CCM_8);
	check_hex(ua, 5, "010001c0a8");
}
END_TEST

START_TEST(ks_naf_tls13)
{
	naf_pair(GBA_UA_ID_TLS13, "49a316662105d2f3c3c9a1b58ca722a35d4a4e55d2b3dbe59a903bcc39ddab18",
		 "59a6351566ef6629087d10604e79daf31a6cb78a80e0e8f21b54e402130ccd13");
}
END_TEST

START_TEST(generic_kdf_s_layout)
{
	/* The notes spell out S for (a): KDF over that S must equal Ks_NAF (a) */
	const char *p0 = "gba-me", *fq = "naf.example.com\x01\x00\x00\x00\x02";
	struct gba_kdf_param p[4] = {
		{ (const uint8_t *)p0, 6 }, { rnd, 16 },
		{ (const uint8_t *)IMPI, strlen(IMPI) }, { (const uint8_t *)fq, 20 },
	};
	uint8_t k[32];

	ck_assert_int_eq(gba_kdf(k, ks, 32, GBA_KDF_FC_GBA, p, 4), 0);
	check_hex(k, 32, "f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0");
}
END_TEST

START_TEST(tmpi)
{
	char t[80];

	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, IMPI, BSF), 57);
	ck_assert_str_eq(t, "7g8A0RHDuCXlCTm8IzQ29xYou4F13lIQ@tmpi.bsf.3gppnetwork.org");
	ck_assert_int_eq(gba_tmpi(t, 40, ks, rnd, IMPI, BSF), -ENOSPC);
	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, IMPI, ""), -EINVAL);
}
END_TEST

START_TEST(negative)
{
	static uint8_t big[70000];
	struct gba_kdf_param p = { big, 65536 }, ok = { big, 65535 };
	uint8_t k[32], nafid[300];
	char fq[300];

	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, &p, 1), -EINVAL);	/* P longer than 65535 */
	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, &ok, 1), 0);
	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, &ok, 0), -EINVAL);	/* no parameters */
	ck_assert_int_eq(gba_kdf(k, ks, 0, 1, &ok, 1), -EINVAL);	/* no key */
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), "", GBA_UA_ID_TLS13), -EINVAL);
	memset(fq, 'a', 256);
	fq[256] = '\0';
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), fq, GBA_UA_ID_TLS13), -EINVAL);
	ck_assert_int_eq(gba_naf_id(nafid, 10, "naf.example.com", GBA_UA_ID_TLS13), -ENOSPC);
	/* a NAF_Id without FQDN, or an empty IMPI, derives nothing */
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, 5), -EINVAL);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, "", (const uint8_t *)"a\x01\x00\x00\x00\x02", 6),
			 -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kdf");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, ks_naf_http_digest);
	tcase_add_test(tc, ks_naf_tls12);
	tcase_add_test(tc, ks_naf_tls13);
	tcase_add_test(tc, generic_kdf_s_layout);
	tcase_add_test(tc, tmpi);
	tcase_add_test(tc, negative);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

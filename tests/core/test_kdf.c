/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core/kdf.c: the [computed] GBA vectors of gba-spec-notes.md 1.6, the generic KDF against
 * HMAC-SHA-256 over an S built by hand, derivations from several threads at once, and
 * negative cases.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

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

static void naf_pair(const uint8_t ua[5], const char *me, const char *me_b64, const char *u)
{
	uint8_t nafid[64], k[32];
	char b64[GBA_B64_LEN(32) + 1];
	int n = gba_naf_id(nafid, sizeof(nafid), "naf.example.com", ua);

	ck_assert_int_eq(n, 20);
	ck_assert(memcmp(nafid, "naf.example.com", 15) == 0 && memcmp(nafid + 15, ua, 5) == 0);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, (size_t)n), 0);
	check_hex(k, 32, me);
	ck_assert_int_eq(gba_b64_encode(b64, sizeof(b64), k, 32), 44);
	ck_assert_str_eq(b64, me_b64);
	ck_assert_int_eq(gba_ks_int_naf(k, ks, rnd, IMPI, nafid, (size_t)n), 0);
	check_hex(k, 32, u);
}

START_TEST(ks_naf_http_digest)
{
	naf_pair(GBA_UA_ID_HTTP_DIGEST,
		 "f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0",
		 "8mXSkYlgPtPUsnW43WCp0AZKg5QpnHMCW8NJpcmoatA=",
		 "f00480881c74c509654a246c330329f1287a0d3735994e778869a7bc83b9c315");
}
END_TEST

START_TEST(ks_naf_tls12)
{
	uint8_t ua[5];

	gba_ua_id_tls12(ua, GBA_TLS_PSK_WITH_AES_128_CBC_SHA256);
	check_hex(ua, 5, "01000100ae");
	naf_pair(ua, "ea3c85ca40af198e5cb0713f7b84f6b28f328c1e028c2b2c3702fe3a1a56febd",
		 "6jyFykCvGY5csHE/e4T2so8yjB4CjCssNwL+OhpW/r0=",
		 "c3f4b99cc30ef7642855af72a34e4712711b1677a2b895e5e23bc3d5e9fb4daa");
	gba_ua_id_tls12(ua, GBA_TLS_PSK_WITH_AES_128_CCM_8);
	check_hex(ua, 5, "010001c0a8");
}
END_TEST

START_TEST(ks_naf_tls13)
{
	naf_pair(GBA_UA_ID_TLS13,
		 "49a316662105d2f3c3c9a1b58ca722a35d4a4e55d2b3dbe59a903bcc39ddab18",
		 "SaMWZiEF0vPDyaG1jKcio11KTlXSs9vlmpA7zDndqxg=",
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

/* The notes spell S out byte by byte for (a): HMAC-SHA-256 over exactly those bytes */
START_TEST(s_bytes_from_notes)
{
	uint8_t s_[128], k[32];
	unsigned int klen = 0;
	int n = gba_hex_decode_var(s_, sizeof(s_),
		"016762612d6d65000623553cbe9637a89d218ae64dae47bf350010"
		"303031303130303030303030303031"
		"40696d732e6d6e633030312e6d63633030312e336770706e6574776f726b2e6f72670031"
		"6e61662e6578616d706c652e636f6d01000000020014");

	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), ks, 32, s_, (size_t)n, k, &klen));
	check_hex(k, 32, "f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0");
}
END_TEST

/* Random FC, keys and parameters (some empty): gba_kdf equals HMAC over FC || P0 || L0 || ... */
START_TEST(generic_kdf_random)
{
	for (int round = 0; round < 200; round++) {
		static uint8_t data[8][300];
		struct gba_kdf_param p[8];
		uint8_t key[64], fc, s_[1 + 8 * 302], k[32], want[32], b[2];
		unsigned int wl = 0, n;
		size_t keylen, slen = 0;

		ck_assert_int_eq(gba_random(b, 2), 0);
		ck_assert_int_eq(gba_random(key, sizeof(key)), 0);
		ck_assert_int_eq(gba_random(&fc, 1), 0);
		keylen = 1 + b[0] % sizeof(key);
		n = 1 + b[1] % 8;
		s_[slen++] = fc;
		for (unsigned int i = 0; i < n; i++) {
			uint8_t l[2];

			ck_assert_int_eq(gba_random(l, 2), 0);
			p[i].len = (size_t)(l[0] << 8 | l[1]) % 300;
			if (round % 7 == 0)
				p[i].len = 0;
			ck_assert_int_eq(gba_random(data[i], sizeof(data[i])), 0);
			p[i].data = p[i].len ? data[i] : NULL;
			memcpy(s_ + slen, data[i], p[i].len);
			slen += p[i].len;
			s_[slen++] = (uint8_t)(p[i].len >> 8);
			s_[slen++] = (uint8_t)p[i].len;
		}
		ck_assert_int_eq(gba_kdf(k, key, keylen, fc, p, n), 0);
		HMAC(EVP_sha256(), key, (int)keylen, s_, slen, want, &wl);
		ck_assert_uint_eq(wl, 32);
		ck_assert(memcmp(k, want, 32) == 0);
	}
}
END_TEST

static void *derive_many(void *arg)
{
	uint8_t nafid[64], k[32], want[32];
	int n = gba_naf_id(nafid, sizeof(nafid), "naf.example.com", GBA_UA_ID_HTTP_DIGEST);
	long bad = 0;

	(void)arg;
	gba_hex_decode(want, 32,
		       "f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0");
	for (int i = 0; i < 2000; i++) {
		if (gba_ks_naf(k, ks, rnd, IMPI, nafid, (size_t)n) || memcmp(k, want, 32))
			bad++;
	}
	return (void *)bad;
}

/* Each thread has its own HMAC context: concurrent derivations all come out right */
START_TEST(threads)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, derive_many, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *bad;

		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
}
END_TEST

START_TEST(tmpi)
{
	char t[80];

	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, IMPI, BSF), 57);
	ck_assert_str_eq(t, "7g8A0RHDuCXlCTm8IzQ29xYou4F13lIQ@tmpi.bsf.3gppnetwork.org");
	ck_assert_int_eq(gba_tmpi(t, 40, ks, rnd, IMPI, BSF), -ENOSPC);
	ck_assert_int_eq(gba_tmpi(t, 57, ks, rnd, IMPI, BSF), -ENOSPC);	/* no room for NUL */
	ck_assert_int_eq(gba_tmpi(t, 58, ks, rnd, IMPI, BSF), 57);
	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, IMPI, ""), -EINVAL);
	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, IMPI, NULL), -EINVAL);
	ck_assert_int_eq(gba_tmpi(t, sizeof(t), ks, rnd, "", BSF), -EINVAL);
	ck_assert_int_eq(gba_tmpi(t, sizeof(t), NULL, rnd, IMPI, BSF), -EINVAL);
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
	ck_assert_int_eq(gba_kdf(k, NULL, 32, 1, &ok, 1), -EINVAL);
	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, NULL, 1), -EINVAL);
	p = (struct gba_kdf_param){ NULL, 3 };				/* length without data */
	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, &p, 1), -EINVAL);
	p = (struct gba_kdf_param){ NULL, 0 };				/* an empty P is fine */
	ck_assert_int_eq(gba_kdf(k, ks, 32, 1, &p, 1), 0);
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), "", GBA_UA_ID_TLS13), -EINVAL);
	memset(fq, 'a', 256);
	fq[256] = '\0';
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), fq, GBA_UA_ID_TLS13), -EINVAL);
	ck_assert_int_eq(gba_naf_id(nafid, 10, "naf.example.com", GBA_UA_ID_TLS13), -ENOSPC);
	ck_assert_int_eq(gba_naf_id(nafid, 19, "naf.example.com", GBA_UA_ID_TLS13), -ENOSPC);
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), NULL, GBA_UA_ID_TLS13), -EINVAL);
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), "naf.example.com", NULL), -EINVAL);
	fq[255] = '\0';						/* 255 octets is the maximum */
	ck_assert_int_eq(gba_naf_id(nafid, sizeof(nafid), fq, GBA_UA_ID_TLS13), 260);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, 260), 0);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, 261), -EINVAL);	/* > NAF_ID_MAX */
	/* a NAF_Id without FQDN, or an empty IMPI, derives nothing */
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, nafid, 5), -EINVAL);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, "", (const uint8_t *)"a\x01\x00\x00\x00\x02", 6),
			 -EINVAL);
	ck_assert_int_eq(gba_ks_int_naf(k, ks, rnd, IMPI, nafid, 5), -EINVAL);
	ck_assert_int_eq(gba_ks_int_naf(k, ks, NULL, IMPI, nafid, 20), -EINVAL);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, NULL, nafid, 20), -EINVAL);
	ck_assert_int_eq(gba_ks_naf(k, ks, rnd, IMPI, NULL, 20), -EINVAL);
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
	tcase_add_test(tc, s_bytes_from_notes);
	tcase_add_test(tc, generic_kdf_random);
	tcase_add_test(tc, threads);
	tcase_add_test(tc, tmpi);
	tcase_add_test(tc, negative);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/profile.c: every sample in sim-profiles/ parses with the expected
 * values (TS 35.208 set 1 K/OPc, OP -> OPc, IMPI derivation, PINs, XOR), each malformed
 * profile is refused with "NAME:LINE: reason" naming the right line, directories load in
 * name order with duplicates refused, and a generated 100,000-card file loads in time.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gba/keys.h>
#include <gba/profile.h>

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s ? s : TOP_SRCDIR;
}

static struct gba_profile *load_sample(const char *file, size_t *n)
{
	struct gba_profile *p = NULL;
	char path[1024], err[512];
	int rc;

	snprintf(path, sizeof(path), "%s/sim-profiles/%s", srcdir(), file);
	rc = gba_profiles_load(path, &p, n, err, sizeof(err));
	ck_assert_msg(rc == 0, "%s: rc %d: %s", file, rc, err);
	ck_assert_uint_eq(*n, 1);
	return p;
}

static void assert_hex(const uint8_t *b, size_t len, const char *hex)
{
	uint8_t want[32];

	ck_assert_int_eq(gba_hex_decode(want, len, hex), 0);
	ck_assert_msg(!memcmp(b, want, len), "value differs from %s", hex);
}

START_TEST(set1_values)
{
	size_t n;
	struct gba_profile *p = load_sample("set1.conf", &n);

	ck_assert_str_eq(p->imsi, "001010000000001");
	ck_assert_str_eq(p->iccid, "8988211000000000001");
	ck_assert_uint_eq(p->mnc_len, 2);
	ck_assert_int_eq(p->cred.alg, GBA_AKA_MILENAGE);
	assert_hex(p->cred.k, 16, "465b5ce8b199b49faa5f0a2ee238a6bc");
	assert_hex(p->cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	assert_hex(p->amf, 2, "b9b9");
	ck_assert_uint_eq(p->sqn, 0xff9bb4d0b606ULL);
	ck_assert_uint_eq(p->ind_bitlen, 0);
	ck_assert(p->isim && p->gba && !p->gba_u && p->gsm_access);
	ck_assert_str_eq(p->impi, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_str_eq(p->domain, "ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_uint_eq(p->n_impu, 2);
	ck_assert_str_eq(p->impu[1], "tel:+49300000001");
	ck_assert_str_eq(p->msisdn, "49300000001");
	ck_assert(!p->pin1[0]);
	gba_profiles_free(p, n);
}
END_TEST

/* sets 2..6: the OPc written in the file equals E_K(OP) xor OP of TS 35.208 */
START_TEST(sets_opc)
{
	static const char *const op[] = {
		"cdc202d5123e20f62b6d676ac72cb318", "ff53bade17df5d4e793073ce9d7579fa",
		"dbc59adcb6f9a0ef735477b7fadf8374", "223014c5806694c007ca1eeef57f004f",
		"2d16c5cd1fdf6b22383584e3bef2a8d8", "1ba00a1a7c6700ac8c3ff3e96ad08725",
	};
	char file[32], imsi[32];
	uint8_t opb[16], opc[16];
	struct gba_profile *p;
	size_t n;

	snprintf(file, sizeof(file), "set%d.conf", _i + 1);
	snprintf(imsi, sizeof(imsi), "00101000000000%d", _i + 1);
	p = load_sample(file, &n);
	ck_assert_str_eq(p->imsi, imsi);
	ck_assert_int_eq(gba_hex_decode(opb, 16, op[_i]), 0);
	ck_assert_int_eq(gba_milenage_opc(opc, p->cred.k, opb), 0);
	ck_assert(!memcmp(opc, p->cred.opc, 16));
	ck_assert(p->isim && p->n_impu == 2);
	gba_profiles_free(p, n);
}
END_TEST

START_TEST(other_samples)
{
	struct gba_profile *p;
	size_t n;

	p = load_sample("gba-u.conf", &n);
	ck_assert(p->gba_u && p->gba && p->isim);
	ck_assert_uint_eq(p->key_lifetime, 7200);
	/* no impi in the isim group: derived from the IMSI */
	ck_assert_str_eq(p->impi, "001010000000007@ims.mnc001.mcc001.3gppnetwork.org");
	gba_profiles_free(p, n);

	/* OP given: converted to the set 1 OPc */
	p = load_sample("gba-me.conf", &n);
	ck_assert(!p->gba_u && p->gba && !p->isim);
	assert_hex(p->cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	ck_assert_str_eq(p->impi, "001010000000008@ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_uint_eq(p->ind_bitlen, 5);
	gba_profiles_free(p, n);

	p = load_sample("no-gba.conf", &n);
	ck_assert(!p->gba && !p->gba_u && !p->gsm_access);
	gba_profiles_free(p, n);

	p = load_sample("xor.conf", &n);
	ck_assert_int_eq(p->cred.alg, GBA_AKA_XOR);
	assert_hex(p->cred.k, 16, "000102030405060708090a0b0c0d0e0f");
	ck_assert(p->isim && p->n_impu == 1);
	ck_assert_str_eq(p->impu[0], "sip:001010000000010@ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_str_eq(p->domain, "ims.mnc001.mcc001.3gppnetwork.org");
	gba_profiles_free(p, n);

	p = load_sample("pin.conf", &n);
	ck_assert_str_eq(p->pin1, "1234");
	ck_assert(p->pin1_enabled);
	ck_assert_str_eq(p->puk1, "12345678");
	ck_assert_str_eq(p->adm1, "3838383838383838");
	ck_assert_uint_eq(p->sqn, 0x9d0277595ffbULL);
	gba_profiles_free(p, n);
}
END_TEST

/* The whole directory: 11 cards in file-name order, no duplicates. */
START_TEST(directory)
{
	struct gba_profile *p = NULL;
	char path[1024], err[512];
	size_t n;

	snprintf(path, sizeof(path), "%s/sim-profiles", srcdir());
	ck_assert_int_eq(gba_profiles_load(path, &p, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 11);
	ck_assert_str_eq(p[0].imsi, "001010000000008");	/* gba-me.conf */
	ck_assert_str_eq(p[10].imsi, "001010000000010");	/* xor.conf */
	gba_profiles_free(p, n);

	ck_assert_int_eq(gba_profiles_load("/nonexistent/x.conf", &p, &n, err, sizeof(err)),
			 -ENOENT);
}
END_TEST

#define HEAD "cards = ( {\n"	/* line 1 */
#define MIN_CARD "iccid = \"8988211000000000001\";\nimsi = \"001010000000001\";\n" \
	"k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";\n" /* lines 2-4 */
#define OPC "opc = \"cd63cb71954a9f4e48a5994e37a02baf\";\n"	/* line 5 */
#define TAIL "} );\n"

START_TEST(op_to_opc_and_defaults)
{
	static const char text[] = HEAD MIN_CARD "op = \"cdc202d5123e20f62b6d676ac72cb318\";\n"
		"sqn = 12345;\n" TAIL;
	struct gba_profile *p;
	char err[256];
	size_t n;

	ck_assert_int_eq(gba_profiles_parse(text, "t", &p, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	assert_hex(p->cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	ck_assert_str_eq(p->name, "001010000000001");
	ck_assert_uint_eq(p->mnc_len, 2);
	ck_assert_uint_eq(p->ind_bitlen, 5);
	ck_assert_uint_eq(p->sqn, 12345);
	ck_assert(p->gba && !p->gba_u && p->gsm_access && !p->isim);
	assert_hex(p->amf, 2, "0000");
	ck_assert_str_eq(p->impi, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	gba_profiles_free(p, n);

	/* 3-digit MNC */
	ck_assert_int_eq(gba_profiles_parse(HEAD MIN_CARD OPC "mnc_length = 3;\n" TAIL, "t", &p,
					    &n, err, sizeof(err)), 0);
	ck_assert_str_eq(p->impi, "001010000000001@ims.mnc010.mcc001.3gppnetwork.org");
	gba_profiles_free(p, n);

	/* an empty list is fine */
	ck_assert_int_eq(gba_profiles_parse("cards = ( );", "t", &p, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	gba_profiles_free(p, n);
}
END_TEST

struct bad {
	const char *text;
	int line;
	const char *why;	/* substring of the reason */
};

static const struct bad bad[] = {
	{ HEAD MIN_CARD OPC "amf = \"b9\";\n" TAIL, 6, "'amf' must be 4 hex digits" },
	{ HEAD MIN_CARD "opc = \"cd63cb71954a9f4e48a5994e37a02bzz\";\n" TAIL, 5, "'opc' must be 32 hex" },
	{ HEAD "iccid = \"8988211000000000001\";\nimsi = \"001010000000001\";\n"
	  "k = \"465b5ce8b199b49faa5f0a2ee238a6\";\n" OPC TAIL, 4, "'k' must be 32 hex" },
	{ HEAD MIN_CARD OPC "algorithm = \"comp128\";\n" TAIL, 6, "unknown algorithm" },
	{ HEAD MIN_CARD OPC "op = \"cdc202d5123e20f62b6d676ac72cb318\";\n" TAIL, 6, "not both" },
	{ HEAD "iccid = \"8988211000000000001\";\nimsi = \"001010000000001\";\n" OPC TAIL, 1,
	  "missing 'k'" },
	{ HEAD MIN_CARD TAIL, 1, "needs 'opc' or 'op'" },
	{ HEAD "iccid = \"8988211000000000001\";\nimsi = \"00101000000000A\";\n"
	  "k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";\n" OPC TAIL, 3, "IMSI" },
	{ HEAD MIN_CARD OPC "ind_bitlen = 11;\n" TAIL, 6, "'ind_bitlen' must be 0..10" },
	{ HEAD MIN_CARD OPC "ind_bitln = 5;\n" TAIL, 6, "unknown field 'ind_bitln'" },
	{ HEAD MIN_CARD OPC TAIL "cards2 = 1;\n", 7, "unknown top-level setting" },
	{ HEAD MIN_CARD OPC "}, {\n" MIN_CARD OPC TAIL, 6, "duplicate IMSI 001010000000001 (first at t:1)" },
	{ HEAD MIN_CARD OPC "}, {\niccid = \"8988211000000000001\";\nimsi = \"001010000000002\";\n"
	  "k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";\n" OPC TAIL, 6, "duplicate ICCID" },
	{ HEAD "iccid = \"898821100000000000\";\nimsi = \"001010000000001\";\n"
	  "k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";\n" OPC TAIL, 2, "ICCID must be 19 or 20" },
	{ HEAD MIN_CARD OPC "mnc_length = 4;\n" TAIL, 6, "'mnc_length' must be 2..3" },
	{ HEAD MIN_CARD OPC "sqn = \"ff9bb4d0b6\";\n" TAIL, 6, "'sqn' must be 12 hex" },
	{ HEAD MIN_CARD OPC "sqn = 281474976710656L;\n" TAIL, 6, "'sqn' must be 0..281474976710655" },
	{ HEAD MIN_CARD OPC "gba_u = 1;\n" TAIL, 6, "'gba_u' must be true or false" },
	{ HEAD MIN_CARD OPC "gba = false;\ngba_u = true;\n" TAIL, 7, "contradicts" },
	{ HEAD MIN_CARD "algorithm = \"xor\";\n" OPC TAIL, 6, "xor algorithm takes no" },
	{ HEAD MIN_CARD OPC "isim = { impi = \"noat\"; };\n" TAIL, 6, "'impi' must be user@realm" },
	{ HEAD MIN_CARD OPC "isim = {\nimpu = [ \"a\", \"b\" ];\n};\n" TAIL, 7, "sip: or tel:" },
	{ HEAD MIN_CARD OPC "isim = {\nimpy = [ ];\n};\n" TAIL, 7, "unknown field 'impy' in isim" },
	{ HEAD MIN_CARD OPC "pin1 = {\ncode = \"12\";\n};\n" TAIL, 7, "PIN1 must be 4 to 8" },
	{ HEAD MIN_CARD OPC "pin1 = { enabled = true; };\n" TAIL, 6, "needs a 'code'" },
	{ HEAD MIN_CARD OPC "puk1 = \"1234\";\n" TAIL, 6, "PUK1 must be 8 digits" },
	{ HEAD MIN_CARD OPC "adm1 = \"zz\";\n" TAIL, 6, "ADM1" },
	{ HEAD MIN_CARD OPC "msisdn = \"+4930\";\n" TAIL, 6, "MSISDN" },
	{ HEAD MIN_CARD OPC "k = 5;\n" TAIL, 6, "duplicate setting name" },
	{ HEAD MIN_CARD OPC "key_lifetime = -1;\n" TAIL, 6, "'key_lifetime' must be 0.." },
	{ HEAD MIN_CARD OPC "name = ;\n" TAIL, 6, "syntax error" },
	{ "cards = { };\n", 1, "'cards' must be a list" },
	{ "cards = ( 1 );\n", 1, "each card must be a group" },
	{ "\n  @include \"/dev/zero\"\n", 2, "@include" },
	{ "x = 1;\n", 1, "unknown top-level" },
	{ "# nothing\n", 1, "no 'cards" },
	{ HEAD "imsi = \"001010000000001\";\n" TAIL, 1, "missing 'iccid'" },
	{ HEAD MIN_CARD OPC "name = \"0123456789012345678901234567890123456789012345678901234567"
	  "89012345\";\n" TAIL, 6, "'name' is too long" },
};

START_TEST(bad_profiles)
{
	const struct bad *b = &bad[_i];
	struct gba_profile *p = (void *)1;
	char err[512], want[64];
	size_t n = 7;
	int rc;

	rc = gba_profiles_parse(b->text, "t", &p, &n, err, sizeof(err));
	ck_assert_msg(rc == -EINVAL, "case %d: rc %d", _i, rc);
	ck_assert_msg(p == NULL && n == 0, "case %d: output not cleared", _i);
	snprintf(want, sizeof(want), "t:%d: ", b->line);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "case %d: '%s', want line %d", _i, err,
		      b->line);
	ck_assert_msg(strstr(err, b->why), "case %d: '%s' lacks '%s'", _i, err, b->why);
	/* no key material in error messages */
	ck_assert_msg(!strstr(err, "465b5ce8"), "case %d: key in '%s'", _i, err);
}
END_TEST

/* A duplicate across two files of a directory names both files. */
START_TEST(directory_duplicate)
{
	char dir[] = "/tmp/gba-test-profile.XXXXXX", path[300], err[512];
	struct gba_profile *p;
	size_t n;
	FILE *f;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%c.conf", dir, 'a' + i);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "%s", HEAD);
		fprintf(f, "iccid = \"898821100000000000%d\";\nimsi = \"001010000000001\";\n", i);
		fprintf(f, "k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";\n" OPC TAIL);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/ignored.txt", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "garbage");
	fclose(f);
	ck_assert_int_eq(gba_profiles_load(dir, &p, &n, err, sizeof(err)), -EINVAL);
	snprintf(path, sizeof(path), "%s/b.conf:1: duplicate IMSI 001010000000001 (first at %s/a.conf:1)",
		 dir, dir);
	ck_assert_str_eq(err, path);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%c.conf", dir, 'a' + i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/ignored.txt", dir);
	unlink(path);
	/* an empty directory is an error too */
	ck_assert_int_eq(gba_profiles_load(dir, &p, &n, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "no card"));
	rmdir(dir);
}
END_TEST

/* 100,000 generated cards through contrib/gba-profile-gen must load in < 20 s (2-4 s is
 * usual). AddressSanitizer builds are ~10 times slower: they load 25,000 in < 60 s. */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif
#ifdef ASAN_BUILD
#define LOAD_N		25000
#define LOAD_MAX_S	60.0
#define LOAD_LAST	"001010000124999"
#else
#define LOAD_N		100000
#define LOAD_MAX_S	20.0
#define LOAD_LAST	"001010000199999"
#endif
START_TEST(load_100k)
{
	char dir[] = "/tmp/gba-test-profile.XXXXXX", cmd[1200], path[300], err[512];
	struct gba_profile *p;
	struct timespec a, b;
	struct stat st;
	double secs;
	size_t n;

	/* under valgrind (tests/valgrind.sh sets GBA_VALGRIND) a tenth, a generous bound */
	bool vg = getenv("GBA_VALGRIND") != NULL;
	int load_n = vg ? LOAD_N / 10 : LOAD_N;
	char last[16];

	snprintf(last, sizeof(last), "%015llu", 1010000100000ULL + (unsigned int)load_n - 1);
	ck_assert_str_eq(vg ? last : LOAD_LAST, last);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/100k.conf", dir);
	snprintf(cmd, sizeof(cmd), "%s/contrib/gba-profile-gen -n %d -o '%s'", srcdir(), load_n,
		 path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(gba_profiles_load(path, &p, &n, err, sizeof(err)), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("test_profile: loaded %zu generated cards in %.2f s (%.0f cards/s)\n", n, secs,
	       n / secs);
	fflush(stdout);
	ck_assert_uint_eq(n, load_n);
	ck_assert_str_eq(p[load_n - 1].imsi, last);
	ck_assert_uint_eq(strlen(p[load_n - 1].iccid), 19);
	ck_assert_uint_eq(p[load_n - 1].ind_bitlen, 5);
	ck_assert(secs < (vg ? 10 * LOAD_MAX_S : LOAD_MAX_S));
	gba_profiles_free(p, n);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, set1_values);
	tcase_add_loop_test(tc, sets_opc, 0, 6);
	tcase_add_test(tc, other_samples);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, op_to_opc_and_defaults);
	tcase_add_loop_test(tc, bad_profiles, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, directory_duplicate);
	tcase_add_test(tc, load_100k);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

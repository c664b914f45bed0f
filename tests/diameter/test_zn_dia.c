/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Zn over Diameter codecs without peers: the BSF's BIR decoder
 * (bsf/zn_dia.c) and the NAF's BIA decoder (naf/zn_dia.c) on the messages captured by
 * tests/diameter/zn.sh and their broken variants (tests/fuzz/corpus/dia_bir, dia_bia), and
 * the BIA the BSF builds for each lookup result read back by the NAF: the same keys, times
 * and mode, 5403 -> -ENOENT, 5402 -> -EACCES, 5004 / 5012 -> -EIO.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include <gba/log.h>

#include "naf_priv.h"
#include "zn_dia.h"

/* A corpus file parsed against the dictionary; NULL when gba_dia_parse() refuses it. */
static struct msg *seed(const char *name, int *parse_rc)
{
	static uint8_t buf[4096];
	char path[512];
	const char *top = getenv("top_srcdir");
	struct msg *m = NULL;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/%s", top ? top : "../..", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	*parse_rc = gba_dia_parse(buf, n, &m);
	return *parse_rc ? NULL : m;
}

static int bir(const char *name, struct gba_zn_request *q, char origin[256])
{
	const char *why;
	int rc;
	struct msg *m = seed(name, &rc);

	if (!m)
		return rc;
	rc = zn_dia_bir_decode(m, q, origin, &why);
	ck_assert(rc == 0 || why != NULL);
	fd_msg_free(m);
	return rc;
}

static int bia(const char *name, struct naf_zn_result *r)
{
	int rc;
	struct msg *m = seed(name, &rc);

	if (!m)
		return rc;
	rc = naf_zn_dia_decode(m, r);
	fd_msg_free(m);
	return rc;
}

START_TEST(test_bir_decode)
{
	static const uint8_t digest[GBA_UA_ID_LEN] = { 1, 0, 0, 0, 2 };
	struct gba_zn_request q;
	char origin[256];

	ck_assert_int_eq(bir("dia_bir/bir-gba-me.bin", &q, origin), 0);
	ck_assert_str_eq(origin, "naf1.gba.test");
	ck_assert_ptr_nonnull(strstr(q.btid, "==@bsf.test.example"));
	ck_assert_int_eq(q.naf_id_len, strlen("naf1.test") + GBA_UA_ID_LEN);
	ck_assert_int_eq(memcmp(q.naf_id, "naf1.test", 9), 0);
	ck_assert_int_eq(memcmp(q.naf_id + 9, digest, GBA_UA_ID_LEN), 0);
	ck_assert(q.gba_u_aware);
	ck_assert_int_eq(q.n_gsid, 0);
	ck_assert_int_eq(bir("dia_bir/bir-gba-u-unaware.bin", &q, origin), 0);
	ck_assert(!q.gba_u_aware);
	ck_assert_int_eq(bir("dia_bir/bir-rogue.bin", &q, origin), 0);
	ck_assert_str_eq(origin, "rogue.gba.test");
	ck_assert_int_eq(bir("dia_bir/bir-gsids.bin", &q, origin), 0);
	ck_assert_int_eq(q.n_gsid, 2);
	ck_assert_int_eq(q.gsid[0], 4);
	ck_assert_int_eq(q.gsid[1], 1);
	/* negative: values the decoder refuses, and what freeDiameter's rules refuse first */
	ck_assert_int_eq(bir("dia_bir/bir-aware-2.bin", &q, origin), -EINVAL);
	ck_assert_int_eq(bir("dia_bir/bir-gsid-text.bin", &q, origin), -EINVAL);
	ck_assert_int_eq(bir("dia_bir/bir-nafid-short.bin", &q, origin), -EINVAL);
	ck_assert_int_eq(bir("dia_bir/bir-btid-nul.bin", &q, origin), -EINVAL);
	ck_assert_int_eq(bir("dia_bir/bir-no-nafid.bin", &q, origin), -EBADMSG);
	ck_assert_int_eq(bir("dia_bir/bir-truncated.bin", &q, origin), -EBADMSG);
}
END_TEST

START_TEST(test_bia_decode)
{
	struct naf_zn_result r;

	ck_assert_int_eq(bia("dia_bia/bia-gba-me.bin", &r), 0);
	ck_assert_str_eq(r.a.impi, "001010000000008@ims.mnc001.mcc001.3gppnetwork.org");
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_ME);
	ck_assert(!r.a.has_uicc_key);
	ck_assert_int_eq(r.a.gba_type, GBA_ZN_TYPE_3G);
	ck_assert_int_eq(r.a.key_expiry - r.a.creation_time, 3600);
	ck_assert_ptr_null(r.a.uss);
	gba_zn_answer_clear(&r.a);
	ck_assert_int_eq(bia("dia_bia/bia-gba-u-aware.bin", &r), 0);
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert(r.a.has_uicc_key);
	ck_assert_int_eq(r.a.key_expiry - r.a.creation_time, 7200);
	gba_zn_answer_clear(&r.a);
	ck_assert_int_eq(bia("dia_bia/bia-gba-u-unaware.bin", &r), 0);
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert(!r.a.has_uicc_key);
	gba_zn_answer_clear(&r.a);
	/* no UICC-ME: GBA_U exactly when UICC-Key-Material came */
	ck_assert_int_eq(bia("dia_bia/bia-no-uicc-me.bin", &r), 0);
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	gba_zn_answer_clear(&r.a);
	ck_assert_int_eq(bia("dia_bia/bia-uss.bin", &r), 0);
	ck_assert_ptr_nonnull(r.a.uss);
	ck_assert_ptr_nonnull(strstr(r.a.uss, "<ussList><uss id=\"1\""));
	gba_zn_answer_clear(&r.a);
	ck_assert_int_eq(bia("dia_bia/bia-5403.bin", &r), -ENOENT);
	ck_assert_int_eq(bia("dia_bia/bia-5402.bin", &r), -EACCES);
	ck_assert_int_eq(bia("dia_bia/bia-3002.bin", &r), -EHOSTUNREACH);
	ck_assert_int_eq(bia("dia_bia/bia-short-key.bin", &r), -EPROTO);
	ck_assert_int_eq(bia("dia_bia/bia-no-result.bin", &r), -EPROTO);
	ck_assert_int_eq(bia("dia_bia/bia-uicc-me-7.bin", &r), -EPROTO);
	ck_assert_int_eq(bia("dia_bia/bia-bad-time.bin", &r), -EPROTO);
}
END_TEST

/* The BSF's BIA for 'res' to the captured BIR, bytes parsed and decoded by the NAF. */
static int round_trip(const struct zn_result *res, struct naf_zn_result *r)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;
	struct msg *m = seed("dia_bir/bir-gba-u-aware.bin", &rc), *a = NULL;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(zn_dia_bia_build(&m, res), 0);
	ck_assert_int_eq(fd_msg_bufferize(m, &buf, &len), 0);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &a), 0);
	gba_zeroize(buf, len);
	free(buf);
	rc = naf_zn_dia_decode(a, r);
	fd_msg_free(a);
	return rc;
}

START_TEST(test_bia_round_trip)
{
	struct zn_result res;
	struct naf_zn_result r;

	memset(&res, 0, sizeof(res));
	res.result = ZN_R_OK;
	strcpy(res.a.impi, "001010000000007@ims.mnc001.mcc001.3gppnetwork.org");
	for (int i = 0; i < GBA_KS_NAF_LEN; i++) {
		res.a.me_key[i] = (uint8_t)i;
		res.a.uicc_key[i] = (uint8_t)(0xff - i);
	}
	res.a.has_uicc_key = true;
	res.a.uicc_me = GBA_ZN_UICC_ME_GBA_U;
	res.a.creation_time = 1893452400;	/* 2029-12-31T23:00:00Z */
	res.a.key_expiry = 2240611200;		/* 2041: after the 2036 NTP era change */
	ck_assert_int_eq(round_trip(&res, &r), 0);
	ck_assert_str_eq(r.a.impi, res.a.impi);
	ck_assert_int_eq(memcmp(r.a.me_key, res.a.me_key, GBA_KS_NAF_LEN), 0);
	ck_assert(r.a.has_uicc_key);
	ck_assert_int_eq(memcmp(r.a.uicc_key, res.a.uicc_key, GBA_KS_NAF_LEN), 0);
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert_int_eq(r.a.creation_time, res.a.creation_time);
	ck_assert_int_eq(r.a.key_expiry, res.a.key_expiry);
	gba_zn_answer_clear(&r.a);
	res.a.has_uicc_key = false;
	res.a.uicc_me = GBA_ZN_UICC_ME_GBA_ME;
	ck_assert_int_eq(round_trip(&res, &r), 0);
	ck_assert(!r.a.has_uicc_key);
	ck_assert_int_eq(r.a.uicc_me, GBA_ZN_UICC_ME_GBA_ME);
	gba_zn_answer_clear(&r.a);
	memset(&res, 0, sizeof(res));
	res.result = ZN_R_UNKNOWN_BTID;
	res.code = GBA_DIA_ERROR_BTID_INVALID;
	ck_assert_int_eq(round_trip(&res, &r), -ENOENT);
	res.result = ZN_R_FOREIGN_BTID;
	ck_assert_int_eq(round_trip(&res, &r), -ENOENT);
	res.result = ZN_R_UNAUTHORIZED;
	res.code = GBA_DIA_ERROR_NOT_AUTHORIZED;
	ck_assert_int_eq(round_trip(&res, &r), -EACCES);
	res.result = ZN_R_MALFORMED;
	ck_assert_int_eq(round_trip(&res, &r), -EIO);
	res.result = ZN_R_ERROR;
	ck_assert_int_eq(round_trip(&res, &r), -EIO);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("zn_dia");
	TCase *tc = tcase_create("zn_dia");
	SRunner *sr;
	int failed;

	gba_log_set_level(GBA_LL_NONE);
	if (gba_dia_init_offline())
		return EXIT_FAILURE;
	/* our identity for the answers' Origin-Host/Realm: a configuration without peers,
	 * parsed but never started (no listener, no thread) */
	{
		char conf[] = "/tmp/test_zn_dia.XXXXXX";
		int fd = mkstemp(conf);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (!f)
			return EXIT_FAILURE;
		fprintf(f, "Identity = \"bsf.gba.test\";\nRealm = \"gba.test\";\n"
			"SecPort = 0;\nNo_SCTP;\nNo_IPv6;\n");
		fclose(f);
		fd = fd_core_parseconf(conf);
		unlink(conf);
		if (fd)
			return EXIT_FAILURE;
	}
	tcase_add_test(tc, test_bir_decode);
	tcase_add_test(tc, test_bia_decode);
	tcase_add_test(tc, test_bia_round_trip);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* libfdcore is initialised once per process: run the cases in this one */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for apdu/uicc_cmd.c, uicc_auth.c, uicc_files.c: builders byte-exact
 * against gba-spec-notes.md 5.2 and TS 102 221, card-side parsers, AUTHENTICATE
 * both ways, FCP, EF_DIR, EF_GBABP, EF_GBANL, EF_IMPI, EF_IMSI, and malformed input.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/tlv.h>
#include <gba/uicc_cmd.h>

#include "apdu_test.h"

/* Milenage test set 1 (TS 35.208) as used in gba-spec-notes.md 5.2 */
#define RAND1	"23553cbe9637a89d218ae64dae47bf35"
#define AUTN1	"55f328b43577b9b94a9ffac354dfafb3"
#define RES1	"a54211d5e3ba50bf"
#define CK1	"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK1	"f769bcd751044604127672711c6d3441"
#define KC1	"eae4be823af9a08b"
#define KSNAF1	"f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0"
#define NAF_ID	"naf.example.com\x01\x00\x00\x00\x02"
#define NAF_ID_LEN 20
#define IMPI1	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"

static void expect_bytes(const uint8_t *got, int n, const char *hex)
{
	uint8_t want[300];
	size_t wl = hx(want, sizeof(want), hex);

	ck_assert_int_eq(n, (int)wl);
	ck_assert_mem_eq(got, want, wl);
}

static void decode(struct gba_capdu *c, const uint8_t *b, int n)
{
	ck_assert_int_ge(n, 4);
	ck_assert_int_eq(gba_capdu_decode(c, b, (size_t)n, NULL), 0);
}

START_TEST(auth_3g_notes)
{
	uint8_t rand[16], autn[16], out[GBA_CAPDU_SHORT_MAX_LEN], rsp[64];
	uint8_t res[8], ck[16], ik[16], kc[8];
	struct gba_auth_rsp r;
	struct gba_auth_cmd a;
	struct gba_capdu c;
	int n;

	hx(rand, 16, RAND1);
	hx(autn, 16, AUTN1);
	n = gba_cmd_auth_3g(out, sizeof(out), 0, rand, autn);
	expect_bytes(out, n, "00880081221023553cbe9637a89d218ae64dae47bf351055f328b43577b9b9"
		     "4a9ffac354dfafb300");
	/* card side */
	decode(&c, out, n);
	ck_assert_int_eq(gba_auth_cmd_parse(&a, &c), 0);
	ck_assert_int_eq(a.mode, GBA_AUTH_3G);
	ck_assert_mem_eq(a.rand, rand, 16);
	ck_assert_mem_eq(a.autn, autn, 16);
	hx(res, 8, RES1);
	hx(ck, 16, CK1);
	hx(ik, 16, IK1);
	hx(kc, 8, KC1);
	n = gba_auth_rsp_build_3g(rsp, sizeof(rsp), res, 8, ck, ik, kc);
	expect_bytes(rsp, n, "db08" RES1 "10" CK1 "10" IK1 "08" KC1);
	/* ME side */
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_3G, rsp, (size_t)n), 0);
	ck_assert_int_eq(r.tag, GBA_AUTH_TAG_OK);
	ck_assert_uint_eq(r.res_len, 8);
	ck_assert_mem_eq(r.res, res, 8);
	ck_assert_mem_eq(r.ck, ck, 16);
	ck_assert_mem_eq(r.ik, ik, 16);
	ck_assert(r.has_kc);
	ck_assert_mem_eq(r.kc, kc, 8);
	/* without Kc */
	n = gba_auth_rsp_build_3g(rsp, sizeof(rsp), res, 8, ck, ik, NULL);
	ck_assert_int_eq(n, 1 + 9 + 17 + 17);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_3G, rsp, (size_t)n), 0);
	ck_assert(!r.has_kc);
	ck_assert_int_eq(gba_auth_rsp_build_3g(rsp, 20, res, 8, ck, ik, NULL), -ENOSPC);
	ck_assert_int_eq(gba_auth_rsp_build_3g(rsp, sizeof(rsp), res, 3, ck, ik, NULL), -EINVAL);
	gba_zeroize(&r, sizeof(r));
}
END_TEST

START_TEST(auth_gba_boot_notes)
{
	uint8_t rand[16], autn[16], out[GBA_CAPDU_SHORT_MAX_LEN], rsp[64], res[8];
	struct gba_auth_rsp r;
	struct gba_auth_cmd a;
	struct gba_capdu c;
	int n;

	hx(rand, 16, RAND1);
	hx(autn, 16, AUTN1);
	hx(res, 8, RES1);
	n = gba_cmd_auth_gba_boot(out, sizeof(out), 0, rand, autn);
	expect_bytes(out, n, "0088008423dd1023553cbe9637a89d218ae64dae47bf351055f328b43577b9b9"
		     "4a9ffac354dfafb300");
	decode(&c, out, n);
	ck_assert_int_eq(gba_auth_cmd_parse(&a, &c), 0);
	ck_assert_int_eq(a.mode, GBA_AUTH_GBA_BOOT);
	ck_assert_mem_eq(a.rand, rand, 16);
	ck_assert_mem_eq(a.autn, autn, 16);
	n = gba_auth_rsp_build_gba_boot(rsp, sizeof(rsp), res, 8);
	expect_bytes(rsp, n, "db08" RES1);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_GBA_BOOT, rsp, (size_t)n), 0);
	ck_assert_uint_eq(r.res_len, 8);
	ck_assert_mem_eq(r.res, res, 8);
	/* a 3G-shaped answer is not a GBA bootstrap answer */
	n = gba_auth_rsp_build_3g(rsp, sizeof(rsp), res, 8, rand, autn, NULL);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_GBA_BOOT, rsp, (size_t)n), -EINVAL);
}
END_TEST

START_TEST(auth_gba_naf_notes)
{
	uint8_t out[GBA_CAPDU_SHORT_MAX_LEN], rsp[64], ks[32];
	struct gba_auth_rsp r;
	struct gba_auth_cmd a;
	struct gba_capdu c;
	int n;

	n = gba_cmd_auth_gba_naf(out, sizeof(out), 0, (const uint8_t *)NAF_ID, NAF_ID_LEN,
				 (const uint8_t *)IMPI1, strlen(IMPI1));
	expect_bytes(out, n, "0088008448de146e61662e6578616d706c652e636f6d0100000002313030313031"
		     "3030303030303030303140696d732e6d6e633030312e6d63633030312e336770706e65"
		     "74776f726b2e6f726700");
	decode(&c, out, n);
	ck_assert_int_eq(gba_auth_cmd_parse(&a, &c), 0);
	ck_assert_int_eq(a.mode, GBA_AUTH_GBA_NAF);
	ck_assert_uint_eq(a.naf_id_len, NAF_ID_LEN);
	ck_assert_mem_eq(a.naf_id, NAF_ID, NAF_ID_LEN);
	ck_assert_uint_eq(a.impi_len, strlen(IMPI1));
	ck_assert_mem_eq(a.impi, IMPI1, strlen(IMPI1));
	hx(ks, 32, KSNAF1);
	n = gba_auth_rsp_build_gba_naf(rsp, sizeof(rsp), ks);
	expect_bytes(rsp, n, "db20" KSNAF1);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_GBA_NAF, rsp, (size_t)n), 0);
	ck_assert_mem_eq(r.ks_ext_naf, ks, 32);
	/* too long: 3 + 200 + 100 > 255 */
	{
		static uint8_t big[200];

		ck_assert_int_eq(gba_cmd_auth_gba_naf(out, sizeof(out), 0, big, 200, big, 100),
				 -E2BIG);
		ck_assert_int_eq(gba_cmd_auth_gba_naf(out, sizeof(out), 0, big, 0, big, 10),
				 -EINVAL);
	}
}
END_TEST

START_TEST(auth_sync_failure)
{
	uint8_t auts[14], rsp[32];
	struct gba_auth_rsp r;
	int n;

	memset(auts, 0x3c, sizeof(auts));
	n = gba_auth_rsp_build_sync(rsp, sizeof(rsp), auts);
	ck_assert_int_eq(n, 16);
	ck_assert_int_eq(rsp[0], 0xdc);
	ck_assert_int_eq(rsp[1], 0x0e);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_3G, rsp, 16), 0);
	ck_assert_int_eq(r.tag, GBA_AUTH_TAG_SYNC);
	ck_assert_mem_eq(r.auts, auts, 14);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_GBA_BOOT, rsp, 16), 0);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_GBA_NAF, rsp, 16), -EINVAL);
}
END_TEST

START_TEST(auth_rsp_malformed)
{
	static const struct {
		enum gba_auth_mode mode;
		const char *hex;
	} bad[] = {
		{ GBA_AUTH_3G, "" },
		{ GBA_AUTH_3G, "db" },
		{ GBA_AUTH_3G, "dd08" RES1 },					/* unknown tag */
		{ GBA_AUTH_3G, "db03aabbcc10" CK1 "10" IK1 },			/* RES 3 bytes */
		{ GBA_AUTH_3G, "db11" CK1 "aa10" CK1 "10" IK1 },		/* RES 17 bytes */
		{ GBA_AUTH_3G, "db08" RES1 "0f" "b40ba9a3c58b2a05bbf0d987b21bf8" "10" IK1 },
		{ GBA_AUTH_3G, "db08" RES1 "10" CK1 },				/* no IK */
		{ GBA_AUTH_3G, "db08" RES1 "10" CK1 "10" IK1 "07eae4be823af9a0" }, /* Kc 7 */
		{ GBA_AUTH_3G, "db08" RES1 "10" CK1 "10" IK1 "08" KC1 "00" },	/* trailing */
		{ GBA_AUTH_3G, "db08" RES1 "10" CK1 "10" "f769bcd7" },		/* IK cut */
		{ GBA_AUTH_3G, "dc0daabbccddeeff00112233445566" },		/* AUTS 13 */
		{ GBA_AUTH_3G, "dc0eaabbccddeeff0011223344556677" "00" },	/* trailing */
		{ GBA_AUTH_GBA_BOOT, "db08" RES1 "00" },			/* trailing */
		{ GBA_AUTH_GBA_BOOT, "db09" RES1 },				/* cut */
		{ GBA_AUTH_GBA_NAF, "db1f" "00112233445566778899aabbccddeeff"
				    "00112233445566778899aabbccddee" },
		{ GBA_AUTH_GBA_NAF, "db20" KSNAF1 "ff" },
		{ GBA_AUTH_GBA_NAF, "db08" RES1 },
	};
	uint8_t b[128];
	struct gba_auth_rsp r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = hx(b, sizeof(b), bad[i].hex);

		ck_assert_msg(gba_auth_rsp_parse(&r, bad[i].mode, b, n) == -EINVAL,
			      "accepted %s", bad[i].hex);
		ck_assert(gba_is_erased((const uint8_t *)"", 0));
		ck_assert_uint_eq(r.res_len, 0);	/* wiped */
	}
	ck_assert_int_eq(gba_auth_rsp_parse(&r, 0, b, 4), -EINVAL);
	ck_assert_int_eq(gba_auth_rsp_parse(&r, GBA_AUTH_3G, NULL, 4), -EINVAL);
}
END_TEST

START_TEST(auth_cmd_malformed)
{
	static const struct {
		const char *hex;
		int rc;
	} bad[] = {
		{ "0088018122" "10" RAND1 "10" AUTN1 "00", -EINVAL },	/* P1 01 */
		{ "0088008222" "10" RAND1 "10" AUTN1 "00", -EOPNOTSUPP },	/* VGCS */
		{ "0088008022" "10" RAND1 "10" AUTN1 "00", -EOPNOTSUPP },	/* GSM */
		{ "0088008100", -EINVAL },					/* no data */
		{ "0088008123" "11" RAND1 "00" "0f" AUTN1 "00", -EINVAL },	/* L 11 */
		{ "0088008121" "10" RAND1 "10" "55f328b43577b9b94a9ffac354dfaf" "00", -EINVAL },
		{ "0088008423" "dc10" RAND1 "10" AUTN1 "00", -EOPNOTSUPP },	/* mode DC */
		{ "0088008422" "dd10" RAND1 "10" "55f328b43577b9b94a9ffac354dfaf" "00", -EINVAL },
		{ "0088008403" "de0000" "00", -EINVAL },			/* empty NAF_Id */
		{ "0088008404" "de016100" "00", -EINVAL },			/* empty IMPI */
		{ "0088008405" "de01610262" "00", -EINVAL },		/* IMPI L past end */
		{ "0088008406" "de0361620162" "00", -EINVAL },			/* NAF L past end */
		{ "0088008407" "de016101626300", -EINVAL },			/* trailing */
		{ "0088008401" "de" "00", -EINVAL },
	};
	uint8_t b[128];
	struct gba_auth_cmd a;
	struct gba_capdu c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = hx(b, sizeof(b), bad[i].hex);

		decode(&c, b, (int)n);
		ck_assert_msg(gba_auth_cmd_parse(&a, &c) == bad[i].rc, "%s", bad[i].hex);
	}
}
END_TEST

START_TEST(select_builders)
{
	uint8_t out[64];
	static const uint16_t path[] = { 0x7fff, 0x6fd6 };
	struct gba_select_cmd s;
	struct gba_capdu c;
	int n;

	/* notes 5.1: partial AID select, 00 A4 04 04 07 A0000000871002 (+ Le 00) */
	n = gba_cmd_select_aid(out, sizeof(out), 0, gba_aid_usim_prefix, 7, true);
	expect_bytes(out, n, "00a4040407a000000087100200");
	decode(&c, out, n);
	ck_assert_int_eq(gba_select_cmd_parse(&s, &c), 0);
	ck_assert_int_eq(s.by, GBA_SELECT_AID);
	ck_assert(s.fcp);
	ck_assert_uint_eq(s.aid_len, 7);
	ck_assert_int_eq(gba_aid_app_type(s.aid, s.aid_len), GBA_APP_USIM);
	n = gba_cmd_select_aid(out, sizeof(out), 0, gba_aid_isim_prefix, 7, false);
	expect_bytes(out, n, "00a4040c07a0000000871004");
	n = gba_cmd_select_fid(out, sizeof(out), 0, GBA_FID_EF_DIR, true);
	expect_bytes(out, n, "00a40004022f0000");
	decode(&c, out, n);
	ck_assert_int_eq(gba_select_cmd_parse(&s, &c), 0);
	ck_assert_int_eq(s.fid, 0x2f00);
	n = gba_cmd_select_fid(out, sizeof(out), 2, GBA_FID_MF, false);
	expect_bytes(out, n, "02a4000c023f00");
	n = gba_cmd_select_path(out, sizeof(out), 0, path, 2, true, true);
	expect_bytes(out, n, "00a40804047fff6fd600");
	decode(&c, out, n);
	ck_assert_int_eq(gba_select_cmd_parse(&s, &c), 0);
	ck_assert_int_eq(s.by, GBA_SELECT_PATH_MF);
	ck_assert_uint_eq(s.path_len, 2);
	ck_assert_int_eq(s.path[1], 0x6fd6);
	n = gba_cmd_select_path(out, sizeof(out), 5, path, 1, false, false);
	expect_bytes(out, n, "41a4090c027fff");
	{
		static const uint16_t mfpath[] = { 0x3f00, 0x2f00 };

		ck_assert_int_eq(gba_cmd_select_path(out, sizeof(out), 0, mfpath, 2, true, true),
				 -EINVAL);
	}
	ck_assert_int_eq(gba_cmd_select_aid(out, sizeof(out), 0, out, 17, true), -EINVAL);
	ck_assert_int_eq(gba_cmd_select_fid(out, sizeof(out), 20, 0x3f00, true), -EINVAL);
	ck_assert_int_eq(gba_cmd_select_fid(out, 6, 0, 0x3f00, true), -ENOSPC);
}
END_TEST

START_TEST(select_parse_malformed)
{
	static const struct {
		const char *hex;
		int rc;
	} bad[] = {
		{ "00a40004033f0000", -EINVAL },		/* FID of 3 bytes */
		{ "00a40004013f", -EINVAL },
		{ "00a4080403aabbcc", -EINVAL },		/* odd path */
		{ "00a4040411a0000000871002ffffffff89030500010000", -EINVAL },	/* AID 17 */
		{ "00a40000023f00", -EOPNOTSUPP },		/* P2 00: FCI */
		{ "00a40008023f00", -EOPNOTSUPP },		/* P2 08: FMD */
		{ "00a40084023f00", -EINVAL },			/* P2 b8 */
		{ "00a40204023f00", -EINVAL },			/* P1 02 */
		{ "00a4030402aabb", -EINVAL },			/* parent with data */
		{ "00b00004023f00", -EINVAL },			/* not SELECT */
	};
	uint8_t b[64];
	struct gba_select_cmd s;
	struct gba_capdu c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = hx(b, sizeof(b), bad[i].hex);

		decode(&c, b, (int)n);
		ck_assert_msg(gba_select_cmd_parse(&s, &c) == bad[i].rc, "%s", bad[i].hex);
	}
}
END_TEST

START_TEST(file_commands)
{
	uint8_t out[64];
	struct gba_file_cmd f;
	struct gba_capdu c;
	int n;

	n = gba_cmd_read_binary(out, sizeof(out), 0, 0x0102, 256);
	expect_bytes(out, n, "00b0010200");
	decode(&c, out, n);
	ck_assert_int_eq(gba_file_cmd_parse(&f, &c), 0);
	ck_assert_int_eq(f.offset, 0x0102);
	ck_assert_uint_eq(f.len, 256);
	n = gba_cmd_update_binary(out, sizeof(out), 0, 0, (const uint8_t *)"\x10\x01\x02", 3);
	expect_bytes(out, n, "00d6000003100102");
	decode(&c, out, n);
	ck_assert_int_eq(gba_file_cmd_parse(&f, &c), 0);
	ck_assert_uint_eq(f.len, 3);
	ck_assert_int_eq(f.data[0], 0x10);
	n = gba_cmd_read_record(out, sizeof(out), 0, 1, GBA_REC_ABSOLUTE, 0, 0x20);
	expect_bytes(out, n, "00b2010420");
	decode(&c, out, n);
	ck_assert_int_eq(gba_file_cmd_parse(&f, &c), 0);
	ck_assert_int_eq(f.rec, 1);
	ck_assert_int_eq(f.mode, GBA_REC_ABSOLUTE);
	ck_assert_int_eq(f.sfi, 0);
	n = gba_cmd_read_record(out, sizeof(out), 0, 2, GBA_REC_ABSOLUTE, 0x1e, 0x20);
	expect_bytes(out, n, "00b202f420");
	n = gba_cmd_update_record(out, sizeof(out), 0, 3, GBA_REC_ABSOLUTE, 0,
				  (const uint8_t *)"\x80\x00", 2);
	expect_bytes(out, n, "00dc0304028000");
	decode(&c, out, n);
	ck_assert_int_eq(gba_file_cmd_parse(&f, &c), 0);
	ck_assert_int_eq(f.rec, 3);
	ck_assert_int_eq(gba_cmd_update_record(out, sizeof(out), 0, 3, GBA_REC_NEXT, 0, out, 2),
			 -EINVAL);
	ck_assert_int_eq(gba_cmd_read_binary(out, sizeof(out), 0, 0x8000, 1), -EINVAL);
	ck_assert_int_eq(gba_cmd_read_record(out, sizeof(out), 0, 1, 5, 0, 1), -EINVAL);
	ck_assert_int_eq(gba_cmd_read_record(out, sizeof(out), 0, 1, GBA_REC_ABSOLUTE, 31, 1),
			 -EINVAL);
	/* SFI form of READ BINARY parsed on the card side */
	n = (int)hx(out, sizeof(out), "00b0860410");
	decode(&c, out, n);
	ck_assert_int_eq(gba_file_cmd_parse(&f, &c), 0);
	ck_assert_int_eq(f.sfi, 6);
	ck_assert_int_eq(f.offset, 4);
	/* status, get response */
	n = gba_cmd_status(out, sizeof(out), 0, 0, GBA_STATUS_RET_FCP, 256);
	expect_bytes(out, n, "80f2000000");
	n = gba_cmd_status(out, sizeof(out), 1, 0, GBA_STATUS_RET_NONE, 0);
	expect_bytes(out, n, "81f2000c");
	ck_assert_int_eq(gba_cmd_status(out, sizeof(out), 0, 0, GBA_STATUS_RET_NONE, 1), -EINVAL);
	n = gba_cmd_get_response(out, sizeof(out), 0x81, 0x1a);
	expect_bytes(out, n, "01c000001a");
	n = gba_cmd_get_response(out, sizeof(out), 0x00, 256);
	expect_bytes(out, n, "00c0000000");
}
END_TEST

START_TEST(file_cmd_malformed)
{
	static const char *const bad[] = {
		"00b0a00010",		/* SFI with b7/b6 set */
		"00b0800010",		/* SFI 0 */
		"00b09f0010",		/* SFI 31 */
		"00b000000101",		/* READ with data */
		"00b00000",		/* READ without Le */
		"00d60000",		/* UPDATE without data */
		"00b2010520",		/* record mode 5 */
		"00b201fc20",		/* record SFI 31 */
		"00dc010202aabb",	/* UPDATE RECORD next mode */
		"00a4000000",		/* not a file command */
	};
	uint8_t b[32];
	struct gba_file_cmd f;
	struct gba_capdu c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = hx(b, sizeof(b), bad[i]);

		decode(&c, b, (int)n);
		ck_assert_msg(gba_file_cmd_parse(&f, &c) == -EINVAL, "%s", bad[i]);
	}
}
END_TEST

START_TEST(pin_commands)
{
	uint8_t out[64];
	struct gba_pin_cmd p;
	struct gba_capdu c;
	int n;

	n = gba_cmd_verify_pin(out, sizeof(out), 0, GBA_PIN_APPL1, "1234");
	expect_bytes(out, n, "002000010831323334ffffffff");
	decode(&c, out, n);
	ck_assert_int_eq(gba_pin_cmd_parse(&p, &c), 0);
	ck_assert_str_eq(p.pin, "1234");
	ck_assert(!p.query);
	n = gba_cmd_verify_pin(out, sizeof(out), 0, GBA_PIN_APPL1, NULL);
	expect_bytes(out, n, "00200001");
	decode(&c, out, n);
	ck_assert_int_eq(gba_pin_cmd_parse(&p, &c), 0);
	ck_assert(p.query);
	n = gba_cmd_unblock_pin(out, sizeof(out), 0, GBA_PIN_APPL1, "12345678", "0000");
	expect_bytes(out, n, "002c0001103132333435363738" "30303030ffffffff");
	decode(&c, out, n);
	ck_assert_int_eq(gba_pin_cmd_parse(&p, &c), 0);
	ck_assert_str_eq(p.pin, "12345678");
	ck_assert_str_eq(p.new_pin, "0000");
	ck_assert_int_eq(gba_cmd_verify_pin(out, sizeof(out), 0, 1, "123"), -EINVAL);
	ck_assert_int_eq(gba_cmd_verify_pin(out, sizeof(out), 0, 1, "123456789"), -EINVAL);
	ck_assert_int_eq(gba_cmd_verify_pin(out, sizeof(out), 0, 1, "12a4"), -EINVAL);
	ck_assert_int_eq(gba_cmd_unblock_pin(out, sizeof(out), 0, 1, "12345678", NULL), -EINVAL);
	/* malformed PIN blocks on the card side */
	{
		static const char *const bad[] = {
			"002000010831323334ff31ffff",	/* digit after padding */
			"0020000108313233ffffffffff",	/* 3 digits */
			"002000010731323334ffffff",	/* Lc 7 */
			"002001010831323334ffffffff",	/* P1 01 */
			"0020000008313233340000ffff",	/* 00 padding */
			"00240001",			/* CHANGE PIN query */
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			size_t l = hx(out, sizeof(out), bad[i]);

			decode(&c, out, (int)l);
			ck_assert_msg(gba_pin_cmd_parse(&p, &c) == -EINVAL, "%s", bad[i]);
		}
	}
}
END_TEST

START_TEST(fcp_roundtrip)
{
	/* a real-card style FCP of EF_GBANL: linear fixed, 2 records of 0x30 bytes */
	uint8_t b[128], out[128];
	size_t n = hx(b, sizeof(b), "6219" "8205422100300283026fda" "a506c00140de0100"
		      "8a0105" "8b036f0603" "80020060" "8800");
	struct gba_fcp f, g;
	int m;

	b[1] = (uint8_t)(n - 2);
	ck_assert_int_eq(gba_fcp_parse(&f, b, n), 0);
	ck_assert_int_eq(f.fdb, 0x42);
	ck_assert_int_eq(f.structure, GBA_EF_LINEAR_FIXED);
	ck_assert(f.shareable);
	ck_assert_int_eq(f.rec_len, 0x30);
	ck_assert_int_eq(f.rec_count, 2);
	ck_assert(f.has_fid);
	ck_assert_int_eq(f.fid, 0x6fda);
	ck_assert(f.has_lcsi);
	ck_assert_int_eq(f.lcsi, 5);
	ck_assert(f.has_size);
	ck_assert_uint_eq(f.size, 0x60);
	ck_assert(f.has_sfi);
	ck_assert_int_eq(f.sfi, 0);
	ck_assert_int_eq(f.sec_tag, 0x8b);
	ck_assert_uint_eq(f.sec_attr_len, 3);
	ck_assert_uint_eq(f.prop_len, 6);
	/* build it again and parse the result */
	m = gba_fcp_build(out, sizeof(out), &f);
	ck_assert_int_gt(m, 0);
	ck_assert_int_eq(gba_fcp_parse(&g, out, (size_t)m), 0);
	ck_assert_int_eq(g.fid, 0x6fda);
	ck_assert_int_eq(g.rec_len, 0x30);
	ck_assert_int_eq(g.rec_count, 2);
	ck_assert_uint_eq(g.size, 0x60);
	ck_assert_int_eq(g.lcsi, 5);
	ck_assert_mem_eq(g.sec_attr, f.sec_attr, 3);
	/* an ADF: DF descriptor, AID, PIN status DO */
	n = hx(b, sizeof(b), "622c" "82027821" "8410a0000000871002ffffffff8903050001"
	       "8a0105" "8b032f0601" "c60c90017083010183018183010a" "8102ffff");
	b[1] = (uint8_t)(n - 2);
	ck_assert_int_eq(gba_fcp_parse(&f, b, n), 0);
	ck_assert_int_eq(f.structure, GBA_DF);
	ck_assert_uint_eq(f.aid_len, 16);
	ck_assert_int_eq(gba_aid_app_type(f.aid, f.aid_len), GBA_APP_USIM);
	ck_assert_uint_eq(f.pin_do_len, 12);
	ck_assert_uint_eq(f.total_size, 0xffff);
	ck_assert(!f.has_fid);
	ck_assert_int_eq(gba_fcp_build(out, 10, &f), -ENOSPC);
}
END_TEST

START_TEST(fcp_malformed)
{
	static const char *const bad[] = {
		"",
		"6f0482024121",			/* not 62 */
		"620483026fda",			/* no 82 */
		"6203820141",			/* 82 of 1 byte */
		"62058203412100",		/* 82 of 3 bytes */
		"6208820241218301aa",		/* 83 of 1 byte */
		"6208820241218a020505",		/* 8A of 2 bytes */
		"620882024121880208",		/* 88 of 2 bytes */
		"620982024121800500",		/* 80 cut */
		"620b8202412180050000000001",	/* 80 of 5 bytes */
		"62068202412180",		/* 80 no length */
		"620782024121",			/* template longer than buffer */
		"6204820241210000",		/* trailing bytes */
		"621782024121841100112233445566778899aabbccddeeff00",	/* AID 17 */
	};
	uint8_t b[64];
	struct gba_fcp f;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n;

		n = gba_hex_decode_var(b, sizeof(b), bad[i]);
		ck_assert_int_ge(n, 0);
		ck_assert_msg(gba_fcp_parse(&f, b, (size_t)n) == -EINVAL, "accepted %s", bad[i]);
	}
}
END_TEST

START_TEST(ef_dir_records)
{
	uint8_t b[64], out[40];
	size_t n = hx(b, sizeof(b), "61194f10a0000000871002ffffffff8903050001500555534d2031ffff");
	struct gba_dir_rec d, e;
	int m;

	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), 0);
	ck_assert_uint_eq(d.aid_len, 16);
	ck_assert_int_eq(gba_aid_app_type(d.aid, d.aid_len), GBA_APP_USIM);
	ck_assert_str_eq(gba_app_type_name(gba_aid_app_type(d.aid, d.aid_len)), "USIM");
	m = gba_dir_rec_build(out, sizeof(out), &d);
	ck_assert_int_eq(m, (int)sizeof(out));
	ck_assert_int_eq(out[sizeof(out) - 1], 0xff);
	ck_assert_int_eq(gba_dir_rec_parse(&e, out, sizeof(out)), 0);
	ck_assert_mem_eq(e.aid, d.aid, 16);
	ck_assert_str_eq(e.label, d.label);
	memset(b, 0xff, 20);
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, 20), -ENOENT);
	/* malformed */
	n = hx(b, sizeof(b), "6203500141");		/* no AID */
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), -EINVAL);
	n = hx(b, sizeof(b), "62034f0141");		/* not 61 */
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), -EINVAL);
	n = hx(b, sizeof(b), "61074f0141500200ff");	/* label with NUL */
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), -EINVAL);
	n = hx(b, sizeof(b), "61024f00");		/* empty AID */
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), -EINVAL);
	n = hx(b, sizeof(b), "61054f05a000");		/* AID cut */
	ck_assert_int_eq(gba_dir_rec_parse(&d, b, n), -EINVAL);
	ck_assert_int_eq(gba_dir_rec_build(out, 10, &e), -ENOSPC);
}
END_TEST

START_TEST(gbabp_gbanl)
{
	uint8_t b[128], out[128];
	struct gba_gbabp g, h;
	struct gba_gbanl_rec nl, nm;
	const char *btid = "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org";
	size_t n;
	int m;

	/* EF_GBABP after bootstrapping: RAND only */
	n = hx(b, sizeof(b), "10" RAND1);
	ck_assert_int_eq(gba_gbabp_parse(&g, b, n), 0);
	ck_assert_uint_eq(g.rand_len, 16);
	ck_assert_uint_eq(g.btid_len, 0);
	ck_assert_uint_eq(g.lifetime_len, 0);
	/* full */
	g.btid = (const uint8_t *)btid;
	g.btid_len = strlen(btid);
	g.lifetime = (const uint8_t *)"2026-11-24T08:00:00Z";
	g.lifetime_len = 20;
	m = gba_gbabp_build(out, sizeof(out), &g);
	ck_assert_int_eq(m, 3 + 16 + (int)strlen(btid) + 20);
	memset(out + m, 0x55, 4);	/* old bytes left behind are ignored */
	ck_assert_int_eq(gba_gbabp_parse(&h, out, (size_t)m + 4), 0);
	ck_assert_mem_eq(h.btid, btid, strlen(btid));
	ck_assert_uint_eq(h.lifetime_len, 20);
	ck_assert_int_eq(gba_gbabp_build(out, 20, &g), -ENOSPC);
	memset(b, 0xff, 8);
	ck_assert_int_eq(gba_gbabp_parse(&g, b, 8), -ENOENT);
	n = hx(b, sizeof(b), "0f" "b40ba9a3c58b2a05bbf0d987b21bf8");	/* RAND 15 */
	ck_assert_int_eq(gba_gbabp_parse(&g, b, n), -EINVAL);
	n = hx(b, sizeof(b), "10" RAND1 "0541");			/* B-TID cut */
	ck_assert_int_eq(gba_gbabp_parse(&g, b, n), -EINVAL);

	/* EF_GBANL record */
	nl.naf_id = (const uint8_t *)NAF_ID;
	nl.naf_id_len = NAF_ID_LEN;
	nl.btid = (const uint8_t *)btid;
	nl.btid_len = strlen(btid);
	m = gba_gbanl_rec_build(out, 80, &nl);
	ck_assert_int_eq(m, 80);
	ck_assert_int_eq(out[0], 0x80);
	ck_assert_int_eq(out[1], NAF_ID_LEN);
	ck_assert_int_eq(out[2 + NAF_ID_LEN], 0x81);
	ck_assert_int_eq(out[79], 0xff);
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, out, 80), 0);
	ck_assert_mem_eq(nm.naf_id, NAF_ID, NAF_ID_LEN);
	ck_assert_uint_eq(nm.btid_len, strlen(btid));
	ck_assert_int_eq(gba_gbanl_rec_build(out, 30, &nl), -ENOSPC);
	memset(out, 0xff, 30);
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, out, 30), -ENOENT);
	n = hx(b, sizeof(b), "8006616263640102" "8100");		/* empty B-TID */
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, b, n), -EINVAL);
	n = hx(b, sizeof(b), "800161" "810141");			/* NAF_Id too short */
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, b, n), -EINVAL);
	n = hx(b, sizeof(b), "8106616263640102");			/* no 80 */
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, b, n), -EINVAL);
	n = hx(b, sizeof(b), "8009616263640102");			/* cut */
	ck_assert_int_eq(gba_gbanl_rec_parse(&nm, b, n), -EINVAL);
}
END_TEST

START_TEST(isim_and_usim_files)
{
	uint8_t b[96], out[96];
	const uint8_t *v;
	size_t vl, n;
	char imsi[16];
	int m;

	m = gba_isim_nai_build(out, 64, IMPI1, true);
	ck_assert_int_eq(m, 64);
	ck_assert_int_eq(out[0], 0x80);
	ck_assert_int_eq(out[1], strlen(IMPI1));
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, out, 64), 0);
	ck_assert_uint_eq(vl, strlen(IMPI1));
	ck_assert_mem_eq(v, IMPI1, vl);
	ck_assert_int_eq(gba_isim_nai_build(out, 64, IMPI1, false), 2 + (int)strlen(IMPI1));
	ck_assert_int_eq(gba_isim_nai_build(out, 10, IMPI1, false), -ENOSPC);
	memset(b, 0xff, 10);
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, 10), -ENOENT);
	n = hx(b, sizeof(b), "8000ffff");
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, n), -ENOENT);
	n = hx(b, sizeof(b), "810141");
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, n), -EINVAL);
	n = hx(b, sizeof(b), "800541");
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, n), -EINVAL);

	/* EF_IMSI (TS 31.102 4.2.2), the IMSI of the notes' IMPI */
	m = gba_ef_imsi_encode(out, sizeof(out), "001010000000001");
	expect_bytes(out, m, "080910100000000010");
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), out, 9), 15);
	ck_assert_str_eq(imsi, "001010000000001");
	m = gba_ef_imsi_encode(out, sizeof(out), "26201123456789");	/* 14 digits */
	expect_bytes(out, m, "0821261021436587f9");
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), out, 9), 14);
	ck_assert_str_eq(imsi, "26201123456789");
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, 10, out, 9), -ENOSPC);
	n = hx(b, sizeof(b), "08091010f000000010");			/* F inside */
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), b, n), -EINVAL);
	n = hx(b, sizeof(b), "09091010000000001000");			/* L 9 */
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), b, n), -EINVAL);
	n = hx(b, sizeof(b), "0809101000000a0010");			/* digit A */
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), b, n), -EINVAL);
	n = hx(b, sizeof(b), "ffffffffffffffffff");
	ck_assert_int_eq(gba_ef_imsi_decode(imsi, sizeof(imsi), b, n), -EINVAL);
	ck_assert_int_eq(gba_ef_imsi_encode(out, sizeof(out), "12345"), -EINVAL);
	ck_assert_int_eq(gba_ef_imsi_encode(out, sizeof(out), "0010100000000012"), -EINVAL);

	/* EF_AD, service tables */
	n = hx(b, sizeof(b), "00000002");
	ck_assert_int_eq(gba_ef_ad_mnc_len(b, n), 2);
	n = hx(b, sizeof(b), "00000003");
	ck_assert_int_eq(gba_ef_ad_mnc_len(b, n), 3);
	ck_assert_int_eq(gba_ef_ad_mnc_len(b, 3), -ENOENT);
	memset(b, 0, 9);
	b[8] = 0x08;	/* service 68 = byte 8, bit 3 */
	ck_assert(gba_service_available(b, 9, GBA_UST_GBA));
	ck_assert(!gba_service_available(b, 9, 67));
	ck_assert(!gba_service_available(b, 8, GBA_UST_GBA));
	ck_assert(!gba_service_available(b, 9, 0));
	b[0] = 0x02;	/* IST service 2 */
	ck_assert(gba_service_available(b, 1, GBA_IST_GBA));
	ck_assert_int_eq(gba_aid_app_type(gba_aid_isim_prefix, 7), GBA_APP_ISIM);
	ck_assert_int_eq(gba_aid_app_type(gba_aid_isim_prefix, 6), GBA_APP_UNKNOWN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("uicc_cmd");
	TCase *tc = tcase_create("uicc_cmd");

	tcase_add_test(tc, auth_3g_notes);
	tcase_add_test(tc, auth_gba_boot_notes);
	tcase_add_test(tc, auth_gba_naf_notes);
	tcase_add_test(tc, auth_sync_failure);
	tcase_add_test(tc, auth_rsp_malformed);
	tcase_add_test(tc, auth_cmd_malformed);
	tcase_add_test(tc, select_builders);
	tcase_add_test(tc, select_parse_malformed);
	tcase_add_test(tc, file_commands);
	tcase_add_test(tc, file_cmd_malformed);
	tcase_add_test(tc, pin_commands);
	tcase_add_test(tc, fcp_roundtrip);
	tcase_add_test(tc, fcp_malformed);
	tcase_add_test(tc, ef_dir_records);
	tcase_add_test(tc, gbabp_gbanl);
	tcase_add_test(tc, isim_and_usim_files);
	suite_add_tcase(s, tc);
	return run_suite(s);
}

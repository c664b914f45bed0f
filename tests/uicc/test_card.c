/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the soft UICC's file system and card commands, in process: ATR, SELECT by
 * FID/AID prefix/path with FCP, EF.DIR/EF.ICCID, USIM and ISIM files, READ/UPDATE BINARY and
 * RECORD with their error paths, access conditions, the PIN commands with blocking and
 * unblocking, STATUS, GET RESPONSE / 61xx / 6Cxx, class byte and malformed APDUs.
 */
#include "config.h"

#include <errno.h>

#include <gba/apdu.h>
#include <gba/uicc_cmd.h>

#include "card.h"
#include "fixture.h"

static struct gba_profile prof;
static struct gba_uicc *card;

static void setup(void)
{
	fx_profile(&prof);
	card = fx_card(&prof, NULL);
}

static void teardown(void)
{
	gba_uicc_free(card);
	card = NULL;
}

START_TEST(atr_and_reset)
{
	uint8_t atr[GBA_UICC_ATR_MAX];
	size_t n = gba_uicc_atr(card, atr);

	ck_assert_uint_eq(n, 22);
	ck_assert_uint_eq(atr[0], 0x3b);
	ck_assert_int_eq(gba_uicc_set_atr(card, (const uint8_t *)"\x3b\x80\x80\x01\x01", 5), 0);
	ck_assert_uint_eq(gba_uicc_atr(card, atr), 5);
	ck_assert_int_eq(gba_uicc_set_atr(card, atr, 40), -EINVAL);
}
END_TEST

START_TEST(select_mf_dir_iccid)
{
	char h[600];
	uint8_t fcp[128];
	struct gba_fcp f;
	struct gba_dir_rec d;
	uint8_t rec[32];

	/* MF with FCP (Le present: data directly) */
	ck_assert_uint_eq(fx_tx(card, "00a4000402" "3f00" "00", h, sizeof(h)), 0x9000);
	ck_assert_int_gt(gba_hex_decode_var(fcp, sizeof(fcp), h), 0);
	ck_assert_int_eq(gba_fcp_parse(&f, fcp, strlen(h) / 2), 0);
	ck_assert_int_eq(f.structure, GBA_DF);
	ck_assert_uint_eq(f.fid, 0x3f00);
	/* without Le: T=0 style 61xx and GET RESPONSE */
	ck_assert_uint_eq(fx_tx(card, "00a40004023f00", NULL, 0) & 0xff00, 0x6100);
	ck_assert_uint_eq(fx_tx(card, "00c0000000", h, sizeof(h)), 0x9000);
	ck_assert_int_eq(gba_fcp_parse(&f, fcp, (size_t)gba_hex_decode_var(fcp, sizeof(fcp), h)), 0);
	/* a second GET RESPONSE has nothing */
	fx_expect(card, "00c0000000", 0x6985, NULL);
	/* no data requested */
	fx_expect(card, "00a4000c022f00", 0x9000, "");
	/* EF.DIR record 1 = USIM, record 2 = ISIM */
	ck_assert_uint_eq(fx_tx(card, "00b2010420", h, sizeof(h)), 0x9000);
	gba_hex_decode(rec, 32, h);
	ck_assert_int_eq(gba_dir_rec_parse(&d, rec, 32), 0);
	ck_assert_int_eq(gba_aid_app_type(d.aid, d.aid_len), GBA_APP_USIM);
	ck_assert_str_eq(d.label, "USIM");
	ck_assert_uint_eq(fx_tx(card, "00b2020420", h, sizeof(h)), 0x9000);
	gba_hex_decode(rec, 32, h);
	ck_assert_int_eq(gba_dir_rec_parse(&d, rec, 32), 0);
	ck_assert_int_eq(gba_aid_app_type(d.aid, d.aid_len), GBA_APP_ISIM);
	fx_expect(card, "00b2030420", 0x6a83, NULL);		/* no record 3 */
	fx_expect(card, "00b2010410", 0x6c20, NULL);		/* wrong Le */
	fx_expect(card, "00b2010400", 0x9000, NULL);		/* Le 00: the record */
	/* EF.ICCID by SFI 02 from the MF: swapped BCD */
	fx_expect(card, "00b082000a", 0x9000, "988812010000000000f1");
	/* unknown file */
	fx_expect(card, "00a4000c021234", 0x6a82, NULL);
}
END_TEST

START_TEST(select_aid_and_usim_files)
{
	char h[600];
	uint8_t fcp[128];
	struct gba_fcp f;
	uint8_t ust[16];

	ck_assert_uint_eq(fx_tx(card, APDU_SELECT_USIM, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(gba_fcp_parse(&f, fcp, (size_t)gba_hex_decode_var(fcp, sizeof(fcp), h)), 0);
	ck_assert_uint_eq(f.aid_len, 16);
	ck_assert_int_eq(gba_aid_app_type(f.aid, f.aid_len), GBA_APP_USIM);
	ck_assert_ptr_nonnull(f.pin_do);
	/* EF_IMSI */
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00b0000009", 0x9000, "080910100000000010");
	/* EF_AD: MNC length 2 */
	fx_expect(card, "00a4000c026fad", 0x9000, NULL);
	fx_expect(card, "00b0000004", 0x9000, "00000002");
	/* EF_UST: services 27 (GSM access) and 68 (GBA) */
	fx_expect(card, "00a4000c026f38", 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, "00b0000009", h, sizeof(h)), 0x9000);
	gba_hex_decode(ust, 9, h);
	ck_assert(gba_service_available(ust, 9, 27));
	ck_assert(gba_service_available(ust, 9, GBA_UST_GBA));
	ck_assert(!gba_service_available(ust, 9, 76));
	/* EF_GBABP FCP: transparent, EF_GBANL: linear fixed 5 x 250 */
	ck_assert_uint_eq(fx_tx(card, "00a40004026fda00", h, sizeof(h)), 0x9000);
	ck_assert_int_eq(gba_fcp_parse(&f, fcp, (size_t)gba_hex_decode_var(fcp, sizeof(fcp), h)), 0);
	ck_assert_int_eq(f.structure, GBA_EF_LINEAR_FIXED);
	ck_assert_uint_eq(f.rec_len, UICC_GBANL_REC_LEN);
	ck_assert_uint_eq(f.rec_count, UICC_GBANL_RECS);
	ck_assert_uint_eq(fx_tx(card, "00a40004026fd600", h, sizeof(h)), 0x9000);
	ck_assert_int_eq(gba_fcp_parse(&f, fcp, (size_t)gba_hex_decode_var(fcp, sizeof(fcp), h)), 0);
	ck_assert_int_eq(f.structure, GBA_EF_TRANSPARENT);
	fx_expect(card, "00b0000003", 0x9000, "000000");
	/* path from MF through the current ADF (7FFF) */
	fx_expect(card, "00a4080c047fff6f07", 0x9000, NULL);
	fx_expect(card, "00b0000001", 0x9000, "08");
	/* path with an EF in the middle */
	fx_expect(card, "00a4080c067fff6f076f07", 0x6a82, NULL);
	/* STATUS: AID of the current application, FCP, nothing */
	fx_expect(card, "80f2000100", 0x9000, "8410a0000000871002ffffffff8907090000");
	fx_expect(card, "80f2000000", 0x9000, NULL);
	fx_expect(card, "80f2000c00", 0x9000, "");
	fx_expect(card, "80f2000500", 0x6a86, NULL);
	/* AID next occurrence, unknown AID */
	fx_expect(card, "00a4040607a0000000871002", 0x6a82, NULL);
	fx_expect(card, "00a4040c07a0000000871099", 0x6a82, NULL);
}
END_TEST

START_TEST(isim_files)
{
	char h[600];
	uint8_t b[256];
	const uint8_t *v;
	size_t vl;
	int n;

	ck_assert_uint_eq(fx_tx(card, APDU_SELECT_ISIM, h, sizeof(h)), 0x9000);
	fx_expect(card, "00a4000c026f02", 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, "00b0000000", h, sizeof(h)), 0x9000);
	n = gba_hex_decode_var(b, sizeof(b), h);
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, (size_t)n), 0);
	ck_assert_uint_eq(vl, strlen(SET1_IMPI));
	ck_assert(!memcmp(v, SET1_IMPI, vl));
	/* EF_DOMAIN via SFI 05, EF_IMPU record 1, EF_IST service 2 */
	ck_assert_uint_eq(fx_tx(card, "00b0850000", h, sizeof(h)), 0x9000);
	n = gba_hex_decode_var(b, sizeof(b), h);
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, (size_t)n), 0);
	ck_assert(!memcmp(v, "ims.mnc001.mcc001.3gppnetwork.org", vl));
	ck_assert_uint_eq(fx_tx(card, "00b2012400", h, sizeof(h)), 0x9000);	/* SFI 04 */
	n = gba_hex_decode_var(b, sizeof(b), h);
	ck_assert_int_eq(gba_isim_nai_parse(&v, &vl, b, (size_t)n), 0);
	ck_assert(!memcmp(v, prof.impu[0], vl));
	fx_expect(card, "00b0870001", 0x9000, "02");
	/* ISIM GBA files */
	fx_expect(card, "00a4000c026fd5", 0x9000, NULL);
	fx_expect(card, "00a4000c026fd7", 0x9000, NULL);
	fx_expect(card, "00a4000c026fd6", 0x6a82, NULL);	/* the USIM's, not here */
}
END_TEST

START_TEST(binary_record_errors)
{
	fx_expect(card, "00b0000001", 0x6986, NULL);		/* no EF selected */
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00b0000010", 0x6c09, NULL);		/* Le too long */
	fx_expect(card, "00b0000900", 0x6b00, NULL);		/* offset outside */
	fx_expect(card, "00b0000500", 0x9000, "00000010");	/* Le 00 up to the end */
	fx_expect(card, "00b2010400", 0x6981, NULL);		/* records of a transparent EF */
	fx_expect(card, "00b000", 0x6700, NULL);		/* 3 bytes */
	fx_expect(card, "00d6000000", 0x6700, NULL);		/* update without data */
	fx_expect(card, "00d6000001ff", 0x6982, NULL);		/* EF_IMSI: ADM */
	fx_expect(card, "00a4000c026fb7", 0x9000, NULL);	/* EF_ECC, records */
	fx_expect(card, "00b0000001", 0x6981, NULL);
	fx_expect(card, "00b2000400", 0x6a83, NULL);		/* no current record */
	fx_expect(card, "00b2000200", 0x9000, "11f2ff00");	/* next = 1 */
	fx_expect(card, "00b2000200", 0x9000, "ffffffff");	/* next = 2 */
	fx_expect(card, "00b2000400", 0x9000, "ffffffff");	/* current = 2 */
	fx_expect(card, "00b2000300", 0x9000, "11f2ff00");	/* previous = 1 */
	fx_expect(card, "00b2000300", 0x6a83, NULL);		/* before the first */
	fx_expect(card, "00b2050200", 0x6a86, NULL);		/* next with a number */
	fx_expect(card, "00a4000c026f7e", 0x9000, NULL);	/* EF_LOCI: PIN/PIN, writable */
	fx_expect(card, "00d600000201020304", 0x6700, NULL);	/* Lc 2 but 4 bytes */
	fx_expect(card, "00d6000a020102", 0x6700, NULL);	/* past the end */
	fx_expect(card, "00d60000020102", 0x9000, "");
	fx_expect(card, "00b0000002", 0x9000, "0102");
	ck_assert(card->all[0] != NULL);
}
END_TEST

START_TEST(records_update)
{
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, "00a4000c026fb7", 0x9000, NULL);
	fx_expect(card, "00dc020404" "11f9ff00", 0x6982, NULL);	/* ADM only */
	fx_expect(card, "0020000a083838383838383838", 0x9000, NULL);
	fx_expect(card, "00dc020403" "11f9ff", 0x6700, NULL);	/* not a whole record */
	fx_expect(card, "00dc020404" "11f9ff00", 0x9000, NULL);
	fx_expect(card, "00b2020400", 0x9000, "11f9ff00");
	fx_expect(card, "00dc090404" "11f9ff00", 0x6a83, NULL);
	/* ADM also opens the ADM-protected EF_IMSI */
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00d6000109" "0910100000000020", 0x6700, NULL);
	fx_expect(card, "00d6000108" "0910100000000020", 0x9000, NULL);
	/* reset forgets the ADM verification */
	gba_uicc_reset(card);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00d6000101" "09", 0x6982, NULL);
}
END_TEST

START_TEST(pin_verify_block_unblock)
{
	prof.pin1_enabled = true;
	gba_uicc_free(card);
	card = fx_card(&prof, NULL);

	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00b0000009", 0x6982, NULL);		/* PIN1 not verified */
	fx_expect(card, APDU_AUTH_3G, 0x6982, NULL);
	fx_expect(card, "0020000100", 0x63c3, NULL);		/* retry query */
	fx_expect(card, "002000010831323335ffffffff", 0x63c2, NULL);
	fx_expect(card, "002000010831323334ffffffff", 0x9000, NULL);
	fx_expect(card, "0020000100", 0x9000, NULL);		/* verified */
	fx_expect(card, "00b0000009", 0x9000, NULL);
	/* bad PIN blocks: not digits, wrong length */
	fx_expect(card, "00200001083132333441ffffff", 0x6a80, NULL);
	fx_expect(card, "00200001043132333400", 0x6700, NULL);
	fx_expect(card, "0020000208" "31323334ffffffff", 0x6a88, NULL);	/* no such key */
	/* three wrong: blocked, even the right one then fails */
	gba_uicc_reset(card);
	fx_expect(card, "002000010830303030ffffffff", 0x63c2, NULL);
	fx_expect(card, "002000010830303030ffffffff", 0x63c1, NULL);
	fx_expect(card, "002000010830303030ffffffff", 0x6983, NULL);
	fx_expect(card, "002000010831323334ffffffff", 0x6983, NULL);
	fx_expect(card, "0020000100", 0x6983, NULL);
	/* UNBLOCK: query, wrong PUK, right PUK with a new PIN */
	fx_expect(card, "002c000100", 0x63ca, NULL);
	fx_expect(card, "002c000110" "3131313131313131" "35353535ffffffff", 0x63c9, NULL);
	fx_expect(card, "002c000110" "3132333435363738" "3535353535ffffff", 0x9000, NULL);
	fx_expect(card, "0020000100", 0x9000, NULL);
	gba_uicc_reset(card);
	fx_expect(card, "002000010831323334ffffffff", 0x63c2, NULL);	/* old PIN gone */
	fx_expect(card, "00200001083535353535ffffff", 0x9000, NULL);
	/* CHANGE PIN */
	fx_expect(card, "0024000110" "3535353535ffffff" "39393939ffffffff", 0x9000, NULL);
	gba_uicc_reset(card);
	fx_expect(card, "002000010839393939ffffffff", 0x9000, NULL);
	/* DISABLE / ENABLE */
	fx_expect(card, "002800010839393939ffffffff", 0x6985, NULL);	/* already enabled */
	fx_expect(card, "002600010839393939ffffffff", 0x9000, NULL);
	gba_uicc_reset(card);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00b0000009", 0x9000, NULL);		/* no PIN needed now */
	fx_expect(card, "002800010839393939ffffffff", 0x9000, NULL);
	/* PUK blocked after 10 wrong tries: permanently */
	{
		int i;

		for (i = 0; i < 9; i++)
			fx_expect(card, "002c000110" "3030303030303030" "35353535ffffffff",
				  0x63c9 - i, NULL);
		fx_expect(card, "002c000110" "3030303030303030" "35353535ffffffff", 0x6983, NULL);
		fx_expect(card, "002c000110" "3132333435363738" "35353535ffffffff", 0x6983, NULL);
	}
}
END_TEST

START_TEST(class_and_ins)
{
	fx_expect(card, "a0a4000002" "3f00", 0x6e00, NULL);	/* GSM class */
	fx_expect(card, "80a4000002" "3f00", 0x6e00, NULL);	/* SELECT needs CLA 0X */
	fx_expect(card, "00f2000000", 0x6e00, NULL);		/* STATUS needs CLA 8X */
	fx_expect(card, "01a4000c02" "3f00", 0x6881, NULL);	/* logical channel 1 */
	fx_expect(card, "0070000001", 0x6881, NULL);		/* MANAGE CHANNEL */
	fx_expect(card, "0084000008", 0x6d00, NULL);		/* unknown INS */
	fx_expect(card, "801000000100", 0x9000, NULL);		/* TERMINAL PROFILE */
	fx_expect(card, "00a4000c03" "3f00", 0x6700, NULL);	/* Lc/body mismatch */
	fx_expect(card, "00a4000c01" "3f", 0x6700, NULL);	/* FID of one byte */
	fx_expect(card, "00a40700023f00", 0x6a86, NULL);	/* P1 RFU */
	fx_expect(card, "00c0010000", 0x6a86, NULL);
}
END_TEST

START_TEST(transmit_callback)
{
	uint8_t c[] = { 0x00, 0xa4, 0x00, 0x0c, 0x02, 0x3f, 0x00 }, r[GBA_UICC_RAPDU_MAX], atr[33];
	size_t rl = 10;

	ck_assert_int_eq(gba_uicc_transmit(card, c, sizeof(c), r, &rl), -ENOSPC);
	rl = sizeof(r);
	ck_assert_int_eq(gba_uicc_transmit(card, c, sizeof(c), r, &rl), 0);
	ck_assert_uint_eq(rl, 2);
	ck_assert_uint_eq(r[0], 0x90);
	ck_assert_int_eq(gba_uicc_reset_cb(card, true, atr, &rl), 0);
	ck_assert_uint_eq(rl, 22);
}
END_TEST

START_TEST(bad_profiles)
{
	struct gba_uicc *c2 = NULL;
	char err[256];

	strcpy(prof.iccid, "12");
	ck_assert_int_eq(gba_uicc_new(&c2, &prof, NULL, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "ICCID"));
	fx_profile(&prof);
	prof.ind_bitlen = 11;
	ck_assert_int_eq(gba_uicc_new(&c2, &prof, NULL, err, sizeof(err)), -EINVAL);
	fx_profile(&prof);
	prof.impi[0] = '\0';
	ck_assert_int_eq(gba_uicc_new(&c2, &prof, NULL, err, sizeof(err)), -EINVAL);
	/* no ISIM: only the USIM in EF.DIR, ISIM not selectable */
	fx_profile(&prof);
	prof.isim = false;
	c2 = fx_card(&prof, NULL);
	fx_expect(c2, APDU_SELECT_ISIM, 0x6a82, NULL);
	fx_expect(c2, "00b2020400", 0x6986, NULL);
	fx_expect(c2, "00a4000c022f00", 0x9000, NULL);
	fx_expect(c2, "00b2020400", 0x9000,
		  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	gba_uicc_free(c2);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("commands");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, atr_and_reset);
	tcase_add_test(tc, select_mf_dir_iccid);
	tcase_add_test(tc, select_aid_and_usim_files);
	tcase_add_test(tc, isim_files);
	tcase_add_test(tc, binary_record_errors);
	tcase_add_test(tc, records_update);
	tcase_add_test(tc, pin_verify_block_unblock);
	tcase_add_test(tc, class_and_ins);
	tcase_add_test(tc, transmit_callback);
	tcase_add_test(tc, bad_profiles);
	return fx_run("uicc_card", tc);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of AUTHENTICATE on the soft UICC, in process: 3G context against TS 35.208
 * set 1 (RES, CK, IK, Kc), MAC failure, SQN failures with AUTS that the AuC side resolves
 * (resync), osmo-hlr style vectors with ind_bitlen 5 and a counter AuC with ind_bitlen 0;
 * GBA_U (TS 33.220 G.1/G.2) byte-exact with the examples of gba-spec-notes.md 5.2:
 * bootstrapping answers RES only and keeps Ks, the ME's EF_GBABP update rule, NAF derivation
 * answers Ks_ext_NAF only, keeps Ks_int_NAF and fills EF_GBANL (LRU), and the refusals
 * (no Ks, no B-TID, card without GBA: 9864 or 6A86).
 */
#include "config.h"

#include <errno.h>

#include <gba/aka.h>
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
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
}

static void teardown(void)
{
	gba_uicc_free(card);
	card = NULL;
}

/* AUTHENTICATE 3G with an AuC vector: returns the SW, *auts filled on DC */
static unsigned int auth_vec(const struct gba_av *av, uint8_t p2, char *h, size_t hl)
{
	char r[40], a[40], apdu[200];

	gba_hex_encode(r, sizeof(r), av->rand, 16);
	gba_hex_encode(a, sizeof(a), av->autn, 16);
	if (p2 == 0x81)
		snprintf(apdu, sizeof(apdu), "0088008122" "10%s10%s00", r, a);
	else
		snprintf(apdu, sizeof(apdu), "0088008423dd" "10%s10%s00", r, a);
	return fx_tx(card, apdu, h, hl);
}

static void auc_sub(struct gba_auc_sub *s, unsigned int ind_bitlen, unsigned int ind)
{
	memset(s, 0, sizeof(*s));
	s->cred = prof.cred;
	memcpy(s->amf, prof.amf, 2);
	s->ind_bitlen = ind_bitlen;
	s->ind = ind;
}

START_TEST(auth_3g_set1)
{
	fx_expect(card, APDU_AUTH_3G, 0x9000,
		  "db08" SET1_RES "10" SET1_CK "10" SET1_IK "08" SET1_KC);
	ck_assert(gba_uicc_last_secret(card));
	/* replay: sync failure with AUTS = SQN_MS ^ AK* || MAC-S */
	{
		char h[100];
		uint8_t rand[16], auts[14], ms[6];
		uint64_t sqn_ms = 0;
		int i;

		ck_assert_uint_eq(fx_tx(card, APDU_AUTH_3G, h, sizeof(h)), 0x9000);
		ck_assert_uint_eq(strlen(h), 32);
		ck_assert(!strncmp(h, "dc0e", 4));
		gba_hex_decode(auts, 14, h + 4);
		gba_hex_decode(rand, 16, SET1_RAND);
		/* AK* of set 1 = 451e8beca43b */
		gba_hex_decode(ms, 6, "451e8beca43b");
		for (i = 0; i < 6; i++)
			sqn_ms = sqn_ms << 8 | (uint8_t)(auts[i] ^ ms[i]);
		ck_assert_uint_eq(sqn_ms, SET1_SQN);
		ck_assert(!gba_uicc_last_secret(card));
	}
}
END_TEST

START_TEST(trace_masks_keys)
{
	uint8_t c[64], r[GBA_UICC_RAPDU_MAX];
	char *buf = NULL;
	size_t bl = 0, rl;
	int n = gba_hex_decode_var(c, sizeof(c), APDU_AUTH_3G);
	FILE *f = open_memstream(&buf, &bl);

	rl = gba_uicc_apdu(card, c, (size_t)n, r);
	gba_uicc_trace(f, c, (size_t)n, r, rl, gba_uicc_last_secret(card), false);
	n = gba_hex_decode_var(c, sizeof(c), "002000010831323334ffffffff");
	gba_uicc_trace(f, c, (size_t)n, (const uint8_t *)"\x90\x00", 2, false, false);
	gba_uicc_trace(f, c, (size_t)n, (const uint8_t *)"\x90\x00", 2, false, true);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "(AUTHENTICATE)"));
	ck_assert_ptr_nonnull(strstr(buf, "R-APDU: DB 08 ** ** ** ** ** ** ** ** 10 ** "));
	ck_assert_ptr_null(strstr(buf, "A5 42"));		/* RES */
	ck_assert_ptr_null(strstr(buf, "B4 0B"));		/* CK */
	ck_assert_ptr_nonnull(strstr(buf, "C-APDU: 00 20 00 01 08 ** ** ** ** ** ** ** **  (VERIFY PIN)"));
	ck_assert_ptr_nonnull(strstr(buf, "(9000"));
	/* --debug-keys shows the PIN */
	ck_assert_ptr_nonnull(strstr(buf, "08 31 32 33 34 FF FF FF FF  (VERIFY PIN)"));
	free(buf);
}
END_TEST

START_TEST(auth_3g_no_kc_isim_and_errors)
{
	char bad[200];

	/* without GSM access: no Kc */
	prof.gsm_access = false;
	teardown();
	card = fx_card(&prof, NULL);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, APDU_AUTH_3G, 0x9000, "db08" SET1_RES "10" SET1_CK "10" SET1_IK);
	/* ISIM: IMS AKA, no Kc either; same SQN array, so this is a replay now */
	fx_expect(card, APDU_SELECT_ISIM, 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, APDU_AUTH_3G, NULL, 0), 0x9000);
	/* MAC failure */
	strcpy(bad, APDU_AUTH_3G);
	bad[strlen(bad) - 4] ^= 1;
	fx_expect(card, bad, 0x9862, NULL);
	/* malformed: wrong L of RAND, P1, unknown context, no application selected */
	strcpy(bad, APDU_AUTH_3G);
	bad[11] = '1';
	fx_expect(card, bad, 0x6a80, NULL);
	fx_expect(card, "0088008000", 0x6a86, NULL);
	fx_expect(card, "0088018122" "10" SET1_RAND "10" SET1_AUTN "00", 0x6a86, NULL);
	fx_expect(card, "0088008200", 0x6a86, NULL);
	gba_uicc_reset(card);
	fx_expect(card, APDU_AUTH_3G, 0x6985, NULL);
	/* without Le: 61xx and GET RESPONSE (T=0); a short Le also goes through 61xx */
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
}
END_TEST

START_TEST(auth_get_response)
{
	char apdu[200], h[200];

	strcpy(apdu, APDU_AUTH_3G);
	apdu[strlen(apdu) - 2] = '\0';		/* no Le */
	fx_expect(card, apdu, 0x6135, NULL);
	ck_assert(!gba_uicc_last_secret(card));
	fx_expect(card, "00c0000010", 0x6125, "db08" SET1_RES "10" "b40ba9a3c5");
	ck_assert(gba_uicc_last_secret(card));
	ck_assert_uint_eq(fx_tx(card, "00c0000025", h, sizeof(h)), 0x9000);
	ck_assert_str_eq(h, "8b2a05bbf0d987b21bf8cb" "10" SET1_IK "08" SET1_KC);
}
END_TEST

START_TEST(osmo_hlr_ind5_and_resync)
{
	struct gba_auc_sub sub;
	struct gba_av av, av2;
	uint8_t rand[16] = { 1 }, auts[14];
	char h[200];
	int i;

	/* card and AuC with ind_bitlen 5; the AuC serves from IND slot 2 */
	prof.ind_bitlen = 5;
	teardown();
	card = fx_card(&prof, NULL);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	auc_sub(&sub, 5, 2);
	for (i = 0; i < 40; i++) {
		rand[1] = (uint8_t)i;
		ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
		ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
		ck_assert_int_eq(strncmp(h, "db08", 4), 0);
	}
	/* a second AuC slot (IND 9) with an older SEQ is still fresh on its slot */
	{
		struct gba_auc_sub sub9;

		auc_sub(&sub9, 5, 9);
		sub9.sqn = 5 << 5;
		ck_assert_int_eq(gba_auc_gen_vector(&av2, &sub9, rand), 0);
		ck_assert_uint_eq(auth_vec(&av2, 0x81, h, sizeof(h)), 0x9000);
		ck_assert_int_eq(strncmp(h, "db08", 4), 0);
		/* replay on slot 9 */
		ck_assert_uint_eq(auth_vec(&av2, 0x81, h, sizeof(h)), 0x9000);
		ck_assert_int_eq(strncmp(h, "dc0e", 4), 0);
	}
	/* replay of the last slot-2 vector: AUTS, the AuC resynchronises, the new one passes */
	ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "dc0e", 4), 0);
	gba_hex_decode(auts, 14, h + 4);
	sub.sqn = 0;			/* an AuC that lost its state */
	rand[0] = 9;
	ck_assert_int_eq(gba_auc_resync(&av2, &sub, av.rand, auts, rand), 0);
	ck_assert_uint_eq(auth_vec(&av2, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "db08", 4), 0);
	/* a tampered AUTS does not resync */
	auts[13] ^= 1;
	ck_assert_int_eq(gba_auc_resync(&av2, &sub, av.rand, auts, rand), -EBADMSG);
}
END_TEST

START_TEST(counter_auc_ind0_and_delta)
{
	struct gba_auc_sub sub;
	struct gba_av av;
	uint8_t rand[16] = { 2 };
	char h[200];

	prof.ind_bitlen = 0;
	prof.sqn_delta = 100;
	teardown();
	card = fx_card(&prof, NULL);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	auc_sub(&sub, 0, 0);
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);	/* SQN 1 */
	ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "db08", 4), 0);
	/* jumps beyond delta are refused (AUTS), within delta accepted */
	sub.sqn = 200;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
	ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "dc0e", 4), 0);
	sub.sqn = 50;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
	ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "db08", 4), 0);
	/* set 1's SQN ff9bb4d0b607 is far beyond delta from 51 */
	fx_expect(card, APDU_AUTH_3G, 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, APDU_AUTH_3G, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(strncmp(h, "dc0e", 4), 0);
}
END_TEST

/* the ME's write of B-TID and lifetime after the 200 OK */
static void me_writes_btid(const char *fid, const char *btid)
{
	char apdu[600], hb[300], hl[60];
	const char *lifetime = "2026-11-24T10:00:00Z";
	size_t n;

	snprintf(apdu, sizeof(apdu), "00a4000c02%s", fid);
	fx_expect(card, apdu, 0x9000, NULL);
	gba_hex_encode(hb, sizeof(hb), (const uint8_t *)btid, strlen(btid));
	gba_hex_encode(hl, sizeof(hl), (const uint8_t *)lifetime, strlen(lifetime));
	n = 1 + 16 + 1 + strlen(btid) + 1 + strlen(lifetime);
	snprintf(apdu, sizeof(apdu), "00d60000%02zx10%s%02zx%s%02zx%s", n, SET1_RAND, strlen(btid),
		 hb, strlen(lifetime), hl);
	fx_expect(card, apdu, 0x9000, NULL);
}

START_TEST(gba_u_set1)
{
	char h[600];
	uint8_t ks_int[32];
	struct uicc_gba *g = &card->gba[APP_USIM];

	/* NAF derivation before any bootstrap: 6985 */
	fx_expect(card, APDU_GBA_NAF, 0x6985, NULL);
	/* bootstrapping mode: RES only (spec notes 5.2) */
	fx_expect(card, APDU_GBA_BOOT, 0x9000, "db08" SET1_RES);
	ck_assert(g->ks_valid);
	ck_assert_int_eq(gba_hex_encode(h, sizeof(h), g->ks, 32), 0);
	ck_assert_str_eq(h, SET1_CK SET1_IK);
	/* the card wrote RAND into EF_GBABP, B-TID and lifetime still empty */
	fx_expect(card, "00a4000c026fd6", 0x9000, NULL);
	fx_expect(card, "00b0000013", 0x9000, "10" SET1_RAND "0000");
	/* NAF derivation before the ME wrote the B-TID: 6985 */
	fx_expect(card, APDU_GBA_NAF, 0x6985, NULL);
	/* the ME may not change the RAND part (no ADM) */
	fx_expect(card, "00d60000021023", 0x9000, NULL);	/* L and RAND unchanged */
	fx_expect(card, "00d6000101ff", 0x6985, NULL);		/* RAND byte changed */
	fx_expect(card, "00d600000111", 0x6985, NULL);		/* L changed */
	me_writes_btid("6fd6", SET1_BTID);
	/* NAF derivation: Ks_ext_NAF only (spec notes 5.2, 1.6 (a)) */
	fx_expect(card, APDU_GBA_NAF, 0x9000, "db20" SET1_KS_EXT_NAF);
	ck_assert(gba_uicc_last_secret(card));
	/* Ks_int_NAF stays on the card */
	gba_hex_decode(ks_int, 32, SET1_KS_INT_NAF);
	ck_assert(g->nl[0].valid);
	ck_assert(!memcmp(g->nl[0].ks_int_naf, ks_int, 32));
	/* EF_GBANL record 1: 80 14 NAF_Id 81 3E B-TID, FF padded */
	fx_expect(card, "00a4000c026fda", 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, "00b2010400", h, sizeof(h)), 0x9000);
	{
		uint8_t rec[250];
		struct gba_gbanl_rec r;

		gba_hex_decode(rec, 250, h);
		ck_assert_int_eq(gba_gbanl_rec_parse(&r, rec, 250), 0);
		ck_assert_uint_eq(r.naf_id_len, 20);
		ck_assert(!memcmp(r.naf_id, "naf.example.com\x01\x00\x00\x00\x02", 20));
		ck_assert_uint_eq(r.btid_len, strlen(SET1_BTID));
		ck_assert(!memcmp(r.btid, SET1_BTID, r.btid_len));
	}
	/* the same NAF again: same record, same key */
	fx_expect(card, APDU_GBA_NAF, 0x9000, "db20" SET1_KS_EXT_NAF);
	ck_assert(!card->gba[APP_USIM].nl[1].valid);
	/* EF_GBANL is ADM-updatable only */
	fx_expect(card, "00a4000c026fda", 0x9000, NULL);
	fx_expect(card, "00dc0104fa" "ff", 0x6700, NULL);
	/* a replayed bootstrap gives AUTS and keeps the Ks */
	ck_assert_uint_eq(fx_tx(card, APDU_GBA_BOOT, h, sizeof(h)), 0x9000);
	ck_assert(!strncmp(h, "dc0e", 4));
	ck_assert(g->ks_valid);
	fx_expect(card, APDU_GBA_NAF, 0x9000, "db20" SET1_KS_EXT_NAF);
}
END_TEST

START_TEST(gba_naf_tls_ids_and_lru)
{
	static const char *ids[] = {
		/* "naf.example.com" || 01 00 01 00 ae : gba-spec-notes 1.6 (b) */
		"146e61662e6578616d706c652e636f6d01000100ae",
		/* || 01 00 00 00 07 : 1.6 (c) */
		"146e61662e6578616d706c652e636f6d0100000007",
	};
	static const char *keys[] = {
		"ea3c85ca40af198e5cb0713f7b84f6b28f328c1e028c2b2c3702fe3a1a56febd",
		"49a316662105d2f3c3c9a1b58ca722a35d4a4e55d2b3dbe59a903bcc39ddab18",
	};
	const char *impi_lv = "3130303130313030303030303030303140696d732e6d6e633030312e6d6363303031"
			      "2e336770706e6574776f726b2e6f7267";
	char apdu[600], exp[100];
	struct uicc_gba *g = &card->gba[APP_USIM];
	unsigned int i;

	fx_expect(card, APDU_GBA_BOOT, 0x9000, "db08" SET1_RES);
	me_writes_btid("6fd6", SET1_BTID);
	for (i = 0; i < 2; i++) {
		snprintf(apdu, sizeof(apdu), "00880084%02zxde%s%s00",
			 (strlen(ids[i]) + strlen(impi_lv)) / 2 + 1, ids[i], impi_lv);
		snprintf(exp, sizeof(exp), "db20%s", keys[i]);
		fx_expect(card, apdu, 0x9000, exp);
	}
	/* fill the five records with other NAFs, then one more replaces the LRU record */
	for (i = 0; i < 4; i++) {
		snprintf(apdu, sizeof(apdu), "00880084%02zxde%s0%u%s00",
			 (strlen(ids[0]) + strlen(impi_lv)) / 2 + 1,
			 "146e61662e6578616d706c652e636f6d01000100", i, impi_lv);
		ck_assert_uint_eq(fx_tx(card, apdu, NULL, 0), 0x9000);
	}
	/* records: 1 = TLS 1.2 id, 2 = TLS 1.3 id, 3..5 = suites 0000..0002; suite 0003 replaced
	 * the least recently used record, 1 */
	ck_assert_uint_eq(g->lru_clock, 6);
	ck_assert_uint_eq(g->nl[0].used, 6);
	ck_assert_uint_eq(g->nl[1].used, 2);
	/* a new bootstrap wipes EF_GBANL and the Ks_int_NAFs; the next needs a new B-TID */
	{
		struct gba_auc_sub sub;
		struct gba_av av;
		uint8_t rand[16] = { 7 };
		char h[600];

		auc_sub(&sub, 0, 0);
		sub.sqn = SET1_SQN;
		ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
		ck_assert_uint_eq(auth_vec(&av, 0x84, h, sizeof(h)), 0x9000);
		ck_assert(!strncmp(h, "db08", 4));
		for (i = 0; i < UICC_GBANL_RECS; i++)
			ck_assert(!g->nl[i].valid);
		fx_expect(card, APDU_GBA_NAF, 0x6985, NULL);
		fx_expect(card, "00a4000c026fda", 0x9000, NULL);
		ck_assert_uint_eq(fx_tx(card, "00b2010400", h, sizeof(h)), 0x9000);
		ck_assert(!strncmp(h, "ffffffff", 8));
	}
}
END_TEST

START_TEST(gba_malformed)
{
	fx_expect(card, "008800840100", 0x6a80, NULL);		/* no mode byte content */
	fx_expect(card, "0088008401aa00", 0x6a80, NULL);		/* unknown mode */
	fx_expect(card, "0088008422dd" "10" SET1_RAND "10" "55f328b43577b9b94a9ffac354dfaf" "00",
		  0x6a80, NULL);					/* short AUTN */
	fx_expect(card, APDU_GBA_BOOT, 0x9000, NULL);
	me_writes_btid("6fd6", SET1_BTID);
	/* NAF_Id shorter than FQDN + Ua id, IMPI length running past Lc, NUL in IMPI */
	fx_expect(card, "008800840ade0401000002" "03616263" "00", 0x6a80, NULL);
	fx_expect(card, "008800840bde0661010000000205616200", 0x6a80, NULL);
	fx_expect(card, "008800840cde06610100000002" "0361006300", 0x6a80, NULL);
}
END_TEST

START_TEST(gba_isim_context)
{
	/* the ISIM has its own GBA context: Ks, EF_GBABP 6FD5, EF_GBANL 6FD7 */
	fx_expect(card, APDU_SELECT_ISIM, 0x9000, NULL);
	fx_expect(card, APDU_GBA_BOOT, 0x9000, "db08" SET1_RES);
	ck_assert(card->gba[APP_ISIM].ks_valid);
	ck_assert(!card->gba[APP_USIM].ks_valid);
	me_writes_btid("6fd5", SET1_BTID);
	fx_expect(card, APDU_GBA_NAF, 0x9000, "db20" SET1_KS_EXT_NAF);
	fx_expect(card, "00a4000c026fd7", 0x9000, NULL);
	{
		char h[600];

		ck_assert_uint_eq(fx_tx(card, "00b2010400", h, sizeof(h)), 0x9000);
		ck_assert(!strncmp(h, "8014", 4));
	}
	/* the USIM has no Ks */
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, APDU_GBA_NAF, 0x6985, NULL);
}
END_TEST

START_TEST(card_without_gba)
{
	struct gba_uicc_opts o = { .sw_no_gba = 0x6a86 };
	char err[200];
	uint8_t ust[9];
	char h[40];

	/* GBA_ME-only card: no service 68, no EF_GBABP, GBA context answered 9864 */
	prof.gba_u = false;
	teardown();
	card = fx_card(&prof, NULL);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(card, APDU_GBA_BOOT, 0x9864, NULL);
	fx_expect(card, APDU_GBA_NAF, 0x9864, NULL);
	fx_expect(card, "00a4000c026fd6", 0x6a82, NULL);
	fx_expect(card, "00a4000c026f38", 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(card, "00b0000009", h, sizeof(h)), 0x9000);
	gba_hex_decode(ust, 9, h);
	ck_assert(!gba_service_available(ust, 9, GBA_UST_GBA));
	ck_assert(gba_service_available(ust, 9, 27));
	/* 3G still works: the ME runs GBA_ME */
	fx_expect(card, APDU_AUTH_3G, 0x9000, NULL);
	/* the 6A86 variant (older cards) */
	teardown();
	prof.gba = false;
	ck_assert_int_eq(gba_uicc_new(&card, &prof, &o, err, sizeof(err)), 0);
	fx_expect(card, APDU_SELECT_ISIM, 0x9000, NULL);
	fx_expect(card, APDU_GBA_BOOT, 0x6a86, NULL);
	fx_expect(card, "00a4000c026f07", 0x9000, NULL);
	fx_expect(card, "00b0000001", 0x9000, "00");		/* IST without service 2 */
}
END_TEST

START_TEST(xor_card)
{
	/* TS 34.108 8.1.2 XOR: RES = f2 = K xor RAND (16 bytes) with the AUTN the AuC builds */
	struct gba_auc_sub sub;
	struct gba_av av;
	uint8_t rand[16];
	char h[300], exp[40];

	prof.cred.alg = GBA_AKA_XOR;
	gba_hex_decode(prof.cred.k, 16, "000102030405060708090a0b0c0d0e0f");
	teardown();
	card = fx_card(&prof, NULL);
	fx_expect(card, APDU_SELECT_USIM, 0x9000, NULL);
	memset(rand, 0xff, 16);
	auc_sub(&sub, 0, 0);
	sub.sqn = 1;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
	ck_assert_uint_eq(auth_vec(&av, 0x81, h, sizeof(h)), 0x9000);
	ck_assert_int_eq(gba_hex_encode(exp, sizeof(exp), av.xres, av.xres_len), 0);
	ck_assert(!strncmp(h, "db10", 4));
	ck_assert(!strncmp(h + 4, exp, 32));
	ck_assert_str_eq(exp, "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0");
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("authenticate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, auth_3g_set1);
	tcase_add_test(tc, trace_masks_keys);
	tcase_add_test(tc, auth_3g_no_kc_isim_and_errors);
	tcase_add_test(tc, auth_get_response);
	tcase_add_test(tc, osmo_hlr_ind5_and_resync);
	tcase_add_test(tc, counter_auc_ind0_and_delta);
	tcase_add_test(tc, gba_u_set1);
	tcase_add_test(tc, gba_naf_tls_ids_and_lru);
	tcase_add_test(tc, gba_malformed);
	tcase_add_test(tc, gba_isim_context);
	tcase_add_test(tc, card_without_gba);
	tcase_add_test(tc, xor_card);
	return fx_run("uicc_gba", tc);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core/milenage.c, core/aka_xor.c, core/aka.c: the six TS 35.208 test sets (every
 * function), derived set-1 values of gba-spec-notes.md, the XOR test algorithm
 * against captured traffic (gba-spec-notes.md 8.3, TV1 and TV2) and against
 * libosmocore's OSMO_AUTH_ALG_XOR, and the AuC side (libosmocore) against the
 * USIM side (ours) over many random subscribers, with resynchronisation.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/crypt/auth.h>

#include <gba/aka.h>
#include <gba/keys.h>

#define SQN_MAX 0xffffffffffffULL

struct tset {
	const char *k, *rand, *sqn, *amf, *op, *opc, *f1, *f1s, *f2, *f5, *f5s, *f3, *f4;
};

/* TS 35.208 test sets 1-6 (gba-spec-notes.md 8.1) */
static const struct tset sets[] = {
	{ "465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35", "ff9bb4d0b607",
	  "b9b9", "cdc202d5123e20f62b6d676ac72cb318", "cd63cb71954a9f4e48a5994e37a02baf",
	  "4a9ffac354dfafb3", "01cfaf9ec4e871e9", "a54211d5e3ba50bf",
	  "aa689c648370", "451e8beca43b",
	  "b40ba9a3c58b2a05bbf0d987b21bf8cb", "f769bcd751044604127672711c6d3441" },
	{ "0396eb317b6d1c36f19c1c84cd6ffd16", "c00d603103dcee52c4478119494202e8", "fd8eef40df7d",
	  "af17", "ff53bade17df5d4e793073ce9d7579fa", "53c15671c60a4b731c55b4a441c0bde2",
	  "5df5b31807e258b0", "a8c016e51ef4a343", "d3a628ed988620f0",
	  "c47783995f72", "30f1197061c1",
	  "58c433ff7a7082acd424220f2b67c556", "21a8c1f929702adb3e738488b9f5c5da" },
	{ "fec86ba6eb707ed08905757b1bb44b8f", "9f7c8d021accf4db213ccff0c7f71a6a", "9d0277595ffc",
	  "725c", "dbc59adcb6f9a0ef735477b7fadf8374", "1006020f0a478bf6b699f15c062e42b3",
	  "9cabc3e99baf7281", "95814ba2b3044324", "8011c48c0c214ed2",
	  "33484dc2136b", "deacdd848cc6",
	  "5dbdbb2954e8f3cde665b046179a5098", "59a92d3b476a0443487055cf88b2307b" },
	{ "9e5944aea94b81165c82fbf9f32db751", "ce83dbc54ac0274a157c17f80d017bd6", "0b604a81eca8",
	  "9e09", "223014c5806694c007ca1eeef57f004f", "a64a507ae1a2a98bb88eb4210135dc87",
	  "74a58220cba84c49", "ac2cc74a96871837", "f365cd683cd92e96",
	  "f0b9c08ad02e", "6085a86c6f63",
	  "e203edb3971574f5a94b0d61b816345d", "0c4524adeac041c4dd830d20854fc46b" },
	{ "4ab1deb05ca6ceb051fc98e77d026a84", "74b0cd6031a1c8339b2b6ce2b8c4a186", "e880a1b580b6",
	  "9f07", "2d16c5cd1fdf6b22383584e3bef2a8d8", "dcf07cbd51855290b92a07a9891e523e",
	  "49e785dd12626ef2", "9e85790336bb3fa2", "5860fc1bce351e7e",
	  "31e11a609118", "fe2555e54aa9",
	  "7657766b373d1c2138f307e3de9242f9", "1c42e960d89b8fa99f2744e0708ccb53" },
	{ "6c38a116ac280c454f59332ee35c8c4f", "ee6466bc96202c5a557abbeff8babf63", "414b98222181",
	  "4464", "1ba00a1a7c6700ac8c3ff3e96ad08725", "3803ef5363b947c6aaa225e58fae3934",
	  "078adfb488241a57", "80246b8d0186bcf1", "16c8233f05a0ac28",
	  "45b0f69ab06c", "1f53cd2b1113",
	  "3f8c7587fe8e4b233af676aede30ba3b", "a7466cc1e6b2a1337d49d3b66e95d7b4" },
};

static void hx(uint8_t *b, size_t n, const char *h)
{
	ck_assert_int_eq(gba_hex_decode(b, n, h), 0);
}

static void eq(const uint8_t *b, size_t n, const char *want)
{
	uint8_t w[32];

	hx(w, n, want);
	ck_assert_msg(memcmp(b, w, n) == 0, "mismatch, want %s", want);
}

static uint64_t sqn_of(const char *h)
{
	return strtoull(h, NULL, 16);
}

START_TEST(milenage_sets)
{
	const struct tset *t = &sets[_i];
	uint8_t k[16], rnd[16], sqn[6], amf[2], op[16], opc[16];
	uint8_t maca[8], macs[8], res[8], ck[16], ik[16], ak[6], aks[6];

	hx(k, 16, t->k);
	hx(rnd, 16, t->rand);
	hx(sqn, 6, t->sqn);
	hx(amf, 2, t->amf);
	hx(op, 16, t->op);
	ck_assert_int_eq(gba_milenage_opc(opc, k, op), 0);
	eq(opc, 16, t->opc);
	ck_assert_int_eq(gba_milenage_f1(opc, k, rnd, sqn, amf, maca, macs), 0);
	eq(maca, 8, t->f1);
	eq(macs, 8, t->f1s);
	ck_assert_int_eq(gba_milenage_f2345(opc, k, rnd, res, ck, ik, ak, aks), 0);
	eq(res, 8, t->f2);
	eq(ck, 16, t->f3);
	eq(ik, 16, t->f4);
	eq(ak, 6, t->f5);
	eq(aks, 6, t->f5s);
}
END_TEST

static void cred_of(struct gba_aka_cred *c, const struct tset *t)
{
	memset(c, 0, sizeof(*c));
	c->alg = GBA_AKA_MILENAGE;
	hx(c->k, 16, t->k);
	hx(c->opc, 16, t->opc);
}

/* The AuC (libosmocore) reproduces every set's AUTN/XRES/CK/IK, and the USIM side accepts it */
START_TEST(auc_sets)
{
	const struct tset *t = &sets[_i];
	struct gba_auc_sub sub = { 0 };
	struct gba_av av;
	uint8_t rnd[16], sqnb[6], ak[6], amf[2], res[16], ck[16], ik[16];
	uint64_t sqn;
	size_t rl;

	cred_of(&sub.cred, t);
	hx(sub.amf, 2, t->amf);
	hx(rnd, 16, t->rand);
	sub.sqn = sqn_of(t->sqn) - 1;	/* last used */
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), 0);
	ck_assert_uint_eq(sub.sqn, sqn_of(t->sqn));
	hx(sqnb, 6, t->sqn);
	hx(ak, 6, t->f5);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(av.autn[i], sqnb[i] ^ ak[i]);
	eq(av.autn + 6, 2, t->amf);
	eq(av.autn + 8, 8, t->f1);
	ck_assert_uint_eq(av.xres_len, 8);
	eq(av.xres, 8, t->f2);
	eq(av.ck, 16, t->f3);
	eq(av.ik, 16, t->f4);
	ck_assert_int_eq(gba_usim_check_autn(&sub.cred, av.rand, av.autn, &sqn, amf), 0);
	ck_assert_uint_eq(sqn, sqn_of(t->sqn));
	eq(amf, 2, t->amf);
	ck_assert_int_eq(gba_usim_compute(&sub.cred, av.rand, res, &rl, ck, ik), 0);
	ck_assert_uint_eq(rl, 8);
	ck_assert(gba_ct_equal(res, av.xres, 8));
	ck_assert(gba_ct_equal(ck, av.ck, 16) && gba_ct_equal(ik, av.ik, 16));
}
END_TEST

START_TEST(set1_derived)
{
	struct gba_aka_cred c;
	uint8_t rnd[16], ck[16], ik[16], kc[8], auts[14];

	cred_of(&c, &sets[0]);
	hx(rnd, 16, sets[0].rand);
	hx(ck, 16, sets[0].f3);
	hx(ik, 16, sets[0].f4);
	gba_aka_c3(kc, ck, ik);
	eq(kc, 8, "eae4be823af9a08b");
	/* gba-spec-notes.md 3.6: AUTS for SQN_MS 000000000021 */
	ck_assert_int_eq(gba_usim_auts(&c, rnd, 0x21, auts), 0);
	eq(auts, 14, "451e8beca41a80125eca8884b56a");
	{
		char b64[GBA_B64_LEN(14) + 1];

		ck_assert_int_eq(gba_b64_encode(b64, sizeof(b64), auts, 14), 20);
		ck_assert_str_eq(b64, "RR6L7KQagBJeyoiEtWo=");
	}
	/* the AuC recovers SQN_MS 21 from it and uses the next SQN */
	{
		struct gba_auc_sub sub = { .sqn = 0xff9bb4d0b607ULL };
		struct gba_av av;
		uint8_t rnd2[16] = { 1 };
		uint64_t sqn;

		sub.cred = c;
		ck_assert_int_eq(gba_auc_resync(&av, &sub, rnd, auts, rnd2), 0);
		ck_assert_uint_eq(sub.sqn, 0x22);
		ck_assert_int_eq(gba_usim_check_autn(&c, rnd2, av.autn, &sqn, NULL), 0);
		ck_assert_uint_eq(sqn, 0x22);
	}
}
END_TEST

START_TEST(set1_autn)
{
	struct gba_aka_cred c;
	uint8_t rnd[16], autn[16];
	uint64_t sqn;

	cred_of(&c, &sets[0]);
	hx(rnd, 16, sets[0].rand);
	hx(autn, 16, "55f328b43577b9b94a9ffac354dfafb3");
	ck_assert_int_eq(gba_usim_check_autn(&c, rnd, autn, &sqn, NULL), 0);
	ck_assert_uint_eq(sqn, 0xff9bb4d0b607ULL);
	for (int bit = 0; bit < 128; bit += 7) {	/* any flipped bit is a MAC failure */
		autn[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ck_assert_int_eq(gba_usim_check_autn(&c, rnd, autn, &sqn, NULL), -EBADMSG);
		autn[bit / 8] ^= (uint8_t)(1 << (bit % 8));
	}
}
END_TEST

static void xor_sub(struct gba_auc_sub *sub)
{
	memset(sub, 0, sizeof(*sub));
	sub->cred.alg = GBA_AKA_XOR;
	for (int i = 0; i < 16; i++)
		sub->cred.k[i] = (uint8_t)i;
}

/* The USIM side accepts the nonce (RAND || AUTN) of captured traffic and gives its RES */
static void xor_nonce(const struct gba_aka_cred *c, const char *nonce_b64, const char *res_hex,
		      const char *ck_hex, const char *ik_hex)
{
	uint8_t nonce[32], res[16], ck[16], ik[16], amf[2];
	uint64_t sqn = 99;
	size_t rl;

	ck_assert_int_eq(gba_b64_decode(nonce, sizeof(nonce), nonce_b64, strlen(nonce_b64)), 32);
	ck_assert_int_eq(gba_usim_check_autn(c, nonce, nonce + 16, &sqn, amf), 0);
	ck_assert_uint_eq(sqn, 0);
	eq(amf, 2, "0000");
	ck_assert_int_eq(gba_usim_compute(c, nonce, res, &rl, ck, ik), 0);
	ck_assert_uint_eq(rl, 16);
	eq(res, 16, res_hex);
	eq(ck, 16, ck_hex);
	eq(ik, 16, ik_hex);
}

/* XOR, K 00..0f: frankurcrazy/helloworld TV1 (RAND 0) and TV2 (RAND = K) */
START_TEST(xor_captured)
{
	struct gba_auc_sub sub;
	struct gba_av av;
	uint8_t rnd[16] = { 0 };
	uint64_t sqn;

	xor_sub(&sub);
	xor_nonce(&sub.cred, "AAAAAAAAAAAAAAAAAAAAAAMEBQYHCAAAAAECAwQFBgc=",
		  "000102030405060708090a0b0c0d0e0f", "0102030405060708090a0b0c0d0e0f00",
		  "02030405060708090a0b0c0d0e0f0001");
	xor_nonce(&sub.cred, "AAECAwQFBgcICQoLDA0ODwAAAAAAAAAAAAAAAAAAAAA=",
		  "00000000000000000000000000000000", "00000000000000000000000000000000",
		  "00000000000000000000000000000000");
	/* the AuC (libosmocore XOR) for RAND 0 steps SQN 0 -> 1 */
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), 0);
	ck_assert_uint_eq(sub.sqn, 1);
	eq(av.autn, 16, "03040506070900000001020304040607");
	eq(av.xres, 16, "000102030405060708090a0b0c0d0e0f");
	ck_assert_int_eq(gba_usim_check_autn(&sub.cred, rnd, av.autn, &sqn, NULL), 0);
	ck_assert_uint_eq(sqn, 1);
}
END_TEST

/* Our XOR USIM side against libosmocore's XOR directly (components.md 3: RAND ff.. -> XRES) */
START_TEST(xor_libosmocore)
{
	struct osmo_sub_auth_data aud = {
		.type = OSMO_AUTH_TYPE_UMTS, .algo = OSMO_AUTH_ALG_XOR,
		.u.umts = { .amf = { 0x80, 0x01 }, .sqn = 0x123456789aULL },
	};
	struct osmo_auth_vector v = { 0 };
	struct gba_aka_cred c = { .alg = GBA_AKA_XOR };
	uint8_t rnd[16], res[16], ck[16], ik[16], amf[2], auts[14];
	uint64_t sqn;
	size_t rl;

	for (int i = 0; i < 16; i++)
		aud.u.umts.k[i] = c.k[i] = (uint8_t)i;
	memset(rnd, 0xff, 16);
	ck_assert_int_eq(osmo_auth_gen_vec(&v, &aud, rnd), 0);
	ck_assert_uint_eq(aud.u.umts.sqn, 0x123456789aULL);	/* XOR does not step SQN */
	ck_assert_uint_eq(v.res_len, 16);
	eq(v.res, 16, "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0");
	ck_assert_int_eq(gba_usim_check_autn(&c, rnd, v.autn, &sqn, amf), 0);
	ck_assert_uint_eq(sqn, 0x123456789aULL);
	eq(amf, 2, "8001");
	ck_assert_int_eq(gba_usim_compute(&c, rnd, res, &rl, ck, ik), 0);
	ck_assert_uint_eq(rl, 16);
	ck_assert(memcmp(res, v.res, 16) == 0);
	ck_assert(memcmp(ck, v.ck, 16) == 0 && memcmp(ik, v.ik, 16) == 0);
	/* libosmocore takes our AUTS when the new RAND is the failed one (it checks that one) */
	ck_assert_int_eq(gba_usim_auts(&c, rnd, 0xabcdefULL, auts), 0);
	ck_assert_int_eq(osmo_auth_gen_vec_auts(&v, &aud, auts, rnd, rnd), 0);
	ck_assert_uint_eq(aud.u.umts.sqn_ms, 0xabcdefULL);
	auts[6] ^= 0x80;
	ck_assert_int_lt(osmo_auth_gen_vec_auts(&v, &aud, auts, rnd, rnd), 0);
}
END_TEST

static void random_sub(struct gba_auc_sub *sub, enum gba_aka_alg alg, unsigned int ind_bitlen)
{
	memset(sub, 0, sizeof(*sub));
	sub->cred.alg = alg;
	ck_assert_int_eq(gba_random(sub->cred.k, 16), 0);
	ck_assert_int_eq(gba_random(sub->cred.opc, 16), 0);
	ck_assert_int_eq(gba_random(sub->amf, 2), 0);
	ck_assert_int_eq(gba_random((uint8_t *)&sub->sqn, 4), 0);
	sub->ind_bitlen = ind_bitlen;
	/* a non-zero IND slot, so that IND handling is exercised */
	sub->ind = ind_bitlen ? 1 + (unsigned)rand() % ((1u << ind_bitlen) - 1) : 0;
}

/* AuC and USIM agree for random subscribers, ind_bitlen 0 and 5, MILENAGE and XOR; resync works */
START_TEST(cross_check_and_resync)
{
	enum gba_aka_alg alg = _i % 2 ? GBA_AKA_XOR : GBA_AKA_MILENAGE;
	unsigned int ind_bitlen = (_i / 2) % 2 ? 5 : 0;

	for (int round = 0; round < 50; round++) {
		struct gba_auc_sub sub;
		struct gba_av av, av2;
		uint8_t rnd[16], rnd2[16], res[16], ck[16], ik[16], auts[14];
		uint64_t sqn, prev;
		size_t rl;

		random_sub(&sub, alg, ind_bitlen);
		prev = sub.sqn;
		ck_assert_int_eq(gba_random(rnd, 16), 0);
		ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), 0);
		ck_assert_uint_gt(sub.sqn, prev);
		ck_assert_uint_eq(sub.sqn & ((1u << ind_bitlen) - 1), sub.ind);
		ck_assert_int_eq(gba_usim_check_autn(&sub.cred, rnd, av.autn, &sqn, NULL), 0);
		ck_assert_uint_eq(sqn, sub.sqn);
		ck_assert_int_eq(gba_usim_compute(&sub.cred, rnd, res, &rl, ck, ik), 0);
		ck_assert_uint_eq(rl, av.xres_len);
		ck_assert(gba_ct_equal(res, av.xres, rl));
		ck_assert(gba_ct_equal(ck, av.ck, 16) && gba_ct_equal(ik, av.ik, 16));

		/* the card is ahead: it answers AUTS; the AuC recovers SQN_MS and moves past it */
		uint64_t sqn_ms = sub.sqn + 1000 * (1u << ind_bitlen);
		ck_assert_int_eq(gba_usim_auts(&sub.cred, rnd, sqn_ms, auts), 0);
		ck_assert_int_eq(gba_random(rnd2, 16), 0);
		ck_assert_int_eq(gba_auc_resync(&av2, &sub, rnd, auts, rnd2), 0);
		ck_assert_uint_eq(sub.sqn >> ind_bitlen, (sqn_ms >> ind_bitlen) + 1);
		ck_assert_uint_eq(sub.sqn & ((1u << ind_bitlen) - 1), sub.ind);
		ck_assert_int_eq(gba_usim_check_autn(&sub.cred, rnd2, av2.autn, &sqn, NULL), 0);
		ck_assert_uint_eq(sqn, sub.sqn);
		ck_assert_int_eq(gba_usim_compute(&sub.cred, rnd2, res, &rl, ck, ik), 0);
		ck_assert(rl == av2.xres_len && gba_ct_equal(res, av2.xres, rl));

		/* a flipped MAC-A bit is a MAC failure on the card */
		av2.autn[8 + round % 8] ^= (uint8_t)(1 << (round % 8));
		ck_assert_int_eq(gba_usim_check_autn(&sub.cred, rnd2, av2.autn, &sqn, NULL),
				 -EBADMSG);

		/* a flipped MAC-S bit is refused and leaves SQN alone */
		prev = sub.sqn;
		auts[13] ^= 0x01;
		ck_assert_int_eq(gba_auc_resync(&av2, &sub, rnd, auts, rnd2), -EBADMSG);
		ck_assert_uint_eq(sub.sqn, prev);
	}
}
END_TEST

/* The 48-bit SQN space runs out: -ERANGE, SQN left alone; resync to the last SQN likewise */
START_TEST(sqn_exhausted)
{
	struct gba_auc_sub sub;
	struct gba_av av;
	uint8_t rnd[16] = { 7 }, auts[14];

	random_sub(&sub, _i ? GBA_AKA_XOR : GBA_AKA_MILENAGE, 5);
	sub.sqn = SQN_MAX - 31;		/* the last SEQ */
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), -ERANGE);
	ck_assert_uint_eq(sub.sqn, SQN_MAX - 31);
	sub.sqn = SQN_MAX - 63;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), 0);
	ck_assert_uint_eq(sub.sqn, SQN_MAX - 31 + sub.ind);
	ck_assert_int_eq(gba_usim_auts(&sub.cred, rnd, SQN_MAX, auts), 0);
	ck_assert_int_eq(gba_auc_resync(&av, &sub, rnd, auts, rnd), -ERANGE);
	ck_assert_uint_eq(sub.sqn, SQN_MAX - 31 + sub.ind);
}
END_TEST

START_TEST(bad_parameters)
{
	struct gba_auc_sub sub = { .cred = { .alg = GBA_AKA_MILENAGE }, .ind_bitlen = 11 };
	struct gba_aka_cred bad = { .alg = 7 };
	struct gba_av av;
	uint8_t rnd[16] = { 0 }, auts[14] = { 0 }, res[16], ck[16], ik[16];
	size_t rl;

	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), -EINVAL);	/* ind_bitlen > 10 */
	sub.ind_bitlen = 2;
	sub.ind = 4;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), -EINVAL);	/* ind out of range */
	sub.ind = 0;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, NULL), -EINVAL);
	ck_assert_int_eq(gba_auc_resync(&av, &sub, rnd, NULL, rnd), -EINVAL);
	ck_assert_int_eq(gba_auc_gen_vector(NULL, &sub, rnd), -EINVAL);
	ck_assert_int_eq(gba_auc_gen_vector(&av, NULL, rnd), -EINVAL);
	sub.sqn = SQN_MAX + 1;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), -EINVAL);	/* SQN over 48 bits */
	sub.sqn = 0;
	sub.cred.alg = 9;
	ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rnd), -EINVAL);	/* unknown algorithm */
	ck_assert_int_eq(gba_auc_resync(&av, &sub, rnd, auts, rnd), -EINVAL);
	sub.cred.alg = GBA_AKA_MILENAGE;
	ck_assert_int_eq(gba_usim_check_autn(NULL, rnd, rnd, NULL, NULL), -EINVAL);
	ck_assert_int_eq(gba_usim_check_autn(&sub.cred, NULL, rnd, NULL, NULL), -EINVAL);
	ck_assert_int_eq(gba_usim_check_autn(&sub.cred, rnd, NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(gba_usim_compute(&sub.cred, rnd, res, NULL, ck, ik), -EINVAL);
	ck_assert_int_eq(gba_usim_auts(&bad, rnd, 1, auts), -EINVAL);
	ck_assert_int_eq(gba_usim_check_autn(&bad, rnd, rnd, NULL, NULL), -EINVAL);
	ck_assert_int_eq(gba_usim_compute(&bad, rnd, res, &rl, ck, ik), -EINVAL);
	ck_assert_int_eq(gba_usim_auts(&sub.cred, rnd, 1ULL << 48, auts), -EINVAL);
	ck_assert_int_eq(gba_aka_alg_parse("MILENAGE"), GBA_AKA_MILENAGE);
	ck_assert_int_eq(gba_aka_alg_parse("xor"), GBA_AKA_XOR);
	ck_assert_int_eq(gba_aka_alg_parse("comp128"), -EINVAL);
	ck_assert_int_eq(gba_aka_alg_parse(""), -EINVAL);
	ck_assert_int_eq(gba_aka_alg_parse(NULL), -EINVAL);
	ck_assert_str_eq(gba_aka_alg_name(GBA_AKA_XOR), "xor");
	ck_assert_str_eq(gba_aka_alg_name(GBA_AKA_MILENAGE), "milenage");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("aka");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, milenage_sets, 0, 6);
	tcase_add_loop_test(tc, auc_sets, 0, 6);
	tcase_add_test(tc, set1_derived);
	tcase_add_test(tc, set1_autn);
	tcase_add_test(tc, xor_captured);
	tcase_add_test(tc, xor_libosmocore);
	tcase_add_loop_test(tc, sqn_exhausted, 0, 2);
	tcase_add_loop_test(tc, cross_check_and_resync, 0, 4);
	tcase_add_test(tc, bad_parameters);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

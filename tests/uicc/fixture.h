/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared helpers of the soft-UICC unit tests: card profiles built in code (MILENAGE test
 * set 1 as a GBA_U USIM+ISIM card, and variants), and an APDU exchange in hex.
 */
#ifndef GBA_TESTS_UICC_FIXTURE_H
#define GBA_TESTS_UICC_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <gba/keys.h>
#include <gba/profile.h>
#include <gba/uicc.h>

/* TS 35.208 test set 1 and the derived GBA values of gba-spec-notes.md 1.6 / 5.2 */
#define SET1_K		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define SET1_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define SET1_RAND	"23553cbe9637a89d218ae64dae47bf35"
#define SET1_AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define SET1_SQN	0xff9bb4d0b607ULL
#define SET1_RES	"a54211d5e3ba50bf"
#define SET1_CK		"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define SET1_IK		"f769bcd751044604127672711c6d3441"
#define SET1_KC		"eae4be823af9a08b"
#define SET1_IMPI	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define SET1_BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define SET1_KS_EXT_NAF	"f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0"
#define SET1_KS_INT_NAF	"f00480881c74c509654a246c330329f1287a0d3735994e778869a7bc83b9c315"

#define APDU_AUTH_3G	"0088008122" "10" SET1_RAND "10" SET1_AUTN "00"
#define APDU_GBA_BOOT	"0088008423dd" "10" SET1_RAND "10" SET1_AUTN "00"
/* NAF "naf.example.com" || 01 00 00 00 02, IMPI of set 1 */
#define APDU_GBA_NAF	"0088008448de146e61662e6578616d706c652e636f6d0100000002" \
			"3130303130313030303030303030303140696d732e6d6e633030312e6d6363303031" \
			"2e336770706e6574776f726b2e6f726700"
#define APDU_SELECT_USIM	"00a4040407a000000087100200"
#define APDU_SELECT_ISIM	"00a4040407a000000087100400"

static inline void fx_profile(struct gba_profile *p)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->name, "set1");
	strcpy(p->iccid, "8988211000000000001");
	strcpy(p->imsi, "001010000000001");
	p->mnc_len = 2;
	p->cred.alg = GBA_AKA_MILENAGE;
	ck_assert_int_eq(gba_hex_decode(p->cred.k, 16, SET1_K), 0);
	ck_assert_int_eq(gba_hex_decode(p->cred.opc, 16, SET1_OPC), 0);
	p->amf[0] = 0xb9;
	p->amf[1] = 0xb9;
	p->sqn = 0;
	p->ind_bitlen = 0;
	strcpy(p->impi, SET1_IMPI);
	strcpy(p->domain, "ims.mnc001.mcc001.3gppnetwork.org");
	strcpy(p->impu[0], "sip:001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	p->n_impu = 1;
	p->isim = true;
	p->gba = true;
	p->gba_u = true;
	p->gsm_access = true;
	strcpy(p->pin1, "1234");
	p->pin1_enabled = false;
	strcpy(p->puk1, "12345678");
	strcpy(p->adm1, "3838383838383838");	/* "88888888" */
}

static inline struct gba_uicc *fx_card(const struct gba_profile *p, const char *state)
{
	struct gba_uicc_opts o = { .state_path = state, .no_fsync = true };
	struct gba_uicc *c = NULL;
	char err[512];
	int rc = gba_uicc_new(&c, p, &o, err, sizeof(err));

	ck_assert_msg(rc == 0, "gba_uicc_new: %d %s", rc, err);
	return c;
}

/* Send hex APDU, return SW; response data (hex, lower case) into 'hex' when not NULL */
static inline unsigned int fx_tx(struct gba_uicc *c, const char *capdu_hex, char *hex, size_t hexlen)
{
	uint8_t capdu[300], r[GBA_UICC_RAPDU_MAX];
	int n = gba_hex_decode_var(capdu, sizeof(capdu), capdu_hex);
	size_t rl;

	ck_assert_msg(n >= 1, "bad test APDU %s", capdu_hex);
	rl = gba_uicc_apdu(c, capdu, (size_t)n, r);
	ck_assert_uint_ge(rl, 2);
	if (hex)
		ck_assert_int_eq(gba_hex_encode(hex, hexlen, r, rl - 2), 0);
	return (unsigned int)(r[rl - 2] << 8 | r[rl - 1]);
}

#define fx_expect(c, capdu, sw, data) do { \
	char _h[600]; \
	const char *_d = (data); \
	unsigned int _sw = fx_tx(c, capdu, _h, sizeof(_h)); \
	ck_assert_msg(_sw == (unsigned int)(sw), "%s: SW %04x, expected %04x", capdu, _sw, \
		      (unsigned int)(sw)); \
	if (_d) \
		ck_assert_str_eq(_h, _d); \
	} while (0)

static inline char *fx_tmpdir(void)
{
	char tmpl[] = "/tmp/gba-uicc-test.XXXXXX";
	char *d = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(d);
	return strdup(d);
}

static inline void fx_rmdir(char *d)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
	free(d);
}

/* Run one suite with its test case list; the exit status of a test program. */
static inline int fx_run(const char *name, TCase *tc)
{
	Suite *su = suite_create(name);
	SRunner *sr;
	int nf;

	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcsc_client READER: the integration test's PC/SC client. Through pcscd (the apdu/ PC/SC
 * transport and T=0 exchange) it selects ADF.USIM by AID prefix, reads EF_IMSI, runs
 * AUTHENTICATE in the GBA context (bootstrapping with TS 35.208 set 1, the ME's EF_GBABP
 * write, NAF derivation) and in the 3G context (a fresh AuC vector), checks that a replay
 * gets AUTS, selects ADF.ISIM and reads EF_IMPI; each answer is compared with the known one.
 * Prints one "ok"/"FAIL" line per check; exit 0 when all pass, 1 otherwise, 77 when pcscd or
 * the reader is absent.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/aka.h>
#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

#define SET1_K		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define SET1_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define SET1_RAND	"23553cbe9637a89d218ae64dae47bf35"
#define SET1_AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define SET1_RES	"a54211d5e3ba50bf"
#define SET1_IMPI	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define SET1_BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define SET1_KS_EXT_NAF	"f265d29189603ed3d4b275b8dd60a9d0064a8394299c73025bc349a5c9a86ad0"

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

/* exchange a built C-APDU; returns the data length, SW in *sw */
static int xchg(struct gba_transport *t, const uint8_t *c, int clen, uint8_t *r, size_t rmax,
		uint16_t *sw)
{
	int n;

	if (clen < 0)
		return clen;
	n = gba_apdu_exchange(t, c, (size_t)clen, r, rmax, sw);
	if (n < 0)
		fprintf(stderr, "exchange: %s\n", gba_transport_strerror(n));
	return n;
}

static bool hex_eq(const uint8_t *b, size_t n, const char *hex)
{
	char h[200];

	return gba_hex_encode(h, sizeof(h), b, n) == 0 && !strcmp(h, hex);
}

int main(int argc, char **argv)
{
	struct gba_pcsc_opts po = { .reader = argc > 1 ? argv[1] : "GBA Test PCD", .wait_ms = 10000 };
	struct gba_transport *t = NULL;
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN], rand[16], autn[16], atr[40];
	struct gba_auth_rsp ar;
	struct gba_auc_sub sub = { 0 };
	struct gba_av av;
	const uint8_t *v;
	size_t vl;
	uint16_t sw;
	char imsi[20];
	int n, rc;

	gba_log_init("pcsc_client", GBA_LOG_STDERR);
	rc = gba_transport_pcsc_open(&t, &po);
	if (rc) {
		fprintf(stderr, "pcsc: %s\n", gba_transport_strerror(rc));
		return rc == -EHOSTDOWN || rc == -ENODEV ? 77 : 1;
	}
	n = gba_transport_pcsc_atr(t, atr, sizeof(atr));
	check(n > 2 && atr[0] == 0x3b, "ATR");
	printf("reader %s, %s\n", gba_transport_name(t), gba_proto_name(gba_transport_protocol(t)));

	/* USIM by AID prefix, EF_IMSI */
	n = xchg(t, c, gba_cmd_select_aid(c, sizeof(c), 0, gba_aid_usim_prefix, GBA_AID_PREFIX_LEN,
					  true), r, sizeof(r), &sw);
	check(n > 0 && sw == GBA_SW_OK, "SELECT ADF.USIM by AID prefix");
	n = xchg(t, c, gba_cmd_select_fid(c, sizeof(c), 0, GBA_FID_USIM_EF_IMSI, false), r, sizeof(r),
		 &sw);
	n = xchg(t, c, gba_cmd_read_binary(c, sizeof(c), 0, 0, 9), r, sizeof(r), &sw);
	check(n == 9 && sw == GBA_SW_OK && gba_ef_imsi_decode(imsi, sizeof(imsi), r, 9) == 15 &&
	      !strcmp(imsi, "001010000000001"), "EF_IMSI 001010000000001");

	/* GBA bootstrapping with set 1: RES only */
	gba_hex_decode(rand, 16, SET1_RAND);
	gba_hex_decode(autn, 16, SET1_AUTN);
	n = xchg(t, c, gba_cmd_auth_gba_boot(c, sizeof(c), 0, rand, autn), r, sizeof(r), &sw);
	check(n > 0 && sw == GBA_SW_OK && gba_auth_rsp_parse(&ar, GBA_AUTH_GBA_BOOT, r, (size_t)n) == 0 &&
	      ar.tag == GBA_AUTH_TAG_OK && hex_eq(ar.res, ar.res_len, SET1_RES),
	      "AUTHENTICATE GBA bootstrapping: DB 08 RES (set 1)");
	/* the ME writes B-TID and lifetime into EF_GBABP */
	{
		struct gba_gbabp bp = { .rand = rand, .rand_len = 16,
					.btid = (const uint8_t *)SET1_BTID, .btid_len = strlen(SET1_BTID),
					.lifetime = (const uint8_t *)"2030-01-01T00:00:00Z",
					.lifetime_len = 20 };
		uint8_t body[200];
		int bl = gba_gbabp_build(body, sizeof(body), &bp);

		xchg(t, c, gba_cmd_select_fid(c, sizeof(c), 0, GBA_FID_USIM_EF_GBABP, false), r,
		     sizeof(r), &sw);
		n = xchg(t, c, gba_cmd_update_binary(c, sizeof(c), 0, 0, body, (size_t)bl), r,
			 sizeof(r), &sw);
		check(bl > 0 && sw == GBA_SW_OK, "UPDATE BINARY EF_GBABP (B-TID, lifetime)");
	}
	{
		static const uint8_t naf_id[] = "naf.example.com\x01\x00\x00\x00\x02";

		n = xchg(t, c, gba_cmd_auth_gba_naf(c, sizeof(c), 0, naf_id, sizeof(naf_id) - 1,
						    (const uint8_t *)SET1_IMPI, strlen(SET1_IMPI)),
			 r, sizeof(r), &sw);
		check(n > 0 && sw == GBA_SW_OK &&
		      gba_auth_rsp_parse(&ar, GBA_AUTH_GBA_NAF, r, (size_t)n) == 0 &&
		      hex_eq(ar.ks_ext_naf, 32, SET1_KS_EXT_NAF),
		      "AUTHENTICATE GBA NAF derivation: DB 20 Ks_ext_NAF");
	}
	/* 3G with a fresh vector from the AuC side */
	sub.cred.alg = GBA_AKA_MILENAGE;
	gba_hex_decode(sub.cred.k, 16, SET1_K);
	gba_hex_decode(sub.cred.opc, 16, SET1_OPC);
	sub.amf[0] = sub.amf[1] = 0xb9;
	sub.sqn = 0xff9bb4d0b607ULL;
	rand[0] ^= 0xff;
	rc = gba_auc_gen_vector(&av, &sub, rand);
	n = xchg(t, c, gba_cmd_auth_3g(c, sizeof(c), 0, av.rand, av.autn), r, sizeof(r), &sw);
	check(rc == 0 && n > 0 && sw == GBA_SW_OK &&
	      gba_auth_rsp_parse(&ar, GBA_AUTH_3G, r, (size_t)n) == 0 && ar.tag == GBA_AUTH_TAG_OK &&
	      ar.res_len == av.xres_len && !memcmp(ar.res, av.xres, ar.res_len) &&
	      !memcmp(ar.ck, av.ck, 16) && !memcmp(ar.ik, av.ik, 16),
	      "AUTHENTICATE 3G: RES CK IK of the AuC vector");
	n = xchg(t, c, gba_cmd_auth_3g(c, sizeof(c), 0, av.rand, av.autn), r, sizeof(r), &sw);
	check(n > 0 && sw == GBA_SW_OK && gba_auth_rsp_parse(&ar, GBA_AUTH_3G, r, (size_t)n) == 0 &&
	      ar.tag == GBA_AUTH_TAG_SYNC, "AUTHENTICATE 3G replay: DC AUTS");
	gba_zeroize(&ar, sizeof(ar));
	gba_zeroize(&av, sizeof(av));
	gba_zeroize(&sub, sizeof(sub));

	/* ISIM, EF_IMPI */
	n = xchg(t, c, gba_cmd_select_aid(c, sizeof(c), 0, gba_aid_isim_prefix, GBA_AID_PREFIX_LEN,
					  false), r, sizeof(r), &sw);
	check(sw == GBA_SW_OK, "SELECT ADF.ISIM by AID prefix");
	xchg(t, c, gba_cmd_select_fid(c, sizeof(c), 0, GBA_FID_ISIM_EF_IMPI, false), r, sizeof(r), &sw);
	n = xchg(t, c, gba_cmd_read_binary(c, sizeof(c), 0, 0, 256), r, sizeof(r), &sw);
	check(n > 0 && sw == GBA_SW_OK && gba_isim_nai_parse(&v, &vl, r, (size_t)n) == 0 &&
	      vl == strlen(SET1_IMPI) && !memcmp(v, SET1_IMPI, vl), "EF_IMPI " SET1_IMPI);

	gba_transport_close(t);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

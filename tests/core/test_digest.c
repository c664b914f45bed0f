/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/digest.c: the Ub/Ua known-answer vectors of gba-spec-notes.md 3.4, 3.5
 * and 3.7, the two captured AKAv1-MD5 vectors of 8.3 (frankurcrazy/helloworld ims/akav1-md5,
 * XOR test algorithm), AKA nonce codec, builder/parser round trips, a table of malformed
 * headers with their expected errors, and accepted oddities.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/digest.h>
#include <gba/keys.h>

#define IMPI	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define BSF	"bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define UB_NONCE "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M="
#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@" BSF

static const uint8_t set1_res[8] = { 0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf };

/* gba-spec-notes.md 3.5: the 200 OK body, exactly 219 bytes */
static const char ub_body[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n"
	"<btid>I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org</btid>\n"
	"<lifetime>2030-01-01T00:00:00Z</lifetime>\n"
	"</BootstrappingInfo>\n";

static struct gba_digest_input ub_input(void)
{
	struct gba_digest_input in = {
		.password = set1_res, .password_len = sizeof(set1_res),
		.username = IMPI, .realm = BSF, .method = "GET", .uri = "/", .nonce = UB_NONCE,
		.nc = "00000001", .cnonce = "0a4f113b", .qop = GBA_QOP_AUTH_INT,
	};
	return in;
}

START_TEST(ub_response_vector)
{
	struct gba_digest_input in = ub_input();
	char out[GBA_DIGEST_HEX_LEN + 1];

	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, "9645747a7f4f295e7239252f3f5bf0f5");
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0f5", &in), 0);
	ck_assert_int_eq(gba_digest_verify("9645747A7F4F295E7239252F3F5BF0F5", &in), 0);
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0f4", &in), -EACCES);
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0f", &in), -EINVAL);
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0f50", &in), -EINVAL);
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0fx", &in), -EINVAL);
	ck_assert_int_eq(gba_digest_verify("", &in), -EINVAL);
	ck_assert_int_eq(gba_digest_verify(NULL, &in), -EINVAL);
	/* a wrong RES gives a different answer */
	in.password_len = 7;
	ck_assert_int_eq(gba_digest_verify("9645747a7f4f295e7239252f3f5bf0f5", &in), -EACCES);
}
END_TEST

START_TEST(ub_rspauth_vector)
{
	struct gba_digest_input in = ub_input();
	char out[GBA_DIGEST_HEX_LEN + 1];

	ck_assert_uint_eq(strlen(ub_body), 219);
	in.method = "";
	in.body = (const uint8_t *)ub_body;
	in.body_len = strlen(ub_body);
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, "f89c23d1b5033d51cd1da54e858e9de5");
	ck_assert_int_eq(gba_digest_verify("f89c23d1b5033d51cd1da54e858e9de5", &in), 0);
	in.body_len--;
	ck_assert_int_eq(gba_digest_verify("f89c23d1b5033d51cd1da54e858e9de5", &in), -EACCES);
}
END_TEST

START_TEST(ua_response_vector)
{
	static const char ks_naf_b64[] = "8mXSkYlgPtPUsnW43WCp0AZKg5QpnHMCW8NJpcmoatA=";
	struct gba_digest_input in = {
		.password = (const uint8_t *)ks_naf_b64, .password_len = strlen(ks_naf_b64),
		.username = BTID, .realm = "3GPP-bootstrapping@naf.example.com", .method = "GET",
		.uri = "/", .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093", .nc = "00000001",
		.cnonce = "0a4f113b", .qop = GBA_QOP_AUTH_INT,
	};
	char out[GBA_DIGEST_HEX_LEN + 1];

	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, "74cdec905aa7e9556c90cc68d1dbb6e7");
	ck_assert_int_eq(gba_digest_verify(out, &in), 0);
}
END_TEST

/*
 * gba-spec-notes.md 8.3: frankurcrazy/helloworld ims/akav1-md5 test_vector_1.h and
 * test_vector_2.h. XOR test algorithm (TS 34.108 8.1.2): RES = K xor RAND, 16 octets.
 */
struct wild_vector {
	uint8_t rand_first, rand_step;	/* RAND[i] = first + i * step */
	const char *user, *realm, *uri, *cnonce, *nonce, *response;
};

static const struct wild_vector wild[] = {
	{ 0, 0, "466058041131504@ims.mnc005.mcc466.3gppnetwork.org",
	  "ims.mnc005.mcc466.3gppnetwork.org", "sip:ims.mnc005.mcc466.3gppnetwork.org", "YD05duxy",
	  "AAAAAAAAAAAAAAAAAAAAAAMEBQYHCAAAAAECAwQFBgc=", "c76c2c281a21c0d6131e667d61a6bdf5" },
	{ 0, 1, "450050020150513@ims.mnc005.mcc450.3gppnetwork.org",
	  "ims.mnc005.mcc450.3gppnetwork.org", "sip:ims.mnc005.mcc450.3gppnetwork.org", "v0KBLdbU",
	  "AAECAwQFBgcICQoLDA0ODwAAAAAAAAAAAAAAAAAAAAA=", "c0c4c5a9cfc885bb697aa61a2a2c5466" },
};

START_TEST(wild_akav1_vectors)
{
	const struct wild_vector *v = &wild[_i];
	uint8_t k[16], rand[16], res[16], nrand[16], nautn[16];
	char out[GBA_DIGEST_HEX_LEN + 1], nonce[64];
	struct gba_digest_input in;
	int i;

	for (i = 0; i < 16; i++) {
		k[i] = (uint8_t)i;
		rand[i] = (uint8_t)(v->rand_first + i * v->rand_step);
		res[i] = k[i] ^ rand[i];
	}
	ck_assert_int_eq(gba_aka_nonce_decode(v->nonce, nrand, nautn), 0);
	ck_assert(gba_ct_equal(nrand, rand, 16));
	ck_assert_int_eq(gba_aka_nonce_encode(nonce, sizeof(nonce), nrand, nautn, NULL, 0), 44);
	ck_assert_str_eq(nonce, v->nonce);

	in = (struct gba_digest_input) {
		.password = res, .password_len = sizeof(res), .username = v->user,
		.realm = v->realm, .method = "REGISTER", .uri = v->uri, .nonce = v->nonce,
		.nc = "00000001", .cnonce = v->cnonce, .qop = GBA_QOP_AUTH,
	};
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, v->response);
	ck_assert_int_eq(gba_digest_verify(v->response, &in), 0);
	gba_zeroize(res, sizeof(res));
	gba_zeroize(k, sizeof(k));
}
END_TEST

START_TEST(compute_no_qop_and_errors)
{
	/* RFC 2069 style: MD5(HA1:nonce:HA2); RFC 2617 3.5 example values with qop removed */
	struct gba_digest_input in = {
		.password = (const uint8_t *)"Circle Of Life", .password_len = 14,
		.username = "Mufasa", .realm = "testrealm@host.com", .method = "GET",
		.uri = "/dir/index.html", .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
		.nc = "00000001", .cnonce = "0a4f113b", .qop = GBA_QOP_AUTH,
	};
	char out[GBA_DIGEST_HEX_LEN + 1];

	/* RFC 2617 3.5 (with the published errata value for MD5 qop=auth) */
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, "6629fae49393a05397450978507c4ef1");
	in.qop = GBA_QOP_NONE;
	in.nc = NULL;
	in.cnonce = NULL;
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	ck_assert_str_eq(out, "670fd8c2df070c60b045671b8b24ff02");
	/* empty password (AUTS / MAC failure) is allowed */
	in.password = NULL;
	in.password_len = 0;
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);

	in.qop = GBA_QOP_AUTH;
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);	/* no cnonce/nc */
	in.nc = "00000001";
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);	/* no cnonce */
	in.cnonce = "x";
	ck_assert_int_eq(gba_digest_compute(out, &in), 0);
	in.qop = (enum gba_digest_qop)7;
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);
	in.qop = GBA_QOP_AUTH_INT;
	in.body_len = 3;					/* NULL body with a length */
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);
	in.body_len = 0;
	in.password_len = 1;					/* NULL password with a length */
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);
	in.password_len = 0;
	in.uri = NULL;
	ck_assert_int_eq(gba_digest_compute(out, &in), -EINVAL);
	ck_assert_int_eq(gba_digest_compute(out, NULL), -EINVAL);
}
END_TEST

START_TEST(aka_nonce_codec)
{
	uint8_t rand[16], autn[16], r2[16], a2[16], sd[GBA_AKA_NONCE_SD_MAX + 1];
	char t[512];
	int n;

	ck_assert_int_eq(gba_hex_decode(rand, 16, "23553cbe9637a89d218ae64dae47bf35"), 0);
	ck_assert_int_eq(gba_hex_decode(autn, 16, "55f328b43577b9b94a9ffac354dfafb3"), 0);
	ck_assert_int_eq(gba_aka_nonce_encode(t, sizeof(t), rand, autn, NULL, 0), 44);
	ck_assert_str_eq(t, UB_NONCE);
	ck_assert_int_eq(gba_aka_nonce_encode(t, 44, rand, autn, NULL, 0), -ENOSPC);
	memset(sd, 0x5a, sizeof(sd));
	n = gba_aka_nonce_encode(t, sizeof(t), rand, autn, sd, 5);
	ck_assert_int_eq(n, GBA_B64_LEN(37));
	ck_assert_int_eq(gba_aka_nonce_decode(t, r2, a2), 0);		/* server data ignored */
	ck_assert(gba_ct_equal(r2, rand, 16) && gba_ct_equal(a2, autn, 16));
	ck_assert_int_eq(gba_aka_nonce_encode(t, sizeof(t), rand, autn, sd, sizeof(sd)), -E2BIG);
	ck_assert_int_eq(gba_aka_nonce_encode(t, sizeof(t), rand, autn, NULL, 3), -EINVAL);

	ck_assert_int_eq(gba_aka_nonce_decode("", r2, a2), -EINVAL);
	ck_assert_int_eq(gba_aka_nonce_decode("I1U8vpY3qJ0hiuZNrke/NQ==", r2, a2), -EINVAL);
	ck_assert_int_eq(gba_aka_nonce_decode("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7", r2, a2),
			 -EINVAL);
	ck_assert_int_eq(gba_aka_nonce_decode("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M!",
					      r2, a2), -EINVAL);
	ck_assert_int_eq(gba_aka_nonce_decode(NULL, r2, a2), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ round trips */

START_TEST(roundtrip_challenge)
{
	static const unsigned int masks[] = {
		1u << GBA_QOP_AUTH_INT, 1u << GBA_QOP_AUTH,
		(1u << GBA_QOP_AUTH) | (1u << GBA_QOP_AUTH_INT), 1u << GBA_QOP_NONE,
	};
	struct gba_digest d;
	char h[1024];
	unsigned int i;
	int n;

	n = gba_digest_fmt_challenge(h, sizeof(h), BSF, UB_NONCE, NULL, "AKAv1-MD5",
				     1u << GBA_QOP_AUTH_INT, false);
	ck_assert_str_eq(h, "Digest realm=\"" BSF "\", nonce=\"" UB_NONCE
			 "\", algorithm=AKAv1-MD5, qop=\"auth-int\"");
	ck_assert_int_eq(n, (int)strlen(h));

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		n = gba_digest_fmt_challenge(h, sizeof(h), "we \"ird\\ realm, yes", "n,o\"nce",
					     i % 2 ? "op\\aque" : NULL,
					     i == 3 ? NULL : "AKAv1-MD5", masks[i], i % 2);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_CHALLENGE, h, (size_t)n), 0);
		ck_assert_int_eq(d.kind, GBA_DIGEST_CHALLENGE);
		ck_assert_str_eq(d.realm, "we \"ird\\ realm, yes");
		ck_assert_str_eq(d.nonce, "n,o\"nce");
		if (i % 2)
			ck_assert_str_eq(d.opaque, "op\\aque");
		else
			ck_assert_ptr_null(d.opaque);
		if (i == 3)
			ck_assert_ptr_null(d.algorithm);
		else
			ck_assert_str_eq(d.algorithm, "AKAv1-MD5");
		ck_assert_uint_eq(d.qop_mask, masks[i]);
		ck_assert_int_eq(d.stale_true, i % 2);
		ck_assert_ptr_null(d.username);
	}
	/* the struct owns its strings: the input can go away */
	memset(h, 'x', sizeof(h));
	ck_assert_str_eq(d.realm, "we \"ird\\ realm, yes");
}
END_TEST

START_TEST(roundtrip_credentials)
{
	struct gba_digest_input in = ub_input();
	struct gba_digest d;
	char h[1024];
	int n;

	/* message 1 of Ub: empty nonce and response */
	in.nonce = "";
	in.qop = GBA_QOP_NONE;
	n = gba_digest_fmt_credentials(h, sizeof(h), &in, "", NULL, NULL, NULL);
	ck_assert_str_eq(h, "Digest username=\"" IMPI "\", realm=\"" BSF
			 "\", nonce=\"\", uri=\"/\", response=\"\"");
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_CREDENTIALS, h, (size_t)n), 0);
	ck_assert_str_eq(d.username, IMPI);
	ck_assert_str_eq(d.nonce, "");
	ck_assert_str_eq(d.response, "");
	ck_assert_ptr_null(d.qop);
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_NONE);

	/* message 3, with opaque and auts (synchronisation failure) */
	in = ub_input();
	in.username = "us\"er\\";
	n = gba_digest_fmt_credentials(h, sizeof(h), &in, "9645747a7f4f295e7239252f3f5bf0f5",
				       "AKAv1-MD5", "opq", "RR6L7KQagBJeyoiEtWo=");
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_CREDENTIALS, h, (size_t)n), 0);
	ck_assert_str_eq(d.username, "us\"er\\");
	ck_assert_str_eq(d.realm, BSF);
	ck_assert_str_eq(d.nonce, UB_NONCE);
	ck_assert_str_eq(d.uri, "/");
	ck_assert_str_eq(d.qop, "auth-int");
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_AUTH_INT);
	ck_assert_str_eq(d.nc, "00000001");
	ck_assert_str_eq(d.cnonce, "0a4f113b");
	ck_assert_str_eq(d.response, "9645747a7f4f295e7239252f3f5bf0f5");
	ck_assert_str_eq(d.algorithm, "AKAv1-MD5");
	ck_assert_str_eq(d.opaque, "opq");
	ck_assert_str_eq(d.auts, "RR6L7KQagBJeyoiEtWo=");
	/* qop and nc go out as tokens */
	ck_assert_ptr_nonnull(strstr(h, ", qop=auth-int, nc=00000001, cnonce=\"0a4f113b\""));

	/* an algorithm that is not a token is quoted */
	n = gba_digest_fmt_credentials(h, sizeof(h), &in, "r", "odd alg", NULL, NULL);
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_CREDENTIALS, h, (size_t)n), 0);
	ck_assert_str_eq(d.algorithm, "odd alg");
}
END_TEST

START_TEST(roundtrip_auth_info)
{
	struct gba_digest d;
	char h[512];
	int n;

	n = gba_digest_fmt_auth_info(h, sizeof(h), GBA_QOP_AUTH_INT,
				     "f89c23d1b5033d51cd1da54e858e9de5", "0a4f113b", "00000001",
				     NULL);
	ck_assert_str_eq(h, "qop=auth-int, rspauth=\"f89c23d1b5033d51cd1da54e858e9de5\", "
			 "cnonce=\"0a4f113b\", nc=00000001");
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_AUTH_INFO, h, (size_t)n), 0);
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_AUTH_INT);
	ck_assert_str_eq(d.rspauth, "f89c23d1b5033d51cd1da54e858e9de5");
	ck_assert_str_eq(d.cnonce, "0a4f113b");
	ck_assert_str_eq(d.nc, "00000001");
	ck_assert_ptr_null(d.nextnonce);

	n = gba_digest_fmt_auth_info(h, sizeof(h), GBA_QOP_NONE, NULL, NULL, NULL, "nn\"x");
	ck_assert_str_eq(h, "nextnonce=\"nn\\\"x\"");
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_AUTH_INFO, h, (size_t)n), 0);
	ck_assert_str_eq(d.nextnonce, "nn\"x");
	ck_assert_ptr_null(d.qop);
	n = gba_digest_fmt_auth_info(h, sizeof(h), GBA_QOP_NONE, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(gba_digest_parse(&d, GBA_DIGEST_AUTH_INFO, h, 0), 0);
}
END_TEST

START_TEST(builder_errors)
{
	struct gba_digest_input in = ub_input();
	char h[256];

	/* header injection */
	ck_assert_int_eq(gba_digest_fmt_challenge(h, sizeof(h), "a\r\nSet-Cookie: x", "n", NULL,
						  NULL, 0, false), -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_challenge(h, sizeof(h), NULL, "n", NULL, NULL, 0, false),
			 -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_challenge(h, sizeof(h), "r", "n", NULL, NULL, 1u << 5,
						  false), -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_challenge(h, 20, "r", "n", NULL, NULL, 0, false), -ENOSPC);
	ck_assert_str_eq(h, "");
	ck_assert_int_eq(gba_digest_fmt_challenge(h, 0, "r", "n", NULL, NULL, 0, false), -ENOSPC);
	ck_assert_int_eq(gba_digest_fmt_challenge(h, 27, "r", "n", NULL, NULL, 0, false), -ENOSPC);
	ck_assert_int_eq(gba_digest_fmt_challenge(h, 28, "r", "n", NULL, NULL, 0, false), 27);

	ck_assert_int_eq(gba_digest_fmt_credentials(h, sizeof(h), &in, NULL, NULL, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_credentials(h, sizeof(h), &in, "r", NULL, NULL, "a\nb"),
			 -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_credentials(h, 50, &in, "r", NULL, NULL, NULL), -ENOSPC);
	in.nc = "1";
	ck_assert_int_eq(gba_digest_fmt_credentials(h, sizeof(h), &in, "r", NULL, NULL, NULL),
			 -EINVAL);
	in.nc = "00000001";
	in.cnonce = NULL;
	ck_assert_int_eq(gba_digest_fmt_credentials(h, sizeof(h), &in, "r", NULL, NULL, NULL),
			 -EINVAL);
	in.qop = (enum gba_digest_qop)3;
	ck_assert_int_eq(gba_digest_fmt_credentials(h, sizeof(h), &in, "r", NULL, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_auth_info(h, sizeof(h), GBA_QOP_AUTH, "r", "c", "xyz",
						  NULL), -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_auth_info(h, sizeof(h), GBA_QOP_AUTH, "r\x7f", NULL, NULL,
						  NULL), -EINVAL);
	ck_assert_int_eq(gba_digest_fmt_auth_info(h, 5, GBA_QOP_AUTH, "r", NULL, NULL, NULL),
			 -ENOSPC);
	ck_assert_str_eq(gba_digest_qop_name(GBA_QOP_AUTH), "auth");
	ck_assert_str_eq(gba_digest_qop_name(GBA_QOP_AUTH_INT), "auth-int");
	ck_assert_str_eq(gba_digest_qop_name(GBA_QOP_NONE), "");
}
END_TEST

/* ------------------------------------------------------------------ malformed headers */

#define CH GBA_DIGEST_CHALLENGE
#define CR GBA_DIGEST_CREDENTIALS
#define AI GBA_DIGEST_AUTH_INFO
#define CH_OK "Digest realm=\"r\", nonce=\"n\""
#define NUL_HDR "Digest realm=\"a\0b\", nonce=\"n\""
#define CR_OK "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\""

struct bad_case {
	enum gba_digest_kind kind;
	const char *hdr;
	size_t len;		/* 0: strlen(hdr) */
	int rc;
	const char *err;	/* a substring of d.err */
};

static const struct bad_case bad[] = {
	{ CH, "", 0, -EINVAL, "scheme" },
	{ CR, "   ", 0, -EINVAL, "scheme" },
	{ CH, "Basic realm=\"r\"", 0, -EINVAL, "scheme" },
	{ CH, "Digestrealm=\"r\", nonce=\"n\"", 0, -EINVAL, "scheme" },
	{ CH, "Digest,realm=\"r\", nonce=\"n\"", 0, -EINVAL, "space" },
	{ CH, "Digest realm=\"r\", nonce=\"n\", realm=\"s\"", 0, -EINVAL, "duplicate" },
	{ CH, "Digest realm=\"r\", nonce=\"n\", REALM=\"r\"", 0, -EINVAL, "duplicate" },
	{ CH, CH_OK ", x=1, X=2", 0, -EINVAL, "duplicate" },		/* unknown dups too */
	{ CH, "Digest =\"r\", nonce=\"n\"", 0, -EINVAL, "empty" },
	{ CH, "Digest \"realm\"=\"r\", nonce=\"n\"", 0, -EINVAL, "empty" },
	{ CH, "Digest realm=\"r\", nonce=\"abc", 0, -EINVAL, "unterminated" },
	{ CH, "Digest realm=\"r\", nonce=\"abc\\", 0, -EINVAL, "unterminated" },
	{ CH, "Digest realm=\"r\", nonce=\"", 0, -EINVAL, "unterminated" },
	{ CH, "Digest realm=\"a\x01" "b\", nonce=\"n\"", 0, -EINVAL, "control" },
	{ CH, NUL_HDR, sizeof(NUL_HDR) - 1, -EINVAL, "NUL" },
	{ CH, "Digest realm=\"r\",\r\n nonce=\"n\"", 0, -EINVAL, "control" },
	{ CH, "Digest realm=\"a\x7f\", nonce=\"n\"", 0, -EINVAL, "control" },
	{ CH, "Digest realm=\"a\\\x1b\", nonce=\"n\"", 0, -EINVAL, "control" },	/* escaped ctl */
	{ CH, "Digest realm=\"r\" junk, nonce=\"n\"", 0, -EINVAL, "trailing" },
	{ CH, "Digest realm=r x, nonce=n", 0, -EINVAL, "trailing" },
	{ CH, CH_OK " \"", 0, -EINVAL, "trailing" },
	{ CH, "Digest realm=x/y, nonce=n", 0, -EINVAL, "trailing" },
	{ CH, "Digest realm \"r\", nonce=\"n\"", 0, -EINVAL, "'='" },
	{ CH, CH_OK ", stale", 0, -EINVAL, "'='" },
	{ CH, "Digest realm=, nonce=\"n\"", 0, -EINVAL, "value" },
	{ CH, "Digest realm=\"r\", nonce=", 0, -EINVAL, "value" },
	{ CH, "Digest realm=\xc3\xa9, nonce=n", 0, -EINVAL, "value" },
	{ CH, "Digest YWxhZGRpbjpvcGVuc2VzYW1l==", 0, -EINVAL, "value" },	/* token68 */
	{ CH, CH_OK ", Basic realm=\"x\"", 0, -EINVAL, "'='" },		/* second challenge */
	{ CH, "Digest realm=\"r\"", 0, -EINVAL, "missing parameter nonce" },
	{ CH, "Digest nonce=\"n\"", 0, -EINVAL, "missing parameter realm" },
	{ CH, CH_OK ", qop=\"auth-conf\"", 0, -EINVAL, "neither" },
	{ CH, CH_OK ", qop=\"\"", 0, -EINVAL, "neither" },
	{ CH, CH_OK ", qop=\"auth;auth-int\"", 0, -EINVAL, "qop" },
	{ CH, CH_OK ", qop=\"auth auth-int\"", 0, -EINVAL, "comma" },
	{ CR, "Digest", 0, -EINVAL, "missing parameter username" },
	{ CR, "Digest realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\"",
	  0, -EINVAL, "missing parameter username" },
	{ CR, "Digest username=\"u\", nonce=\"n\", uri=\"/\", response=\"x\"",
	  0, -EINVAL, "missing parameter realm" },
	{ CR, "Digest username=\"u\", realm=\"r\", uri=\"/\", response=\"x\"",
	  0, -EINVAL, "missing parameter nonce" },
	{ CR, "Digest username=\"u\", realm=\"r\", nonce=\"n\", response=\"x\"",
	  0, -EINVAL, "missing parameter uri" },
	{ CR, "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\"",
	  0, -EINVAL, "missing parameter response" },
	{ CR, CR_OK ", qop=auth, cnonce=\"c\"", 0, -EINVAL, "nc" },
	{ CR, CR_OK ", qop=auth, nc=00000001", 0, -EINVAL, "cnonce" },
	{ CR, CR_OK ", qop=auth-conf, nc=00000001, cnonce=\"c\"", 0, -EINVAL, "qop" },
	{ CR, CR_OK ", qop=\"auth,auth-int\", nc=00000001, cnonce=\"c\"", 0, -EINVAL, "qop" },
	{ CR, CR_OK ", qop=auth, nc=1, cnonce=\"c\"", 0, -EINVAL, "nc" },
	{ CR, CR_OK ", qop=auth, nc=0000000g, cnonce=\"c\"", 0, -EINVAL, "nc" },
	{ CR, CR_OK ", qop=auth, nc=000000001, cnonce=\"c\"", 0, -EINVAL, "nc" },
	{ CR, CR_OK ", qop=auth, nc=\"0000 001\", cnonce=\"c\"", 0, -EINVAL, "nc" },
	{ AI, "Digest qop=auth", 0, -EINVAL, "'='" },
	{ AI, "qop=auth-conf", 0, -EINVAL, "qop" },
	{ AI, "qop=auth, nc=123", 0, -EINVAL, "nc" },
	{ AI, "rspauth=\"x\" ,, =y", 0, -EINVAL, "empty" },
	{ AI, "rspauth=\"x\"\t;", 0, -EINVAL, "trailing" },
	{ AI, "rspauth=\"x\", rspauth=\"x\"", 0, -EINVAL, "duplicate" },
};

START_TEST(reject_malformed)
{
	const struct bad_case *c = &bad[_i];
	struct gba_digest d;
	size_t len = c->len ? c->len : strlen(c->hdr);
	int rc = gba_digest_parse(&d, c->kind, c->hdr, len);

	ck_assert_msg(rc == c->rc, "case %d: rc %d, expected %d (%s)", _i, rc, c->rc, d.err);
	ck_assert_msg(strstr(d.err, c->err), "case %d: err '%s' lacks '%s'", _i, d.err, c->err);
}
END_TEST

START_TEST(reject_limits)
{
	struct gba_digest *d = malloc(sizeof(*d));
	char *h = malloc(GBA_DIGEST_HDR_MAX + 64);
	size_t n;
	int i;

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(h);
	/* exactly the maximum is fine, one more byte is not */
	n = (size_t)snprintf(h, 64, CH_OK ", x=\"");
	memset(h + n, 'a', GBA_DIGEST_HDR_MAX - n - 1);
	h[GBA_DIGEST_HDR_MAX - 1] = '"';
	ck_assert_int_eq(gba_digest_parse(d, CH, h, GBA_DIGEST_HDR_MAX), 0);
	h[GBA_DIGEST_HDR_MAX - 1] = 'a';
	h[GBA_DIGEST_HDR_MAX] = '"';
	ck_assert_int_eq(gba_digest_parse(d, CH, h, GBA_DIGEST_HDR_MAX + 1), -E2BIG);
	ck_assert_ptr_nonnull(strstr(d->err, "too long"));

	/* GBA_DIGEST_PARAMS_MAX parameters are fine, one more is not */
	n = (size_t)sprintf(h, CH_OK);
	for (i = 2; i < GBA_DIGEST_PARAMS_MAX; i++)
		n += (size_t)sprintf(h + n, ", p%d=v", i);
	ck_assert_int_eq(gba_digest_parse(d, CH, h, n), 0);
	n += (size_t)sprintf(h + n, ", last=v");
	ck_assert_int_eq(gba_digest_parse(d, CH, h, n), -E2BIG);
	ck_assert_ptr_nonnull(strstr(d->err, "too many"));

	ck_assert_int_eq(gba_digest_parse(d, (enum gba_digest_kind)9, CH_OK, 5), -EINVAL);
	ck_assert_int_eq(gba_digest_parse(d, CH, NULL, 5), -EINVAL);
	free(h);
	free(d);
}
END_TEST

/* ------------------------------------------------------------------ accepted oddities */

START_TEST(accept_oddities)
{
	static const char ch[] =
		" \tdigest   REALM = \"a\\\"b\\\\c, d\\e\"  ,nonce=n,,  ,QOP=\"auth-int, auth, "
		"foo\" , x-unknown=\"y\", stale=TRUE ,Algorithm=\"AKAv1-MD5\", domain=\"/ /x\"\t ";
	static const char cr[] =
		"DIGEST username=\"caf\xc3\xa9\ttab\", realm=\"r\",uri=\"/a?b=c,d\",nonce=\"\","
		"response=\"\",qop=\"AUTH-INT\",nc=0000000A,cnonce=c1,opaque=\"\", auts=\"a=\"";
	struct gba_digest d;

	ck_assert_int_eq(gba_digest_parse(&d, CH, ch, strlen(ch)), 0);
	ck_assert_str_eq(d.realm, "a\"b\\c, de");
	ck_assert_str_eq(d.nonce, "n");
	ck_assert_str_eq(d.qop, "auth-int, auth, foo");
	ck_assert_uint_eq(d.qop_mask, (1u << GBA_QOP_AUTH) | (1u << GBA_QOP_AUTH_INT));
	ck_assert(d.stale_true);
	ck_assert_str_eq(d.stale, "TRUE");
	ck_assert_str_eq(d.algorithm, "AKAv1-MD5");
	ck_assert_str_eq(d.domain, "/ /x");
	ck_assert_str_eq(d.err, "");

	ck_assert_int_eq(gba_digest_parse(&d, CR, cr, strlen(cr)), 0);
	ck_assert_str_eq(d.username, "caf\xc3\xa9\ttab");
	ck_assert_str_eq(d.uri, "/a?b=c,d");
	ck_assert_str_eq(d.nonce, "");
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_AUTH_INT);
	ck_assert_str_eq(d.nc, "0000000A");
	ck_assert_str_eq(d.cnonce, "c1");
	ck_assert_str_eq(d.opaque, "");
	ck_assert_str_eq(d.auts, "a=");

	/* stale other than true means false; token qop in a challenge; len excludes the tail */
	ck_assert_int_eq(gba_digest_parse(&d, CH, CH_OK ", stale=maybe, qop=auth GARBAGE",
					  strlen(CH_OK ", stale=maybe, qop=auth")), 0);
	ck_assert(!d.stale_true);
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_AUTH);
	ck_assert_int_eq(gba_digest_parse(&d, CH, CH_OK ", stale=false", 40), 0);
	ck_assert(!d.stale_true);
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_NONE);
	/* credentials without qop may carry nothing else */
	ck_assert_int_eq(gba_digest_parse(&d, CR, CR_OK, strlen(CR_OK)), 0);
	ck_assert_ptr_null(d.nc);
	/* Authentication-Info: leading comma, tabs, nothing required */
	ck_assert_int_eq(gba_digest_parse(&d, AI, ", rspauth=\"x\",\tqop=Auth", 23), 0);
	ck_assert_uint_eq(d.qop_mask, 1u << GBA_QOP_AUTH);
	ck_assert_int_eq(gba_digest_parse(&d, AI, "  ", 2), 0);
	ck_assert_ptr_null(d.rspauth);
}
END_TEST

static Suite *digest_suite(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("vectors");

	tcase_add_test(tc, ub_response_vector);
	tcase_add_test(tc, ub_rspauth_vector);
	tcase_add_test(tc, ua_response_vector);
	tcase_add_loop_test(tc, wild_akav1_vectors, 0, sizeof(wild) / sizeof(wild[0]));
	tcase_add_test(tc, compute_no_qop_and_errors);
	tcase_add_test(tc, aka_nonce_codec);
	suite_add_tcase(s, tc);

	tc = tcase_create("headers");
	tcase_add_test(tc, roundtrip_challenge);
	tcase_add_test(tc, roundtrip_credentials);
	tcase_add_test(tc, roundtrip_auth_info);
	tcase_add_test(tc, builder_errors);
	tcase_add_loop_test(tc, reject_malformed, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, reject_limits);
	tcase_add_test(tc, accept_oddities);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(digest_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

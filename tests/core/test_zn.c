/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/zn_soap.c: the Zn web-service request, answer and fault
 * (doc/zn-soap.md): exact request text, round trips, hostile and incomplete
 * bodies, wrong key sizes, model checks on the build side.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/bsfxml.h>
#include <gba/keys.h>
#include <gba/zn.h>

#define BTID1 "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define IMPI1 "001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define NAF1 "naf.example.org"

#define ENV_OPEN "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
#define ENV_CLOSE "</s:Body></s:Envelope>"
#define REQ_OPEN "<g:requestBootstrappingInfoRequest xmlns:g=\"urn:3gpp:gba:GBAService\">"
#define REQ_CLOSE "</g:requestBootstrappingInfoRequest>"
#define RSP_OPEN "<g:requestBootstrappingInfoResponse xmlns:g=\"urn:3gpp:gba:GBAService\">"
#define RSP_CLOSE "</g:requestBootstrappingInfoResponse>"
#define G_BTID "<g:btid>" BTID1 "</g:btid>"
/* base64("naf.example.org" 01 00 00 00 02) */
#define G_NAFID "<g:nafid>bmFmLmV4YW1wbGUub3JnAQAAAAI=</g:nafid>"
#define G_IMPI "<g:impi>" IMPI1 "</g:impi>"
/* base64 of 00 01 02 .. 1f */
#define KEY_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define G_MEKEY "<g:meKeyMaterial>" KEY_B64 "</g:meKeyMaterial>"
#define G_UICCKEY "<g:uiccKeyMaterial>" KEY_B64 "</g:uiccKeyMaterial>"
#define G_EXP "<g:keyExpiryTime>2030-01-01T00:00:00Z</g:keyExpiryTime>"
#define G_CRE "<g:bootstrappingInfoCreationTime>2029-12-31T23:00:00Z" \
	"</g:bootstrappingInfoCreationTime>"
#define G_TYPE "<g:gbaType>3G</g:gbaType>"
#define G_ME "<g:uiccMe>GBA_ME</g:uiccMe>"
#define G_U "<g:uiccMe>GBA_U</g:uiccMe>"
#define MIN_REQ ENV_OPEN REQ_OPEN G_BTID G_NAFID REQ_CLOSE ENV_CLOSE
#define RSP_BODY G_IMPI G_MEKEY G_EXP G_CRE G_TYPE G_ME

static const char req_exact[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
	"<soapenv:Body>\n"
	"<gba:requestBootstrappingInfoRequest xmlns:gba=\"urn:3gpp:gba:GBAService\">\n"
	"<gba:btid>" BTID1 "</gba:btid>\n"
	"<gba:nafid>bmFmLmV4YW1wbGUub3JnAQAAAAI=</gba:nafid>\n"
	"<gba:gsid>1</gba:gsid>\n"
	"<gba:gsid>4294967295</gba:gsid>\n"
	"<gba:gbaUAware>true</gba:gbaUAware>\n"
	"</gba:requestBootstrappingInfoRequest>\n"
	"</soapenv:Body>\n"
	"</soapenv:Envelope>\n";

static void fill_req(struct gba_zn_request *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->btid, BTID1);
	memcpy(r->naf_id, NAF1 "\x01\x00\x00\x00\x02", sizeof(NAF1) + 4);
	r->naf_id_len = sizeof(NAF1) + 4;
	r->gba_u_aware = true;
	r->n_gsid = 2;
	r->gsid[0] = 1;
	r->gsid[1] = 4294967295u;
}

static void fill_answer(struct gba_zn_answer *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	strcpy(a->impi, IMPI1);
	for (i = 0; i < GBA_KS_NAF_LEN; i++) {
		a->me_key[i] = (uint8_t)i;
		a->uicc_key[i] = (uint8_t)(0xff - i);
	}
	a->key_expiry = 1893456000;
	a->creation_time = 1893452400;
	a->gba_type = GBA_ZN_TYPE_3G;
	a->uicc_me = GBA_ZN_UICC_ME_GBA_ME;
}

START_TEST(request_exact_roundtrip)
{
	struct gba_zn_request r, back;
	char *out;
	size_t len;

	fill_req(&r);
	ck_assert_int_eq(gba_zn_request_build(&out, &len, &r), 0);
	ck_assert_str_eq(out, req_exact);
	ck_assert_uint_eq(len, strlen(req_exact));
	ck_assert_int_eq(gba_zn_request_parse(&back, out, len, NULL, 0), 0);
	ck_assert_str_eq(back.btid, BTID1);
	ck_assert_uint_eq(back.naf_id_len, r.naf_id_len);
	ck_assert_mem_eq(back.naf_id, r.naf_id, r.naf_id_len);
	ck_assert(back.gba_u_aware);
	ck_assert_uint_eq(back.n_gsid, 2);
	ck_assert_uint_eq(back.gsid[0], 1);
	ck_assert_uint_eq(back.gsid[1], 4294967295u);
	free(out);

	/* minimal request, other prefixes, gbaUAware absent means false */
	ck_assert_int_eq(gba_zn_request_parse(&back, MIN_REQ, strlen(MIN_REQ), NULL, 0), 0);
	ck_assert(!back.gba_u_aware);
	ck_assert_uint_eq(back.n_gsid, 0);
}
END_TEST

START_TEST(request_build_negative)
{
	struct gba_zn_request r;
	char *out;
	size_t len;

	fill_req(&r);
	strcpy(r.btid, "nope");
	ck_assert_int_eq(gba_zn_request_build(&out, &len, &r), -EINVAL);
	fill_req(&r);
	r.naf_id_len = GBA_UA_ID_LEN;
	ck_assert_int_eq(gba_zn_request_build(&out, &len, &r), -EINVAL);
	r.naf_id_len = GBA_ZN_NAFID_MAX + 1;
	ck_assert_int_eq(gba_zn_request_build(&out, &len, &r), -EINVAL);
	fill_req(&r);
	r.n_gsid = GBA_ZN_GSID_MAX + 1;
	ck_assert_int_eq(gba_zn_request_build(&out, &len, &r), -EINVAL);
	ck_assert_int_eq(gba_zn_request_build(&out, &len, NULL), -EINVAL);
}
END_TEST

static int req_parse(const char *inner)
{
	struct gba_zn_request r;
	char buf[8192], err[160] = "";
	int rc;

	snprintf(buf, sizeof(buf), ENV_OPEN REQ_OPEN "%s" REQ_CLOSE ENV_CLOSE, inner);
	rc = gba_zn_request_parse(&r, buf, strlen(buf), err, sizeof(err));
	if (rc < 0) {
		ck_assert_msg(err[0], "no reason");
		ck_assert_str_eq(r.btid, "");
		ck_assert_uint_eq(r.naf_id_len, 0);
	}
	return rc;
}

START_TEST(request_negative)
{
	static const char *const bad[] = {
		G_NAFID,						/* no btid */
		G_BTID,							/* no nafid */
		G_BTID G_BTID G_NAFID,
		G_BTID G_NAFID G_NAFID,
		G_BTID G_NAFID "<g:gbaUAware>true</g:gbaUAware><g:gbaUAware>true</g:gbaUAware>",
		G_BTID G_NAFID "<g:gbaUAware>yes</g:gbaUAware>",
		G_BTID G_NAFID "<g:gsid>-1</g:gsid>",
		G_BTID G_NAFID "<g:gsid>4294967296</g:gsid>",
		G_BTID G_NAFID "<g:gsid></g:gsid>",
		G_BTID G_NAFID "<g:unknown/>",
		G_BTID G_NAFID "<x:y xmlns:x=\"urn:x\"/>",
		G_BTID "<nafid>bmFmLmV4YW1wbGUub3JnAQAAAAI=</nafid>",	/* unqualified */
		G_BTID "<g:nafid>AQAAAAI=</g:nafid>",			/* Ua id only */
		G_BTID "<g:nafid>bmFmLmV4YW1wbGUub3JnAQAAAAI</g:nafid>",	/* no padding */
		G_BTID "<g:nafid>bmFm!!V4YW1wbGUub3JnAQAAAAI=</g:nafid>",
		"<g:btid>x@y</g:btid>" G_NAFID,
		G_BTID G_NAFID "text",
		G_BTID "<g:nafid><g:b/></g:nafid>",
	};
	struct gba_zn_request r;
	char buf[4096], *p;
	size_t i;
	int n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(req_parse(bad[i]) == -EINVAL, "accepted case %zu", i);

	/* 17 gsids */
	p = buf + sprintf(buf, G_BTID G_NAFID);
	for (i = 0; i < GBA_ZN_GSID_MAX + 1; i++)
		p += sprintf(p, "<g:gsid>%zu</g:gsid>", i);
	ck_assert_int_eq(req_parse(buf), -EINVAL);
	*strrchr(buf, '<') = '\0';
	*strrchr(buf, '<') = '\0';
	ck_assert_int_eq(req_parse(buf), 0);	/* 16 are fine */

	/* a NAF_Id of 261 octets */
	p = buf + sprintf(buf, G_BTID "<g:nafid>");
	memset(p, 'Q', 348);
	strcpy(p + 348, "</g:nafid>");
	ck_assert_int_eq(req_parse(buf), -EINVAL);

	/* envelope problems */
	static const char *const env[] = {
		REQ_OPEN G_BTID G_NAFID REQ_CLOSE,			/* no envelope */
		"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>" REQ_OPEN
		G_BTID G_NAFID REQ_CLOSE ENV_CLOSE,			/* SOAP 1.2 */
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">" REQ_OPEN G_BTID
		G_NAFID REQ_CLOSE "</s:Envelope>",			/* no Body */
		ENV_OPEN REQ_OPEN G_BTID G_NAFID REQ_CLOSE REQ_OPEN G_BTID G_NAFID REQ_CLOSE
		ENV_CLOSE,
		ENV_OPEN ENV_CLOSE,					/* empty Body */
		ENV_OPEN "<g:requestBootstrappingInfoRequest "
		"xmlns:g=\"http://www.3gpp.org/GBAService\">"
		G_BTID G_NAFID REQ_CLOSE ENV_CLOSE,			/* other namespace */
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>"
		"<h:x xmlns:h=\"urn:h\" s:mustUnderstand=\"1\"/></s:Header><s:Body>" REQ_OPEN G_BTID
		G_NAFID REQ_CLOSE ENV_CLOSE,				/* mustUnderstand */
		"<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		ENV_OPEN REQ_OPEN
		"<g:btid>&x;</g:btid>" G_NAFID REQ_CLOSE ENV_CLOSE,	/* XXE */
		ENV_OPEN REQ_OPEN G_BTID G_NAFID REQ_CLOSE "</s:Body>",	/* not well-formed */
	};
	for (i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		n = gba_zn_request_parse(&r, env[i], strlen(env[i]), NULL, 0);
		ck_assert_msg(n == -EINVAL, "accepted envelope case %zu: %d", i, n);
	}
	/* a Header without mustUnderstand is ignored */
	snprintf(buf, sizeof(buf),
		 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		 "<s:Header><h:x xmlns:h=\"urn:h\"/></s:Header><s:Body>" REQ_OPEN G_BTID G_NAFID
		 REQ_CLOSE ENV_CLOSE);
	ck_assert_int_eq(gba_zn_request_parse(&r, buf, strlen(buf), NULL, 0), 0);
	ck_assert_int_eq(gba_zn_request_parse(&r, buf, GBA_XML_MAX + 1, NULL, 0), -E2BIG);
}
END_TEST

START_TEST(answer_roundtrip)
{
	static const char uss[] = "<ussList><uss id=\"1\" type=\"1\" nafGroup=\"g\"><uids><uid>"
				  "sip:user@home.net</uid></uids><flags><flag>1</flag></flags>"
				  "</uss></ussList>";
	struct gba_zn_answer a, back;
	struct gba_zn_fault f;
	char *out;
	size_t len;

	/* GBA_ME, no USS */
	fill_answer(&a);
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), 0);
	ck_assert_ptr_nonnull(strstr(out, "<gba:meKeyMaterial>" KEY_B64 "</gba:meKeyMaterial>\n"));
	ck_assert_ptr_null(strstr(out, "uiccKeyMaterial"));
	ck_assert_int_eq(gba_zn_response_parse(&back, &f, out, len, NULL, 0), GBA_ZN_ANSWER);
	ck_assert_str_eq(back.impi, IMPI1);
	ck_assert(gba_ct_equal(back.me_key, a.me_key, GBA_KS_NAF_LEN));
	ck_assert(!back.has_uicc_key);
	ck_assert_int_eq((long long)back.key_expiry, 1893456000LL);
	ck_assert_int_eq((long long)back.creation_time, 1893452400LL);
	ck_assert_int_eq(back.gba_type, GBA_ZN_TYPE_3G);
	ck_assert_int_eq(back.uicc_me, GBA_ZN_UICC_ME_GBA_ME);
	ck_assert_ptr_null(back.uss);
	gba_zn_answer_clear(&back);
	gba_zeroize(out, len);
	free(out);

	/* GBA_U with Ks_int_NAF, 2G, and a USS */
	a.uicc_me = GBA_ZN_UICC_ME_GBA_U;
	a.has_uicc_key = true;
	a.gba_type = GBA_ZN_TYPE_2G;
	a.uss = (char *)uss;
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), 0);
	ck_assert_int_eq(gba_zn_answer_parse(&back, out, len, NULL, 0), 0);
	ck_assert(back.has_uicc_key);
	ck_assert(gba_ct_equal(back.uicc_key, a.uicc_key, GBA_KS_NAF_LEN));
	ck_assert_int_eq(back.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert_int_eq(back.gba_type, GBA_ZN_TYPE_2G);
	ck_assert_ptr_nonnull(back.uss);
	ck_assert_str_eq(back.uss, uss);
	/* the answer is not a fault */
	ck_assert_int_eq(gba_zn_fault_parse(&f, out, len, NULL, 0), -EINVAL);
	gba_zn_answer_clear(&back);
	ck_assert_ptr_null(back.uss);
	free(out);

	/* a USS in its own namespace keeps it */
	a.uss = "<u:ussList xmlns:u=\"urn:guss\"><u:uss id=\"1\"/></u:ussList>";
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), 0);
	ck_assert_int_eq(gba_zn_answer_parse(&back, out, len, NULL, 0), 0);
	ck_assert_str_eq(back.uss, a.uss);
	gba_zn_answer_clear(&back);
	free(out);
	gba_zn_answer_clear(NULL);
}
END_TEST

START_TEST(answer_build_negative)
{
	struct gba_zn_answer a;
	char *out, *big;
	size_t len, n;

	fill_answer(&a);
	a.has_uicc_key = true;			/* Ks_int_NAF with GBA_ME */
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	a.impi[0] = '\0';
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	strcpy(a.impi, "a b");
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	a.gba_type = 7;
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	a.uicc_me = 2;
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	a.key_expiry = -5;
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	fill_answer(&a);
	a.uss = "<notUss/>";
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	a.uss = "<ussList>";
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	a.uss = "<!DOCTYPE ussList [<!ENTITY x \"y\">]><ussList>&x;</ussList>";
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	a.uss = "";
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -EINVAL);
	/* a USS that fits GBA_XML_MAX alone but not inside the answer */
	big = malloc(GBA_XML_MAX + 1);
	ck_assert_ptr_nonnull(big);
	n = (size_t)sprintf(big, "<ussList>");
	memset(big + n, 'u', GBA_XML_MAX - 100);
	strcpy(big + n + GBA_XML_MAX - 100, "</ussList>");
	a.uss = big;
	out = (char *)1;
	ck_assert_int_eq(gba_zn_answer_build(&out, &len, &a), -E2BIG);
	ck_assert_ptr_null(out);
	free(big);
}
END_TEST

static int rsp_parse(const char *inner)
{
	struct gba_zn_answer a;
	char buf[8192], err[160] = "";
	int rc;
	static const uint8_t zero[GBA_KS_NAF_LEN];

	snprintf(buf, sizeof(buf), ENV_OPEN RSP_OPEN "%s" RSP_CLOSE ENV_CLOSE, inner);
	rc = gba_zn_answer_parse(&a, buf, strlen(buf), err, sizeof(err));
	if (rc < 0) {
		ck_assert_msg(err[0], "no reason");
		/* no key bytes left behind */
		ck_assert(!memcmp(a.me_key, zero, sizeof(zero)));
		ck_assert(!memcmp(a.uicc_key, zero, sizeof(zero)));
		ck_assert_ptr_null(a.uss);
	} else {
		gba_zn_answer_clear(&a);
	}
	return rc;
}

START_TEST(answer_negative)
{
	static const char *const bad[] = {
		G_MEKEY G_EXP G_CRE G_TYPE G_ME,			/* no impi */
		G_IMPI G_EXP G_CRE G_TYPE G_ME,				/* no key */
		G_IMPI G_MEKEY G_CRE G_TYPE G_ME,			/* no expiry */
		G_IMPI G_MEKEY G_EXP G_TYPE G_ME,			/* no creation time */
		G_IMPI G_MEKEY G_EXP G_CRE G_ME,			/* no gbaType */
		G_IMPI G_MEKEY G_EXP G_CRE G_TYPE,			/* no uiccMe */
		RSP_BODY G_IMPI,
		RSP_BODY G_MEKEY,
		G_IMPI G_MEKEY G_MEKEY G_EXP G_CRE G_TYPE G_ME,
		RSP_BODY G_UICCKEY,					/* Ks_int_NAF with GBA_ME */
		G_IMPI G_MEKEY G_UICCKEY G_UICCKEY G_EXP G_CRE G_TYPE G_U,
		/* wrong key sizes */
		G_IMPI "<g:meKeyMaterial>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg=="
		"</g:meKeyMaterial>"
		G_EXP G_CRE G_TYPE G_ME,				/* 31 octets */
		G_IMPI "<g:meKeyMaterial>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"
		"</g:meKeyMaterial>"
		G_EXP G_CRE G_TYPE G_ME,				/* 33 octets */
		G_IMPI "<g:meKeyMaterial>000102030405060708090a0b0c0d0e0f"
		"101112131415161718191a1b1c1d1e1f"
		"</g:meKeyMaterial>" G_EXP G_CRE G_TYPE G_ME,		/* hex, not base64 */
		G_IMPI "<g:meKeyMaterial></g:meKeyMaterial>" G_EXP G_CRE G_TYPE G_ME,
		G_IMPI G_MEKEY "<g:uiccKeyMaterial>AAEC</g:uiccKeyMaterial>" G_EXP G_CRE G_TYPE G_U,
		/* bad values */
		G_IMPI G_MEKEY "<g:keyExpiryTime>2030-01-01T00:00:00</g:keyExpiryTime>"
		G_CRE G_TYPE G_ME,
		G_IMPI G_MEKEY G_EXP
		"<g:bootstrappingInfoCreationTime>x</g:bootstrappingInfoCreationTime>"
		G_TYPE G_ME,
		G_IMPI G_MEKEY G_EXP G_CRE "<g:gbaType>3G_GBA</g:gbaType>" G_ME,
		G_IMPI G_MEKEY G_EXP G_CRE G_TYPE "<g:uiccMe>GBA</g:uiccMe>",
		"<g:impi></g:impi>" G_MEKEY G_EXP G_CRE G_TYPE G_ME,
		"<g:impi>a b</g:impi>" G_MEKEY G_EXP G_CRE G_TYPE G_ME,
		/* unknown elements, USS problems */
		RSP_BODY "<g:extra/>",
		RSP_BODY "<x:other xmlns:x=\"urn:x\"/>",
		RSP_BODY "<ussList/><ussList/>",
		RSP_BODY "<g:ussList/><ussList/>",
		RSP_BODY "text",
	};
	size_t i;

	ck_assert_int_eq(rsp_parse(RSP_BODY), 0);
	ck_assert_int_eq(rsp_parse(RSP_BODY "<ussList/>"), 0);
	ck_assert_int_eq(rsp_parse(G_IMPI G_MEKEY G_UICCKEY G_EXP G_CRE G_TYPE G_U), 0);
	/* base64 with line breaks is xs:base64Binary too */
	ck_assert_int_eq(rsp_parse(G_IMPI "<g:meKeyMaterial>AAECAwQFBgcICQoLDA0ODxAREhMU\n"
				   "  FRYXGBkaGxwdHh8=</g:meKeyMaterial>"
				   G_EXP G_CRE G_TYPE G_ME), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rsp_parse(bad[i]) == -EINVAL, "accepted case %zu", i);
}
END_TEST

START_TEST(fault_roundtrip)
{
	struct gba_zn_fault f = {
		.code = GBA_ZN_ERR_BTID_INVALID, .reason = "B-TID unknown & <expired>",
	};
	struct gba_zn_fault back;
	struct gba_zn_answer a;
	char *out;
	size_t len;

	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), 0);
	ck_assert_ptr_nonnull(strstr(out, "<faultcode>soapenv:Client</faultcode>"));
	ck_assert_int_eq(gba_zn_fault_parse(&back, out, len, NULL, 0), 0);
	ck_assert_uint_eq(back.code, GBA_ZN_ERR_BTID_INVALID);
	ck_assert_str_eq(back.reason, f.reason);
	ck_assert_int_eq(gba_zn_response_parse(&a, &back, out, len, NULL, 0), GBA_ZN_FAULT);
	ck_assert_int_eq(gba_zn_answer_parse(&a, out, len, NULL, 0), -EINVAL);
	free(out);

	f.code = GBA_ZN_ERR_UNABLE_TO_COMPLY;
	strcpy(f.reason, "HSS unavailable");
	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), 0);
	ck_assert_ptr_nonnull(strstr(out, "<faultcode>soapenv:Server</faultcode>"));
	ck_assert_int_eq(gba_zn_fault_parse(&back, out, len, NULL, 0), 0);
	ck_assert_uint_eq(back.code, 5012);
	free(out);

	/* a plain SOAP fault without our detail */
	static const char plain[] = ENV_OPEN "<s:Fault><faultcode>s:Server.Busy</faultcode>"
				    "<faultstring>busy</faultstring><faultactor>x</faultactor>"
				    "<detail><o:x xmlns:o=\"urn:o\"/></detail></s:Fault>" ENV_CLOSE;
	ck_assert_int_eq(gba_zn_fault_parse(&back, plain, strlen(plain), NULL, 0), 0);
	ck_assert_uint_eq(back.code, 0);
	ck_assert_str_eq(back.reason, "busy");

	/* build-side checks */
	f.code = 999;
	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), -EINVAL);
	f.code = 6000;
	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), -EINVAL);
	f.code = 5401;
	strcpy(f.reason, "bell\a");
	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), -EINVAL);
	strcpy(f.reason, "\xc3");		/* truncated UTF-8 */
	ck_assert_int_eq(gba_zn_fault_build(&out, &len, &f), -EINVAL);
}
END_TEST

START_TEST(fault_negative)
{
	static const char *const bad[] = {
		"<s:Fault><faultstring>x</faultstring></s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode></s:Fault>",
		"<s:Fault><faultcode>Client</faultcode><faultstring>x</faultstring></s:Fault>",
		"<s:Fault><faultcode>s:Sender</faultcode><faultstring>x</faultstring></s:Fault>",
		"<s:Fault><faultcode>q:Client</faultcode><faultstring>x</faultstring></s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode><faultcode>s:Client</faultcode>"
		"<faultstring>x</faultstring></s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><s:other/>"
		"</s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail>"
		"<g:bootstrappingInfoFault xmlns:g=\"urn:3gpp:gba:GBAService\"><g:resultCode>54031"
		"</g:resultCode></g:bootstrappingInfoFault></detail></s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail>"
		"<g:bootstrappingInfoFault xmlns:g=\"urn:3gpp:gba:GBAService\">"
		"</g:bootstrappingInfoFault>"
		"</detail></s:Fault>",
		"<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail>"
		"<g:bootstrappingInfoFault xmlns:g=\"urn:3gpp:gba:GBAService\"><g:resultCode>0999"
		"</g:resultCode></g:bootstrappingInfoFault></detail></s:Fault>",
	};
	struct gba_zn_fault f;
	char buf[4096], err[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), ENV_OPEN "%s" ENV_CLOSE, bad[i]);
		err[0] = '\0';
		ck_assert_msg(gba_zn_fault_parse(&f, buf, strlen(buf), err, sizeof(err)) == -EINVAL,
			      "accepted case %zu", i);
		ck_assert(err[0]);
		ck_assert_uint_eq(f.code, 0);
	}
	/* faultstring too long */
	i = (size_t)snprintf(buf, sizeof(buf), ENV_OPEN "<s:Fault><faultcode>s:Client</faultcode>"
			     "<faultstring>");
	memset(buf + i, 'r', 300);
	strcpy(buf + i + 300, "</faultstring></s:Fault>" ENV_CLOSE);
	ck_assert_int_eq(gba_zn_fault_parse(&f, buf, strlen(buf), NULL, 0), -EINVAL);
	/* neither answer nor fault */
	snprintf(buf, sizeof(buf), ENV_OPEN REQ_OPEN G_BTID G_NAFID REQ_CLOSE ENV_CLOSE);
	ck_assert_int_eq(gba_zn_fault_parse(&f, buf, strlen(buf), NULL, 0), -EINVAL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("zn");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, request_exact_roundtrip);
	tcase_add_test(tc, request_build_negative);
	tcase_add_test(tc, request_negative);
	tcase_add_test(tc, answer_roundtrip);
	tcase_add_test(tc, answer_build_negative);
	tcase_add_test(tc, answer_negative);
	tcase_add_test(tc, fault_roundtrip);
	tcase_add_test(tc, fault_negative);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

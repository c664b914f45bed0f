/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Zh answer side without peers: zh_dia_maa_parse() (bsf/zh_dia.c) on
 * Multimedia-Auth-Answers built here (success with and without GUSS, 5001, 5003 on a resync
 * and not, 3002, 4xxx, missing or malformed vector, another scheme, a bad GUSS, a request),
 * and the GUSS codec of diameter/guss.c (round trip, defaults, negative cases).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <gba/log.h>
#include <gba/xmlutil.h>

#include "dia.h"
#include "zh_dia.h"

/* What to put in a test MAA. */
struct maa {
	uint32_t code;
	bool exp;
	bool no_item;
	size_t autn_len, xres_len, ck_len;
	const char *scheme;
	const char *guss;
	bool request;
};

static struct msg *build(const struct maa *a)
{
	struct dict_object *cmd = a->request ? gba_dia_dict.cmd_mar : gba_dia_dict.cmd_maa;
	uint8_t ra[64], x[32], k[32];
	struct msg *m = NULL;
	struct avp *g;

	for (size_t i = 0; i < sizeof(ra); i++)
		ra[i] = (uint8_t)i;
	memset(x, 0x55, sizeof(x));
	memset(k, 0xaa, sizeof(k));
	ck_assert_int_eq(fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m), 0);
	ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.session_id, "bsf;1;2", 7), 0);
	ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.origin_host, "hss.test", 8), 0);
	ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.origin_realm, "test", 4), 0);
	if (a->exp) {
		ck_assert_int_eq(gba_dia_add_group(m, gba_dia_dict.exp_result, &g), 0);
		ck_assert_int_eq(gba_dia_add_u32(g, gba_dia_dict.vendor_id, 10415), 0);
		ck_assert_int_eq(gba_dia_add_u32(g, gba_dia_dict.exp_result_code, a->code), 0);
	} else if (a->code) {
		ck_assert_int_eq(gba_dia_add_u32(m, gba_dia_dict.result_code, a->code), 0);
	}
	if (!a->no_item) {
		ck_assert_int_eq(gba_dia_add_group(m, gba_dia_dict.sip_auth_data_item, &g), 0);
		ck_assert_int_eq(gba_dia_add_os(g, gba_dia_dict.sip_auth_scheme,
						a->scheme ? a->scheme : "Digest-AKAv1-MD5",
						strlen(a->scheme ? a->scheme : "Digest-AKAv1-MD5")), 0);
		ck_assert_int_eq(gba_dia_add_os(g, gba_dia_dict.sip_authenticate, ra,
						a->autn_len ? a->autn_len : 32), 0);
		ck_assert_int_eq(gba_dia_add_os(g, gba_dia_dict.sip_authorization, x,
						a->xres_len ? a->xres_len : 8), 0);
		ck_assert_int_eq(gba_dia_add_os(g, gba_dia_dict.ck, k, a->ck_len ? a->ck_len : 16),
				 0);
		ck_assert_int_eq(gba_dia_add_os(g, gba_dia_dict.ik, k, 16), 0);
	}
	if (a->guss)
		ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.guss, a->guss, strlen(a->guss)), 0);
	return m;
}

static int parse(const struct maa *a, bool resync, struct zh_result *res)
{
	struct msg *m = build(a);

	zh_dia_maa_parse(m, resync, res);
	fd_msg_free(m);
	return res->rc;
}

static void setup(void)
{
	gba_log_set_level(GBA_LL_NONE);
	gba_xml_init();
	ck_assert_int_eq(gba_dia_init_offline(), 0);
}

#define GUSS_U "<guss xmlns=\"uri:3gpp-gaa\" id=\"a@b\"><bsfInfo><uiccType>GBA_U</uiccType>" \
	"<lifeTime>7200</lifeTime></bsfInfo><ussList/></guss>"

START_TEST(test_success)
{
	struct maa a = { .code = 2001, .guss = GUSS_U };
	struct zh_result r;

	ck_assert_int_eq(parse(&a, false, &r), 0);
	ck_assert_uint_eq(r.av.rand[15], 15);
	ck_assert_uint_eq(r.av.autn[0], 16);
	ck_assert_uint_eq(r.av.xres_len, 8);
	ck_assert_uint_eq(r.av.ck[0], 0xaa);
	ck_assert(r.gba_u);
	ck_assert_uint_eq(r.key_lifetime, 7200);
	/* no GUSS: GBA_ME, BSF default lifetime; XRES of 4 and 16 octets */
	a.guss = NULL;
	a.xres_len = 4;
	ck_assert_int_eq(parse(&a, true, &r), 0);
	ck_assert(!r.gba_u);
	ck_assert_uint_eq(r.key_lifetime, 0);
	ck_assert_uint_eq(r.av.xres_len, 4);
	a.xres_len = 16;
	ck_assert_int_eq(parse(&a, false, &r), 0);
}
END_TEST

START_TEST(test_errors)
{
	struct zh_result r;
	struct maa unknown = { .code = 5001, .exp = true, .no_item = true };
	struct maa rej = { .code = 5003, .no_item = true };
	struct maa busy = { .code = 3002, .no_item = true };
	struct maa transient = { .code = 4001, .no_item = true };
	struct maa scheme = { .code = 5006, .exp = true, .no_item = true };
	struct maa none = { .no_item = true };

	ck_assert_int_eq(parse(&unknown, false, &r), -ENOENT);
	ck_assert_int_eq(parse(&rej, true, &r), -EBADMSG);
	ck_assert_int_eq(parse(&rej, false, &r), -EIO);
	ck_assert_int_eq(parse(&busy, false, &r), -EAGAIN);
	ck_assert_int_eq(parse(&transient, false, &r), -EAGAIN);
	ck_assert_int_eq(parse(&scheme, false, &r), -EIO);
	ck_assert_int_eq(parse(&none, false, &r), -EIO);
	zh_dia_maa_parse(NULL, false, &r);
	ck_assert_int_eq(r.rc, -EIO);
}
END_TEST

START_TEST(test_bad_vector)
{
	struct zh_result r;
	struct maa a = { .code = 2001 };

	a.no_item = true;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.no_item = false;
	a.autn_len = 31;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.autn_len = 0;
	a.xres_len = 3;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.xres_len = 17;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.xres_len = 0;
	a.ck_len = 15;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.ck_len = 0;
	a.scheme = "Digest-MD5";
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	ck_assert_uint_eq(r.av.ck[0], 0);	/* wiped */
	a.scheme = NULL;
	a.guss = "<guss><bsfInfo><uiccType>GBA_X</uiccType></bsfInfo></guss>";
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
	a.guss = NULL;
	a.request = true;
	ck_assert_int_eq(parse(&a, false, &r), -EIO);
}
END_TEST

START_TEST(test_guss)
{
	struct gba_guss g = { .gba_u = true, .key_lifetime = 3600 }, o;
	static const char other[] = "<guss xmlns=\"urn:x\"><ussList/><other/></guss>";
	char *xml = NULL, err[128];
	size_t len = 0;
	static const char *const bad[] = {
		"<ussList/>",
		"<guss><bsfInfo><uiccType>gba_u</uiccType></bsfInfo></guss>",
		"<guss><bsfInfo><lifeTime>0</lifeTime></bsfInfo></guss>",
		"<guss><bsfInfo><lifeTime>-5</lifeTime></bsfInfo></guss>",
		"<guss><bsfInfo><lifeTime>99999999999</lifeTime></bsfInfo></guss>",
		"<guss><bsfInfo><lifeTime>12x</lifeTime></bsfInfo></guss>",
		"<!DOCTYPE guss [<!ENTITY x \"GBA_U\">]><guss><bsfInfo><uiccType>&x;</uiccType>"
		"</bsfInfo></guss>",
		"<guss><bsfInfo>",
	};

	ck_assert_int_eq(gba_guss_build("a@b", &g, &xml, &len), 0);
	ck_assert_int_eq(gba_guss_parse((const uint8_t *)xml, len, &o, err, sizeof(err)), 0);
	ck_assert(o.gba_u);
	ck_assert_uint_eq(o.key_lifetime, 3600);
	ck_assert_ptr_nonnull(strstr(xml, "uri:3gpp-gaa"));
	free(xml);
	g.gba_u = false;
	g.key_lifetime = 0;
	ck_assert_int_eq(gba_guss_build("a@b", &g, &xml, &len), 0);
	ck_assert_int_eq(gba_guss_parse((const uint8_t *)xml, len, &o, err, sizeof(err)), 0);
	ck_assert(!o.gba_u);
	ck_assert_uint_eq(o.key_lifetime, 0);
	free(xml);
	/* no bsfInfo, unknown elements, another namespace: defaults */
	ck_assert_int_eq(gba_guss_parse((const uint8_t *)other, strlen(other), &o, err,
					sizeof(err)), 0);
	ck_assert(!o.gba_u);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(gba_guss_parse((const uint8_t *)bad[i], strlen(bad[i]), &o, err,
					     sizeof(err)) < 0, "accepted %s", bad[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("zh_dia");
	TCase *tc = tcase_create("zh_dia");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_success);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_bad_vector);
	tcase_add_test(tc, test_guss);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* libfdcore is initialised once per process: run the cases in this one */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of diameter/ (libgbadia) without peers: the dictionary objects (defined when
 * Debian's freeDiameter lacks them, idempotent), AVP setters and getters (OctetString,
 * Unsigned32, Time with the RFC 6733 NTP eras), the result of an answer (Result-Code or
 * Experimental-Result), and gba_dia_parse() against the MAR/MAA rules, with negative cases.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "dia.h"

/* A message of 'cmd' with Session-Id, Origin-Host/Realm (the fixed part of MAA/MAR). */
static struct msg *new_msg(struct dict_object *cmd, bool with_origin)
{
	struct msg *m = NULL;

	ck_assert_int_eq(fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m), 0);
	ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.session_id, "bsf;1;2", 7), 0);
	if (with_origin) {
		ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.origin_host, "hss.test", 8), 0);
		ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.origin_realm, "test", 4), 0);
	}
	return m;
}

static size_t to_bytes(struct msg *m, uint8_t **buf)
{
	size_t len = 0;

	ck_assert_int_eq(fd_msg_bufferize(m, buf, &len), 0);
	return len;
}

START_TEST(test_dict)
{
	struct dict_object *o = NULL;
	struct dict_avp_data d;
	command_code_t c = GBA_DIA_CMD_MA;

	ck_assert_int_eq(gba_dia_init_offline(), 0);
	ck_assert_int_eq(gba_dia_init_offline(), 0);
	ck_assert_int_eq(gba_dia_dict_init(), 0);
	ck_assert_ptr_nonnull(gba_dia_dict.app_zh);
	ck_assert_ptr_nonnull(gba_dia_dict.cmd_bia);
	ck_assert_int_eq(fd_dict_getval(gba_dia_dict.guss, &d), 0);
	ck_assert_uint_eq(d.avp_code, 400);
	ck_assert_uint_eq(d.avp_vendor, GBA_DIA_VENDOR_3GPP);
	ck_assert_int_eq(fd_dict_getval(gba_dia_dict.ik, &d), 0);
	ck_assert_uint_eq(d.avp_code, 626);
	ck_assert_int_eq(fd_dict_getval(gba_dia_dict.sip_auth_data_item, &d), 0);
	ck_assert_int_eq(d.avp_basetype, AVP_TYPE_GROUPED);
	ck_assert_int_eq(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_CODE_A, &c,
					&o, ENOENT), 0);
	ck_assert_ptr_eq(o, gba_dia_dict.cmd_maa);
}
END_TEST

START_TEST(test_values)
{
	struct msg *m, *p = NULL;
	struct avp *g;
	const uint8_t *os;
	size_t len;
	uint32_t u;
	time_t t;
	uint8_t *buf;
	bool exp;

	ck_assert_int_eq(gba_dia_init_offline(), 0);
	m = new_msg(gba_dia_dict.cmd_maa, true);
	ck_assert_int_eq(gba_dia_add_group(m, gba_dia_dict.exp_result, &g), 0);
	ck_assert_int_eq(gba_dia_add_u32(g, gba_dia_dict.vendor_id, GBA_DIA_VENDOR_3GPP), 0);
	ck_assert_int_eq(gba_dia_add_u32(g, gba_dia_dict.exp_result_code, 5001), 0);
	ck_assert_int_eq(gba_dia_add_time(m, gba_dia_dict.guss_ts, 1700000000), 0);
	/* 2040: the next NTP era */
	ck_assert_int_eq(gba_dia_add_time(m, gba_dia_dict.key_expiry, 2209000000), 0);
	ck_assert_int_eq(gba_dia_add_os(m, gba_dia_dict.guss, "<guss/>", 7), 0);
	len = to_bytes(m, &buf);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), 0);
	ck_assert_int_eq(gba_dia_result(p, &u, &exp), 0);
	ck_assert(exp);
	ck_assert_uint_eq(u, 5001);
	ck_assert_int_eq(gba_dia_get_time(p, gba_dia_dict.guss_ts, &t), 0);
	ck_assert_int_eq(t, 1700000000);
	ck_assert_int_eq(gba_dia_get_time(p, gba_dia_dict.key_expiry, &t), 0);
	ck_assert_int_eq(t, 2209000000);
	ck_assert_int_eq(gba_dia_get_os(p, gba_dia_dict.guss, &os, &len), 0);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(os, "<guss/>", 7), 0);
	/* absent, and a getter of the wrong type */
	ck_assert_int_eq(gba_dia_get_os(p, gba_dia_dict.user_name, &os, &len), -ENOENT);
	ck_assert_int_eq(gba_dia_get_u32(p, gba_dia_dict.guss, &u), -EBADMSG);
	ck_assert_int_eq(gba_dia_get_time(p, gba_dia_dict.guss, &t), -EBADMSG);
	fd_msg_free(p);
	free(buf);
}
END_TEST

START_TEST(test_parse_rules)
{
	struct msg *m, *p = NULL;
	uint8_t *buf, *big;
	size_t len;
	uint32_t u;
	bool exp;

	ck_assert_int_eq(gba_dia_init_offline(), 0);
	/* MAA without Origin-Host/Realm: refused by the rules */
	m = new_msg(gba_dia_dict.cmd_maa, false);
	len = to_bytes(m, &buf);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), -EBADMSG);
	free(buf);
	/* MAR without its required AVPs */
	m = new_msg(gba_dia_dict.cmd_mar, true);
	len = to_bytes(m, &buf);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), -EBADMSG);
	free(buf);
	/* a complete MAA with Result-Code; then truncated, trailing bytes, bad version */
	m = new_msg(gba_dia_dict.cmd_maa, true);
	ck_assert_int_eq(gba_dia_add_u32(m, gba_dia_dict.result_code, 2001), 0);
	len = to_bytes(m, &buf);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), 0);
	ck_assert_int_eq(gba_dia_result(p, &u, &exp), 0);
	ck_assert(!exp);
	ck_assert_uint_eq(u, 2001);
	fd_msg_free(p);
	ck_assert_int_eq(gba_dia_parse(buf, len - 1, &p), -EBADMSG);
	ck_assert_int_eq(gba_dia_parse(buf, 19, &p), -EBADMSG);
	big = calloc(1, len + 8);
	memcpy(big, buf, len);
	ck_assert_int_eq(gba_dia_parse(big, len + 8, &p), -EBADMSG);
	free(big);
	buf[0] = 2;
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), -EBADMSG);
	free(buf);
	/* a MAA without any result */
	m = new_msg(gba_dia_dict.cmd_maa, true);
	len = to_bytes(m, &buf);
	fd_msg_free(m);
	ck_assert_int_eq(gba_dia_parse(buf, len, &p), 0);
	ck_assert_int_eq(gba_dia_result(p, &u, &exp), -EBADMSG);
	fd_msg_free(p);
	free(buf);
}
END_TEST

START_TEST(test_not_started)
{
	struct msg *m = NULL;

	ck_assert_int_eq(gba_dia_init_offline(), 0);
	ck_assert_uint_eq(gba_dia_peers_open(0), 0);
	ck_assert_ptr_null(gba_dia_identity());
	/* no configuration parsed: no identity for a request */
	ck_assert_int_eq(gba_dia_request(&m, gba_dia_dict.cmd_mar, GBA_DIA_APP_ZH, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(gba_dia_start("/nonexistent/fd.conf", GBA_DIA_ZH, 0), -ENOENT);
	ck_assert_int_eq(gba_dia_start("", GBA_DIA_ZH, 0), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dia");
	TCase *tc = tcase_create("dia");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_dict);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_parse_rules);
	tcase_add_test(tc, test_not_started);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* libfdcore is initialised once per process: run the cases in this one */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

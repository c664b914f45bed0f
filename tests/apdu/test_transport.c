/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for apdu/t0.c, transport.c, transport_inproc.c and transport_pcsc.c:
 * the T=0 procedure (61xx GET RESPONSE loop, 6Cxx re-issue, Le dropped on T=0,
 * logical channels, iteration bound) against a scripted test double of a card's
 * wire behaviour over the in-process transport, and PC/SC error mapping with
 * PCSCLITE_CSOCK_NAME pointing at a socket that does not exist.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winscard.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

#include "apdu_test.h"

/* One scripted step: the C-APDU the card must receive and the R-APDU it answers. */
struct step {
	const char *cmd;	/* hex; NULL: accept anything */
	const char *rsp;	/* hex */
};

struct script {
	const struct step *steps;
	size_t n, at;
	size_t calls;
	int fail_rc;		/* returned by the handler when non-zero */
	const char *mismatch;	/* first unexpected C-APDU */
};

static char seen[600];

static int fake_card(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t *rlen)
{
	struct script *s = ctx;
	const struct step *st;
	uint8_t want[300];
	int n;

	s->calls++;
	if (s->fail_rc)
		return s->fail_rc;
	ck_assert_uint_lt(s->at, s->n);
	st = &s->steps[s->at++];
	if (st->cmd) {
		n = gba_hex_decode_var(want, sizeof(want), st->cmd);
		ck_assert_int_ge(n, 0);
		if ((size_t)n != len || memcmp(want, capdu, len)) {
			gba_hex_encode(seen, sizeof(seen), capdu, len < 290 ? len : 290);
			ck_abort_msg("step %zu: expected %s, got %s", s->at - 1, st->cmd, seen);
		}
	}
	n = gba_hex_decode_var(rapdu, *rlen, st->rsp);
	ck_assert_int_ge(n, 0);
	*rlen = (size_t)n;
	return 0;
}

static struct gba_transport *open_fake(struct script *s, enum gba_proto proto)
{
	struct gba_transport *t;

	ck_assert_int_eq(gba_transport_inproc_open(&t, fake_card, NULL, s, proto, "fake"), 0);
	return t;
}

static int xchg_hex(struct gba_transport *t, const char *hex, uint8_t *resp, size_t max,
		    uint16_t *sw)
{
	uint8_t c[300];
	int n = gba_hex_decode_var(c, sizeof(c), hex);

	ck_assert_int_ge(n, 0);
	return gba_apdu_exchange(t, c, (size_t)n, resp, max, sw);
}

#define RUN(steps_, proto_) \
	struct script s = { .steps = steps_, .n = sizeof(steps_) / sizeof(steps_[0]) }; \
	struct gba_transport *t = open_fake(&s, proto_)

START_TEST(t0_6c_reissue)
{
	static const struct step steps[] = {
		{ "00b0000000", "6c10" },
		{ "00b0000010", "000102030405060708090a0b0c0d0e0f9000" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00b0000000", r, sizeof(r), &sw), 16);
	ck_assert_int_eq(sw, 0x9000);
	ck_assert_int_eq(r[15], 0x0f);
	ck_assert_uint_eq(s.at, 2);
	gba_transport_close(t);
}
END_TEST

START_TEST(t0_case4_drops_le_and_gets_response)
{
	/* SELECT USIM by partial AID: on T=0 exactly the bytes of gba-spec-notes.md 5.1 */
	static const struct step steps[] = {
		{ "00a4040407a0000000871002", "6104" },
		{ "00c0000004", "62028201" "9000" },
	};
	uint8_t c[32], r[64];
	uint16_t sw;
	int n;
	RUN(steps, GBA_PROTO_T0);

	n = gba_cmd_select_aid(c, sizeof(c), 0, gba_aid_usim_prefix, 7, true);
	ck_assert_int_eq(gba_apdu_exchange(t, c, (size_t)n, r, sizeof(r), &sw), 4);
	ck_assert_int_eq(sw, 0x9000);
	ck_assert_int_eq(r[0], 0x62);
	ck_assert_str_eq(gba_proto_name(gba_transport_protocol(t)), "T=0");
	gba_transport_close(t);
}
END_TEST

START_TEST(t1_case4_keeps_le)
{
	static const struct step steps[] = {
		{ "00a4040407a000000087100200", "620282019000" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T1);

	ck_assert_int_eq(xchg_hex(t, "00a4040407a000000087100200", r, sizeof(r), &sw), 4);
	ck_assert_int_eq(sw, 0x9000);
	gba_transport_close(t);
}
END_TEST

START_TEST(get_response_chain_accumulates)
{
	/* data with 61xx (as T=1 cards do), then two GET RESPONSE rounds */
	static const struct step steps[] = {
		{ "80f2000000", "aabb6103" },
		{ "00c0000003", "ccddee6102" },
		{ "00c0000002", "ff009000" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T1);

	ck_assert_int_eq(xchg_hex(t, "80f2000000", r, sizeof(r), &sw), 7);
	ck_assert_int_eq(sw, 0x9000);
	ck_assert_mem_eq(r, "\xaa\xbb\xcc\xdd\xee\xff\x00", 7);
	gba_transport_close(t);
}
END_TEST

START_TEST(get_response_6c_and_256)
{
	static const struct step steps[] = {
		{ "00b2010400", "6100" },
		{ "00c0000000", "6c20" },
		{ "00c0000020", "00000000000000000000000000000000"
				"00000000000000000000000000000000" "9000" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00b2010400", r, sizeof(r), &sw), 32);
	ck_assert_int_eq(sw, 0x9000);
	gba_transport_close(t);
}
END_TEST

START_TEST(logical_channel_kept)
{
	static const struct step steps[] = {
		{ "81f2000000", "6102" },	/* STATUS on channel 1 (CLA 8X) */
		{ "01c0000002", "01029000" },	/* GET RESPONSE on channel 1 (CLA 0X) */
		{ "c1f2000000", "6101" },	/* channel 5: CLA C1 */
		{ "41c0000001", "019000" },
		{ "4fb0000000", "6c01" },	/* channel 19 */
		{ "4fb0000001", "119000" },
		{ "a0a40000027f20", "9f16" },	/* GSM SIM: CLA A0, 9Fxx */
		{ "a0c0000016", "00000000000000000000000000000000000000000000" "9000" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "81f2000000", r, sizeof(r), &sw), 2);
	ck_assert_int_eq(xchg_hex(t, "c1f2000000", r, sizeof(r), &sw), 1);
	ck_assert_int_eq(xchg_hex(t, "4fb0000000", r, sizeof(r), &sw), 1);
	ck_assert_int_eq(r[0], 0x11);
	ck_assert_int_eq(xchg_hex(t, "a0a40000027f20", r, sizeof(r), &sw), 0x16);
	ck_assert_uint_eq(s.at, 8);
	gba_transport_close(t);
}
END_TEST

START_TEST(authenticate_over_t0)
{
	/* the 3G AUTHENTICATE of gba-spec-notes.md 5.2, answered the T=0 way */
	static const struct step steps[] = {
		{ "00880081221023553cbe9637a89d218ae64dae47bf351055f328b43577b9b94a9ffac354dfafb3",
		  "6135" },
		{ "00c0000035", "db08a54211d5e3ba50bf10b40ba9a3c58b2a05bbf0d987b21bf8cb10"
				"f769bcd751044604127672711c6d344108eae4be823af9a08b9000" },
	};
	uint8_t rand[16], autn[16], c[64], r[64];
	struct gba_auth_rsp a;
	uint16_t sw;
	int n;
	RUN(steps, GBA_PROTO_T0);

	gba_hex_decode(rand, 16, "23553cbe9637a89d218ae64dae47bf35");
	gba_hex_decode(autn, 16, "55f328b43577b9b94a9ffac354dfafb3");
	n = gba_cmd_auth_3g(c, sizeof(c), 0, rand, autn);
	n = gba_apdu_exchange(t, c, (size_t)n, r, sizeof(r), &sw);
	ck_assert_int_eq(n, 0x35);
	ck_assert_int_eq(sw, 0x9000);
	ck_assert_int_eq(gba_auth_rsp_parse(&a, GBA_AUTH_3G, r, (size_t)n), 0);
	ck_assert_uint_eq(a.res_len, 8);
	ck_assert(a.has_kc);
	gba_zeroize(&a, sizeof(a));
	gba_transport_close(t);
}
END_TEST

START_TEST(error_status_passed_through)
{
	static const struct step steps[] = {
		{ NULL, "6a82" },
		{ NULL, "9862" },
		/* 6Cxx to a command with data on T=0: final, not re-issued */
		{ "0088008423dd1023553cbe9637a89d218ae64dae47bf35"
		  "1055f328b43577b9b94a9ffac354dfafb3", "6c05" },
	};
	uint8_t r[8];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00a40004026fd6", r, sizeof(r), &sw), 0);
	ck_assert_int_eq(sw, 0x6a82);
	ck_assert_int_eq(xchg_hex(t, "00a40004026fd6", r, sizeof(r), &sw), 0);
	ck_assert_int_eq(sw, 0x9862);
	ck_assert_int_eq(xchg_hex(t, "0088008423dd1023553cbe9637a89d218ae64dae47bf351055f328b4357"
				  "7b9b94a9ffac354dfafb300", r, sizeof(r), &sw), 0);
	ck_assert_int_eq(sw, 0x6c05);
	gba_transport_close(t);
}
END_TEST

START_TEST(t0_case4_warning_gets_data)
{
	/* SELECT of an invalidated file on T=0: 6283, the FCP comes with GET RESPONSE 00 */
	static const struct step steps[] = {
		{ "00a40004026fd6", "6283" },
		{ "00c0000000", "6c04" },
		{ "00c0000004", "620282019000" },
		{ "00a40004026fda", "6283" },
		{ "00c0000000", "6f00" },	/* no data after all */
		{ "00a40004026fda", "6283" },	/* case 3 (no Le): final at once */
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00a40004026fd600", r, sizeof(r), &sw), 4);
	ck_assert_int_eq(sw, 0x6283);
	ck_assert_int_eq(r[0], 0x62);
	ck_assert_int_eq(xchg_hex(t, "00a40004026fda00", r, sizeof(r), &sw), 0);
	ck_assert_int_eq(sw, 0x6283);
	ck_assert_int_eq(xchg_hex(t, "00a40004026fda", r, sizeof(r), &sw), 0);
	ck_assert_int_eq(sw, 0x6283);
	ck_assert_uint_eq(s.at, 6);
	gba_transport_close(t);
}
END_TEST

START_TEST(iteration_bound)
{
	static const struct step steps[] = {
		{ NULL, "aa6101" }, { NULL, "aa6101" }, { NULL, "aa6101" }, { NULL, "aa6101" },
		{ NULL, "aa6101" }, { NULL, "aa6101" }, { NULL, "aa6101" }, { NULL, "aa6101" },
	};
	uint8_t r[64];
	uint16_t sw = 1;
	RUN(steps, GBA_PROTO_T1);

	t->max_iter = 5;
	ck_assert_int_eq(xchg_hex(t, "00b0000000", r, sizeof(r), &sw), -EPROTO);
	ck_assert_uint_eq(s.calls, 5);
	ck_assert_int_eq(sw, 0);
	gba_transport_close(t);
}
END_TEST

START_TEST(endless_6c_bound)
{
	static const struct step steps[] = {
		{ NULL, "6c01" }, { NULL, "6c02" }, { NULL, "6c03" }, { NULL, "6c04" },
		{ NULL, "6c05" }, { NULL, "6c06" }, { NULL, "6c07" }, { NULL, "6c08" },
		{ NULL, "6c09" }, { NULL, "6c0a" }, { NULL, "6c0b" }, { NULL, "6c0c" },
		{ NULL, "6c0d" }, { NULL, "6c0e" }, { NULL, "6c0f" }, { NULL, "6c10" },
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00b0000000", r, sizeof(r), &sw), -EPROTO);
	ck_assert_uint_eq(s.calls, GBA_APDU_MAX_ITER);
	gba_transport_close(t);
}
END_TEST

START_TEST(exchange_errors)
{
	static const struct step steps[] = {
		{ NULL, "0102030405060708099000" },
		{ NULL, "90" },			/* 1 byte: malformed */
		{ NULL, "0a0b" },		/* bad SW1 */
	};
	uint8_t r[64];
	uint16_t sw;
	RUN(steps, GBA_PROTO_T0);

	ck_assert_int_eq(xchg_hex(t, "00b0000009", r, 4, &sw), -ENOSPC);
	ck_assert_int_eq(xchg_hex(t, "00b0000009", r, sizeof(r), &sw), -EPROTO);
	ck_assert_int_eq(xchg_hex(t, "00b0000009", r, sizeof(r), &sw), -EPROTO);
	ck_assert_int_eq(xchg_hex(t, "00b0", r, sizeof(r), &sw), -EINVAL);	/* malformed */
	ck_assert_int_eq(xchg_hex(t, "00b00000000100", r, sizeof(r), &sw), -EOPNOTSUPP);
	s.fail_rc = -ENOMEDIUM;
	ck_assert_int_eq(xchg_hex(t, "00b0000009", r, sizeof(r), &sw), -ENOMEDIUM);
	ck_assert_int_eq(gba_apdu_exchange(NULL, r, 4, r, 4, &sw), -EINVAL);
	ck_assert_int_eq(gba_transport_reset(t, false, NULL, NULL), -EOPNOTSUPP);
	ck_assert_str_eq(gba_transport_name(t), "fake");
	gba_transport_close(t);
	gba_transport_close(NULL);
}
END_TEST

START_TEST(extended_over_t1)
{
	/* extended case 4 passes unchanged on T=1, and a long answer fits */
	static char rsp[2 * 300 + 5];
	struct step steps[] = { { "00d6000000000301020301f4", NULL } };
	uint8_t r[400];
	uint16_t sw;
	struct script s = { .steps = steps, .n = 1 };
	struct gba_transport *t;

	memset(rsp, '5', 600);
	strcpy(rsp + 600, "9000");
	steps[0].rsp = rsp;
	t = open_fake(&s, GBA_PROTO_T1);
	ck_assert_int_eq(xchg_hex(t, "00d6000000000301020301f4", r, sizeof(r), &sw), 300);
	ck_assert_int_eq(sw, 0x9000);
	gba_transport_close(t);
}
END_TEST

static int fake_reset(void *ctx, bool cold, uint8_t *atr, size_t *atr_len)
{
	atr[0] = 0x3b;
	atr[1] = cold ? 0x01 : 0x00;
	*atr_len = 2;
	return 0;
}

START_TEST(inproc_reset_and_args)
{
	struct gba_transport *t;
	uint8_t atr[GBA_ATR_MAX];
	size_t alen = 0;

	ck_assert_int_eq(gba_transport_inproc_open(&t, NULL, NULL, NULL, GBA_PROTO_T0, NULL),
			 -EINVAL);
	ck_assert_int_eq(gba_transport_inproc_open(&t, fake_card, fake_reset, NULL,
						   GBA_PROTO_RAW, NULL), 0);
	ck_assert_str_eq(gba_transport_name(t), "inproc");
	ck_assert_int_eq(gba_transport_reset(t, true, atr, &alen), 0);
	ck_assert_uint_eq(alen, 2);
	ck_assert_int_eq(atr[1], 1);
	ck_assert_int_eq(gba_transport_pcsc_atr(t, atr, sizeof(atr)), -EINVAL);
	gba_transport_close(t);
}
END_TEST

START_TEST(pcsc_no_service)
{
	struct gba_transport *t = (struct gba_transport *)1;
	struct gba_pcsc_opts o = { .reader = "vpcd", .wait_ms = 100 };

	/* libpcsclite reads the socket path from the environment */
	setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/gbakit-test/pcscd.comm", 1);
	ck_assert_int_eq(gba_transport_pcsc_open(&t, NULL), -EHOSTDOWN);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(gba_transport_pcsc_open(&t, &o), -EHOSTDOWN);
	ck_assert_int_eq(gba_pcsc_list_readers(NULL, NULL), -EHOSTDOWN);
	ck_assert_str_eq(gba_transport_strerror(-EHOSTDOWN),
			 "PC/SC service not reachable (pcscd not running?)");
}
END_TEST

START_TEST(pcsc_errno_map)
{
	ck_assert_int_eq(gba_pcsc_errno(SCARD_S_SUCCESS), 0);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_NO_SERVICE), -EHOSTDOWN);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_SERVICE_STOPPED), -EHOSTDOWN);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_NO_READERS_AVAILABLE), -ENODEV);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_UNKNOWN_READER), -ENODEV);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_NO_SMARTCARD), -ENOMEDIUM);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_W_REMOVED_CARD), -ENOMEDIUM);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_TIMEOUT), -ETIMEDOUT);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_E_SHARING_VIOLATION), -EBUSY);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_W_RESET_CARD), -ECONNRESET);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_W_UNRESPONSIVE_CARD), -EIO);
	ck_assert_int_eq(gba_pcsc_errno(SCARD_F_COMM_ERROR), -EIO);
	ck_assert_str_eq(gba_transport_strerror(-ENOMEDIUM),
			 "no card in the reader, or the card was removed");
	ck_assert_str_eq(gba_transport_strerror(-ENODEV),
			 "no smart card reader (or none matching the name)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("transport");
	TCase *tc = tcase_create("transport");

	tcase_add_test(tc, t0_6c_reissue);
	tcase_add_test(tc, t0_case4_drops_le_and_gets_response);
	tcase_add_test(tc, t1_case4_keeps_le);
	tcase_add_test(tc, get_response_chain_accumulates);
	tcase_add_test(tc, get_response_6c_and_256);
	tcase_add_test(tc, logical_channel_kept);
	tcase_add_test(tc, authenticate_over_t0);
	tcase_add_test(tc, error_status_passed_through);
	tcase_add_test(tc, t0_case4_warning_gets_data);
	tcase_add_test(tc, iteration_bound);
	tcase_add_test(tc, endless_6c_bound);
	tcase_add_test(tc, exchange_errors);
	tcase_add_test(tc, extended_over_t1);
	tcase_add_test(tc, inproc_reset_and_args);
	tcase_add_test(tc, pcsc_no_service);
	tcase_add_test(tc, pcsc_errno_map);
	suite_add_tcase(s, tc);
	return run_suite(s);
}

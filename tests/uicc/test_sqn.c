/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of uicc/sqn.c, the TS 33.102 Annex C.3.2 SQN array: fresh/replay per IND slot,
 * IND wrap-around, the delta (C.2.1) and L (C.2.2) limits, SQN_MS for AUTS, and the initial
 * state from a profile's SQN, for ind_bitlen 0 (plain counter AuC) and 5 (osmo-hlr).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <check.h>

#include "card.h"
#include "fixture.h"

static struct uicc_sqn s;


/* SQN as osmo-hlr builds it: SEQ << ind_bitlen | IND */
static uint64_t mk(uint64_t seq, uint64_t ind, unsigned int b)
{
	return seq << b | ind;
}

START_TEST(plain_counter)
{
	uicc_sqn_init(&s, 0, 0, 0, 0);
	ck_assert_int_eq(uicc_sqn_check(&s, 1), 0);
	uicc_sqn_accept(&s, 1);
	ck_assert_int_eq(uicc_sqn_check(&s, 1), -EALREADY);	/* replay */
	ck_assert_int_eq(uicc_sqn_check(&s, 0), -EALREADY);	/* older */
	ck_assert_int_eq(uicc_sqn_check(&s, 5), 0);		/* gaps are fine */
	uicc_sqn_accept(&s, 5);
	ck_assert_int_eq(uicc_sqn_check(&s, 4), -EALREADY);	/* one slot: no reordering */
	ck_assert_uint_eq(uicc_sqn_ms(&s), 5);
}
END_TEST

START_TEST(ind5_slots)
{
	const unsigned int b = 5;

	uicc_sqn_init(&s, b, 0, 0, 0);
	/* two serving nodes with IND 3 and IND 17, interleaved */
	ck_assert_int_eq(uicc_sqn_check(&s, mk(1, 3, b)), 0);
	uicc_sqn_accept(&s, mk(1, 3, b));
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2, 17, b)), 0);
	uicc_sqn_accept(&s, mk(2, 17, b));
	/* a vector of the first node generated before the second one's is still fresh */
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2, 3, b)), 0);
	uicc_sqn_accept(&s, mk(2, 3, b));
	/* replays in each slot */
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2, 3, b)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2, 17, b)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(1, 17, b)), -EALREADY);
	ck_assert_uint_eq(uicc_sqn_ms(&s), mk(2, 17, b));
}
END_TEST

START_TEST(ind_wrap)
{
	const unsigned int b = 5;
	uint64_t seq, ind;

	/* an AuC that walks IND 0..31 and wraps: every vector is accepted exactly once */
	uicc_sqn_init(&s, b, 0, 0, 0);
	for (seq = 1; seq < 4; seq++)
		for (ind = 0; ind < 32; ind++) {
			ck_assert_int_eq(uicc_sqn_check(&s, mk(seq, ind, b)), 0);
			uicc_sqn_accept(&s, mk(seq, ind, b));
			ck_assert_int_eq(uicc_sqn_check(&s, mk(seq, ind, b)), -EALREADY);
		}
	ck_assert_int_eq(uicc_sqn_check(&s, mk(3, 0, b)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(4, 0, b)), 0);
	ck_assert_uint_eq(uicc_sqn_ms(&s), mk(3, 31, b));
}
END_TEST

START_TEST(delta_limit)
{
	uicc_sqn_init(&s, 5, 0, 1000, 0);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(1000, 0, 5)), 0);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(1001, 0, 5)), -ERANGE);
	uicc_sqn_accept(&s, mk(1000, 0, 5));
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2000, 7, 5)), 0);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(2001, 7, 5)), -ERANGE);
}
END_TEST

START_TEST(age_limit)
{
	uicc_sqn_init(&s, 5, 0, 0, 10);
	uicc_sqn_accept(&s, mk(100, 1, 5));
	/* slot 2 has never been used, but SEQ 90 is L = 10 behind the highest SEQ_MS */
	ck_assert_int_eq(uicc_sqn_check(&s, mk(90, 2, 5)), -ESTALE);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(91, 2, 5)), 0);
}
END_TEST

START_TEST(initial_sqn)
{
	/* profile: the highest SQN already accepted is that of test set 1 minus one */
	uicc_sqn_init(&s, 0, 0xff9bb4d0b606ULL, 0, 0);
	ck_assert_int_eq(uicc_sqn_check(&s, 0xff9bb4d0b606ULL), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, 0xff9bb4d0b607ULL), 0);
	ck_assert_uint_eq(uicc_sqn_ms(&s), 0xff9bb4d0b606ULL);
	/* with IND bits, every SQN up to the initial one counts as used, and none above */
	uicc_sqn_init(&s, 5, mk(10, 7, 5), 0, 0);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(10, 7, 5)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(10, 3, 5)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(10, 8, 5)), 0);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(9, 8, 5)), -EALREADY);
	ck_assert_int_eq(uicc_sqn_check(&s, mk(11, 0, 5)), 0);
	ck_assert_uint_eq(uicc_sqn_ms(&s), mk(10, 7, 5));
	/* 48-bit wrap of the input is masked, ind_bitlen is capped */
	uicc_sqn_init(&s, 99, 0, 0, 0);
	ck_assert_uint_eq(s.ind_bitlen, UICC_IND_BITLEN_MAX);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("annex_c");

	tcase_add_test(tc, plain_counter);
	tcase_add_test(tc, ind5_slots);
	tcase_add_test(tc, ind_wrap);
	tcase_add_test(tc, delta_limit);
	tcase_add_test(tc, age_limit);
	tcase_add_test(tc, initial_sqn);
	return fx_run("uicc_sqn", tc);
}

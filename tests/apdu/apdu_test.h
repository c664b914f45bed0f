/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the tests/apdu unit tests. */
#ifndef GBA_TESTS_APDU_TEST_H
#define GBA_TESTS_APDU_TEST_H

#include <check.h>
#include <stdint.h>

#include <gba/keys.h>

/* Decode test hex (no separators) into 'out'; fails the test on bad hex. */
static inline size_t hx(uint8_t *out, size_t max, const char *hex)
{
	int n = gba_hex_decode_var(out, max, hex);

	ck_assert_int_ge(n, 0);
	return (size_t)n;
}

/* Run one suite of tests; returns the process exit status. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif

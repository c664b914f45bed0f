/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Ub brute-force limiter (bsf/ratelimit.c): bad parameters, the
 * threshold, exponential backoff up to its cap, no escalation during a block, success
 * clears, the quiet period forgets, bounded memory under a flood of keys (the least
 * recently failed evicted), several threads at once, the per-IMPI/per-address policy
 * (unknown IMPIs count only against the address, a success never clears the address,
 * IPv6 grouped per /64, v4-mapped = v4), the metrics, and a simulated day of an attacker
 * against the defaults with the best failures/day it can get per IMPI.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bsfcfg.h"
#include "metrics.h"
#include "ratelimit.h"

static const struct bsf_rl_params P = { .failures = 3, .window = 60, .backoff = 2,
					.max_backoff = 16, .entries = 64 };

static struct bsf_rl *mk(const struct bsf_rl_params *p)
{
	struct bsf_rl *rl = NULL;

	ck_assert_int_eq(bsf_rl_new(&rl, p), 0);
	ck_assert_ptr_nonnull(rl);
	return rl;
}

/* times in seconds here, in ms for the table */
#define FAIL(rl, k, t)	bsf_rl_fail(rl, k, strlen(k), (int64_t)(t) * 1000)
#define CHECK(rl, k, t)	bsf_rl_check(rl, k, strlen(k), (int64_t)(t) * 1000)

START_TEST(bad_params)
{
	struct bsf_rl *rl = NULL;
	struct bsf_rl_params p = P;

	p.failures = 0;
	ck_assert_int_eq(bsf_rl_new(&rl, &p), -EINVAL);
	p = P;
	p.max_backoff = 1;
	ck_assert_int_eq(bsf_rl_new(&rl, &p), -EINVAL);
	p = P;
	p.entries = 0;
	ck_assert_int_eq(bsf_rl_new(&rl, &p), -EINVAL);
	p = P;
	p.window = 0;
	ck_assert_int_eq(bsf_rl_new(&rl, &p), -EINVAL);
	ck_assert_ptr_null(rl);
	/* NULL tables are "off" */
	ck_assert_uint_eq(bsf_rl_check(NULL, "a", 1, 0), 0);
	ck_assert_uint_eq(bsf_rl_fail(NULL, "a", 1, 0), 0);
	bsf_rl_clear(NULL, "a", 1);
	ck_assert_uint_eq(bsf_rl_count(NULL), 0);
}
END_TEST

START_TEST(threshold_and_backoff)
{
	struct bsf_rl *rl = mk(&P);
	int64_t t = 1000;
	unsigned int want[] = { 4, 8, 16, 16, 16 };

	ck_assert_uint_eq(FAIL(rl, "impi", t), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", t), 0);
	ck_assert_uint_eq(CHECK(rl, "impi", t), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", t), 2);	/* third failure: blocked 2 s */
	ck_assert_uint_eq(CHECK(rl, "impi", t), 2);
	ck_assert_uint_eq(CHECK(rl, "impi", t + 1), 1);
	ck_assert_uint_eq(CHECK(rl, "other", t), 0);
	/* a failure that passed the check before the block: no escalation */
	ck_assert_uint_eq(FAIL(rl, "impi", t + 1), 0);
	ck_assert_uint_eq(CHECK(rl, "impi", t + 1), 1);
	t += 2;
	ck_assert_uint_eq(CHECK(rl, "impi", t), 0);
	/* every failure after a block doubles it, up to max_backoff */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_uint_eq(FAIL(rl, "impi", t), want[i]);
		ck_assert_uint_eq(CHECK(rl, "impi", t), want[i]);
		t += want[i];
		ck_assert_uint_eq(CHECK(rl, "impi", t), 0);
	}
	ck_assert_uint_eq(bsf_rl_count(rl), 1);
	bsf_rl_free(rl);
}
END_TEST

START_TEST(success_clears)
{
	struct bsf_rl *rl = mk(&P);

	for (int i = 0; i < 3; i++)
		FAIL(rl, "impi", 10);
	ck_assert_uint_eq(CHECK(rl, "impi", 11), 1);
	bsf_rl_clear(rl, "impi", 4);
	ck_assert_uint_eq(bsf_rl_count(rl), 0);
	ck_assert_uint_eq(CHECK(rl, "impi", 11), 0);
	/* counting starts over: the backoff too */
	ck_assert_uint_eq(FAIL(rl, "impi", 11), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", 11), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", 11), 2);
	bsf_rl_clear(rl, "unknown", 7);
	ck_assert_uint_eq(bsf_rl_count(rl), 1);
	bsf_rl_free(rl);
}
END_TEST

START_TEST(quiet_period)
{
	struct bsf_rl *rl = mk(&P);

	/* failures spread over more than a window never block */
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(FAIL(rl, "slow", 100 + 30 * i), 0);
	/* blocked, then quiet for a window after the block: forgotten, backoff reset */
	for (int i = 0; i < 3; i++)
		FAIL(rl, "impi", 1000);
	ck_assert_uint_eq(FAIL(rl, "impi", 1002), 4);
	ck_assert_uint_eq(CHECK(rl, "impi", 1006 + 59), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", 1006 + 59), 8);	/* still remembered */
	ck_assert_uint_eq(CHECK(rl, "impi", 1073 + 60), 0);	/* forgotten */
	ck_assert_uint_eq(FAIL(rl, "impi", 1073 + 60), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", 1073 + 60), 0);
	ck_assert_uint_eq(FAIL(rl, "impi", 1073 + 60), 2);
	bsf_rl_free(rl);
}
END_TEST

START_TEST(bounded_memory)
{
	struct bsf_rl *rl = mk(&P);
	char k[64];

	/* a key kept busy survives a flood of 100000 new ones; the old ones go */
	FAIL(rl, "victim", 0);
	FAIL(rl, "victim", 0);
	FAIL(rl, "first", 0);
	for (int i = 0; i < 100000; i++) {
		snprintf(k, sizeof(k), "flood-%d", i);
		FAIL(rl, k, 1);
		if (i % 32 == 0)
			FAIL(rl, "victim", 1);
		ck_assert_uint_le(bsf_rl_count(rl), P.entries);
	}
	ck_assert_uint_eq(bsf_rl_count(rl), P.entries);
	ck_assert_uint_gt(CHECK(rl, "victim", 1), 0);
	ck_assert_uint_eq(FAIL(rl, "first", 1), 0);	/* evicted: counts from one again */
	/* the last keys are all still there */
	for (int i = 100000 - 32; i < 100000; i++) {
		snprintf(k, sizeof(k), "flood-%d", i);
		ck_assert_uint_eq(FAIL(rl, k, 1), 0);
		ck_assert_uint_eq(FAIL(rl, k, 1), 2);
	}
	/* binary and long keys */
	{
		uint8_t bin[600];

		memset(bin, 0, sizeof(bin));
		for (int i = 0; i < 3; i++)
			bsf_rl_fail(rl, bin, sizeof(bin), 5000);
		ck_assert_uint_eq(bsf_rl_check(rl, bin, sizeof(bin), 5000), 2);
		ck_assert_uint_eq(bsf_rl_check(rl, bin, sizeof(bin), 6500), 1);	/* rounded up */
		ck_assert_uint_eq(bsf_rl_check(rl, bin, sizeof(bin), 7000), 0);
		ck_assert_uint_eq(bsf_rl_check(rl, bin, sizeof(bin) - 1, 5000), 0);
	}
	bsf_rl_free(rl);
}
END_TEST

static struct bsf_rl *shared;

static void *hammer(void *arg)
{
	char k[32];
	unsigned int seed = (unsigned int)(uintptr_t)arg;

	for (int i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "k%d", rand_r(&seed) % 200);
		switch (i % 3) {
		case 0: FAIL(shared, k, i / 1000); break;
		case 1: CHECK(shared, k, i / 1000); break;
		default: if (i % 7 == 0) bsf_rl_clear(shared, k, strlen(k)); break;
		}
	}
	return NULL;
}

START_TEST(threads)
{
	pthread_t th[4];

	shared = mk(&P);
	for (uintptr_t i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, hammer, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_le(bsf_rl_count(shared), P.entries);
	bsf_rl_free(shared);
}
END_TEST

static struct sockaddr_storage v4(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin_family = AF_INET;
	inet_pton(AF_INET, a, &s->sin_addr);
	return ss;
}

static struct sockaddr_storage v6(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin6_family = AF_INET6;
	inet_pton(AF_INET6, a, &s->sin6_addr);
	return ss;
}

#define SA(x) ((const struct sockaddr *)&(x))

START_TEST(ub_policy)
{
	struct bsf_ratelimit *r = NULL;
	struct bsf_rl_params pi = P, pa = P;
	struct sockaddr_storage a = v4("192.0.2.1"), b = v4("192.0.2.2"),
				am = v6("::ffff:192.0.2.1"), x1 = v6("2001:db8:1:2::1"),
				x2 = v6("2001:db8:1:2:ffff::9"), y = v6("2001:db8:1:3::1");
	char *text = NULL;

	pi.backoff = pi.max_backoff = 60;
	pa.failures = 6;
	pa.backoff = pa.max_backoff = 60;
	/* both off: no limiter at all */
	pi.failures = 0;
	pa.failures = 0;
	ck_assert_int_eq(bsf_ratelimit_new(&r, &pi, &pa), 0);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(bsf_ratelimit_check(NULL, "x", SA(a)), 0);
	bsf_ratelimit_note(NULL, "x", SA(a), UB_R_WRONG_RES);
	pi.failures = 3;
	pa.failures = 6;
	ck_assert_int_eq(bsf_ratelimit_new(&r, &pi, &pa), 0);
	ck_assert_ptr_nonnull(r);

	/* unknown IMPIs: the address only */
	for (int i = 0; i < 5; i++)
		bsf_ratelimit_note(r, "nobody", SA(a), UB_R_UNKNOWN);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "nobody", SA(b)), 0);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "nobody", SA(a)), 0);
	/* what is not an authentication failure is not counted */
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_MALFORMED);
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_CHALLENGE);
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_STALE);
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_UNAVAILABLE);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "imp", SA(a)), 0);
	/* the sixth failure from a: a (and its v4-mapped form) blocked for every IMPI */
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_MAC_FAILURE);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "someone", SA(a)), 60);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "someone", SA(am)), 60);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "someone", SA(b)), 0);
	/* a success clears the IMPI, never the address */
	bsf_ratelimit_note(r, "imp", SA(a), UB_R_OK);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "imp", SA(a)), 60);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "imp", SA(b)), 0);

	/* per IMPI from several addresses; IPv6 per /64 */
	bsf_ratelimit_note(r, "victim", SA(x1), UB_R_WRONG_RES);
	bsf_ratelimit_note(r, "victim", SA(b), UB_R_TOO_MANY);
	bsf_ratelimit_note(r, "victim", SA(y), UB_R_RESYNC_REFUSED);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "victim", NULL), 60);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "victim", SA(y)), 60);
	for (int i = 0; i < 5; i++)
		bsf_ratelimit_note(r, "v6", SA(x2), UB_R_WRONG_RES);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "", SA(x1)), 60);	/* same /64 */
	ck_assert_uint_eq(bsf_ratelimit_check(r, "", SA(y)), 0);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "", NULL), 0);
	bsf_ratelimit_note(r, "victim", SA(y), UB_R_OK);
	ck_assert_uint_eq(bsf_ratelimit_check(r, "victim", SA(y)), 0);

	ck_assert_int_gt(bsf_metrics_render(&text), 0);
	ck_assert_ptr_nonnull(strstr(text, "gba_bsf_ub_rate_limited_total{key=\"address\","
				     "event=\"refused\"} "));
	ck_assert_ptr_null(strstr(text, "{key=\"address\",event=\"refused\"} 0\n"));
	ck_assert_ptr_null(strstr(text, "{key=\"impi\",event=\"blocked\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text, "gba_bsf_ratelimit_entries{key=\"impi\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "gba_bsf_ratelimit_entries{key=\"address\"} 4\n"));
	free(text);
	bsf_ratelimit_free(r);
}
END_TEST

/*
 * A day of an attacker against one IMPI with the gba-bsf defaults (bsfcfg.h): 'greedy'
 * fails whenever allowed; 'patient' waits out the quiet period after each block so the
 * count starts over. Returns the failures it got through.
 */
static unsigned long attack_day(const struct bsf_rl_params *p, bool patient)
{
	struct bsf_rl *rl = mk(p);
	unsigned long n = 0;
	int64_t t = 0, resume = 0;

	while (t < 86400) {
		unsigned int w = CHECK(rl, "victim", t);
		unsigned int b;

		if (w || t < resume) {
			t = w ? t + w : resume;
			continue;
		}
		b = FAIL(rl, "victim", t);
		n++;
		if (b && patient)
			resume = t + b + p->window;
	}
	bsf_rl_free(rl);
	return n;
}

START_TEST(attacker_day)
{
	char *argv[] = { "gba-bsf", "--fqdn", "bsf.example", "--zn-allow-plain-http",
			 "--store", "sqlite:/nonexistent/x.db", NULL };
	struct bsf_config cfg;
	unsigned long greedy, patient, legit;

	ck_assert_int_eq(bsf_config_load(&cfg, 6, argv), 0);
	greedy = attack_day(&cfg.rl_impi, false);
	patient = attack_day(&cfg.rl_impi, true);
	printf("defaults: %u failures/%u s, backoff %u..%u s: an attacker gets %lu (greedy) / "
	       "%lu (patient) failures per IMPI per day (%.4f/s)\n", cfg.rl_impi.failures,
	       cfg.rl_impi.window, cfg.rl_impi.backoff, cfg.rl_impi.max_backoff, greedy, patient,
	       (greedy > patient ? greedy : patient) / 86400.0);
	ck_assert_uint_le(greedy, 86400 / cfg.rl_impi.max_backoff + 20);
	ck_assert_uint_le(patient, (86400 / cfg.rl_impi.window + 1) * cfg.rl_impi.failures);
	/* the owner waits at most max_backoff once the attack stops */
	{
		struct bsf_rl *rl = mk(&cfg.rl_impi);
		int64_t t = 0;

		for (int i = 0; i < 1000; i++) {
			t += CHECK(rl, "victim", t);
			FAIL(rl, "victim", t);
		}
		legit = CHECK(rl, "victim", t);
		ck_assert_uint_le(legit, cfg.rl_impi.max_backoff);
		ck_assert_uint_eq(CHECK(rl, "victim", t + cfg.rl_impi.max_backoff), 0);
		bsf_rl_free(rl);
	}
	bsf_config_free(&cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bad_params);
	tcase_add_test(tc, threshold_and_backoff);
	tcase_add_test(tc, success_clears);
	tcase_add_test(tc, quiet_period);
	tcase_add_test(tc, bounded_memory);
	tcase_add_test(tc, threads);
	tcase_add_test(tc, ub_policy);
	tcase_add_test(tc, attacker_day);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

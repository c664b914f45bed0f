/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The asynchronous Zh path of gba-bsf through the real HTTP listeners: a stub Zh backend
 * answers from its own thread after a delay, so the Ub connection must be suspended and
 * resumed (MHD_suspend_connection / MHD_resume_connection) while other requests keep being
 * served; an unavailable backend gives 503 with Retry-After; an unknown IMPI 403.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include <gba/log.h>

#include "bsf.h"
#include "http.h"
#include "tue.h"

struct job {
	zh_cb cb;
	void *arg;
	int rc;
	unsigned int delay_ms;
};

static void *answer(void *p)
{
	struct job *j = p;
	struct zh_result res;

	usleep(j->delay_ms * 1000);
	memset(&res, 0, sizeof(res));
	res.rc = j->rc;
	if (!res.rc) {
		memset(res.av.rand, 0x11, sizeof(res.av.rand));
		gba_random(res.av.rand, 8);
		memset(res.av.autn, 0x22, sizeof(res.av.autn));
		memset(res.av.xres, 0x33, 8);
		res.av.xres_len = 8;
	}
	j->cb(j->arg, &res);
	free(j);
	return NULL;
}

/* "slow..." answers after 2 s, "down..." is unavailable, "nobody..." unknown */
static void stub_request_av(struct zh *zh, const char *impi, const uint8_t *resync, zh_cb cb,
			    void *arg)
{
	struct job *j = calloc(1, sizeof(*j));
	pthread_t th;

	j->cb = cb;
	j->arg = arg;
	j->delay_ms = !strncmp(impi, "slow", 4) ? 2000 : 1;
	j->rc = !strncmp(impi, "down", 4) ? -EAGAIN : !strncmp(impi, "nobody", 6) ? -ENOENT : 0;
	pthread_create(&th, NULL, answer, j);
	pthread_detach(th);
}

static int stub_reload(struct zh *zh)
{
	return 0;
}

static void stub_close(struct zh *zh)
{
}

static const struct zh_ops stub_ops = { stub_request_av, stub_reload, stub_close };
static struct zh stub = { &stub_ops };

static struct bsf_config cfg;
static struct bsf bsf = { .cfg = &cfg, .zh = &stub };
static struct bsf_http *http;
static char base[160];

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct call {
	const char *impi;
	struct tue_resp r;
	double ms;
};

static void *do_first(void *p)
{
	struct call *c = p;
	struct tue u;
	char authz[512];
	double t0 = now_ms();

	tue_init(&u, base, "bsf.async.example", c->impi, "00000000000000000000000000000000",
		 "00000000000000000000000000000000", GBA_AKA_MILENAGE);
	snprintf(authz, sizeof(authz), "Digest username=\"%s\", realm=\"r\", nonce=\"\", uri=\"/\","
		 " response=\"\"", c->impi);
	if (tue_get(&u, "/", authz, &c->r))
		c->r.status = -1;
	c->ms = now_ms() - t0;
	tue_free(&u);
	return NULL;
}

START_TEST(suspended_while_other_requests_run)
{
	static struct call slow = { .impi = "slow@x" }, fast[8];
	pthread_t ts, tf[8];

	pthread_create(&ts, NULL, do_first, &slow);
	usleep(50000);
	for (int i = 0; i < 8; i++) {
		fast[i].impi = "fast@x";
		pthread_create(&tf[i], NULL, do_first, &fast[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(tf[i], NULL);
		ck_assert_int_eq(fast[i].r.status, 401);
		ck_assert_msg(fast[i].ms < 1500, "fast request waited %.0f ms behind a slow Zh",
			      fast[i].ms);
	}
	pthread_join(ts, NULL);
	ck_assert_int_eq(slow.r.status, 401);
	ck_assert_double_ge(slow.ms, 1990);
	ck_assert_ptr_nonnull(strstr(slow.r.www_auth, "AKAv1-MD5"));
}
END_TEST

START_TEST(backend_unavailable)
{
	static struct call c = { .impi = "down@x" };

	do_first(&c);
	ck_assert_int_eq(c.r.status, 503);
	ck_assert_str_eq(c.r.retry_after, "7");
}
END_TEST

START_TEST(unknown)
{
	static struct call c = { .impi = "nobody@x" };

	do_first(&c);
	ck_assert_int_eq(c.r.status, 403);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ub-async");
	TCase *tc = tcase_create("zh");
	SRunner *sr;
	int failed;

	gba_log_set_level(getenv("TEST_LOG") ? GBA_LL_DEBUG : GBA_LL_NONE);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	strcpy(cfg.fqdn, "bsf.async.example");
	strcpy(cfg.realm, cfg.fqdn);
	snprintf(cfg.ub_listen, sizeof(cfg.ub_listen), "127.0.0.1:%d", tue_free_port());
	snprintf(cfg.zn_listen, sizeof(cfg.zn_listen), "127.0.0.1:%d", tue_free_port());
	snprintf(base, sizeof(base), "http://%s", cfg.ub_listen);
	cfg.zn_allow_plain_http = true;
	cfg.key_lifetime = 3600;
	cfg.challenge_lifetime = 60;
	cfg.max_auth_failures = 3;
	cfg.retry_after = 7;
	cfg.threads = 1;	/* one event loop: a blocked handler would stall everything */
	cfg.max_connections = 64;
	cfg.connection_timeout = 10;
	if (bsf_kek_load(&bsf.kek, "000102030405060708090a0b0c0d0e0f"
				   "101112131415161718191a1b1c1d1e1f", NULL, false) ||
	    bsf_store_open(&bsf.store, "sqlite::memory:") || bsf_http_start(&http, &bsf)) {
		fprintf(stderr, "test_ub_async: set-up failed\n");
		return 1;
	}
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, suspended_while_other_requests_run);
	tcase_add_test(tc, backend_unavailable);
	tcase_add_test(tc, unknown);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	bsf_http_stop(http, 1000);
	bsf_store_close(bsf.store);
	curl_global_cleanup();
	return failed ? 1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of Zh over GSUP (bsf/zh_gsup.c) without osmo-hlr: address and name checks,
 * IMPI -> IMSI (TS 23.003 form, profiles map, refusals), -EAGAIN at once while no HLR
 * listens, and against a silent TCP peer: the 2 s timeout, then -EAGAIN at once after the
 * peer closes. Answers from a real osmo-hlr are covered by gsup.sh.
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

#include "zh.h"

#define IMPI_OK	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"

struct answer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int n, rc;
};

static void on_answer(void *arg, const struct zh_result *res)
{
	struct answer *a = arg;

	pthread_mutex_lock(&a->lock);
	a->n++;
	a->rc = res->rc;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

static void answer_init(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
}

/* Ask for 'impi'; the answer's rc, or 1 when none came within 'ms'. */
static int ask(struct zh *zh, const char *impi, long ms, long *took_ms)
{
	struct answer a;
	struct timespec t0, t1, until;
	int rc;

	answer_init(&a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	zh->ops->request_av(zh, impi, NULL, on_answer, &a);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000 + 1;
	pthread_mutex_lock(&a.lock);
	while (!a.n && pthread_cond_timedwait(&a.cond, &a.lock, &until) != ETIMEDOUT)
		;
	rc = a.n == 1 ? a.rc : 1;
	pthread_mutex_unlock(&a.lock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (took_ms)
		*took_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	return rc;
}

/* A TCP listener on 127.0.0.1; its port. */
static int listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return s;
}

START_TEST(test_bad_args)
{
	static const char *const bad[] = {
		"", ":4222", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:42x",
		"[::1", "[::1]x", "[]:4222",
	};
	struct zh *zh = NULL;
	char name[80];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(zh_gsup_open(&zh, bad[i], NULL, NULL) == -EINVAL, "%s", bad[i]);
	memset(name, 'N', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(zh_gsup_open(&zh, "127.0.0.1", name, NULL), -EINVAL);
	ck_assert_ptr_null(zh);
	/* a profiles path that does not exist: no profiles (GBA_ME, default lifetime) */
	ck_assert_int_eq(zh_gsup_open(&zh, "127.0.0.1:1", NULL, "/nonexistent/x.conf"), 0);
	ck_assert_int_eq(ask(zh, "alice@example.org", 100, NULL), -ENOENT);
	zh_close(zh);
}
END_TEST

START_TEST(test_no_hlr)
{
	char dir[] = "/tmp/test_zh_gsup.XXXXXX", path[300], cmd[400];
	struct zh *zh = NULL;
	int s, port;
	long ms;
	FILE *f;

	/* a port nobody listens on: bound, never listening */
	s = listener(&port);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "cards = ( { name = \"a\"; iccid = \"8988211000000000099\"; imsi = "
		"\"001010000000099\"; mnc_length = 2; algorithm = \"milenage\"; k = "
		"\"465b5ce8b199b49faa5f0a2ee238a6bc\"; opc = \"cd63cb71954a9f4e48a5994e37a02baf\";"
		" amf = \"8000\"; sqn = 0; ind_bitlen = 0; gba_u = true; key_lifetime = 600;"
		" isim = { impi = \"alice@example.org\"; }; } );\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "127.0.0.1:%d", port);
	ck_assert_int_eq(zh_gsup_open(&zh, cmd, "GBA-BSF-UNIT", path), 0);
	/* link down: refused at once, before any network I/O */
	ck_assert_int_eq(ask(zh, IMPI_OK, 100, &ms), -EAGAIN);
	ck_assert_int_lt(ms, 100);
	/* the profile's IMPI maps to its IMSI: down as well, not unknown */
	ck_assert_int_eq(ask(zh, "alice@example.org", 100, NULL), -EAGAIN);
	/* no IMSI behind these */
	ck_assert_int_eq(ask(zh, "bob@example.org", 100, NULL), -ENOENT);
	ck_assert_int_eq(ask(zh, "00101@ims.mnc001.mcc001.3gppnetwork.org", 100, NULL), -ENOENT);
	ck_assert_int_eq(ask(zh, "0010100000000x1@ims.mnc001.mcc001.3gppnetwork.org", 100, NULL),
			 -ENOENT);
	ck_assert_int_eq(ask(zh, "001010000000001@example.org", 100, NULL), -ENOENT);
	ck_assert_int_eq(ask(zh, "001010000000001", 100, NULL), -ENOENT);
	ck_assert_int_eq(zh->ops->reload(zh), 0);
	ck_assert_int_eq(ask(zh, "alice@example.org", 100, NULL), -EAGAIN);
	zh_close(zh);
	close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_silent_peer)
{
	struct zh *zh = NULL;
	char addr[32];
	int s, c, port;
	long ms;

	s = listener(&port);
	ck_assert_int_eq(listen(s, 4), 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	ck_assert_int_eq(zh_gsup_open(&zh, addr, NULL, NULL), 0);
	c = accept(s, NULL, NULL);
	ck_assert_int_ge(c, 0);
	/* connected, never answers: the request times out with -EAGAIN after about 2 s */
	ck_assert_int_eq(ask(zh, IMPI_OK, 4000, &ms), -EAGAIN);
	ck_assert_int_ge(ms, 1800);
	ck_assert_int_le(ms, 3500);
	/* the peer goes away: the next request fails at once */
	close(c);
	close(s);
	usleep(200000);
	ck_assert_int_eq(ask(zh, IMPI_OK, 1000, &ms), -EAGAIN);
	ck_assert_int_lt(ms, 200);
	zh_close(zh);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("zh_gsup");
	TCase *tc = tcase_create("zh_gsup");
	SRunner *sr;
	int failed;

	gba_log_init("test_zh_gsup", GBA_LOG_STDERR);
	gba_log_parse_spec("fatal");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_no_hlr);
	tcase_add_test(tc, test_silent_peer);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Redis store (bsf/store_redis.c) against a private redis-server that
 * the fixture starts on a random loopback port (no persistence) and stops by PID: every
 * operation, the session replaced per IMPI (old key deleted), the key expiry, single-use
 * and duplicate challenges, SQN bounds that only grow across two connections, corrupt
 * records (-EIO, never a crash), malformed URIs (-EINVAL), an unreachable server at open
 * (-EIO), and a server stopped then restarted: fast -EIO meanwhile, then service again on
 * the same store handle, and a server demoted to a replica (READONLY) and promoted again.
 * Exit 77 (skip) when redis-server is not installed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <hiredis/hiredis.h>

#include <gba/log.h>

#include "store.h"

#include "tue.h"

#define REDIS_BIN	"/usr/bin/redis-server"

static char dir[64], uri[128];
static int port;
static pid_t pid;

static void redis_start(void)
{
	char p[16];

	snprintf(p, sizeof(p), "%d", port);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(REDIS_BIN, "redis-server", "--bind", "127.0.0.1", "--port", p, "--dir", dir,
		      "--save", "", "--appendonly", "no", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		redisContext *c = redisConnect("127.0.0.1", port);
		bool ok = c && !c->err;

		redisFree(c);
		if (ok)
			return;
		usleep(25000);
	}
	ck_abort_msg("redis-server did not start");
}

static void redis_stop(void)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	pid = 0;
}

static void setup(void)
{
	strcpy(dir, "/tmp/gba-store-redis.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	port = tue_free_port();
	snprintf(uri, sizeof(uri), "redis://127.0.0.1:%d/2", port);
	redis_start();
}

static void teardown(void)
{
	char cmd[128];

	redis_stop();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A command on db 2 beside the store, for looking at and corrupting its keys. */
static redisReply *raw(const char *fmt, const char *arg)
{
	redisContext *c = redisConnect("127.0.0.1", port);
	redisReply *r;

	ck_assert(c && !c->err);
	freeReplyObject(redisCommand(c, "SELECT 2"));
	r = redisCommand(c, fmt, arg);
	redisFree(c);
	ck_assert_ptr_nonnull(r);
	return r;
}

static long long raw_int(const char *fmt, const char *arg)
{
	redisReply *r = raw(fmt, arg);
	long long v = r->type == REDIS_REPLY_INTEGER ? r->integer : -999;

	freeReplyObject(r);
	return v;
}

static struct bsf_store *open_store(void)
{
	struct bsf_store *st = NULL;

	ck_assert_int_eq(bsf_store_open(&st, uri), 0);
	return st;
}

static void session(struct bsf_session *s, const char *btid, const char *impi, time_t exp)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->btid, btid);
	strcpy(s->impi, impi);
	memset(s->rand, 0xa5, sizeof(s->rand));
	memset(s->ks_blob, 0x5a, sizeof(s->ks_blob));
	s->created = time(NULL);
	s->expires = exp;
	s->gba_u = true;
}

static void challenge(struct bsf_challenge *c, const char *nonce, time_t exp)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->nonce, nonce);
	strcpy(c->impi, "001010000000001@ims.test");
	strcpy(c->opaque, "0123abcd");
	strcpy(c->uri, "/");
	memset(c->rand, 1, sizeof(c->rand));
	c->xres_len = 8;
	memset(c->xres, 2, c->xres_len);
	memset(c->ck, 3, sizeof(c->ck));
	memset(c->ik, 4, sizeof(c->ik));
	c->gba_u = true;
	c->key_lifetime = 3600;
	c->failures = 2;
	c->expires = exp;
}

START_TEST(sessions)
{
	struct bsf_store *st = open_store();
	struct bsf_session s, g;
	time_t now = time(NULL);

	session(&s, "AAAA@bsf.test", "impi1@test", now + 100);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf.test", now, &g), 0);
	ck_assert_str_eq(g.btid, s.btid);
	ck_assert_str_eq(g.impi, s.impi);
	ck_assert_mem_eq(g.rand, s.rand, sizeof(s.rand));
	ck_assert_mem_eq(g.ks_blob, s.ks_blob, sizeof(s.ks_blob));
	ck_assert_int_eq(g.created, s.created);
	ck_assert_int_eq(g.expires, s.expires);
	ck_assert(g.gba_u);
	/* the key expires with the session */
	ck_assert_int_gt(raw_int("PTTL %s", "gba:sess:AAAA@bsf.test"), 90000);
	ck_assert_int_le(raw_int("PTTL %s", "gba:sess:AAAA@bsf.test"), 100000);
	/* expired at 'now' per the record, even while Redis still holds it */
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf.test", now + 100, &g), -ENOENT);
	/* a second session of the IMPI replaces the first, whose key is deleted */
	session(&s, "BBBB@bsf.test", "impi1@test", now + 200);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf.test", now, &g), -ENOENT);
	ck_assert_int_eq(raw_int("EXISTS %s", "gba:sess:AAAA@bsf.test"), 0);
	ck_assert_int_eq(st->ops->get_session(st, "BBBB@bsf.test", now, &g), 0);
	/* storing the same B-TID again does not delete it */
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->get_session(st, "BBBB@bsf.test", now, &g), 0);
	/* another IMPI's session stays */
	session(&s, "CCCC@bsf.test", "impi2@test", now + 200);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->count_sessions(st, now), 2);
	ck_assert_int_eq(st->ops->get_session(st, "DDDD@bsf.test", now, &g), -ENOENT);
	ck_assert_int_eq(st->ops->get_session(st, "", now, &g), -ENOENT);
	ck_assert_int_eq(st->ops->purge(st, now), 0);
	bsf_store_close(st);
}
END_TEST

START_TEST(challenges)
{
	struct bsf_store *st = open_store();
	struct bsf_challenge c, t;
	char big[BSF_NONCE_MAX + 10];
	time_t now = time(NULL);

	challenge(&c, "nonce1", now + 60);
	ck_assert_int_eq(st->ops->put_challenge(st, &c), 0);
	ck_assert_int_eq(st->ops->put_challenge(st, &c), -EEXIST);
	ck_assert_int_gt(raw_int("PTTL %s", "gba:chal:nonce1"), 50000);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce1", now, &t), 0);
	ck_assert_str_eq(t.nonce, "nonce1");
	ck_assert_str_eq(t.impi, c.impi);
	ck_assert_str_eq(t.opaque, c.opaque);
	ck_assert_str_eq(t.uri, c.uri);
	ck_assert_mem_eq(t.rand, c.rand, sizeof(c.rand));
	ck_assert_uint_eq(t.xres_len, 8);
	ck_assert_mem_eq(t.xres, c.xres, 8);
	ck_assert_mem_eq(t.ck, c.ck, sizeof(c.ck));
	ck_assert_mem_eq(t.ik, c.ik, sizeof(c.ik));
	ck_assert(t.gba_u);
	ck_assert_uint_eq(t.key_lifetime, 3600);
	ck_assert_uint_eq(t.failures, 2);
	ck_assert_int_eq(t.expires, c.expires);
	/* single use */
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce1", now, &t), -ENOENT);
	ck_assert_int_eq(raw_int("EXISTS %s", "gba:chal:nonce1"), 0);
	/* expired per the record */
	challenge(&c, "nonce2", now + 60);
	ck_assert_int_eq(st->ops->put_challenge(st, &c), 0);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce2", now + 60, &t), -ETIME);
	/* already expired when stored: Redis drops it */
	challenge(&c, "nonce3", now - 5);
	ck_assert_int_eq(st->ops->put_challenge(st, &c), 0);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce3", now, &t), -ENOENT);
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(st->ops->take_challenge(st, big, now, &t), -ENOENT);
	ck_assert_int_eq(st->ops->take_challenge(st, "", now, &t), -ENOENT);
	bsf_store_close(st);
}
END_TEST

START_TEST(sqn)
{
	struct bsf_store *a = open_store(), *b = open_store();
	uint64_t v = 0;

	ck_assert_int_eq(a->ops->sqn_get(a, "001010000000001", &v), -ENOENT);
	ck_assert_int_eq(a->ops->sqn_reserve(a, "001010000000001", 1024), 0);
	ck_assert_int_eq(b->ops->sqn_get(b, "001010000000001", &v), 0);
	ck_assert_uint_eq(v, 1024);
	/* a BSF that is behind does not lower the bound */
	ck_assert_int_eq(b->ops->sqn_reserve(b, "001010000000001", 512), 0);
	ck_assert_int_eq(a->ops->sqn_get(a, "001010000000001", &v), 0);
	ck_assert_uint_eq(v, 1024);
	ck_assert_int_eq(b->ops->sqn_reserve(b, "001010000000001", (UINT64_C(1) << 48) - 1), 0);
	ck_assert_int_eq(a->ops->sqn_get(a, "001010000000001", &v), 0);
	ck_assert_uint_eq(v, (UINT64_C(1) << 48) - 1);
	ck_assert_int_eq(raw_int("PTTL %s", "gba:sqn:001010000000001"), -1);
	bsf_store_close(a);
	bsf_store_close(b);
}
END_TEST

START_TEST(corrupt)
{
	struct bsf_store *st = open_store();
	struct bsf_session g;
	struct bsf_challenge t;
	uint64_t v;

	freeReplyObject(raw("SET gba:sess:XX@bsf.test %s", "\x01garbage"));
	freeReplyObject(raw("SET gba:chal:n1 %s", "\x01"));
	freeReplyObject(raw("SET gba:chal:n2 %s", "\x07version"));
	freeReplyObject(raw("SET gba:sqn:001 %s", "12x"));
	freeReplyObject(raw("SADD gba:sess:YY@bsf.test %s", "a set"));
	ck_assert_int_eq(st->ops->get_session(st, "XX@bsf.test", 0, &g), -EIO);
	ck_assert_int_eq(st->ops->get_session(st, "YY@bsf.test", 0, &g), -EIO);
	ck_assert_int_eq(st->ops->take_challenge(st, "n1", 0, &t), -EIO);
	ck_assert_int_eq(st->ops->take_challenge(st, "n2", 0, &t), -EIO);
	ck_assert_int_eq(st->ops->sqn_get(st, "001", &v), -EIO);
	/* a WRONGTYPE error reply does not cost the connection */
	ck_assert_int_eq(st->ops->sqn_reserve(st, "002", 5), 0);
	bsf_store_close(st);
}
END_TEST

START_TEST(uris)
{
	static const char *const bad[] = {
		"redis://", "redis://:6379", "redis://host:", "redis://host:0", "redis://host:70000",
		"redis://host:-1", "redis://host:12x", "redis://host/x", "redis://host/-1",
		"redis://[::1", "redis://nopass@host", "redis://user:@host", "redis:/host",
	};
	struct bsf_store *st = NULL;
	char u[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bsf_store_open(&st, bad[i]) == -EINVAL, "%s", bad[i]);
	/* well-formed but nobody listens / wrong password */
	ck_assert_int_eq(bsf_store_open(&st, "redis://127.0.0.1:1"), -EIO);
	snprintf(u, sizeof(u), "redis://user:pw@127.0.0.1:%d", port);
	ck_assert_int_eq(bsf_store_open(&st, u), -EIO);
	snprintf(u, sizeof(u), "redis://127.0.0.1:%d/99", port);
	ck_assert_int_eq(bsf_store_open(&st, u), -EIO);
	snprintf(u, sizeof(u), "redis://127.0.0.1:%d", port);
	ck_assert_int_eq(bsf_store_open(&st, u), 0);
	bsf_store_close(st);
	snprintf(u, sizeof(u), "redis://[::1]:%d/0", port);
	ck_assert_int_ne(bsf_store_open(&st, u), -EINVAL);	/* -EIO: bound to 127.0.0.1 */
}
END_TEST

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

START_TEST(restart)
{
	struct bsf_store *st = open_store();
	struct bsf_session s, g;
	struct timespec t0;
	time_t now = time(NULL);
	int rc = -EIO;

	session(&s, "RRRR@bsf.test", "impi9@test", now + 100);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	redis_stop();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(st->ops->get_session(st, "RRRR@bsf.test", now, &g), -EIO);
	ck_assert_int_eq(st->ops->count_sessions(st, now), -EIO);
	ck_assert_int_lt(ms_since(&t0), 2000);
	redis_start();
	/* the next attempt is at most 2 s away (backoff) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (rc == -EIO && ms_since(&t0) < 5000) {
		rc = st->ops->put_session(st, &s);
		usleep(20000);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(st->ops->get_session(st, "RRRR@bsf.test", now, &g), 0);
	bsf_store_close(st);
}
END_TEST

/* A failover demotes the server under us: READONLY drops the connection, then it recovers. */
START_TEST(readonly)
{
	struct bsf_store *st = open_store();
	struct bsf_session s;
	time_t now = time(NULL);

	session(&s, "OOOO@bsf.test", "impi8@test", now + 100);
	freeReplyObject(raw("REPLICAOF 127.0.0.1 %s", "1"));
	ck_assert_int_eq(st->ops->put_session(st, &s), -EIO);
	freeReplyObject(raw("REPLICAOF NO %s", "ONE"));
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	bsf_store_close(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_redis");
	TCase *tc = tcase_create("redis");
	SRunner *sr;
	int failed;

	if (access(REDIS_BIN, X_OK)) {
		printf("SKIP: %s not installed\n", REDIS_BIN);
		return 77;
	}
	gba_log_init("test_store_redis", GBA_LOG_STDERR);
	gba_log_parse_spec("fatal");
	signal(SIGPIPE, SIG_IGN);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sessions);
	tcase_add_test(tc, challenges);
	tcase_add_test(tc, sqn);
	tcase_add_test(tc, corrupt);
	tcase_add_test(tc, uris);
	tcase_add_test(tc, restart);
	tcase_add_test(tc, readonly);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's session store (bsf/store.h), both backends, with N sessions of realistic size
 * (TS 23.003 IMPI, 24-character B-TID at a 3GPP BSF FQDN, sealed Ks):
 *  - bytes per stored session, against the raw bytes of the record's fields: SQLite as
 *    (page_count - freelist_count) x page_size growth over the N rows (PRAGMAs read with
 *    the store closed: it holds its file in exclusive mode), Redis as used_memory growth
 *    (INFO memory) over the N session + IMPI-pointer keys, plus MEMORY USAGE of one pair.
 *    Targets: SQLite <= 3 x raw (a WITHOUT ROWID table keyed by B-TID plus the UNIQUE IMPI
 *    index repeat both strings);
 *    Redis <= 4 x raw (two keys with expiries per session, dict and SDS overheads).
 *  - p99 of get_session() over N random lookups, against the same lookup done raw in the
 *    same run: a prepared SELECT of the same rows on a connection of its own to the same
 *    file (exclusive locking mode too, run while the store is closed), and a bare hiredis
 *    GET of the same key on a second connection. Target p99 ratio <= 2.
 * Redis is a private redis-server (random loopback port, no persistence) started and stopped
 * here by PID; the Redis half is skipped with a message when redis-server is not installed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <sqlite3.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "store.h"

#define N		20000
#define REDIS_BIN	"/usr/bin/redis-server"
#define FQDN		"bsf.mnc001.mcc001.pub.3gppnetwork.org"

static char dir[] = "/tmp/bench_store.XXXXXX";

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void make_session(struct bsf_session *s, unsigned int i, time_t t)
{
	uint8_t r[16];

	memset(s, 0, sizeof(*s));
	gba_random(r, sizeof(r));
	gba_b64_encode(s->btid, sizeof(s->btid), r, sizeof(r));
	snprintf(s->btid + strlen(s->btid), sizeof(s->btid) - strlen(s->btid), "@" FQDN);
	snprintf(s->impi, sizeof(s->impi), "0010100%08u@ims.mnc001.mcc001.3gppnetwork.org", i);
	gba_random(s->rand, sizeof(s->rand));
	gba_random(s->ks_blob, sizeof(s->ks_blob));
	s->created = t;
	s->expires = t + 86400;
	s->gba_u = i & 1;
}

/* The bytes a session holds: its fields without any storage overhead. */
static size_t raw_bytes(const struct bsf_session *s)
{
	return strlen(s->btid) + strlen(s->impi) + GBA_RAND_LEN + BSF_KS_BLOB_LEN + 8 + 8 + 1;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double p99(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[n * 99 / 100];
}

static long long sqlite_used(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v[3] = { 0 };
	const char *q[3] = { "PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA page_size" };

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL))
		return -1;
	for (int i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(db, q[i], -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			v[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return (v[0] - v[1]) * v[2];
}

static void table(const char *name, const char *value, const char *baseline, double ratio,
		  const char *target)
{
	printf("TABLE|%s|%s|%s|%.2f|%s\n", name, value, baseline, ratio, target);
}

static int bench_sqlite(struct bsf_session *s, double *lat, double *raw)
{
	char path[300], uri[320], v[64], b[64];
	static int pick[N];
	struct bsf_store *st;
	struct bsf_session out;
	sqlite3 *db;
	sqlite3_stmt *q;
	long long u0, u1;
	size_t rawsum = 0;
	time_t t = time(NULL);
	int fails = 0;

	snprintf(path, sizeof(path), "%s/bsf.db", dir);
	snprintf(uri, sizeof(uri), "sqlite:%s", path);
	/* the store holds its file in exclusive mode: sizes and raw reads while it is closed */
	if (bsf_store_open(&st, uri))
		return 1;
	bsf_store_close(st);
	u0 = sqlite_used(path);
	if (bsf_store_open(&st, uri))
		return 1;
	for (int i = 0; i < N; i++) {
		if (st->ops->put_session(st, &s[i]))
			return 1;
		rawsum += raw_bytes(&s[i]);
	}
	bsf_store_close(st);
	u1 = sqlite_used(path);
	for (int i = 0; i < N; i++)
		pick[i] = rand() % N;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ||
	    sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT impi, rand, ks, created, expires, gba_u FROM sessions"
			       " WHERE btid = ?1 AND expires > ?2", -1, &q, NULL)) {
		fprintf(stderr, "bench_store: raw SQLite connection: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	for (int r = 0; r < 2; r++)	/* round 0 warms the cache */
		for (int i = 0; i < N; i++) {
			double t0 = now_us();

			sqlite3_bind_text(q, 1, s[pick[i]].btid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 2, (sqlite3_int64)t);
			if (sqlite3_step(q) != SQLITE_ROW ||
			    sqlite3_column_bytes(q, 2) != BSF_KS_BLOB_LEN)
				fails++;
			sqlite3_reset(q);
			raw[i] = now_us() - t0;
		}
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (bsf_store_open(&st, uri))
		return 1;
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < N; i++) {
			double t0 = now_us();

			if (st->ops->get_session(st, s[pick[i]].btid, t, &out))
				fails++;
			lat[i] = now_us() - t0;
		}
	gba_zeroize(&out, sizeof(out));
	bsf_store_close(st);
	{
		double per = (double)(u1 - u0) / N, rw = (double)rawsum / N;
		double lp = p99(lat, N), rp = p99(raw, N);

		printf("store bytes/session, SQLite: %.0f B vs raw fields %.0f B: ratio %.2f "
		       "(target <= 3)\n", per, rw, per / rw);
		snprintf(v, sizeof(v), "%.0f B", per);
		snprintf(b, sizeof(b), "raw fields %.0f B", rw);
		table("bytes per stored session, SQLite", v, b, per / rw, "<= 3");
		printf("store lookup p99, SQLite: %.1f us vs raw prepared SELECT %.1f us: ratio %.2f "
		       "(target <= 2)\n", lp, rp, lp / rp);
		snprintf(v, sizeof(v), "%.1f us", lp);
		snprintf(b, sizeof(b), "raw SELECT %.1f us", rp);
		table("store lookup p99, SQLite", v, b, lp / rp, "<= 2");
		fails += per / rw > 3 || lp / rp > 2;
	}
	return fails;
}

static int port_free(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), p;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) || getsockname(s, (void *)&a, &len))
		abort();
	p = ntohs(a.sin_port);
	close(s);
	return p;
}

static long long redis_used(redisContext *c)
{
	redisReply *r = redisCommand(c, "INFO memory");
	long long v = -1;
	const char *p;

	if (r && r->type == REDIS_REPLY_STRING && (p = strstr(r->str, "used_memory:")))
		v = atoll(p + strlen("used_memory:"));
	freeReplyObject(r);
	return v;
}

static int bench_redis(struct bsf_session *s, double *lat, double *raw)
{
	char uri[128], path[300], v[64], b[64];
	struct timeval tv = { 1, 0 };
	struct bsf_store *st = NULL;
	struct bsf_session out;
	redisContext *c = NULL;
	long long u0, u1, one = 0;
	size_t rawsum = 0;
	time_t t = time(NULL);
	int port = port_free(), fails = 0;
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof(path), "%s/redis.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "bind 127.0.0.1\nport %d\ndir %s\nsave \"\"\nappendonly no\n"
		"daemonize no\nlogfile \"%s/redis.log\"\n", port, dir, dir);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		execl(REDIS_BIN, "redis-server", path, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && !c; i++) {
		usleep(25000);
		c = redisConnectWithTimeout("127.0.0.1", port, tv);
		if (c && c->err) {
			redisFree(c);
			c = NULL;
		}
	}
	snprintf(uri, sizeof(uri), "redis://127.0.0.1:%d/0", port);
	if (!c || bsf_store_open(&st, uri)) {
		fails = 1;
		goto out;
	}
	u0 = redis_used(c);
	for (int i = 0; i < N; i++) {
		if (st->ops->put_session(st, &s[i])) {
			fails = 1;
			goto out;
		}
		rawsum += raw_bytes(&s[i]);
	}
	u1 = redis_used(c);
	{
		redisReply *r = redisCommand(c, "MEMORY USAGE gba:sess:%s", s[0].btid);

		if (r && r->type == REDIS_REPLY_INTEGER)
			one += r->integer;
		freeReplyObject(r);
		r = redisCommand(c, "MEMORY USAGE gba:impi:%s", s[0].impi);
		if (r && r->type == REDIS_REPLY_INTEGER)
			one += r->integer;
		freeReplyObject(r);
	}
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < N; i++) {
			int k = rand() % N;
			double t0 = now_us();
			redisReply *rp;

			if (st->ops->get_session(st, s[k].btid, t, &out))
				fails++;
			lat[i] = now_us() - t0;
			t0 = now_us();
			rp = redisCommand(c, "GET gba:sess:%s", s[k].btid);
			if (!rp || rp->type != REDIS_REPLY_STRING)
				fails++;
			freeReplyObject(rp);
			raw[i] = now_us() - t0;
		}
	gba_zeroize(&out, sizeof(out));
	{
		double per = (double)(u1 - u0) / N, rw = (double)rawsum / N;
		double lp = p99(lat, N), rp = p99(raw, N);

		printf("store bytes/session, Redis: %.0f B used_memory (MEMORY USAGE of one session "
		       "+ IMPI key: %lld B) vs raw fields %.0f B: ratio %.2f (target <= 4)\n", per,
		       one, rw, per / rw);
		snprintf(v, sizeof(v), "%.0f B", per);
		snprintf(b, sizeof(b), "raw fields %.0f B", rw);
		table("bytes per stored session, Redis", v, b, per / rw, "<= 4");
		printf("store lookup p99, Redis: %.1f us vs raw hiredis GET %.1f us: ratio %.2f "
		       "(target <= 2)\n", lp, rp, lp / rp);
		snprintf(v, sizeof(v), "%.1f us", lp);
		snprintf(b, sizeof(b), "raw GET %.1f us", rp);
		table("store lookup p99, Redis", v, b, lp / rp, "<= 2");
		fails += per / rw > 4 || lp / rp > 2;
	}
out:
	bsf_store_close(st);
	if (c)
		redisFree(c);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return fails;
}

int main(void)
{
	static struct bsf_session s[N];
	static double lat[N], raw[N];
	time_t t = time(NULL);
	char cmd[300];
	int fails;

	gba_log_init("bench_store", GBA_LOG_STDERR);
	gba_log_set_level(GBA_LL_ERROR);
	if (!mkdtemp(dir))
		return 1;
	srand((unsigned int)t);
	for (unsigned int i = 0; i < N; i++)
		make_session(&s[i], i, t);
	fails = bench_sqlite(s, lat, raw);
	if (access(REDIS_BIN, X_OK))
		printf("bench_store: %s not installed: Redis skipped\n", REDIS_BIN);
	else
		fails += bench_redis(s, lat, raw);
	gba_zeroize(s, sizeof(s));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fails++;
	return fails ? 1 : 0;
}

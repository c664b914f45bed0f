/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Redis backend of the BSF store (store.h), through hiredis' synchronous API: one
 * connection per BSF process, serialised by a mutex (the callers are libmicrohttpd
 * threads), with a 200 ms connect and command timeout. Any transport failure drops the
 * connection and the operation returns -EIO at once; the next call reconnects, with a
 * backoff of 100 ms doubling to 2 s between failed attempts, so a restarted (or failed-over)
 * redis-server is picked up without restarting the BSF. Keys, all with an absolute expiry
 * (PXAT, Redis >= 6.2):
 *   gba:sess:<B-TID>  session record      gba:impi:<IMPI>  B-TID of the IMPI's session
 *   gba:chal:<nonce>  pending challenge   gba:sqn:<IMSI>   reserved SQN bound (no expiry)
 * A session and its IMPI pointer are written by one Lua script, which deletes the IMPI's
 * previous session; a challenge is taken with GETDEL, so a nonce is used once across every
 * BSF sharing the server; the SQN bound only ever grows (Lua max). Records are a small
 * versioned binary layout written by hand (fixed fields, length-prefixed strings) since no
 * library here serialises C structs; Ks arrives sealed by kek.c and is stored as such.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "store.h"

#define RS_TIMEOUT_MS	200
#define RS_BACKOFF_MIN	100
#define RS_BACKOFF_MAX	2000
#define RS_KEY_MAX	(16 + GBA_BTID_MAX + BSF_NONCE_MAX)
#define RS_REC_VERSION	1
#define RS_SESS_MAX	(1 + 2 + GBA_IMPI_MAX + GBA_RAND_LEN + BSF_KS_BLOB_LEN + 8 + 8 + 1)
#define RS_CHAL_MAX	(1 + 3 * 2 + GBA_IMPI_MAX + BSF_OPAQUE_MAX + BSF_URI_MAX + \
			 GBA_RAND_LEN + 1 + GBA_RES_MAX_LEN + GBA_CK_LEN + GBA_IK_LEN + 1 + 4 + 4 + 8)

/* KEYS[1] session, KEYS[2] IMPI pointer; ARGV[1] record, ARGV[2] expiry (ms), ARGV[3] B-TID */
static const char lua_put_session[] =
	"local old = redis.call('GET', KEYS[2])\n"
	"if old and old ~= ARGV[3] then redis.call('DEL', 'gba:sess:' .. old) end\n"
	"redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])\n"
	"redis.call('SET', KEYS[2], ARGV[3], 'PXAT', ARGV[2])\n"
	"return 1\n";

/* KEYS[1] SQN key; ARGV[1] bound: never lowered, whichever BSF writes last */
static const char lua_sqn_max[] =
	"local cur = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
	"if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end\n"
	"return 1\n";

struct store_redis {
	struct bsf_store base;
	pthread_mutex_t lock;
	redisContext *c;
	char host[256];
	int port;
	unsigned int db;
	char user[128];
	char pass[256];
	int64_t next_try;	/* monotonic ms before which we do not reconnect */
	unsigned int backoff;	/* ms, 0 after a success */
	bool down;		/* a failure was logged: log the recovery */
};

#define SR(st) ((struct store_redis *)(st))

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(struct store_redis *st)
{
	if (st->c)
		redisFree(st->c);
	st->c = NULL;
}

/* Free a reply, wiping string payloads first (challenges hold XRES/CK/IK). */
static void reply_free(redisReply *r)
{
	if (!r)
		return;
	if (r->type == REDIS_REPLY_STRING && r->str)
		gba_zeroize(r->str, r->len);
	freeReplyObject(r);
}

/* A reply error that means "this server cannot serve us now": reconnect. */
static bool err_is_unavailable(const redisReply *r)
{
	static const char *const pfx[] = { "READONLY", "LOADING", "MASTERDOWN", "NOAUTH",
					   "NOPERM", "WRONGPASS", "BUSY" };

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (!strncmp(r->str, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

/* AUTH and SELECT on a fresh connection. 0 or -EIO. */
static int conn_setup(struct store_redis *st)
{
	const char *argv[3];
	size_t len[3];
	redisReply *r;
	int n = 0;

	if (st->pass[0]) {
		argv[n++] = "AUTH";
		if (st->user[0])
			argv[n++] = st->user;
		argv[n++] = st->pass;
		for (int i = 0; i < n; i++)
			len[i] = strlen(argv[i]);
		r = redisCommandArgv(st->c, n, argv, len);
		if (!r || r->type == REDIS_REPLY_ERROR) {
			GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s:%d: AUTH failed: %s", st->host,
			      st->port, r ? r->str : st->c->errstr);
			freeReplyObject(r);
			return -EIO;
		}
		freeReplyObject(r);
	}
	if (st->db) {
		r = redisCommand(st->c, "SELECT %u", st->db);
		if (!r || r->type == REDIS_REPLY_ERROR) {
			GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s:%d: SELECT %u failed: %s",
			      st->host, st->port, st->db, r ? r->str : st->c->errstr);
			freeReplyObject(r);
			return -EIO;
		}
		freeReplyObject(r);
	}
	return 0;
}

/* A usable connection (caller holds the lock). 0, or -EIO while Redis is unreachable. */
static int conn_get(struct store_redis *st)
{
	struct timeval tv = { 0, RS_TIMEOUT_MS * 1000 };
	int64_t now;

	if (st->c)
		return 0;
	now = mono_ms();
	if (now < st->next_try)
		return -EIO;
	st->c = redisConnectWithTimeout(st->host, st->port, tv);
	if (!st->c || st->c->err || redisSetTimeout(st->c, tv) != REDIS_OK ||
	    redisEnableKeepAlive(st->c) != REDIS_OK || conn_setup(st)) {
		if (st->c && st->c->err && !st->backoff)
			GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s:%d: %s", st->host, st->port,
			      st->c->errstr);
		drop(st);
		st->down = true;
		st->backoff = st->backoff ? st->backoff * 2 : RS_BACKOFF_MIN;
		if (st->backoff > RS_BACKOFF_MAX)
			st->backoff = RS_BACKOFF_MAX;
		st->next_try = now + st->backoff;
		return -EIO;
	}
	if (st->down)
		GLOGP(GBA_LC_STORE, GBA_LL_NOTICE, "redis %s:%d: connected again", st->host,
		      st->port);
	st->backoff = 0;
	st->down = false;
	return 0;
}

/*
 * Run a command (caller holds the lock). Returns the reply, never an error reply; NULL
 * (the caller's -EIO) after a transport failure, which drops the connection, or an error
 * reply, which is logged.
 */
static redisReply *run(struct store_redis *st, int argc, const char **argv, const size_t *len,
		       const char *what)
{
	redisReply *r;

	if (conn_get(st))
		return NULL;
	r = redisCommandArgv(st->c, argc, argv, len);
	if (!r) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s: %s", what, st->c->errstr);
		drop(st);
		st->down = true;
		/* the next call tries once right away, then backs off */
		st->next_try = 0;
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s: %s", what, r->str);
		if (err_is_unavailable(r))
			drop(st);
		reply_free(r);
		return NULL;
	}
	return r;
}

static int mkkey(char *out, const char *prefix, const char *id, size_t max)
{
	if (!*id || strlen(id) > max)
		return -EINVAL;
	snprintf(out, RS_KEY_MAX, "gba:%s:%s", prefix, id);
	return 0;
}

/*
 * Read one key with GET or GETDEL. 0 with *rp the string reply (free with reply_free());
 * -ENOENT when the key is absent or 'id' cannot name one; -EBADMSG when the value is not a
 * string; -EIO when Redis failed (logged).
 */
static int read_key(struct store_redis *st, const char *cmd, const char *prefix, const char *id,
		    size_t max, const char *what, redisReply **rp)
{
	char key[RS_KEY_MAX];
	const char *argv[2] = { cmd, key };
	size_t len[2];
	redisReply *r;

	*rp = NULL;
	if (mkkey(key, prefix, id, max))
		return -ENOENT;
	len[0] = strlen(cmd);
	len[1] = strlen(key);
	pthread_mutex_lock(&st->lock);
	r = run(st, 2, argv, len, what);
	pthread_mutex_unlock(&st->lock);
	if (!r)
		return -EIO;
	if (r->type == REDIS_REPLY_NIL) {
		reply_free(r);
		return -ENOENT;
	}
	if (r->type != REDIS_REPLY_STRING) {
		reply_free(r);
		return -EBADMSG;
	}
	*rp = r;
	return 0;
}

/* ---------------------------------------------------------------- records */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
};

static void put_bytes(struct wbuf *w, const void *d, size_t n)
{
	if (w->len + n <= w->cap)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put_uint(struct wbuf *w, uint64_t v, unsigned int n)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	put_bytes(w, b, n);
}

static void put_str(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	put_uint(w, n, 2);
	put_bytes(w, s, n);
}

struct rbuf {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static const uint8_t *get_bytes(struct rbuf *r, size_t n)
{
	const uint8_t *p = r->p + r->off;

	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return NULL;
	}
	r->off += n;
	return p;
}

static uint64_t get_uint(struct rbuf *r, unsigned int n)
{
	const uint8_t *p = get_bytes(r, n);
	uint64_t v = 0;

	for (unsigned int i = 0; p && i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void get_fixed(struct rbuf *r, void *out, size_t n)
{
	const uint8_t *p = get_bytes(r, n);

	if (p)
		memcpy(out, p, n);
}

static void get_str(struct rbuf *r, char *out, size_t outlen)
{
	size_t n = (size_t)get_uint(r, 2);
	const uint8_t *p;

	if (n >= outlen) {
		r->bad = true;
		return;
	}
	p = get_bytes(r, n);
	if (!p)
		return;
	if (memchr(p, '\0', n)) {	/* put_str() never writes one: the record is damaged */
		r->bad = true;
		return;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

static size_t sess_encode(uint8_t *buf, const struct bsf_session *s)
{
	struct wbuf w = { buf, 0, RS_SESS_MAX };

	put_uint(&w, RS_REC_VERSION, 1);
	put_str(&w, s->impi);
	put_bytes(&w, s->rand, GBA_RAND_LEN);
	put_bytes(&w, s->ks_blob, BSF_KS_BLOB_LEN);
	put_uint(&w, (uint64_t)s->created, 8);
	put_uint(&w, (uint64_t)s->expires, 8);
	put_uint(&w, s->gba_u, 1);
	return w.len;
}

static int sess_decode(const uint8_t *p, size_t len, struct bsf_session *s)
{
	struct rbuf r = { p, len, 0, false };

	if (get_uint(&r, 1) != RS_REC_VERSION)
		return -EIO;
	get_str(&r, s->impi, sizeof(s->impi));
	get_fixed(&r, s->rand, GBA_RAND_LEN);
	get_fixed(&r, s->ks_blob, BSF_KS_BLOB_LEN);
	s->created = (time_t)(int64_t)get_uint(&r, 8);
	s->expires = (time_t)(int64_t)get_uint(&r, 8);
	s->gba_u = get_uint(&r, 1) != 0;
	return r.bad || r.off != len ? -EIO : 0;
}

static size_t chal_encode(uint8_t *buf, const struct bsf_challenge *c)
{
	struct wbuf w = { buf, 0, RS_CHAL_MAX };

	put_uint(&w, RS_REC_VERSION, 1);
	put_str(&w, c->impi);
	put_str(&w, c->opaque);
	put_str(&w, c->uri);
	put_bytes(&w, c->rand, GBA_RAND_LEN);
	put_uint(&w, c->xres_len, 1);
	put_bytes(&w, c->xres, c->xres_len);
	put_bytes(&w, c->ck, GBA_CK_LEN);
	put_bytes(&w, c->ik, GBA_IK_LEN);
	put_uint(&w, c->gba_u, 1);
	put_uint(&w, c->key_lifetime, 4);
	put_uint(&w, c->failures, 4);
	put_uint(&w, (uint64_t)c->expires, 8);
	return w.len;
}

static int chal_decode(const uint8_t *p, size_t len, struct bsf_challenge *c)
{
	struct rbuf r = { p, len, 0, false };

	if (get_uint(&r, 1) != RS_REC_VERSION)
		return -EIO;
	get_str(&r, c->impi, sizeof(c->impi));
	get_str(&r, c->opaque, sizeof(c->opaque));
	get_str(&r, c->uri, sizeof(c->uri));
	get_fixed(&r, c->rand, GBA_RAND_LEN);
	c->xres_len = (size_t)get_uint(&r, 1);
	if (c->xres_len > GBA_RES_MAX_LEN)
		return -EIO;
	get_fixed(&r, c->xres, c->xres_len);
	get_fixed(&r, c->ck, GBA_CK_LEN);
	get_fixed(&r, c->ik, GBA_IK_LEN);
	c->gba_u = get_uint(&r, 1) != 0;
	c->key_lifetime = (unsigned int)get_uint(&r, 4);
	c->failures = (unsigned int)get_uint(&r, 4);
	c->expires = (time_t)(int64_t)get_uint(&r, 8);
	return r.bad || r.off != len ? -EIO : 0;
}

/* ---------------------------------------------------------------- operations */

static int put_session(struct bsf_store *bst, const struct bsf_session *s)
{
	struct store_redis *st = SR(bst);
	char skey[RS_KEY_MAX], ikey[RS_KEY_MAX], exp[24];
	uint8_t rec[RS_SESS_MAX];
	const char *argv[8];
	size_t len[8];
	redisReply *r;

	if (mkkey(skey, "sess", s->btid, GBA_BTID_MAX) ||
	    mkkey(ikey, "impi", s->impi, GBA_IMPI_MAX))
		return -EIO;
	snprintf(exp, sizeof(exp), "%" PRId64, (int64_t)s->expires * 1000);
	argv[0] = "EVAL";
	argv[1] = lua_put_session;
	argv[2] = "2";
	argv[3] = skey;
	argv[4] = ikey;
	len[5] = sess_encode(rec, s);
	argv[5] = (const char *)rec;
	argv[6] = exp;
	argv[7] = s->btid;
	for (int i = 0; i < 8; i++)
		if (i != 5)
			len[i] = strlen(argv[i]);
	pthread_mutex_lock(&st->lock);
	r = run(st, 8, argv, len, "put session");
	pthread_mutex_unlock(&st->lock);
	gba_zeroize(rec, sizeof(rec));
	freeReplyObject(r);
	return r ? 0 : -EIO;
}

static int get_session(struct bsf_store *bst, const char *btid, time_t now, struct bsf_session *out)
{
	redisReply *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_key(SR(bst), "GET", "sess", btid, GBA_BTID_MAX, "get session", &r);
	if (rc == 0 && sess_decode((const uint8_t *)r->str, r->len, out))
		rc = -EBADMSG;
	if (rc == -EBADMSG) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "session %s: corrupt record", btid);
		rc = -EIO;
	} else if (rc == 0) {
		strcpy(out->btid, btid);
		rc = out->expires > now ? 0 : -ENOENT;
	}
	reply_free(r);
	if (rc)
		gba_zeroize(out, sizeof(*out));
	return rc;
}

static int put_challenge(struct bsf_store *bst, const struct bsf_challenge *c)
{
	struct store_redis *st = SR(bst);
	char key[RS_KEY_MAX], exp[24];
	uint8_t rec[RS_CHAL_MAX];
	const char *argv[6];
	size_t len[6];
	redisReply *r;
	int rc;

	if (mkkey(key, "chal", c->nonce, BSF_NONCE_MAX) || c->xres_len > GBA_RES_MAX_LEN)
		return -EIO;
	snprintf(exp, sizeof(exp), "%" PRId64, (int64_t)c->expires * 1000);
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = (const char *)rec;
	len[2] = chal_encode(rec, c);
	argv[3] = "PXAT";
	argv[4] = exp;
	argv[5] = "NX";
	for (int i = 0; i < 6; i++)
		if (i != 2)
			len[i] = strlen(argv[i]);
	pthread_mutex_lock(&st->lock);
	r = run(st, 6, argv, len, "put challenge");
	pthread_mutex_unlock(&st->lock);
	gba_zeroize(rec, sizeof(rec));
	if (!r)
		return -EIO;
	rc = r->type == REDIS_REPLY_NIL ? -EEXIST : 0;
	freeReplyObject(r);
	return rc;
}

static int take_challenge(struct bsf_store *bst, const char *nonce, time_t now,
			  struct bsf_challenge *out)
{
	redisReply *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_key(SR(bst), "GETDEL", "chal", nonce, BSF_NONCE_MAX, "take challenge", &r);
	if (rc == 0 && chal_decode((const uint8_t *)r->str, r->len, out))
		rc = -EBADMSG;
	if (rc == -EBADMSG) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "challenge: corrupt record");
		rc = -EIO;
	} else if (rc == 0) {
		strcpy(out->nonce, nonce);
		rc = out->expires > now ? 0 : -ETIME;
	}
	reply_free(r);
	if (rc && rc != -ETIME)
		gba_zeroize(out, sizeof(*out));
	return rc;
}

/*
 * A stored SQN bound: decimal digits only (strtoull() alone would take " -1" as 2^64 - 1).
 * 0 with *out set, or -EBADMSG.
 */
static int sqn_decode(const char *p, size_t len, uint64_t *out)
{
	char num[24], *end;

	if (!len || len >= sizeof(num))
		return -EBADMSG;
	memcpy(num, p, len);
	num[len] = '\0';
	if (strspn(num, "0123456789") != len)
		return -EBADMSG;
	errno = 0;
	*out = strtoull(num, &end, 10);
	return errno || *end ? -EBADMSG : 0;
}

static int sqn_get(struct bsf_store *bst, const char *keyid, uint64_t *reserved)
{
	redisReply *r;
	int rc;

	rc = read_key(SR(bst), "GET", "sqn", keyid, GBA_IMPI_MAX, "get sqn", &r);
	if (rc == 0)
		rc = sqn_decode(r->str, r->len, reserved);
	if (rc == -EBADMSG) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "SQN of %s: corrupt record", keyid);
		rc = -EIO;
	}
	reply_free(r);
	return rc;
}

static int sqn_reserve(struct bsf_store *bst, const char *keyid, uint64_t reserved)
{
	struct store_redis *st = SR(bst);
	char key[RS_KEY_MAX], num[24];
	const char *argv[5] = { "EVAL", lua_sqn_max, "1", key, num };
	size_t len[5];
	redisReply *r;

	if (mkkey(key, "sqn", keyid, GBA_IMPI_MAX))
		return -EIO;
	snprintf(num, sizeof(num), "%" PRIu64, reserved);
	for (int i = 0; i < 5; i++)
		len[i] = strlen(argv[i]);
	pthread_mutex_lock(&st->lock);
	r = run(st, 5, argv, len, "reserve sqn");
	pthread_mutex_unlock(&st->lock);
	freeReplyObject(r);
	return r ? 0 : -EIO;
}

/* Redis expires every record itself (PXAT). */
static int purge(struct bsf_store *bst, time_t now)
{
	return 0;
}

/* SCAN in steps, the lock released between them so that Ub is not held up. */
static int count_sessions(struct bsf_store *bst, time_t now)
{
	struct store_redis *st = SR(bst);
	char cursor[32] = "0";
	const char *argv[6] = { "SCAN", cursor, "MATCH", "gba:sess:*", "COUNT", "1000" };
	size_t len[6];
	long long n = 0;

	do {
		redisReply *r;

		for (int i = 0; i < 6; i++)
			len[i] = strlen(argv[i]);
		pthread_mutex_lock(&st->lock);
		r = run(st, 6, argv, len, "count sessions");
		pthread_mutex_unlock(&st->lock);
		if (!r)
			return -EIO;
		if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
		    r->element[0]->type != REDIS_REPLY_STRING ||
		    r->element[0]->len >= sizeof(cursor) ||
		    r->element[1]->type != REDIS_REPLY_ARRAY) {
			freeReplyObject(r);
			return -EIO;
		}
		memcpy(cursor, r->element[0]->str, r->element[0]->len);
		cursor[r->element[0]->len] = '\0';
		n += (long long)r->element[1]->elements;
		freeReplyObject(r);
	} while (strcmp(cursor, "0"));
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

static void store_close(struct bsf_store *bst)
{
	struct store_redis *st = SR(bst);

	drop(st);
	pthread_mutex_destroy(&st->lock);
	gba_zeroize(st->pass, sizeof(st->pass));
	free(st);
}

static const struct bsf_store_ops redis_ops = {
	.put_session = put_session,
	.get_session = get_session,
	.put_challenge = put_challenge,
	.take_challenge = take_challenge,
	.sqn_get = sqn_get,
	.sqn_reserve = sqn_reserve,
	.purge = purge,
	.count_sessions = count_sessions,
	.close = store_close,
};

/* "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]", HOST a name, IPv4 or [IPv6]. */
static int parse_uri(struct store_redis *st, const char *uri)
{
	const char *p = uri + 8, *at, *hend, *end;
	char *e;
	unsigned long v;

	if (strncmp(uri, "redis://", 8))
		return -EINVAL;
	st->port = 6379;
	end = p + strcspn(p, "/");
	at = memchr(p, '@', (size_t)(end - p));
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));

		if (!colon || (size_t)(colon - p) >= sizeof(st->user) ||
		    (size_t)(at - colon - 1) >= sizeof(st->pass) || at == colon + 1)
			return -EINVAL;
		memcpy(st->user, p, (size_t)(colon - p));
		memcpy(st->pass, colon + 1, (size_t)(at - colon - 1));
		p = at + 1;
	}
	if (*p == '[') {
		hend = memchr(p, ']', (size_t)(end - p));
		if (!hend)
			return -EINVAL;
		p++;
	} else {
		hend = memchr(p, ':', (size_t)(end - p));
		if (!hend)
			hend = end;
	}
	if (hend == p || (size_t)(hend - p) >= sizeof(st->host))
		return -EINVAL;
	memcpy(st->host, p, (size_t)(hend - p));
	if (*hend == ']')
		hend++;
	if (hend < end) {
		if (*hend != ':' || hend + 1 == end)
			return -EINVAL;
		errno = 0;
		v = strtoul(hend + 1, &e, 10);
		if (errno || e != end || !v || v > 65535 || hend[1] == '-' || hend[1] == '+')
			return -EINVAL;
		st->port = (int)v;
	}
	if (*end == '/' && end[1]) {
		errno = 0;
		v = strtoul(end + 1, &e, 10);
		if (errno || *e || v > 65535 || end[1] == '-' || end[1] == '+')
			return -EINVAL;
		st->db = (unsigned int)v;
	}
	return 0;
}

/* Tell the operator what a Redis failure would do to SQN reservations. */
static void check_persistence(struct store_redis *st)
{
	redisReply *r = redisCommand(st->c, "CONFIG GET appendonly");
	bool aof = false;

	if (!r)
		return;
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[1]->type == REDIS_REPLY_STRING)
		aof = !strcmp(r->element[1]->str, "yes");
	else
		aof = true;	/* CONFIG refused (ACL): nothing to say */
	freeReplyObject(r);
	if (!aof)
		GLOGP(GBA_LC_STORE, GBA_LL_NOTICE, "redis %s:%d has appendonly no: SQN "
		      "reservations are lost if it restarts (see doc/redis.md)", st->host,
		      st->port);
}

int bsf_store_redis_open(struct bsf_store **out, const char *uri)
{
	struct store_redis *st;
	int rc;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->base.ops = &redis_ops;
	rc = parse_uri(st, uri);
	if (rc) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "bad store URI (expected "
		      "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB])");
		gba_zeroize(st, sizeof(*st));
		free(st);
		return rc;
	}
	pthread_mutex_init(&st->lock, NULL);
	/*
	 * The first connection must work: the AuC reads every subscriber's SQN bound right
	 * after this, and starting from the profiles' SQN instead would reuse SQNs.
	 */
	if (conn_get(st)) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "redis %s:%d unreachable", st->host, st->port);
		store_close(&st->base);
		return -EIO;
	}
	check_persistence(st);
	GLOGP(GBA_LC_STORE, GBA_LL_INFO, "store redis %s:%d db %u open", st->host, st->port,
	      st->db);
	*out = &st->base;
	return 0;
}

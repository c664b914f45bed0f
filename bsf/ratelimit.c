/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Brute-force limiter of Ub (ratelimit.h). A table is a preallocated array of entries,
 * a bucket array of chains and a least-recently-failed list, all by index, under one
 * mutex: no allocation after bsf_rl_new(), so a flood of new keys only evicts the oldest
 * ones. Keys are stored as their 128-bit SipHash under a random per-table key (OpenSSL
 * EVP_MAC), which also spreads them over the buckets so that no one can aim collisions
 * at a chain. An empty table is checked without taking the lock (the path of a BSF that
 * sees no failures). Unknown IMPIs only count against the address: they are no one's
 * account, and tracking them per IMPI would let a prober flush the real entries.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "ratelimit.h"

#define NIL	UINT32_MAX

struct rl_entry {
	uint64_t fp[2];			/* SipHash-2-4-128 of the key */
	uint32_t next;			/* bucket chain */
	uint32_t older, newer;		/* least-recently-failed list */
	uint32_t failures;		/* in the current window */
	uint32_t backoff;		/* last block's length, 0: never blocked */
	int64_t window_start, last_failure, blocked_until;	/* ms */
};

struct bsf_rl {
	struct bsf_rl_params p;
	pthread_mutex_t lock;
	EVP_MAC_CTX *mac;
	struct rl_entry *e;
	uint32_t *bucket;
	uint32_t mask;			/* buckets - 1 */
	uint32_t n_used;		/* entries 0..n_used-1 have been handed out */
	uint32_t free_list;		/* cleared entries, chained by 'next' */
	uint32_t oldest, newest;
	size_t count;			/* atomic reads outside the lock */
};

int bsf_rl_new(struct bsf_rl **out, const struct bsf_rl_params *p)
{
	struct bsf_rl *rl;
	EVP_MAC *m;
	uint8_t key[16];
	size_t out_size = 16, nb = 1;
	OSSL_PARAM prm[] = { OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &out_size),
			     OSSL_PARAM_construct_end() };
	int rc = -EIO;

	if (!p->failures || !p->window || !p->backoff || p->max_backoff < p->backoff ||
	    !p->entries || p->entries >= NIL / 2)
		return -EINVAL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return -ENOMEM;
	rl->p = *p;
	while (nb < p->entries)
		nb <<= 1;
	rl->mask = (uint32_t)nb - 1;
	rl->e = calloc(p->entries, sizeof(*rl->e));
	rl->bucket = malloc(nb * sizeof(*rl->bucket));
	if (!rl->e || !rl->bucket) {
		rc = -ENOMEM;
		goto fail;
	}
	memset(rl->bucket, 0xff, nb * sizeof(*rl->bucket));
	rl->free_list = rl->oldest = rl->newest = NIL;
	m = EVP_MAC_fetch(NULL, "SIPHASH", NULL);
	rl->mac = m ? EVP_MAC_CTX_new(m) : NULL;
	EVP_MAC_free(m);
	if (!rl->mac || gba_random(key, sizeof(key)) ||
	    !EVP_MAC_init(rl->mac, key, sizeof(key), prm))
		goto fail;
	gba_zeroize(key, sizeof(key));
	pthread_mutex_init(&rl->lock, NULL);
	*out = rl;
	return 0;
fail:
	gba_zeroize(key, sizeof(key));
	EVP_MAC_CTX_free(rl->mac);
	free(rl->bucket);
	free(rl->e);
	free(rl);
	return rc;
}

void bsf_rl_free(struct bsf_rl *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	EVP_MAC_CTX_free(rl->mac);
	free(rl->bucket);
	free(rl->e);
	free(rl);
}

/* under the lock */
static int fingerprint(struct bsf_rl *rl, uint64_t fp[2], const void *key, size_t len)
{
	uint8_t h[16];
	size_t n = 0;

	if (!EVP_MAC_init(rl->mac, NULL, 0, NULL) || !EVP_MAC_update(rl->mac, key, len) ||
	    !EVP_MAC_final(rl->mac, h, &n, sizeof(h)) || n != sizeof(h))
		return -EIO;
	memcpy(fp, h, sizeof(h));
	return 0;
}

static uint32_t *slot_of(struct bsf_rl *rl, const uint64_t fp[2], uint32_t *idx)
{
	uint32_t *s = &rl->bucket[fp[0] & rl->mask];

	for (; *s != NIL; s = &rl->e[*s].next)
		if (rl->e[*s].fp[0] == fp[0] && rl->e[*s].fp[1] == fp[1])
			break;
	*idx = *s;
	return s;
}

static void lru_unlink(struct bsf_rl *rl, uint32_t i)
{
	struct rl_entry *e = &rl->e[i];

	if (e->older != NIL)
		rl->e[e->older].newer = e->newer;
	else
		rl->oldest = e->newer;
	if (e->newer != NIL)
		rl->e[e->newer].older = e->older;
	else
		rl->newest = e->older;
}

static void lru_push(struct bsf_rl *rl, uint32_t i)
{
	struct rl_entry *e = &rl->e[i];

	e->older = rl->newest;
	e->newer = NIL;
	if (rl->newest != NIL)
		rl->e[rl->newest].newer = i;
	else
		rl->oldest = i;
	rl->newest = i;
}

/* Remove entry i, whose chain link is *slot. */
static void drop(struct bsf_rl *rl, uint32_t *slot, uint32_t i)
{
	*slot = rl->e[i].next;
	lru_unlink(rl, i);
	rl->e[i].next = rl->free_list;
	rl->free_list = i;
	__atomic_store_n(&rl->count, rl->count - 1, __ATOMIC_RELAXED);
}

/* Forgotten: neither a failure nor a block for a whole window. */
static bool stale(const struct bsf_rl *rl, const struct rl_entry *e, int64_t now)
{
	int64_t last = e->last_failure > e->blocked_until ? e->last_failure : e->blocked_until;

	return now - last >= (int64_t)rl->p.window * 1000;
}

unsigned int bsf_rl_check(struct bsf_rl *rl, const void *key, size_t len, int64_t now)
{
	uint64_t fp[2];
	uint32_t i, *slot;
	unsigned int wait = 0;

	if (!rl || !__atomic_load_n(&rl->count, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&rl->lock);
	if (fingerprint(rl, fp, key, len) == 0) {
		slot = slot_of(rl, fp, &i);
		if (i != NIL && stale(rl, &rl->e[i], now))
			drop(rl, slot, i);
		else if (i != NIL && rl->e[i].blocked_until > now)
			wait = (unsigned int)((rl->e[i].blocked_until - now + 999) / 1000);
	}
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

/* A free entry: a cleared one, a never used one, or the least recently failed one. */
static uint32_t take_entry(struct bsf_rl *rl)
{
	uint32_t i, j, *slot;

	if (rl->free_list != NIL) {
		i = rl->free_list;
		rl->free_list = rl->e[i].next;
	} else if (rl->n_used < rl->p.entries) {
		i = rl->n_used++;
	} else {
		i = rl->oldest;
		slot = slot_of(rl, rl->e[i].fp, &j);
		drop(rl, slot, i);
		i = rl->free_list;
		rl->free_list = rl->e[i].next;
	}
	return i;
}

unsigned int bsf_rl_fail(struct bsf_rl *rl, const void *key, size_t len, int64_t now)
{
	uint64_t fp[2];
	uint32_t i, *slot;
	struct rl_entry *e;
	unsigned int block = 0;

	if (!rl)
		return 0;
	pthread_mutex_lock(&rl->lock);
	if (fingerprint(rl, fp, key, len))
		goto out;
	slot = slot_of(rl, fp, &i);
	if (i != NIL && stale(rl, &rl->e[i], now)) {
		drop(rl, slot, i);
		i = NIL;
	}
	if (i == NIL) {
		i = take_entry(rl);
		e = &rl->e[i];
		memset(e, 0, sizeof(*e));
		memcpy(e->fp, fp, sizeof(e->fp));
		e->window_start = now;
		e->next = rl->bucket[fp[0] & rl->mask];
		rl->bucket[fp[0] & rl->mask] = i;
		__atomic_store_n(&rl->count, rl->count + 1, __ATOMIC_RELAXED);
	} else {
		lru_unlink(rl, i);
	}
	lru_push(rl, i);
	e = &rl->e[i];
	if (now - e->window_start >= (int64_t)rl->p.window * 1000) {
		e->window_start = now;
		e->failures = 0;
	}
	e->failures++;
	e->last_failure = now;
	if (e->blocked_until > now) {
		/* a request that passed the check before the block: counted, no escalation */
	} else if (e->backoff) {
		e->backoff = e->backoff * 2 > rl->p.max_backoff ? rl->p.max_backoff
							       : e->backoff * 2;
		block = e->backoff;
	} else if (e->failures >= rl->p.failures) {
		block = e->backoff = rl->p.backoff;
	}
	if (block)
		e->blocked_until = now + (int64_t)block * 1000;
out:
	pthread_mutex_unlock(&rl->lock);
	return block;
}

void bsf_rl_clear(struct bsf_rl *rl, const void *key, size_t len)
{
	uint64_t fp[2];
	uint32_t i, *slot;

	if (!rl || !__atomic_load_n(&rl->count, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&rl->lock);
	if (fingerprint(rl, fp, key, len) == 0) {
		slot = slot_of(rl, fp, &i);
		if (i != NIL)
			drop(rl, slot, i);
	}
	pthread_mutex_unlock(&rl->lock);
}

size_t bsf_rl_count(struct bsf_rl *rl)
{
	return rl ? __atomic_load_n(&rl->count, __ATOMIC_RELAXED) : 0;
}

/* ---------------------------------------------------------------- the Ub limiter */

struct bsf_ratelimit {
	struct bsf_rl *impi, *addr;
};

int bsf_ratelimit_new(struct bsf_ratelimit **out, const struct bsf_rl_params *per_impi,
		      const struct bsf_rl_params *per_addr)
{
	struct bsf_ratelimit *r;
	int rc = 0;

	*out = NULL;
	if (!per_impi->failures && !per_addr->failures)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (per_impi->failures)
		rc = bsf_rl_new(&r->impi, per_impi);
	if (!rc && per_addr->failures)
		rc = bsf_rl_new(&r->addr, per_addr);
	if (rc) {
		bsf_ratelimit_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void bsf_ratelimit_free(struct bsf_ratelimit *r)
{
	if (!r)
		return;
	bsf_rl_free(r->impi);
	bsf_rl_free(r->addr);
	free(r);
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The address key: family and address, IPv6 cut to its /64 (one subscriber's prefix). */
static size_t addr_key(uint8_t k[17], const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		k[0] = 4;
		memcpy(k + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 5;
	}
	if (sa->sa_family == AF_INET6) {
		const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a)) {
			k[0] = 4;
			memcpy(k + 1, a + 12, 4);
			return 5;
		}
		k[0] = 6;
		memcpy(k + 1, a, 8);
		return 9;
	}
	return 0;
}

static void set_gauges(struct bsf_ratelimit *r)
{
	bsf_metrics_ratelimit_entries(false, (long)bsf_rl_count(r->impi));
	bsf_metrics_ratelimit_entries(true, (long)bsf_rl_count(r->addr));
}

unsigned int bsf_ratelimit_check(struct bsf_ratelimit *r, const char *impi,
				 const struct sockaddr *peer)
{
	uint8_t k[17];
	size_t kl;
	int64_t now;
	unsigned int w = 0;

	if (!r)
		return 0;
	now = now_ms();
	kl = addr_key(k, peer);
	if (kl && (w = bsf_rl_check(r->addr, k, kl, now))) {
		bsf_metrics_ratelimit(true, true);
	} else if (impi && *impi && (w = bsf_rl_check(r->impi, impi, strlen(impi), now))) {
		bsf_metrics_ratelimit(false, true);
	}
	if (w)
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: too many failed authentications, "
		      "429 for %u s", impi && *impi ? impi : "-", w);
	return w;
}

void bsf_ratelimit_note(struct bsf_ratelimit *r, const char *impi, const struct sockaddr *peer,
			enum bsf_ub_reason why)
{
	uint8_t k[17];
	size_t kl;
	int64_t now;
	unsigned int b;
	bool per_impi = true;

	if (!r)
		return;
	switch (why) {
	case UB_R_OK:
		if (impi && *impi) {
			bsf_rl_clear(r->impi, impi, strlen(impi));
			set_gauges(r);
		}
		return;
	case UB_R_UNKNOWN:
		per_impi = false;
		break;
	case UB_R_WRONG_RES:
	case UB_R_TOO_MANY:
	case UB_R_MAC_FAILURE:
	case UB_R_RESYNC_REFUSED:
		break;
	default:
		return;
	}
	now = now_ms();
	kl = addr_key(k, peer);
	if (kl && (b = bsf_rl_fail(r->addr, k, kl, now))) {
		bsf_metrics_ratelimit(true, false);
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "source of IMPI %s: failed authentications "
		      "blocked for %u s", impi && *impi ? impi : "-", b);
	}
	if (per_impi && impi && *impi && (b = bsf_rl_fail(r->impi, impi, strlen(impi), now))) {
		bsf_metrics_ratelimit(false, false);
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: failed authentications, blocked for "
		      "%u s", impi, b);
	}
	set_gauges(r);
}

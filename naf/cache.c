/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAF key cache: Zn answers keyed by (B-TID, NAF_Id), bounded (least recently used
 * entry evicted), expiry-aware (an entry lives until the key's lifetime ends; negative
 * entries for unknown B-TIDs a few seconds), one mutex. Evicted keys are wiped.
 * A small chained hash table with an LRU list: no library here offers one with wiping.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/identity.h>

#include "naf_priv.h"

struct naf_entry {
	struct naf_entry *hnext;		/* hash chain */
	struct naf_entry *prev, *next;		/* LRU list */
	uint32_t hash;
	char btid[GBA_BTID_MAX + 1];
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;
	time_t until;				/* key expiry, or end of a negative entry */
	int rc;					/* < 0: negative entry */
	struct gba_zn_answer a;
};

/* FNV-1a over the B-TID and NAF_Id. */
static uint32_t key_hash(const char *btid, const uint8_t *naf_id, size_t nlen)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; btid[i]; i++)
		h = (h ^ (uint8_t)btid[i]) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (i = 0; i < nlen; i++)
		h = (h ^ naf_id[i]) * 16777619u;
	return h;
}

int naf_cache_init(struct naf_cache *c, unsigned int max)
{
	unsigned int nb = 16;

	memset(c, 0, sizeof(*c));
	while (nb < max && nb < (1u << 24))
		nb <<= 1;
	c->buckets = calloc(nb, sizeof(*c->buckets));
	if (!c->buckets)
		return -ENOMEM;
	c->nbuckets = nb;
	c->max = max;
	pthread_mutex_init(&c->lock, NULL);
	return 0;
}

static void lru_unlink(struct naf_cache *c, struct naf_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct naf_cache *c, struct naf_entry *e)
{
	e->prev = NULL;
	e->next = c->lru_head;
	if (c->lru_head)
		c->lru_head->prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

/* Unlink from both lists, wipe and free. Lock held. */
static void entry_drop(struct naf_cache *c, struct naf_entry *e)
{
	struct naf_entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	c->count--;
	gba_zn_answer_clear(&e->a);
	gba_zeroize(e, sizeof(*e));
	free(e);
}

void naf_cache_destroy(struct naf_cache *c)
{
	while (c->lru_head)
		entry_drop(c, c->lru_head);
	free(c->buckets);
	c->buckets = NULL;
	pthread_mutex_destroy(&c->lock);
}

static struct naf_entry *find(struct naf_cache *c, uint32_t h, const char *btid,
			      const uint8_t *naf_id, size_t nlen)
{
	struct naf_entry *e;

	for (e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->naf_id_len == nlen && !memcmp(e->naf_id, naf_id, nlen) &&
		    !strcmp(e->btid, btid))
			return e;
	return NULL;
}

/* A copy of an answer; the USS is duplicated. 0 or -ENOMEM. */
static int answer_copy(struct gba_zn_answer *dst, const struct gba_zn_answer *src)
{
	*dst = *src;
	dst->uss = NULL;
	if (src->uss) {
		dst->uss = strdup(src->uss);
		if (!dst->uss) {
			gba_zn_answer_clear(dst);
			return -ENOMEM;
		}
	}
	return 0;
}

int naf_cache_get(struct naf_cache *c, const char *btid, const uint8_t *naf_id, size_t nlen,
		  time_t now, struct gba_zn_answer *a)
{
	uint32_t h = key_hash(btid, naf_id, nlen);
	struct naf_entry *e;
	int rc = 0;

	pthread_mutex_lock(&c->lock);
	e = find(c, h, btid, naf_id, nlen);
	if (e && e->until <= now) {
		entry_drop(c, e);
		e = NULL;
	}
	if (!e) {
		c->st.misses++;
	} else if (e->rc < 0) {
		c->st.negative_hits++;
		rc = e->rc;
	} else {
		c->st.hits++;
		lru_unlink(c, e);
		lru_push(c, e);
		rc = answer_copy(a, &e->a) ? 0 : 1;	/* no memory: ask Zn */
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void naf_cache_put(struct naf_cache *c, const char *btid, const uint8_t *naf_id, size_t nlen,
		   const struct gba_zn_answer *a, int rc, time_t until)
{
	uint32_t h = key_hash(btid, naf_id, nlen);
	struct naf_entry *e, *old;

	if (strlen(btid) > GBA_BTID_MAX || nlen > GBA_NAF_ID_MAX || !c->max)
		return;
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	if (a && answer_copy(&e->a, a)) {
		free(e);
		return;
	}
	e->hash = h;
	strcpy(e->btid, btid);
	memcpy(e->naf_id, naf_id, nlen);
	e->naf_id_len = nlen;
	e->until = until;
	e->rc = a ? 0 : rc;

	pthread_mutex_lock(&c->lock);
	old = find(c, h, btid, naf_id, nlen);
	if (old)
		entry_drop(c, old);
	while (c->count >= c->max && c->lru_tail) {
		entry_drop(c, c->lru_tail);
		c->st.evictions++;
	}
	e->hnext = c->buckets[h & (c->nbuckets - 1)];
	c->buckets[h & (c->nbuckets - 1)] = e;
	lru_push(c, e);
	c->count++;
	pthread_mutex_unlock(&c->lock);
}

void naf_cache_flush(struct naf_cache *c, const char *btid)
{
	struct naf_entry *e, *next;

	pthread_mutex_lock(&c->lock);
	for (e = c->lru_head; e; e = next) {
		next = e->next;
		if (!btid || !strcmp(e->btid, btid))
			entry_drop(c, e);
	}
	pthread_mutex_unlock(&c->lock);
}

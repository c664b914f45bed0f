/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The in-memory table of pending Ub challenges (chal_table.h): libosmocore's statically
 * sized hash table (hashtable.h, 2^16 chains) keyed by OpenSSL's string hash of the nonce,
 * one heap entry per challenge, one mutex. Nonces are made by the BSF (random RAND and
 * server data), so chains stay short; a looked-up nonce is only compared, never inserted.
 * Entries are wiped before they are freed: nothing else ever holds XRES, CK or IK.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/lhash.h>
#include <osmocom/core/hashtable.h>
#include <osmocom/core/utils.h>

#include <gba/keys.h>

#include "chal_table.h"

struct chal_entry {
	struct hlist_node node;
	unsigned long hash;
	struct bsf_challenge c;
};

struct bsf_chal_table {
	pthread_mutex_t lock;
	size_t n, max;
	DECLARE_HASHTABLE(chains, 16);
};

struct bsf_chal_table *bsf_chal_table_new(size_t max)
{
	struct bsf_chal_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	t->max = max ? max : BSF_CHAL_TABLE_MAX;
	hash_init(t->chains);
	return t;
}

static void entry_free(struct bsf_chal_table *t, struct chal_entry *e)
{
	hash_del(&e->node);
	t->n--;
	gba_zeroize(e, sizeof(*e));
	free(e);
}

void bsf_chal_table_free(struct bsf_chal_table *t)
{
	struct chal_entry *e;
	struct hlist_node *tmp;
	unsigned int bkt;

	if (!t)
		return;
	hash_for_each_safe(t->chains, bkt, tmp, e, node)
		entry_free(t, e);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* The entry of 'nonce' with hash 'h', or NULL. Called with the lock held. */
static struct chal_entry *find(struct bsf_chal_table *t, const char *nonce, unsigned long h)
{
	struct chal_entry *e;

	hash_for_each_possible(t->chains, e, node, h)
		if (e->hash == h && !strcmp(e->c.nonce, nonce))
			return e;
	return NULL;
}

int bsf_chal_table_put(struct bsf_chal_table *t, const struct bsf_challenge *c)
{
	unsigned long h = OPENSSL_LH_strhash(c->nonce);
	struct chal_entry *e;
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	if (find(t, c->nonce, h)) {
		rc = -EEXIST;
	} else if (t->n >= t->max || !(e = malloc(sizeof(*e)))) {
		rc = -ENOSPC;
	} else {
		e->hash = h;
		e->c = *c;
		hash_add(t->chains, &e->node, h);
		t->n++;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int bsf_chal_table_take(struct bsf_chal_table *t, const char *nonce, time_t now,
			struct bsf_challenge *out)
{
	unsigned long h;
	struct chal_entry *e;
	int rc = -ENOENT;

	memset(out, 0, sizeof(*out));
	if (strlen(nonce) > BSF_NONCE_MAX)
		return -ENOENT;
	h = OPENSSL_LH_strhash(nonce);
	pthread_mutex_lock(&t->lock);
	e = find(t, nonce, h);
	if (e) {
		*out = e->c;
		entry_free(t, e);
		rc = out->expires <= now ? -ETIME : 0;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int bsf_chal_table_purge(struct bsf_chal_table *t, time_t now)
{
	struct chal_entry *e;
	struct hlist_node *tmp;
	unsigned int bkt;
	int n = 0;

	pthread_mutex_lock(&t->lock);
	hash_for_each_safe(t->chains, bkt, tmp, e, node)
		if (e->c.expires <= now) {
			entry_free(t, e);
			n++;
		}
	pthread_mutex_unlock(&t->lock);
	return n;
}

size_t bsf_chal_table_count(struct bsf_chal_table *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->n;
	pthread_mutex_unlock(&t->lock);
	return n;
}

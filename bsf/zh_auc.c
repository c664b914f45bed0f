/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in AuC behind the Zh interface (zh.h): subscriber profiles from sim-profiles,
 * found by the profile's or the IMSI-derived IMPI (subs.c), vectors from libosmocore
 * via gba_auc_gen_vector()/gba_auc_resync() with RAND from gba_random().
 *
 * SQN durability without one fsync per vector: the store keeps, per IMSI, an SQN bound
 * that no handed-out vector exceeds. When a vector would pass it, the bound moves
 * 'reserve' steps ahead (one synchronous=FULL write) before the vector leaves. After a
 * crash the AuC continues past the bound: the card sees a jump forward, which TS 33.102
 * Annex C accepts, and never an SQN twice.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gba/aka.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "subs.h"
#include "zh.h"

#define SQN_MAX		((UINT64_C(1) << 48) - 1)

struct zh_auc {
	struct zh base;
	struct bsf_store *store;
	char *path;
	unsigned int reserve;
	pthread_mutex_t lock;
	struct bsf_subs *tab;
};

#define AUC(z) ((struct zh_auc *)(z))

/* Build a table from the profiles at 'path', SQN state from the store. */
static int table_load(struct zh_auc *auc, struct bsf_subs **out)
{
	struct bsf_subs *t;
	int rc;

	rc = bsf_subs_load(&t, auc->path, true, "subscribers");
	if (rc)
		return rc;
	for (size_t i = 0; i < t->n; i++) {
		struct bsf_sub *s = &t->s[i];
		uint64_t stored;

		rc = auc->store->ops->sqn_get(auc->store, s->imsi, &stored);
		if (rc == 0) {
			/* anything up to the stored bound may have been used before a crash */
			if (stored > s->auc.sqn)
				s->auc.sqn = stored;
			s->reserved = stored;
		} else if (rc != -ENOENT) {
			/* without the stored bound an SQN could be handed out twice: refuse */
			GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMSI %s: cannot read its SQN bound: %s",
			      s->imsi, strerror(-rc));
			bsf_subs_free(t);
			return rc;
		}
	}
	*out = t;
	return 0;
}

static void auc_request_av(struct zh *zh, const char *impi, const uint8_t *resync, zh_cb cb,
			   void *arg)
{
	struct zh_auc *auc = AUC(zh);
	struct zh_result res;
	struct gba_auc_sub tmp;
	struct bsf_sub *sub;
	uint8_t rand[GBA_RAND_LEN];

	memset(&res, 0, sizeof(res));
	if (gba_random(rand, sizeof(rand))) {
		res.rc = -EIO;
		goto out;
	}
	pthread_mutex_lock(&auc->lock);
	sub = bsf_subs_find(auc->tab, impi);
	if (!sub) {
		pthread_mutex_unlock(&auc->lock);
		res.rc = -ENOENT;
		goto out;
	}
	tmp = sub->auc;
	if (resync)
		res.rc = gba_auc_resync(&res.av, &tmp, resync, resync + GBA_RAND_LEN, rand);
	else
		res.rc = gba_auc_gen_vector(&res.av, &tmp, rand);
	if (res.rc == 0 && tmp.sqn > sub->reserved) {
		uint64_t step = UINT64_C(1) << tmp.ind_bitlen;
		uint64_t bound = tmp.sqn + auc->reserve * step;

		if (bound > SQN_MAX || bound < tmp.sqn)
			bound = SQN_MAX;
		/* durable before the vector leaves: a crash never reuses this SQN */
		if (auc->store->ops->sqn_reserve(auc->store, sub->imsi, bound) == 0) {
			sub->reserved = bound;
		} else {
			GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMPI %s: cannot reserve SQN", impi);
			res.rc = -EAGAIN;
		}
	}
	if (res.rc == 0) {
		sub->auc.sqn = tmp.sqn;
		res.gba_u = sub->gba_u;
		res.key_lifetime = sub->key_lifetime;
	}
	pthread_mutex_unlock(&auc->lock);
	gba_zeroize(&tmp, sizeof(tmp));
	if (res.rc == -EBADMSG)
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMPI %s: resync refused, MAC-S wrong", impi);
	else if (res.rc && res.rc != -EAGAIN)
		res.rc = res.rc == -EINVAL ? -EIO : res.rc;
out:
	cb(arg, &res);
	gba_zeroize(&res, sizeof(res));
}

/* SQN state of the running table into a reloaded one (under the AuC's lock) */
static void merge_sqn(struct bsf_subs *t, const struct bsf_subs *old, void *arg)
{
	for (size_t i = 0; i < t->n; i++) {
		struct bsf_sub *s = &t->s[i];
		const struct bsf_sub *o = bsf_subs_find(old, s->impi_imsi[0] ? s->impi_imsi :
							s->impi);

		if (!o || strcmp(o->imsi, s->imsi))
			continue;
		/* the running state wins over the stored bound: no jump on reload */
		s->auc.sqn = o->auc.sqn > s->prof_sqn ? o->auc.sqn : s->prof_sqn;
		if (o->reserved > s->reserved)
			s->reserved = o->reserved;
	}
}

static int auc_reload(struct zh *zh)
{
	struct zh_auc *auc = AUC(zh);
	struct bsf_subs *t;
	size_t n;
	int rc;

	/* parse outside the lock (seconds for 100k profiles); merge SQN state under it */
	rc = table_load(auc, &t);
	if (rc)
		return rc;
	n = t->n;
	bsf_subs_swap(&auc->lock, &auc->tab, t, merge_sqn, NULL);
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "built-in AuC: %zu subscribers reloaded from %s", n,
	      auc->path);
	return 0;
}

static void auc_close(struct zh *zh)
{
	struct zh_auc *auc = AUC(zh);

	bsf_subs_free(auc->tab);
	pthread_mutex_destroy(&auc->lock);
	free(auc->path);
	free(auc);
}

static const struct zh_ops auc_ops = {
	.request_av = auc_request_av,
	.reload = auc_reload,
	.close = auc_close,
};

size_t zh_auc_count(struct zh *zh)
{
	struct zh_auc *auc = AUC(zh);
	size_t n;

	pthread_mutex_lock(&auc->lock);
	n = auc->tab->n;
	pthread_mutex_unlock(&auc->lock);
	return n;
}

int zh_auc_open(struct zh **out, const char *path, struct bsf_store *store, unsigned int reserve)
{
	struct zh_auc *auc;
	int rc;

	auc = calloc(1, sizeof(*auc));
	if (!auc || !(auc->path = strdup(path))) {
		free(auc);
		return -ENOMEM;
	}
	auc->base.ops = &auc_ops;
	auc->store = store;
	auc->reserve = reserve ? reserve : 1;
	pthread_mutex_init(&auc->lock, NULL);
	rc = table_load(auc, &auc->tab);
	if (rc) {
		pthread_mutex_destroy(&auc->lock);
		free(auc->path);
		free(auc);
		return rc;
	}
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "built-in AuC: %zu subscribers from %s", auc->tab->n,
	      path);
	*out = &auc->base;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in AuC behind the Zh interface (zh.h): subscriber profiles from sim-profiles
 * (gba_profiles_load()), found by IMPI through a glibc hsearch_r() table that holds both
 * the profile's IMPI and the IMSI-derived IMPI (TS 23.003 13.3), vectors from libosmocore
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
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include <gba/aka.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>

#include "zh.h"

#define SQN_MAX		((UINT64_C(1) << 48) - 1)

struct auc_sub {
	struct gba_auc_sub s;
	char imsi[GBA_IMSI_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];		/* profile IMPI */
	char impi_imsi[GBA_IMPI_MAX + 1];	/* IMSI-derived IMPI */
	bool gba_u;
	unsigned int key_lifetime;
	uint64_t reserved;			/* SQN bound durably in the store */
	uint64_t prof_sqn;			/* SQN of the profile file */
};

struct auc_table {
	struct auc_sub *subs;
	size_t n;
	struct hsearch_data h;
};

struct zh_auc {
	struct zh base;
	struct bsf_store *store;
	char *path;
	unsigned int reserve;
	pthread_mutex_t lock;
	struct auc_table *tab;
};

#define AUC(z) ((struct zh_auc *)(z))

static void table_free(struct auc_table *t)
{
	if (!t)
		return;
	hdestroy_r(&t->h);
	if (t->subs)
		gba_zeroize(t->subs, t->n * sizeof(*t->subs));
	free(t->subs);
	free(t);
}

static struct auc_sub *table_find(struct auc_table *t, const char *impi)
{
	ENTRY e = { .key = (char *)impi }, *r = NULL;

	if (!hsearch_r(e, FIND, &r, &t->h) || !r)
		return NULL;
	return r->data;
}

static int table_add(struct auc_table *t, const char *key, struct auc_sub *sub)
{
	ENTRY e = { .key = (char *)key, .data = sub }, *r = NULL;

	if (!*key)
		return 0;
	if (!hsearch_r(e, ENTER, &r, &t->h))
		return -ENOMEM;
	if (r->data != sub && strcmp(((struct auc_sub *)r->data)->imsi, sub->imsi))
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMPI %s of IMSI %s already belongs to IMSI %s",
		      key, sub->imsi, ((struct auc_sub *)r->data)->imsi);
	return 0;
}

/* Build a table from the profiles at 'path', SQN state from the store. */
static int table_load(struct zh_auc *auc, struct auc_table **out)
{
	struct gba_profile *p = NULL;
	struct auc_table *t;
	size_t n = 0;
	char err[256] = "";
	int rc;

	rc = gba_profiles_load(auc->path, &p, &n, err, sizeof(err));
	if (rc) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "cannot load subscribers from %s: %s", auc->path,
		      err[0] ? err : strerror(-rc));
		return rc;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->subs = calloc(n ? n : 1, sizeof(*t->subs))) ||
	    !hcreate_r(2 * n + 16, &t->h)) {
		free(t ? t->subs : NULL);
		free(t);
		gba_profiles_free(p, n);
		return -ENOMEM;
	}
	t->n = n;
	for (size_t i = 0; i < n && !rc; i++) {
		struct auc_sub *s = &t->subs[i];
		uint64_t stored;

		s->s.cred = p[i].cred;
		memcpy(s->s.amf, p[i].amf, GBA_AMF_LEN);
		s->s.sqn = p[i].sqn;
		s->prof_sqn = p[i].sqn;
		s->s.ind_bitlen = p[i].ind_bitlen;
		s->s.ind = 0;
		strcpy(s->imsi, p[i].imsi);
		strcpy(s->impi, p[i].impi);
		if (gba_impi_from_imsi(s->impi_imsi, sizeof(s->impi_imsi), p[i].imsi,
				       p[i].mnc_len) < 0)
			s->impi_imsi[0] = '\0';
		s->gba_u = p[i].gba_u;
		s->key_lifetime = p[i].key_lifetime;
		rc = auc->store->ops->sqn_get(auc->store, s->imsi, &stored);
		if (rc == 0) {
			/* anything up to the stored bound may have been used before a crash */
			if (stored > s->s.sqn)
				s->s.sqn = stored;
			s->reserved = stored;
		} else if (rc != -ENOENT) {
			/* without the stored bound an SQN could be handed out twice: refuse */
			GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMSI %s: cannot read its SQN bound: %s",
			      s->imsi, strerror(-rc));
			break;
		}
		rc = table_add(t, s->impi, s);
		if (!rc)
			rc = table_add(t, s->impi_imsi, s);
	}
	gba_profiles_free(p, n);
	if (rc) {
		table_free(t);
		return rc;
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
	struct auc_sub *sub;
	uint8_t rand[GBA_RAND_LEN];

	memset(&res, 0, sizeof(res));
	if (gba_random(rand, sizeof(rand))) {
		res.rc = -EIO;
		goto out;
	}
	pthread_mutex_lock(&auc->lock);
	sub = table_find(auc->tab, impi);
	if (!sub) {
		pthread_mutex_unlock(&auc->lock);
		res.rc = -ENOENT;
		goto out;
	}
	tmp = sub->s;
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
		sub->s.sqn = tmp.sqn;
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

static int auc_reload(struct zh *zh)
{
	struct zh_auc *auc = AUC(zh);
	struct auc_table *t, *old;
	int rc;

	/* parse outside the lock (seconds for 100k profiles); merge SQN state under it */
	rc = table_load(auc, &t);
	if (rc)
		return rc;
	pthread_mutex_lock(&auc->lock);
	old = auc->tab;
	for (size_t i = 0; i < t->n; i++) {
		struct auc_sub *s = &t->subs[i];
		struct auc_sub *o = table_find(old, s->impi_imsi[0] ? s->impi_imsi : s->impi);

		if (!o || strcmp(o->imsi, s->imsi))
			continue;
		/* the running state wins over the stored bound: no jump on reload */
		s->s.sqn = o->s.sqn > s->prof_sqn ? o->s.sqn : s->prof_sqn;
		if (o->reserved > s->reserved)
			s->reserved = o->reserved;
	}
	auc->tab = t;
	pthread_mutex_unlock(&auc->lock);
	table_free(old);
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "built-in AuC: %zu subscribers reloaded from %s", t->n,
	      auc->path);
	return 0;
}

static void auc_close(struct zh *zh)
{
	struct zh_auc *auc = AUC(zh);

	table_free(auc->tab);
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

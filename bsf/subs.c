/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's IMPI-indexed subscriber table (subs.h): sim-profiles parsed by
 * gba_profiles_load(), one entry per card, and an index of both IMPIs of each entry sorted
 * with qsort() and searched with bsearch(): O(log n) per lookup and O(n log n) to load.
 * (glibc's hsearch_r() hashes little more than a key's first 8 characters, which every
 * IMPI of one operator shares, and loading 100,000 cards became quadratic.)
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>

#include "subs.h"

void bsf_subs_free(struct bsf_subs *t)
{
	if (!t)
		return;
	free(t->idx);
	if (t->s)
		gba_zeroize(t->s, t->n * sizeof(*t->s));
	free(t->s);
	free(t);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bsf_subs_key *)a)->impi,
		      ((const struct bsf_subs_key *)b)->impi);
}

/* Same IMPI: the earlier card first, so that it keeps the IMPI (first come, first served). */
static int key_order(const void *a, const void *b)
{
	const struct bsf_subs_key *x = a, *y = b;
	int c = key_cmp(a, b);

	return c ? c : (x->sub > y->sub) - (x->sub < y->sub);
}

struct bsf_sub *bsf_subs_find(const struct bsf_subs *t, const char *impi)
{
	struct bsf_subs_key k = { .impi = impi }, *r;

	if (!t || !t->n_idx)
		return NULL;
	r = bsearch(&k, t->idx, t->n_idx, sizeof(*t->idx), key_cmp);
	return r ? r->sub : NULL;
}

/* Sort the index and drop repeated IMPIs (logged when they name another card). */
static void index_build(struct bsf_subs *t)
{
	size_t out = 0;

	qsort(t->idx, t->n_idx, sizeof(*t->idx), key_order);
	for (size_t i = 0; i < t->n_idx; i++) {
		struct bsf_subs_key *k = &t->idx[i];

		if (out && !strcmp(t->idx[out - 1].impi, k->impi)) {
			const struct bsf_sub *had = t->idx[out - 1].sub;

			if (had != k->sub && strcmp(had->imsi, k->sub->imsi))
				GLOGP(GBA_LC_ZH, GBA_LL_NOTICE,
				      "IMPI %s of IMSI %s already belongs to IMSI %s", k->impi,
				      k->sub->imsi, had->imsi);
			continue;
		}
		t->idx[out++] = *k;
	}
	t->n_idx = out;
}

static void add(struct bsf_subs *t, const char *key, struct bsf_sub *sub)
{
	if (*key)
		t->idx[t->n_idx++] = (struct bsf_subs_key){ .impi = key, .sub = sub };
}

int bsf_subs_load(struct bsf_subs **out, const char *path, bool keys, const char *what)
{
	struct gba_profile *p = NULL;
	struct bsf_subs *t;
	size_t n = 0;
	char err[256] = "";
	int rc;

	rc = gba_profiles_load(path, &p, &n, err, sizeof(err));
	if (rc) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "cannot load %s from %s: %s", what, path,
		      err[0] ? err : strerror(-rc));
		return rc;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->s = calloc(n ? n : 1, sizeof(*t->s))) ||
	    !(t->idx = calloc(2 * n + 1, sizeof(*t->idx)))) {
		if (t)
			free(t->s);
		free(t);
		gba_profiles_free(p, n);
		return -ENOMEM;
	}
	t->n = n;
	for (size_t i = 0; i < n; i++) {
		struct bsf_sub *s = &t->s[i];

		strcpy(s->imsi, p[i].imsi);
		strcpy(s->impi, p[i].impi);
		if (gba_impi_from_imsi(s->impi_imsi, sizeof(s->impi_imsi), p[i].imsi,
				       p[i].mnc_len) < 0)
			s->impi_imsi[0] = '\0';
		s->gba_u = p[i].gba_u;
		s->key_lifetime = p[i].key_lifetime;
		if (keys) {
			s->auc.cred = p[i].cred;
			memcpy(s->auc.amf, p[i].amf, GBA_AMF_LEN);
			s->auc.sqn = p[i].sqn;
			s->auc.ind_bitlen = p[i].ind_bitlen;
			s->auc.ind = 0;
			s->prof_sqn = p[i].sqn;
		}
		add(t, s->impi, s);
		add(t, s->impi_imsi, s);
	}
	/* without 'keys', K/OPc go (wiped) with the profile array */
	gba_profiles_free(p, n);
	index_build(t);
	*out = t;
	return 0;
}

void bsf_subs_swap(pthread_mutex_t *lock, struct bsf_subs **cur, struct bsf_subs *fresh,
		   void (*merge)(struct bsf_subs *fresh, const struct bsf_subs *old, void *arg),
		   void *arg)
{
	struct bsf_subs *old;

	pthread_mutex_lock(lock);
	old = *cur;
	if (merge && old)
		merge(fresh, old, arg);
	*cur = fresh;
	pthread_mutex_unlock(lock);
	bsf_subs_free(old);
}

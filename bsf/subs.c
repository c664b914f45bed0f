/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's IMPI-indexed subscriber table (subs.h): sim-profiles parsed by
 * gba_profiles_load(), one entry per card, a glibc hsearch_r() table holding both IMPIs
 * of each entry.
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
	hdestroy_r(&t->h);
	if (t->s)
		gba_zeroize(t->s, t->n * sizeof(*t->s));
	free(t->s);
	free(t);
}

struct bsf_sub *bsf_subs_find(const struct bsf_subs *t, const char *impi)
{
	ENTRY e = { .key = (char *)impi }, *r = NULL;

	if (!t || !hsearch_r(e, FIND, &r, (struct hsearch_data *)&t->h) || !r)
		return NULL;
	return r->data;
}

static int add(struct bsf_subs *t, const char *key, struct bsf_sub *sub)
{
	ENTRY e = { .key = (char *)key, .data = sub }, *r = NULL;

	if (!*key)
		return 0;
	if (!hsearch_r(e, ENTER, &r, &t->h))
		return -ENOMEM;
	if (r->data != sub && strcmp(((struct bsf_sub *)r->data)->imsi, sub->imsi))
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMPI %s of IMSI %s already belongs to IMSI %s",
		      key, sub->imsi, ((struct bsf_sub *)r->data)->imsi);
	return 0;
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
	if (!t || !(t->s = calloc(n ? n : 1, sizeof(*t->s))) || !hcreate_r(2 * n + 16, &t->h)) {
		if (t)
			free(t->s);
		free(t);
		gba_profiles_free(p, n);
		return -ENOMEM;
	}
	t->n = n;
	for (size_t i = 0; i < n && !rc; i++) {
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
		rc = add(t, s->impi, s);
		if (!rc)
			rc = add(t, s->impi_imsi, s);
	}
	/* without 'keys', K/OPc go (wiped) with the profile array */
	gba_profiles_free(p, n);
	if (rc) {
		bsf_subs_free(t);
		return rc;
	}
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

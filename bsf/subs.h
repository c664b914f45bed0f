/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's subscriber table from sim-profiles (gba_profiles_load(): a file or a directory),
 * indexed by IMPI: both the profile's IMPI and the one derived from the IMSI (TS 23.003
 * 13.3) find the subscriber. Used by the built-in AuC (zh_auc.c: with K/OPc, AMF and SQN)
 * and by Zh over GSUP (zh_gsup.c: IMPI -> IMSI, GBA_U and key lifetime only). A table is
 * read-only once loaded; reload = load a new one, then bsf_subs_swap() under the caller's
 * lock.
 */
#ifndef BSF_SUBS_H
#define BSF_SUBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/aka.h>
#include <gba/identity.h>

struct bsf_sub {
	char imsi[GBA_IMSI_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];		/* profile IMPI */
	char impi_imsi[GBA_IMPI_MAX + 1];	/* IMSI-derived IMPI, "" when none */
	bool gba_u;				/* GUSS uiccType GBA_U */
	unsigned int key_lifetime;		/* seconds, 0 = BSF default */
	/* with 'keys' only (built-in AuC); the AuC's running state lives here too */
	struct gba_auc_sub auc;			/* K/OPc, AMF, SQN (from the profile), IND */
	uint64_t prof_sqn;			/* SQN of the profile file */
	uint64_t reserved;			/* SQN bound durably in the store */
};

struct bsf_subs_key {
	const char *impi;			/* points into the entry */
	struct bsf_sub *sub;
};

struct bsf_subs {
	struct bsf_sub *s;
	size_t n;
	struct bsf_subs_key *idx;		/* sorted by IMPI, unique */
	size_t n_idx;
};

/*
 * Load the profiles at 'path' and index them by IMPI; 'keys' keeps K/OPc, AMF and SQN (else
 * they are wiped with the parsed profiles). Returns 0 with *out set, the errno of
 * gba_profiles_load() (logged, with 'what' naming the table) or -ENOMEM.
 */
int bsf_subs_load(struct bsf_subs **out, const char *path, bool keys, const char *what);

/* The subscriber of 'impi' (either IMPI), or NULL. 't' may be NULL. */
struct bsf_sub *bsf_subs_find(const struct bsf_subs *t, const char *impi);

/*
 * Replace *cur by 'fresh' under 'lock', calling merge(fresh, old, arg) first when both
 * 'merge' and the old table exist (the AuC carries its SQN state over), then free the old
 * table outside the lock.
 */
void bsf_subs_swap(pthread_mutex_t *lock, struct bsf_subs **cur, struct bsf_subs *fresh,
		   void (*merge)(struct bsf_subs *fresh, const struct bsf_subs *old, void *arg),
		   void *arg);

/* Wipe (keys) and free a table; NULL allowed. */
void bsf_subs_free(struct bsf_subs *t);

#endif /* BSF_SUBS_H */

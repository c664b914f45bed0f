/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pending Ub challenges of one BSF process, in memory: a hash table from nonce to
 * struct bsf_challenge, single use, each entry with its expiry. The SQLite store keeps its
 * challenges here (a restart only costs the UE a fresh 401); the Redis store keeps them in
 * Redis, shared by every BSF. XRES, CK and IK live only in the table's own entries and in
 * the caller's copy: an entry is wiped when it is taken, purged or the table is freed.
 * Thread-safe.
 */
#ifndef BSF_CHAL_TABLE_H
#define BSF_CHAL_TABLE_H

#include <stddef.h>
#include <time.h>

#include "store.h"

#define BSF_CHAL_TABLE_MAX	262144	/* pending challenges (about 700 bytes each) */

struct bsf_chal_table;

/* An empty table holding at most 'max' challenges (0 = BSF_CHAL_TABLE_MAX). NULL: no memory. */
struct bsf_chal_table *bsf_chal_table_new(size_t max);

/* Wipe every entry and free the table. NULL is ignored. */
void bsf_chal_table_free(struct bsf_chal_table *t);

/* Remember a copy of 'c' until c->expires. 0, -EEXIST (nonce in use), -ENOSPC (full). */
int bsf_chal_table_put(struct bsf_chal_table *t, const struct bsf_challenge *c);

/*
 * Remove the challenge of 'nonce' and copy it to 'out'. 0; -ENOENT when absent (never
 * issued, or already used); -ETIME when it expired before 'now' ('out' is filled all the
 * same). On -ENOENT 'out' is zeroed.
 */
int bsf_chal_table_take(struct bsf_chal_table *t, const char *nonce, time_t now,
			struct bsf_challenge *out);

/* Remove (and wipe) every challenge expired at 'now'. Number removed. */
int bsf_chal_table_purge(struct bsf_chal_table *t, time_t now);

/* Challenges currently held (expired ones not yet purged included). */
size_t bsf_chal_table_count(struct bsf_chal_table *t);

#endif /* BSF_CHAL_TABLE_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's state store: bootstrapping sessions (by B-TID, one per IMPI), pending Ub
 * challenges (by nonce, single use) and the built-in AuC's reserved SQN per subscriber.
 *
 * One small interface, a table of operations, so that a second backend (Redis: SET with EX,
 * GETDEL for take_challenge, a hash per IMPI) can implement it without touching the callers.
 * Every session and challenge carries an absolute expiry; a backend never returns an
 * expired record. Ks is handed to the store already encrypted (kek.c); the store never
 * sees key material in the clear except the challenge's XRES/CK/IK, which live seconds.
 * All operations are thread-safe.
 */
#ifndef BSF_STORE_H
#define BSF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gba/identity.h>
#include <gba/keys.h>

#define BSF_NONCE_MAX		128	/* base64 AKA nonce text */
#define BSF_OPAQUE_MAX		64
#define BSF_URI_MAX		256
#define BSF_KS_BLOB_LEN		(12 + GBA_KS_LEN + 16)	/* GCM IV || ciphertext || tag */

struct bsf_session {
	char btid[GBA_BTID_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks_blob[BSF_KS_BLOB_LEN];	/* Ks encrypted under the KEK, AAD = B-TID */
	time_t created;
	time_t expires;
	bool gba_u;
};

struct bsf_challenge {
	char nonce[BSF_NONCE_MAX + 1];		/* key */
	char impi[GBA_IMPI_MAX + 1];
	char opaque[BSF_OPAQUE_MAX + 1];
	char uri[BSF_URI_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t xres[GBA_RES_MAX_LEN];
	size_t xres_len;
	uint8_t ck[GBA_CK_LEN];
	uint8_t ik[GBA_IK_LEN];
	bool gba_u;				/* subscriber's card is GBA_U (profile / GUSS) */
	unsigned int key_lifetime;		/* from the profile/GUSS; 0 = BSF default */
	unsigned int failures;			/* failed answers before this challenge */
	time_t expires;
};

struct bsf_store;

struct bsf_store_ops {
	/* Store 's', replacing any session of the same IMPI. 0 or -EIO. */
	int (*put_session)(struct bsf_store *st, const struct bsf_session *s);
	/* Session by B-TID. 0, -ENOENT when absent or expired at 'now', -EIO. */
	int (*get_session)(struct bsf_store *st, const char *btid, time_t now,
			   struct bsf_session *out);
	/* Remember a challenge until c->expires. 0, -EEXIST (nonce in use), -ENOSPC, -EIO. */
	int (*put_challenge)(struct bsf_store *st, const struct bsf_challenge *c);
	/*
	 * Atomically fetch and delete the challenge of 'nonce' (single use). 0; -ENOENT when
	 * absent (never issued, or already used); -ETIME when it expired before 'now'; -EIO.
	 */
	int (*take_challenge)(struct bsf_store *st, const char *nonce, time_t now,
			      struct bsf_challenge *out);
	/* The SQN reserved for subscriber 'key' (IMSI). 0, -ENOENT when none yet, -EIO. */
	int (*sqn_get)(struct bsf_store *st, const char *key, uint64_t *reserved);
	/* Durably (fsync) record that SQNs up to 'reserved' may have been used. 0 or -EIO. */
	int (*sqn_reserve)(struct bsf_store *st, const char *key, uint64_t reserved);
	/* Delete everything expired at 'now'. Number of records deleted or -EIO. */
	int (*purge)(struct bsf_store *st, time_t now);
	/* Sessions currently stored (for metrics). Count or -EIO. */
	int (*count_sessions)(struct bsf_store *st, time_t now);
	void (*close)(struct bsf_store *st);
};

struct bsf_store {
	const struct bsf_store_ops *ops;
};

/*
 * Open a store from a URI: "sqlite:PATH" (file created 0600), "sqlite::memory:" or
 * "redis://HOST:PORT[/DB]" (store_redis.c).
 * Returns 0 with *out set; -EINVAL for an unknown scheme; -EIO when it cannot be opened.
 */
int bsf_store_open(struct bsf_store **out, const char *uri);

/* The SQLite backend (store_sqlite.c). Same returns as bsf_store_open(). */
int bsf_store_sqlite_open(struct bsf_store **out, const char *path);

/*
 * The name of the VFS the SQLite backend opens its file with (store_sqlite_wal.c: the
 * default VFS, with the writes of each WAL commit gathered into one), registered on first
 * call; NULL when SQLite has no default VFS.
 */
const char *bsf_sqlite_wal_vfs(void);

/*
 * The Redis backend (store_redis.c): 'uri' is "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]".
 * Same returns as bsf_store_open(); -EIO when the server cannot be reached at start.
 */
int bsf_store_redis_open(struct bsf_store **out, const char *uri);

static inline void bsf_store_close(struct bsf_store *st)
{
	if (st)
		st->ops->close(st);
}

#endif /* BSF_STORE_H */

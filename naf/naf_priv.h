/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of libgba-naf shared by its files: the NAF context, the key cache and the
 * Zn client. Not installed.
 */
#ifndef GBA_NAF_PRIV_H
#define GBA_NAF_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gba/kdf.h>
#include <gba/keys.h>
#include <gba/naf.h>
#include <gba/zn.h>

struct naf_entry;

#define NAF_CURL_POOL	8	/* idle Zn handles kept (one per concurrent caller) */

/* The bounded key cache: a hash table plus an LRU list, one mutex (cache.c). */
struct naf_cache {
	pthread_mutex_t lock;
	struct naf_entry **buckets;
	unsigned int nbuckets;		/* power of two */
	unsigned int max, count;
	struct naf_entry *lru_head, *lru_tail;	/* head = most recently used */
	struct gba_naf_stats st;
};

struct gba_naf {
	char *fqdns[GBA_NAF_FQDNS_MAX];
	unsigned int n_fqdn;
	char *zn_url;			/* https://... or diameter:FDCONF[,REALM[,HOST]] */
	char *dia_realm, *dia_host;	/* Zn over Diameter (zn_dia.c): the BSF's realm/host */
	bool dia;
	char *client_cert, *client_key, *ca_file;
	bool gba_u_aware;
	long timeout_ms;
	unsigned int negative_ttl;
	struct naf_cache cache;
	pthread_mutex_t pool_lock;	/* idle libcurl handles: Zn connections kept alive */
	void *pool[NAF_CURL_POOL];
	unsigned int n_pool;
	uint8_t nonce_key[32];		/* HMAC key of the stateless Digest nonces */
};

/* What one Zn exchange found out (a copy of the answer, or the error). */
struct naf_zn_result {
	int rc;				/* 0, -ENOENT, -EACCES, network error... */
	struct gba_zn_answer a;		/* valid when rc == 0 */
};

/* Ask the BSF for the keys of 'btid' for NAF_Id 'naf_id'. Fills r; returns r->rc. */
int naf_zn_fetch(struct gba_naf *naf, const char *btid, const uint8_t *naf_id,
		 size_t naf_id_len, struct naf_zn_result *r);

/* Free the idle Zn handles (gba_naf_free). */
void naf_zn_pool_free(struct gba_naf *naf);

/* errno of a Zn result code (29.109): 5401/5403 -ENOENT, 5402 -EACCES, others -EIO. */
int naf_zn_fault_errno(unsigned int code);

/*
 * Zn over Diameter (zn_dia.c). open: 'spec' is FDCONF[,REALM[,HOST]] (REALM: the BSF's
 * Diameter realm, default ours; HOST: its identity, default any peer of the realm); starts or
 * joins the process's freeDiameter core. 0, -EINVAL, -EALREADY (core stopped before in this
 * process), -EIO, -ENOMEM. close: drops the core reference (NULL-safe).
 */
int naf_zn_dia_open(struct gba_naf *naf, const char *spec);
void naf_zn_dia_close(struct gba_naf *naf);

/* One BIR/BIA exchange, as naf_zn_fetch() (which calls it for a Diameter NAF). */
int naf_zn_dia_fetch(struct gba_naf *naf, const char *btid, const uint8_t *naf_id,
		     size_t naf_id_len, struct naf_zn_result *r);

/*
 * Decode a BIA (freeDiameter struct msg, dictionary-parsed) into r: r->rc 0 with r->a filled
 * (release with gba_zn_answer_clear()), or the errno of its result code (naf_zn_fault_errno;
 * 3002 -EHOSTUNREACH), -EPROTO for a malformed answer. Returns r->rc.
 */
struct msg;
int naf_zn_dia_decode(struct msg *ans, struct naf_zn_result *r);

int naf_cache_init(struct naf_cache *c, unsigned int max);
void naf_cache_destroy(struct naf_cache *c);

/*
 * Look up (btid, naf_id) at time 'now'. 1 with *a a copy (uss duplicated) of a live entry,
 * a negative errno for a live negative entry, 0 on a miss. Expired entries are dropped.
 */
int naf_cache_get(struct naf_cache *c, const char *btid, const uint8_t *naf_id, size_t nlen,
		  time_t now, struct gba_zn_answer *a);

/* Insert a positive answer (copied) or a negative result (rc < 0, until 'until'). */
void naf_cache_put(struct naf_cache *c, const char *btid, const uint8_t *naf_id, size_t nlen,
		   const struct gba_zn_answer *a, int rc, time_t until);

void naf_cache_flush(struct naf_cache *c, const char *btid);

/*
 * The host_name of a TLS server_name extension body (RFC 6066 3) into out (NUL-terminated).
 * Returns its length, -EINVAL when the list is malformed, empty, has bytes left over or holds
 * two host_names or a NUL, -ENOENT when it has no host_name, -E2BIG when it does not fit out.
 */
int naf_sni_parse(const unsigned char *p, size_t len, char *out, size_t outlen);

/* Fill a peer from a key (no key bytes copied, only the fingerprint). */
void naf_peer_from_key(struct gba_naf_peer *p, const struct gba_naf_key *k,
		       enum gba_naf_key_use use);

/* The identity without a "3GPP-bootstrapping[-uicc]." prefix; *uicc set for -uicc. */
const char *naf_strip_btid_prefix(const char *id, size_t len, char *buf, size_t buflen,
				  bool *uicc);

#endif /* GBA_NAF_PRIV_H */

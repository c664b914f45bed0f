/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Brute-force limiter of the BSF's Ub interface. Failed authentications (wrong RES, MAC
 * failure reports, refused AUTS, unknown IMPIs) are counted per IMPI and per source address
 * (IPv6: per /64) in two fixed-size tables; after 'failures' of them within 'window'
 * seconds a key is refused for 'backoff' seconds (429 + Retry-After), and every further
 * failure once that expired doubles the wait up to 'max_backoff'. A success clears the
 * IMPI (never the address); a key without failure or block for 'window' seconds is
 * forgotten. The tables never grow: when full, the least recently failed entry is
 * evicted. All calls are thread-safe.
 */
#ifndef BSF_RATELIMIT_H
#define BSF_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "metrics.h"

struct bsf_rl_params {
	unsigned int failures;		/* failures within 'window' before a block; 0: off */
	unsigned int window;		/* seconds; also the quiet time that forgets a key */
	unsigned int backoff;		/* first block, seconds */
	unsigned int max_backoff;	/* longest block, seconds */
	unsigned int entries;		/* table size */
};

/* One table of keys (opaque octet strings). */
struct bsf_rl;

/* Create a table. Returns 0 with *out set, -EINVAL for bad params, -ENOMEM, -EIO (RNG). */
int bsf_rl_new(struct bsf_rl **out, const struct bsf_rl_params *p);
void bsf_rl_free(struct bsf_rl *rl);

/* Seconds (rounded up) 'key' must still wait at 'now_ms' (monotonic ms); 0 when allowed. */
unsigned int bsf_rl_check(struct bsf_rl *rl, const void *key, size_t len, int64_t now_ms);

/* Count a failure of 'key' at 'now_ms'. Returns the seconds of the block it started, or 0. */
unsigned int bsf_rl_fail(struct bsf_rl *rl, const void *key, size_t len, int64_t now_ms);

/* Forget 'key' (a success). */
void bsf_rl_clear(struct bsf_rl *rl, const void *key, size_t len);

/* Keys tracked now. */
size_t bsf_rl_count(struct bsf_rl *rl);

/* The Ub limiter: one table per IMPI, one per source address, with metrics. */
struct bsf_ratelimit;

/*
 * Create both tables ('per_impi.failures' or 'per_addr.failures' 0 turns that one off).
 * Returns 0 with *out set (NULL when both are off), or a negative errno as bsf_rl_new().
 */
int bsf_ratelimit_new(struct bsf_ratelimit **out, const struct bsf_rl_params *per_impi,
		      const struct bsf_rl_params *per_addr);
void bsf_ratelimit_free(struct bsf_ratelimit *r);

/*
 * May a Ub request of 'impi' ("" when not known yet) from 'peer' (NULL: unknown) go on?
 * Returns 0, or the seconds to put in Retry-After (counted in the metrics). 'r' may be NULL.
 */
unsigned int bsf_ratelimit_check(struct bsf_ratelimit *r, const char *impi,
				 const struct sockaddr *peer);

/* Account the outcome 'why' of a Ub request. 'r' may be NULL. */
void bsf_ratelimit_note(struct bsf_ratelimit *r, const char *impi, const struct sockaddr *peer,
			enum bsf_ub_reason why);

#endif /* BSF_RATELIMIT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BSF metrics: lock-free counters and latency histograms, rendered as Prometheus text
 * (exposition format 0.0.4) for /metrics on the admin listener.
 */
#ifndef BSF_METRICS_H
#define BSF_METRICS_H

#include <stdbool.h>
#include <stddef.h>

/* Why a Ub request ended the way it did; each maps to one HTTP status. */
enum bsf_ub_reason {
	UB_R_OK,		/* 200 bootstrapped */
	UB_R_CHALLENGE,		/* 401 first request answered with a challenge */
	UB_R_RESYNC,		/* 401 after a successful resync */
	UB_R_STALE,		/* 401 stale=true: our nonce, expired or used */
	UB_R_FOREIGN,		/* 401 nonce not issued by us */
	UB_R_WRONG_RES,		/* 401 wrong RES, retry allowed */
	UB_R_MISMATCH,		/* 401 realm/opaque/uri/username differ from the challenge */
	UB_R_TOO_MANY,		/* 403 wrong RES too often */
	UB_R_MAC_FAILURE,	/* 403 UE reported a network authentication failure */
	UB_R_RESYNC_REFUSED,	/* 403 AUTS with a wrong MAC-S */
	UB_R_UNKNOWN,		/* 403 unknown IMPI */
	UB_R_MALFORMED,		/* 400 */
	UB_R_UNAVAILABLE,	/* 503 Zh backend unavailable */
	UB_R_INTERNAL,		/* 500 */
	UB_R_LIMITED,		/* 429 too many failed authentications (ratelimit.h) */
	_UB_R_COUNT
};

enum bsf_zn_result {
	ZN_R_OK,
	ZN_R_UNAUTHORIZED,	/* 5402 */
	ZN_R_UNKNOWN_BTID,	/* 5403: unknown or expired */
	ZN_R_FOREIGN_BTID,	/* 5403: another BSF's B-TID */
	ZN_R_MALFORMED,
	ZN_R_ERROR,
	_ZN_R_COUNT
};

/* HTTP status and metric label of a reason. */
unsigned int bsf_ub_reason_status(enum bsf_ub_reason r);
const char *bsf_ub_reason_name(enum bsf_ub_reason r);

void bsf_metrics_ub(enum bsf_ub_reason r, double seconds);
void bsf_metrics_zn(enum bsf_zn_result r, double seconds);
void bsf_metrics_resync(bool ok);
void bsf_metrics_set_sessions(long n);
/* Ub limiter: a request refused ('refused') or a block started, by address or by IMPI */
void bsf_metrics_ratelimit(bool by_addr, bool refused);
void bsf_metrics_ratelimit_entries(bool by_addr, long n);

/* Render everything; *out is malloc()ed. Returns the length or -ENOMEM. */
int bsf_metrics_render(char **out);

#endif /* BSF_METRICS_H */

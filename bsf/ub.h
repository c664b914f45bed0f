/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Ub state machine (TS 24.109 clause 4, RFC 3310) below HTTP: one request (method,
 * URI, Authorization, User-Agent, body) in, one decision (status, headers, body) out.
 * A decision may wait for Zh: ub_handle() then returns before t->done() is called, and
 * the HTTP layer keeps the connection suspended until it is.
 */
#ifndef BSF_UB_H
#define BSF_UB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <gba/identity.h>

#include "bsf.h"
#include "metrics.h"
#include "store.h"

struct ub_txn {
	/* request (set by the caller; must stay valid until done() ran) */
	const char *method;
	const char *uri;
	const char *authorization;	/* NULL when absent */
	unsigned int n_authorization;	/* how many Authorization headers were sent */
	const char *user_agent;		/* NULL when absent */
	const struct sockaddr *peer;	/* client address for the limiter; NULL: unknown */
	const uint8_t *body;
	size_t body_len;
	void (*done)(struct ub_txn *t);	/* called exactly once with the response filled */
	void *priv;			/* caller's */

	/* response (filled by ub.c) */
	enum bsf_ub_reason reason;
	unsigned int status;
	char www_authenticate[1024];	/* "" when not sent */
	char auth_info[512];
	char expires[64];
	const char *content_type;	/* NULL: text/plain */
	char *resp_body;		/* malloc()ed; freed by ub_txn_release() */
	size_t resp_body_len;
	unsigned int retry_after;	/* seconds, 0 = no Retry-After */
	char msg[192];			/* short reason for 400/403 bodies and logs */

	/* private to ub.c */
	struct bsf *bsf;
	char impi[GBA_IMPI_MAX + 1];
	char chal_uri[BSF_URI_MAX + 1];
	unsigned int failures;
	enum bsf_ub_reason chal_reason;
};

/* Decide on one request. t->done(t) runs exactly once, possibly before this returns. */
void ub_handle(struct bsf *bsf, struct ub_txn *t);

/* Free what the response holds. */
void ub_txn_release(struct ub_txn *t);

#endif /* BSF_UB_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zn server (TS 29.109 web-service form, doc/zn-soap.md): who the NAF is (its TLS
 * client certificate), whether it may have keys for the NAF_Id it asks for, and the
 * answer with Ks_NAF / Ks_ext_NAF / Ks_int_NAF derived on demand from the stored Ks.
 */
#ifndef BSF_ZN_HTTP_H
#define BSF_ZN_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "bsf.h"
#include "metrics.h"

#define ZN_IDS_MAX	16	/* identities taken from one certificate (CN + SANs) */

struct zn_reply {
	unsigned int status;		/* 200, 400, 403, 404, 500 */
	enum bsf_zn_result result;
	char *body;			/* SOAP answer or fault, malloc()ed */
	size_t body_len;
};

/*
 * Handle one Zn request body from a NAF known by the identities 'ids' (certificate CN and
 * SAN dNSNames, or BSF_PLAIN_NAF): parse, authorise, look up the B-TID, derive the keys and
 * build the answer, or a fault: 400 malformed, 403 NAF not authorised (5402), 404 unknown,
 * expired or foreign B-TID (5403), 500 anything else (5012). Returns 0 with 'r' filled
 * (free r->body with zn_reply_release()), -ENOMEM when not even a fault could be built.
 */
int zn_process(struct bsf *bsf, const char *const *ids, size_t n_ids, const char *body,
	       size_t len, struct zn_reply *r);

void zn_reply_release(struct zn_reply *r);

/* The MHD part: method/path checks, client identity, zn_process(), response, metrics. */
enum MHD_Result zn_http_request(struct bsf *bsf, struct MHD_Connection *c, const char *method,
				const char *url, const uint8_t *body, size_t len,
				const struct timespec *t0);

#endif /* BSF_ZN_HTTP_H */

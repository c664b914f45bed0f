/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zn lookup of the BSF, whatever the transport (SOAP over HTTPS in zn_http.c, Diameter
 * BIR/BIA in zn_dia.c): is the NAF authorised for the FQDN of the NAF_Id it asks for, is the
 * B-TID ours and alive, and the answer with Ks_NAF / Ks_ext_NAF / Ks_int_NAF derived on demand
 * from the stored Ks (nothing derived is stored). The transports only decode the request,
 * name the NAF's ACL entries and encode the result.
 */
#ifndef BSF_ZN_H
#define BSF_ZN_H

#include <stddef.h>

#include <gba/zn.h>

#include "bsf.h"
#include "metrics.h"

/* Outcome of one lookup. */
struct zn_result {
	enum bsf_zn_result result;	/* ZN_R_OK, or why not (metrics label) */
	unsigned int code;		/* 29.109 code: 2001, 5402, 5403 or 5012 */
	const char *reason;		/* English, no key material (SOAP faultstring) */
	struct gba_zn_answer a;		/* the keys, when result == ZN_R_OK */
};

/*
 * Look up 'q' for a NAF allowed by any of the ACL entries 'acls' (NULL entries are skipped;
 * 'who' names the NAF in log lines). Fills 'res' in every case: ZN_R_MALFORMED (NAF_Id holds
 * no FQDN, 5012), ZN_R_UNAUTHORIZED (no entry lists the FQDN, 5402), ZN_R_FOREIGN_BTID or
 * ZN_R_UNKNOWN_BTID (5403), ZN_R_ERROR (store, KEK or KDF failure, 5012), or ZN_R_OK (2001)
 * with res->a filled. Returns res->result. Release with zn_result_clear().
 */
enum bsf_zn_result zn_lookup(struct bsf *bsf, const struct bsf_naf_acl *const *acls,
			     size_t n_acls, const char *who, const struct gba_zn_request *q,
			     struct zn_result *res);

/* Wipe the keys of a result and free its USS. */
void zn_result_clear(struct zn_result *res);

/* NAF FQDN of the NAF_Id in 'q' into 'out' (GBA_FQDN_MAX + 1); -EINVAL when it has none. */
int zn_naf_fqdn(char *out, const struct gba_zn_request *q);

#endif /* BSF_ZN_H */

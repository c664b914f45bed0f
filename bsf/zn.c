/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The transport-independent Zn lookup (zn.h): NAF authorisation against the ACL of
 * gba-bsf.conf(5), B-TID checks, session fetch, Ks decrypted from the store and wiped right
 * after deriving Ks_(ext)_NAF and, for a GBA_U bootstrap and a GBA_U-aware NAF, Ks_int_NAF
 * with the core KDF. Used by zn_http.c (SOAP) and zn_dia.c (Diameter BIR/BIA).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gba/identity.h>
#include <gba/kdf.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "kek.h"
#include "zn.h"

int zn_naf_fqdn(char *out, const struct gba_zn_request *q)
{
	size_t n = q->naf_id_len - GBA_UA_ID_LEN;

	if (q->naf_id_len <= GBA_UA_ID_LEN || n > GBA_FQDN_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = (char)q->naf_id[i];

		if (!(c == '.' || c == '-' || (c >= '0' && c <= '9') ||
		      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return -EINVAL;
	}
	memcpy(out, q->naf_id, n);
	out[n] = '\0';
	return 0;
}

static enum bsf_zn_result refuse(struct zn_result *res, enum bsf_zn_result r,
				  unsigned int code, const char *reason)
{
	res->result = r;
	res->code = code;
	res->reason = reason;
	return r;
}

enum bsf_zn_result zn_lookup(struct bsf *bsf, const struct bsf_naf_acl *const *acls, size_t n_acls,
			     const char *who, const struct gba_zn_request *q,
			     struct zn_result *res)
{
	struct gba_zn_answer *a = &res->a;
	struct bsf_session s;
	char fqdn[GBA_FQDN_MAX + 1];
	const char *domain;
	uint8_t rand[GBA_RAND_LEN], ks[GBA_KS_LEN];
	bool ok = false;
	int rc;

	memset(res, 0, sizeof(*res));
	if (zn_naf_fqdn(fqdn, q)) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "NAF %s: NAF_Id holds no FQDN", who);
		return refuse(res, ZN_R_MALFORMED, GBA_ZN_ERR_UNABLE_TO_COMPLY,
			      "NAF_Id is not FQDN || Ua security protocol id");
	}
	for (size_t i = 0; i < n_acls && !ok; i++)
		ok = bsf_naf_acl_allows(acls[i], fqdn);
	if (!ok) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "NAF %s: not authorised for %s (B-TID %s)", who,
		      fqdn, q->btid);
		return refuse(res, ZN_R_UNAUTHORIZED, GBA_ZN_ERR_NOT_AUTHORIZED,
			      "NAF not authorised for this NAF FQDN");
	}
	if (gba_btid_parse(q->btid, rand, &domain) || strcasecmp(domain, bsf->cfg->fqdn)) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "NAF %s: B-TID %s is not one of ours", who,
		      q->btid);
		return refuse(res, ZN_R_FOREIGN_BTID, GBA_ZN_ERR_BTID_INVALID,
			      "B-TID not issued by this BSF");
	}
	rc = bsf->store->ops->get_session(bsf->store, q->btid, time(NULL), &s);
	if (rc == -ENOENT) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "NAF %s: B-TID %s unknown or expired", who,
		      q->btid);
		return refuse(res, ZN_R_UNKNOWN_BTID, GBA_ZN_ERR_BTID_INVALID,
			      "B-TID unknown or expired");
	}
	if (rc || bsf_kek_open(&bsf->kek, ks, s.ks_blob, s.btid)) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "B-TID %s: %s", q->btid,
		      rc ? "session store failed" : "Ks does not decrypt (wrong KEK?)");
		gba_zeroize(&s, sizeof(s));
		return refuse(res, ZN_R_ERROR, GBA_ZN_ERR_UNABLE_TO_COMPLY, "BSF failure");
	}
	strcpy(a->impi, s.impi);
	a->key_expiry = s.expires;
	a->creation_time = s.created;
	a->gba_type = GBA_ZN_TYPE_3G;
	a->uicc_me = s.gba_u ? GBA_ZN_UICC_ME_GBA_U : GBA_ZN_UICC_ME_GBA_ME;
	rc = gba_ks_naf(a->me_key, ks, s.rand, s.impi, q->naf_id, q->naf_id_len);
	if (!rc && s.gba_u && q->gba_u_aware) {
		rc = gba_ks_int_naf(a->uicc_key, ks, s.rand, s.impi, q->naf_id, q->naf_id_len);
		a->has_uicc_key = true;
	}
	gba_zeroize(ks, sizeof(ks));
	gba_zeroize(&s, sizeof(s));
	if (rc) {
		gba_zn_answer_clear(a);
		return refuse(res, ZN_R_ERROR, GBA_ZN_ERR_UNABLE_TO_COMPLY, "BSF failure");
	}
	GLOGP(GBA_LC_ZN, GBA_LL_INFO, "NAF %s: keys for B-TID %s, NAF %s%s", who, q->btid, fqdn,
	      a->has_uicc_key ? " (with Ks_int_NAF)" : "");
	res->result = ZN_R_OK;
	res->code = 2001;	/* DIAMETER_SUCCESS */
	res->reason = "OK";
	return ZN_R_OK;
}

void zn_result_clear(struct zn_result *res)
{
	gba_zn_answer_clear(&res->a);
}

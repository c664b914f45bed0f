/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UMTS AKA for both ends (include/gba/aka.h).
 *
 * AuC side: vectors and resynchronisation through libosmocore's
 * osmo_auth_gen_vec() / osmo_auth_gen_vec_auts(), MILENAGE and the TS 34.108
 * 8.1.2 XOR test algorithm alike. libosmocore's MILENAGE steps SQN itself
 * (SEQ + 1, the AuC's IND slot in the low bits, TS 33.102 Annex C.1.1.2); its
 * XOR uses u.umts.sqn as given, so for XOR the same step is done here first.
 *
 * USIM side: MAC check, RES/CK/IK and AUTS on core/milenage.c and core/aka_xor.c.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include <osmocom/crypt/auth.h>

#include <gba/aka.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "aka_int.h"

#define SQN_MASK	0xffffffffffffULL

int gba_aka_alg_parse(const char *name)
{
	if (name && !strcasecmp(name, "milenage"))
		return GBA_AKA_MILENAGE;
	if (name && !strcasecmp(name, "xor"))
		return GBA_AKA_XOR;
	return -EINVAL;
}

const char *gba_aka_alg_name(enum gba_aka_alg alg)
{
	switch (alg) {
	case GBA_AKA_MILENAGE: return "milenage";
	case GBA_AKA_XOR: return "xor";
	}
	return "?";
}

static void sqn_to_bytes(uint8_t out[GBA_SQN_LEN], uint64_t sqn)
{
	for (int i = 0; i < GBA_SQN_LEN; i++)
		out[i] = (uint8_t)(sqn >> (8 * (GBA_SQN_LEN - 1 - i)));
}

static uint64_t sqn_from_bytes(const uint8_t in[GBA_SQN_LEN])
{
	uint64_t v = 0;

	for (int i = 0; i < GBA_SQN_LEN; i++)
		v = v << 8 | in[i];
	return v;
}

/*
 * Next SQN after 'last' for an AuC using IND slot 'ind' (Annex C.1.1.2), the step libosmocore's
 * MILENAGE takes. Not masked: a result above SQN_MASK means the SQN space is used up.
 */
static uint64_t sqn_next(uint64_t last, unsigned int ind_bitlen, unsigned int ind)
{
	return ((last >> ind_bitlen) + 1) << ind_bitlen | ind;
}

static bool sub_valid(const struct gba_auc_sub *sub)
{
	return sub && sub->ind_bitlen <= 10 && sub->ind < (1u << sub->ind_bitlen) &&
	       sub->sqn <= SQN_MASK &&
	       (sub->cred.alg == GBA_AKA_MILENAGE || sub->cred.alg == GBA_AKA_XOR);
}

/* libosmocore's view of 'sub'; for XOR u.umts.sqn is already the SQN to use */
static void aud_fill(struct osmo_sub_auth_data *aud, const struct gba_auc_sub *sub)
{
	memset(aud, 0, sizeof(*aud));
	aud->type = OSMO_AUTH_TYPE_UMTS;
	aud->algo = sub->cred.alg == GBA_AKA_XOR ? OSMO_AUTH_ALG_XOR : OSMO_AUTH_ALG_MILENAGE;
	memcpy(aud->u.umts.k, sub->cred.k, GBA_K_LEN);
	memcpy(aud->u.umts.opc, sub->cred.opc, GBA_OPC_LEN);
	aud->u.umts.opc_is_op = 0;
	memcpy(aud->u.umts.amf, sub->amf, GBA_AMF_LEN);
	aud->u.umts.sqn = sub->sqn;
	if (sub->cred.alg == GBA_AKA_XOR)
		aud->u.umts.sqn = sqn_next(sub->sqn, sub->ind_bitlen, sub->ind);
	aud->u.umts.ind_bitlen = sub->ind_bitlen;
	aud->u.umts.ind = sub->ind;
}

/*
 * Take the vector libosmocore made into 'av' and its SQN into 'sub'.
 * -ERANGE when that SQN no longer fits in 48 bits (the subscriber's SQN space is used up).
 */
static int av_from_osmo(struct gba_av *av, struct gba_auc_sub *sub,
			const struct osmo_auth_vector *v, const struct osmo_sub_auth_data *aud)
{
	if (aud->u.umts.sqn > SQN_MASK) {
		GLOGP(GBA_LC_CORE, GBA_LL_ERROR, "AuC: SQN space of the subscriber used up\n");
		return -ERANGE;
	}
	if (v->res_len < GBA_RES_MIN_LEN || v->res_len > GBA_RES_MAX_LEN) {
		GLOGP(GBA_LC_CORE, GBA_LL_ERROR, "AuC: libosmocore gave a RES of %u octets\n",
		      v->res_len);
		return -EIO;
	}
	memcpy(av->rand, v->rand, GBA_RAND_LEN);
	memcpy(av->autn, v->autn, GBA_AUTN_LEN);
	av->xres_len = v->res_len;
	memcpy(av->xres, v->res, av->xres_len);
	memcpy(av->ck, v->ck, GBA_CK_LEN);
	memcpy(av->ik, v->ik, GBA_IK_LEN);
	sub->sqn = aud->u.umts.sqn;
	return 0;
}

int gba_auc_gen_vector(struct gba_av *av, struct gba_auc_sub *sub,
		       const uint8_t rand[GBA_RAND_LEN])
{
	struct osmo_sub_auth_data aud;
	struct osmo_auth_vector v;
	int rc;

	if (!av || !rand || !sub_valid(sub))
		return -EINVAL;
	aud_fill(&aud, sub);
	memset(&v, 0, sizeof(v));
	rc = osmo_auth_gen_vec(&v, &aud, rand);
	if (rc == 0)
		rc = av_from_osmo(av, sub, &v, &aud);
	else
		rc = -EIO;
	gba_zeroize(&aud, sizeof(aud));
	gba_zeroize(&v, sizeof(v));
	return rc;
}

int gba_auc_resync(struct gba_av *av, struct gba_auc_sub *sub,
		   const uint8_t rand_failed[GBA_RAND_LEN], const uint8_t auts[GBA_AUTS_LEN],
		   const uint8_t new_rand[GBA_RAND_LEN])
{
	struct osmo_sub_auth_data aud;
	struct osmo_auth_vector v;
	int rc;

	if (!av || !rand_failed || !auts || !new_rand || !sub_valid(sub))
		return -EINVAL;
	aud_fill(&aud, sub);
	memset(&v, 0, sizeof(v));
	if (sub->cred.alg == GBA_AKA_XOR) {
		/*
		 * libosmocore's XOR derives AK and MAC-S from the RAND of the new vector instead of
		 * the RAND the AUTS answers (TS 33.102 6.3.5), and then reuses SQN_MS as is. So let
		 * it check AUTS against rand_failed alone, and make the new vector afterwards.
		 */
		rc = osmo_auth_gen_vec_auts(&v, &aud, auts, rand_failed, rand_failed);
		if (rc == 0) {
			aud.u.umts.sqn = sqn_next(aud.u.umts.sqn_ms, sub->ind_bitlen, sub->ind);
			gba_zeroize(&v, sizeof(v));
			rc = osmo_auth_gen_vec(&v, &aud, new_rand) ? -EIO : 0;
		} else {
			rc = -EBADMSG;
		}
	} else {
		/* with valid parameters libosmocore's MILENAGE fails only on a wrong MAC-S */
		rc = osmo_auth_gen_vec_auts(&v, &aud, auts, rand_failed, new_rand) ? -EBADMSG : 0;
	}
	if (rc == 0)
		rc = av_from_osmo(av, sub, &v, &aud);
	else if (rc == -EBADMSG)
		GLOGP(GBA_LC_CORE, GBA_LL_NOTICE, "AuC: AUTS with a wrong MAC-S\n");
	gba_zeroize(&aud, sizeof(aud));
	gba_zeroize(&v, sizeof(v));
	return rc;
}

static bool cred_valid(const struct gba_aka_cred *c)
{
	return c && (c->alg == GBA_AKA_MILENAGE || c->alg == GBA_AKA_XOR);
}

int gba_usim_check_autn(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
			const uint8_t autn[GBA_AUTN_LEN], uint64_t *sqn, uint8_t amf[GBA_AMF_LEN])
{
	uint8_t ak[GBA_AK_LEN], sqnb[GBA_SQN_LEN], xmac[GBA_MAC_LEN], xdout[16];
	bool ok;
	int rc = 0;

	if (!cred_valid(cred) || !rand || !autn)
		return -EINVAL;
	if (cred->alg == GBA_AKA_XOR) {
		gba_xor_core(cred->k, rand, xdout);
		gba_xor_keys(xdout, NULL, NULL, NULL, ak);
	} else {
		rc = gba_milenage_f2345(cred->opc, cred->k, rand, NULL, NULL, NULL, ak, NULL);
	}
	for (int i = 0; i < GBA_SQN_LEN; i++)
		sqnb[i] = autn[i] ^ ak[i];
	if (rc == 0) {
		if (cred->alg == GBA_AKA_XOR)
			gba_xor_mac(xdout, sqnb, autn + 6, xmac);
		else
			rc = gba_milenage_f1(cred->opc, cred->k, rand, sqnb, autn + 6, xmac, NULL);
	}
	ok = rc == 0 && gba_ct_equal(xmac, autn + 8, GBA_MAC_LEN);
	if (ok) {
		if (sqn)
			*sqn = sqn_from_bytes(sqnb);
		if (amf)
			memcpy(amf, autn + 6, GBA_AMF_LEN);
	}
	gba_zeroize(xdout, sizeof(xdout));
	gba_zeroize(ak, sizeof(ak));
	gba_zeroize(xmac, sizeof(xmac));
	if (rc)
		return rc;
	return ok ? 0 : -EBADMSG;
}

int gba_usim_compute(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
		     uint8_t res[GBA_RES_MAX_LEN], size_t *res_len,
		     uint8_t ck[GBA_CK_LEN], uint8_t ik[GBA_IK_LEN])
{
	uint8_t xdout[16];
	int rc;

	if (!cred_valid(cred) || !rand || !res || !res_len || !ck || !ik)
		return -EINVAL;
	if (cred->alg == GBA_AKA_XOR) {
		gba_xor_core(cred->k, rand, xdout);
		gba_xor_keys(xdout, res, ck, ik, NULL);
		gba_zeroize(xdout, sizeof(xdout));
		*res_len = 16;
		return 0;
	}
	rc = gba_milenage_f2345(cred->opc, cred->k, rand, res, ck, ik, NULL, NULL);
	*res_len = rc ? 0 : 8;
	return rc;
}

int gba_usim_auts(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
		  uint64_t sqn_ms, uint8_t auts[GBA_AUTS_LEN])
{
	static const uint8_t amf0[GBA_AMF_LEN];
	uint8_t akstar[GBA_AK_LEN], sqnb[GBA_SQN_LEN], xdout[16];
	int rc = 0;

	if (!cred_valid(cred) || !rand || !auts || sqn_ms > SQN_MASK)
		return -EINVAL;
	sqn_to_bytes(sqnb, sqn_ms);
	if (cred->alg == GBA_AKA_XOR) {
		gba_xor_core(cred->k, rand, xdout);
		gba_xor_keys(xdout, NULL, NULL, NULL, akstar);
		gba_xor_mac(xdout, sqnb, amf0, auts + GBA_SQN_LEN);
		gba_zeroize(xdout, sizeof(xdout));
	} else {
		rc = gba_milenage_f2345(cred->opc, cred->k, rand, NULL, NULL, NULL, NULL, akstar);
		if (rc == 0)
			rc = gba_milenage_f1(cred->opc, cred->k, rand, sqnb, amf0, NULL,
					     auts + GBA_SQN_LEN);
	}
	for (int i = 0; i < GBA_SQN_LEN; i++)
		auts[i] = sqnb[i] ^ akstar[i];
	gba_zeroize(akstar, sizeof(akstar));
	if (rc)
		gba_zeroize(auts, GBA_AUTS_LEN);
	return rc;
}

void gba_aka_c3(uint8_t kc[8], const uint8_t ck[GBA_CK_LEN], const uint8_t ik[GBA_IK_LEN])
{
	osmo_auth_c3(kc, ck, ik);
}

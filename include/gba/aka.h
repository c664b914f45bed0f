/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UMTS AKA for both ends.
 *
 * AuC side (BSF built-in AuC, test HSS): vectors and resync through
 * libosmocore's osmo_auth_gen_vec() / osmo_auth_gen_vec_auts().
 *
 * USIM side (soft UICC, tests): AUTN check and RES/CK/IK/AUTS, for MILENAGE
 * (TS 35.206) and the TS 34.108 8.1.2 XOR test algorithm. libosmocore does not
 * export f1* / f5* in any installed header, so the USIM side is a small
 * implementation on OpenSSL AES (core/milenage.c, core/aka_xor.c).
 *
 * The SQN freshness check (TS 33.102 Annex C) is the card's business
 * (uicc/sqn.c): gba_usim_check_autn() only verifies the MAC and recovers SQN.
 */
#ifndef GBA_AKA_H
#define GBA_AKA_H

#include <stdint.h>
#include <stddef.h>

#include <gba/keys.h>

enum gba_aka_alg {
	GBA_AKA_MILENAGE,
	GBA_AKA_XOR,		/* TS 34.108 8.1.2 test algorithm */
};

/* Parse "milenage" / "xor" (case-insensitive). Returns the algorithm or -EINVAL. */
int gba_aka_alg_parse(const char *name);
const char *gba_aka_alg_name(enum gba_aka_alg alg);

/* The subscriber secrets both sides hold. Zeroize after use. */
struct gba_aka_cred {
	enum gba_aka_alg alg;
	uint8_t k[GBA_K_LEN];
	uint8_t opc[GBA_OPC_LEN];	/* MILENAGE only */
};

/* OPc = E_K(OP) xor OP. 0 or -EIO. */
int gba_milenage_opc(uint8_t opc[GBA_OPC_LEN], const uint8_t k[GBA_K_LEN], const uint8_t op[16]);

/* Raw MILENAGE functions (TS 35.206), exposed for known-answer tests. 0 or -EIO. */
int gba_milenage_f1(const uint8_t opc[16], const uint8_t k[16], const uint8_t rand[16],
		    const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8]);
int gba_milenage_f2345(const uint8_t opc[16], const uint8_t k[16], const uint8_t rand[16],
		       uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6],
		       uint8_t akstar[6]);

/* An authentication vector, AuC side. */
struct gba_av {
	uint8_t rand[GBA_RAND_LEN];
	uint8_t autn[GBA_AUTN_LEN];
	uint8_t xres[GBA_RES_MAX_LEN];
	size_t xres_len;
	uint8_t ck[GBA_CK_LEN];
	uint8_t ik[GBA_IK_LEN];
};

/* AuC state of one subscriber. 'sqn' is the last SQN used (libosmocore semantics). */
struct gba_auc_sub {
	struct gba_aka_cred cred;
	uint8_t amf[GBA_AMF_LEN];
	uint64_t sqn;
	unsigned int ind_bitlen;	/* 0..10 */
	unsigned int ind;		/* IND slot of this AuC (< 2^ind_bitlen) */
};

/*
 * Generate one vector for 'rand' (from gba_random() unless testing) and advance sub->sqn to the
 * SQN it carries (SEQ + 1 with sub->ind in the low ind_bitlen bits, for MILENAGE and XOR alike).
 * Returns 0, -EINVAL for bad parameters, -ERANGE when the 48-bit SQN space is used up,
 * -EIO when libosmocore fails. On failure sub->sqn is unchanged.
 */
int gba_auc_gen_vector(struct gba_av *av, struct gba_auc_sub *sub,
		       const uint8_t rand[GBA_RAND_LEN]);

/*
 * Resynchronise from AUTS sent for 'rand_failed' and generate a fresh vector with 'new_rand'.
 * On success sub->sqn is the SQN of that vector, the step after SQN_MS. Returns 0, -EBADMSG
 * when MAC-S is wrong (sub->sqn unchanged), -EINVAL for bad parameters, -ERANGE when no SQN
 * after SQN_MS fits in 48 bits, -EIO otherwise.
 */
int gba_auc_resync(struct gba_av *av, struct gba_auc_sub *sub,
		   const uint8_t rand_failed[GBA_RAND_LEN], const uint8_t auts[GBA_AUTS_LEN],
		   const uint8_t new_rand[GBA_RAND_LEN]);

/*
 * USIM side: verify AUTN for RAND. On success returns 0 and the recovered SQN (48 bits) and AMF.
 * Returns -EBADMSG when MAC-A does not match (the card answers 9862), -EINVAL for bad parameters.
 */
int gba_usim_check_autn(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
			const uint8_t autn[GBA_AUTN_LEN], uint64_t *sqn, uint8_t amf[GBA_AMF_LEN]);

/*
 * USIM side: RES, CK and IK for RAND (call after the SQN check passed).
 * *res_len is 8 for MILENAGE, 16 for XOR. Returns 0 or negative errno.
 */
int gba_usim_compute(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
		     uint8_t res[GBA_RES_MAX_LEN], size_t *res_len,
		     uint8_t ck[GBA_CK_LEN], uint8_t ik[GBA_IK_LEN]);

/*
 * USIM side: AUTS = (SQN_MS xor AK*) || MAC-S, MAC-S = f1*(SQN_MS, RAND, AMF = 0000)
 * (TS 33.102 6.3.3).
 * Returns 0 or negative errno.
 */
int gba_usim_auts(const struct gba_aka_cred *cred, const uint8_t rand[GBA_RAND_LEN],
		  uint64_t sqn_ms, uint8_t auts[GBA_AUTS_LEN]);

/* GSM Kc = c3(CK, IK) (TS 33.102 6.8.1.2) for cards with GSM access (osmo_auth_c3). */
void gba_aka_c3(uint8_t kc[8], const uint8_t ck[GBA_CK_LEN], const uint8_t ik[GBA_IK_LEN]);

#endif /* GBA_AKA_H */

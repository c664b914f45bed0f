/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TS 33.220 Annex B key derivation: the generic KDF, the NAF-specific keys
 * Ks_NAF / Ks_ext_NAF ("gba-me") and Ks_int_NAF ("gba-u"), TMPI (B.4), and
 * NAF_Id = FQDN || Ua security protocol id (Annex H).
 */
#ifndef GBA_KDF_H
#define GBA_KDF_H

#include <stddef.h>
#include <stdint.h>

#include <gba/keys.h>

#define GBA_KDF_OUT_LEN		32
#define GBA_KDF_FC_GBA		0x01
#define GBA_FQDN_MAX		255
#define GBA_NAF_ID_MAX		(GBA_FQDN_MAX + GBA_UA_ID_LEN)

/* Ua security protocol identifiers (TS 33.220 Annex H.3). */
#define GBA_UA_ID_DEFAULT	((const uint8_t[GBA_UA_ID_LEN]){ 0x00, 0x00, 0x00, 0x00, 0x00 })
#define GBA_UA_ID_HTTP_DIGEST	((const uint8_t[GBA_UA_ID_LEN]){ 0x01, 0x00, 0x00, 0x00, 0x02 })
#define GBA_UA_ID_TLS13		((const uint8_t[GBA_UA_ID_LEN]){ 0x01, 0x00, 0x00, 0x00, 0x07 })
#define GBA_UA_ID_TMPI		((const uint8_t[GBA_UA_ID_LEN]){ 0x01, 0x00, 0x00, 0x01, 0x00 })
/* TLS 1.2 cipher suites that matter for oneM2M TS-0003 10.2.2 */
#define GBA_TLS_PSK_WITH_AES_128_CBC_SHA256	0x00ae
#define GBA_TLS_PSK_WITH_AES_128_CCM_8		0xc0a8

/* Ua id "01 00 01 yy zz" for shared-key TLS 1.2 (TS 33.222 5.3/5.4) with cipher suite yyzz. */
void gba_ua_id_tls12(uint8_t out[GBA_UA_ID_LEN], uint16_t suite);

/* One KDF input parameter P_i; its 2-octet length L_i is added by gba_kdf(). */
struct gba_kdf_param {
	const uint8_t *data;
	size_t len;		/* at most 65535 */
};

/*
 * Generic KDF (B.2): HMAC-SHA-256(key, FC || P0 || L0 || ... || Pn || Ln).
 * Returns 0, -EINVAL for a parameter longer than 65535 octets or n == 0, -EIO on a crypto failure.
 */
int gba_kdf(uint8_t out[GBA_KDF_OUT_LEN], const uint8_t *key, size_t keylen, uint8_t fc,
	    const struct gba_kdf_param *params, size_t n);

/*
 * NAF_Id = fqdn || ua_id into 'out' ('outlen' bytes available). Returns the length,
 * -EINVAL for an empty or over-long FQDN, -ENOSPC when 'out' is too small.
 */
int gba_naf_id(uint8_t *out, size_t outlen, const char *fqdn, const uint8_t ua_id[GBA_UA_ID_LEN]);

/*
 * Ks_NAF (GBA_ME) = Ks_ext_NAF (GBA_U) = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id).
 * Returns 0, -EINVAL for a missing argument, an empty IMPI or a NAF_Id without FQDN or longer
 * than GBA_NAF_ID_MAX, -EIO on a crypto failure.
 */
int gba_ks_naf(uint8_t out[GBA_KS_NAF_LEN], const uint8_t ks[GBA_KS_LEN],
	       const uint8_t rand[GBA_RAND_LEN], const char *impi,
	       const uint8_t *naf_id, size_t naf_id_len);

/* Ks_int_NAF (GBA_U only) = KDF(Ks, "gba-u", RAND, IMPI, NAF_Id). Returns as gba_ks_naf(). */
int gba_ks_int_naf(uint8_t out[GBA_KS_NAF_LEN], const uint8_t ks[GBA_KS_LEN],
		   const uint8_t rand[GBA_RAND_LEN], const char *impi,
		   const uint8_t *naf_id, size_t naf_id_len);

/*
 * TMPI (B.4): base64(first 24 octets of KDF(Ks, "gba-me", RAND, IMPI, BSF_FQDN || 01 00 00 01 00))
 * followed by "@tmpi.bsf.3gppnetwork.org". Returns the string length (57), -ENOSPC when 'outlen'
 * is below 58, -EINVAL for a missing argument, an empty IMPI or a bad BSF FQDN, -EIO.
 */
int gba_tmpi(char *out, size_t outlen, const uint8_t ks[GBA_KS_LEN],
	     const uint8_t rand[GBA_RAND_LEN], const char *impi, const char *bsf_fqdn);

#endif /* GBA_KDF_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TS 33.220 Annex B key derivation on OpenSSL's HMAC-SHA-256 (EVP_MAC): the
 * generic KDF, NAF_Id, Ks_NAF / Ks_ext_NAF / Ks_int_NAF and TMPI.
 *
 * The EVP_MAC is fetched once per process and each thread keeps one MAC
 * context that is re-keyed per derivation and scrubbed after it, so a
 * derivation costs no fetch and no context allocation (tests/bench/bench_kdf
 * measures it against one-shot HMAC()).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <gba/kdf.h>
#include <gba/keys.h>
#include <gba/log.h>

static EVP_MAC *hmac;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;
static pthread_key_t ctx_key;

static void ctx_free(void *p)
{
	EVP_MAC_CTX_free(p);
}

static void hmac_fetch(void)
{
	hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	if (pthread_key_create(&ctx_key, ctx_free))
		hmac = NULL;
}

/* This thread's HMAC-SHA-256 context, created on first use. NULL on failure. */
static EVP_MAC_CTX *thread_ctx(void)
{
	EVP_MAC_CTX *ctx;

	pthread_once(&hmac_once, hmac_fetch);
	if (!hmac)
		return NULL;
	ctx = pthread_getspecific(ctx_key);
	if (ctx)
		return ctx;
	ctx = EVP_MAC_CTX_new(hmac);
	if (!ctx)
		return NULL;
	{
		OSSL_PARAM p[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
			OSSL_PARAM_construct_end(),
		};

		if (!EVP_MAC_CTX_set_params(ctx, p) || pthread_setspecific(ctx_key, ctx)) {
			EVP_MAC_CTX_free(ctx);
			return NULL;
		}
	}
	return ctx;
}

/*
 * The context keeps a copy of the key and the keyed inner/outer digest states until it is keyed
 * again: re-key it with a dummy key so that no Ks stays in memory between derivations.
 */
static void ctx_scrub(EVP_MAC_CTX *ctx)
{
	static const uint8_t dummy[1];

	if (!EVP_MAC_init(ctx, dummy, sizeof(dummy), NULL))
		GLOGP(GBA_LC_CORE, GBA_LL_ERROR, "kdf: could not scrub the HMAC context\n");
}

void gba_ua_id_tls12(uint8_t out[GBA_UA_ID_LEN], uint16_t suite)
{
	out[0] = 0x01;
	out[1] = 0x00;
	out[2] = 0x01;
	out[3] = (uint8_t)(suite >> 8);
	out[4] = (uint8_t)suite;
}

int gba_kdf(uint8_t out[GBA_KDF_OUT_LEN], const uint8_t *key, size_t keylen, uint8_t fc,
	    const struct gba_kdf_param *params, size_t n)
{
	EVP_MAC_CTX *ctx;
	size_t outl = 0, i;

	if (!key || !keylen || !params || n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (params[i].len > 0xffff || (params[i].len && !params[i].data))
			return -EINVAL;
	ctx = thread_ctx();
	if (!ctx)
		return -EIO;
	if (!EVP_MAC_init(ctx, key, keylen, NULL) || !EVP_MAC_update(ctx, &fc, 1))
		goto fail;
	for (i = 0; i < n; i++) {
		uint8_t l[2] = { (uint8_t)(params[i].len >> 8), (uint8_t)params[i].len };

		if ((params[i].len && !EVP_MAC_update(ctx, params[i].data, params[i].len)) ||
		    !EVP_MAC_update(ctx, l, 2))
			goto fail;
	}
	if (!EVP_MAC_final(ctx, out, &outl, GBA_KDF_OUT_LEN) || outl != GBA_KDF_OUT_LEN)
		goto fail;
	ctx_scrub(ctx);
	return 0;
fail:
	ctx_scrub(ctx);
	gba_zeroize(out, GBA_KDF_OUT_LEN);
	return -EIO;
}

int gba_naf_id(uint8_t *out, size_t outlen, const char *fqdn, const uint8_t ua_id[GBA_UA_ID_LEN])
{
	size_t flen;

	if (!fqdn || !ua_id)
		return -EINVAL;
	flen = strlen(fqdn);
	if (flen == 0 || flen > GBA_FQDN_MAX)
		return -EINVAL;
	if (outlen < flen + GBA_UA_ID_LEN)
		return -ENOSPC;
	memcpy(out, fqdn, flen);
	memcpy(out + flen, ua_id, GBA_UA_ID_LEN);
	return (int)(flen + GBA_UA_ID_LEN);
}

/* KDF(Ks, p0, RAND, IMPI, P3) for the Annex B.3 / B.4 derivations. */
static int ks_derive(uint8_t out[GBA_KDF_OUT_LEN], const uint8_t ks[GBA_KS_LEN], const char *p0,
		     const uint8_t rand[GBA_RAND_LEN], const char *impi, const uint8_t *p3,
		     size_t p3_len)
{
	struct gba_kdf_param p[4];

	if (!ks || !rand || !impi || !*impi || !p3 || !p3_len)
		return -EINVAL;
	p[0] = (struct gba_kdf_param){ (const uint8_t *)p0, strlen(p0) };
	p[1] = (struct gba_kdf_param){ rand, GBA_RAND_LEN };
	p[2] = (struct gba_kdf_param){ (const uint8_t *)impi, strlen(impi) };
	p[3] = (struct gba_kdf_param){ p3, p3_len };
	return gba_kdf(out, ks, GBA_KS_LEN, GBA_KDF_FC_GBA, p, 4);
}

int gba_ks_naf(uint8_t out[GBA_KS_NAF_LEN], const uint8_t ks[GBA_KS_LEN],
	       const uint8_t rand[GBA_RAND_LEN], const char *impi,
	       const uint8_t *naf_id, size_t naf_id_len)
{
	if (naf_id_len <= GBA_UA_ID_LEN || naf_id_len > GBA_NAF_ID_MAX)
		return -EINVAL;
	return ks_derive(out, ks, "gba-me", rand, impi, naf_id, naf_id_len);
}

int gba_ks_int_naf(uint8_t out[GBA_KS_NAF_LEN], const uint8_t ks[GBA_KS_LEN],
		   const uint8_t rand[GBA_RAND_LEN], const char *impi,
		   const uint8_t *naf_id, size_t naf_id_len)
{
	if (naf_id_len <= GBA_UA_ID_LEN || naf_id_len > GBA_NAF_ID_MAX)
		return -EINVAL;
	return ks_derive(out, ks, "gba-u", rand, impi, naf_id, naf_id_len);
}

int gba_tmpi(char *out, size_t outlen, const uint8_t ks[GBA_KS_LEN],
	     const uint8_t rand[GBA_RAND_LEN], const char *impi, const char *bsf_fqdn)
{
	static const char suffix[] = "@tmpi.bsf.3gppnetwork.org";
	uint8_t bsf_id[GBA_NAF_ID_MAX], k[GBA_KDF_OUT_LEN];
	int rc, len;

	if (outlen < GBA_B64_LEN(24) + sizeof(suffix))
		return -ENOSPC;
	len = gba_naf_id(bsf_id, sizeof(bsf_id), bsf_fqdn, GBA_UA_ID_TMPI);
	if (len < 0)
		return len;
	rc = ks_derive(k, ks, "gba-me", rand, impi, bsf_id, (size_t)len);
	if (rc == 0) {
		rc = gba_b64_encode(out, outlen, k, 24);
		if (rc >= 0) {
			memcpy(out + rc, suffix, sizeof(suffix));
			rc += (int)sizeof(suffix) - 1;
		}
	}
	gba_zeroize(k, sizeof(k));
	return rc;
}

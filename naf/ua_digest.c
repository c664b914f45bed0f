/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ua with HTTP Digest, NAF side (TS 24.109 5.2): the 401 challenge with the bootstrapping
 * realm and qop auth-int, and the check of the UE's answer (username = B-TID, password =
 * base64 of the NAF key for NAF_Id = FQDN || 01 00 00 00 02) with core's Digest code.
 * Nonces are stateless: base64(time || random || HMAC-SHA-256(secret, time || random ||
 * FQDN)[0..15]), so any thread can check them; nc replay is not tracked (the nonce
 * lifetime, 300 s, bounds it).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gba/digest.h>
#include <gba/log.h>

#include "naf_priv.h"

#define REALM_ME	"3GPP-bootstrapping@"
#define REALM_UICC	"3GPP-bootstrapping-uicc@"
#define NONCE_TTL	300
#define NONCE_RAW	32	/* 8 time + 8 random + 16 MAC */

static int nonce_mac(const struct gba_naf *naf, const uint8_t head[16], const char *fqdn,
		     uint8_t mac[16])
{
	uint8_t msg[16 + GBA_NAF_FQDN_MAX], out[EVP_MAX_MD_SIZE];
	unsigned int olen = 0;
	size_t flen = strlen(fqdn);

	memcpy(msg, head, 16);
	memcpy(msg + 16, fqdn, flen);
	if (!HMAC(EVP_sha256(), naf->nonce_key, sizeof(naf->nonce_key), msg, 16 + flen, out,
		  &olen) || olen < 16)
		return -EIO;
	memcpy(mac, out, 16);
	return 0;
}

int gba_naf_digest_challenge(struct gba_naf *naf, const char *fqdn, bool uicc, bool stale,
			     char *out, size_t outlen)
{
	uint8_t raw[NONCE_RAW];
	char nonce[GBA_B64_LEN(NONCE_RAW) + 1], realm[sizeof(REALM_UICC) + GBA_NAF_FQDN_MAX];
	uint64_t now = (uint64_t)time(NULL);
	const char *f;
	int i;

	f = naf && fqdn ? gba_naf_fqdn_match(naf, fqdn) : NULL;
	if (!f || !out)
		return -EINVAL;
	for (i = 0; i < 8; i++)
		raw[i] = (uint8_t)(now >> (56 - 8 * i));
	if (gba_random(raw + 8, 8) || nonce_mac(naf, raw, f, raw + 16))
		return -EIO;
	if (gba_b64_encode(nonce, sizeof(nonce), raw, sizeof(raw)) < 0)
		return -EIO;
	snprintf(realm, sizeof(realm), "%s%s", uicc ? REALM_UICC : REALM_ME, f);
	return gba_digest_fmt_challenge(out, outlen, realm, nonce, NULL, "MD5",
					(1u << GBA_QOP_AUTH_INT) | (1u << GBA_QOP_AUTH), stale);
}

/* 0 for a nonce we made for 'fqdn' less than NONCE_TTL ago, -ESTALE, -EACCES. */
static int nonce_check(const struct gba_naf *naf, const char *nonce, const char *fqdn)
{
	uint8_t raw[NONCE_RAW + 2], mac[16];
	uint64_t t = 0, now = (uint64_t)time(NULL);
	int i;

	if (gba_b64_decode(raw, sizeof(raw), nonce, strlen(nonce)) != NONCE_RAW ||
	    nonce_mac(naf, raw, fqdn, mac) || !gba_ct_equal(mac, raw + 16, 16))
		return -EACCES;
	for (i = 0; i < 8; i++)
		t = (t << 8) | raw[i];
	if (t > now + 5 || now - t > NONCE_TTL)
		return -ESTALE;
	return 0;
}

struct dg {
	struct gba_digest d;
	struct gba_naf_key k;
	char pw[GBA_B64_LEN(GBA_NAF_KEY_LEN) + 1];
	struct gba_digest_input in;
};

static void dg_free(struct dg *g)
{
	if (!g)
		return;
	gba_naf_key_wipe(&g->k);
	gba_zeroize(g, sizeof(*g));
	free(g);
}

/* Parse and check realm/nonce/uri, fetch the key, fill g->in (method/body left to caller). */
static int dg_prepare(struct gba_naf *naf, const char *fqdn, const char *authz, size_t len,
		      const char *uri, struct dg *g, enum gba_naf_key_use *use)
{
	const char *f = naf && fqdn ? gba_naf_fqdn_match(naf, fqdn) : NULL;
	size_t rl;
	int rc;

	if (!f || !authz)
		return -EINVAL;
	rc = gba_digest_parse(&g->d, GBA_DIGEST_CREDENTIALS, authz, len);
	if (rc) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest: bad Authorization: %s", g->d.err);
		return -EINVAL;
	}
	*use = GBA_NAF_KEY_ME;
	rl = strlen(g->d.realm);
	if (!strncmp(g->d.realm, REALM_UICC, strlen(REALM_UICC)))
		*use = GBA_NAF_KEY_UICC;
	else if (strncmp(g->d.realm, REALM_ME, strlen(REALM_ME)))
		return -EACCES;
	if (strcasecmp(g->d.realm + (*use ? strlen(REALM_UICC) : strlen(REALM_ME)), f) ||
	    rl > sizeof(REALM_UICC) + GBA_NAF_FQDN_MAX) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest: foreign realm '%s'", g->d.realm);
		return -EACCES;
	}
	if (uri && strcmp(uri, g->d.uri)) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest: uri '%s' is not the request's", g->d.uri);
		return -EACCES;
	}
	rc = nonce_check(naf, g->d.nonce, f);
	if (rc)
		return rc;
	rc = gba_naf_get_key(naf, g->d.username, f, gba_naf_ua_http_digest, *use,
			     GBA_NAF_GET_NO_USS, &g->k);
	if (rc)
		return rc;
	if (gba_b64_encode(g->pw, sizeof(g->pw), g->k.key, GBA_NAF_KEY_LEN) < 0)
		return -EIO;
	g->in.password = (const uint8_t *)g->pw;
	g->in.password_len = strlen(g->pw);
	g->in.username = g->d.username;
	g->in.realm = g->d.realm;
	g->in.uri = g->d.uri;
	g->in.nonce = g->d.nonce;
	g->in.nc = g->d.nc;
	g->in.cnonce = g->d.cnonce;
	g->in.qop = (g->d.qop_mask & (1u << GBA_QOP_AUTH_INT)) ? GBA_QOP_AUTH_INT :
		    (g->d.qop_mask & (1u << GBA_QOP_AUTH)) ? GBA_QOP_AUTH : GBA_QOP_NONE;
	return 0;
}

int gba_naf_digest_verify(struct gba_naf *naf, const char *fqdn, const char *authz, size_t len,
			  const char *method, const char *uri, const uint8_t *body,
			  size_t body_len, struct gba_naf_peer *peer)
{
	struct dg *g = calloc(1, sizeof(*g));
	enum gba_naf_key_use use;
	int rc;

	if (!g)
		return -ENOMEM;
	if (!method || !peer) {
		rc = -EINVAL;
		goto out;
	}
	rc = dg_prepare(naf, fqdn, authz, len, uri, g, &use);
	if (rc)
		goto out;
	if (g->in.qop == GBA_QOP_NONE) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest: %s answered without qop", g->d.username);
		rc = -EACCES;
		goto out;
	}
	g->in.method = method;
	g->in.body = body;
	g->in.body_len = body_len;
	rc = gba_digest_verify(g->d.response, &g->in);
	if (rc == -EACCES)
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest: wrong response for %s", g->d.username);
	else if (rc == 0)
		naf_peer_from_key(peer, &g->k, use);
out:
	dg_free(g);
	return rc;
}

int gba_naf_digest_auth_info(struct gba_naf *naf, const char *fqdn, const char *authz,
			     size_t len, const uint8_t *rbody, size_t rbody_len, char *out,
			     size_t outlen)
{
	char rsp[GBA_DIGEST_HEX_LEN + 1];
	struct dg *g = calloc(1, sizeof(*g));
	enum gba_naf_key_use use;
	int rc;

	if (!g)
		return -ENOMEM;
	rc = out ? dg_prepare(naf, fqdn, authz, len, NULL, g, &use) : -EINVAL;
	if (rc)
		goto out;
	g->in.method = "";
	g->in.body = rbody;
	g->in.body_len = rbody_len;
	rc = gba_digest_compute(rsp, &g->in);
	if (!rc)
		rc = gba_digest_fmt_auth_info(out, outlen, g->in.qop, rsp, g->d.cnonce, g->d.nc,
					      NULL);
out:
	dg_free(g);
	return rc;
}

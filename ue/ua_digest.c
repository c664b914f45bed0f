/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ua with HTTP Digest (TS 24.109 clause 5.2): a NAF that wants GBA answers 401 with realm
 * "3GPP-bootstrapping@FQDN" (or "-uicc"); we answer with username = B-TID and password =
 * base64(Ks_(ext)_NAF) for NAF_Id = FQDN || 01 00 00 00 02, qop auth-int when offered. A
 * fresh 401 after that (the NAF does not know the B-TID or the key expired) makes one new
 * bootstrap and one retry. rspauth is checked when the NAF sends Authentication-Info.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gba/digest.h>
#include <gba/kdf.h>
#include <gba/log.h>

#include "http.h"
#include "ue_priv.h"

#define GBA_REALM_PREFIX	"3GPP-bootstrapping"

/* "3GPP-bootstrapping@fqdn" or "3GPP-bootstrapping-uicc@fqdn": the FQDN part, else NULL. */
static const char *gba_realm_fqdn(const char *realm)
{
	size_t n = strlen(GBA_REALM_PREFIX);

	if (!realm || strncmp(realm, GBA_REALM_PREFIX, n))
		return NULL;
	if (realm[n] == '@')
		return realm + n + 1;
	if (!strncmp(realm + n, "-uicc@", 6))
		return realm + n + 6;
	return NULL;
}

struct ua_try {
	struct gba_digest ch;
	struct gba_digest_input in;
	char pw[GBA_B64_LEN(GBA_UE_KEY_LEN) + 1];
	char cnonce[17];
	char authz[GBA_DIGEST_HDR_MAX];
};

/* Build the Authorization for challenge t->ch with the NAF key. 0 or errno. */
static int answer(struct gba_ue *ue, struct ua_try *t, const char *fqdn, const char *uri,
		  bool force, bool *gba)
{
	char resp[GBA_DIGEST_HEX_LEN + 1];
	struct gba_ue_naf_key k;
	uint8_t cn[8];
	const char *rf = gba_realm_fqdn(t->ch.realm);
	int rc;

	*gba = rf != NULL;
	if (!rf)
		return 0;	/* not a GBA challenge: the caller gets the 401 */
	if (strcasecmp(rf, fqdn))
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "NAF realm names %s, URL host is %s: using %s",
		      rf, fqdn, fqdn);
	if (t->ch.algorithm && strcasecmp(t->ch.algorithm, "MD5"))
		return ue_err(ue, -EPROTO, "NAF: Digest algorithm %s not supported (MD5 only)",
			      t->ch.algorithm);
	rc = gba_ue_naf_key(ue, fqdn, GBA_UA_ID_HTTP_DIGEST, force, &k);
	if (rc < 0)
		return rc;
	rc = gba_b64_encode(t->pw, sizeof(t->pw), k.key, sizeof(k.key));
	gba_ue_key_wipe(&k);
	if (rc < 0 || gba_random(cn, sizeof(cn)) ||
	    gba_hex_encode(t->cnonce, sizeof(t->cnonce), cn, sizeof(cn)))
		return ue_err(ue, -EIO, "cannot encode the Digest password");
	memset(&t->in, 0, sizeof(t->in));
	t->in.password = (const uint8_t *)t->pw;
	t->in.password_len = strlen(t->pw);
	t->in.username = ue->boot.btid;
	t->in.realm = t->ch.realm;
	t->in.method = "GET";
	t->in.uri = uri;
	t->in.nonce = t->ch.nonce;
	t->in.nc = "00000001";
	t->in.cnonce = t->cnonce;
	t->in.qop = (t->ch.qop_mask & (1u << GBA_QOP_AUTH_INT)) ? GBA_QOP_AUTH_INT :
		    (t->ch.qop_mask & (1u << GBA_QOP_AUTH)) ? GBA_QOP_AUTH : GBA_QOP_NONE;
	rc = gba_digest_compute(resp, &t->in);
	if (rc == 0)
		rc = gba_digest_fmt_credentials(t->authz, sizeof(t->authz), &t->in, resp,
						t->ch.algorithm, t->ch.opaque, NULL);
	return rc < 0 ? ue_err(ue, rc, "cannot build the Digest answer") : 0;
}

/* Authentication-Info of the NAF's answer: rspauth must match when present. */
static int check_rspauth(struct gba_ue *ue, struct ua_try *t, const struct ue_http_rsp *r)
{
	struct gba_digest *ai;
	int rc = 0;

	if (!r->auth_info[0])
		return 0;
	ai = malloc(sizeof(*ai));
	if (!ai)
		return -ENOMEM;
	if (gba_digest_parse(ai, GBA_DIGEST_AUTH_INFO, r->auth_info, strlen(r->auth_info)))
		rc = ue_err(ue, -EPROTO, "NAF: bad Authentication-Info: %s", ai->err);
	else if (ai->rspauth) {
		t->in.method = "";
		t->in.body = (const uint8_t *)r->body;
		t->in.body_len = r->body_len;
		if (gba_digest_verify(ai->rspauth, &t->in))
			rc = ue_err(ue, -EBADMSG, "NAF: wrong rspauth, refusing its answer");
	}
	free(ai);
	return rc;
}

static int to_resp(struct ue_http_rsp *r, struct gba_ue_response *resp)
{
	resp->status = r->status;
	resp->body = r->body;
	resp->body_len = r->body_len;
	r->body = NULL;
	return 0;
}

static int get(struct gba_ue *ue, struct ue_http *h, const char *url, const char *authz,
	       struct ue_http_rsp *r)
{
	int rc = ue_http_get(h, url, authz, ue->product, r);

	return rc < 0 ? ue_err(ue, rc, "NAF: %s", h->err) : 0;
}

int ue_digest_get(struct gba_ue *ue, const char *url, struct gba_ue_response *resp)
{
	struct ue_http h = { .timeout_ms = ue->http_timeout_ms };
	struct ue_http_rsp r;
	struct ue_url u;
	struct ua_try *t;
	bool gba, answered = false;
	int rc, round;

	if (ue_url_parse(&u, url))
		return ue_err(ue, -EINVAL, "bad URL '%s'", url);
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	rc = get(ue, &h, url, NULL, &r);
	for (round = 0; rc == 0 && round < 3; round++) {
		if (r.status != 401) {
			rc = answered ? check_rspauth(ue, t, &r) : 0;
			if (rc == 0)
				to_resp(&r, resp);
			break;
		}
		if (gba_digest_parse(&t->ch, GBA_DIGEST_CHALLENGE, r.www_auth,
				     strlen(r.www_auth))) {
			to_resp(&r, resp);	/* a 401 we cannot answer: the caller sees it */
			break;
		}
		if (answered && resp->rebootstrapped) {
			rc = ue_err(ue, -EACCES, "NAF refused our key even after a new bootstrap");
			break;
		}
		/* a 401 after our answer: unknown B-TID or expired key, bootstrap again (once) */
		if (answered)
			resp->rebootstrapped = true;
		rc = answer(ue, t, u.host, u.path, answered, &gba);
		if (rc < 0)
			break;
		if (!gba) {
			to_resp(&r, resp);
			break;
		}
		ue_http_rsp_free(&r);
		GLOGP(GBA_LC_UA, GBA_LL_INFO, "NAF %s asks for GBA (%s): answering as %s", u.host,
		      t->ch.realm, ue->boot.btid);
		answered = true;
		rc = get(ue, &h, url, t->authz, &r);
	}
	if (rc == 0 && !resp->body && r.body)
		to_resp(&r, resp);
	else
		ue_http_rsp_free(&r);
	ue_http_close(&h);
	gba_zeroize(t, sizeof(*t));
	free(t);
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Ub client (TS 24.109 clause 4, RFC 3310): GET with the IMPI and an empty response,
 * 401 with an AKA nonce, AUTHENTICATE on the card (GBA context for GBA_U, 3G context for
 * GBA_ME, falling back when the card refuses the GBA context), GET with the auth-int
 * response made with RES; AUTS resynchronisation (auts= and an empty password), MAC failure
 * (empty password, no auts) reported to the BSF and to the caller; rspauth checked when the
 * BSF sends one; BootstrappingInfo parsed. The BSF URL defaults to the TS 23.003 name.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gba/bsfxml.h>
#include <gba/digest.h>
#include <gba/identity.h>
#include <gba/log.h>

#include "http.h"
#include "ue_priv.h"

#define UB_MAX_ROUNDS	6	/* requests in one bootstrap (initial, resyncs, response) */
#define UB_MAX_RESYNC	2

int ue_bsf_url(struct gba_ue *ue, char *out, size_t outlen)
{
	char fqdn[256];
	int n;

	if (ue->bsf_url_opt)
		n = snprintf(out, outlen, "%s", ue->bsf_url_opt);
	else if (!ue->imsi[0])
		return ue_err(ue, -EOPNOTSUPP, "the card has no IMSI to derive the BSF from: "
			      "give the BSF URL");
	else if (gba_bsf_fqdn_from_imsi(fqdn, sizeof(fqdn), ue->imsi, ue->mnc_len) < 0)
		return ue_err(ue, -EINVAL, "cannot derive the BSF name from IMSI %s", ue->imsi);
	else
		n = snprintf(out, outlen, "http://%s", fqdn);
	if (n < 0 || (size_t)n >= outlen)
		return ue_err(ue, -ENOSPC, "BSF URL too long");
	return 0;
}

/* One Ub run's state. */
struct ub {
	struct gba_ue *ue;
	struct ue_http h;
	struct ue_url u;
	const char *url;
	char ua[256];
	bool gba_u;
	/* the last challenge */
	struct gba_digest ch;
	uint8_t rand[GBA_RAND_LEN];
	enum gba_digest_qop qop;
	char cnonce[33];
	/* the card's answer */
	struct ue_aka aka;
	char authz[GBA_DIGEST_HDR_MAX];
};

static void set_ua(struct ub *b)
{
	snprintf(b->ua, sizeof(b->ua), "%s %s", b->ue->product,
		 b->gba_u ? "3gpp-gba-uicc" : "3gpp-gba");
}

/* Digest input for our response (method GET) or the BSF's rspauth (method ""). */
static void digest_in(struct ub *b, struct gba_digest_input *in, const uint8_t *pw, size_t pwlen,
		      const char *method, const char *body, size_t body_len)
{
	memset(in, 0, sizeof(*in));
	in->password = pw;
	in->password_len = pwlen;
	in->username = b->ue->impi;
	in->realm = b->ch.realm;
	in->method = method;
	in->uri = b->u.path;
	in->nonce = b->ch.nonce;
	in->nc = "00000001";
	in->cnonce = b->cnonce;
	in->qop = b->qop;
	in->body = (const uint8_t *)body;
	in->body_len = body_len;
}

/*
 * Authorization for the last challenge: password RES (pw), or empty with or without
 * AUTS. Returns 0 or negative errno.
 */
static int make_authz(struct ub *b, const uint8_t *pw, size_t pwlen, const uint8_t *auts)
{
	char resp[GBA_DIGEST_HEX_LEN + 1], auts64[GBA_B64_LEN(GBA_AUTS_LEN) + 1];
	uint8_t cn[8];
	struct gba_digest_input in;
	int rc;

	if (gba_random(cn, sizeof(cn)) || gba_hex_encode(b->cnonce, sizeof(b->cnonce), cn,
							 sizeof(cn)))
		return -EIO;
	if (auts && gba_b64_encode(auts64, sizeof(auts64), auts, GBA_AUTS_LEN) < 0)
		return -EIO;
	digest_in(b, &in, pw, pwlen, "GET", NULL, 0);
	rc = gba_digest_compute(resp, &in);
	if (rc)
		return rc;
	rc = gba_digest_fmt_credentials(b->authz, sizeof(b->authz), &in, resp,
					b->ch.algorithm ? b->ch.algorithm : "AKAv1-MD5",
					b->ch.opaque, auts ? auts64 : NULL);
	return rc < 0 ? rc : 0;
}

/* Take a 401 challenge: AKA on the card. 0, or errno (ue->err set). */
static int on_challenge(struct ub *b, const char *hdr)
{
	struct gba_ue *ue = b->ue;
	uint8_t autn[GBA_AUTN_LEN];
	int rc;

	if (!hdr[0])
		return ue_err(ue, -EPROTO, "BSF: 401 without WWW-Authenticate");
	if (gba_digest_parse(&b->ch, GBA_DIGEST_CHALLENGE, hdr, strlen(hdr)))
		return ue_err(ue, -EPROTO, "BSF: bad challenge: %s", b->ch.err);
	if (!b->ch.algorithm || strcasecmp(b->ch.algorithm, "AKAv1-MD5"))
		return ue_err(ue, -EPROTO, "BSF: challenge algorithm is %s, not AKAv1-MD5",
			      b->ch.algorithm ? b->ch.algorithm : "MD5");
	if (gba_aka_nonce_decode(b->ch.nonce, b->rand, autn))
		return ue_err(ue, -EPROTO, "BSF: the nonce is not base64(RAND || AUTN)");
	if (b->ch.qop_mask & (1u << GBA_QOP_AUTH_INT))
		b->qop = GBA_QOP_AUTH_INT;
	else if (b->ch.qop_mask & (1u << GBA_QOP_AUTH))
		b->qop = GBA_QOP_AUTH;
	else
		b->qop = GBA_QOP_NONE;

	gba_zeroize(&b->aka, sizeof(b->aka));
	rc = ue_card_aka(ue, b->gba_u, b->rand, autn, &b->aka);
	if (rc == -EOPNOTSUPP && b->gba_u) {
		GLOGP(GBA_LC_UE, GBA_LL_NOTICE, "%s: using GBA_ME", ue->err);
		ue->gba_u_fallback = true;
		b->gba_u = false;
		set_ua(b);
		rc = ue_card_aka(ue, false, b->rand, autn, &b->aka);
	}
	return rc;
}

/* 200 OK: rspauth when present, then BootstrappingInfo. */
static int on_ok(struct ub *b, const struct ue_http_rsp *r)
{
	struct gba_ue *ue = b->ue;
	struct gba_digest ai;
	struct gba_digest_input in;
	struct gba_bootinfo bi;
	char why[128];

	if (r->auth_info[0]) {
		if (gba_digest_parse(&ai, GBA_DIGEST_AUTH_INFO, r->auth_info, strlen(r->auth_info)))
			return ue_err(ue, -EPROTO, "BSF: bad Authentication-Info: %s", ai.err);
		if (ai.rspauth) {
			digest_in(b, &in, b->aka.res, b->aka.res_len, "", r->body, r->body_len);
			if (ai.qop)
				in.qop = (ai.qop_mask & (1u << GBA_QOP_AUTH_INT)) ? GBA_QOP_AUTH_INT :
					 GBA_QOP_AUTH;
			if (gba_digest_verify(ai.rspauth, &in))
				return ue_err(ue, -EBADMSG, "BSF: wrong rspauth: the server does not "
					      "know our key, refusing its answer");
			GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "BSF rspauth verified");
		}
	} else {
		GLOGP(GBA_LC_UE, GBA_LL_INFO, "BSF sent no Authentication-Info (no rspauth)");
	}
	if (gba_bootinfo_parse(&bi, r->body, r->body_len, why, sizeof(why)))
		return ue_err(ue, -EPROTO, "BSF: bad BootstrappingInfo: %s", why);
	if (bi.lifetime <= time(NULL))
		return ue_err(ue, -EPROTO, "BSF: key lifetime %ld is already over",
			      (long)bi.lifetime);
	memset(&ue->boot, 0, sizeof(ue->boot));
	ue->boot.valid = true;
	ue->boot.gba_u = b->gba_u;
	ue->boot.expiry = bi.lifetime;
	memcpy(ue->boot.rand, b->rand, GBA_RAND_LEN);
	snprintf(ue->boot.btid, sizeof(ue->boot.btid), "%s", bi.btid);
	snprintf(ue->boot.impi, sizeof(ue->boot.impi), "%s", ue->impi);
	if (!b->gba_u)
		memcpy(ue->boot.ks, b->aka.ks, GBA_KS_LEN);
	return 0;
}

static int http_status_err(struct ub *b, const struct ue_http_rsp *r)
{
	switch (r->status) {
	case 403:
		return ue_err(b->ue, -EPERM, "BSF refused the bootstrap (403 Forbidden)");
	case 503:
		return ue_err(b->ue, -EAGAIN, "BSF unavailable (503)%s%s",
			      r->retry_after[0] ? ", retry after " : "", r->retry_after);
	case 404:
		return ue_err(b->ue, -EPROTO, "BSF: %s not found (404)", b->url);
	default:
		return ue_err(b->ue, -EPROTO, "BSF answered HTTP %ld", r->status);
	}
}

int ue_ub_bootstrap(struct gba_ue *ue, const char *bsf_url, bool gba_u)
{
	enum { SENT_INITIAL, SENT_RESPONSE, SENT_AUTS, SENT_MAC_FAILURE } sent = SENT_INITIAL;
	struct ub *b = calloc(1, sizeof(*b));
	struct ue_http_rsp r;
	struct gba_digest_input in;
	unsigned int round, resyncs = 0;
	int rc;

	if (!b)
		return ue_err(ue, -ENOMEM, "out of memory");
	b->ue = ue;
	b->url = bsf_url;
	b->gba_u = gba_u;
	b->h.timeout_ms = ue->http_timeout_ms;
	set_ua(b);
	if (ue_url_parse(&b->u, bsf_url)) {
		rc = ue_err(ue, -EINVAL, "bad BSF URL '%s'", bsf_url);
		goto out;
	}
	/* message 1 (24.109 A.3): the IMPI, the BSF host as realm, empty nonce and response */
	memset(&in, 0, sizeof(in));
	in.username = ue->impi;
	in.realm = b->u.host;
	in.nonce = "";
	in.uri = b->u.path;
	rc = gba_digest_fmt_credentials(b->authz, sizeof(b->authz), &in, "", NULL, NULL, NULL);
	if (rc < 0) {
		rc = ue_err(ue, -EINVAL, "IMPI or BSF URL not usable in a header");
		goto out;
	}
	GLOGP(GBA_LC_UE, GBA_LL_INFO, "bootstrapping %s at %s (%s)", ue->impi, bsf_url,
	      gba_u ? "GBA_U" : "GBA_ME");

	for (round = 0; round < UB_MAX_ROUNDS; round++) {
		rc = ue_http_get(&b->h, bsf_url, b->authz, b->ua, &r);
		if (rc < 0) {
			rc = ue_err(ue, rc, "BSF: %s", b->h.err);
			goto out;
		}
		if (sent == SENT_MAC_FAILURE) {
			ue_http_rsp_free(&r);
			rc = ue_err(ue, -EBADMSG, "card: AUTN rejected (MAC failure): the challenge "
				    "did not come from our home network; reported to the BSF");
			goto out;
		}
		if (r.status == 401 && sent == SENT_RESPONSE) {
			/* the BSF did not accept RES: only a stale nonce is worth another round */
			struct gba_digest d;

			if (gba_digest_parse(&d, GBA_DIGEST_CHALLENGE, r.www_auth,
					     strlen(r.www_auth)) || !d.stale_true) {
				ue_http_rsp_free(&r);
				rc = ue_err(ue, -EACCES, "BSF rejected our response (401 again)");
				goto out;
			}
		}
		if (r.status == 401) {
			rc = on_challenge(b, r.www_auth);
			ue_http_rsp_free(&r);
			if (rc == -EBADMSG) {
				/* 24.109 4.4: tell the BSF, empty password, no auts */
				char keep[sizeof(ue->err)];

				memcpy(keep, ue->err, sizeof(keep));
				if (make_authz(b, (const uint8_t *)"", 0, NULL))
					goto out;
				memcpy(ue->err, keep, sizeof(keep));
				sent = SENT_MAC_FAILURE;
				continue;
			}
			if (rc < 0)
				goto out;
			if (b->aka.sync) {
				if (++resyncs > UB_MAX_RESYNC) {
					rc = ue_err(ue, -EPROTO, "BSF: still out of sync after %u "
						    "resynchronisations", UB_MAX_RESYNC);
					goto out;
				}
				GLOGP(GBA_LC_UE, GBA_LL_NOTICE, "card sent AUTS: resynchronising");
				ue->boot.resynced = true;
				rc = make_authz(b, (const uint8_t *)"", 0, b->aka.auts);
				sent = SENT_AUTS;
			} else {
				rc = make_authz(b, b->aka.res, b->aka.res_len, NULL);
				sent = SENT_RESPONSE;
			}
			if (rc < 0) {
				rc = ue_err(ue, rc, "cannot build the Digest response");
				goto out;
			}
			continue;
		}
		if (r.status == 200 && sent == SENT_RESPONSE) {
			bool resynced = resyncs > 0;

			rc = on_ok(b, &r);
			ue_http_rsp_free(&r);
			if (rc == 0) {
				ue->boot.resynced = resynced;
				GLOGP(GBA_LC_UE, GBA_LL_NOTICE, "bootstrapped %s (%s), B-TID %s",
				      ue->impi, b->gba_u ? "GBA_U" : "GBA_ME", ue->boot.btid);
			}
			goto out;
		}
		rc = r.status == 200 ? ue_err(ue, -EPROTO, "BSF: 200 OK without authentication") :
				       http_status_err(b, &r);
		ue_http_rsp_free(&r);
		goto out;
	}
	rc = ue_err(ue, -EPROTO, "BSF: no result after %u requests", UB_MAX_ROUNDS);
out:
	ue_http_close(&b->h);
	gba_zeroize(b, sizeof(*b));
	free(b);
	return rc;
}

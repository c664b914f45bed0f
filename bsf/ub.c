/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Ub state machine (ub.h). A first request (empty nonce) gets a vector over Zh and a
 * 401 with nonce = base64(RAND || AUTN || expiry || tag), where the 8-octet tag is a MAC
 * under the KEK: it tells our nonces (stale when expired or already used) from foreign
 * ones. The pending challenge (XRES, CK, IK, opaque, URI) waits in the store under the
 * nonce and is taken exactly once by the answer, which is checked against it: realm,
 * URI, opaque, username, then the response with RES as the password (auth or auth-int).
 * AUTS -> Zh resync -> fresh 401; an empty-password response -> the UE reported a MAC
 * failure -> 403; wrong RES -> fresh 401 up to max_auth_failures, then 403. Success stores
 * the session (Ks sealed under the KEK, replacing the IMPI's previous one) and answers 200
 * with Authentication-Info and the BootstrappingInfo body.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gba/bsfxml.h>
#include <gba/digest.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "kek.h"
#include "ratelimit.h"
#include "ub.h"
#include "zh.h"

#define UB_ALGORITHM	"AKAv1-MD5"
#define UB_SD_LEN	(4 + BSF_TAG_LEN)	/* server data: expiry (uint32 BE) || tag */
#define UB_NONCE_BIN	(GBA_RAND_LEN + GBA_AUTN_LEN + UB_SD_LEN)

static void finish(struct ub_txn *t, enum bsf_ub_reason r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void finish(struct ub_txn *t, enum bsf_ub_reason r, const char *fmt, ...)
{
	t->reason = r;
	t->status = bsf_ub_reason_status(r);
	bsf_ratelimit_note(t->bsf->rl, t->impi, t->peer, r);
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
		va_end(ap);
	}
	if (r == UB_R_UNAVAILABLE)
		t->retry_after = t->bsf->cfg->retry_after;
	if (t->status >= 400 && t->status != 401 && !t->resp_body && t->msg[0]) {
		size_t n = strlen(t->msg);

		t->resp_body = malloc(n + 1);
		if (t->resp_body) {
			memcpy(t->resp_body, t->msg, n);
			t->resp_body[n] = '\n';
			t->resp_body_len = n + 1;
		}
	}
	t->done(t);
}

/* Is 'tok' one of the product tokens of a User-Agent value ("name/version" or "name")? */
static bool ua_has_token(const char *ua, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = ua; p && (p = strcasestr(p, tok)); p += n) {
		char b = p == ua ? ' ' : p[-1], a = p[n];

		if ((b == ' ' || b == ';' || b == ',' || b == '\t' || b == '(') &&
		    (a == '\0' || a == ' ' || a == ';' || a == ',' || a == '/' || a == '\t' ||
		     a == ')'))
			return true;
	}
	return false;
}

/*
 * Nonce text for RAND || AUTN with our expiry and tag; the opaque is the tag in hex (RFC
 * 7616 asks only that the client return it unchanged: it needs no randomness of its own).
 */
static int nonce_make(struct bsf *bsf, char *out, size_t outlen, char *opaque,
		      size_t opaque_len, const uint8_t *rand, const uint8_t *autn, time_t expires)
{
	uint8_t bin[UB_NONCE_BIN];
	uint32_t e = (uint32_t)expires;

	memcpy(bin, rand, GBA_RAND_LEN);
	memcpy(bin + GBA_RAND_LEN, autn, GBA_AUTN_LEN);
	bin[32] = e >> 24;
	bin[33] = e >> 16;
	bin[34] = e >> 8;
	bin[35] = e;
	if (bsf_kek_tag(&bsf->kek, bin + 36, bin, 36) ||
	    gba_hex_encode(opaque, opaque_len, bin + 36, BSF_TAG_LEN))
		return -EIO;
	return gba_aka_nonce_encode(out, outlen, bin, bin + GBA_RAND_LEN, bin + 32, UB_SD_LEN);
}

enum nonce_kind { NONCE_OURS, NONCE_FOREIGN, NONCE_MALFORMED };

static enum nonce_kind nonce_check(struct bsf *bsf, const char *nonce, time_t *expires)
{
	uint8_t bin[UB_NONCE_BIN + 3], tag[BSF_TAG_LEN];
	int n = gba_b64_decode(bin, sizeof(bin), nonce, strlen(nonce));

	if (n == -E2BIG)
		return NONCE_FOREIGN;
	if (n < GBA_RAND_LEN + GBA_AUTN_LEN)
		return NONCE_MALFORMED;
	if (n != UB_NONCE_BIN || bsf_kek_tag(&bsf->kek, tag, bin, 36) ||
	    !gba_ct_equal(tag, bin + 36, BSF_TAG_LEN))
		return NONCE_FOREIGN;
	*expires = (time_t)((uint32_t)bin[32] << 24 | (uint32_t)bin[33] << 16 |
			    (uint32_t)bin[34] << 8 | bin[35]);
	return NONCE_OURS;
}

/* Zh answered for a new challenge: store it, answer 401. */
static void challenge_cb(void *arg, const struct zh_result *res)
{
	struct ub_txn *t = arg;
	struct bsf *bsf = t->bsf;
	struct bsf_challenge c;
	time_t now = time(NULL);
	int rc;

	if (t->chal_reason == UB_R_RESYNC)
		bsf_metrics_resync(res->rc == 0);
	switch (res->rc) {
	case 0:
		break;
	case -ENOENT:
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: unknown subscriber, 403", t->impi);
		finish(t, UB_R_UNKNOWN, "unknown IMPI");
		return;
	case -EBADMSG:
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: resync refused (AUTS MAC-S wrong), 403",
		      t->impi);
		finish(t, UB_R_RESYNC_REFUSED, "synchronisation failure not verified");
		return;
	case -EAGAIN:
		GLOGP(GBA_LC_UB, GBA_LL_ERROR, "IMPI %s: Zh unavailable, 503", t->impi);
		finish(t, UB_R_UNAVAILABLE, "authentication backend unavailable");
		return;
	default:
		GLOGP(GBA_LC_UB, GBA_LL_ERROR, "IMPI %s: Zh failed (%d), 503", t->impi, res->rc);
		finish(t, UB_R_UNAVAILABLE, "authentication backend failed");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.expires = now + bsf->cfg->challenge_lifetime;
	if (res->av.xres_len < GBA_RES_MIN_LEN || res->av.xres_len > GBA_RES_MAX_LEN ||
	    nonce_make(bsf, c.nonce, sizeof(c.nonce), c.opaque, sizeof(c.opaque), res->av.rand,
		       res->av.autn, c.expires) < 0) {
		finish(t, UB_R_INTERNAL, "cannot build a challenge");
		return;
	}
	strcpy(c.impi, t->impi);
	strcpy(c.uri, t->chal_uri);
	memcpy(c.rand, res->av.rand, GBA_RAND_LEN);
	memcpy(c.xres, res->av.xres, res->av.xres_len);
	c.xres_len = res->av.xres_len;
	memcpy(c.ck, res->av.ck, GBA_CK_LEN);
	memcpy(c.ik, res->av.ik, GBA_IK_LEN);
	c.gba_u = res->gba_u;
	c.key_lifetime = res->key_lifetime;
	c.failures = t->failures;
	rc = bsf->store->ops->put_challenge(bsf->store, &c);
	if (!rc)
		rc = gba_digest_fmt_challenge(t->www_authenticate, sizeof(t->www_authenticate),
					      bsf->cfg->realm, c.nonce, c.opaque, UB_ALGORITHM,
					      1u << GBA_QOP_AUTH_INT, t->chal_reason == UB_R_STALE);
	gba_zeroize(&c, sizeof(c));
	if (rc < 0) {
		t->www_authenticate[0] = '\0';
		GLOGP(GBA_LC_UB, GBA_LL_ERROR, "IMPI %s: cannot store challenge (%d)", t->impi,
		      rc);
		finish(t, UB_R_UNAVAILABLE, "session store unavailable");
		return;
	}
	GLOGP(GBA_LC_UB, GBA_LL_DEBUG, "IMPI %s: challenge sent (%s)", t->impi,
	      bsf_ub_reason_name(t->chal_reason));
	finish(t, t->chal_reason, NULL);
}

/* Answer with a fresh challenge for t->impi; 'resync' = RAND || AUTS or NULL. */
static void challenge(struct ub_txn *t, enum bsf_ub_reason why, unsigned int failures,
		      const uint8_t *resync)
{
	t->chal_reason = why;
	t->failures = failures;
	t->bsf->zh->ops->request_av(t->bsf->zh, t->impi, resync, challenge_cb, t);
}

/* A failed answer: a fresh challenge, or 403 once the UE failed too often. */
static void failed(struct ub_txn *t, enum bsf_ub_reason why, unsigned int failures)
{
	if (failures >= t->bsf->cfg->max_auth_failures) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: %u failed answers (last: %s), 403",
		      t->impi, failures, bsf_ub_reason_name(why));
		finish(t, UB_R_TOO_MANY, "too many failed authentication attempts");
		return;
	}
	challenge(t, why, failures, NULL);
}

static void success(struct ub_txn *t, const struct gba_digest *d, const struct bsf_challenge *c)
{
	struct bsf *bsf = t->bsf;
	struct bsf_session s;
	struct gba_bootinfo bi;
	struct gba_digest_input in;
	char rspauth[GBA_DIGEST_HEX_LEN + 1];
	uint8_t ks[GBA_KS_LEN];
	enum gba_digest_qop qop = d->qop_mask & (1u << GBA_QOP_AUTH_INT) ? GBA_QOP_AUTH_INT
									 : GBA_QOP_AUTH;
	bool ua_uicc = t->user_agent && ua_has_token(t->user_agent, "3gpp-gba-uicc");
	time_t now = time(NULL);
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&bi, 0, sizeof(bi));
	if (gba_btid_make(s.btid, sizeof(s.btid), c->rand, bsf->cfg->fqdn) < 0) {
		finish(t, UB_R_INTERNAL, "cannot build B-TID");
		return;
	}
	strcpy(s.impi, c->impi);
	memcpy(s.rand, c->rand, GBA_RAND_LEN);
	s.created = now;
	s.expires = now + (c->key_lifetime ? c->key_lifetime : bsf->cfg->key_lifetime);
	/* GBA_U only when the subscription (GUSS uiccType) and the UE (product token) agree */
	s.gba_u = c->gba_u && ua_uicc;
	memcpy(ks, c->ck, GBA_CK_LEN);
	memcpy(ks + GBA_CK_LEN, c->ik, GBA_IK_LEN);
	rc = bsf_kek_seal(&bsf->kek, s.ks_blob, ks, s.btid);
	gba_log_key(GBA_LC_UB, "Ks", ks, sizeof(ks));
	gba_zeroize(ks, sizeof(ks));
	if (!rc)
		rc = bsf->store->ops->put_session(bsf->store, &s);
	if (rc) {
		GLOGP(GBA_LC_UB, GBA_LL_ERROR, "IMPI %s: cannot store session %s (%d)", t->impi,
		      s.btid, rc);
		finish(t, UB_R_UNAVAILABLE, "session store unavailable");
		return;
	}
	strcpy(bi.btid, s.btid);
	bi.lifetime = s.expires;
	if (gba_bootinfo_build(&t->resp_body, &t->resp_body_len, &bi)) {
		finish(t, UB_R_INTERNAL, "cannot build BootstrappingInfo");
		return;
	}
	memset(&in, 0, sizeof(in));
	in.password = c->xres;
	in.password_len = c->xres_len;
	in.username = d->username;
	in.realm = d->realm;
	in.method = "";
	in.uri = d->uri;
	in.nonce = d->nonce;
	in.nc = d->nc;
	in.cnonce = d->cnonce;
	in.qop = qop;
	in.body = (const uint8_t *)t->resp_body;
	in.body_len = t->resp_body_len;
	if (gba_digest_compute(rspauth, &in) ||
	    gba_digest_fmt_auth_info(t->auth_info, sizeof(t->auth_info), qop, rspauth, d->cnonce,
				     d->nc, NULL) < 0 ||
	    gba_httpdate_format(t->expires, sizeof(t->expires), s.expires) < 0) {
		t->auth_info[0] = '\0';
		finish(t, UB_R_INTERNAL, "cannot build Authentication-Info");
		return;
	}
	t->content_type = GBA_BSF_XML_MEDIA_TYPE;
	GLOGP(GBA_LC_UB, GBA_LL_INFO, "IMPI %s: bootstrapped, B-TID %s, %s, lifetime %lds",
	      t->impi, s.btid, s.gba_u ? "GBA_U" : "GBA_ME", (long)(s.expires - now));
	finish(t, UB_R_OK, NULL);
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The answer to one of our challenges. */
static void answer(struct ub_txn *t, const struct gba_digest *d)
{
	struct bsf *bsf = t->bsf;
	struct bsf_challenge c;
	struct gba_digest_input in;
	uint8_t auts[GBA_AUTS_LEN + 2], resync[ZH_RESYNC_LEN];
	time_t now = time(NULL), expires = 0;
	int rc, auts_len = 0;

	if (!(d->qop_mask & (1u << GBA_QOP_AUTH | 1u << GBA_QOP_AUTH_INT))) {
		finish(t, UB_R_MALFORMED, "qop auth-int or auth required");
		return;
	}
	if (!d->opaque) {
		finish(t, UB_R_MALFORMED, "opaque missing");
		return;
	}
	if (d->auts) {
		auts_len = gba_b64_decode(auts, sizeof(auts), d->auts, strlen(d->auts));
		if (auts_len != GBA_AUTS_LEN) {
			finish(t, UB_R_MALFORMED, "auts is not base64 of 14 octets");
			return;
		}
	}
	switch (nonce_check(bsf, d->nonce, &expires)) {
	case NONCE_MALFORMED:
		finish(t, UB_R_MALFORMED, "nonce is not base64(RAND || AUTN ...)");
		return;
	case NONCE_FOREIGN:
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: nonce not issued by this BSF, new challenge",
		      t->impi);
		challenge(t, UB_R_FOREIGN, 0, NULL);
		return;
	case NONCE_OURS:
		break;
	}
	if (expires <= now) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: nonce expired, stale challenge", t->impi);
		challenge(t, UB_R_STALE, 0, NULL);
		return;
	}
	rc = bsf->store->ops->take_challenge(bsf->store, d->nonce, now, &c);
	if (rc == -ENOENT || rc == -ETIME) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: nonce %s, stale challenge", t->impi,
		      rc == -ENOENT ? "already used" : "expired");
		gba_zeroize(&c, sizeof(c));
		challenge(t, UB_R_STALE, 0, NULL);
		return;
	}
	if (rc) {
		finish(t, UB_R_UNAVAILABLE, "session store unavailable");
		return;
	}
	if (!str_eq(d->username, c.impi) || !str_eq(d->realm, bsf->cfg->realm) ||
	    !str_eq(d->opaque, c.opaque) || !str_eq(d->uri, c.uri)) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: %s differs from the challenge", t->impi,
		      !str_eq(d->username, c.impi) ? "username" :
		      !str_eq(d->realm, bsf->cfg->realm) ? "realm" :
		      !str_eq(d->opaque, c.opaque) ? "opaque" : "uri");
		rc = (int)c.failures + 1;
		gba_zeroize(&c, sizeof(c));
		failed(t, UB_R_MISMATCH, (unsigned int)rc);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.username = d->username;
	in.realm = d->realm;
	in.method = t->method;
	in.uri = d->uri;
	in.nonce = d->nonce;
	in.nc = d->nc;
	in.cnonce = d->cnonce;
	in.qop = d->qop_mask & (1u << GBA_QOP_AUTH_INT) ? GBA_QOP_AUTH_INT : GBA_QOP_AUTH;
	in.body = t->body;
	in.body_len = t->body_len;
	if (!d->auts) {
		in.password = c.xres;
		in.password_len = c.xres_len;
		rc = gba_digest_verify(d->response, &in);
		if (rc == 0) {
			success(t, d, &c);
			gba_zeroize(&c, sizeof(c));
			return;
		}
	}
	/* AUTS and MAC-failure reports are answered with an empty password (RFC 3310 3.4) */
	in.password = (const uint8_t *)"";
	in.password_len = 0;
	rc = gba_digest_verify(d->response, &in);
	if (rc == -EINVAL) {
		gba_zeroize(&c, sizeof(c));
		finish(t, UB_R_MALFORMED, "response is not 32 hex digits");
		return;
	}
	if (rc == 0 && d->auts) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: synchronisation failure, resync",
		      t->impi);
		memcpy(resync, c.rand, GBA_RAND_LEN);
		memcpy(resync + GBA_RAND_LEN, auts, GBA_AUTS_LEN);
		rc = (int)c.failures;
		gba_zeroize(&c, sizeof(c));
		challenge(t, UB_R_RESYNC, (unsigned int)rc, resync);
		return;
	}
	if (rc == 0) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE,
		      "IMPI %s: UE reports network authentication failure (AUTN MAC), 403",
		      t->impi);
		gba_zeroize(&c, sizeof(c));
		finish(t, UB_R_MAC_FAILURE, "network authentication failure reported");
		return;
	}
	GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: wrong %s (attempt %u)", t->impi,
	      d->auts ? "response with auts" : "RES", c.failures + 1);
	rc = (int)c.failures + 1;
	gba_zeroize(&c, sizeof(c));
	failed(t, UB_R_WRONG_RES, (unsigned int)rc);
}

static bool printable(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || n >= max)
			return false;
	return n > 0;
}

void ub_handle(struct bsf *bsf, struct ub_txn *t)
{
	struct gba_digest *d;
	int rc;

	t->bsf = bsf;
	if (!t->method || strcmp(t->method, "GET")) {
		finish(t, UB_R_MALFORMED, "method must be GET");
		return;
	}
	if (!t->uri || !printable(t->uri, BSF_URI_MAX)) {
		finish(t, UB_R_MALFORMED, "bad request URI");
		return;
	}
	if (!t->authorization || t->n_authorization != 1) {
		finish(t, UB_R_MALFORMED, t->n_authorization ? "more than one Authorization header"
							    : "Authorization header missing");
		return;
	}
	d = malloc(sizeof(*d));
	if (!d) {
		finish(t, UB_R_INTERNAL, "out of memory");
		return;
	}
	rc = gba_digest_parse(d, GBA_DIGEST_CREDENTIALS, t->authorization,
			      strlen(t->authorization));
	if (rc) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "malformed Authorization: %s", d->err);
		finish(t, UB_R_MALFORMED, "Authorization: %s", d->err);
		goto out;
	}
	if (!printable(d->username, GBA_IMPI_MAX)) {
		finish(t, UB_R_MALFORMED, "username is not an IMPI");
		goto out;
	}
	strcpy(t->impi, d->username);
	t->retry_after = bsf_ratelimit_check(bsf->rl, t->impi, t->peer);
	if (t->retry_after) {
		finish(t, UB_R_LIMITED, "too many failed authentications, retry later");
		goto out;
	}
	if (strcmp(d->uri, t->uri)) {
		GLOGP(GBA_LC_UB, GBA_LL_NOTICE, "IMPI %s: uri parameter differs from request URI",
		      t->impi);
		finish(t, UB_R_MALFORMED, "uri parameter differs from the request URI");
		goto out;
	}
	if (d->algorithm && strcasecmp(d->algorithm, UB_ALGORITHM)) {
		finish(t, UB_R_MALFORMED, "algorithm must be " UB_ALGORITHM);
		goto out;
	}
	if (t->user_agent && !ua_has_token(t->user_agent, "3gpp-gba") &&
	    !ua_has_token(t->user_agent, "3gpp-gba-uicc"))
		GLOGP(GBA_LC_UB, GBA_LL_DEBUG, "IMPI %s: User-Agent without 3gpp-gba token",
		      t->impi);
	strcpy(t->chal_uri, t->uri);
	if (!d->nonce[0]) {
		GLOGP(GBA_LC_UB, GBA_LL_DEBUG, "IMPI %s: bootstrap request", t->impi);
		challenge(t, UB_R_CHALLENGE, 0, NULL);
	} else {
		answer(t, d);
	}
out:
	gba_zeroize(d, sizeof(*d));
	free(d);
}

void ub_txn_release(struct ub_txn *t)
{
	free(t->resp_body);
	t->resp_body = NULL;
	t->resp_body_len = 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test UE and test NAF for gba-bsf (tue.h): libcurl requests with hand-built Digest AKA
 * headers (core/digest.c), the USIM side of core/aka.c, the Zn codec of core/zn_soap.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gba/bsfxml.h>
#include <gba/kdf.h>

#include "tue.h"

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct tue_resp *r = arg;
	size_t len = sz * n;

	if (r->body_len + len >= sizeof(r->body))
		len = sizeof(r->body) - 1 - r->body_len;
	memcpy(r->body + r->body_len, p, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return sz * n;
}

static void hdr_copy(char *dst, size_t dlen, const char *v, size_t len)
{
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	while (len && *v == ' ') {
		v++;
		len--;
	}
	if (len >= dlen)
		len = dlen - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct tue_resp *r = arg;
	size_t len = sz * n;
	static const struct {
		const char *name;
		size_t off, size;
	} h[] = {
		{ "WWW-Authenticate:", offsetof(struct tue_resp, www_auth), 2048 },
		{ "Authentication-Info:", offsetof(struct tue_resp, auth_info), 1024 },
		{ "Expires:", offsetof(struct tue_resp, expires), 128 },
		{ "Retry-After:", offsetof(struct tue_resp, retry_after), 32 },
		{ "Content-Type:", offsetof(struct tue_resp, ctype), 128 },
	};

	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		size_t nl = strlen(h[i].name);

		if (len > nl && !strncasecmp(p, h[i].name, nl))
			hdr_copy((char *)r + h[i].off, h[i].size, p + nl, len - nl);
	}
	return len;
}

static int perform(CURL *c, struct tue_resp *r)
{
	/* reset without touching the 70 kB body buffer */
	r->status = 0;
	r->www_auth[0] = r->auth_info[0] = r->expires[0] = r->retry_after[0] = r->ctype[0] = '\0';
	r->body[0] = '\0';
	r->body_len = 0;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (curl_easy_perform(c) != CURLE_OK)
		return -EIO;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	return 0;
}

int tue_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), p;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) || getsockname(s, (void *)&a, &len))
		abort();
	p = ntohs(a.sin_port);
	close(s);
	return p;
}

int tue_init(struct tue *u, const char *base, const char *realm, const char *impi,
	     const char *k_hex, const char *opc_hex, enum gba_aka_alg alg)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->base, sizeof(u->base), "%s", base);
	snprintf(u->realm, sizeof(u->realm), "%s", realm);
	snprintf(u->impi, sizeof(u->impi), "%s", impi);
	snprintf(u->ua, sizeof(u->ua), "gbakit-test-ue/1.0 3gpp-gba");
	u->cred.alg = alg;
	if (gba_hex_decode(u->cred.k, GBA_K_LEN, k_hex) ||
	    (opc_hex && gba_hex_decode(u->cred.opc, GBA_OPC_LEN, opc_hex)))
		return -EINVAL;
	u->curl = curl_easy_init();
	return u->curl ? 0 : -ENOMEM;
}

void tue_free(struct tue *u)
{
	if (u->curl)
		curl_easy_cleanup(u->curl);
	gba_zeroize(&u->cred, sizeof(u->cred));
	u->curl = NULL;
}

int tue_get(struct tue *u, const char *uri, const char *authz, struct tue_resp *r)
{
	char url[512], ah[4400], uah[200];
	struct curl_slist *hl = NULL;
	int rc;

	snprintf(url, sizeof(url), "%s%s", u->base, uri);
	curl_easy_reset(u->curl);
	curl_easy_setopt(u->curl, CURLOPT_URL, url);
	curl_easy_setopt(u->curl, CURLOPT_TIMEOUT, 10L);
	if (authz) {
		snprintf(ah, sizeof(ah), "Authorization: %s", authz);
		hl = curl_slist_append(hl, ah);
	}
	snprintf(uah, sizeof(uah), "User-Agent: %s", u->ua);
	hl = curl_slist_append(hl, uah);
	curl_easy_setopt(u->curl, CURLOPT_HTTPHEADER, hl);
	rc = perform(u->curl, r);
	curl_slist_free_all(hl);
	return rc;
}

int tue_parse_chal(const struct tue_resp *r, struct tue_chal *c)
{
	struct gba_digest *d = malloc(sizeof(*d));
	int rc = -EPROTO;

	memset(c, 0, sizeof(*c));
	c->status = r->status;
	if (!d)
		return -ENOMEM;
	if (r->status == 401 &&
	    gba_digest_parse(d, GBA_DIGEST_CHALLENGE, r->www_auth, strlen(r->www_auth)) == 0 &&
	    d->opaque && d->algorithm && !strcmp(d->algorithm, "AKAv1-MD5") &&
	    (d->qop_mask & (1u << GBA_QOP_AUTH_INT)) &&
	    gba_aka_nonce_decode(d->nonce, c->rand, c->autn) == 0) {
		snprintf(c->nonce, sizeof(c->nonce), "%s", d->nonce);
		snprintf(c->opaque, sizeof(c->opaque), "%s", d->opaque);
		snprintf(c->realm, sizeof(c->realm), "%s", d->realm);
		c->stale = d->stale_true;
		rc = 0;
	}
	free(d);
	return rc;
}

int tue_first(struct tue *u, struct tue_chal *c)
{
	static __thread struct tue_resp r;	/* large: keep it off the stack */
	char authz[1024];

	snprintf(authz, sizeof(authz),
		 "Digest username=\"%s\", realm=\"%s\", nonce=\"\", uri=\"/\", response=\"\"",
		 u->impi, u->realm);
	if (tue_get(u, "/", authz, &r))
		return -EIO;
	return tue_parse_chal(&r, c);
}

void tue_card(struct tue *u, const struct tue_chal *c, struct tue_keys *k)
{
	uint8_t ck[GBA_CK_LEN], ik[GBA_IK_LEN];
	uint64_t sqn;

	memset(k, 0, sizeof(*k));
	if (gba_usim_check_autn(&u->cred, c->rand, c->autn, &sqn, NULL)) {
		k->card = 2;
		return;
	}
	u->last_sqn = sqn;
	if (sqn <= u->sqn_ms) {
		k->card = 1;
		gba_usim_auts(&u->cred, c->rand, u->sqn_ms, k->auts);
		return;
	}
	u->sqn_ms = sqn;
	gba_usim_compute(&u->cred, c->rand, k->res, &k->res_len, ck, ik);
	memcpy(k->ks, ck, GBA_CK_LEN);
	memcpy(k->ks + GBA_CK_LEN, ik, GBA_IK_LEN);
	gba_zeroize(ck, sizeof(ck));
	gba_zeroize(ik, sizeof(ik));
}

int tue_authz(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
	      const struct tue_answer *a, char *out, size_t outlen)
{
	static const struct tue_answer none;
	struct gba_digest_input in;
	char resp[GBA_DIGEST_HEX_LEN + 1], cnonce[17], auts[32];
	uint8_t cn[8], res[GBA_RES_MAX_LEN];
	int n;

	if (!a)
		a = &none;
	gba_random(cn, sizeof(cn));
	gba_hex_encode(cnonce, sizeof(cnonce), cn, sizeof(cn));
	memset(&in, 0, sizeof(in));
	memcpy(res, k->res, sizeof(res));
	if (a->wrong_res)
		res[0] ^= 0x01;
	in.password = res;
	in.password_len = (a->empty_password || k->card) ? 0 : k->res_len;
	in.username = a->username ? a->username : u->impi;
	in.realm = a->realm ? a->realm : c->realm;
	in.method = "GET";
	in.uri = a->uri ? a->uri : "/";
	in.nonce = a->nonce ? a->nonce : c->nonce;
	in.nc = "00000001";
	in.cnonce = cnonce;
	in.qop = a->qop ? a->qop : GBA_QOP_AUTH_INT;
	if (gba_digest_compute(resp, &in))
		return -EIO;
	if (k->card == 1 || a->send_auts)
		gba_b64_encode(auts, sizeof(auts), k->auts, GBA_AUTS_LEN);
	n = gba_digest_fmt_credentials(out, outlen, &in, resp, "AKAv1-MD5",
				       a->no_opaque ? NULL : a->opaque ? a->opaque : c->opaque,
				       (k->card == 1 || a->send_auts) ? auts : NULL);
	gba_zeroize(res, sizeof(res));
	if (n < 0)
		return n;
	if (a->extra)
		snprintf(out + n, outlen - n, "%s", a->extra);
	return 0;
}

int tue_send_answer(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
		    const struct tue_answer *a, struct tue_resp *r)
{
	char authz[4200];

	if (tue_authz(u, c, k, a, authz, sizeof(authz)))
		return -EIO;
	return tue_get(u, a && a->req_uri ? a->req_uri : a && a->uri ? a->uri : "/", authz, r);
}

int tue_check_rspauth(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
		      enum gba_digest_qop qop, const struct tue_resp *r)
{
	struct gba_digest *d = malloc(sizeof(*d));
	struct gba_digest_input in;
	int rc = -EACCES;

	if (!d)
		return -ENOMEM;
	if (gba_digest_parse(d, GBA_DIGEST_AUTH_INFO, r->auth_info, strlen(r->auth_info)) == 0 &&
	    d->rspauth && d->cnonce && d->nc) {
		memset(&in, 0, sizeof(in));
		in.password = k->res;
		in.password_len = k->res_len;
		in.username = u->impi;
		in.realm = c->realm;
		in.method = "";
		in.uri = "/";
		in.nonce = c->nonce;
		in.nc = d->nc;
		in.cnonce = d->cnonce;
		in.qop = qop;
		in.body = (const uint8_t *)r->body;
		in.body_len = r->body_len;
		rc = gba_digest_verify(d->rspauth, &in) ? -EACCES : 0;
	}
	free(d);
	return rc;
}

int tue_bootstrap(struct tue *u, enum gba_digest_qop qop, struct tue_boot *b, char *why,
		  size_t whylen)
{
	static __thread struct tue_resp r;
	struct tue_chal c;
	struct tue_keys k;
	struct tue_answer a = { .qop = qop };
	struct gba_bootinfo bi;
	int rc = -EPROTO;

	memset(b, 0, sizeof(*b));
	if (tue_first(u, &c)) {
		snprintf(why, whylen, "first request: no valid 401");
		return -EPROTO;
	}
	tue_card(u, &c, &k);
	if (k.card == 1) {
		if (tue_send_answer(u, &c, &k, &a, &r) || tue_parse_chal(&r, &c)) {
			snprintf(why, whylen, "resync: status %ld, no valid 401", r.status);
			goto out;
		}
		tue_card(u, &c, &k);
	}
	if (k.card) {
		snprintf(why, whylen, "card refused AUTN (%d)", k.card);
		goto out;
	}
	if (tue_send_answer(u, &c, &k, &a, &r) || r.status != 200) {
		snprintf(why, whylen, "answer: status %ld %s", r.status, r.body);
		goto out;
	}
	if (tue_check_rspauth(u, &c, &k, qop ? qop : GBA_QOP_AUTH_INT, &r)) {
		snprintf(why, whylen, "rspauth wrong: %s", r.auth_info);
		goto out;
	}
	if (strcmp(r.ctype, GBA_BSF_XML_MEDIA_TYPE) || !r.expires[0] ||
	    gba_bootinfo_parse(&bi, r.body, r.body_len, why, whylen)) {
		snprintf(why, whylen, "bad 200: type '%s' expires '%s'", r.ctype, r.expires);
		goto out;
	}
	snprintf(b->btid, sizeof(b->btid), "%s", bi.btid);
	b->lifetime = bi.lifetime;
	memcpy(b->ks, k.ks, GBA_KS_LEN);
	memcpy(b->rand, c.rand, GBA_RAND_LEN);
	rc = 0;
out:
	gba_zeroize(&k, sizeof(k));
	return rc;
}

int tnaf_init(struct tnaf *n, const char *url, const char *cert, const char *key,
	      const char *ca)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->url, sizeof(n->url), "%s", url);
	n->curl = curl_easy_init();
	if (!n->curl)
		return -ENOMEM;
	if (cert) {
		curl_easy_setopt(n->curl, CURLOPT_SSLCERT, cert);
		curl_easy_setopt(n->curl, CURLOPT_SSLKEY, key);
	}
	if (ca) {
		curl_easy_setopt(n->curl, CURLOPT_CAINFO, ca);
		/* the test certificates name 127.0.0.1 only as CN */
		curl_easy_setopt(n->curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	curl_easy_setopt(n->curl, CURLOPT_TIMEOUT, 10L);
	return 0;
}

void tnaf_free(struct tnaf *n)
{
	if (n->curl)
		curl_easy_cleanup(n->curl);
	n->curl = NULL;
}

long tnaf_post_raw(struct tnaf *n, const char *body, size_t len, struct tue_resp *r)
{
	struct curl_slist *hl = NULL;
	int rc;

	curl_easy_setopt(n->curl, CURLOPT_URL, n->url);
	curl_easy_setopt(n->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(n->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(n->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	hl = curl_slist_append(hl, "Content-Type: " GBA_ZN_MEDIA_TYPE);
	hl = curl_slist_append(hl, "SOAPAction: " GBA_ZN_SOAP_ACTION);
	curl_easy_setopt(n->curl, CURLOPT_HTTPHEADER, hl);
	rc = perform(n->curl, r);
	curl_slist_free_all(hl);
	return rc ? -EIO : r->status;
}

long tnaf_lookup(struct tnaf *n, const char *btid, const char *fqdn, bool gba_u_aware,
		 struct gba_zn_answer *a, struct gba_zn_fault *f, bool *is_fault)
{
	static __thread struct tue_resp r;
	struct gba_zn_request q;
	char *body = NULL;
	size_t len;
	long st;
	int rc;

	memset(&q, 0, sizeof(q));
	snprintf(q.btid, sizeof(q.btid), "%s", btid);
	rc = gba_naf_id(q.naf_id, sizeof(q.naf_id), fqdn, GBA_UA_ID_HTTP_DIGEST);
	if (rc < 0)
		return rc;
	q.naf_id_len = (size_t)rc;
	q.gba_u_aware = gba_u_aware;
	if (gba_zn_request_build(&body, &len, &q))
		return -EINVAL;
	st = tnaf_post_raw(n, body, len, &r);
	free(body);
	if (st < 0)
		return st;
	rc = gba_zn_response_parse(a, f, r.body, r.body_len, NULL, 0);
	if (rc < 0)
		return -EPROTO;
	*is_fault = rc == GBA_ZN_FAULT;
	return st;
}

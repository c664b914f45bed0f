/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAF's Zn client (TS 29.109 web service, doc/zn-soap.md): one SOAP POST over HTTPS
 * with the NAF's client certificate (libcurl), body built and parsed by core's Zn codec.
 * Faults map to errno values: 5403/5401 -> -ENOENT, 5402 -> -EACCES, others -EIO;
 * transport failures to -ECONNREFUSED, -ETIMEDOUT, -EHOSTUNREACH.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include <gba/log.h>
#include <gba/bsfxml.h>	/* GBA_XML_MAX */

#include "naf_priv.h"

struct body {
	char *buf;
	size_t len;
	bool too_big;
};

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = sz * n;
	char *nb;

	if (b->len + add > GBA_XML_MAX) {
		b->too_big = true;
		return 0;
	}
	/* not realloc(): the answer holds keys, a moved-from block must be wiped first */
	nb = malloc(b->len + add + 1);
	if (!nb)
		return 0;
	if (b->buf) {
		memcpy(nb, b->buf, b->len);
		gba_zeroize(b->buf, b->len);
		free(b->buf);
	}
	memcpy(nb + b->len, p, add);
	b->buf = nb;
	b->len += add;
	b->buf[b->len] = '\0';
	return add;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_WRITE_ERROR:
		return -EPROTO;
	default:
		return -EIO;
	}
}

int naf_zn_fault_errno(unsigned int code)
{
	switch (code) {
	case GBA_ZN_ERR_BTID_INVALID:
	case GBA_ZN_ERR_IMPI_UNKNOWN:
		return -ENOENT;
	case GBA_ZN_ERR_NOT_AUTHORIZED:
		return -EACCES;
	default:
		return -EIO;
	}
}

static void count(struct gba_naf *naf, bool err)
{
	pthread_mutex_lock(&naf->cache.lock);
	naf->cache.st.zn_requests++;
	if (err)
		naf->cache.st.zn_errors++;
	pthread_mutex_unlock(&naf->cache.lock);
}

/* An idle handle (its connection to the BSF may still be open) or a new one. */
static CURL *pool_get(struct gba_naf *naf)
{
	CURL *c = NULL;

	pthread_mutex_lock(&naf->pool_lock);
	if (naf->n_pool)
		c = naf->pool[--naf->n_pool];
	pthread_mutex_unlock(&naf->pool_lock);
	if (c)
		curl_easy_reset(c);	/* keeps the connection and TLS session caches */
	else
		c = curl_easy_init();
	return c;
}

static void pool_put(struct gba_naf *naf, CURL *c, bool ok)
{
	pthread_mutex_lock(&naf->pool_lock);
	if (ok && naf->n_pool < NAF_CURL_POOL) {
		naf->pool[naf->n_pool++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&naf->pool_lock);
	if (c)
		curl_easy_cleanup(c);
}

void naf_zn_pool_free(struct gba_naf *naf)
{
	while (naf->n_pool)
		curl_easy_cleanup(naf->pool[--naf->n_pool]);
}

/* OpenSSL wipes each decrypted Zn record once read (the answers hold keys). */
static CURLcode on_ssl_ctx(CURL *c, void *ssl_ctx, void *arg)
{
	(void)c;
	(void)arg;
	SSL_CTX_set_options(ssl_ctx, SSL_OP_CLEANSE_PLAINTEXT);
	return CURLE_OK;
}

/* POST 'req' to the BSF; *b receives the answer body. HTTP status or negative errno. */
static long zn_post(struct gba_naf *naf, const char *req, size_t reqlen, struct body *b,
		    char *cerr)
{
	struct curl_slist *h = NULL;
	CURL *c = pool_get(naf);
	CURLcode cc;
	long status = 0;

	if (!c)
		return -ENOMEM;
	h = curl_slist_append(h, "Content-Type: " GBA_ZN_MEDIA_TYPE);
	h = curl_slist_append(h, "SOAPAction: " GBA_ZN_SOAP_ACTION);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, naf->zn_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)reqlen);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, naf->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, naf->timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if (naf->client_cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, naf->client_cert);
	if (naf->client_key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, naf->client_key);
	if (naf->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, naf->ca_file);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(h);
	pool_put(naf, c, cc == CURLE_OK);
	if (cc != CURLE_OK) {
		if (b->too_big)
			return -EPROTO;
		if (!cerr[0])
			snprintf(cerr, CURL_ERROR_SIZE, "%s", curl_easy_strerror(cc));
		return curl_errno(cc);
	}
	return status;
}

int naf_zn_fetch(struct gba_naf *naf, const char *btid, const uint8_t *naf_id,
		 size_t naf_id_len, struct naf_zn_result *r)
{
	struct gba_zn_request req;
	struct gba_zn_fault f;
	struct body b = { 0 };
	char *xml = NULL, err[128] = "", cerr[CURL_ERROR_SIZE] = "";
	size_t xlen;
	long st;
	int rc;

	if (naf->dia) {
		rc = naf_zn_dia_fetch(naf, btid, naf_id, naf_id_len, r);
		count(naf, rc && rc != -ENOENT);
		return rc;
	}
	memset(r, 0, sizeof(*r));
	memset(&req, 0, sizeof(req));
	snprintf(req.btid, sizeof(req.btid), "%s", btid);
	memcpy(req.naf_id, naf_id, naf_id_len);
	req.naf_id_len = naf_id_len;
	req.gba_u_aware = naf->gba_u_aware;
	rc = gba_zn_request_build(&xml, &xlen, &req);
	if (rc)
		return r->rc = rc;
	st = zn_post(naf, xml, xlen, &b, cerr);
	free(xml);
	if (st < 0) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn %s: BSF unreachable: %s", naf->zn_url, cerr);
		rc = (int)st;
		goto out;
	}
	if (!b.buf) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: HTTP %ld without a body", st);
		rc = st == 404 ? -ENOENT : st == 403 ? -EACCES : -EPROTO;
		goto out;
	}
	rc = gba_zn_response_parse(&r->a, &f, b.buf, b.len, err, sizeof(err));
	if (rc == GBA_ZN_ANSWER && st == 200) {
		GLOGP(GBA_LC_ZN, GBA_LL_INFO, "Zn: B-TID %s -> IMPI %s (%s)", btid, r->a.impi,
		      r->a.uicc_me == GBA_ZN_UICC_ME_GBA_U ? "GBA_U" : "GBA_ME");
		rc = 0;
	} else if (rc == GBA_ZN_ANSWER) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: an answer with HTTP %ld", st);
		gba_zn_answer_clear(&r->a);
		rc = -EPROTO;
	} else if (rc == GBA_ZN_FAULT) {
		rc = naf_zn_fault_errno(f.code);
		GLOGP(GBA_LC_ZN, rc == -ENOENT ? GBA_LL_INFO : GBA_LL_ERROR,
		      "Zn: B-TID %s refused: %u %s (HTTP %ld)", btid, f.code, f.reason, st);
	} else {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: malformed answer (HTTP %ld): %s", st, err);
		rc = -EPROTO;
	}
out:
	if (b.buf) {
		gba_zeroize(b.buf, b.len);
		free(b.buf);
	}
	count(naf, rc && rc != -ENOENT);
	return r->rc = rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zn server (zn_http.h). The NAF's identity is its verified TLS client certificate
 * (GnuTLS, which libmicrohttpd uses): the subject CN and every SAN dNSName; with
 * --zn-allow-plain-http every client is BSF_PLAIN_NAF. The ACL of gba-bsf.conf(5) says
 * which NAF FQDNs each identity may ask for. The lookup and the key derivation are zn.c's
 * (shared with Zn over Diameter); the SOAP codec is core/zn_soap.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <gba/identity.h>
#include <gba/kdf.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/zn.h>

#include "zn.h"
#include "zn_http.h"

static int fault(struct zn_reply *r, unsigned int status, enum bsf_zn_result res,
		 unsigned int code, const char *reason)
{
	struct gba_zn_fault f;

	memset(&f, 0, sizeof(f));
	f.code = code;
	snprintf(f.reason, sizeof(f.reason), "%s", reason);
	r->status = status;
	r->result = res;
	return gba_zn_fault_build(&r->body, &r->body_len, &f) ? -ENOMEM : 0;
}

static const char *ids_str(char *buf, size_t len, const char *const *ids, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%s", i ? "," : "", ids[i]);
	return buf;
}

int zn_process(struct bsf *bsf, const char *const *ids, size_t n_ids, const char *body,
	       size_t len, struct zn_reply *r)
{
	static const unsigned int status[_ZN_R_COUNT] = {
		[ZN_R_OK] = 200, [ZN_R_UNAUTHORIZED] = 403, [ZN_R_UNKNOWN_BTID] = 404,
		[ZN_R_FOREIGN_BTID] = 404, [ZN_R_MALFORMED] = 400, [ZN_R_ERROR] = 500,
	};
	const struct bsf_naf_acl *acls[ZN_IDS_MAX];
	struct gba_zn_request q;
	struct zn_result res;
	char err[160], who[256];
	int rc;

	memset(r, 0, sizeof(*r));
	ids_str(who, sizeof(who), ids, n_ids);
	rc = gba_zn_request_parse(&q, body, len, err, sizeof(err));
	if (rc) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "NAF %s: malformed request: %s", who, err);
		return fault(r, 400, ZN_R_MALFORMED, GBA_ZN_ERR_UNABLE_TO_COMPLY, err);
	}
	for (size_t i = 0; i < n_ids && i < ZN_IDS_MAX; i++)
		acls[i] = bsf_config_naf(bsf->cfg, ids[i]);
	if (zn_lookup(bsf, acls, n_ids < ZN_IDS_MAX ? n_ids : ZN_IDS_MAX, who, &q, &res))
		return fault(r, status[res.result], res.result, res.code, res.reason);
	rc = gba_zn_answer_build(&r->body, &r->body_len, &res.a);
	zn_result_clear(&res);
	if (rc)
		return fault(r, 500, ZN_R_ERROR, GBA_ZN_ERR_UNABLE_TO_COMPLY, "BSF failure");
	r->status = 200;
	r->result = ZN_R_OK;
	return 0;
}

void zn_reply_release(struct zn_reply *r)
{
	if (r->body)
		gba_zeroize(r->body, r->body_len);
	free(r->body);
	r->body = NULL;
}

/*
 * Identities of a verified client certificate into 'buf' (n entries of 256 bytes).
 * Returns the count; 0 when there is no valid certificate.
 */
static size_t tls_ids(struct MHD_Connection *c, char buf[][256], size_t max)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t sess;
	const gnutls_datum_t *certs;
	gnutls_x509_crt_t crt;
	unsigned int n_certs = 0, status = 1;
	size_t n = 0, sz;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return 0;
	sess = (gnutls_session_t)ci->tls_session;
	if (gnutls_certificate_verify_peers2(sess, &status) || status)
		return 0;
	certs = gnutls_certificate_get_peers(sess, &n_certs);
	if (!certs || !n_certs || gnutls_x509_crt_init(&crt))
		return 0;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == 0) {
		sz = 255;
		if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf[n],
						  &sz) == 0) {
			buf[n][sz < 255 ? sz : 255] = '\0';
			n++;
		}
		for (unsigned int i = 0; n < max; i++) {
			unsigned int critical;
			int t;

			sz = 255;
			t = gnutls_x509_crt_get_subject_alt_name(crt, i, buf[n], &sz, &critical);
			if (t < 0 && t != GNUTLS_E_SHORT_MEMORY_BUFFER)
				break;
			if (t == GNUTLS_SAN_DNSNAME) {
				buf[n][sz < 255 ? sz : 255] = '\0';
				n++;
			}
		}
	}
	gnutls_x509_crt_deinit(crt);
	return n;
}

/* the SOAP texts are NUL-terminated */
static void zeroize_free(void *p)
{
	if (p)
		gba_zeroize(p, strlen(p));
	free(p);
}

enum MHD_Result zn_http_request(struct bsf *bsf, struct MHD_Connection *c, const char *method,
				const char *url, const uint8_t *body, size_t len,
				const struct timespec *t0)
{
	char idbuf[ZN_IDS_MAX][256];
	const char *ids[ZN_IDS_MAX];
	struct zn_reply r;
	struct MHD_Response *resp;
	struct timespec t;
	enum MHD_Result ret;
	size_t n = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	if (strcmp(method, "POST") || strcmp(url, GBA_ZN_PATH)) {
		rc = fault(&r, strcmp(url, GBA_ZN_PATH) ? 404 : 405, ZN_R_MALFORMED,
			   GBA_ZN_ERR_UNABLE_TO_COMPLY, "POST " GBA_ZN_PATH " only");
	} else {
		if (bsf->cfg->zn_allow_plain_http) {
			ids[n++] = BSF_PLAIN_NAF;
		} else {
			n = tls_ids(c, idbuf, ZN_IDS_MAX);
			for (size_t i = 0; i < n; i++)
				ids[i] = idbuf[i];
		}
		if (!n)
			rc = fault(&r, 403, ZN_R_UNAUTHORIZED, GBA_ZN_ERR_NOT_AUTHORIZED,
				   "no valid client certificate");
		else
			rc = zn_process(bsf, ids, n, (const char *)body, len, &r);
	}
	if (rc)
		return MHD_NO;
	/* the answer holds NAF keys: MHD frees it through zeroize_free() */
	resp = MHD_create_response_from_buffer_with_free_callback(r.body_len, r.body,
								  zeroize_free);
	if (!resp) {
		zn_reply_release(&r);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, GBA_ZN_MEDIA_TYPE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(c, r.status, resp);
	MHD_destroy_response(resp);
	clock_gettime(CLOCK_MONOTONIC, &t);
	bsf_metrics_zn(r.result, (double)(t.tv_sec - t0->tv_sec) +
		       (t.tv_nsec - t0->tv_nsec) / 1e9);
	return ret;
}

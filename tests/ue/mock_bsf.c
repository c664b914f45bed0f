/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ue/ unit tests' in-process BSF and NAF (see mock_bsf.h): libmicrohttpd, core's AuC,
 * digest and BootstrappingInfo codecs. Single subscriber, one pending challenge.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include <gba/bsfxml.h>
#include <gba/digest.h>
#include <gba/kdf.h>
#include <gba/keys.h>

#include "mock_bsf.h"

#define MOCK_REALM	"bsf.test"
#define MOCK_DOMAIN	"bsf.test"
#define NAF_REALM	"3GPP-bootstrapping@127.0.0.1"
#define NAF_NONCE	"6e61666e6f6e6365"

static pthread_mutex_t mock_lock = PTHREAD_MUTEX_INITIALIZER;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *body,
			     const char *hname, const char *hval, const char *h2name,
			     const char *h2val)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (hname)
		MHD_add_response_header(r, hname, hval);
	if (h2name)
		MHD_add_response_header(r, h2name, h2val);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result challenge(struct mock_bsf *m, struct MHD_Connection *c)
{
	uint8_t rand[GBA_RAND_LEN];
	char hdr[512];

	if (m->delay_ms)
		usleep(m->delay_ms * 1000);
	gba_random(rand, sizeof(rand));
	if (gba_auc_gen_vector(&m->av, &m->sub, rand))
		return reply(c, 500, "AuC failed", NULL, NULL, NULL, NULL);
	gba_aka_nonce_encode(m->nonce, sizeof(m->nonce), m->av.rand, m->av.autn, NULL, 0);
	gba_digest_fmt_challenge(hdr, sizeof(hdr), MOCK_REALM, m->nonce, NULL, "AKAv1-MD5",
				 1u << GBA_QOP_AUTH_INT, false);
	m->challenges++;
	return reply(c, 401, "", "WWW-Authenticate", hdr, NULL, NULL);
}

static void input(struct gba_digest_input *in, const struct gba_digest *d, const uint8_t *pw,
		  size_t pwlen, const char *method, const char *body)
{
	memset(in, 0, sizeof(*in));
	in->password = pw;
	in->password_len = pwlen;
	in->username = d->username;
	in->realm = d->realm;
	in->method = method;
	in->uri = d->uri;
	in->nonce = d->nonce;
	in->nc = d->nc;
	in->cnonce = d->cnonce;
	in->qop = d->qop ? ((d->qop_mask & (1u << GBA_QOP_AUTH_INT)) ? GBA_QOP_AUTH_INT :
			    GBA_QOP_AUTH) : GBA_QOP_NONE;
	in->body = (const uint8_t *)body;
	in->body_len = body ? strlen(body) : 0;
}

static enum MHD_Result ub(struct mock_bsf *m, struct MHD_Connection *c, const char *authz)
{
	struct gba_digest *d = calloc(1, sizeof(*d));
	struct gba_digest_input in;
	struct gba_bootinfo bi;
	enum MHD_Result ret;
	char rsp[GBA_DIGEST_HEX_LEN + 1], ai[512], *xml = NULL;
	uint8_t auts[GBA_AUTS_LEN + 4], nrand[GBA_RAND_LEN];
	size_t xlen;

	if (m->mode == MOCK_403) {
		ret = reply(c, 403, "no", NULL, NULL, NULL, NULL);
		goto out;
	}
	if (m->mode == MOCK_503) {
		ret = reply(c, 503, "later", "Retry-After", "5", NULL, NULL);
		goto out;
	}
	if (!authz || gba_digest_parse(d, GBA_DIGEST_CREDENTIALS, authz, strlen(authz)) ||
	    !d->nonce[0] || strcmp(d->nonce, m->nonce)) {
		if (authz && !gba_digest_parse(d, GBA_DIGEST_CREDENTIALS, authz, strlen(authz)))
			snprintf(m->impi, sizeof(m->impi), "%s", d->username);
		ret = challenge(m, c);
		goto out;
	}
	if (d->auts) {
		input(&in, d, (const uint8_t *)"", 0, "GET", NULL);
		if (gba_digest_verify(d->response, &in) ||
		    gba_b64_decode(auts, sizeof(auts), d->auts, strlen(d->auts)) != GBA_AUTS_LEN) {
			ret = reply(c, 400, "bad auts", NULL, NULL, NULL, NULL);
			goto out;
		}
		gba_random(nrand, sizeof(nrand));
		if (gba_auc_resync(&m->av, &m->sub, m->av.rand, auts, nrand)) {
			ret = reply(c, 403, "resync failed", NULL, NULL, NULL, NULL);
			goto out;
		}
		m->resyncs++;
		ret = challenge(m, c);
		goto out;
	}
	input(&in, d, (const uint8_t *)"", 0, "GET", NULL);
	if (!gba_digest_verify(d->response, &in)) {	/* empty password, no auts: MAC failure */
		m->mac_failures++;
		m->nonce[0] = '\0';
		ret = reply(c, 403, "network authentication failure", NULL, NULL, NULL, NULL);
		goto out;
	}
	input(&in, d, m->av.xres, m->av.xres_len, "GET", NULL);
	if (gba_digest_verify(d->response, &in)) {
		ret = reply(c, 403, "bad RES", NULL, NULL, NULL, NULL);
		goto out;
	}
	memset(&bi, 0, sizeof(bi));
	gba_btid_make(bi.btid, sizeof(bi.btid), m->av.rand, MOCK_DOMAIN);
	bi.lifetime = time(NULL) + m->lifetime;
	gba_bootinfo_build(&xml, &xlen, &bi);
	input(&in, d, m->av.xres, m->av.xres_len, "", xml);
	gba_digest_compute(rsp, &in);
	if (m->mode == MOCK_BAD_RSPAUTH)
		rsp[0] = rsp[0] == '0' ? '1' : '0';
	gba_digest_fmt_auth_info(ai, sizeof(ai), in.qop, rsp, d->cnonce, d->nc, NULL);
	pthread_mutex_lock(&mock_lock);
	m->have_boot = true;
	m->successes++;
	snprintf(m->btid, sizeof(m->btid), "%s", bi.btid);
	snprintf(m->impi, sizeof(m->impi), "%s", d->username);
	memcpy(m->rand, m->av.rand, GBA_RAND_LEN);
	memcpy(m->ks, m->av.ck, GBA_CK_LEN);
	memcpy(m->ks + GBA_CK_LEN, m->av.ik, GBA_IK_LEN);
	pthread_mutex_unlock(&mock_lock);
	m->nonce[0] = '\0';
	ret = reply(c, 200, xml, "Content-Type", GBA_BSF_XML_MEDIA_TYPE,
		    m->mode == MOCK_NO_AUTH_INFO ? NULL : "Authentication-Info", ai);
out:
	free(xml);
	free(d);
	return ret;
}

/* The NAF: Digest with realm 3GPP-bootstrapping@127.0.0.1 and the key of the last bootstrap. */
static enum MHD_Result naf(struct mock_bsf *m, struct MHD_Connection *c, const char *authz)
{
	struct gba_digest *d = calloc(1, sizeof(*d));
	struct gba_digest_input in;
	uint8_t key[32];
	char pw[64], hdr[512];
	enum MHD_Result ret;

	m->naf_requests++;
	gba_digest_fmt_challenge(hdr, sizeof(hdr), NAF_REALM, NAF_NONCE, NULL, "MD5",
				 1u << GBA_QOP_AUTH_INT, false);
	if (!authz || gba_digest_parse(d, GBA_DIGEST_CREDENTIALS, authz, strlen(authz)) ||
	    !m->have_boot || strcmp(d->username, m->btid) || m->naf_forget) {
		if (authz)
			m->naf_forget = false;
		ret = reply(c, 401, "", "WWW-Authenticate", hdr, NULL, NULL);
		goto out;
	}
	mock_bsf_ks_naf(m, "127.0.0.1", (const uint8_t[]){ 1, 0, 0, 0, 2 }, key);
	gba_b64_encode(pw, sizeof(pw), key, sizeof(key));
	input(&in, d, (const uint8_t *)pw, strlen(pw), "GET", NULL);
	if (gba_digest_verify(d->response, &in)) {
		ret = reply(c, 401, "", "WWW-Authenticate", hdr, NULL, NULL);
		goto out;
	}
	m->naf_ok++;
	ret = reply(c, 200, "hello from the NAF\n", NULL, NULL, NULL, NULL);
out:
	free(d);
	return ret;
}

/* GET /zn?naf=FQDN&ua=HEX: hex Ks_NAF of the last bootstrap, "btid key" (tests only). */
static enum MHD_Result zn(struct mock_bsf *m, struct MHD_Connection *c)
{
	const char *fqdn = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "naf");
	const char *uah = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ua");
	uint8_t ua[5], key[32];
	char out[GBA_BTID_MAX + 80], kh[65];

	if (!fqdn || !uah || gba_hex_decode(ua, sizeof(ua), uah) || !m->have_boot ||
	    mock_bsf_ks_naf(m, fqdn, ua, key))
		return reply(c, 404, "", NULL, NULL, NULL, NULL);
	gba_hex_encode(kh, sizeof(kh), key, sizeof(key));
	gba_zeroize(key, sizeof(key));
	snprintf(out, sizeof(out), "%s %s\n", m->btid, kh);
	return reply(c, 200, out, NULL, NULL, NULL, NULL);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *data,
			       size_t *data_len, void **state)
{
	struct mock_bsf *m = cls;
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");

	if (!*state) {
		*state = m;
		return MHD_YES;
	}
	if (!strncmp(url, "/naf", 4))
		return naf(m, c, authz);
	if (!strcmp(url, "/zn"))
		return zn(m, c);
	m->requests++;
	if (ua)
		snprintf(m->user_agent, sizeof(m->user_agent), "%s", ua);
	return ub(m, c, authz);
}

int mock_bsf_start(struct mock_bsf *m, const struct gba_aka_cred *cred, uint64_t sqn)
{
	return mock_bsf_start_port(m, cred, sqn, 0);
}

int mock_bsf_start_port(struct mock_bsf *m, const struct gba_aka_cred *cred, uint64_t sqn,
			unsigned int port)
{
	const union MHD_DaemonInfo *di;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	memset(m, 0, sizeof(*m));
	m->lifetime = 3600;
	m->sub.cred = *cred;
	m->sub.amf[0] = 0x80;
	m->sub.sqn = sqn;
	m->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
				     NULL, handler, m, MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_END);
	if (!m->daemon)
		return -1;
	di = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
	m->port = di ? di->port : 0;
	snprintf(m->url, sizeof(m->url), "http://127.0.0.1:%u/", m->port);
	return m->port ? 0 : -1;
}

void mock_bsf_stop(struct mock_bsf *m)
{
	if (m->daemon)
		MHD_stop_daemon(m->daemon);
	m->daemon = NULL;
	gba_zeroize(&m->sub, sizeof(m->sub));
	gba_zeroize(m->ks, sizeof(m->ks));
}

int mock_bsf_ks_naf(const struct mock_bsf *m, const char *fqdn, const uint8_t ua[5],
		    uint8_t out[32])
{
	uint8_t naf_id[GBA_NAF_ID_MAX];
	int n = gba_naf_id(naf_id, sizeof(naf_id), fqdn, ua);

	if (n < 0)
		return n;
	return gba_ks_naf(out, m->ks, m->rand, m->impi, naf_id, (size_t)n);
}

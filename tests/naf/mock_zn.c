/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The naf/ tests' Zn endpoint (see mock_zn.h): libmicrohttpd, core's Zn codec and KDF. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include <gba/bsfxml.h>
#include <gba/kdf.h>
#include <gba/zn.h>

#include "mock_zn.h"

struct upload {
	char *buf;
	size_t len;
	bool too_big;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, char *body,
			     size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", GBA_ZN_MEDIA_TYPE);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result fault(struct mock_zn *m, struct MHD_Connection *c, unsigned int code,
			     const char *why)
{
	struct gba_zn_fault f = { .code = code };
	char *x = NULL;
	size_t xl = 0;
	enum MHD_Result ret;

	snprintf(f.reason, sizeof(f.reason), "%s", why);
	if (gba_zn_fault_build(&x, &xl, &f))
		return MHD_NO;
	pthread_mutex_lock(&m->lock);
	m->faults++;
	pthread_mutex_unlock(&m->lock);
	ret = reply(c, 500, x, xl);
	free(x);
	return ret;
}

int mock_zn_key(const struct mock_zn_sess *s, const char *fqdn, const uint8_t ua[5], bool uicc,
		uint8_t out[32])
{
	uint8_t id[GBA_NAF_ID_MAX];
	int n = gba_naf_id(id, sizeof(id), fqdn, ua);

	if (n < 0)
		return n;
	return uicc ? gba_ks_int_naf(out, s->ks, s->rand, s->impi, id, (size_t)n) :
		      gba_ks_naf(out, s->ks, s->rand, s->impi, id, (size_t)n);
}

static enum MHD_Result answer(struct mock_zn *m, struct MHD_Connection *c, struct upload *u)
{
	struct gba_zn_request req;
	struct gba_zn_answer a;
	struct mock_zn_sess s;
	char err[128], fqdn[GBA_FQDN_MAX + 1], *x = NULL;
	size_t xl = 0, fl;
	unsigned int i;
	bool found = false;
	enum MHD_Result ret;

	if (m->delay_ms)
		usleep(m->delay_ms * 1000);
	if (gba_zn_request_parse(&req, u->buf ? u->buf : "", u->len, err, sizeof(err)))
		return fault(m, c, GBA_ZN_ERR_UNABLE_TO_COMPLY, err);
	fl = req.naf_id_len - GBA_UA_ID_LEN;
	memcpy(fqdn, req.naf_id, fl);
	fqdn[fl] = '\0';
	if (!strcasecmp(fqdn, MOCK_ZN_FORBIDDEN))
		return fault(m, c, GBA_ZN_ERR_NOT_AUTHORIZED, "NAF not authorised");
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->n && !found; i++)
		if (!strcmp(m->s[i].btid, req.btid)) {
			s = m->s[i];
			found = true;
		}
	pthread_mutex_unlock(&m->lock);
	if (!found || s.expiry <= time(NULL))
		return fault(m, c, GBA_ZN_ERR_BTID_INVALID, "B-TID unknown or expired");
	memset(&a, 0, sizeof(a));
	snprintf(a.impi, sizeof(a.impi), "%s", s.impi);
	gba_ks_naf(a.me_key, s.ks, s.rand, s.impi, req.naf_id, req.naf_id_len);
	if (s.gba_u && req.gba_u_aware) {
		gba_ks_int_naf(a.uicc_key, s.ks, s.rand, s.impi, req.naf_id, req.naf_id_len);
		a.has_uicc_key = true;
	}
	a.uicc_me = s.gba_u ? GBA_ZN_UICC_ME_GBA_U : GBA_ZN_UICC_ME_GBA_ME;
	a.key_expiry = s.expiry;
	a.creation_time = time(NULL);
	if (gba_zn_answer_build(&x, &xl, &a))
		return MHD_NO;
	gba_zn_answer_clear(&a);
	gba_zeroize(&s, sizeof(s));
	pthread_mutex_lock(&m->lock);
	m->answers++;
	pthread_mutex_unlock(&m->lock);
	ret = reply(c, 200, x, xl);
	gba_zeroize(x, xl);
	free(x);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *data,
			       size_t *size, void **ctx)
{
	struct mock_zn *m = cls;
	struct upload *u = *ctx;

	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return MHD_NO;
		*ctx = u;
		return MHD_YES;
	}
	if (*size) {
		if (u->len + *size > GBA_XML_MAX) {
			u->too_big = true;
		} else {
			char *nb = realloc(u->buf, u->len + *size + 1);

			if (!nb)
				return MHD_NO;
			memcpy(nb + u->len, data, *size);
			u->buf = nb;
			u->len += *size;
			u->buf[u->len] = '\0';
		}
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&m->lock);
	m->requests++;
	pthread_mutex_unlock(&m->lock);
	if (strcmp(method, "POST") || strcmp(url, GBA_ZN_PATH) || u->too_big)
		return reply(c, 404, "", 0);
	return answer(m, c, u);
}

static void done(void *cls, struct MHD_Connection *c, void **ctx,
		 enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *ctx;

	if (u) {
		free(u->buf);
		free(u);
	}
	*ctx = NULL;
}

int mock_zn_start(struct mock_zn *m, unsigned int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	const union MHD_DaemonInfo *di;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pthread_mutex_init(&m->lock, NULL);
	m->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
				     MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handler, m,
				     MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, done,
				     NULL, MHD_OPTION_END);
	if (!m->daemon)
		return -1;
	di = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
	m->port = di ? di->port : port;
	snprintf(m->url, sizeof(m->url), "http://127.0.0.1:%u", m->port);
	return 0;
}

void mock_zn_stop(struct mock_zn *m)
{
	if (m->daemon)
		MHD_stop_daemon(m->daemon);
	m->daemon = NULL;
	gba_zeroize(m->s, sizeof(m->s));
}

struct mock_zn_sess *mock_zn_add(struct mock_zn *m, const char *impi, const uint8_t *ks,
				 long lifetime, bool gba_u)
{
	struct mock_zn_sess *s;

	pthread_mutex_lock(&m->lock);
	if (m->n == MOCK_ZN_SESS_MAX) {
		pthread_mutex_unlock(&m->lock);
		return NULL;
	}
	s = &m->s[m->n++];
	snprintf(s->impi, sizeof(s->impi), "%s", impi);
	gba_random(s->rand, sizeof(s->rand));
	if (ks)
		memcpy(s->ks, ks, GBA_KS_LEN);
	else
		gba_random(s->ks, GBA_KS_LEN);
	gba_btid_make(s->btid, sizeof(s->btid), s->rand, "bsf.example.org");
	s->expiry = time(NULL) + lifetime;
	s->gba_u = gba_u;
	pthread_mutex_unlock(&m->lock);
	return s;
}

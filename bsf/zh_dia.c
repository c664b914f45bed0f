/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zh over Diameter (zh.h, zh_dia.h): one Multimedia-Auth-Request per vector (TS 29.109
 * 6.1.1: User-Name = IMPI, SIP-Number-Auth-Items 1, SIP-Auth-Data-Item with
 * SIP-Authentication-Scheme "Digest-AKAv1-MD5" and, to resynchronise, SIP-Authorization =
 * RAND || AUTS; Server-Name = our Diameter identity), sent through the process's freeDiameter
 * core to Destination-Realm (and Destination-Host when configured). The answer arrives in a
 * freeDiameter thread, which turns it into a zh_result (zh_dia_maa_parse()) and calls the
 * zh_cb there, as the GSUP backend does from its own thread. An HSS that is not connected
 * fails the request at once with -EAGAIN (Ub: 503 + Retry-After); an unanswered request fails
 * with -EAGAIN after TIMEOUT_MS. freeDiameter reconnects to the HSS by itself (TcTimer).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "dia.h"
#include "zh_dia.h"

#define TIMEOUT_MS	2000		/* one MAR, from request_av() to the answer */
#define OPEN_WAIT_MS	2000		/* zh_dia_open() waits this long for the HSS */
#define CLOSE_WAIT_MS	(TIMEOUT_MS + 1000)
#define AUTH_REJECTED	5003		/* RFC 6733 DIAMETER_AUTHORIZATION_REJECTED */

struct zh_dia {
	struct zh base;
	char *realm;			/* Destination-Realm, NULL: ours */
	char *host;			/* Destination-Host or NULL */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	unsigned int inflight;
	bool started;
};

struct dia_req {
	struct zh_dia *z;
	zh_cb cb;
	void *arg;
	bool resync;
	char impi[GBA_IMPI_MAX + 1];
};

#define DIA(zh) ((struct zh_dia *)(zh))

/* ---- the answer */

static int item_vector(struct avp *item, struct gba_av *av)
{
	const uint8_t *p;
	size_t len;
	int rc;

	rc = gba_dia_get_os(item, gba_dia_dict.sip_auth_scheme, &p, &len);
	if (rc == 0 && (len != strlen(GBA_DIA_SCHEME_AKA) ||
			strncasecmp((const char *)p, GBA_DIA_SCHEME_AKA, len)))
		return -EPROTONOSUPPORT;
	if (gba_dia_get_os(item, gba_dia_dict.sip_authenticate, &p, &len) ||
	    len != GBA_RAND_LEN + GBA_AUTN_LEN)
		return -EBADMSG;
	memcpy(av->rand, p, GBA_RAND_LEN);
	memcpy(av->autn, p + GBA_RAND_LEN, GBA_AUTN_LEN);
	if (gba_dia_get_os(item, gba_dia_dict.sip_authorization, &p, &len) ||
	    len < GBA_RES_MIN_LEN || len > GBA_RES_MAX_LEN)
		return -EBADMSG;
	memcpy(av->xres, p, len);
	av->xres_len = len;
	if (gba_dia_get_os(item, gba_dia_dict.ck, &p, &len) || len != GBA_CK_LEN)
		return -EBADMSG;
	memcpy(av->ck, p, len);
	if (gba_dia_get_os(item, gba_dia_dict.ik, &p, &len) || len != GBA_IK_LEN)
		return -EBADMSG;
	memcpy(av->ik, p, len);
	return 0;
}

/* The result code as a zh_result rc; 1 for success. */
static int result_rc(struct msg *ans, bool resync, uint32_t *code)
{
	bool exp;

	if (gba_dia_result(ans, code, &exp))
		return -EIO;
	if (*code == GBA_DIA_SUCCESS && !exp)
		return 1;
	if (*code == GBA_DIA_ERROR_USER_UNKNOWN)
		return -ENOENT;
	if (*code == AUTH_REJECTED && !exp && resync)
		return -EBADMSG;
	/* 3002 no route, 3004 too busy, 4xxx transient failures: the HSS may come back */
	if (!exp && (*code == GBA_DIA_UNABLE_TO_DELIVER || *code == GBA_DIA_TOO_BUSY ||
		     (*code >= 4000 && *code < 5000)))
		return -EAGAIN;
	return -EIO;
}

void zh_dia_maa_parse(struct msg *ans, bool resync, struct zh_result *res)
{
	struct msg_hdr *h = NULL;
	struct avp *item;
	const uint8_t *x;
	size_t len;
	uint32_t code = 0;
	char err[128] = "";
	int rc;

	memset(res, 0, sizeof(*res));
	res->rc = -EIO;
	if (!ans || fd_msg_hdr(ans, &h) || (h->msg_flags & CMD_FLAG_REQUEST) ||
	    h->msg_code != GBA_DIA_CMD_MA) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "Zh: not a Multimedia-Auth-Answer");
		return;
	}
	rc = result_rc(ans, resync, &code);
	if (rc <= 0) {
		res->rc = rc;
		GLOGP(GBA_LC_ZH, rc == -ENOENT ? GBA_LL_INFO : GBA_LL_ERROR,
		      "Zh: MAA %s %u", rc == -EIO && !code ? "without result," : "result", code);
		return;
	}
	item = gba_dia_find(ans, gba_dia_dict.sip_auth_data_item);
	rc = item ? item_vector(item, &res->av) : -ENOENT;
	if (rc) {
		gba_zeroize(&res->av, sizeof(res->av));
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "Zh: MAA success %s", rc == -ENOENT ?
		      "without SIP-Auth-Data-Item" : rc == -EPROTONOSUPPORT ?
		      "for another SIP-Authentication-Scheme" : "with a malformed vector");
		return;
	}
	rc = gba_dia_get_os(ans, gba_dia_dict.guss, &x, &len);
	if (rc == 0) {
		struct gba_guss g;

		rc = gba_guss_parse(x, len, &g, err, sizeof(err));
		if (rc) {
			gba_zeroize(&res->av, sizeof(res->av));
			GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "Zh: MAA with a bad GUSS: %s", err);
			return;
		}
		res->gba_u = g.gba_u;
		res->key_lifetime = g.key_lifetime;
	} else if (rc != -ENOENT) {
		gba_zeroize(&res->av, sizeof(res->av));
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "Zh: MAA with a bad GBA-UserSecSettings AVP");
		return;
	}
	res->rc = 0;
}

/* ---- requests */

static void req_finish(struct dia_req *r, struct zh_result *res)
{
	struct zh_dia *z = r->z;

	r->cb(r->arg, res);
	gba_zeroize(res, sizeof(*res));
	gba_zeroize(r, sizeof(*r));
	free(r);
	pthread_mutex_lock(&z->lock);
	if (--z->inflight == 0)
		pthread_cond_broadcast(&z->idle);
	pthread_mutex_unlock(&z->lock);
}

static void req_fail(struct dia_req *r, int rc)
{
	struct zh_result res = { .rc = rc };

	req_finish(r, &res);
}

/* freeDiameter thread: the MAA, or an answer generated locally (no route: 3002). */
static void answer_cb(void *data, struct msg **msg)
{
	struct dia_req *r = data;
	struct zh_result res;

	zh_dia_maa_parse(*msg, r->resync, &res);
	if (res.rc == 0)
		GLOGP(GBA_LC_ZH, GBA_LL_DEBUG, "IMPI %s: MAA with a vector%s", r->impi,
		      res.gba_u ? " (GBA_U)" : "");
	else
		GLOGP(GBA_LC_ZH, res.rc == -ENOENT ? GBA_LL_NOTICE : GBA_LL_ERROR,
		      "IMPI %s: Zh MAR%s failed (%s)", r->impi, r->resync ? " (resync)" : "",
		      strerror(-res.rc));
	fd_msg_free(*msg);
	*msg = NULL;
	req_finish(r, &res);
}

static void expire_cb(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	struct dia_req *r = data;

	GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMPI %s: no MAA from %.*s in %d ms", r->impi,
	      (int)senttolen, sentto ? (const char *)sentto : "?", TIMEOUT_MS);
	fd_msg_free(*req);
	*req = NULL;
	req_fail(r, -EAGAIN);
}

static int build_mar(struct zh_dia *z, const char *impi, const uint8_t *resync,
		     struct msg **out)
{
	const char *self = gba_dia_identity();
	struct msg *m = NULL;
	struct avp *item;
	int rc;

	rc = gba_dia_request(&m, gba_dia_dict.cmd_mar, GBA_DIA_APP_ZH, z->realm, z->host);
	if (rc)
		return rc;
	rc = gba_dia_add_os(m, gba_dia_dict.user_name, impi, strlen(impi));
	rc = rc ?: gba_dia_add_group(m, gba_dia_dict.sip_auth_data_item, &item);
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.sip_auth_scheme, GBA_DIA_SCHEME_AKA,
				  strlen(GBA_DIA_SCHEME_AKA));
	if (!rc && resync)
		rc = gba_dia_add_os(item, gba_dia_dict.sip_authorization, resync, ZH_RESYNC_LEN);
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.sip_num_items, 1);
	if (!rc && self)
		rc = gba_dia_add_os(m, gba_dia_dict.server_name, self, strlen(self));
	if (rc) {
		fd_msg_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

static void dia_request_av(struct zh *zh, const char *impi, const uint8_t *resync, zh_cb cb,
			   void *arg)
{
	struct zh_dia *z = DIA(zh);
	struct dia_req *r = calloc(1, sizeof(*r));
	struct timespec deadline;
	struct msg *m = NULL;
	int rc;

	if (!r || strlen(impi) > GBA_IMPI_MAX) {
		struct zh_result res = { .rc = r ? -ENOENT : -EIO };

		free(r);
		cb(arg, &res);
		return;
	}
	r->z = z;
	r->cb = cb;
	r->arg = arg;
	r->resync = resync != NULL;
	strcpy(r->impi, impi);
	pthread_mutex_lock(&z->lock);
	z->inflight++;
	pthread_mutex_unlock(&z->lock);
	if (!gba_dia_peers_open(GBA_DIA_APP_ZH)) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMPI %s: no Diameter peer open for Zh", impi);
		req_fail(r, -EAGAIN);
		return;
	}
	rc = build_mar(z, impi, resync, &m);
	if (rc) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMPI %s: cannot build a MAR (%s)", impi,
		      strerror(-rc));
		req_fail(r, -EIO);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += TIMEOUT_MS / 1000;
	deadline.tv_nsec += (TIMEOUT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	rc = fd_msg_send_timeout(&m, answer_cb, r, expire_cb, &deadline);
	if (rc) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMPI %s: MAR not sent (%s)", impi, strerror(rc));
		if (m)
			fd_msg_free(m);
		req_fail(r, -EAGAIN);
		return;
	}
	GLOGP(GBA_LC_ZH, GBA_LL_DEBUG, "IMPI %s: MAR%s sent", impi, resync ? " (resync)" : "");
}

/* The HSS holds the subscriber data: nothing to reload here. */
static int dia_reload(struct zh *zh)
{
	(void)zh;
	return 0;
}

static void dia_free(struct zh_dia *z)
{
	pthread_cond_destroy(&z->idle);
	pthread_mutex_destroy(&z->lock);
	free(z->realm);
	free(z->host);
	free(z);
}

static void dia_close(struct zh *zh)
{
	struct zh_dia *z = DIA(zh);
	struct timespec until;

	/* every request ends with an answer or its expiry: wait for them */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += CLOSE_WAIT_MS / 1000 + 1;
	pthread_mutex_lock(&z->lock);
	while (z->inflight &&
	       pthread_cond_timedwait(&z->idle, &z->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&z->lock);
	if (z->inflight) {
		/* callbacks still hold 'z': leak it rather than free it under them */
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "Zh: %u MAR still unanswered at close",
		      z->inflight);
		return;
	}
	if (z->started)
		gba_dia_stop();
	dia_free(z);
}

static const struct zh_ops dia_ops = {
	.request_av = dia_request_av,
	.reload = dia_reload,
	.close = dia_close,
};

int zh_dia_open(struct zh **out, const char *spec)
{
	struct zh_dia *z = calloc(1, sizeof(*z));
	char *conf = NULL, *realm, *host = NULL;
	int rc = -EINVAL;

	if (!z)
		return -ENOMEM;
	z->base.ops = &dia_ops;
	pthread_mutex_init(&z->lock, NULL);
	pthread_cond_init(&z->idle, NULL);
	conf = strdup(spec);
	if (!conf) {
		rc = -ENOMEM;
		goto fail;
	}
	realm = strchr(conf, ',');
	if (realm) {
		*realm++ = '\0';
		host = strchr(realm, ',');
		if (host)
			*host++ = '\0';
		if (!*realm || (host && (!*host || strchr(host, ','))))
			goto bad;
		if (!(z->realm = strdup(realm)) || (host && !(z->host = strdup(host)))) {
			rc = -ENOMEM;
			goto fail;
		}
	}
	if (!*conf)
		goto bad;
	rc = gba_dia_start(conf, GBA_DIA_ZH, OPEN_WAIT_MS);
	if (rc)
		goto fail;
	z->started = true;
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "Zh over Diameter (%s): HSS realm %s%s%s, %u peer%s open",
	      conf, z->realm ? z->realm : gba_dia_realm(), z->host ? ", host " : "",
	      z->host ? z->host : "", gba_dia_peers_open(GBA_DIA_APP_ZH),
	      gba_dia_peers_open(GBA_DIA_APP_ZH) == 1 ? "" : "s");
	free(conf);
	*out = &z->base;
	return 0;
bad:
	GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "bad Zh Diameter spec '%s' "
	      "(FDCONF[,DEST-REALM[,DEST-HOST]])", spec);
	rc = -EINVAL;
fail:
	free(conf);
	dia_free(z);
	return rc;
}

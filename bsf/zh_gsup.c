/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zh over GSUP to osmo-hlr (zh.h): SendAuthInfo for the IMSI behind the IMPI through
 * libosmo-gsup-client, one vector per request, resync with RAND + AUTS. The client lives in
 * its own thread running the libosmocore select loop (its fds and timers are per thread);
 * request_av() from any thread puts the request in an inbox (mutex) and wakes the loop
 * through an eventfd. The loop keeps one FIFO per IMSI and sends only its head, so that an
 * answer, which carries nothing but the IMSI, always belongs to that head. The BSF connects
 * with its own IPA unit name (default "GBA-BSF"), for which osmo-hlr keeps its own IND slot.
 *
 * Link handling: while the link is down every request fails at once with -EAGAIN (Ub answers
 * 503 + Retry-After); the client is re-created with an exponential backoff (250 ms .. 4 s)
 * instead of the library's fixed retry; up_down_cb(up) fires at TCP connect, before the IPA
 * identity exchange that osmo-hlr needs to route the answer, so requests wait SETTLE_MS
 * before the first one leaves. A request unanswered after TIMEOUT_MS fails with -EAGAIN.
 *
 * IMPI -> IMSI: the IMPI of an optional sim-profiles file (static map, also the source of
 * GBA_U and the key lifetime, which osmo-hlr cannot provide: it has no GUSS), else the user
 * part of a TS 23.003 13.3 IMPI "<IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org"; anything
 * else is unknown (-ENOENT). Without a profile the subscriber is GBA_ME with the BSF's
 * default key lifetime.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <osmocom/core/application.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/gsm/gsup.h>
#include <osmocom/gsm/ipa.h>
#include <osmocom/gsm/protocol/gsm_04_08_gprs.h>
#include <osmocom/gsupclient/gsup_client.h>

#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "subs.h"
#include "zh.h"

#define GSUP_PORT	4222		/* OSMO_GSUP_PORT */
#define TIMEOUT_MS	2000		/* one SendAuthInfo, from request_av() to the answer */
#define SETTLE_MS	100		/* TCP up -> IPA identity exchanged */
#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	4000
#define OPEN_WAIT_MS	1000		/* zh_gsup_open() waits this long for the first link */
#define ZH_GSUP_DEFAULT_NAME "GBA-BSF"

enum link_state { LINK_DOWN, LINK_SETTLING, LINK_UP };

struct gsup_req {
	struct llist_head list;
	char imsi[GBA_IMSI_MAX + 1];
	bool resync;
	uint8_t rand[GBA_RAND_LEN];
	uint8_t auts[GBA_AUTS_LEN];
	bool gba_u;
	unsigned int key_lifetime;
	struct timespec deadline;
	bool sent;
	struct osmo_timer_list timer;
	struct gsup_imsi *q;
	struct zh_gsup *g;
	zh_cb cb;
	void *arg;
};

/* The requests of one IMSI, in the loop thread only; 'orphans' answers of timed-out heads
 * that may still arrive until 'orphan_until'. */
struct gsup_imsi {
	struct llist_head list;
	char imsi[GBA_IMSI_MAX + 1];
	struct llist_head reqs;
	unsigned int orphans;
	struct timespec orphan_until;
};

struct zh_gsup {
	struct zh base;
	char host[256];
	unsigned int port;
	char name[64];
	char *profiles_path;

	pthread_mutex_t lock;		/* inbox, state, stopping, profs */
	pthread_cond_t cond;		/* state changes, for zh_gsup_open() */
	struct llist_head inbox;
	enum link_state state;
	bool stopping;
	struct bsf_subs *profs;

	/* loop thread only */
	pthread_t thread;
	int efd;
	struct osmo_fd wake;
	void *ctx;
	struct ipaccess_unit ipa;
	struct osmo_gsup_client *client;
	struct osmo_timer_list settle_timer, reconnect_timer;
	unsigned int backoff_ms;
	struct llist_head imsis;
	bool quit;
};

#define GSUP(z) ((struct zh_gsup *)(z))

/* ---- profiles (subs.c): IMPI -> IMSI, GBA_U, lifetime */

/* The IMSI of a TS 23.003 13.3 IMPI "<IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org". */
static int impi_imsi(const char *impi, char imsi[GBA_IMSI_MAX + 1])
{
	const char *at = strchr(impi, '@');
	size_t len = at ? (size_t)(at - impi) : 0;

	if (!at || len > GBA_IMSI_MAX || strncasecmp(at + 1, "ims.mnc", 7))
		return -ENOENT;
	memcpy(imsi, impi, len);
	imsi[len] = '\0';
	return gba_imsi_valid(imsi) ? -ENOENT : 0;
}

/* Fill r->imsi, gba_u, key_lifetime for 'impi'. 0 or -ENOENT. */
static int map_impi(struct zh_gsup *g, const char *impi, struct gsup_req *r)
{
	const struct bsf_sub *p;
	int rc = 0;

	pthread_mutex_lock(&g->lock);
	p = bsf_subs_find(g->profs, impi);
	if (p) {
		strcpy(r->imsi, p->imsi);
		r->gba_u = p->gba_u;
		r->key_lifetime = p->key_lifetime;
	} else {
		rc = impi_imsi(impi, r->imsi);
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

/* ---- requests (loop thread unless noted) */

static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

static void ms_from_now(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/* Any thread: answer and free a request that is in no list. */
static void req_finish(struct gsup_req *r, struct zh_result *res)
{
	res->gba_u = r->gba_u;
	res->key_lifetime = r->key_lifetime;
	r->cb(r->arg, res);
	gba_zeroize(res, sizeof(*res));
	gba_zeroize(r, sizeof(*r));
	free(r);
}

static void req_fail(struct gsup_req *r, int rc)
{
	struct zh_result res = { .rc = rc };

	req_finish(r, &res);
}

static struct gsup_imsi *imsi_find(struct zh_gsup *g, const char *imsi)
{
	struct gsup_imsi *q;

	llist_for_each_entry(q, &g->imsis, list)
		if (!strcmp(q->imsi, imsi))
			return q;
	return NULL;
}

static void imsi_maybe_free(struct gsup_imsi *q)
{
	if (llist_empty(&q->reqs) && (!q->orphans || ms_until(&q->orphan_until) <= 0)) {
		llist_del(&q->list);
		free(q);
	}
}

static void send_head(struct zh_gsup *g, struct gsup_imsi *q);

/* Unlink r from its IMSI queue and answer it; the queue's next request goes out. */
static void req_done(struct zh_gsup *g, struct gsup_req *r, struct zh_result *res)
{
	struct gsup_imsi *q = r->q;

	osmo_timer_del(&r->timer);
	llist_del(&r->list);
	req_finish(r, res);
	send_head(g, q);
	imsi_maybe_free(q);
}

static void send_head(struct zh_gsup *g, struct gsup_imsi *q)
{
	struct osmo_gsup_message m;
	struct gsup_req *r;
	int rc;

	while (g->state == LINK_UP && !llist_empty(&q->reqs)) {
		r = llist_first_entry(&q->reqs, struct gsup_req, list);
		if (r->sent)
			return;
		memset(&m, 0, sizeof(m));
		m.message_type = OSMO_GSUP_MSGT_SEND_AUTH_INFO_REQUEST;
		strcpy(m.imsi, r->imsi);
		m.num_auth_vectors = 1;
		if (r->resync) {
			m.rand = r->rand;
			m.auts = r->auts;
		}
		rc = osmo_gsup_client_enc_send(g->client, &m);
		if (rc == 0) {
			r->sent = true;
			GLOGP(GBA_LC_ZH, GBA_LL_DEBUG, "IMSI %s: SendAuthInfo%s sent", r->imsi,
			      r->resync ? " (resync)" : "");
			return;
		}
		/* not connected after all: this one and the next fail the same way */
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMSI %s: cannot send SendAuthInfo (%d)", r->imsi,
		      rc);
		osmo_timer_del(&r->timer);
		llist_del(&r->list);
		req_fail(r, -EAGAIN);
	}
}

static void req_timeout(void *arg)
{
	struct gsup_req *r = arg;
	struct zh_result res = { .rc = -EAGAIN };

	GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMSI %s: no SendAuthInfo answer in %d ms", r->imsi,
	      TIMEOUT_MS);
	if (r->sent) {
		/* its answer may still come: drop it rather than give it to the next one */
		r->q->orphans++;
		ms_from_now(&r->q->orphan_until, TIMEOUT_MS);
	}
	req_done(r->g, r, &res);
}

/* Fail every queued request (link down or shutdown). */
static void fail_all(struct zh_gsup *g, int rc)
{
	struct gsup_imsi *q, *qn;
	struct gsup_req *r, *rn;

	llist_for_each_entry_safe(q, qn, &g->imsis, list) {
		llist_for_each_entry_safe(r, rn, &q->reqs, list) {
			osmo_timer_del(&r->timer);
			llist_del(&r->list);
			req_fail(r, rc);
		}
		llist_del(&q->list);
		free(q);
	}
}

/* ---- GSUP answers */

/*
 * Decode a SendAuthInfo result or error into res->rc and res->av (pure: no queue, no I/O;
 * tests/fuzz/fuzz_gsup_sai.c feeds it decoded GSUP messages). Returns res->rc: 0 with the
 * first UMTS vector copied, -ENOENT for cause IMSI unknown, -EIO for anything else.
 */
static int sai_decode(const struct osmo_gsup_message *m, struct zh_result *res)
{
	res->rc = -EIO;
	if (m->message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR) {
		res->rc = m->cause == GMM_CAUSE_IMSI_UNKNOWN ? -ENOENT : -EIO;
		GLOGP(GBA_LC_ZH, res->rc == -ENOENT ? GBA_LL_NOTICE : GBA_LL_ERROR,
		      "IMSI %s: SendAuthInfo error, cause %s", m->imsi,
		      get_value_string(gsm48_gmm_cause_names, m->cause));
	} else if (m->num_auth_vectors < 1 ||
		   !(m->auth_vectors[0].auth_types & OSMO_AUTH_TYPE_UMTS) ||
		   m->auth_vectors[0].res_len < GBA_RES_MIN_LEN ||
		   m->auth_vectors[0].res_len > GBA_RES_MAX_LEN) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "IMSI %s: SendAuthInfo result without a UMTS vector",
		      m->imsi);
	} else {
		const struct osmo_auth_vector *v = &m->auth_vectors[0];

		memcpy(res->av.rand, v->rand, GBA_RAND_LEN);
		memcpy(res->av.autn, v->autn, GBA_AUTN_LEN);
		memcpy(res->av.xres, v->res, v->res_len);
		res->av.xres_len = v->res_len;
		memcpy(res->av.ck, v->ck, GBA_CK_LEN);
		memcpy(res->av.ik, v->ik, GBA_IK_LEN);
		res->rc = 0;
	}
	return res->rc;
}

static void rx_sai(struct zh_gsup *g, const struct osmo_gsup_message *m)
{
	struct zh_result res = { .rc = -EIO };
	struct gsup_imsi *q = imsi_find(g, m->imsi);
	struct gsup_req *r;

	if (q && q->orphans && ms_until(&q->orphan_until) > 0) {
		q->orphans--;
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMSI %s: late answer dropped", m->imsi);
		imsi_maybe_free(q);
		return;
	}
	if (q)
		q->orphans = 0;
	if (!q || llist_empty(&q->reqs) ||
	    !(r = llist_first_entry(&q->reqs, struct gsup_req, list))->sent) {
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMSI %s: unexpected %s dropped", m->imsi,
		      osmo_gsup_message_type_name(m->message_type));
		if (q)
			imsi_maybe_free(q);
		return;
	}
	sai_decode(m, &res);
	req_done(g, r, &res);
}

static int gsup_read_cb(struct osmo_gsup_client *gsupc, struct msgb *msg)
{
	struct zh_gsup *g = gsupc->data;
	struct osmo_gsup_message m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = osmo_gsup_decode(msgb_l2(msg), msgb_l2len(msg), &m);
	if (rc < 0)
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "undecodable GSUP message (%d)", rc);
	else if (m.message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_RESULT ||
		 m.message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR)
		rx_sai(g, &m);
	else
		GLOGP(GBA_LC_ZH, GBA_LL_INFO, "GSUP %s ignored",
		      osmo_gsup_message_type_name(m.message_type));
	/* the message held CK/IK */
	gba_zeroize(&m, sizeof(m));
	gba_zeroize(msg->head, msg->data_len);
	msgb_free(msg);
	return 0;
}

/* ---- link */

static void set_state(struct zh_gsup *g, enum link_state s)
{
	pthread_mutex_lock(&g->lock);
	g->state = s;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static bool gsup_up_down_cb(struct osmo_gsup_client *gsupc, bool up)
{
	struct zh_gsup *g = gsupc->data;

	if (up) {
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "GSUP link to %s:%u up (IPA name %s)", g->host,
		      g->port, g->name);
		g->backoff_ms = BACKOFF_MIN_MS;
		set_state(g, LINK_SETTLING);
		osmo_timer_schedule(&g->settle_timer, 0, SETTLE_MS * 1000);
		return true;
	}
	if (g->state != LINK_DOWN)
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "GSUP link to %s:%u down, retrying in %u ms",
		      g->host, g->port, g->backoff_ms);
	set_state(g, LINK_DOWN);
	osmo_timer_del(&g->settle_timer);
	fail_all(g, -EAGAIN);
	if (!osmo_timer_pending(&g->reconnect_timer))
		osmo_timer_schedule(&g->reconnect_timer, g->backoff_ms / 1000,
				    (g->backoff_ms % 1000) * 1000);
	g->backoff_ms = g->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : g->backoff_ms * 2;
	/* false: no retry by the library, reconnect_cb re-creates the client */
	return false;
}

static void settle_cb(void *arg)
{
	struct zh_gsup *g = arg;
	struct gsup_imsi *q, *qn;

	set_state(g, LINK_UP);
	llist_for_each_entry_safe(q, qn, &g->imsis, list) {
		send_head(g, q);
		imsi_maybe_free(q);
	}
}

static void client_create(struct zh_gsup *g)
{
	struct osmo_gsup_client_config c = {
		.ipa_dev = &g->ipa,
		.ip_addr = g->host,
		.tcp_port = g->port,
		.read_cb = gsup_read_cb,
		.up_down_cb = gsup_up_down_cb,
		.data = g,
	};

	g->client = osmo_gsup_client_create3(g->ctx, &c);
	if (!g->client) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "cannot create a GSUP client for %s:%u", g->host,
		      g->port);
		osmo_timer_schedule(&g->reconnect_timer, g->backoff_ms / 1000,
				    (g->backoff_ms % 1000) * 1000);
	}
}

static void reconnect_cb(void *arg)
{
	struct zh_gsup *g = arg;

	if (g->client)
		osmo_gsup_client_destroy(g->client);
	g->client = NULL;
	client_create(g);
}

/* ---- the inbox */

static int wake_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct zh_gsup *g = ofd->data;
	struct gsup_req *r, *rn;
	LLIST_HEAD(in);
	uint64_t v;
	bool stopping;

	if (read(ofd->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "eventfd: %s", strerror(errno));
	pthread_mutex_lock(&g->lock);
	llist_splice_init(&g->inbox, &in);
	stopping = g->stopping;
	pthread_mutex_unlock(&g->lock);
	llist_for_each_entry_safe(r, rn, &in, list) {
		struct gsup_imsi *q;
		long ms = ms_until(&r->deadline);

		llist_del(&r->list);
		if (g->state == LINK_DOWN || stopping || ms <= 0) {
			req_fail(r, -EAGAIN);
			continue;
		}
		q = imsi_find(g, r->imsi);
		if (!q) {
			q = calloc(1, sizeof(*q));
			if (!q) {
				req_fail(r, -EIO);
				continue;
			}
			strcpy(q->imsi, r->imsi);
			INIT_LLIST_HEAD(&q->reqs);
			llist_add_tail(&q->list, &g->imsis);
		}
		r->q = q;
		llist_add_tail(&r->list, &q->reqs);
		osmo_timer_setup(&r->timer, req_timeout, r);
		osmo_timer_schedule(&r->timer, ms / 1000, (ms % 1000) * 1000);
		send_head(g, q);
		imsi_maybe_free(q);
	}
	if (stopping)
		g->quit = true;
	return 0;
}

static void *gsup_thread(void *arg)
{
	struct zh_gsup *g = arg;

	while (!g->quit)
		osmo_select_main(0);
	set_state(g, LINK_DOWN);
	fail_all(g, -EAGAIN);
	osmo_timer_del(&g->settle_timer);
	osmo_timer_del(&g->reconnect_timer);
	if (g->client)
		osmo_gsup_client_destroy(g->client);
	g->client = NULL;
	osmo_fd_unregister(&g->wake);
	/* this thread's libosmocore contexts, made by osmo_ctx_init() in thread_setup() */
	talloc_free(osmo_ctx);
	osmo_ctx = NULL;
	return NULL;
}

/* The loop thread's libosmocore state, made in that thread. 0 or -EIO. */
static int thread_setup(struct zh_gsup *g)
{
	static const struct log_info_cat cat[] = {
		[0] = { .name = "DZH", .description = "Zh over GSUP", .enabled = 1,
			.loglevel = LOGL_FATAL },
	};
	static const struct log_info info = { .cat = cat, .num_cat = 1 };
	static pthread_mutex_t log_once = PTHREAD_MUTEX_INITIALIZER;

	/* libosmocore logs through its own targets; ours are GLOGP lines: keep it quiet */
	pthread_mutex_lock(&log_once);
	if (!osmo_log_info && osmo_init_logging2(NULL, &info) == 0)
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	pthread_mutex_unlock(&log_once);
	if (!osmo_ctx && osmo_ctx_init("zh_gsup"))
		return -EIO;
	osmo_select_init();
	g->ctx = talloc_named_const(NULL, 0, "zh_gsup");
	if (!g->ctx)
		return -EIO;
	g->ipa.unit_name = g->name;
	INIT_LLIST_HEAD(&g->imsis);
	osmo_timer_setup(&g->settle_timer, settle_cb, g);
	osmo_timer_setup(&g->reconnect_timer, reconnect_cb, g);
	g->backoff_ms = BACKOFF_MIN_MS;
	osmo_fd_setup(&g->wake, g->efd, OSMO_FD_READ, wake_cb, g, 0);
	if (osmo_fd_register(&g->wake))
		return -EIO;
	client_create(g);
	return 0;
}

struct start {
	struct zh_gsup *g;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int rc;
	bool done;
};

static void *thread_main(void *arg)
{
	struct start *st = arg;
	struct zh_gsup *g = st->g;
	int rc = thread_setup(g);

	pthread_mutex_lock(&st->lock);
	st->rc = rc;
	st->done = true;
	pthread_cond_signal(&st->cond);
	pthread_mutex_unlock(&st->lock);
	/* 'st' is gone from here on */
	if (rc) {
		talloc_free(osmo_ctx);
		osmo_ctx = NULL;
		return NULL;
	}
	return gsup_thread(g);
}

/* ---- zh_ops */

static void wake(struct zh_gsup *g)
{
	uint64_t one = 1;

	if (write(g->efd, &one, sizeof(one)) < 0)
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "eventfd: %s", strerror(errno));
}

static void gsup_request_av(struct zh *zh, const char *impi, const uint8_t *resync, zh_cb cb,
			    void *arg)
{
	struct zh_gsup *g = GSUP(zh);
	struct gsup_req *r = calloc(1, sizeof(*r));
	bool first;
	int rc;

	if (!r) {
		struct zh_result res = { .rc = -EIO };

		cb(arg, &res);
		return;
	}
	r->cb = cb;
	r->arg = arg;
	r->g = g;
	rc = map_impi(g, impi, r);
	if (rc) {
		GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "IMPI %s: no IMSI for it", impi);
		req_fail(r, rc);
		return;
	}
	if (resync) {
		r->resync = true;
		memcpy(r->rand, resync, GBA_RAND_LEN);
		memcpy(r->auts, resync + GBA_RAND_LEN, GBA_AUTS_LEN);
	}
	ms_from_now(&r->deadline, TIMEOUT_MS);
	pthread_mutex_lock(&g->lock);
	if (g->state == LINK_DOWN || g->stopping) {
		pthread_mutex_unlock(&g->lock);
		GLOGP(GBA_LC_ZH, GBA_LL_INFO, "IMPI %s: GSUP link down", impi);
		req_fail(r, -EAGAIN);
		return;
	}
	/* a non-empty inbox already has a wake-up on its way: the loop takes it whole */
	first = llist_empty(&g->inbox);
	llist_add_tail(&r->list, &g->inbox);
	pthread_mutex_unlock(&g->lock);
	if (first)
		wake(g);
}

static int gsup_reload(struct zh *zh)
{
	struct zh_gsup *g = GSUP(zh);
	struct bsf_subs *t = NULL;
	size_t n;
	int rc;

	if (!g->profiles_path)
		return 0;
	/* only IMSI, IMPI and GUSS data are kept: K/OPc are wiped with the parsed profiles */
	rc = bsf_subs_load(&t, g->profiles_path, false, "profiles");
	if (rc)
		return rc;
	n = t->n;
	bsf_subs_swap(&g->lock, &g->profs, t, NULL, NULL);
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "GSUP Zh: %zu profiles reloaded from %s", n,
	      g->profiles_path);
	return 0;
}

static void gsup_free(struct zh_gsup *g)
{
	struct gsup_req *r, *rn;

	llist_for_each_entry_safe(r, rn, &g->inbox, list) {
		llist_del(&r->list);
		req_fail(r, -EAGAIN);
	}
	if (g->ctx)
		talloc_free(g->ctx);
	if (g->efd >= 0)
		close(g->efd);
	bsf_subs_free(g->profs);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g->profiles_path);
	free(g);
}

static void gsup_close(struct zh *zh)
{
	struct zh_gsup *g = GSUP(zh);

	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_mutex_unlock(&g->lock);
	wake(g);
	pthread_join(g->thread, NULL);
	gsup_free(g);
}

static const struct zh_ops gsup_ops = {
	.request_av = gsup_request_av,
	.reload = gsup_reload,
	.close = gsup_close,
};

/* "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT". 0 or -EINVAL. */
static int parse_addr(struct zh_gsup *g, const char *addr)
{
	const char *h = addr, *colon;
	size_t hlen;
	char *end;

	g->port = GSUP_PORT;
	if (*addr == '[') {
		const char *rb = strchr(addr, ']');

		if (!rb)
			return -EINVAL;
		h = addr + 1;
		hlen = rb - h;
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] && !colon)
			return -EINVAL;
	} else {
		colon = strchr(addr, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;	/* a bare IPv6 address */
		hlen = colon ? (size_t)(colon - addr) : strlen(addr);
	}
	if (!hlen || hlen >= sizeof(g->host))
		return -EINVAL;
	memcpy(g->host, h, hlen);
	g->host[hlen] = '\0';
	if (colon) {
		unsigned long p;

		errno = 0;
		p = strtoul(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || !p || p > 65535)
			return -EINVAL;
		g->port = (unsigned int)p;
	}
	return 0;
}

int zh_gsup_open(struct zh **out, const char *addr, const char *unit_name, const char *profiles)
{
	struct start st = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	struct zh_gsup *g;
	struct timespec until;
	int rc;

	if (!unit_name || !*unit_name)
		unit_name = ZH_GSUP_DEFAULT_NAME;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->base.ops = &gsup_ops;
	g->efd = -1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	INIT_LLIST_HEAD(&g->inbox);
	g->state = LINK_DOWN;
	if (parse_addr(g, addr) || strlen(unit_name) >= sizeof(g->name)) {
		GLOGP(GBA_LC_ZH, GBA_LL_ERROR, "bad GSUP address '%s' or IPA name", addr);
		gsup_free(g);
		return -EINVAL;
	}
	strcpy(g->name, unit_name);
	if (profiles && *profiles) {
		if (access(profiles, F_OK) == 0) {
			if (!(g->profiles_path = strdup(profiles))) {
				gsup_free(g);
				return -ENOMEM;
			}
			rc = bsf_subs_load(&g->profs, profiles, false, "profiles");
			if (rc) {
				gsup_free(g);
				return rc;
			}
		} else {
			GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "no profiles at %s: every subscriber "
			      "GBA_ME with the default key lifetime", profiles);
		}
	}
	g->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	st.g = g;
	if (g->efd < 0 || pthread_create(&g->thread, NULL, thread_main, &st)) {
		gsup_free(g);
		return -EIO;
	}
	pthread_mutex_lock(&st.lock);
	while (!st.done)
		pthread_cond_wait(&st.cond, &st.lock);
	pthread_mutex_unlock(&st.lock);
	if (st.rc) {
		pthread_join(g->thread, NULL);
		gsup_free(g);
		return st.rc;
	}
	/* give the first connection a moment, so that the first requests find the link up */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += OPEN_WAIT_MS / 1000;
	pthread_mutex_lock(&g->lock);
	while (g->state != LINK_UP &&
	       pthread_cond_timedwait(&g->cond, &g->lock, &until) != ETIMEDOUT)
		;
	rc = g->state == LINK_UP;
	pthread_mutex_unlock(&g->lock);
	GLOGP(GBA_LC_ZH, rc ? GBA_LL_NOTICE : GBA_LL_ERROR, "Zh over GSUP to %s:%u as %s: %s, "
	      "%zu profiles", g->host, g->port, g->name, rc ? "link up" : "link not up yet",
	      g->profs ? g->profs->n : 0);
	*out = &g->base;
	return 0;
}

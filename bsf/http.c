/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libmicrohttpd glue of the BSF (http.h): one daemon per listener with an internal epoll
 * thread pool, connection limits and timeouts, request bodies collected up to BSF_BODY_MAX,
 * Ub requests handed to ub.c and suspended while Zh works (MHD_suspend_connection /
 * MHD_resume_connection, ordered by a per-request mutex because Zh may answer from another
 * thread before or after the handler returns), Zn requests to zn_http.c, and /metrics.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "http.h"
#include "metrics.h"
#include "ratelimit.h"
#include "ub.h"
#include "zn_http.h"

enum listener_kind { L_UB, L_ZN, L_ADMIN };

struct listener {
	struct bsf_http *h;
	enum listener_kind kind;
	const char *name;
	struct MHD_Daemon *d;
};

struct bsf_http {
	struct bsf *bsf;
	struct listener l[3];
	int in_flight;		/* requests between first call and completion */
	char *tls_cert, *tls_key, *tls_ca;
};

enum { ST_NEW, ST_WAIT, ST_DONE };

struct conn_ctx {
	struct listener *l;
	struct MHD_Connection *conn;
	uint8_t *body;
	size_t len, cap;
	bool too_big;
	struct timespec t0;
	struct ub_txn ub;
	pthread_mutex_t lock;
	int state;
	bool suspended;
};

int bsf_http_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon, *port;
	char *end;
	unsigned long p;

	memset(ss, 0, sizeof(*ss));
	if (!s || strlen(s) >= sizeof(host))
		return -EINVAL;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':')
			return -EINVAL;
		memcpy(host, s + 1, rb - s - 1);
		host[rb - s - 1] = '\0';
		port = rb + 2;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -EINVAL;
		memcpy(host, s, colon - s);
		host[colon - s] = '\0';
		port = colon + 1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno || !*port || *end || p > 65535)
		return -EINVAL;
	if (s[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
		*len = sizeof(*a);
	}
	return 0;
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Queue a response; 'body' is copied. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned int status, const char *ctype,
			       const void *body, size_t len, struct MHD_Response **keep)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, MHD_HTTP_HEADER_SERVER, PACKAGE_NAME "-bsf/" PACKAGE_VERSION);
	if (keep) {
		*keep = r;
		return MHD_YES;
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result count_hdr(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	if (!strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION))
		(*(unsigned int *)cls)++;
	return MHD_YES;
}

static void ub_done(struct ub_txn *t)
{
	struct conn_ctx *cc = t->priv;

	pthread_mutex_lock(&cc->lock);
	cc->state = ST_DONE;
	if (cc->suspended) {
		cc->suspended = false;
		MHD_resume_connection(cc->conn);
	}
	pthread_mutex_unlock(&cc->lock);
}

static enum MHD_Result ub_respond(struct conn_ctx *cc)
{
	struct ub_txn *t = &cc->ub;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char ra[16];

	if (respond(cc->conn, t->status, t->content_type ? t->content_type : "text/plain",
		    t->resp_body ? t->resp_body : "", t->resp_body_len, &r) != MHD_YES)
		return MHD_NO;
	if (t->www_authenticate[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, t->www_authenticate);
	if (t->auth_info[0])
		MHD_add_response_header(r, "Authentication-Info", t->auth_info);
	if (t->expires[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_EXPIRES, t->expires);
	if (t->retry_after) {
		snprintf(ra, sizeof(ra), "%u", t->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (t->status == 200 || t->status >= 500)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(cc->conn, t->status, r);
	MHD_destroy_response(r);
	bsf_metrics_ub(t->reason, elapsed(&cc->t0));
	return ret;
}

static enum MHD_Result ub_request(struct conn_ctx *cc, const char *method, const char *url)
{
	struct ub_txn *t = &cc->ub;
	struct MHD_Connection *c = cc->conn;
	const union MHD_ConnectionInfo *ci;

	if (cc->state == ST_DONE)
		return ub_respond(cc);
	if (cc->state == ST_WAIT)	/* resumed spuriously: keep waiting */
		return MHD_YES;
	if (cc->too_big) {
		bsf_metrics_ub(UB_R_MALFORMED, elapsed(&cc->t0));
		return respond(c, 400, "text/plain", "request body too large\n", 23, NULL);
	}
	t->method = method;
	t->uri = url;
	t->authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_AUTHORIZATION);
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_hdr, &t->n_authorization);
	t->user_agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_USER_AGENT);
	t->body = cc->body;
	t->body_len = cc->len;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	t->peer = ci ? ci->client_addr : NULL;
	t->done = ub_done;
	t->priv = cc;
	cc->state = ST_WAIT;
	ub_handle(cc->l->h->bsf, t);
	pthread_mutex_lock(&cc->lock);
	if (cc->state != ST_DONE) {
		cc->suspended = true;
		MHD_suspend_connection(c);
		pthread_mutex_unlock(&cc->lock);
		return MHD_YES;
	}
	pthread_mutex_unlock(&cc->lock);
	return ub_respond(cc);
}

static enum MHD_Result admin_request(struct conn_ctx *cc, const char *method, const char *url)
{
	char *text = NULL;
	enum MHD_Result ret;
	int n;

	if (strcmp(method, "GET"))
		return respond(cc->conn, 405, "text/plain", "GET only\n", 9, NULL);
	if (!strcmp(url, "/healthz"))
		return respond(cc->conn, 200, "text/plain", "ok\n", 3, NULL);
	if (strcmp(url, "/metrics"))
		return respond(cc->conn, 404, "text/plain", "not found\n", 10, NULL);
	n = bsf_metrics_render(&text);
	if (n < 0)
		return respond(cc->conn, 500, "text/plain", "out of memory\n", 14, NULL);
	ret = respond(cc->conn, 200, "text/plain; version=0.0.4", text, (size_t)n, NULL);
	free(text);
	return ret;
}

/* A Content-Length over BSF_BODY_MAX. */
static bool too_big_announced(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	return cl && strtoull(cl, NULL, 10) > BSF_BODY_MAX;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct listener *l = cls;
	struct conn_ctx *cc = *con_cls;

	if (!cc) {
		cc = calloc(1, sizeof(*cc));
		if (!cc)
			return MHD_NO;
		cc->l = l;
		cc->conn = c;
		pthread_mutex_init(&cc->lock, NULL);
		clock_gettime(CLOCK_MONOTONIC, &cc->t0);
		__atomic_fetch_add(&l->h->in_flight, 1, __ATOMIC_RELAXED);
		*con_cls = cc;
		if (!too_big_announced(c))
			return MHD_YES;
		cc->too_big = true;	/* answered now: the body is never read, MHD closes */
	} else if (*upload_size) {
		size_t n = *upload_size;

		if (cc->len + n > BSF_BODY_MAX) {
			cc->too_big = true;
		} else {
			if (cc->len + n > cc->cap) {
				size_t cap = cc->cap ? cc->cap : 1024;
				uint8_t *p;

				while (cap < cc->len + n)
					cap *= 2;
				p = realloc(cc->body, cap);
				if (!p)
					return MHD_NO;
				cc->body = p;
				cc->cap = cap;
			}
			memcpy(cc->body + cc->len, upload, n);
			cc->len += n;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	switch (l->kind) {
	case L_UB:
		return ub_request(cc, method, url);
	case L_ZN:
		if (cc->too_big)
			return respond(c, 413, "text/plain", "body too large\n", 15, NULL);
		return zn_http_request(l->h->bsf, c, method, url, cc->body, cc->len, &cc->t0);
	case L_ADMIN:
		return admin_request(cc, method, url);
	}
	return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct listener *l = cls;
	struct conn_ctx *cc = *con_cls;

	if (!cc)
		return;
	/*
	 * A Zh backend thread resumes the connection from ub_done() with cc->lock held and
	 * unlocks after: the request may complete in between, so wait for that unlock before
	 * the mutex and cc go (found by valgrind in gsup.sh).
	 */
	pthread_mutex_lock(&cc->lock);
	pthread_mutex_unlock(&cc->lock);
	ub_txn_release(&cc->ub);
	if (cc->body)
		gba_zeroize(cc->body, cc->len);
	free(cc->body);
	pthread_mutex_destroy(&cc->lock);
	free(cc);
	*con_cls = NULL;
	__atomic_fetch_sub(&l->h->in_flight, 1, __ATOMIC_RELAXED);
}

static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	long n;

	if (!f) {
		GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "cannot open %s", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < 1 << 20 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, n + 1)) &&
	    fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf)
		GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "cannot read %s", path);
	return buf;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	GLOGP(GBA_LC_MAIN, GBA_LL_INFO, "libmicrohttpd: %s", msg);
}

/* the MHD flags of every listener; bsf_http_daemon_describe() names them */
#define BSF_MHD_FLAGS	(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | \
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG)

const char *bsf_http_daemon_describe(const struct bsf_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | "
		 "MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, thread pool %u, connection limit "
		 "%u (per IP %u), timeout %u s, memory limit 64 KiB per connection",
		 cfg->threads, cfg->max_connections, cfg->per_ip_connections,
		 cfg->connection_timeout);
	return buf;
}

struct MHD_Daemon *bsf_http_daemon(const struct bsf_config *cfg, const char *addr, bool admin,
				   const struct MHD_OptionItem *tls, MHD_AccessHandlerCallback cb,
				   void *cls, MHD_RequestCompletedCallback done, void *done_cls)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	unsigned int flags = BSF_MHD_FLAGS;
	struct MHD_OptionItem o[16];
	int n = 0;

	if (bsf_http_parse_addr(addr, &ss, &slen))
		return NULL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls)
		flags |= MHD_USE_TLS;
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)log_mhd, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &ss };
	if (done)
		o[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)done,
						  done_cls };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
					  NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
					  cfg->per_ip_connections, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL };
	if (cfg->threads > 1 && !admin)
		o[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL };
	for (size_t i = 0; tls && tls[i].option != MHD_OPTION_END && n < 15; i++)
		o[n++] = tls[i];
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return MHD_start_daemon(flags, 0, NULL, NULL, cb, cls, MHD_OPTION_ARRAY, o,
				MHD_OPTION_END);
}

static int start_one(struct bsf_http *h, enum listener_kind kind, const char *name,
		     const char *addr, bool tls)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	struct listener *l = &h->l[kind];
	struct MHD_OptionItem t[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key },
		{ MHD_OPTION_HTTPS_MEM_TRUST, 0, h->tls_ca },
		{ MHD_OPTION_END, 0, NULL },
	};

	l->h = h;
	l->kind = kind;
	l->name = name;
	if (bsf_http_parse_addr(addr, &ss, &slen)) {
		GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "%s: bad listen address '%s'", name, addr);
		return -EINVAL;
	}
	l->d = bsf_http_daemon(h->bsf->cfg, addr, kind == L_ADMIN, tls ? t : NULL, on_request, l,
			       on_completed, l);
	if (!l->d) {
		GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "%s: cannot listen on %s", name, addr);
		return -EIO;
	}
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "%s listening on %s%s", name, addr,
	      tls ? " (TLS, client certificates)" : "");
	return 0;
}

static void free_tls(struct bsf_http *h)
{
	if (h->tls_key)
		gba_zeroize(h->tls_key, strlen(h->tls_key));
	free(h->tls_key);
	free(h->tls_cert);
	free(h->tls_ca);
}

int bsf_http_start(struct bsf_http **out, struct bsf *bsf)
{
	const struct bsf_config *cfg = bsf->cfg;
	struct bsf_http *h = calloc(1, sizeof(*h));
	bool tls = !cfg->zn_allow_plain_http;
	int rc;

	if (!h)
		return -ENOMEM;
	h->bsf = bsf;
	rc = bsf_ratelimit_new(&bsf->rl, &cfg->rl_impi, &cfg->rl_addr);
	if (rc) {
		free(h);
		return rc;
	}
	if (tls && (!(h->tls_cert = read_pem(cfg->zn_cert)) || !(h->tls_key = read_pem(cfg->zn_key)) ||
		    !(h->tls_ca = read_pem(cfg->zn_client_ca)))) {
		free_tls(h);
		bsf_ratelimit_free(bsf->rl);
		bsf->rl = NULL;
		free(h);
		return -EINVAL;
	}
	rc = start_one(h, L_UB, "Ub", cfg->ub_listen, false);
	if (!rc)
		rc = start_one(h, L_ZN, "Zn", cfg->zn_listen, tls);
	if (!rc && cfg->admin_listen[0])
		rc = start_one(h, L_ADMIN, "admin", cfg->admin_listen, false);
	if (rc) {
		bsf_http_stop(h, 0);
		return rc;
	}
	*out = h;
	return 0;
}

void bsf_http_stop(struct bsf_http *h, unsigned int grace_ms)
{
	if (!h)
		return;
	for (int i = 0; i < 3; i++)
		if (h->l[i].d) {
			MHD_socket s = MHD_quiesce_daemon(h->l[i].d);

			if (s != MHD_INVALID_SOCKET)
				close(s);
		}
	/* requests already received finish; idle keep-alive connections do not hold us */
	for (unsigned int t = 0; t < grace_ms &&
	     __atomic_load_n(&h->in_flight, __ATOMIC_RELAXED) > 0; t += 10)
		usleep(10000);
	for (int i = 0; i < 3; i++)
		if (h->l[i].d)
			MHD_stop_daemon(h->l[i].d);
	bsf_ratelimit_free(h->bsf->rl);
	h->bsf->rl = NULL;
	free_tls(h);
	free(h);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-naf's server loop: listeners polled in the main thread, one thread per connection
 * (at most MAX_CONNS, at most MAX_CONNS_PER_ADDR from one client address, so that a
 * slowloris from one host cannot take every slot), a TLS-PSK handshake through libgba-naf or HTTP Digest on plain
 * HTTP, one request per connection, then the app (serve or proxy). SIGTERM/SIGINT stop
 * accepting; running connections get a few seconds to finish.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "tool.h"

#define MAX_CONNS		256
#define MAX_CONNS_PER_ADDR	16

volatile sig_atomic_t tool_stop;

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conns_cond = PTHREAD_COND_INITIALIZER;
static unsigned int conns;
static bool once_mode;
/* client addresses of the running connections (under conns_lock), a slot per connection */
static char conn_addr[MAX_CONNS][64];

/* Count the connections from 'addr' and take a free slot; its index or -1 (conns_lock held). */
static int addr_take(const char *addr, unsigned int *same)
{
	int free_slot = -1;

	*same = 0;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (!conn_addr[i][0]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!strcmp(conn_addr[i], addr)) {
			(*same)++;
		}
	}
	return free_slot;
}

struct conn {
	struct srv *s;
	int fd;
	int slot;		/* in conn_addr[] */
	char addr[64];
};

int srv_listen(const char *addrport)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char host[256];
	const char *colon = strrchr(addrport, ':');
	size_t hl;
	int fd, one = 1, rc;

	if (!colon || colon == addrport || !colon[1])
		return -EINVAL;
	hl = (size_t)(colon - addrport);
	if (addrport[0] == '[' && colon[-1] == ']') {
		addrport++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, addrport, hl);
	host[hl] = '\0';
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc || !res)
		return -EINVAL;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 64)) {
		rc = -errno;
		close(fd);
		goto out;
	}
	rc = fd;
out:
	freeaddrinfo(res);
	return rc;
}

void srv_print_peer(const struct gba_naf_peer *p, const char *via)
{
	static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
	char fp[2 * GBA_NAF_FP_LEN + 1], ua[2 * GBA_NAF_UA_ID_LEN + 1], exp[32] = "?";

	gba_hex_encode(fp, sizeof(fp), p->fp, GBA_NAF_FP_LEN);
	gba_hex_encode(ua, sizeof(ua), p->ua_id, GBA_NAF_UA_ID_LEN);
	gba_datetime_format(exp, sizeof(exp), p->expiry);
	pthread_mutex_lock(&out_lock);
	printf("peer impi=%s btid=%s naf=%s ua=%s mode=%s key=%s fp=%s expiry=%s via=%s\n",
	       p->impi, p->btid, p->fqdn, ua, p->gba_u ? "GBA_U" : "GBA_ME",
	       p->use == GBA_NAF_KEY_UICC ? "Ks_int_NAF" : p->gba_u ? "Ks_ext_NAF" : "Ks_NAF",
	       fp, exp, via);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* The NAF FQDN named by the Host header, or the default one. */
static const char *host_fqdn(struct gba_naf *naf, const struct http_req *r)
{
	const char *host = http_hdr(r, "Host"), *f = NULL;
	char buf[GBA_NAF_FQDN_MAX + 1];
	size_t n;

	if (host) {
		n = strcspn(host, ":");
		if (n < sizeof(buf)) {
			memcpy(buf, host, n);
			buf[n] = '\0';
			f = gba_naf_fqdn_match(naf, buf);
		}
	}
	return f ? f : gba_naf_fqdn_default(naf);
}

static void challenge(struct srv *s, struct http_io *io, const char *fqdn, bool stale)
{
	static const char body[] = "GBA bootstrapping required\n";
	char hdr[GBA_NAF_DIGEST_HDR_MAX + 32];
	int n;

	n = snprintf(hdr, sizeof(hdr), "WWW-Authenticate: ");
	if (gba_naf_digest_challenge(s->naf, fqdn, s->uicc, stale, hdr + n,
				     sizeof(hdr) - (size_t)n - 2) < 0) {
		http_respond(io, 500, NULL, NULL, NULL, 0);
		return;
	}
	strcat(hdr, "\r\n");
	http_respond(io, 401, hdr, "text/plain", body, sizeof(body) - 1);
}

/* HTTP Digest on a plain connection: the peer, or an answer already sent (false). */
static bool digest_auth(struct srv *s, struct http_io *io, struct http_req *r, const char *fqdn,
			struct gba_naf_peer *peer)
{
	const char *authz = http_hdr(r, "Authorization");
	int rc;

	if (!authz) {
		challenge(s, io, fqdn, false);
		return false;
	}
	rc = gba_naf_digest_verify(s->naf, fqdn, authz, strlen(authz), r->method, r->target,
				   r->body, r->body_len, peer);
	switch (rc) {
	case 0:
		return true;
	case -ESTALE:
		challenge(s, io, fqdn, true);
		break;
	case -ENOENT:
	case -EKEYEXPIRED:
	case -EACCES:
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "Digest refused: %s", gba_naf_strerror(rc));
		challenge(s, io, fqdn, false);
		break;
	case -EINVAL:
		http_respond(io, 400, NULL, NULL, NULL, 0);
		break;
	default:
		GLOGP(GBA_LC_UA, GBA_LL_ERROR, "Digest: %s", gba_naf_strerror(rc));
		http_respond(io, 503, "Retry-After: 5\r\n", NULL, NULL, 0);
	}
	return false;
}

static void serve_conn(struct conn *c)
{
	struct http_io io = { .fd = c->fd };
	struct gba_naf_peer peer;
	struct http_req *r = NULL;
	char via[96] = "Digest";
	const char *fqdn;
	int rc;

	if (c->s->ctx) {
		io.ssl = SSL_new(c->s->ctx);
		if (!io.ssl || !SSL_set_fd(io.ssl, c->fd))
			goto out;
		if (SSL_accept(io.ssl) <= 0) {
			rc = gba_naf_tls_error(io.ssl);
			GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "%s: TLS handshake failed: %s", c->addr,
			      rc ? gba_naf_strerror(rc) : "wrong key, or no GBA PSK offered");
			ERR_clear_error();
			goto out;
		}
		if (gba_naf_tls_peer(io.ssl, &peer))
			goto out;
		snprintf(via, sizeof(via), "%s/%s", SSL_get_version(io.ssl),
			 SSL_get_cipher_name(io.ssl));
		srv_print_peer(&peer, via);
	}
	r = malloc(sizeof(*r));
	if (!r)
		goto out;
	rc = http_read_request(&io, r);
	if (rc) {
		if (rc != -EPIPE && rc != -EIO && rc != -EAGAIN)
			http_respond(&io, http_status_for(rc), NULL, NULL, NULL, 0);
		goto out;
	}
	fqdn = c->s->ctx ? peer.fqdn : host_fqdn(c->s->naf, r);
	if (!c->s->ctx) {
		if (!digest_auth(c->s, &io, r, fqdn, &peer))
			goto out;
		srv_print_peer(&peer, via);
	}
	c->s->app(c->s, &io, r, &peer, fqdn, c->s->ctx ? NULL : http_hdr(r, "Authorization"));
	if (once_mode)
		tool_stop = 1;
out:
	if (r) {
		http_req_free(r);
		free(r);
	}
	if (io.ssl) {
		SSL_shutdown(io.ssl);
		SSL_free(io.ssl);
	}
	ERR_clear_error();
	close(c->fd);
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;

	serve_conn(c);
	pthread_mutex_lock(&conns_lock);
	conn_addr[c->slot][0] = '\0';
	conns--;
	pthread_cond_broadcast(&conns_cond);
	pthread_mutex_unlock(&conns_lock);
	free(c);
	return NULL;
}

static void accept_one(struct srv *s)
{
	struct timeval tv = { .tv_sec = HTTP_IO_TIMEOUT };
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	pthread_attr_t attr;
	pthread_t th;
	struct conn *c;
	unsigned int same;
	int fd;

	fd = accept4(s->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	getnameinfo((struct sockaddr *)&ss, sl, c->addr, sizeof(c->addr), NULL, 0, NI_NUMERICHOST);
	pthread_mutex_lock(&conns_lock);
	c->slot = addr_take(c->addr, &same);
	if (conns >= MAX_CONNS || c->slot < 0 || same >= MAX_CONNS_PER_ADDR) {
		pthread_mutex_unlock(&conns_lock);
		if (same >= MAX_CONNS_PER_ADDR)
			GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "too many connections from %s: closing one",
			      c->addr);
		else
			GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "too many connections: closing one");
		free(c);
		close(fd);
		return;
	}
	snprintf(conn_addr[c->slot], sizeof(conn_addr[c->slot]), "%s", c->addr);
	conns++;
	pthread_mutex_unlock(&conns_lock);
	c->s = s;
	c->fd = fd;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, conn_thread, c)) {
		close(fd);
		pthread_mutex_lock(&conns_lock);
		conn_addr[c->slot][0] = '\0';
		conns--;
		pthread_mutex_unlock(&conns_lock);
		free(c);
	}
	pthread_attr_destroy(&attr);
}

int srv_run(struct srv *list, unsigned int n, bool once)
{
	struct pollfd pfd[8];
	struct timespec until;
	unsigned int i;

	if (n > 8)
		return -EINVAL;
	once_mode = once;
	for (i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = list[i].fd, .events = POLLIN };
	while (!tool_stop) {
		int rc = poll(pfd, n, 200);

		if (rc < 0 && errno != EINTR)
			return -errno;
		for (i = 0; rc > 0 && i < n; i++)
			if (pfd[i].revents & POLLIN)
				accept_one(&list[i]);
	}
	/* let running connections finish (bounded) */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HTTP_IO_TIMEOUT / 2;
	pthread_mutex_lock(&conns_lock);
	while (conns && pthread_cond_timedwait(&conns_cond, &conns_lock, &until) == 0)
		;
	i = conns;
	pthread_mutex_unlock(&conns_lock);
	return i ? -EBUSY : 0;
}

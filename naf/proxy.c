/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-naf proxy: a TS 33.222 authentication proxy. The request of an authenticated device
 * goes to the plain HTTP backend with its headers, minus any X-3GPP-Asserted-Identity,
 * Authorization (Digest towards the proxy) and hop-by-hop headers, plus
 * X-3GPP-Asserted-Identity: <IMPI> and Connection: close; the backend's answer (read until
 * it closes, at most RESP_MAX bytes) is relayed byte for byte.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gba/log.h>

#include "tool.h"

#define RESP_MAX	(16 * 1024 * 1024)
#define ASSERTED_ID	"X-3GPP-Asserted-Identity"

static bool dropped(const char *name)
{
	static const char *const drop[] = { ASSERTED_ID, "Authorization", "Connection",
		"Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Upgrade", NULL };
	unsigned int i;

	for (i = 0; drop[i]; i++)
		if (!strcasecmp(name, drop[i]))
			return true;
	return false;
}

/* Connect to "HOST:PORT". fd or negative errno. */
static int backend_connect(const char *backend)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct timeval tv = { .tv_sec = HTTP_IO_TIMEOUT };
	struct addrinfo *res = NULL, *ai;
	const char *colon = strrchr(backend, ':');
	char host[256];
	int fd = -EHOSTUNREACH;

	if (!colon || (size_t)(colon - backend) >= sizeof(host))
		return -EINVAL;
	memcpy(host, backend, (size_t)(colon - backend));
	host[colon - backend] = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &res))
		return -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		close(fd);
		fd = -ECONNREFUSED;
	}
	freeaddrinfo(res);
	return fd;
}

/* The request head for the backend, malloc()ed. */
static char *backend_head(const struct http_req *r, const struct gba_naf_peer *peer,
			  size_t *len)
{
	size_t cap = HTTP_HEAD_MAX + GBA_NAF_IMPI_MAX + 128, n;
	char *h = malloc(cap);
	unsigned int i;

	if (!h)
		return NULL;
	n = (size_t)snprintf(h, cap, "%s %s HTTP/1.1\r\n", r->method, r->target);
	for (i = 0; i < r->nh && n < cap; i++)
		if (!dropped(r->h[i].name))
			n += (size_t)snprintf(h + n, cap - n, "%s: %s\r\n", r->h[i].name,
					      r->h[i].value);
	if (n < cap)
		n += (size_t)snprintf(h + n, cap - n, ASSERTED_ID ": %s\r\nConnection: close\r\n\r\n",
				      peer->impi);
	if (n >= cap) {
		free(h);
		return NULL;
	}
	*len = n;
	return h;
}

void proxy_app(struct srv *s, struct http_io *io, struct http_req *r,
	       const struct gba_naf_peer *peer, const char *fqdn, const char *authz)
{
	struct http_io be = { .fd = -1 };
	size_t hl = 0, total = 0;
	char *head, buf[16384];
	ssize_t n;

	head = backend_head(r, peer, &hl);
	if (!head) {
		http_respond(io, 431, NULL, NULL, NULL, 0);
		return;
	}
	be.fd = backend_connect(s->arg);
	if (be.fd < 0 || http_io_write(&be, head, hl) ||
	    (r->body_len && http_io_write(&be, r->body, r->body_len))) {
		GLOGP(GBA_LC_NAF, GBA_LL_ERROR, "proxy: backend %s: %s", (const char *)s->arg,
		      strerror(be.fd < 0 ? -be.fd : errno));
		http_respond(io, 502, NULL, NULL, NULL, 0);
		goto out;
	}
	GLOGP(GBA_LC_NAF, GBA_LL_INFO, "proxy: %s %s for %s", r->method, r->target, peer->impi);
	while ((n = http_io_read(&be, buf, sizeof(buf))) > 0) {
		total += (size_t)n;
		if (total > RESP_MAX || http_io_write(io, buf, (size_t)n))
			break;
	}
	if (!total)
		http_respond(io, 502, NULL, NULL, NULL, 0);
out:
	free(head);
	if (be.fd >= 0)
		close(be.fd);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gba-naf program's internals: the listeners and connection threads (server.c), the
 * oneM2M CSE answer (serve.c) and the authentication proxy (proxy.c).
 */
#ifndef GBA_NAF_TOOL_H
#define GBA_NAF_TOOL_H

#include <signal.h>
#include <stdbool.h>

#include <openssl/ssl.h>

#include <gba/naf.h>

#include "http.h"

extern volatile sig_atomic_t tool_stop;

struct srv;

/*
 * What runs after authentication: answer request 'r' of 'peer' on 'io'. 'authz' is the
 * Digest Authorization header (NULL over TLS-PSK) for an Authentication-Info. 'via' says
 * how the peer authenticated ("TLS1.2 PSK-AES128-CBC-SHA256", "Digest").
 */
typedef void (*srv_app_fn)(struct srv *s, struct http_io *io, struct http_req *r,
			   const struct gba_naf_peer *peer, const char *fqdn, const char *authz);

struct srv {
	int fd;
	SSL_CTX *ctx;		/* TLS-PSK listener; NULL: plain HTTP with Digest */
	struct gba_naf *naf;
	bool uicc;		/* Digest: the -uicc realm (Ks_int_NAF) */
	srv_app_fn app;
	void *arg;
};

/* Listen on "ADDR:PORT" (IPv4 or [IPv6]). The socket or negative errno. */
int srv_listen(const char *addrport);

/* Accept on every listener until SIGTERM/SIGINT (or the first served peer with 'once'). */
int srv_run(struct srv *list, unsigned int n, bool once);

/* Print the one line about an authenticated peer on stdout. */
void srv_print_peer(const struct gba_naf_peer *p, const char *via);

/* serve: the oneM2M CSE answer (arg: const char *cse_id) */
void serve_app(struct srv *s, struct http_io *io, struct http_req *r,
	       const struct gba_naf_peer *peer, const char *fqdn, const char *authz);

/* proxy: forward to the backend (arg: const char *backend "HOST:PORT") */
void proxy_app(struct srv *s, struct http_io *io, struct http_req *r,
	       const struct gba_naf_peer *peer, const char *fqdn, const char *authz);

#endif /* GBA_NAF_TOOL_H */

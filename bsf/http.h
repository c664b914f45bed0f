/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's HTTP listeners on libmicrohttpd: Ub (plain HTTP), Zn (HTTPS with client
 * certificates, or plain HTTP when allowed) and the admin listener (/metrics). Each runs
 * its own internal epoll thread(s); requests that wait for Zh are suspended.
 */
#ifndef BSF_HTTP_H
#define BSF_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "bsf.h"

#define BSF_BODY_MAX	65536	/* largest request body accepted (Ub and Zn) */

struct bsf_http;

/*
 * Parse "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6) into 'ss'.
 * Returns 0 or -EINVAL.
 */
int bsf_http_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/*
 * Start one libmicrohttpd daemon on 'addr' ("ADDR:PORT" or "[ADDR]:PORT") with the flags and
 * options of every BSF listener: internal epoll thread pool of cfg->threads (one thread when
 * 'admin'), connection limits and timeout of 'cfg', 'tls' options (NULL: plain HTTP; else
 * an MHD_OPTION_END-terminated list, MHD_USE_TLS is added), 'done' as NOTIFY_COMPLETED
 * (may be NULL). The benchmark starts its baseline with it. NULL when it cannot start.
 */
struct MHD_Daemon *bsf_http_daemon(const struct bsf_config *cfg, const char *addr, bool admin,
				   const struct MHD_OptionItem *tls, MHD_AccessHandlerCallback cb,
				   void *cls, MHD_RequestCompletedCallback done, void *done_cls);

/* The flags and options bsf_http_daemon() uses, in words, into 'buf'. Returns 'buf'. */
const char *bsf_http_daemon_describe(const struct bsf_config *cfg, char *buf, size_t len);

/*
 * Start every listener of 'bsf' (Zn TLS material is read from the configured files).
 * Returns 0 with *out set, -EINVAL for a bad address or TLS file, -EIO when a daemon
 * cannot start (address in use...). Errors are logged.
 */
int bsf_http_start(struct bsf_http **out, struct bsf *bsf);

/* Stop accepting, let requests in progress finish (at most 'grace_ms'), stop the daemons. */
void bsf_http_stop(struct bsf_http *h, unsigned int grace_ms);

#endif /* BSF_HTTP_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The small HTTP/1.1 server side of gba-naf (serve and proxy): a connection over TLS
 * (OpenSSL) or a plain socket, reading one request with strict limits, writing answers.
 * Hand-written because libmicrohttpd (the project's HTTP server library) speaks TLS only
 * through GnuTLS, which cannot run the GBA TLS-PSK callbacks of libgba-naf (OpenSSL).
 */
#ifndef GBA_NAF_HTTP_H
#define GBA_NAF_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#define HTTP_HEAD_MAX	8192		/* request line + headers */
#define HTTP_HDRS_MAX	64
#define HTTP_BODY_MAX	(1024 * 1024)	/* request entity */
#define HTTP_IO_TIMEOUT	10		/* seconds without progress */

struct http_io {
	int fd;
	SSL *ssl;	/* NULL: plain */
};

struct http_hdr {
	const char *name;
	const char *value;
};

struct http_req {
	const char *method;
	const char *target;
	const char *version;
	struct http_hdr h[HTTP_HDRS_MAX];
	unsigned int nh;
	uint8_t *body;		/* malloc()ed, NUL-terminated, or NULL */
	size_t body_len;
	char head[HTTP_HEAD_MAX + 1];
};

/* Read up to 'len' bytes. Count, 0 at end of stream, negative errno. */
ssize_t http_io_read(struct http_io *io, void *buf, size_t len);
/* Write everything. 0 or negative errno. */
int http_io_write(struct http_io *io, const void *buf, size_t len);

/*
 * Read one request. 0; -EPIPE when the peer closed before sending anything; -EINVAL
 * malformed (answer 400); -E2BIG head too large (431) / -EFBIG body too large (413);
 * -ENOSYS Transfer-Encoding (501); other negative errno on I/O failure.
 */
int http_read_request(struct http_io *io, struct http_req *r);
void http_req_free(struct http_req *r);

/* The value of header 'name' (case-insensitive), or NULL. */
const char *http_hdr(const struct http_req *r, const char *name);

/*
 * Send an answer with 'extra' header lines (each ending in CRLF, may be NULL), a body of
 * 'ctype' (NULL: no Content-Type) and Connection: close. 0 or negative errno.
 */
int http_respond(struct http_io *io, unsigned int status, const char *extra, const char *ctype,
		 const void *body, size_t len);

/* Status code to an HTTP answer for an http_read_request() error. */
unsigned int http_status_for(int rc);

#endif /* GBA_NAF_HTTP_H */

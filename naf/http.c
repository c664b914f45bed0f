/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal HTTP/1.1 request reader and answer writer for gba-naf (see http.h for why it is
 * hand-written): request line and headers in one bounded buffer, Content-Length bodies
 * only, every socket operation bounded by a receive/send timeout set by the caller.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>

#include "http.h"

ssize_t http_io_read(struct http_io *io, void *buf, size_t len)
{
	ssize_t n;

	if (io->ssl) {
		size_t got = 0;
		int r = SSL_read_ex(io->ssl, buf, len, &got);

		if (r > 0)
			return (ssize_t)got;
		r = SSL_get_error(io->ssl, r);
		ERR_clear_error();
		return (r == SSL_ERROR_ZERO_RETURN) ? 0 : -EIO;
	}
	do {
		n = read(io->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int http_io_write(struct http_io *io, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n;

		if (io->ssl) {
			size_t w = 0;

			if (SSL_write_ex(io->ssl, p, len, &w) <= 0) {
				ERR_clear_error();
				return -EIO;
			}
			n = (ssize_t)w;
		} else {
			n = write(io->fd, p, len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("!#$%&'*+-.^_`|~", c);
}

/* Split the head (NUL-terminated, CRLF lines, no final empty line) into r. 0 or -EINVAL. */
static int parse_head(struct http_req *r)
{
	char *line = r->head, *eol, *sp, *colon, *v, *e;

	eol = strstr(line, "\r\n");
	if (eol)
		*eol = '\0';
	r->method = line;
	sp = strchr(line, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	r->target = sp + 1;
	sp = strchr(sp + 1, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	r->version = sp + 1;
	if (!*r->method || !*r->target || strncmp(r->version, "HTTP/1.", 7))
		return -EINVAL;
	for (e = (char *)r->method; *e; e++)
		if (!is_tchar(*e))
			return -EINVAL;
	for (e = (char *)r->target; *e; e++)
		if ((unsigned char)*e <= 0x20 || *e == 0x7f)
			return -EINVAL;
	while (eol) {
		line = eol + 2;
		eol = strstr(line, "\r\n");
		if (eol)
			*eol = '\0';
		if (!*line)
			break;
		colon = strchr(line, ':');
		if (!colon || colon == line || r->nh == HTTP_HDRS_MAX)
			return r->nh == HTTP_HDRS_MAX ? -E2BIG : -EINVAL;
		*colon = '\0';
		for (e = line; *e; e++)
			if (!is_tchar(*e))
				return -EINVAL;	/* also refuses obs-fold and "Name :" */
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		e = v + strlen(v);
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		for (e = v; *e; e++)
			if (((unsigned char)*e < 0x20 && *e != '\t') || *e == 0x7f)
				return -EINVAL;
		r->h[r->nh].name = line;
		r->h[r->nh].value = v;
		r->nh++;
	}
	return 0;
}

const char *http_hdr(const struct http_req *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nh; i++)
		if (!strcasecmp(r->h[i].name, name))
			return r->h[i].value;
	return NULL;
}

/* Content-Length: one decimal value up to HTTP_BODY_MAX. Length or negative errno. */
static long content_length(const struct http_req *r)
{
	const char *cl = NULL;
	unsigned int i, n = 0;
	char *end;
	long v;

	for (i = 0; i < r->nh; i++)
		if (!strcasecmp(r->h[i].name, "Content-Length")) {
			cl = r->h[i].value;
			n++;
		}
	if (!cl)
		return 0;
	if (n > 1 || !*cl || strspn(cl, "0123456789") != strlen(cl) || strlen(cl) > 9)
		return -EINVAL;
	v = strtol(cl, &end, 10);
	return v > HTTP_BODY_MAX ? -EFBIG : v;
}

int http_read_request(struct http_io *io, struct http_req *r)
{
	size_t have = 0, extra;
	char *end = NULL;
	long cl;
	ssize_t n;
	int rc;

	memset(r, 0, offsetof(struct http_req, head));
	while (!end) {
		if (have == HTTP_HEAD_MAX)
			return -E2BIG;
		n = http_io_read(io, r->head + have, HTTP_HEAD_MAX - have);
		if (n <= 0)
			return n == 0 ? (have ? -EINVAL : -EPIPE) : (int)n;
		if (memchr(r->head + have, '\0', (size_t)n))
			return -EINVAL;
		have += (size_t)n;
		r->head[have] = '\0';
		end = strstr(r->head, "\r\n\r\n");
	}
	extra = have - (size_t)(end + 4 - r->head);
	end[2] = '\0';
	rc = parse_head(r);
	if (rc)
		return rc;
	if (http_hdr(r, "Transfer-Encoding"))
		return -ENOSYS;
	cl = content_length(r);
	if (cl < 0)
		return (int)cl;
	if ((size_t)cl < extra)
		return -EINVAL;	/* pipelining is not supported */
	r->body = malloc((size_t)cl + 1);
	if (!r->body)
		return -ENOMEM;
	memcpy(r->body, end + 4, extra);
	r->body_len = extra;
	while (r->body_len < (size_t)cl) {
		n = http_io_read(io, r->body + r->body_len, (size_t)cl - r->body_len);
		if (n <= 0)
			return n == 0 ? -EINVAL : (int)n;
		r->body_len += (size_t)n;
	}
	r->body[r->body_len] = '\0';
	return 0;
}

void http_req_free(struct http_req *r)
{
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

static const char *reason(unsigned int st)
{
	switch (st) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

int http_respond(struct http_io *io, unsigned int status, const char *extra, const char *ctype,
		 const void *body, size_t len)
{
	char head[HTTP_HEAD_MAX];
	int n, rc;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %u %s\r\n%s%s%s%sContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", status, reason(status), extra ? extra : "",
		     ctype ? "Content-Type: " : "", ctype ? ctype : "", ctype ? "\r\n" : "", len);
	if (n < 0 || (size_t)n >= sizeof(head))
		return -E2BIG;
	rc = http_io_write(io, head, (size_t)n);
	if (!rc && len)
		rc = http_io_write(io, body, len);
	return rc;
}

unsigned int http_status_for(int rc)
{
	switch (rc) {
	case -E2BIG:
		return 431;
	case -EFBIG:
		return 413;
	case -ENOSYS:
		return 501;
	default:
		return 400;
	}
}

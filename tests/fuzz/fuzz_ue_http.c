/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the UE's HTTP answer reader (ue/http.c ue_http_get(): libcurl with
 * our header and body callbacks). The input is what the BSF or NAF "sends": it waits in one
 * end of a socketpair, the other end is handed to libcurl as an already connected socket
 * (CURLOPT_OPENSOCKETFUNCTION), and the write side is shut after the input so that every
 * run ends. Whatever arrives, the result must be one of the documented errors or 0 with a
 * NUL-terminated body of at most GBA_XML_MAX bytes and NUL-terminated header fields.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include <gba/bsfxml.h>
#include <gba/log.h>

#include "http.h"

#define INPUT_MAX	(GBA_XML_MAX + 8192)	/* room to cross the body limit */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cli_fd = -1;

static curl_socket_t open_sock(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	int fd = cli_fd;

	cli_fd = -1;	/* curl closes it */
	return fd >= 0 ? fd : CURL_SOCKET_BAD;
}

static int sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	return CURL_SOCKOPT_ALREADY_CONNECTED;
}

static void str_ok(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ue_http h = { .timeout_ms = 2000 };
	static struct ue_http_rsp r;
	int sv[2], rc, big = 1 << 20;
	size_t off = 0;

	if (size > INPUT_MAX)
		return 0;
	gba_log_set_level(GBA_LL_NONE);
	if (!h.curl) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		h.curl = curl_easy_init();
		if (!h.curl)
			abort();
	}
	/* ue_http_get() sets its options on top of these, never resets the handle */
	curl_easy_setopt(h.curl, CURLOPT_OPENSOCKETFUNCTION, open_sock);
	curl_easy_setopt(h.curl, CURLOPT_SOCKOPTFUNCTION, sockopt);
	curl_easy_setopt(h.curl, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(h.curl, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(h.curl, CURLOPT_NOPROXY, "*");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while (off < size) {
		ssize_t w = write(sv[1], data + off, size - off);

		if (w <= 0)
			break;	/* buffer full: the answer is cut there */
		off += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR);
	cli_fd = sv[0];
	rc = ue_http_get(&h, "http://127.0.0.1:1/", "Digest username=\"x\"", "fuzz/1.0", &r);
	if (cli_fd >= 0)
		close(cli_fd);	/* curl never asked for it */
	cli_fd = -1;
	close(sv[1]);
	if (rc == 0) {
		if (!r.body || r.body_len > GBA_XML_MAX || r.body[r.body_len] != '\0' ||
		    r.status < 0)
			abort();
		str_ok(r.www_auth, sizeof(r.www_auth));
		str_ok(r.auth_info, sizeof(r.auth_info));
		str_ok(r.retry_after, sizeof(r.retry_after));
		str_ok(r.server, sizeof(r.server));
		ue_http_rsp_free(&r);
	} else if (r.body || (rc != -ECONNREFUSED && rc != -ETIMEDOUT && rc != -E2BIG &&
			      rc != -EIO && rc != -ENOMEM)) {
		abort();
	}
	return 0;
}

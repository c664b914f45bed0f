/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UE's HTTP GET on libcurl (http.c), shared by the Ub client (ub.c) and the Ua Digest
 * client (ua_digest.c): our own Authorization header, the response status, the headers GBA
 * needs and a body of at most GBA_XML_MAX bytes.
 */
#ifndef GBA_UE_HTTP_H
#define GBA_UE_HTTP_H

#include <stddef.h>

#include "ue_priv.h"

#define UE_HTTP_HDR_MAX	4096

struct ue_http {
	void *curl;		/* CURL *, kept across requests (one TCP connection) */
	long timeout_ms;
	char errbuf[256];	/* CURL_ERROR_SIZE */
	char err[512];		/* after a transport failure: URL and reason */
};

struct ue_http_rsp {
	long status;
	char www_auth[UE_HTTP_HDR_MAX];		/* first Digest challenge, else the first one */
	char auth_info[UE_HTTP_HDR_MAX];	/* Authentication-Info */
	char retry_after[64];
	char server[256];
	char *body;				/* NUL-terminated, malloc()ed */
	size_t body_len;
};

/*
 * GET 'url' with 'authz' (the Authorization value; NULL: none) and 'user_agent'.
 * Returns 0 for any HTTP answer; -ECONNREFUSED, -ETIMEDOUT, -E2BIG (body too large), -EIO
 * (h->err says why), -ENOMEM. Free r with ue_http_rsp_free() after success.
 */
int ue_http_get(struct ue_http *h, const char *url, const char *authz, const char *user_agent,
		struct ue_http_rsp *r);
void ue_http_rsp_free(struct ue_http_rsp *r);
void ue_http_close(struct ue_http *h);

#endif /* GBA_UE_HTTP_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UE's HTTP requests on libcurl: one GET with our own Authorization header (curl's
 * Digest cannot do AKAv1-MD5 nor a binary password, so we compute it and curl only
 * carries it), collecting the status, the headers the GBA clients need and a size-limited
 * body; and URL splitting with curl's URL API.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include <gba/bsfxml.h>
#include <gba/log.h>

#include "http.h"

int ue_url_parse(struct ue_url *u, const char *url)
{
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	CURLU *h = curl_url();
	int rc = -EINVAL;

	memset(u, 0, sizeof(*u));
	if (!h)
		return -ENOMEM;
	if (curl_url_set(h, CURLUPART_URL, url, 0) ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ||
	    curl_url_get(h, CURLUPART_PATH, &path, 0))
		goto out;
	curl_url_get(h, CURLUPART_QUERY, &query, 0);
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https"))
		goto out;
	u->https = !strcasecmp(scheme, "https");
	u->port = (unsigned int)strtoul(port, NULL, 10);
	if (snprintf(u->host, sizeof(u->host), "%s", host) >= (int)sizeof(u->host) ||
	    snprintf(u->path, sizeof(u->path), "%s%s%s", path, query ? "?" : "",
		     query ? query : "") >= (int)sizeof(u->path) || !u->port || u->port > 65535)
		goto out;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	return rc;
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct ue_http_rsp *r = arg;
	size_t len = sz * n;
	char *b;

	if (r->body_len + len > GBA_XML_MAX)
		return 0;	/* abort: larger than any answer we accept */
	b = realloc(r->body, r->body_len + len + 1);
	if (!b)
		return 0;
	memcpy(b + r->body_len, p, len);
	r->body = b;
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return len;
}

/* Keep one header value, trimmed; the first Digest challenge wins for WWW-Authenticate. */
static void keep(char *dst, size_t dstlen, const char *v, size_t vlen)
{
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	while (vlen && *v == ' ') {
		v++;
		vlen--;
	}
	if (vlen >= dstlen)
		vlen = dstlen - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct ue_http_rsp *r = arg;
	size_t len = sz * n;
	static const struct {
		const char *name;
		size_t off, size;
	} want[] = {
#define FIELD(m) offsetof(struct ue_http_rsp, m), sizeof(((struct ue_http_rsp *)0)->m)
		{ "www-authenticate:", FIELD(www_auth) },
		{ "authentication-info:", FIELD(auth_info) },
		{ "retry-after:", FIELD(retry_after) },
		{ "server:", FIELD(server) },
#undef FIELD
	};
	size_t i;

	if (len > 5 && !strncmp(p, "HTTP/", 5)) {	/* a new response (after 100) */
		r->www_auth[0] = r->auth_info[0] = r->retry_after[0] = r->server[0] = '\0';
		return len;
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t nl = strlen(want[i].name);
		char *dst = (char *)r + want[i].off;

		if (len <= nl || strncasecmp(p, want[i].name, nl))
			continue;
		if (want[i].off == offsetof(struct ue_http_rsp, www_auth) && dst[0] &&
		    !strncasecmp(dst, "Digest", 6))
			break;	/* keep the first Digest challenge */
		keep(dst, want[i].size, p + nl, len - nl);	/* each field's own size */
		break;
	}
	return len;
}

int ue_http_get(struct ue_http *h, const char *url, const char *authz, const char *user_agent,
		struct ue_http_rsp *r)
{
	struct curl_slist *hdrs = NULL, *x;
	char line[UE_HTTP_HDR_MAX + 32];
	CURLcode cc;
	long status = 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!h->curl) {
		h->curl = curl_easy_init();
		if (!h->curl)
			return -ENOMEM;
	}
	if (authz) {
		snprintf(line, sizeof(line), "Authorization: %s", authz);
		x = curl_slist_append(hdrs, line);
		if (!x)
			return -ENOMEM;
		hdrs = x;
	}
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, user_agent);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	h->errbuf[0] = '\0';
	cc = curl_easy_perform(h->curl);
	curl_slist_free_all(hdrs);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		switch (cc) {
		case CURLE_COULDNT_CONNECT:
		case CURLE_COULDNT_RESOLVE_HOST:
			rc = -ECONNREFUSED;
			break;
		case CURLE_OPERATION_TIMEDOUT:
			rc = -ETIMEDOUT;
			break;
		case CURLE_WRITE_ERROR:
			rc = -E2BIG;
			break;
		default:
			rc = -EIO;
			break;
		}
		snprintf(h->err, sizeof(h->err), "%s: %s", url,
			 h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc));
		free(r->body);
		r->body = NULL;
		return rc;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (!r->body) {
		r->body = calloc(1, 1);
		if (!r->body)
			return -ENOMEM;
	}
	GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "GET %s -> %ld (%zu body bytes)", url, status, r->body_len);
	return 0;
}

void ue_http_rsp_free(struct ue_http_rsp *r)
{
	free(r->body);
	r->body = NULL;
}

void ue_http_close(struct ue_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
}

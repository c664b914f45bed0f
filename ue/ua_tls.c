/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ua over TLS-PSK with OpenSSL (TS 33.222 5.4, oneM2M TS-0003 10.2): SNI = NAF FQDN,
 * psk_identity = B-TID (optionally "3GPP-bootstrapping." B-TID). For TLS 1.2 the NAF key's
 * Ua id 01 00 01 yy zz depends on the suite the server picks, so the key is derived in the
 * PSK client callback, which OpenSSL calls after ServerHello; for TLS 1.3 the key uses
 * 01 00 00 00 07 and is offered as an external PSK session (TLS_AES_128_GCM_SHA256).
 * Also the one-request HTTPS client of gba_ue_get() on top of it.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <gba/bsfxml.h>
#include <gba/kdf.h>
#include <gba/log.h>

#include "ue_priv.h"

#define TLS_PSK_PREFIX		"3GPP-bootstrapping."
#define TLS12_PSK_CIPHERS	"PSK-AES128-CBC-SHA256:PSK-AES128-CCM8:PSK-AES128-GCM-SHA256:" \
				"PSK-AES256-GCM-SHA384:PSK-AES128-CCM:PSK-AES256-CBC-SHA384"

/* What the callbacks of one SSL need; freed with the SSL. */
struct tls_psk {
	struct gba_ue *ue;
	unsigned int flags;
	char fqdn[GBA_FQDN_MAX + 1];
	char identity[sizeof(TLS_PSK_PREFIX) + GBA_UE_BTID_MAX];
	int err;			/* the last callback failure */
	uint8_t ua_id[GBA_UE_UA_ID_LEN];	/* the Ua id the key was made for */
};

static int psk_idx = -1;
static pthread_once_t psk_once = PTHREAD_ONCE_INIT;

static void psk_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	if (ptr)
		gba_zeroize(ptr, sizeof(struct tls_psk));
	free(ptr);
}

static void psk_index_init(void)
{
	psk_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, psk_free);
}

/* The SSL ex_data index of our callback data: one for the process, made once. */
static int psk_index(void)
{
	pthread_once(&psk_once, psk_index_init);
	return psk_idx;
}

/* The NAF key for 'ua' and the identity to send. 0 or negative errno (p->err). */
static int psk_key(struct tls_psk *p, const uint8_t ua[GBA_UE_UA_ID_LEN],
		   struct gba_ue_naf_key *k)
{
	int rc = gba_ue_naf_key(p->ue, p->fqdn, ua, false, k);

	if (rc < 0) {
		p->err = rc;
		return rc;
	}
	memcpy(p->ua_id, ua, GBA_UE_UA_ID_LEN);
	snprintf(p->identity, sizeof(p->identity), "%s%s",
		 (p->flags & GBA_UE_TLS_BTID_PREFIX) ? TLS_PSK_PREFIX : "", k->btid);
	return 0;
}

/* TLS 1.2: called while building ClientKeyExchange, i.e. after ServerHello. */
static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity,
				  unsigned int max_identity_len, unsigned char *psk,
				  unsigned int max_psk_len)
{
	struct tls_psk *p = SSL_get_ex_data(ssl, psk_index());
	const SSL_CIPHER *c = SSL_get_pending_cipher(ssl);
	struct gba_ue_naf_key k;
	uint8_t ua[GBA_UE_UA_ID_LEN];
	uint16_t suite;

	if (!p)
		return 0;
	if (!c)
		c = SSL_get_current_cipher(ssl);
	if (!c || SSL_version(ssl) >= TLS1_3_VERSION) {
		p->err = -EPROTO;
		return 0;
	}
	suite = SSL_CIPHER_get_protocol_id(c) & 0xffff;
	gba_ua_id_tls12(ua, suite);
	GLOGP(GBA_LC_UA, GBA_LL_DEBUG, "TLS 1.2 PSK: server chose %s (0x%04x), hint '%s'",
	      SSL_CIPHER_get_name(c), suite, hint ? hint : "");
	if (psk_key(p, ua, &k))
		return 0;
	if (strlen(p->identity) + 1 > max_identity_len || max_psk_len < GBA_UE_KEY_LEN) {
		gba_ue_key_wipe(&k);
		p->err = -ENOSPC;
		return 0;
	}
	memcpy(identity, p->identity, strlen(p->identity) + 1);
	memcpy(psk, k.key, GBA_UE_KEY_LEN);
	gba_ue_key_wipe(&k);
	return GBA_UE_KEY_LEN;
}

/* TLS 1.3: an external PSK session for TLS_AES_128_GCM_SHA256, Ua id 01 00 00 00 07. */
static int psk_session_cb(SSL *ssl, const EVP_MD *md, const unsigned char **id, size_t *idlen,
			  SSL_SESSION **sess)
{
	static const unsigned char aes128gcm[2] = { 0x13, 0x01 };
	struct tls_psk *p = SSL_get_ex_data(ssl, psk_index());
	const SSL_CIPHER *c = SSL_CIPHER_find(ssl, aes128gcm);
	struct gba_ue_naf_key k;
	SSL_SESSION *s;

	*sess = NULL;
	*id = NULL;
	*idlen = 0;
	if (!p || (p->flags & GBA_UE_TLS_12_ONLY))
		return 1;	/* no TLS 1.3 PSK: TLS 1.2 then */
	if (!c || (md && md != SSL_CIPHER_get_handshake_digest(c)))
		return 1;
	if (psk_key(p, GBA_UA_ID_TLS13, &k))
		return 0;
	s = SSL_SESSION_new();
	if (!s || !SSL_SESSION_set1_master_key(s, k.key, GBA_UE_KEY_LEN) ||
	    !SSL_SESSION_set_cipher(s, c) || !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		gba_ue_key_wipe(&k);
		p->err = -EIO;
		return 0;
	}
	gba_ue_key_wipe(&k);
	*sess = s;
	*id = (const unsigned char *)p->identity;
	*idlen = strlen(p->identity);
	return 1;
}

int gba_ue_tls_psk_attach(struct gba_ue *ue, struct ssl_st *ssl, const char *naf_fqdn,
			  unsigned int flags)
{
	struct tls_psk *p;
	int rc;

	if (!ue || !ssl || !naf_fqdn || strlen(naf_fqdn) > GBA_FQDN_MAX ||
	    (flags & GBA_UE_TLS_12_ONLY && flags & GBA_UE_TLS_13_ONLY))
		return -EINVAL;
	if (psk_index() < 0)
		return ue_err(ue, -ENOMEM, "OpenSSL: no ex_data index");
	rc = gba_ue_bootstrap(ue, false, NULL);	/* no Ub run inside the handshake */
	if (rc < 0)
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p)
		return ue_err(ue, -ENOMEM, "out of memory");
	p->ue = ue;
	p->flags = flags;
	snprintf(p->fqdn, sizeof(p->fqdn), "%s", naf_fqdn);
	if (!SSL_set_ex_data(ssl, psk_index(), p)) {
		free(p);
		return ue_err(ue, -ENOMEM, "OpenSSL: SSL_set_ex_data failed");
	}
	if (!SSL_set_tlsext_host_name(ssl, naf_fqdn))
		return ue_err(ue, -EINVAL, "OpenSSL refused SNI '%s'", naf_fqdn);
	if ((flags & GBA_UE_TLS_12_ONLY) && !SSL_set_max_proto_version(ssl, TLS1_2_VERSION))
		return ue_err(ue, -EIO, "OpenSSL: cannot limit to TLS 1.2");
	if ((flags & GBA_UE_TLS_13_ONLY) && !SSL_set_min_proto_version(ssl, TLS1_3_VERSION))
		return ue_err(ue, -EIO, "OpenSSL: cannot require TLS 1.3");
	if (!(flags & GBA_UE_TLS_13_ONLY) && !SSL_set_cipher_list(ssl, TLS12_PSK_CIPHERS))
		return ue_err(ue, -EIO, "OpenSSL: no TLS 1.2 PSK cipher suites");
	SSL_set_psk_client_callback(ssl, psk_client_cb);
	SSL_set_psk_use_session_callback(ssl, psk_session_cb);
	return 0;
}

int gba_ue_tls_suite_id(const char *name)
{
	STACK_OF(SSL_CIPHER) *sk;
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int i, id = -ENOENT;

	if (!name)
		return -EINVAL;
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx && SSL_CTX_set_cipher_list(ctx, "ALL:PSK:@SECLEVEL=0"))
		ssl = SSL_new(ctx);
	sk = ssl ? SSL_get_ciphers(ssl) : NULL;
	for (i = 0; sk && i < sk_SSL_CIPHER_num(sk); i++) {
		const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
		const char *std = SSL_CIPHER_standard_name(c);

		if (!strcasecmp(name, SSL_CIPHER_get_name(c)) || (std && !strcasecmp(name, std))) {
			id = SSL_CIPHER_get_protocol_id(c) & 0xffff;
			break;
		}
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	return id;
}

/* The first OpenSSL error as text. */
static const char *ossl_err(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		return "connection closed";
	ERR_error_string_n(e, buf, len);
	return buf;
}

/* Status line and body of the HTTP/1.x answer in 'buf'. 0 or -EPROTO. */
static int http_split(char *buf, size_t len, struct gba_ue_response *resp)
{
	char *eoh = strstr(buf, "\r\n\r\n");
	unsigned int st;

	if (sscanf(buf, "HTTP/1.%*u %3u", &st) != 1 || !eoh)
		return -EPROTO;
	resp->status = st;
	eoh += 4;
	resp->body_len = len - (size_t)(eoh - buf);
	resp->body = malloc(resp->body_len + 1);
	if (!resp->body)
		return -ENOMEM;
	memcpy(resp->body, eoh, resp->body_len);
	resp->body[resp->body_len] = '\0';
	return 0;
}

int ue_tls_get(struct gba_ue *ue, const char *url, unsigned int flags,
	       struct gba_ue_response *resp)
{
	char hostport[300], req[GBA_UE_URL_MAX + 600], e[256], *buf = NULL;
	struct timeval tv = { .tv_sec = ue->http_timeout_ms / 1000,
			      .tv_usec = (ue->http_timeout_ms % 1000) * 1000 };
	struct tls_psk *p;
	struct ue_url u;
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	BIO *bio = NULL;
	size_t len = 0;
	int rc, n, fd;

	if (ue_url_parse(&u, url))
		return ue_err(ue, -EINVAL, "bad URL '%s'", url);
	ERR_clear_error();
	ctx = SSL_CTX_new(TLS_client_method());
	ssl = ctx ? SSL_new(ctx) : NULL;
	if (!ssl) {
		rc = ue_err(ue, -ENOMEM, "OpenSSL: cannot create a TLS client");
		goto out;
	}
	rc = gba_ue_tls_psk_attach(ue, ssl, u.host, flags);
	if (rc < 0)
		goto out;
	snprintf(hostport, sizeof(hostport), strchr(u.host, ':') ? "[%s]:%u" : "%s:%u", u.host,
		 u.port);
	bio = BIO_new_connect(hostport);
	if (!bio || BIO_do_connect(bio) <= 0) {
		rc = ue_err(ue, -ECONNREFUSED, "NAF %s: cannot connect", hostport);
		BIO_free(bio);
		goto out;
	}
	fd = (int)BIO_get_fd(bio, NULL);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	SSL_set_bio(ssl, bio, bio);
	if (SSL_connect(ssl) != 1) {
		p = SSL_get_ex_data(ssl, psk_index());
		if (p && p->err)
			rc = p->err;	/* ue->err already says why */
		else
			rc = ue_err(ue, -EACCES, "TLS-PSK handshake with %s failed: %s", hostport,
				    ossl_err(e, sizeof(e)));
		goto out;
	}
	snprintf(resp->tls_version, sizeof(resp->tls_version), "%s", SSL_get_version(ssl));
	snprintf(resp->cipher, sizeof(resp->cipher), "%s",
		 SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	GLOGP(GBA_LC_UA, GBA_LL_INFO, "TLS-PSK with %s: %s %s", hostport, resp->tls_version,
	      resp->cipher);
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
		     "Accept: */*\r\nConnection: close\r\n\r\n", u.path, u.host, ue->product);
	if (n < 0 || (size_t)n >= sizeof(req) || SSL_write(ssl, req, n) != n) {
		rc = ue_err(ue, -EIO, "NAF %s: cannot send the request", hostport);
		goto out;
	}
	buf = malloc(GBA_XML_MAX + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (len < GBA_XML_MAX) {
		n = SSL_read(ssl, buf + len, (int)(GBA_XML_MAX - len));
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	rc = http_split(buf, len, resp);
	if (rc < 0)
		rc = ue_err(ue, rc, "NAF %s: no HTTP answer", hostport);
out:
	free(buf);
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	SSL_CTX_free(ctx);
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ua over TLS-PSK / DTLS-PSK, server side, for OpenSSL (TS 33.222 5.4, oneM2M TS-0003
 * 10.2): the PSK callbacks fetch Ks_(ext/int)_NAF of the client's B-TID through the NAF
 * cache. TLS 1.2 / DTLS 1.2: the key's Ua id is 01 00 01 yy zz with the suite the server
 * chose (known when the PSK server callback runs, at ClientKeyExchange). TLS 1.3: an
 * external PSK (find-session callback) for TLS_AES_128_GCM_SHA256 with Ua id 01 00 00 00 07.
 * SNI names the NAF FQDN; no resumption, so each connection checks the key's lifetime.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include <gba/identity.h>
#include <gba/log.h>

#include "naf_priv.h"

#define HINT_ME		"3GPP-bootstrapping"
#define HINT_UICC	"3GPP-bootstrapping-uicc"
/* TLS_PSK_WITH_AES_128_CBC_SHA256 (TS-0003 10.2.2, TLS), AES_128_CCM_8 (DTLS), others */
#define PSK_CIPHERS	"PSK-AES128-CBC-SHA256:PSK-AES128-CCM8:PSK-AES128-GCM-SHA256:" \
			"PSK-AES256-GCM-SHA384:PSK-AES128-CCM:PSK-AES256-CBC-SHA384"

/* Per SSL_CTX. */
struct tls_cfg {
	struct gba_naf *naf;
	unsigned int flags;
};

enum sni_state { SNI_NONE, SNI_OK, SNI_BAD };

/* Per SSL: the server name from the ClientHello and the outcome of the PSK callback. */
struct tls_conn {
	enum sni_state sni_state;
	char sni[GBA_NAF_FQDN_MAX + 1];
	bool have_peer;
	int err;
	struct gba_naf_peer peer;
};

static int ctx_idx = -1, ssl_idx = -1;
static pthread_once_t idx_once = PTHREAD_ONCE_INIT;

static void free_ex(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
		    void *argp)
{
	free(ptr);
}

static void idx_init(void)
{
	ctx_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, free_ex);
	ssl_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, free_ex);
}

static struct tls_conn *conn_get(SSL *ssl, bool create)
{
	struct tls_conn *c = SSL_get_ex_data(ssl, ssl_idx);

	if (!c && create) {
		c = calloc(1, sizeof(*c));
		if (c && !SSL_set_ex_data(ssl, ssl_idx, c)) {
			free(c);
			c = NULL;
		}
	}
	return c;
}

/*
 * Written by hand: OpenSSL hands over the raw server_name extension body but has no parser for
 * it that a ClientHello callback can call (OpenSSL 3.0 does not show SNI to a TLS 1.3 PSK
 * find-session callback yet, so it is read here). See naf_priv.h for the returns.
 */
int naf_sni_parse(const unsigned char *p, size_t len, char *out, size_t outlen)
{
	size_t i = 2, n, host = 0;
	bool found = false;

	if (len < 2 || ((size_t)p[0] << 8 | p[1]) + 2 != len || len == 2)
		return -EINVAL;
	while (i < len) {
		if (len - i < 3)
			return -EINVAL;
		n = (size_t)p[i + 1] << 8 | p[i + 2];
		if (n > len - i - 3)
			return -EINVAL;
		if (p[i] == TLSEXT_NAMETYPE_host_name) {
			/* RFC 6066 3: no more than one name of each type */
			if (found || !n || memchr(p + i + 3, '\0', n))
				return -EINVAL;
			found = true;
			host = i;
		}
		i += 3 + n;
	}
	if (!found)
		return -ENOENT;
	n = (size_t)p[host + 1] << 8 | p[host + 2];
	if (n >= outlen)
		return -E2BIG;
	memcpy(out, p + host + 3, n);
	out[n] = '\0';
	return (int)n;
}

static int client_hello_cb(SSL *ssl, int *al, void *arg)
{
	struct tls_conn *c = conn_get(ssl, true);
	const unsigned char *p;
	size_t len;

	if (!c) {
		*al = SSL_AD_INTERNAL_ERROR;
		return SSL_CLIENT_HELLO_ERROR;
	}
	memset(c, 0, sizeof(*c));
	if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len))
		c->sni_state = naf_sni_parse(p, len, c->sni, sizeof(c->sni)) > 0 ? SNI_OK : SNI_BAD;
	return SSL_CLIENT_HELLO_SUCCESS;
}

/* The NAF FQDN of this connection from SNI, or the default one. NULL: refuse. */
static const char *conn_fqdn(const struct tls_cfg *cfg, SSL *ssl)
{
	const struct tls_conn *c = conn_get(ssl, false);
	const char *name = c && c->sni_state == SNI_OK ? c->sni : NULL;

	if (c && c->sni_state == SNI_BAD)
		return NULL;
	if (!name)
		name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	if (name)
		return gba_naf_fqdn_match(cfg->naf, name);
	return (cfg->flags & GBA_NAF_TLS_REQUIRE_SNI) ? NULL : gba_naf_fqdn_default(cfg->naf);
}

static int servername_cb(SSL *ssl, int *al, void *arg)
{
	const struct tls_cfg *cfg = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	if (conn_fqdn(cfg, ssl))
		return SSL_TLSEXT_ERR_OK;
	GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "TLS: refusing server name '%s'", name ? name : "(none)");
	*al = name ? SSL_AD_UNRECOGNIZED_NAME : SSL_AD_MISSING_EXTENSION;
	return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/* The key for identity 'id' and Ua id 'ua' into k; records the peer or the error. 0/errno. */
static int conn_key(SSL *ssl, const char *id, size_t idlen, const uint8_t ua[GBA_UA_ID_LEN],
		    struct gba_naf_key *k)
{
	struct tls_cfg *cfg = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ctx_idx);
	struct tls_conn *c = conn_get(ssl, true);
	enum gba_naf_key_use use;
	char buf[GBA_NAF_BTID_MAX + 1];
	const char *btid, *fqdn;
	bool uicc;
	int rc;

	if (!cfg || !c)
		return -ENOMEM;
	fqdn = conn_fqdn(cfg, ssl);
	btid = naf_strip_btid_prefix(id, idlen, buf, sizeof(buf), &uicc);
	if (!fqdn || !btid || gba_btid_parse(btid, NULL, NULL)) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "TLS: psk_identity is not a B-TID (or no FQDN)");
		return c->err = -EINVAL;
	}
	use = (uicc || (cfg->flags & GBA_NAF_TLS_UICC)) ? GBA_NAF_KEY_UICC : GBA_NAF_KEY_ME;
	rc = gba_naf_get_key(cfg->naf, btid, fqdn, ua, use, GBA_NAF_GET_NO_USS, k);
	if (rc) {
		GLOGP(GBA_LC_UA, GBA_LL_NOTICE, "TLS: no key for %s at %s: %s", btid, fqdn,
		      gba_naf_strerror(rc));
		return c->err = rc;
	}
	naf_peer_from_key(&c->peer, k, use);
	c->have_peer = true;
	c->err = 0;
	return 0;
}

/* TLS 1.2 / DTLS 1.2: called with ClientKeyExchange, the suite is chosen. */
static unsigned int psk_server_cb(SSL *ssl, const char *identity, unsigned char *psk,
				  unsigned int max_psk_len)
{
	const SSL_CIPHER *cs = SSL_get_pending_cipher(ssl);
	struct gba_naf_key k;
	uint8_t ua[GBA_UA_ID_LEN];

	if (!identity || SSL_version(ssl) == TLS1_3_VERSION || !cs ||
	    max_psk_len < GBA_NAF_KEY_LEN)
		return 0;
	gba_ua_id_tls12(ua, SSL_CIPHER_get_protocol_id(cs) & 0xffff);
	if (conn_key(ssl, identity, strlen(identity), ua, &k))
		return 0;
	memcpy(psk, k.key, GBA_NAF_KEY_LEN);
	gba_naf_key_wipe(&k);
	return GBA_NAF_KEY_LEN;
}

/* TLS 1.3: an external PSK session; unknown identities get none (the handshake fails). */
static int psk_find_session_cb(SSL *ssl, const unsigned char *id, size_t idlen,
			       SSL_SESSION **sess)
{
	static const unsigned char aes128gcm[2] = { 0x13, 0x01 };
	const SSL_CIPHER *cs = SSL_CIPHER_find(ssl, aes128gcm);
	struct gba_naf_key k;
	SSL_SESSION *s;

	*sess = NULL;
	if (!cs || conn_key(ssl, (const char *)id, idlen, GBA_UA_ID_TLS13, &k))
		return 1;
	s = SSL_SESSION_new();
	if (!s || !SSL_SESSION_set1_master_key(s, k.key, GBA_NAF_KEY_LEN) ||
	    !SSL_SESSION_set_cipher(s, cs) || !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		gba_naf_key_wipe(&k);
		return 0;
	}
	gba_naf_key_wipe(&k);
	*sess = s;
	return 1;
}

int gba_naf_tls_setup(struct gba_naf *naf, SSL_CTX *ctx, unsigned int flags)
{
	struct tls_cfg *cfg;

	if (!naf || !ctx)
		return -EINVAL;
	pthread_once(&idx_once, idx_init);
	if (ctx_idx < 0 || ssl_idx < 0)
		return -ENOMEM;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	cfg->naf = naf;
	cfg->flags = flags;
	free(SSL_CTX_get_ex_data(ctx, ctx_idx));
	if (!SSL_CTX_set_ex_data(ctx, ctx_idx, cfg)) {
		free(cfg);
		return -ENOMEM;
	}
	if (!SSL_CTX_use_psk_identity_hint(ctx, (flags & GBA_NAF_TLS_UICC) ? HINT_UICC : HINT_ME))
		return -EIO;
	if (!(flags & GBA_NAF_TLS_KEEP_CIPHERS) && !SSL_CTX_set_cipher_list(ctx, PSK_CIPHERS))
		return -EIO;
	SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
	SSL_CTX_set_psk_find_session_callback(ctx, psk_find_session_cb);
	SSL_CTX_set_client_hello_cb(ctx, client_hello_cb, cfg);
	SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, cfg);
	/* every connection runs the PSK callback: no tickets, no session cache */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	return 0;
}

int gba_naf_tls_peer(SSL *ssl, struct gba_naf_peer *out)
{
	struct tls_conn *c;

	if (!ssl || !out || ssl_idx < 0)
		return -EINVAL;
	c = conn_get(ssl, false);
	if (!c || !c->have_peer || !SSL_is_init_finished(ssl))
		return -ENOENT;
	*out = c->peer;
	return 0;
}

int gba_naf_tls_error(SSL *ssl)
{
	struct tls_conn *c = (ssl && ssl_idx >= 0) ? conn_get(ssl, false) : NULL;

	return c ? c->err : 0;
}

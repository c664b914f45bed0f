/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A TLS-PSK NAF for the ue/ unit tests: one connection on 127.0.0.1 served by a thread with
 * OpenSSL, keys from the mock BSF (what Zn would give) for the Ua id of the negotiated
 * suite (TLS 1.2: 01 00 01 yy zz, found in the server's PSK callback; TLS 1.3:
 * 01 00 00 00 07), psk_identity checked against the B-TID, SNI recorded. Answers one
 * HTTP request with "200 OK" and "hello over TLS-PSK".
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <gba/kdf.h>

#include "mock_tls.h"

static int tls_idx = -1;

static unsigned int srv_psk(SSL *ssl, const char *identity, unsigned char *psk,
			    unsigned int max_psk_len)
{
	struct mock_tls *t = SSL_get_ex_data(ssl, tls_idx);
	const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
	uint8_t ua[5];

	if (!c)
		c = SSL_get_pending_cipher(ssl);
	snprintf(t->identity, sizeof(t->identity), "%s", identity ? identity : "");
	if (!c || strcmp(t->identity, t->bsf->btid) || max_psk_len < 32)
		return 0;
	gba_ua_id_tls12(ua, SSL_CIPHER_get_protocol_id(c) & 0xffff);
	if (mock_bsf_ks_naf(t->bsf, t->fqdn, ua, psk))
		return 0;
	psk[0] ^= t->wrong_key;
	return 32;
}

static int srv_find_session(SSL *ssl, const unsigned char *id, size_t idlen, SSL_SESSION **sess)
{
	static const unsigned char aes128gcm[2] = { 0x13, 0x01 };
	struct mock_tls *t = SSL_get_ex_data(ssl, tls_idx);
	uint8_t key[32];
	SSL_SESSION *s;

	*sess = NULL;
	snprintf(t->identity, sizeof(t->identity), "%.*s", (int)idlen, (const char *)id);
	if (strcmp(t->identity, t->bsf->btid) ||
	    mock_bsf_ks_naf(t->bsf, t->fqdn, GBA_UA_ID_TLS13, key))
		return 1;
	key[0] ^= t->wrong_key;
	s = SSL_SESSION_new();
	if (!s || !SSL_SESSION_set1_master_key(s, key, sizeof(key)) ||
	    !SSL_SESSION_set_cipher(s, SSL_CIPHER_find(ssl, aes128gcm)) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		return 0;
	}
	*sess = s;
	return 1;
}

static void *serve(void *arg)
{
	static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 18\r\nConnection: close\r\n"
				     "\r\nhello over TLS-PSK";
	struct mock_tls *t = arg;
	char buf[2048];
	SSL *ssl;
	int fd, n;

	fd = accept(t->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	ssl = SSL_new(t->ctx);
	SSL_set_ex_data(ssl, tls_idx, t);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1) {
		const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

		t->handshakes++;
		snprintf(t->sni, sizeof(t->sni), "%s", sni ? sni : "");
		snprintf(t->version, sizeof(t->version), "%s", SSL_get_version(ssl));
		n = SSL_read(ssl, buf, sizeof(buf) - 1);
		if (n > 0)
			SSL_write(ssl, answer, sizeof(answer) - 1);
		SSL_shutdown(ssl);
	}
	SSL_free(ssl);
	close(fd);
	return NULL;
}

int mock_tls_start(struct mock_tls *t, struct mock_bsf *bsf, const char *fqdn, int version,
		   bool wrong_key)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	memset(t, 0, sizeof(*t));
	t->bsf = bsf;
	t->wrong_key = wrong_key;
	snprintf(t->fqdn, sizeof(t->fqdn), "%s", fqdn);
	if (tls_idx < 0)
		tls_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	t->ctx = SSL_CTX_new(TLS_server_method());
	if (!t->ctx)
		return -1;
	SSL_CTX_set_min_proto_version(t->ctx, version);
	SSL_CTX_set_max_proto_version(t->ctx, version);
	SSL_CTX_set_cipher_list(t->ctx, "PSK-AES128-CBC-SHA256");
	SSL_CTX_set_psk_server_callback(t->ctx, srv_psk);
	SSL_CTX_set_psk_find_session_callback(t->ctx, srv_find_session);
	t->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (t->lfd < 0 || bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(t->lfd, 4) || getsockname(t->lfd, (struct sockaddr *)&sa, &sl))
		return -1;
	t->port = ntohs(sa.sin_port);
	return pthread_create(&t->thread, NULL, serve, t) ? -1 : 0;
}

void mock_tls_stop(struct mock_tls *t)
{
	shutdown(t->lfd, SHUT_RDWR);
	pthread_join(t->thread, NULL);
	close(t->lfd);
	SSL_CTX_free(t->ctx);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for libgba-naf's server_name reader (naf_sni_parse in naf/ua_tls.c), which
 * sees the first bytes a device sends to a TLS NAF, before any authentication. The input is a
 * TLS record as a client sends it: it goes through a real OpenSSL server handshake whose
 * ClientHello callback hands the server_name extension to the parser, as ua_tls.c does; the
 * raw input is also given to the parser directly as an extension body.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../../naf/naf_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const unsigned char *p, size_t len)
{
	char out[GBA_NAF_FQDN_MAX + 1];
	int n;

	memset(out, 0x55, sizeof(out));
	n = naf_sni_parse(p, len, out, sizeof(out));
	if (n > 0 && ((size_t)n >= sizeof(out) || out[n] || strlen(out) != (size_t)n ||
		      n + 5 > (int)len))
		abort();
	if (n == 0 || (n < 0 && n != -EINVAL && n != -ENOENT && n != -E2BIG))
		abort();
}

static int hello_cb(SSL *ssl, int *al, void *arg)
{
	const unsigned char *p;
	size_t len;

	(void)al;
	(void)arg;
	if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len))
		check(p, len);
	/* stop here: the rest of the handshake is OpenSSL's */
	return SSL_CLIENT_HELLO_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static SSL_CTX *ctx;
	SSL *s;
	BIO *rb, *wb;

	check(data, size);
	if (!ctx) {
		ctx = SSL_CTX_new(TLS_server_method());
		if (!ctx)
			abort();
		SSL_CTX_set_client_hello_cb(ctx, hello_cb, NULL);
	}
	s = SSL_new(ctx);
	rb = BIO_new_mem_buf(data, (int)size);
	wb = BIO_new(BIO_s_mem());
	if (!s || !rb || !wb)
		abort();
	BIO_set_mem_eof_return(rb, 0);
	SSL_set_bio(s, rb, wb);
	SSL_accept(s);
	SSL_free(s);
	ERR_clear_error();
	return 0;
}

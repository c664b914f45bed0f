/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A one-connection TLS-PSK NAF for the ue/ unit tests (mock_tls.c), keys from mock_bsf. */
#ifndef GBA_TESTS_UE_MOCK_TLS_H
#define GBA_TESTS_UE_MOCK_TLS_H

#include <pthread.h>
#include <stdbool.h>

#include <openssl/ssl.h>

#include "mock_bsf.h"

struct mock_tls {
	struct mock_bsf *bsf;
	SSL_CTX *ctx;
	int lfd;
	unsigned int port;
	pthread_t thread;
	bool wrong_key;		/* the NAF holds another key */
	char fqdn[256];		/* NAF FQDN of its keys */
	/* what the client sent */
	unsigned int handshakes;
	char identity[400];
	char sni[256];
	char version[16];
};

/* Listen on 127.0.0.1 for one connection of TLS 'version' (TLS1_2_VERSION / TLS1_3_VERSION). */
int mock_tls_start(struct mock_tls *t, struct mock_bsf *bsf, const char *fqdn, int version,
		   bool wrong_key);
void mock_tls_stop(struct mock_tls *t);

#endif /* GBA_TESTS_UE_MOCK_TLS_H */

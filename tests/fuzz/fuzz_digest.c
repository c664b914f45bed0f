/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for core/digest.c: the input goes through all three header parsers
 * (challenge, credentials, Authentication-Info); every accepted header is re-formatted with
 * the matching builder and parsed again, and the fields must come back unchanged. The input
 * (as a C string) also goes through gba_aka_nonce_decode().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/digest.h>

static struct gba_digest d1, d2;
static char out[4 * GBA_DIGEST_HDR_MAX];

static void same(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
		abort();
}

/* Parse the re-formatted header; it must be accepted unless it outgrew the size limit. */
static void reparse(enum gba_digest_kind kind, int n)
{
	int rc;

	if (n < 0)
		abort();
	rc = gba_digest_parse(&d2, kind, out, (size_t)n);
	if (n > GBA_DIGEST_HDR_MAX) {
		if (rc != -E2BIG)
			abort();
		return;
	}
	if (rc)
		abort();
}

static enum gba_digest_qop single_qop(unsigned int mask)
{
	if (mask == 1u << GBA_QOP_AUTH)
		return GBA_QOP_AUTH;
	if (mask == 1u << GBA_QOP_AUTH_INT)
		return GBA_QOP_AUTH_INT;
	if (mask != 1u << GBA_QOP_NONE)
		abort();
	return GBA_QOP_NONE;
}

static void check_challenge(void)
{
	int n = gba_digest_fmt_challenge(out, sizeof(out), d1.realm, d1.nonce, d1.opaque,
					 d1.algorithm, d1.qop_mask, d1.stale_true);

	reparse(GBA_DIGEST_CHALLENGE, n);
	if (n > GBA_DIGEST_HDR_MAX)
		return;
	same(d1.realm, d2.realm);
	same(d1.nonce, d2.nonce);
	same(d1.opaque, d2.opaque);
	same(d1.algorithm, d2.algorithm);
	if (d1.qop_mask != d2.qop_mask || d1.stale_true != d2.stale_true)
		abort();
}

static void check_credentials(void)
{
	struct gba_digest_input in = {
		.username = d1.username, .realm = d1.realm, .nonce = d1.nonce, .uri = d1.uri,
		.nc = d1.nc, .cnonce = d1.cnonce, .qop = single_qop(d1.qop_mask),
	};
	int n = gba_digest_fmt_credentials(out, sizeof(out), &in, d1.response, d1.algorithm,
					   d1.opaque, d1.auts);

	reparse(GBA_DIGEST_CREDENTIALS, n);
	if (n > GBA_DIGEST_HDR_MAX)
		return;
	same(d1.username, d2.username);
	same(d1.realm, d2.realm);
	same(d1.nonce, d2.nonce);
	same(d1.uri, d2.uri);
	same(d1.response, d2.response);
	same(d1.algorithm, d2.algorithm);
	same(d1.opaque, d2.opaque);
	same(d1.auts, d2.auts);
	if (d1.qop_mask != d2.qop_mask)
		abort();
	if (in.qop != GBA_QOP_NONE) {
		same(d1.nc, d2.nc);
		same(d1.cnonce, d2.cnonce);
	}
}

static void check_auth_info(void)
{
	int n = gba_digest_fmt_auth_info(out, sizeof(out), single_qop(d1.qop_mask), d1.rspauth,
					 d1.cnonce, d1.nc, d1.nextnonce);

	reparse(GBA_DIGEST_AUTH_INFO, n);
	if (n > GBA_DIGEST_HDR_MAX)
		return;
	same(d1.rspauth, d2.rspauth);
	same(d1.cnonce, d2.cnonce);
	same(d1.nc, d2.nc);
	same(d1.nextnonce, d2.nextnonce);
	if (d1.qop_mask != d2.qop_mask)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t rand[GBA_RAND_LEN], autn[GBA_AUTN_LEN];
	char *s;

	if (gba_digest_parse(&d1, GBA_DIGEST_CHALLENGE, (const char *)data, size) == 0)
		check_challenge();
	if (gba_digest_parse(&d1, GBA_DIGEST_CREDENTIALS, (const char *)data, size) == 0)
		check_credentials();
	if (gba_digest_parse(&d1, GBA_DIGEST_AUTH_INFO, (const char *)data, size) == 0)
		check_auth_info();

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	gba_aka_nonce_decode(s, rand, autn);
	free(s);
	return 0;
}

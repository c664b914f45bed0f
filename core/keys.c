/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Key handling helpers on OpenSSL. See include/gba/keys.h. */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <gba/keys.h>

void gba_zeroize(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

void gba_free_wipe(void *p)
{
	if (p) {
		gba_zeroize(p, malloc_usable_size(p));
		free(p);
	}
}

void *gba_realloc_wipe(void *p, size_t n)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(n);
	old = malloc_usable_size(p);
	q = malloc(n ? n : 1);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	gba_free_wipe(p);
	return q;
}

bool gba_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

static int hexval(char c)
{
	/* no table lookup indexed by secret data is needed: hex here is parsed from config/wire */
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gba_hex_decode_var(uint8_t *out, size_t max, const char *hex)
{
	size_t n, i;

	if (!hex)
		return -EINVAL;
	n = strlen(hex);
	if (n % 2)
		return -EINVAL;
	if (n / 2 > max)
		return -E2BIG;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			gba_zeroize(out, i);
			return -EINVAL;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

int gba_hex_decode(uint8_t *out, size_t len, const char *hex)
{
	int rc;

	if (!hex || strlen(hex) != 2 * len)
		return -EINVAL;
	rc = gba_hex_decode_var(out, len, hex);
	return rc < 0 ? rc : 0;
}

int gba_hex_encode(char *out, size_t outlen, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (outlen < 2 * len + 1)
		return -ENOSPC;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return 0;
}

int gba_b64_encode(char *out, size_t outlen, const uint8_t *in, size_t len)
{
	if (len > 0x3fffffff || outlen < GBA_B64_LEN(len) + 1)
		return -ENOSPC;
	return EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

static bool b64char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

int gba_b64_decode(uint8_t *out, size_t max, const char *in, size_t inlen)
{
	uint8_t tmp[3 * 1024];
	uint8_t *buf = tmp;
	size_t pad = 0, i, n;
	int rc;

	if (!in || inlen % 4)
		return -EINVAL;
	/* EVP_DecodeBlock is lenient about white space and trailing junk: check strictly first */
	for (i = 0; i < inlen; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '=') {
			if (i < inlen - 2)
				return -EINVAL;
			pad++;
		} else if (pad || !b64char(c)) {
			return -EINVAL;
		}
	}
	if (inlen == 0)
		return 0;
	n = inlen / 4 * 3 - pad;
	if (n > max)
		return -E2BIG;
	if (inlen / 4 * 3 > sizeof(tmp))
		return -E2BIG;
	rc = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)inlen);
	if (rc < 0 || (size_t)rc != inlen / 4 * 3) {
		gba_zeroize(tmp, sizeof(tmp));
		return -EINVAL;
	}
	memcpy(out, buf, n);
	gba_zeroize(tmp, (size_t)rc);
	return (int)n;
}

int gba_random(uint8_t *out, size_t len)
{
	if (len > 0x7fffffff || RAND_bytes(out, (int)len) != 1)
		return -EIO;
	return 0;
}

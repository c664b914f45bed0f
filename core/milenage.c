/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MILENAGE (TS 35.206) f1, f1*, f2, f3, f4, f5, f5* and OPc, on OpenSSL AES-128.
 *
 * This small implementation exists because the USIM side needs f1* and f5*
 * (MAC-S and AK* of AUTS) and libosmocore does not export f1* / f5* (nor any
 * MILENAGE function) in an installed header. The AuC side still uses
 * libosmocore (core/aka.c), and tests/core/test_aka.c checks that both agree.
 * The AES-128-ECB cipher is fetched once per process.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include <gba/aka.h>
#include <gba/keys.h>

static EVP_CIPHER *aes128;
static pthread_once_t aes_once = PTHREAD_ONCE_INIT;

static void aes_fetch(void)
{
	aes128 = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
}

/* An AES-128 encryptor keyed with K. NULL on failure. */
static EVP_CIPHER_CTX *aes_open(const uint8_t k[16])
{
	EVP_CIPHER_CTX *c;

	pthread_once(&aes_once, aes_fetch);
	if (!aes128 || !(c = EVP_CIPHER_CTX_new()))
		return NULL;
	if (!EVP_EncryptInit_ex2(c, aes128, k, NULL, NULL) || !EVP_CIPHER_CTX_set_padding(c, 0)) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

static int aes_block(EVP_CIPHER_CTX *c, const uint8_t in[16], uint8_t out[16])
{
	int outl = 0;

	return EVP_EncryptUpdate(c, out, &outl, in, 16) && outl == 16 ? 0 : -EIO;
}

static void xor16(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		out[i] = a[i] ^ b[i];
}

int gba_milenage_opc(uint8_t opc[GBA_OPC_LEN], const uint8_t k[GBA_K_LEN], const uint8_t op[16])
{
	EVP_CIPHER_CTX *c = aes_open(k);
	uint8_t t[16];
	int rc;

	if (!c)
		return -EIO;
	rc = aes_block(c, op, t);
	EVP_CIPHER_CTX_free(c);
	if (rc == 0)
		xor16(opc, t, op);
	gba_zeroize(t, sizeof(t));
	return rc;
}

/* OUT = E_K(rot(in xor OPc, r bytes) xor c) xor OPc, with c = 0...0 cbyte */
static int out_n(EVP_CIPHER_CTX *c, const uint8_t opc[16], const uint8_t in[16], int r,
		 uint8_t cbyte, uint8_t out[16])
{
	uint8_t x[16], y[16];
	int rc;

	for (int i = 0; i < 16; i++)
		x[(i + 16 - r) % 16] = in[i] ^ opc[i];
	x[15] ^= cbyte;
	rc = aes_block(c, x, y);
	xor16(out, y, opc);
	gba_zeroize(x, sizeof(x));
	gba_zeroize(y, sizeof(y));
	return rc;
}

/* TEMP = E_K(RAND xor OPc) */
static int temp_of(EVP_CIPHER_CTX *c, const uint8_t opc[16], const uint8_t rand[16],
		   uint8_t temp[16])
{
	uint8_t x[16];
	int rc;

	xor16(x, rand, opc);
	rc = aes_block(c, x, temp);
	gba_zeroize(x, sizeof(x));
	return rc;
}

int gba_milenage_f1(const uint8_t opc[16], const uint8_t k[16], const uint8_t rand[16],
		    const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8])
{
	EVP_CIPHER_CTX *c = aes_open(k);
	uint8_t temp[16], in1[16], x[16], out[16];
	int rc;

	if (!c)
		return -EIO;
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	rc = temp_of(c, opc, rand, temp);
	if (rc == 0) {
		/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1 = 64 bits) xor c1 = 0) xor OPc */
		for (int i = 0; i < 16; i++)
			x[(i + 8) % 16] = in1[i] ^ opc[i];
		for (int i = 0; i < 16; i++)
			x[i] ^= temp[i];
		rc = aes_block(c, x, out);
		xor16(out, out, opc);
	}
	if (rc == 0) {
		if (mac_a)
			memcpy(mac_a, out, 8);
		if (mac_s)
			memcpy(mac_s, out + 8, 8);
	}
	EVP_CIPHER_CTX_free(c);
	gba_zeroize(temp, sizeof(temp));
	gba_zeroize(x, sizeof(x));
	gba_zeroize(out, sizeof(out));
	return rc;
}

int gba_milenage_f2345(const uint8_t opc[16], const uint8_t k[16], const uint8_t rand[16],
		       uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6],
		       uint8_t akstar[6])
{
	EVP_CIPHER_CTX *c = aes_open(k);
	uint8_t temp[16], out[16];
	int rc;

	if (!c)
		return -EIO;
	rc = temp_of(c, opc, rand, temp);
	/* f2/f5: r2 = 0, c2 = 1 */
	if (rc == 0 && (res || ak) && (rc = out_n(c, opc, temp, 0, 1, out)) == 0) {
		if (res)
			memcpy(res, out + 8, 8);
		if (ak)
			memcpy(ak, out, 6);
	}
	/* f3: r3 = 32 bits, c3 = 2 */
	if (rc == 0 && ck)
		rc = out_n(c, opc, temp, 4, 2, ck);
	/* f4: r4 = 64 bits, c4 = 4 */
	if (rc == 0 && ik)
		rc = out_n(c, opc, temp, 8, 4, ik);
	/* f5*: r5 = 96 bits, c5 = 8 */
	if (rc == 0 && akstar && (rc = out_n(c, opc, temp, 12, 8, out)) == 0)
		memcpy(akstar, out, 6);
	EVP_CIPHER_CTX_free(c);
	gba_zeroize(temp, sizeof(temp));
	gba_zeroize(out, sizeof(out));
	return rc;
}

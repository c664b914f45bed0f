/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ks_NAF derivations per second through gba_ks_naf(), as a ratio against raw
 * OpenSSL HMAC-SHA-256 (one-shot HMAC()) over the same S bytes with the same
 * key, measured in the same run (median of 5 alternating rounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gba/kdf.h>
#include <gba/keys.h>

#define ROUNDS 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	const char *impi = "001010000000001@ims.mnc001.mcc001.3gppnetwork.org";
	uint8_t ks[32], rnd[16], nafid[64], out[32], s[256];
	double ours[ROUNDS], raw[ROUNDS];
	unsigned int olen;
	size_t slen = 0;
	int nlen, n = 200000;
	volatile uint8_t sink = 0;

	gba_random(ks, 32);
	gba_random(rnd, 16);
	nlen = gba_naf_id(nafid, sizeof(nafid), "naf.example.com", GBA_UA_ID_TLS13);
	/* S = FC || "gba-me" || 0006 || RAND || 0010 || IMPI || L || NAF_Id || L */
	s[slen++] = 0x01;
	memcpy(s + slen, "gba-me\x00\x06", 8), slen += 8;
	memcpy(s + slen, rnd, 16), slen += 16;
	s[slen++] = 0, s[slen++] = 0x10;
	memcpy(s + slen, impi, strlen(impi)), slen += strlen(impi);
	s[slen++] = 0, s[slen++] = (uint8_t)strlen(impi);
	memcpy(s + slen, nafid, (size_t)nlen), slen += (size_t)nlen;
	s[slen++] = 0, s[slen++] = (uint8_t)nlen;

	/* both paths must compute the same key */
	gba_ks_naf(out, ks, rnd, impi, nafid, (size_t)nlen);
	{
		uint8_t ref[32];

		HMAC(EVP_sha256(), ks, 32, s, slen, ref, &olen);
		if (memcmp(ref, out, 32)) {
			fprintf(stderr, "bench_kdf: gba_ks_naf differs from HMAC over S\n");
			return 1;
		}
	}
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now();

		for (int i = 0; i < n; i++) {
			gba_ks_naf(out, ks, rnd, impi, nafid, (size_t)nlen);
			sink ^= out[0];
		}
		ours[r] = n / (now() - t0);
		t0 = now();
		for (int i = 0; i < n; i++) {
			HMAC(EVP_sha256(), ks, 32, s, slen, out, &olen);
			sink ^= out[0];
		}
		raw[r] = n / (now() - t0);
	}
	qsort(ours, ROUNDS, sizeof(double), cmp);
	qsort(raw, ROUNDS, sizeof(double), cmp);
	printf("ks_naf: %.0f/s vs raw HMAC-SHA-256 %.0f/s: ratio %.2f (target >= 0.8)\n",
	       ours[ROUNDS / 2], raw[ROUNDS / 2], ours[ROUNDS / 2] / raw[ROUNDS / 2]);
	gba_zeroize(ks, sizeof(ks));
	gba_zeroize(out, sizeof(out));
	return sink & 0;	/* the loops are kept alive through sink */
}

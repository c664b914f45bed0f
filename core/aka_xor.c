/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TS 34.108 clause 8.1.2 XOR test algorithm, USIM side (test USIMs, the
 * soft UICC). The AuC side is libosmocore's OSMO_AUTH_ALG_XOR (core/aka.c);
 * tests/core/test_aka.c checks that both agree. From the spec (bit 0 = MSB):
 *   XDOUT = K xor RAND;  RES = XDOUT (16 octets);  CK = XDOUT <<< 8 bits;
 *   IK = XDOUT <<< 16 bits;  AK = XDOUT[24..71];  MAC = XDOUT[0..63] xor (SQN || AMF).
 * For resynchronisation AK* = AK and MAC-S = MAC over SQN_MS with the dummy AMF
 * 0000 (TS 34.108 8.1.2.2, TS 33.102 6.3.3), both from the RAND the AUTS answers.
 */
#include "config.h"

#include <string.h>

#include "aka_int.h"

void gba_xor_core(const uint8_t k[16], const uint8_t rand[16], uint8_t xdout[16])
{
	for (int i = 0; i < 16; i++)
		xdout[i] = k[i] ^ rand[i];
}

void gba_xor_mac(const uint8_t xdout[16], const uint8_t sqn[6], const uint8_t amf[2],
		 uint8_t mac[8])
{
	for (int i = 0; i < 6; i++)
		mac[i] = xdout[i] ^ sqn[i];
	mac[6] = xdout[6] ^ amf[0];
	mac[7] = xdout[7] ^ amf[1];
}

void gba_xor_keys(const uint8_t xdout[16], uint8_t res[16], uint8_t ck[16], uint8_t ik[16],
		  uint8_t ak[6])
{
	for (int i = 0; i < 16; i++) {
		if (res)
			res[i] = xdout[i];
		if (ck)
			ck[i] = xdout[(i + 1) % 16];
		if (ik)
			ik[i] = xdout[(i + 2) % 16];
	}
	if (ak)
		memcpy(ak, xdout + 3, 6);
}

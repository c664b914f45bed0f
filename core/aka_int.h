/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to core/: the XOR test algorithm's building blocks (core/aka_xor.c). */
#ifndef GBA_AKA_INT_H
#define GBA_AKA_INT_H

#include <stdint.h>

/* XDOUT = K xor RAND */
void gba_xor_core(const uint8_t k[16], const uint8_t rand[16], uint8_t xdout[16]);
/* MAC = XDOUT[0..7] xor (SQN || AMF) */
void gba_xor_mac(const uint8_t xdout[16], const uint8_t sqn[6], const uint8_t amf[2],
		 uint8_t mac[8]);
/* RES, CK, IK, AK from XDOUT (any output may be NULL) */
void gba_xor_keys(const uint8_t xdout[16], uint8_t res[16], uint8_t ck[16], uint8_t ik[16],
		  uint8_t ak[6]);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Key material: sizes, zeroization, constant-time comparison and the hex and
 * base64 codecs (on OpenSSL) used for every key, RAND and AUTN in gbakit.
 *
 * Rules (see CONTRIBUTING.md): every buffer that held K, OPc, CK, IK, Ks or a
 * NAF key is wiped with gba_zeroize() before it goes out of scope or is freed;
 * secrets are compared with gba_ct_equal(), never memcmp().
 */
#ifndef GBA_KEYS_H
#define GBA_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GBA_K_LEN	16	/* subscriber key K */
#define GBA_OPC_LEN	16
#define GBA_RAND_LEN	16
#define GBA_AUTN_LEN	16
#define GBA_CK_LEN	16
#define GBA_IK_LEN	16
#define GBA_KS_LEN	32	/* Ks = CK || IK */
#define GBA_KS_NAF_LEN	32	/* Ks_NAF, Ks_ext_NAF, Ks_int_NAF */
#define GBA_AUTS_LEN	14
#define GBA_AMF_LEN	2
#define GBA_SQN_LEN	6
#define GBA_MAC_LEN	8
#define GBA_AK_LEN	6
#define GBA_RES_MIN_LEN	4
#define GBA_RES_MAX_LEN	16
#define GBA_UA_ID_LEN	5	/* Ua security protocol identifier (TS 33.220 Annex H) */

/* Wipe a buffer so the compiler cannot elide it (OPENSSL_cleanse). NULL is allowed. */
void gba_zeroize(void *p, size_t len);

/*
 * free() and realloc() that wipe the whole old block first (malloc_usable_size()), for the
 * allocator hooks of libraries that copy key material internally (libxml2's, core/xml.c).
 */
void gba_free_wipe(void *p);
void *gba_realloc_wipe(void *p, size_t n);

/* Constant-time equality of two buffers of the same length (CRYPTO_memcmp). */
bool gba_ct_equal(const void *a, const void *b, size_t len);

/*
 * Decode exactly 'len' bytes of hex (upper or lower case, no separators) into 'out'.
 * Returns 0, or -EINVAL when 'hex' is not exactly 2*len hex digits.
 */
int gba_hex_decode(uint8_t *out, size_t len, const char *hex);

/*
 * Decode hex of any even length up to 'max' bytes. Returns the number of bytes,
 * -EINVAL for bad digits or odd length, -E2BIG when longer than 'max'.
 */
int gba_hex_decode_var(uint8_t *out, size_t max, const char *hex);

/* Lower-case hex of 'len' bytes into 'out' (needs 2*len+1). Returns 0 or -ENOSPC. */
int gba_hex_encode(char *out, size_t outlen, const uint8_t *in, size_t len);

/* Length of the base64 text for 'len' bytes, without the terminating NUL. */
#define GBA_B64_LEN(len) ((((len) + 2) / 3) * 4)

/* Standard base64 with padding into 'out' (needs GBA_B64_LEN(len)+1). Returns the text length or -ENOSPC. */
int gba_b64_encode(char *out, size_t outlen, const uint8_t *in, size_t len);

/*
 * Decode standard padded base64 ('inlen' characters, no white space).
 * Returns the number of bytes, -EINVAL for malformed input, -E2BIG if it does not fit in 'max'.
 */
int gba_b64_decode(uint8_t *out, size_t max, const char *in, size_t inlen);

/* Fill 'out' from the CSPRNG (RAND_bytes). Returns 0 or -EIO. */
int gba_random(uint8_t *out, size_t len);

#endif /* GBA_KEYS_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF's key-encryption key: Ks at rest is AES-256-GCM under the KEK with the B-TID as
 * additional data (a row copied to another B-TID does not decrypt), and a MAC key derived
 * from it authenticates the server data of our Ub nonces (so foreign nonces are told
 * apart from stale ones). BSFs sharing a store share the KEK through their configuration.
 */
#ifndef BSF_KEK_H
#define BSF_KEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/keys.h>

#include "store.h"

#define BSF_KEK_LEN	32
#define BSF_TAG_LEN	8

struct bsf_kek {
	uint8_t key[BSF_KEK_LEN];
	uint8_t mac_key[BSF_KEK_LEN];	/* KDF(KEK, "gbakit-bsf-nonce") */
};

/*
 * Set up from 'hex' (64 hex digits) when given, else from 'file' (32 raw bytes or 64 hex
 * digits). A missing 'file' is created 0600 with a random key when 'create' is set.
 * Returns 0; -EINVAL for a malformed key; -ENOENT when there is no key; -EIO.
 */
int bsf_kek_load(struct bsf_kek *kek, const char *hex, const char *file, bool create);

/* Encrypt Ks for 'btid' into 'blob' (fresh random IV). 0 or -EIO. */
int bsf_kek_seal(const struct bsf_kek *kek, uint8_t blob[BSF_KS_BLOB_LEN],
		 const uint8_t ks[GBA_KS_LEN], const char *btid);

/* Decrypt a blob sealed for 'btid'. 0; -EBADMSG when the tag or B-TID does not match; -EIO. */
int bsf_kek_open(const struct bsf_kek *kek, uint8_t ks[GBA_KS_LEN],
		 const uint8_t blob[BSF_KS_BLOB_LEN], const char *btid);

/* Truncated HMAC-SHA-256 under mac_key over 'data'. 0 or negative errno from gba_kdf(). */
int bsf_kek_tag(const struct bsf_kek *kek, uint8_t tag[BSF_TAG_LEN], const uint8_t *data,
		size_t len);

void bsf_kek_clear(struct bsf_kek *kek);

#endif /* BSF_KEK_H */
